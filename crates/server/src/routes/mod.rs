//! The router: API routes, the page, and the layers every response goes through.

mod chat;
mod health;
mod page;
mod sessions;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::routing::{get, post};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::App;
use crate::error::ApiError;

/// The page's policy: everything from this origin only, nothing inline, no framing.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

pub fn router(app: Arc<App>) -> Router {
    let mut router = Router::new()
        .route("/", get(page::index))
        .route("/static/app.js", get(page::script))
        .route("/static/app.css", get(page::style))
        .route("/api/config", get(page::client_config))
        .route("/api/chat", post(chat::post))
        .route(
            "/api/chat/stream",
            post(chat::stream_post).get(chat::stream_get),
        )
        .route("/api/sessions/{id}", get(sessions::session))
        .route("/api/sessions/{id}/messages", get(sessions::messages))
        .route("/api/health", get(health::health))
        .route("/metrics", get(health::metrics))
        .route("/api/openapi.json", get(page::openapi))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "No such endpoint.")
        })
        .layer(DefaultBodyLimit::max(app.config.body_limit_bytes));
    if !app.config.cors_origins.is_empty() {
        let origins: Vec<HeaderValue> = app
            .config
            .cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        router = router.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION]),
        );
    }
    let headers: [(HeaderName, &'static str); 6] = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router.with_state(app)
}
