//! `GET /api/health` and `GET /metrics`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pf360::health::Verdict;

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
    let pf360 = pf360_state(&app).await;
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

/// How often, at most, PF360 is probed when no recent call of ours says how it is.
const PROBE_EVERY: Duration = Duration::from_secs(30);

/// PF360 as our own recent calls found it; only when there were none, a reachability probe
/// (any HTTP answer will do), at most every [`PROBE_EVERY`] however often health is asked.
async fn pf360_state(app: &App) -> String {
    match app.pf360_health.verdict() {
        Verdict::Ok => return "ok".into(),
        Verdict::Failing => return "failing".into(),
        Verdict::Unknown => {}
    }
    let cached = *app
        .pf360_probe
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let reachable = match cached {
        Some((at, reachable)) if at.elapsed() < PROBE_EVERY => reachable,
        _ => {
            let reachable = match app.http.get(app.pf360_url.clone()).send().await {
                Ok(_) => true,
                Err(e) => {
                    tracing::warn!(error = %e, "health: PF360 unreachable");
                    false
                }
            };
            *app.pf360_probe
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) =
                Some((Instant::now(), reachable));
            reachable
        }
    };
    if reachable { "ok" } else { "unreachable" }.into()
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
