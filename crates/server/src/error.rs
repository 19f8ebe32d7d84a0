//! API errors: every one is `{"error": {"code": "...", "message": "..."}}` with its status,
//! and is logged. Nothing internal (and never a token) reaches the message.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after_secs: None,
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn session_not_found() -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "session_not_found",
            "No such session.",
        )
    }

    /// The SMS webhooks when Twilio is not configured.
    pub fn sms_disabled() -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "sms_not_configured",
            "Text messages are not set up on this server (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN).",
        )
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        ApiError {
            retry_after_secs: Some(retry_after_secs.max(1)),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many messages; please slow down.",
            )
        }
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side. Please try again.",
        )
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let status = rejection.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
            _ => "malformed_json",
        };
        let message = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "The request body is too large.".to_string(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                "Send JSON with Content-Type: application/json.".to_string()
            }
            _ => rejection.body_text(),
        };
        ApiError::new(status, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(
                status = self.status.as_u16(),
                code = self.code,
                "request failed"
            );
        } else {
            tracing::info!(
                status = self.status.as_u16(),
                code = self.code,
                "request refused"
            );
        }
        metrics::counter!("http_errors_total", "code" => self.code).increment(1);
        let mut response = (
            self.status,
            Json(json!({"error": {"code": self.code, "message": self.message}})),
        )
            .into_response();
        if let Some(secs) = self.retry_after_secs
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}
