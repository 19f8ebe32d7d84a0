//! A booking survives what production throws at it, as processes over real HTTP: `serve`
//! killed with SIGKILL between PF360's "booked" and saving the turn; a PF360 so slow that a
//! turn outlives the session lease; a confirm that reaches PF360 after our timeout. Between
//! `serve` and the standalone mock sits a fault-injecting proxy.
//!
//! Each test counts the writes PF360 received and reads what the customer was told.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use support::{Fault, Proxy, chat, jwt, mock_pf360, mock_writes, serve};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sa-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Walks a booking (`opening`) to its summary by picking the first date and slot; returns
/// the session id.
async fn to_summary(http: &reqwest::Client, base: &str, token: &str, opening: &str) -> String {
    let (status, first) = chat(
        http,
        base,
        token,
        json!({"message": opening, "client_message_id": "w-1"}),
    )
    .await;
    assert_eq!(status, 200, "{first}");
    let session = first["session_id"].as_str().unwrap().to_string();
    let mut last = Value::Null;
    for (n, message) in ["the first one", "the first one"].iter().enumerate() {
        let (status, body) = chat(
            http,
            base,
            token,
            json!({"message": message, "session_id": session, "client_message_id": format!("w-{}", n + 2)}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        last = body;
    }
    assert!(
        last["response"]
            .as_str()
            .unwrap()
            .contains("Just to confirm"),
        "{last}"
    );
    session
}

fn text(body: &Value) -> &str {
    body["response"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_booking_made_just_before_a_crash_is_not_lost_and_not_made_again() {
    let dir = temp_dir("crash");
    let log = dir.join("serve.log");
    let (_mock, mock_url) = mock_pf360();
    let proxy = Proxy::start(&mock_url).await;
    let (mut server, base) = serve(&proxy.url, &dir, &log, &[]);
    let http = reqwest::Client::new();
    let maria = jwt("1645975");
    let session = to_summary(&http, &base, &maria, "book my flooring").await;

    // "yes": PF360 books, and the process dies before it hears so (before the turn is saved).
    proxy.set(Fault::SwallowWriteAnswers);
    let yes = json!({"message": "yes", "session_id": session, "client_message_id": "w-yes"});
    let (client, body) = (http.clone(), yes.clone());
    let (url, token) = (base.clone(), maria.clone());
    let lost = tokio::spawn(async move {
        client
            .post(format!("{url}/api/chat"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
    });
    proxy.writes_forwarded(1).await;
    server.kill_9();
    assert!(
        lost.await.unwrap().is_err(),
        "the first answer was delivered"
    );
    assert_eq!(mock_writes(&http, &mock_url).await.len(), 1);

    // Restarted; the client sends the same message again. It waits out the dead process's
    // lease (no 409), hears that the booking is made, and PF360 is not written again.
    proxy.set(Fault::Pass);
    let (_server, base) = serve(&proxy.url, &dir, &log, &[]);
    let (status, retry) = chat(&http, &base, &maria, yes.clone()).await;
    assert_eq!(status, 200, "{retry}");
    assert!(text(&retry).contains("all set"), "{retry}");
    assert_eq!(mock_writes(&http, &mock_url).await.len(), 1, "booked twice");

    // From now on it is an ordinary answered message.
    let (_, again) = chat(&http, &base, &maria, yes).await;
    assert_eq!(again["metadata"]["replayed"], true, "{again}");
    let (_, more) = chat(
        &http,
        &base,
        &maria,
        json!({"message": "yes", "session_id": session, "client_message_id": "w-yes-2"}),
    )
    .await;
    assert_eq!(mock_writes(&http, &mock_url).await.len(), 1, "{more}");
    let transcript: Value = http
        .get(format!("{base}/api/sessions/{session}/messages"))
        .bearer_auth(&maria)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        transcript.to_string().contains("all set"),
        "the booking is in no transcript: {transcript}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_slow_pf360_cannot_hand_a_live_turn_s_session_to_another_message() {
    let dir = temp_dir("slow");
    let log = dir.join("serve.log");
    let (_mock, mock_url) = mock_pf360();
    let proxy = Proxy::start(&mock_url).await;
    let (_server, base) = serve(&proxy.url, &dir, &log, &[("API_TIMEOUT", "8")]);
    let http = reqwest::Client::new();
    let maria = jwt("1645975");
    let session = to_summary(&http, &base, &maria, "book my flooring").await;

    // Every PF360 call now takes 6 s (within the 8 s timeout): the "yes" turn makes three
    // (the dashboard, a fresh look, the confirm), 18 s, longer than a session lease (15 s).
    proxy.set(Fault::Slow(Duration::from_secs(6)));
    let yes = {
        let (http, base, maria) = (http.clone(), base.clone(), maria.clone());
        let body = json!({"message": "yes", "session_id": session, "client_message_id": "s-yes"});
        tokio::spawn(async move { chat(&http, &base, &maria, body).await })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Another tab, same session, meanwhile.
    let other = {
        let (http, base, maria) = (http.clone(), base.clone(), maria.clone());
        let body = json!({"message": "what are your hours?", "session_id": session, "client_message_id": "s-hours"});
        tokio::spawn(async move { chat(&http, &base, &maria, body).await })
    };
    let (status, booked) = yes.await.unwrap();
    assert_eq!(status, 200, "{booked}");
    assert!(text(&booked).contains("all set"), "{booked}");
    let (other_status, other_body) = other.await.unwrap();
    assert!(
        other_status == 200 || other_status == 409,
        "{other_status} {other_body}"
    );
    assert_eq!(mock_writes(&http, &mock_url).await.len(), 1);

    // The booking's reply is in the transcript, before the other tab's.
    let transcript: Value = http
        .get(format!("{base}/api/sessions/{session}/messages"))
        .bearer_auth(&maria)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let texts: Vec<&str> = transcript["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    let booked_at = texts.iter().position(|t| t.contains("all set"));
    assert!(booked_at.is_some(), "{texts:?}");
    if let Some(hours_at) = texts.iter().position(|t| *t == "what are your hours?") {
        assert!(hours_at > booked_at.unwrap(), "{texts:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_confirm_that_reaches_pf360_after_our_timeout_is_not_called_unbooked() {
    let dir = temp_dir("late");
    let log = dir.join("serve.log");
    let (_mock, mock_url) = mock_pf360();
    let proxy = Proxy::start(&mock_url).await;
    let (_server, base) = serve(&proxy.url, &dir, &log, &[("API_TIMEOUT", "1")]);
    let http = reqwest::Client::new();
    let maria = jwt("1645975");

    // PF360 gets the confirm 2 s late, 1 s after we gave up on it: the follow-up checks see it.
    let session = to_summary(&http, &base, &maria, "book my flooring").await;
    proxy.set(Fault::LateWrites(Duration::from_secs(2)));
    let (status, body) = chat(
        &http,
        &base,
        &maria,
        json!({"message": "yes", "session_id": session, "client_message_id": "l-yes"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(text(&body).contains("all set"), "{body}");
    assert!(!text(&body).to_lowercase().contains("nothing was booked"));

    // James's confirm arrives 8 s late, after the checks: we say we don't know yet, and the
    // next message finds it booked.
    proxy.set(Fault::Pass);
    let james = jwt("2231407");
    let session = to_summary(&http, &base, &james, "book my bathroom").await;
    proxy.set(Fault::LateWrites(Duration::from_secs(8)));
    let (_, unsure) = chat(
        &http,
        &base,
        &james,
        json!({"message": "yes", "session_id": session, "client_message_id": "j-yes"}),
    )
    .await;
    assert!(text(&unsure).contains("hasn't confirmed"), "{unsure}");
    assert!(!text(&unsure).to_lowercase().contains("nothing was booked"));
    proxy.writes_forwarded(2).await;
    proxy.set(Fault::Pass);
    let (_, later) = chat(
        &http,
        &base,
        &james,
        json!({"message": "is it booked?", "session_id": session, "client_message_id": "j-2"}),
    )
    .await;
    assert!(text(&later).contains("all set"), "{later}");
    assert_eq!(mock_writes(&http, &mock_url).await.len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_client_that_gives_up_mid_turn_loses_nothing_and_its_retry_is_answered() {
    let dir = temp_dir("gone");
    let log = dir.join("serve.log");
    let (_mock, mock_url) = mock_pf360();
    let proxy = Proxy::start(&mock_url).await;
    let (_server, base) = serve(&proxy.url, &dir, &log, &[]);
    let http = reqwest::Client::new();
    let maria = jwt("1645975");
    let session = to_summary(&http, &base, &maria, "book my flooring").await;

    // Each PF360 call takes a second; the client stops waiting after one and closes the
    // connection while the turn is writing.
    proxy.set(Fault::Slow(Duration::from_secs(1)));
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(1200))
        .build()
        .unwrap();
    let yes = json!({"message": "yes", "session_id": session, "client_message_id": "g-yes"});
    let gave_up = impatient
        .post(format!("{base}/api/chat"))
        .bearer_auth(&maria)
        .json(&yes)
        .send()
        .await;
    assert!(
        gave_up.is_err(),
        "the client was answered within its timeout"
    );

    // The turn went on without it: booked once, saved, and the retry gets that answer.
    proxy.set(Fault::Pass);
    let (status, retry) = chat(&http, &base, &maria, yes).await;
    assert_eq!(status, 200, "{retry}");
    assert!(text(&retry).contains("all set"), "{retry}");
    assert_eq!(retry["metadata"]["replayed"], true, "{retry}");
    assert_eq!(mock_writes(&http, &mock_url).await.len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}
