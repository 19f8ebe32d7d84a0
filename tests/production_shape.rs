//! The service in its production shape, as processes: JWT auth, `USE_MOCK_API=false` against a
//! standalone `mock-pf360 --jwt-secret`, SQLite on disk. A booking over HTTP, a retried message
//! that books nothing more, transcripts private to their customer, metrics exposed, no token
//! in the logs (even at debug level), and transcripts surviving a restart.

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use support::{BIN, SECRET, chat, jwt, start};

fn serve(mock: &str, dir: &std::path::Path, log: &std::path::Path) -> (support::Process, String) {
    support::serve(mock, dir, log, &[])
}

#[tokio::test]
async fn the_production_shape_books_privately_and_survives_a_restart() {
    let dir: PathBuf = std::env::temp_dir().join(format!("sa-prod-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("serve.log");
    let (_mock, mock_url) = start(
        Command::new(BIN)
            .args([
                "mock-pf360",
                "--addr",
                "127.0.0.1:0",
                "--jwt-secret",
                SECRET,
            ])
            .stderr(Stdio::null()),
    );
    let (server, base) = serve(&mock_url, &dir, &log);
    let http = reqwest::Client::new();
    let maria = jwt("1645975");
    let james = jwt("2231407");

    // No token, no service.
    let r = http
        .post(format!("{base}/api/chat"))
        .json(&json!({"message": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(
        http.get(format!("{base}/api/config"))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()["demo"],
        false
    );

    // A booking over HTTP, by picks from the lists shown.
    let (status, first) = chat(
        &http,
        &base,
        &maria,
        json!({"message": "book my flooring", "client_message_id": "p-1"}),
    )
    .await;
    assert_eq!(status, 200, "{first}");
    let session = first["session_id"].as_str().unwrap().to_string();
    for (n, message) in ["the first one", "the first one"].iter().enumerate() {
        let (status, body) = chat(&http, &base, &maria, json!({"message": message, "session_id": session, "client_message_id": format!("p-{}", n + 2)})).await;
        assert_eq!(status, 200, "{body}");
    }
    let yes = json!({"message": "yes", "session_id": session, "client_message_id": "p-yes"});
    let (_, booked) = chat(&http, &base, &maria, yes.clone()).await;
    assert!(
        booked["response"].as_str().unwrap().contains("all set"),
        "{booked}"
    );
    // The retry of the same message books nothing more.
    let (_, again) = chat(&http, &base, &maria, yes).await;
    assert_eq!(again["metadata"]["replayed"], true);
    let writes: Vec<Value> = http
        .get(format!("{mock_url}/__mock/writes"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(writes.len(), 1, "{writes:?}");

    // Transcripts are private to their customer.
    let r = http
        .get(format!("{base}/api/sessions/{session}/messages"))
        .bearer_auth(&james)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let (status, body) = chat(
        &http,
        &base,
        &james,
        json!({"message": "hi", "session_id": session}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("session_not_found"))
    );

    // Metrics are exposed.
    let metrics = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("chat_turns_total") && metrics.contains("pf360_calls_total"),
        "{metrics}"
    );

    // A restart (SIGTERM, then start again on the same database) keeps the transcript.
    let pid = server.0.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    drop(server);
    let (_server, base) = serve(&mock_url, &dir, &log);
    let r = http
        .get(format!("{base}/api/sessions/{session}/messages"))
        .bearer_auth(&maria)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let transcript: Value = r.json().await.unwrap();
    assert_eq!(
        transcript["messages"].as_array().unwrap().len(),
        8,
        "{transcript}"
    );

    // No token in the logs, even at debug level.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let logs = std::fs::read_to_string(&log).unwrap();
    assert!(logs.contains("turn"), "nothing was logged");
    for token in [&maria, &james] {
        assert!(!logs.contains(token.as_str()), "a token reached the logs");
    }
    assert!(!logs.contains(SECRET), "the secret reached the logs");
    let _ = std::fs::remove_dir_all(&dir);
}
