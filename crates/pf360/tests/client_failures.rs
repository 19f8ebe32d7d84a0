//! The client against servers that misbehave: hangs, 5xx, 429, garbage, 401, refused
//! connections. Reads retry what is worth retrying; writes are never sent twice.

mod common;

use std::time::Duration;

use common::*;
use pf360::{Pf360Error, RequestId};
use wiremock::matchers::{body_json, header, method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const DASHBOARD: &str = "/dashboard/get/09PF05VD/1645975";
const CONFIRM: &str = "/scheduler/client/09PF05VD/project/90000149/schedule";

fn ok_dashboard() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": [
        {"project_project_id": "90000149", "status_info_status": "Ready to Schedule"}
    ]}))
}

fn base(server: &MockServer) -> url::Url {
    url::Url::parse(&server.uri()).unwrap()
}

async fn requests_to(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn every_call_carries_the_contract_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(DASHBOARD))
        .and(header("authorization", "Bearer demo-token-1645975"))
        .and(header("client_id", "09PF05VD"))
        .and(header("content-type", "application/json"))
        .respond_with(ok_dashboard())
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(base(&server), |_| {});
    assert_eq!(client.projects(&maria()).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_hanging_read_times_out_after_three_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_dashboard().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = client_for(base(&server), |c| c.timeout = Duration::from_millis(150));
    let err = client.projects(&maria()).await.unwrap_err();
    assert!(matches!(err, Pf360Error::Timeout(_)), "{err}");
    assert_eq!(requests_to(&server).await, 3);
    assert!(err.customer_message().contains("try again"));
}

#[tokio::test]
async fn a_read_recovers_from_a_500() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(serde_json::json!({"message": "db down"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ok_dashboard())
        .mount(&server)
        .await;
    let client = client_for(base(&server), |_| {});
    assert_eq!(client.projects(&maria()).await.unwrap().len(), 1);
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn a_read_waits_out_a_429_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ok_dashboard())
        .mount(&server)
        .await;
    let client = client_for(base(&server), |_| {});
    assert_eq!(client.projects(&maria()).await.unwrap().len(), 1);
    assert_eq!(requests_to(&server).await, 3);
}

#[tokio::test]
async fn persistent_rate_limiting_gives_up_after_three_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let client = client_for(base(&server), |_| {});
    let err = client.business_hours(&maria()).await.unwrap_err();
    assert!(
        matches!(err, Pf360Error::RateLimited { retry_after: Some(d) } if d.is_zero()),
        "{err}"
    );
    assert_eq!(requests_to(&server).await, 3);
}

#[tokio::test]
async fn persistent_5xx_is_a_server_error_after_three_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream unavailable"))
        .mount(&server)
        .await;
    let client = client_for(base(&server), |_| {});
    let err = client.projects(&maria()).await.unwrap_err();
    assert!(
        matches!(err, Pf360Error::Server { status: 503, ref message } if message == "upstream unavailable"),
        "{err}"
    );
    assert_eq!(requests_to(&server).await, 3);
}

#[tokio::test]
async fn garbage_json_is_a_decode_error_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"data\": [oops"))
        .mount(&server)
        .await;
    let client = client_for(base(&server), |_| {});
    let err = client.projects(&maria()).await.unwrap_err();
    assert!(matches!(err, Pf360Error::Decode(_)), "{err}");
    assert_eq!(requests_to(&server).await, 1);
}

#[tokio::test]
async fn client_errors_are_typed_and_never_retried() {
    for (status, check) in [
        (
            401,
            (|e: &Pf360Error| matches!(e, Pf360Error::Unauthorized(m) if m == "token expired"))
                as fn(&Pf360Error) -> bool,
        ),
        (403, |e| matches!(e, Pf360Error::Forbidden(_))),
        (404, |e| matches!(e, Pf360Error::NotFound(_))),
        (
            422,
            |e| matches!(e, Pf360Error::Invalid(m) if m.contains("token expired")),
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(serde_json::json!({"message": "token expired"})),
            )
            .mount(&server)
            .await;
        let client = client_for(base(&server), |_| {});
        let err = client.projects(&maria()).await.unwrap_err();
        assert!(check(&err), "{status}: {err}");
        assert_eq!(requests_to(&server).await, 1, "{status} was retried");
    }
}

