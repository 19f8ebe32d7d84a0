//! `POST /api/chat`, and the streaming variants the page uses (server-sent events).

use std::convert::Infallible;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, Sse};
use futures_util::stream::{self, Stream};

use crate::App;
use crate::conversation::{ChatRequest, ChatResponse};
use crate::error::ApiError;

pub async fn post(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Json<ChatRequest>, JsonRejection>,
) -> Result<Json<ChatResponse>, ApiError> {
    let identity = app.auth.identify(&headers).await?;
    let Json(request) = body?;
    Ok(Json(app.chat(&identity, request, "web").await?))
}

pub async fn stream_post(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Json<ChatRequest>, JsonRejection>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let identity = app.auth.identify(&headers).await?;
    let Json(request) = body?;
    let response = app.chat(&identity, request, "web").await?;
    Ok(events(response))
}

pub async fn stream_get(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    query: Result<Query<ChatRequest>, QueryRejection>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let identity = app.auth.identify(&headers).await?;
    let Query(request) = query.map_err(|rejection| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("Send the message as ?message=… ({})", rejection.body_text()),
        )
    })?;
    let response = app.chat(&identity, request, "web").await?;
    Ok(events(response))
}

/// `session` (the id), then the text in `delta` pieces of a few words, then `done` with the
/// whole response (quick replies, links, metadata).
fn events(response: ChatResponse) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut list = vec![
        Event::default()
            .event("session")
            .data(response.session_id.clone()),
    ];
    let words: Vec<&str> = response.response.split_inclusive(' ').collect();
    for chunk in words.chunks(4) {
        let piece: String = chunk.concat();
        list.push(
            Event::default()
                .event("delta")
                .json_data(&piece)
                .unwrap_or_else(|_| Event::default()),
        );
    }
    list.push(
        Event::default()
            .event("done")
            .json_data(&response)
            .unwrap_or_else(|_| Event::default()),
    );
    Sse::new(stream::iter(list.into_iter().map(Ok)))
}
