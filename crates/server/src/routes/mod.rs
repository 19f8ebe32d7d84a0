//! The router: API routes, the page, and the layers every response goes through.

mod admin;
mod chat;
mod health;
mod page;
mod sessions;
pub(crate) mod twilio;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http_body_util::BodyExt;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::App;
use crate::client_ip::client_ip;
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
        .route("/admin/customers", post(admin::import_customers))
        .route(twilio::SMS_PATH, post(twilio::sms))
        .route(twilio::STATUS_PATH, post(twilio::status))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "No such endpoint.")
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "This endpoint does not accept that method.",
            )
        })
        .layer(middleware::from_fn_with_state(app.clone(), bounded_body))
        .layer(middleware::from_fn_with_state(app.clone(), limit_by_ip))
        .layer(CatchPanicLayer::custom(|_| {
            metrics::counter!("turn_panics_total").increment(1);
            ApiError::internal("a handler panicked").into_response()
        }));
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

/// Every endpoint counts against the client's per-IP budget (the client as the trusted
/// proxies say, see `client_ip`).
async fn limit_by_ip(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    // Twilio's webhooks are signed and come from Twilio's many addresses, never one client's.
    if request.uri().path().starts_with("/channels/twilio/") {
        return next.run(request).await;
    }
    let ip = client_ip(
        peer.ip(),
        request.headers(),
        &app.config.trusted_proxies,
        app.config.forwarded_header,
    );
    if let Err(refused) = app.limits.check_ip(ip) {
        return refused.into_response();
    }
    next.run(request).await
}

/// Reading stops this far past the body limit; a bigger body has its connection closed.
const DRAIN_LIMIT: usize = 8 * 1024 * 1024;

/// Bodies over the limit get a 413 the client can read: the server reads (and discards) the
/// rest of the body before answering, since closing a connection with unread data makes the
/// kernel reset it, and many clients then report the reset instead of the answer.
async fn bounded_body(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let limit = app.config.body_limit_bytes;
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let too_large = || {
        let mut response = ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("The request body is limited to {limit} bytes."),
        )
        .into_response();
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    };
    if declared.is_some_and(|n| n > DRAIN_LIMIT) {
        return too_large();
    }
    // A client that sends its body a byte a minute would hold a task and a connection
    // forever: the body, like the headers, has a deadline.
    let deadline = Duration::from_secs(app.config.header_read_timeout_secs);
    let read = tokio::time::timeout(deadline, read_bounded(body, limit)).await;
    let (kept, seen) = match read {
        Ok(Ok(read)) => read,
        Ok(Err(())) => {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                "body_unreadable",
                "The request body could not be read.",
            )
            .into_response();
        }
        Err(_) => {
            let mut response = ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                format!("The request body did not arrive within {deadline:?}."),
            )
            .into_response();
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return response;
        }
    };
    if seen > limit {
        return too_large();
    }
    next.run(Request::from_parts(parts, Body::from(kept))).await
}

/// Reads the body, keeping the first `limit` bytes and discarding the rest up to
/// [`DRAIN_LIMIT`]; returns what was kept and how many bytes were seen.
async fn read_bounded(mut body: Body, limit: usize) -> Result<(Vec<u8>, usize), ()> {
    let mut kept: Vec<u8> = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| ())?;
        if let Ok(data) = frame.into_data() {
            seen += data.len();
            if seen <= limit {
                kept.extend_from_slice(&data);
            } else if seen > DRAIN_LIMIT {
                break;
            }
        }
    }
    Ok((kept, seen))
}
