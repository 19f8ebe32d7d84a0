//! Spawns the real service on a random port: temporary SQLite file, pinned clock, the
//! built-in mock PF360 in-process.

#![allow(dead_code)]

use std::sync::Arc;

use pf360::FixedClock;
use serde_json::{Value, json};
use server::{App, Config};

pub const SECRET: &str = "test-secret-for-hs256";

pub struct Running {
    pub base: String,
    pub app: Arc<App>,
    pub clock: Arc<FixedClock>,
    pub http: reqwest::Client,
    _server: tokio::task::JoinHandle<()>,
}

/// Monday 2025-11-03, 10:00 in New York.
pub fn monday() -> chrono::DateTime<chrono::Utc> {
    "2025-11-03T15:00:00Z".parse().unwrap()
}

pub async fn start(tweak: impl FnOnce(&mut Config)) -> Running {
    let mut config = Config::default();
    let dir = std::env::temp_dir().join(format!("sa-server-{}", store::new_id()));
    config.database_url = format!("sqlite://{}/test.db", dir.display());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tweak(&mut config);
    // What Twilio is told to call (and signs) is where the server listens.
    if config.sms.public_base_url.is_none() {
        config.sms.public_base_url = Some(base.clone());
    }
    let clock = Arc::new(FixedClock::new(monday()));
    let app = App::build(config, clock.clone()).await.unwrap();
    let served = app.clone();
    let server = tokio::spawn(async move {
        server::serve(served, listener, std::future::pending())
            .await
            .unwrap();
    });
    Running {
        base,
        app,
        clock,
        http: reqwest::Client::new(),
        _server: server,
    }
}

impl Running {
    pub async fn post(
        &self,
        path: &str,
        body: Value,
        token: Option<&str>,
    ) -> (u16, Value, reqwest::header::HeaderMap) {
        let mut request = self.http.post(format!("{}{path}", self.base)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
            headers,
        )
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// A chat message; returns (status, body).
    pub async fn chat(
        &self,
        message: &str,
        session: Option<&str>,
        id: Option<&str>,
        token: Option<&str>,
    ) -> (u16, Value) {
        let mut body = json!({"message": message});
        if let Some(s) = session {
            body["session_id"] = json!(s);
        }
        if let Some(i) = id {
            body["client_message_id"] = json!(i);
        }
        let (status, value, _) = self.post("/api/chat", body, token).await;
        (status, value)
    }

    /// The mock PF360's writes.
    pub async fn writes(&self) -> Vec<Value> {
        let url = self.app.mock_url().unwrap().join("__mock/writes").unwrap();
        self.http
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

/// An HS256 JWT for a customer, expiring `exp_in` seconds from the real now.
pub fn jwt(customer_id: &str, exp_in: i64, secret: &str) -> String {
    let claims = json!({
        "customer_id": customer_id,
        "client_id": "09PF05VD",
        "client_name": "brightside-home",
        "exp": chrono::Utc::now().timestamp() + exp_in,
    });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

pub fn assert_error(status: u16, body: &Value, want_status: u16, want_code: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["error"]["code"], want_code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}
