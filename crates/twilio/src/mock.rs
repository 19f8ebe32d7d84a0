//! A stand-in for Twilio, over real HTTP: the Messages API (basic auth checked, every text
//! recorded, delivery statuses posted signed to the `StatusCallback`), and the other direction
//! — an inbound text posted to a webhook exactly as Twilio posts it, signed with the account's
//! auth token ([`Phone`]).
//!
//! `GET /__mock/messages` lists what was sent; `POST /__mock/inbound` (JSON `{"url", "from",
//! "to", "body"}`) texts a webhook and answers what the phone received.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use url::Url;

use crate::{signature, twiml};

/// A text the mock accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    pub sid: String,
    pub to: String,
    /// The number, or the Messaging Service SID.
    pub from: String,
    pub body: String,
    /// The last status posted back.
    pub status: String,
}

#[derive(Debug, Clone)]
pub struct MockTwilioConfig {
    pub account_sid: String,
    pub auth_token: String,
    /// Texts to these numbers end `undelivered` (error 30003) instead of `delivered`.
    pub undeliverable: Vec<String>,
}

struct MockState {
    config: MockTwilioConfig,
    sent: Mutex<Vec<Sent>>,
    /// How long the API takes to answer after it has accepted a text (a slow network, or a
    /// sender that dies waiting).
    delay: Mutex<std::time::Duration>,
    http: reqwest::Client,
}

