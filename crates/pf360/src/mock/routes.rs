//! The mock's HTTP surface: the seven PF360 endpoints and the `/__mock` test controls.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Value, json};

use super::MockState;
use super::auth::{authenticate, ensure_customer};
use super::world::Refusal;
use crate::models::{ConfirmRequest, NoteRequest};

type Answer = Result<axum::Json<Value>, Refusal>;

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(json!({ "message": self.message }))).into_response()
    }
}

pub fn router(state: Arc<MockState>) -> Router {
    Router::new()
        .route("/dashboard/get/{client_id}/{customer_id}", get(dashboard))
        .route("/scheduler/client/{client_id}/business-hours", get(business_hours))
        .route(
            "/scheduler/client/{client_id}/project/{project_id}/date/{date}/selected/{selected}/get-rescheduler-slots",
            get(dates_or_slots),
        )
        .route("/scheduler/client/{client_id}/project/{project_id}/schedule", post(confirm))
        .route(
            "/scheduler/client/{client_id}/project/{project_id}/cancel-reschedule",
            get(cancel),
        )
        .route("/project-notes/add/{client_id}/{project_id}", post(add_note))
        .route("/__mock/writes", get(writes))
        .route("/__mock/reset", post(reset))
        .route("/__mock/clock", put(set_clock).get(get_clock))
        .fallback(|| async { Refusal { status: 404, message: "Not found".into() } })
        .with_state(state)
}

async fn dashboard(
    State(state): State<Arc<MockState>>,
    Path((client_id, customer_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let world = state.world();
    let identity = authenticate(&world, state.jwt_key.as_ref(), &headers, &client_id)?;
    ensure_customer(&world, &identity, &customer_id)?;
    world.dashboard(&client_id, &customer_id).map(axum::Json)
}

async fn business_hours(
    State(state): State<Arc<MockState>>,
    Path(client_id): Path<String>,
    headers: HeaderMap,
) -> Answer {
    let world = state.world();
    authenticate(&world, state.jwt_key.as_ref(), &headers, &client_id)?;
    world.business_hours(&client_id).map(axum::Json)
}

/// Calls 3 and 4 share a path: without `request_id` it offers dates and opens a request, with
/// it it lists the slots of `{date}`.
async fn dates_or_slots(
    State(state): State<Arc<MockState>>,
    Path((client_id, project_id, date, _selected)): Path<(String, String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    let now = state.now();
    let mut world = state.world();
    let identity = authenticate(&world, state.jwt_key.as_ref(), &headers, &client_id)?;
    let customer_id = identity.acting_for(&world, &project_id)?;
    match query.get("request_id") {
        None => world.open_request(&client_id, &customer_id, &project_id, now),
        Some(request_id) => world.slots(
            &client_id,
            &customer_id,
            &project_id,
            &date,
            request_id,
            now,
        ),
    }
    .map(axum::Json)
}

async fn confirm(
    State(state): State<Arc<MockState>>,
    Path((client_id, project_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let now = state.now();
    let mut world = state.world();
    let identity = authenticate(&world, state.jwt_key.as_ref(), &headers, &client_id)?;
    let body: ConfirmRequest = parse_body(&body)?;
    let customer_id = identity.acting_for(&world, &project_id)?;
    world
        .confirm(&client_id, &customer_id, &project_id, &body, now)
        .map(axum::Json)
}

async fn cancel(
    State(state): State<Arc<MockState>>,
    Path((client_id, project_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let now = state.now();
    let mut world = state.world();
    let identity = authenticate(&world, state.jwt_key.as_ref(), &headers, &client_id)?;
    let customer_id = identity.acting_for(&world, &project_id)?;
    world
        .cancel(&client_id, &customer_id, &project_id, now)
        .map(axum::Json)
}

async fn add_note(
    State(state): State<Arc<MockState>>,
    Path((client_id, project_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let now = state.now();
    let mut world = state.world();
    let identity = authenticate(&world, state.jwt_key.as_ref(), &headers, &client_id)?;
    let body: NoteRequest = parse_body(&body)?;
    let customer_id = identity.acting_for(&world, &project_id)?;
    world
        .add_note(&client_id, &customer_id, &project_id, &body.note_text, now)
        .map(axum::Json)
}

/// 400 for a body that is not JSON, 422 for JSON of the wrong shape.
fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    let value: Value = serde_json::from_slice(body).map_err(|e| Refusal {
        status: 400,
        message: format!("Request body is not valid JSON: {e}"),
    })?;
    serde_json::from_value(value).map_err(|e| Refusal {
        status: 422,
        message: format!("Invalid request body: {e}"),
    })
}

async fn writes(State(state): State<Arc<MockState>>) -> axum::Json<Value> {
    axum::Json(json!(state.world().writes()))
}

async fn reset(State(state): State<Arc<MockState>>) -> axum::Json<Value> {
    state.reset();
    axum::Json(json!({ "message": "Mock reset to its fixture" }))
}

#[derive(serde::Deserialize)]
struct ClockBody {
    now: String,
}

async fn set_clock(State(state): State<Arc<MockState>>, body: Bytes) -> Answer {
    let body: ClockBody = parse_body(&body)?;
    state.set_now(&body.now).map_err(|message| Refusal {
        status: 422,
        message,
    })?;
    Ok(axum::Json(json!({ "now": state.local_now() })))
}

async fn get_clock(State(state): State<Arc<MockState>>) -> axum::Json<Value> {
    axum::Json(json!({ "now": state.local_now() }))
}
