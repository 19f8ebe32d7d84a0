//! A session and its transcript, to its own customer only; anyone else gets 404.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};

use crate::App;
use crate::error::ApiError;

async fn owned(app: &App, headers: &HeaderMap, id: &str) -> Result<store::SessionRecord, ApiError> {
    let identity = app.auth.identify(headers).await?;
    let session = app.store.session(id).await.map_err(ApiError::internal)?;
    match session {
        Some(s) if s.client_id == identity.client_id && s.customer_id == identity.customer_id => {
            Ok(s)
        }
        _ => Err(ApiError::session_not_found()),
    }
}

pub async fn session(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let s = owned(&app, &headers, &id).await?;
    let summary = app.store.summary(&s.id).await.map_err(ApiError::internal)?;
    let now = app.clock.now().timestamp_millis();
    Ok(Json(json!({
        "session_id": s.id,
        "channel": s.channel,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "expires_at": s.expires_at,
        "expired": s.expires_at < now,
        "summary": summary.map(|(outcome, appointment_made, turns)| json!({
            "outcome": outcome, "appointment_made": appointment_made, "turns": turns
        })),
    })))
}

pub async fn messages(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let s = owned(&app, &headers, &id).await?;
    let messages = app
        .store
        .messages(&s.id)
        .await
        .map_err(ApiError::internal)?;
    let messages: Vec<Value> = messages
        .into_iter()
        .map(|m| {
            json!({
                "role": m.role,
                "channel": m.channel,
                "text": m.text,
                "actions": serde_json::from_str::<Value>(&m.actions).unwrap_or(Value::Null),
                "latency_ms": m.latency_ms,
                "created_at": m.created_at,
            })
        })
        .collect();
    // The last reply's buttons and links, so a reloaded page can offer them again: the
    // recorded answer of the session's latest turn (a turn without a client message id has
    // no record, and then there is nothing to restore).
    let state: Value = serde_json::from_str(&s.state).unwrap_or(Value::Null);
    let last = app
        .store
        .responses(&s.id)
        .await
        .map_err(ApiError::internal)?
        .iter()
        .filter_map(|raw| serde_json::from_str::<Value>(raw).ok())
        .find(|r| r["turn"] == state["turn"])
        .map(|r| {
            json!({
                "turn": r["turn"],
                "quick_replies": r["quick_replies"],
                "links": r["links"],
                "appointments": r["appointments"],
            })
        });
    Ok(Json(
        json!({"session_id": s.id, "messages": messages, "last_reply": last}),
    ))
}
