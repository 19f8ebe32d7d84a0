//! Twilio's webhooks: `POST /channels/twilio/sms` (an inbound text, answered with TwiML) and
//! `POST /channels/twilio/status` (a delivery status). Both are form-encoded and signed; an
//! unsigned or forged request is refused with 403, logged and counted, and does nothing.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::App;
use crate::error::ApiError;
use crate::sms::Inbound;

pub const SMS_PATH: &str = "/channels/twilio/sms";
pub const STATUS_PATH: &str = "/channels/twilio/status";

/// The form's parameters, once its signature is checked.
fn signed_params(
    app: &App,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Vec<(String, String)>, ApiError> {
    let sms = app.sms.as_ref().ok_or_else(ApiError::sms_disabled)?;
    let params: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let signature = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !sms.verify(path, &params, signature) {
        metrics::counter!("sms_signature_failures_total").increment(1);
        tracing::warn!(path, "webhook refused: bad or missing X-Twilio-Signature");
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "invalid_signature",
            "The request is not signed by Twilio for this URL.",
        ));
    }
    Ok(params)
}

fn field(params: &[(String, String)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn missing(name: &str) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "missing_parameter",
        format!("The webhook has no {name}."),
    )
}

fn xml(twiml: String) -> Response {
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], twiml).into_response()
}

pub async fn sms(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let params = signed_params(&app, SMS_PATH, &headers, &body)?;
    let text = Inbound {
        message_sid: field(&params, "MessageSid").ok_or_else(|| missing("MessageSid"))?,
        from: field(&params, "From").ok_or_else(|| missing("From"))?,
        to: field(&params, "To").unwrap_or_default(),
        body: field(&params, "Body").unwrap_or_default(),
    };
    app.sms_inbound(text).await.map(xml)
}

pub async fn status(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let params = signed_params(&app, STATUS_PATH, &headers, &body)?;
    let sid = field(&params, "MessageSid").ok_or_else(|| missing("MessageSid"))?;
    let status = field(&params, "MessageStatus").ok_or_else(|| missing("MessageStatus"))?;
    let error_code = field(&params, "ErrorCode");
    metrics::counter!("sms_delivery_status_total", "status" => status.clone()).increment(1);
    let known = app
        .store
        .update_sms_status(&sid, &status, error_code.as_deref())
        .await
        .map_err(ApiError::internal)?;
    if !known {
        tracing::warn!(message_sid = %sid, %status, "status for a text we have no record of");
    } else if matches!(status.as_str(), "failed" | "undelivered") {
        tracing::warn!(message_sid = %sid, %status, error_code = ?error_code, "text not delivered");
    }
    Ok(StatusCode::NO_CONTENT)
}
