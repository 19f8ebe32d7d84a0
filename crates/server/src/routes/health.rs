//! `GET /api/health` and `GET /metrics`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde_json::json;

use crate::App;

pub async fn health(State(app): State<Arc<App>>) -> impl IntoResponse {
    let database = match app.store.ping().await {
        Ok(()) => "ok".to_string(),
        Err(e) => {
            tracing::error!(error = %e, "health: database");
            "unavailable".to_string()
        }
    };
    // Any HTTP answer means PF360 is reachable; credentials are not needed to know that.
    let pf360 = match app.http.get(app.pf360_url.clone()).send().await {
        Ok(_) => "ok".to_string(),
        Err(e) => {
            tracing::warn!(error = %e, "health: PF360 unreachable");
            "unreachable".to_string()
        }
    };
    let healthy = database == "ok" && pf360 == "ok";
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "status": if healthy { "ok" } else { "degraded" },
            "timestamp": app.clock.now().to_rfc3339(),
            "checks": {"database": database, "pf360": pf360},
        })),
    )
}

pub async fn metrics(State(app): State<Arc<App>>) -> impl IntoResponse {
    match app.store.active_sessions().await {
        Ok(active) => {
            metrics::gauge!("active_sessions").set(active as f64);
            metrics::gauge!("database_up").set(1.0);
        }
        Err(_) => metrics::gauge!("database_up").set(0.0),
    }
    let (open, idle) = app.store.pool_stats();
    metrics::gauge!("db_pool_connections").set(f64::from(open));
    metrics::gauge!("db_pool_idle_connections").set(idle as f64);
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics.render(),
    )
}
