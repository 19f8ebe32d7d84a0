//! Writes through the journal: a booking made just before a crash is reported on the retry,
//! not made again; an answer lost to a timeout is never called "nothing was booked" without
//! evidence; two conversations of one customer cannot book the same project over each other.

mod common;

use std::sync::Arc;
use std::time::Duration;

use agent::flows::{ActionName, Outcome};
use agent::journal::{MemoryJournal, TurnContext, WriteJournal};
use agent::{ConversationState, Engine};
use common::{engine, maria, monday, posts, record};
use pf360::FixedClock;
use pf360::mock::{MockConfig, MockServer, WriteKind};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, ResponseTemplate};

fn context(session: &str, message: &str) -> TurnContext {
    TurnContext {
        session_id: session.into(),
        client_message_id: Some(message.into()),
        answers_turn: None,
    }
}

async fn demo_mock() -> MockServer {
    MockServer::start(
        MockConfig::default(),
        Arc::new(FixedClock::new(monday())),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap()
}

fn journaled(base: &str, journal: &Arc<MemoryJournal>) -> Engine {
    engine(base, Arc::new(FixedClock::new(monday()))).with_journal(journal.clone())
}

/// Books through to the summary in `session`, returning the state waiting for a yes.
async fn summary(engine: &Engine, session: &str, text: &str) -> ConversationState {
    let outcome = engine
        .turn_in(
            &context(session, "m1"),
            ConversationState::default(),
            &maria(),
            text,
            monday(),
        )
        .await;
    assert!(
        outcome.reply.text.contains("Just to confirm"),
        "{}",
        outcome.reply.text
    );
    outcome.state
}

#[tokio::test]
async fn a_booking_made_just_before_a_crash_is_reported_on_the_retry_not_made_again() {
    let mock = demo_mock().await;
    let journal = Arc::new(MemoryJournal::default());
    let engine = journaled(mock.url().as_str(), &journal);
    let waiting = summary(&engine, "s1", "book my flooring next tuesday at 10am").await;

    // The "yes" books on PF360, then the process dies before the turn is saved: its outcome
    // is thrown away, and the stored state is still the one waiting for a yes.
    let lost = engine
        .turn_in(
            &context("s1", "m2"),
            waiting.clone(),
            &maria(),
            "yes",
            monday(),
        )
        .await;
    assert!(lost.reply.text.contains("all set"), "{}", lost.reply.text);
    assert_eq!(mock.writes().len(), 1);

    // After a restart (a new engine on the same journal) the client sends "yes" again with
    // the same message id: the answer is the booking, and PF360 is not written again.
    let restarted = journaled(mock.url().as_str(), &journal);
    let retry = restarted
        .turn_in(
            &context("s1", "m2"),
            waiting.clone(),
            &maria(),
            "yes",
            monday(),
        )
        .await;
    assert!(retry.reply.text.contains("all set"), "{}", retry.reply.text);
    assert!(
        retry.reply.text.contains("10:00 AM"),
        "{}",
        retry.reply.text
    );
    assert!(retry.state.flow.is_none(), "the summary is still open");
    let booked = retry
        .actions
        .iter()
        .find(|a| a.name == ActionName::ConfirmAppointment)
        .expect("the recovered booking is reported to the host");
    assert_eq!(booked.outcome, Outcome::Ok);
    assert_eq!(mock.writes().len(), 1, "PF360 was written twice");

    // Even a fresh "yes" on the stale state books nothing more.
    let again = restarted
        .turn_in(&context("s1", "m3"), waiting, &maria(), "yes", monday())
        .await;
    assert_eq!(mock.writes().len(), 1, "{}", again.reply.text);
    assert!(
        journal
            .open("09PF05VD", "1645975")
            .await
            .unwrap()
            .is_empty(),
        "an intent was left open"
    );
}

/// A PF360 whose confirm answers after our timeout, and whose dashboard shows the booking
/// only after `hidden` reads.
async fn slow_pf360(hidden: u64) -> wiremock::MockServer {
    lagging_pf360(hidden, Duration::from_secs(2)).await
}

/// A PF360 whose confirm answers after `confirm_delay`, and whose dashboard shows the booking
/// only after `hidden` reads.
async fn lagging_pf360(hidden: u64, confirm_delay: Duration) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    Mock::given(path_regex("^/dashboard/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(record("Ready to Schedule", None)))
        .up_to_n_times(hidden)
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
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"message": "Appointment scheduled successfully", "status": "success"}))
                .set_delay(confirm_delay),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_booking_that_shows_up_late_is_never_called_not_booked() {
    // Reads: the first turn, the second turn, the fresh look before writing, then three
    // follow-up checks, none of which shows it yet.
    let server = slow_pf360(6).await;
    let journal = Arc::new(MemoryJournal::default());
    let engine = journaled(&server.uri(), &journal);
    let waiting = summary(&engine, "s1", "book my flooring next tuesday at 10am").await;
    let unsure = engine
        .turn_in(&context("s1", "m2"), waiting, &maria(), "yes", monday())
        .await;
    let text = unsure.reply.text.to_lowercase();
    assert!(
        text.contains("hasn't confirmed") && !text.contains("nothing was booked"),
        "{}",
        unsure.reply.text
    );
    assert!(
        !unsure
            .actions
            .iter()
            .any(|a| a.name == ActionName::ConfirmAppointment && a.outcome == Outcome::Ok),
        "reported as made without evidence"
    );

    // The next message, whatever it is, first looks again: now PF360 shows it.
    let next = engine
        .turn_in(
            &context("s1", "m3"),
            unsure.state,
            &maria(),
            "hello?",
            monday(),
        )
        .await;
    assert!(next.reply.text.contains("all set"), "{}", next.reply.text);
    assert!(
        next.actions
            .iter()
            .any(|a| a.name == ActionName::ConfirmAppointment && a.outcome == Outcome::Ok)
    );
    let posts = posts(&server).await;
    assert_eq!(posts, 1, "the confirm was sent again");
}

