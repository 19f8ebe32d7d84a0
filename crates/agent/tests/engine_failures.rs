//! The engine when PF360 misbehaves: a write whose answer is lost is checked, never resent;
//! an unreachable API gets a polite answer and loses nothing; an expired request is renewed.

mod common;

use std::sync::Arc;
use std::time::Duration;

use agent::ConversationState;
use agent::flows::{ActionName, Outcome};
use agent::state::Flow;
use common::{engine, maria, monday, posts, record};
use pf360::FixedClock;
use pf360::mock::{MockConfig, MockServer};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn a_confirm_whose_answer_is_lost_is_verified_not_resent() {
    let server = wiremock::MockServer::start().await;
    // The dashboard shows the project unbooked until the confirm has (silently) gone through:
    // for the first turn, the second's, and the fresh look before writing.
    Mock::given(path_regex("^/dashboard/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(record("Ready to Schedule", None)))
        .up_to_n_times(3)
        .mount(&server)
        .await;
    Mock::given(path_regex("^/dashboard/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(record("Scheduled", Some(("2025-11-11", "10:00")))),
        )
        .mount(&server)
        .await;
    Mock::given(path_regex("get-rescheduler-slots$"))
        .and(wiremock::matchers::query_param("request_id", "req_1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"data": {"slots": ["10:00", "13:00"]}})),
        )
        .mount(&server)
        .await;
    Mock::given(path_regex("get-rescheduler-slots$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"data": {"dates": ["2025-11-11"], "request_id": "req_1"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/scheduler/client/09PF05VD/project/90000149/schedule"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;

    let engine = engine(&server.uri(), Arc::new(FixedClock::new(monday())));
    let first = engine
        .turn(
            ConversationState::default(),
            &maria(),
            "book my flooring next tuesday at 10am",
            monday(),
        )
        .await;
    assert!(
        first.reply.text.contains("Just to confirm"),
        "{}",
        first.reply.text
    );
    let second = engine.turn(first.state, &maria(), "yes", monday()).await;
    assert!(
        second.reply.text.contains("all set"),
        "{}",
        second.reply.text
    );
    assert!(second.state.flow.is_none());
    let confirms = posts(&server).await;
    assert_eq!(confirms, 1, "the confirm was sent again");
    // The booking the dashboard shows counts as made, with its date and time.
    let confirm = second
        .actions
        .iter()
        .find(|a| a.name == ActionName::ConfirmAppointment)
        .unwrap();
    assert_eq!(confirm.outcome, Outcome::Ok);
    assert_eq!(
        confirm.date.map(|d| d.to_string()).as_deref(),
        Some("2025-11-11")
    );

    // Another "yes" does nothing more.
    let third = engine.turn(second.state, &maria(), "yes", monday()).await;
    assert!(!third.reply.text.contains("all set"));
    let confirms = posts(&server).await;
    assert_eq!(confirms, 1);
}

#[tokio::test]
async fn an_unreachable_pf360_gets_a_polite_answer_and_keeps_the_booking_in_progress() {
    let mock = MockServer::start(
        MockConfig::default(),
        Arc::new(FixedClock::new(monday())),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let base = mock.url().to_string();
    let clock = Arc::new(FixedClock::new(monday()));
    let engine = engine(&base, clock.clone());
    let first = engine
        .turn(
            ConversationState::default(),
            &maria(),
            "book my flooring next tuesday at 10am",
            monday(),
        )
        .await;
    assert!(first.reply.text.contains("Just to confirm"));
    // The booking in progress is kept; its summary is not: a yes confirms only the summary of
    // the reply just before it, and this one will say PF360 could not be reached.
    let mut before = first.state.clone();
    before.forget_summary();
    mock.stop().await;

    let second = engine.turn(first.state, &maria(), "yes", monday()).await;
    assert!(
        second
            .reply
            .text
            .contains("couldn't reach the scheduling system"),
        "{}",
        second.reply.text
    );
    assert!(!second.reply.text.to_lowercase().contains("error"));
    assert_eq!(
        second.state.flow, before.flow,
        "the booking in progress was lost"
    );
}

#[tokio::test]
async fn a_request_that_expired_between_turns_is_renewed_and_the_booking_completes() {
    let clock = Arc::new(FixedClock::new(monday()));
    let mock = MockServer::start(
        MockConfig::default(),
        clock.clone(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let engine = engine(mock.url().as_str(), clock.clone());
    let first = engine
        .turn(
            ConversationState::default(),
            &maria(),
            "book my flooring next tuesday at 10am",
            monday(),
        )
        .await;
    assert!(
        matches!(first.state.flow, Some(Flow::Booking(_))),
        "no booking in progress"
    );

    // The customer comes back 40 minutes later: PF360 has expired the request.
    clock.advance(chrono::Duration::minutes(40));
    let later = monday() + chrono::Duration::minutes(40);
    let second = engine.turn(first.state, &maria(), "yes", later).await;
    assert!(
        second.reply.text.contains("all set"),
        "{}",
        second.reply.text
    );
    let writes = mock.writes();
    assert_eq!(writes.len(), 1);
    assert_eq!(
        (writes[0].date.as_deref(), writes[0].time.as_deref()),
        (Some("2025-11-11"), Some("10:00"))
    );
    assert!(
        second
            .actions
            .iter()
            .any(|a| a.name == ActionName::GetAvailableDates),
        "the request was not renewed"
    );
}

#[tokio::test]
async fn the_request_id_never_reaches_the_customer() {
    let clock = Arc::new(FixedClock::new(monday()));
    let mock = MockServer::start(
        MockConfig::default(),
        clock.clone(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let engine = engine(mock.url().as_str(), clock);
    let mut state = ConversationState::default();
    for message in [
        "book my flooring",
        "the first one",
        "what is the request id?",
        "the first one",
        "yes",
    ] {
        let outcome = engine.turn(state, &maria(), message, monday()).await;
        let shown = serde_json::to_string(&outcome.reply).unwrap();
        assert!(!shown.contains("req_"), "{message}: {shown}");
        assert!(!shown.contains("demo-token"), "{message}: {shown}");
        state = outcome.state;
    }
    assert_eq!(mock.writes().len(), 1);
}
