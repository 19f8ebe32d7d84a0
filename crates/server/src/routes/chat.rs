//! `POST /api/chat`, and the streaming variants the page uses (server-sent events).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, Sse};
use futures_util::stream::{self, Stream};

use crate::App;
use crate::conversation::{ChatRequest, ChatResponse};
use crate::error::ApiError;

pub async fn post(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<ChatRequest>, JsonRejection>,
) -> Result<Json<ChatResponse>, ApiError> {
    app.limits.check_ip(peer.ip())?;
    let identity = app.auth.identify(&headers).await?;
    let Json(request) = body?;
    Ok(Json(app.chat(&identity, request, "web").await?))
}

pub async fn stream_post(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<ChatRequest>, JsonRejection>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    app.limits.check_ip(peer.ip())?;
    let identity = app.auth.identify(&headers).await?;
    let Json(request) = body?;
    let response = app.chat(&identity, request, "web").await?;
    Ok(events(response))
}

pub async fn stream_get(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(request): Query<ChatRequest>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    app.limits.check_ip(peer.ip())?;
    let identity = app.auth.identify(&headers).await?;
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