#[tokio::test]
async fn a_booking_that_shows_up_during_the_follow_up_checks_is_booked() {
    // Hidden for the two turns' reads, the fresh look and the first follow-up check.
    let server = slow_pf360(4).await;
    let engine = engine(&server.uri(), Arc::new(FixedClock::new(monday())));
    let waiting = summary(&engine, "s1", "book my flooring next tuesday at 10am").await;
    let done = engine
        .turn_in(&context("s1", "m2"), waiting, &maria(), "yes", monday())
        .await;
    assert!(done.reply.text.contains("all set"), "{}", done.reply.text);
}

#[tokio::test]
async fn a_booking_the_dashboard_does_not_show_yet_still_holds_the_project() {
    // PF360 confirms at once, but its dashboard keeps showing the project unbooked.
    let server = lagging_pf360(1000, Duration::ZERO).await;
    let journal = Arc::new(MemoryJournal::default());
    let engine = journaled(&server.uri(), &journal);
    let first = summary(&engine, "tab-1", "book my flooring next tuesday at 10am").await;
    let second = summary(&engine, "tab-2", "book my flooring next tuesday at 1pm").await;
    let booked = engine
        .turn_in(&context("tab-1", "a"), first, &maria(), "yes", monday())
        .await;
    assert!(
        booked.reply.text.contains("all set"),
        "{}",
        booked.reply.text
    );

    // The other tab's summary still matches what the dashboard shows: only the journal
    // knows better, and nothing is sent.
    let held = engine
        .turn_in(&context("tab-2", "b"), second, &maria(), "yes", monday())
        .await;
    assert!(
        held.reply.text.contains("being made right now"),
        "{}",
        held.reply.text
    );
    let posts = posts(&server).await;
    assert_eq!(posts, 1, "booked twice over a lagging dashboard");
}