impl MockState {
    fn sent(&self) -> std::sync::MutexGuard<'_, Vec<Sent>> {
        self.sent.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running mock; stops when dropped.
pub struct MockTwilio {
    addr: SocketAddr,
    state: Arc<MockState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl MockTwilio {
    /// Binds `addr` (port 0 for any free port) and serves in the background.
    pub async fn start(config: MockTwilioConfig, addr: SocketAddr) -> std::io::Result<MockTwilio> {
        let state = Arc::new(MockState {
            config,
            sent: Mutex::new(Vec::new()),
            delay: Mutex::new(std::time::Duration::ZERO),
            http: reqwest::Client::new(),
        });
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "mock Twilio stopped");
            }
        });
        Ok(MockTwilio {
            addr,
            state,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// The base URL to give the client (`TWILIO_API_BASE_URL`).
    pub fn url(&self) -> Url {
        Url::parse(&format!("http://{}", self.addr)).expect("a socket address makes a valid URL")
    }

    /// Every text sent through the API so far.
    pub fn sent(&self) -> Vec<Sent> {
        self.state.sent().clone()
    }

    /// From now on, answer each text this long after accepting it.
    pub fn set_delay(&self, delay: std::time::Duration) {
        *self.state.delay.lock().unwrap_or_else(|p| p.into_inner()) = delay;
    }

    /// Stops accepting, finishes what is in flight, and waits for the server task.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockTwilio {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn router(state: Arc<MockState>) -> Router {
    Router::new()
        .route(
            "/2010-04-01/Accounts/{account_sid}/Messages.json",
            post(create_message),
        )
        .route("/__mock/messages", get(list_messages))
        .route("/__mock/inbound", post(inbound))
        .with_state(state)
}

fn twilio_error(status: StatusCode, code: i64, message: &str) -> Response {
    (
        status,
        Json(
            json!({"code": code, "message": message, "status": status.as_u16(),
                    "more_info": format!("https://www.twilio.com/docs/errors/{code}")}),
        ),
    )
        .into_response()
}

/// Whether the request carries the account's basic credentials.
fn authorised(config: &MockTwilioConfig, headers: &HeaderMap) -> bool {
    let expected = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", config.account_sid, config.auth_token));
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .is_some_and(|given| given.trim() == expected)
}

async fn create_message(
    State(state): State<Arc<MockState>>,
    Path(account_sid): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !authorised(&state.config, &headers) || account_sid != state.config.account_sid {
        return twilio_error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let (Some(to), Some(text)) = (field("To"), field("Body")) else {
        return twilio_error(
            StatusCode::BAD_REQUEST,
            21604,
            "A 'To' phone number and a 'Body' are required.",
        );
    };
    let Some(from) = field("From").or_else(|| field("MessagingServiceSid")) else {
        return twilio_error(
            StatusCode::BAD_REQUEST,
            21603,
            "A 'From' phone number or 'MessagingServiceSid' is required.",
        );
    };
    let sid = format!("SM{}", hex32());
    state.sent().push(Sent {
        sid: sid.clone(),
        to: to.clone(),
        from: from.clone(),
        body: text.clone(),
        status: "queued".into(),
    });
    if let Some(callback) = field("StatusCallback") {
        let final_status = if state.config.undeliverable.contains(&to) {
            "undelivered"
        } else {
            "delivered"
        };
        tokio::spawn(post_statuses(
            state.clone(),
            callback,
            sid.clone(),
            to.clone(),
            from.clone(),
            final_status,
        ));
    }
    let delay = *state.delay.lock().unwrap_or_else(|p| p.into_inner());
    tokio::time::sleep(delay).await;
    (
        StatusCode::CREATED,
        Json(json!({
            "sid": sid, "account_sid": state.config.account_sid, "to": to, "from": from,
            "body": text, "status": "queued", "num_segments": crate::segments::count(&text).segments.to_string(),
            "api_version": "2010-04-01", "direction": "outbound-api"
        })),
    )
        .into_response()
}

/// `sent`, then `delivered` (or `undelivered`), each posted signed as Twilio does.
async fn post_statuses(
    state: Arc<MockState>,
    callback: String,
    sid: String,
    to: String,
    from: String,
    final_status: &'static str,
) {
    for status in ["sent", final_status] {
        let mut params = vec![
            ("AccountSid".to_string(), state.config.account_sid.clone()),
            ("MessageSid".to_string(), sid.clone()),
            ("SmsSid".to_string(), sid.clone()),
            ("MessageStatus".to_string(), status.to_string()),
            ("SmsStatus".to_string(), status.to_string()),
            ("To".to_string(), to.clone()),
            ("From".to_string(), from.clone()),
            ("ApiVersion".to_string(), "2010-04-01".to_string()),
        ];
        if status == "undelivered" {
            params.push(("ErrorCode".to_string(), "30003".to_string()));
        }
        let signed = signature::sign(&state.config.auth_token, &callback, &params);
        let posted = state
            .http
            .post(&callback)
            .header("X-Twilio-Signature", signed)
            .form(&params)
            .send()
            .await;
        if let Err(error) = posted {
            tracing::warn!(%error, "mock Twilio: status callback failed");
        }
        if let Some(sent) = state.sent().iter_mut().find(|m| m.sid == sid) {
            sent.status = status.to_string();
        }
    }
}

async fn list_messages(State(state): State<Arc<MockState>>) -> Json<Vec<Sent>> {
    Json(state.sent().clone())
}

#[derive(Deserialize)]
struct InboundRequest {
    url: String,
    from: String,
    to: String,
    body: String,
}

async fn inbound(
    State(state): State<Arc<MockState>>,
    Json(request): Json<InboundRequest>,
) -> Response {
    let phone = Phone {
        http: state.http.clone(),
        account_sid: state.config.account_sid.clone(),
        auth_token: state.config.auth_token.clone(),
        webhook: request.url,
        from: request.from,
        to: request.to,
    };
    match phone.text(&request.body, None).await {
        Ok(answer) => Json(json!({
            "status": answer.status, "message_sid": answer.message_sid,
            "messages": answer.messages, "twiml": answer.twiml
        }))
        .into_response(),
        Err(e) => twilio_error(StatusCode::BAD_GATEWAY, 11200, &e.to_string()),
    }
}

/// 32 random hex digits, as in Twilio's SIDs.
pub fn hex32() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A customer's phone as Twilio relays it: each text becomes a signed webhook POST.
#[derive(Clone)]
pub struct Phone {
    pub http: reqwest::Client,
    pub account_sid: String,
    pub auth_token: String,
    /// The webhook's public URL (what is signed).
    pub webhook: String,
    pub from: String,
    pub to: String,
}

/// What the webhook answered.
#[derive(Debug, Clone)]
pub struct WebhookAnswer {
    pub status: u16,
    pub message_sid: String,
    pub twiml: String,
    /// The texts of the TwiML answer (the phone receives these now).
    pub messages: Vec<String>,
}

impl Phone {
    /// Posts `body` as Twilio would, with a new `MessageSid` unless one is given (a retry).
    pub async fn text(
        &self,
        body: &str,
        message_sid: Option<&str>,
    ) -> Result<WebhookAnswer, reqwest::Error> {
        let sid = message_sid.map_or_else(|| format!("SM{}", hex32()), str::to_string);
        let params = self.params(body, &sid);
        let signed = signature::sign(&self.auth_token, &self.webhook, &params);
        self.post(&params, &signed, sid).await
    }

    /// Posts `body` with a signature of the caller's choosing (forgeries, in tests).
    pub async fn text_signed(
        &self,
        body: &str,
        signature: &str,
    ) -> Result<WebhookAnswer, reqwest::Error> {
        let sid = format!("SM{}", hex32());
        let params = self.params(body, &sid);
        self.post(&params, signature, sid).await
    }

    fn params(&self, body: &str, sid: &str) -> Vec<(String, String)> {
        let segments = crate::segments::count(body).segments.max(1);
        [
            ("ToCountry", "US"),
            ("SmsMessageSid", sid),
            ("NumMedia", "0"),
            ("SmsSid", sid),
            ("SmsStatus", "received"),
            ("Body", body),
            ("To", &self.to),
            ("NumSegments", &segments.to_string()),
            ("MessageSid", sid),
            ("AccountSid", &self.account_sid),
            ("From", &self.from),
            ("ApiVersion", "2010-04-01"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    async fn post(
        &self,
        params: &[(String, String)],
        signature: &str,
        message_sid: String,
    ) -> Result<WebhookAnswer, reqwest::Error> {
        let response = self
            .http
            .post(&self.webhook)
            .header("X-Twilio-Signature", signature)
            .form(params)
            .send()
            .await?;
        let status = response.status().as_u16();
        let twiml = response.text().await?;
        Ok(WebhookAnswer {
            status,
            message_sid,
            messages: twiml::messages(&twiml),
            twiml,
        })
    }
}