#[tokio::test]
async fn slots_send_the_request_id_as_a_query_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex(
            r"/project/90000149/date/2025-10-21/selected/2025-10-21/get-rescheduler-slots$",
        ))
        .and(query_param("request_id", "req_abc"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"data": {"slots": ["08:00", "13:30"]}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(base(&server), |_| {});
    let slots = client
        .time_slots(
            &maria(),
            FLOORING,
            date("2025-10-21"),
            &RequestId("req_abc".into()),
        )
        .await
        .unwrap();
    assert_eq!(slots, [time("08:00"), time("13:30")]);
}

#[tokio::test]
async fn a_confirm_that_fails_with_500_is_not_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CONFIRM))
        .and(body_json(serde_json::json!({
            "created_at": "10-20-2025 18:45:00", "date": "2025-10-28", "time": "10:00",
            "request_id": "req_abc", "is_chatbot": "true"
        })))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let client = client_for(base(&server), |_| {});
    let err = client
        .confirm(
            &maria(),
            FLOORING,
            date("2025-10-28"),
            time("10:00"),
            &RequestId("req_abc".into()),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Pf360Error::Server { status: 500, .. }),
        "{err}"
    );
    assert_eq!(requests_to(&server).await, 1);
}

#[tokio::test]
async fn a_confirm_whose_answer_never_comes_is_not_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = client_for(base(&server), |c| c.timeout = Duration::from_millis(150));
    let err = client
        .confirm(
            &maria(),
            FLOORING,
            date("2025-10-28"),
            time("10:00"),
            &RequestId("req_abc".into()),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Pf360Error::Timeout(_)), "{err}");
    assert_eq!(requests_to(&server).await, 1);
}

#[tokio::test]
async fn cancel_and_notes_are_not_retried_either() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let client = client_for(base(&server), |_| {});
    assert!(client.cancel(&maria(), WINDOWS).await.is_err());
    assert!(client.add_note(&maria(), FLOORING, "hi").await.is_err());
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn a_409_on_confirm_is_a_conflict_with_the_servers_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(409)
                .set_body_json(serde_json::json!({"message": "Slot no longer available"})),
        )
        .mount(&server)
        .await;
    let client = client_for(base(&server), |_| {});
    let err = client
        .confirm(
            &maria(),
            FLOORING,
            date("2025-10-28"),
            time("10:00"),
            &RequestId("r".into()),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Pf360Error::Conflict(ref m) if m == "Slot no longer available"),
        "{err}"
    );
}

/// A write whose connection was refused provably never left, so it may be sent again: the
/// first attempt hits a closed port, the second finds the server up and books once.
#[tokio::test]
async fn a_confirm_whose_connection_was_refused_is_retried_and_books_once() {
    let reserved = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = reserved.local_addr().unwrap();
    drop(reserved);
    let client = client_for(url::Url::parse(&format!("http://{addr}")).unwrap(), |c| {
        c.retry.base_delay = Duration::from_millis(400);
        c.retry.max_delay = Duration::from_millis(800);
    });
    let (started_tx, started_rx) = tokio::sync::oneshot::channel();
    let server_task = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let listener = std::net::TcpListener::bind(addr).unwrap();
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "message": "Appointment scheduled successfully", "status": "success"})))
            .mount(&server)
            .await;
        let _ = started_tx.send(());
        server
    });
    let outcome = client
        .confirm(
            &maria(),
            FLOORING,
            date("2025-10-28"),
            time("10:00"),
            &RequestId("r".into()),
        )
        .await;
    let _ = started_rx.await;
    let server = server_task.await.unwrap();
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(requests_to(&server).await, 1);
}

#[tokio::test]
async fn an_unreachable_server_is_a_network_error() {
    let reserved = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = reserved.local_addr().unwrap();
    drop(reserved);
    let client = client_for(url::Url::parse(&format!("http://{addr}")).unwrap(), |_| {});
    let err = client.projects(&maria()).await.unwrap_err();
    assert!(matches!(err, Pf360Error::Network(_)), "{err}");
}