#[tokio::test]
async fn two_conversations_cannot_book_one_project_over_each_other() {
    let mock = demo_mock().await;
    let journal = Arc::new(MemoryJournal::default());
    let engine = journaled(mock.url().as_str(), &journal);
    // Two tabs: each gets to its summary, at different times.
    let first = summary(&engine, "tab-1", "book my flooring next tuesday at 10am").await;
    let second = summary(&engine, "tab-2", "book my flooring next tuesday at 1pm").await;

    let booked = engine
        .turn_in(&context("tab-1", "a"), first, &maria(), "yes", monday())
        .await;
    assert!(
        booked.reply.text.contains("10:00 AM"),
        "{}",
        booked.reply.text
    );

    // The second tab's yes was agreed on an unbooked project: nothing is written, the
    // customer hears what PF360 holds now and is asked again.
    let refused = engine
        .turn_in(&context("tab-2", "b"), second, &maria(), "yes", monday())
        .await;
    assert_eq!(mock.writes().len(), 1, "{}", refused.reply.text);
    assert!(
        refused.reply.text.contains("was just changed")
            && refused.reply.text.contains("10:00 AM")
            && refused.reply.text.contains("move your"),
        "{}",
        refused.reply.text
    );

    // Saying yes to the new summary moves it, and the reply says the time PF360 holds.
    let moved = engine
        .turn_in(
            &context("tab-2", "c"),
            refused.state,
            &maria(),
            "yes",
            monday(),
        )
        .await;
    let writes = mock.writes();
    assert_eq!(writes.len(), 2);
    assert_eq!(writes[1].kind, WriteKind::Schedule);
    assert_eq!(writes[1].time.as_deref(), Some("13:00"));
    assert!(moved.reply.text.contains("1:00 PM"), "{}", moved.reply.text);
}

#[tokio::test]
async fn a_write_under_way_in_another_conversation_holds_the_project() {
    let mock = demo_mock().await;
    let journal = Arc::new(MemoryJournal::default());
    let engine = journaled(mock.url().as_str(), &journal);
    let waiting = summary(&engine, "tab-2", "book my flooring next tuesday at 1pm").await;
    // Another process has recorded a write to the same project and is still sending it.
    let project = match &waiting.flow {
        Some(agent::state::Flow::Booking(b)) => b.project.clone().unwrap(),
        other => panic!("{other:?}"),
    };
    let held = agent::journal::WriteIntent {
        id: "other".into(),
        session_id: "tab-1".into(),
        client_message_id: None,
        client_id: "09PF05VD".into(),
        customer_id: "1645975".into(),
        project_id: project,
        kind: agent::journal::WriteKind::Book,
        slot: None,
        status: agent::journal::IntentStatus::Pending,
        live_until: monday() + chrono::Duration::minutes(1),
        created_at: monday(),
    };
    assert!(journal.begin(&held).await.unwrap().is_none());
    let outcome = engine
        .turn_in(&context("tab-2", "b"), waiting, &maria(), "yes", monday())
        .await;
    assert!(mock.writes().is_empty(), "{}", outcome.reply.text);
    assert!(
        outcome.reply.text.contains("being made right now"),
        "{}",
        outcome.reply.text
    );
}

#[tokio::test]
async fn another_conversation_s_write_is_not_declared_failed_soon_after_its_turn() {
    let mock = demo_mock().await;
    let journal = Arc::new(MemoryJournal::default());
    let engine = journaled(mock.url().as_str(), &journal);
    let waiting = summary(&engine, "tab-2", "book my flooring next tuesday at 1pm").await;
    let project = match &waiting.flow {
        Some(agent::state::Flow::Booking(b)) => b.project.clone().unwrap(),
        other => panic!("{other:?}"),
    };
    // Begun three minutes ago by a turn that stopped answering ten seconds ago: its confirm
    // may still be on its way to PF360.
    let sent = agent::journal::WriteIntent {
        id: "other".into(),
        session_id: "tab-1".into(),
        client_message_id: None,
        client_id: "09PF05VD".into(),
        customer_id: "1645975".into(),
        project_id: project,
        kind: agent::journal::WriteKind::Book,
        slot: Some(
            chrono::NaiveDate::from_ymd_opt(2025, 11, 11)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        ),
        status: agent::journal::IntentStatus::Pending,
        live_until: monday() - chrono::Duration::seconds(10),
        created_at: monday() - chrono::Duration::minutes(3),
    };
    assert!(journal.begin(&sent).await.unwrap().is_none());
    let outcome = engine
        .turn_in(&context("tab-2", "b"), waiting, &maria(), "yes", monday())
        .await;
    assert!(mock.writes().is_empty(), "{}", outcome.reply.text);
    let open = journal.open("09PF05VD", "1645975").await.unwrap();
    assert_eq!(
        open.len(),
        1,
        "the other write was settled without evidence"
    );
    assert_eq!(open[0].status, agent::journal::IntentStatus::Unknown);
}
