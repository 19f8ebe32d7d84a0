//! What the process-level tests share: starting the binary, JWTs, a chat call, and a
//! fault-injecting proxy to put between `serve` and the PF360 mock.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub const BIN: &str = env!("CARGO_BIN_EXE_scheduling-agent");
pub const SECRET: &str = "production-shape-secret";

/// A child process, killed when dropped.
pub struct Process(pub Child);

impl Process {
    /// SIGKILL: no cleanup, no graceful shutdown, as a crash.
    pub fn kill_9(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill_9();
    }
}

/// Starts a command and reads the `http://…` address it prints first.
pub fn start(command: &mut Command) -> (Process, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    std::thread::spawn(move || for _ in reader.lines() {});
    (Process(child), url)
}

/// The standalone mock PF360, accepting JWTs signed with [`SECRET`].
pub fn mock_pf360() -> (Process, String) {
    start(
        Command::new(BIN)
            .args([
                "mock-pf360",
                "--addr",
                "127.0.0.1:0",
                "--jwt-secret",
                SECRET,
            ])
            .stderr(Stdio::null()),
    )
}

/// `serve` in production shape: JWT auth, PF360 at `pf360`, SQLite in `dir`, logs appended
/// to `log`, and any extra environment.
pub fn serve(pf360: &str, dir: &Path, log: &Path, env: &[(&str, &str)]) -> (Process, String) {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let mut command = Command::new(BIN);
    command
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("USE_MOCK_API", "false")
        .env("CUSTOMER_SCHEDULER_BASE_API_URL", pf360)
        .env("AUTH_JWT_SECRET", SECRET)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/prod.db", dir.display()),
        )
        .env("CLIENT_TIMEZONE", "America/New_York")
        .env("RUST_LOG", "debug")
        .stderr(log);
    for (k, v) in env {
        command.env(k, v);
    }
    start(&mut command)
}

pub fn jwt(customer_id: &str) -> String {
    let claims = json!({"customer_id": customer_id, "client_id": "09PF05VD", "client_name": "brightside-home",
                        "exp": chrono::Utc::now().timestamp() + 3600});
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap()
}

pub async fn chat(http: &reqwest::Client, base: &str, token: &str, body: Value) -> (u16, Value) {
    let r = http
        .post(format!("{base}/api/chat"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// The writes the mock PF360 has received.
pub async fn mock_writes(http: &reqwest::Client, mock: &str) -> Vec<Value> {
    http.get(format!("{mock}/__mock/writes"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// What the proxy does to requests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// Forward everything.
    Pass,
    /// Every request waits this long before it is forwarded.
    Slow(Duration),
    /// Writes (POST) are forwarded after this delay, whether or not the caller still waits.
    LateWrites(Duration),
    /// Writes are forwarded and done, but the answer is held back forever: the caller never
    /// hears it (and can be killed in that gap).
    SwallowWriteAnswers,
}

struct ProxyState {
    upstream: String,
    fault: Mutex<Fault>,
    http: reqwest::Client,
    /// Writes that reached the upstream.
    forwarded_writes: tokio::sync::watch::Sender<usize>,
}

/// A proxy in front of the PF360 mock, in this test process, whose faults can be changed.
pub struct Proxy {
    pub url: String,
    state: Arc<ProxyState>,
}

impl Proxy {
    pub async fn start(upstream: &str) -> Proxy {
        let state = Arc::new(ProxyState {
            upstream: upstream.trim_end_matches('/').to_string(),
            fault: Mutex::new(Fault::Pass),
            http: reqwest::Client::new(),
            forwarded_writes: tokio::sync::watch::channel(0).0,
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .fallback(forward)
            .with_state(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Proxy { url, state }
    }

    pub fn set(&self, fault: Fault) {
        *self.state.fault.lock().unwrap() = fault;
    }

    /// Waits until `n` writes have reached PF360 through the proxy.
    pub async fn writes_forwarded(&self, n: usize) {
        let mut seen = self.state.forwarded_writes.subscribe();
        let _ = seen.wait_for(|count| *count >= n).await;
    }
}

async fn forward(
    State(state): State<Arc<ProxyState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fault = *state.fault.lock().unwrap();
    let is_write = method == Method::POST;
    let target = format!(
        "{}{}",
        state.upstream,
        uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let mut request = state.http.request(method, target).body(body);
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            request = request.header(name, value);
        }
    }
    if let Fault::Slow(delay) = fault {
        tokio::time::sleep(delay).await;
    }
    // Sent from a task of its own: a write goes through even if the caller gave up.
    let sender = state.clone();
    let sent = tokio::spawn(async move {
        if let (Fault::LateWrites(delay), true) = (fault, is_write) {
            tokio::time::sleep(delay).await;
        }
        let response = request.send().await;
        if is_write {
            sender.forwarded_writes.send_modify(|n| *n += 1);
        }
        let response = response.ok()?;
        let status = response.status().as_u16();
        let body = response.bytes().await.ok()?;
        Some((status, body))
    });
    let Ok(Some((status, body))) = sent.await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    if fault == Fault::SwallowWriteAnswers && is_write {
        std::future::pending::<()>().await;
    }
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
        [("content-type", "application/json")],
        body,
    )
        .into_response()
}
