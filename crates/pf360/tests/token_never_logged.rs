//! The customer's token never reaches a log line or an error text.
//!
//! This test has a binary of its own: tracing caches per call site whether anyone listens, and
//! tests running beside it without a subscriber would make it miss events.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use pf360::RequestId;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn ok_dashboard() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": [
        {"project_project_id": "90000149", "status_info_status": "Ready to Schedule"}
    ]}))
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything logged at every level, by us and by the HTTP stack, through successes and every
/// kind of failure: the token never appears, nor in any error's text.
#[tokio::test]
async fn the_token_never_reaches_a_log_or_an_error() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ok_dashboard())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(serde_json::json!({"message": "bad token"})),
        )
        .mount(&server)
        .await;
    let secret = "s3cr3t-token-value-XYZ";
    let me = caller(MARIA, secret);
    let client = client_for(url::Url::parse(&server.uri()).unwrap(), |_| {});
    client.projects(&me).await.unwrap();
    let err = client
        .confirm(
            &me,
            FLOORING,
            date("2025-10-28"),
            time("10:00"),
            &RequestId("r".into()),
        )
        .await
        .unwrap_err();
    let texts = format!("{err} {err:?} {} {me:?}", err.customer_message());
    assert!(!texts.contains(secret), "{texts}");

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("pf360 call failed"),
        "nothing was logged: {logs}"
    );
    assert!(!logs.contains(secret), "token leaked into logs");
}
