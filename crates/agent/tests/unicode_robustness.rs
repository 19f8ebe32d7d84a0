//! Whatever a keyboard, a phone or a copy-paste produces, the understanding and a whole turn
//! answer without panicking, and the answer is well formed.
//!
//! Messages are built from pieces that have broken text code before: curly quotes beside
//! digits, letters whose lower case is longer (İ) or shorter, ligatures, combining marks, emoji
//! sequences, right-to-left text and invisible controls — mixed with the words the flows act on,
//! so the tricky characters land inside dates, order numbers and notes.

mod common;

use std::sync::Arc;

use agent::notes::MemoryNoteBook;
use agent::understand::tokens::tokenize;
use agent::understand::understand;
use agent::weather::FixtureForecaster;
use agent::{ConversationState, Engine};
use chrono::NaiveDateTime;
use common::{maria, monday};
use pf360::mock::{MockConfig, MockServer};
use pf360::{ClientConfig, Environment, FixedClock, Pf360Client};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "book",
    "my",
    "flooring",
    "roof",
    "the",
    "13th",
    "’s",
    "fine",
    "at",
    "8",
    "am",
    "pm",
    "1030",
    "tmrw",
    "next",
    "friday",
    "ORD-2025-001",
    "90000149",
    "note",
    ":",
    "tell",
    "the crew",
    "yes",
    "no",
    "cancel",
    "reschedule",
    "2",
    "first",
    "İlker",
    "İ",
    "ß",
    "ﬁ",
    "ﬀ",
    "Σ",
    "ǅ",
    "e\u{301}",
    "a\u{308}\u{308}",
    "👍",
    "👨\u{200D}👩\u{200D}👧",
    "🇺🇸",
    "\u{200B}",
    "\u{200D}",
    "\u{202E}",
    "\u{2066}",
    "\u{FEFF}",
    "\u{00AD}",
    "مرحبا",
    "שלום",
    "\t",
    "\n",
    "“",
    "”",
    "—",
    "１０",
    "½",
    "Ⅻ",
    "ǰ",
    "ﬃ",
    "K",
    "Å",
    "\u{0130}\u{0130}",
    "mañana",
    "próximo",
    "martes",
    "'",
    "\"",
    "#",
];

/// A message: 1 to 12 pieces, each a known troublemaker or any character at all, joined with
/// or without spaces.
fn message() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
        1 => "\\PC{1,6}",
    ];
    prop::collection::vec((piece, any::<bool>()), 1..12).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(p, spaced)| if spaced { format!("{p} ") } else { p })
            .collect()
    })
}

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2025-11-03 10:00", "%Y-%m-%d %H:%M").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn understanding_never_panics(text in message()) {
        let understanding = understand(&text, now());
        prop_assert!(!understanding.commands.is_empty());
    }

    #[test]
    fn token_spans_are_slices_of_the_text(text in message()) {
        for token in tokenize(&text) {
            prop_assert!(text.get(token.start..token.end).is_some(), "{token:?} in {text:?}");
        }
    }
}

/// Three messages in a row (so tricky text reaches the booking, project and note prompts),
/// each through the real engine and the mock PF360 over HTTP.
#[test]
fn whole_turns_never_panic_and_always_answer() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let clock = Arc::new(FixedClock::new(monday()));
    let mock = runtime
        .block_on(MockServer::start(
            MockConfig::default(),
            clock.clone(),
            "127.0.0.1:0".parse().unwrap(),
        ))
        .unwrap();
    let config = ClientConfig::new(mock.url(), Environment::Dev);
    let engine = Engine::new(
        Pf360Client::new(config, clock).unwrap(),
        Arc::new(MemoryNoteBook::default()),
        Arc::new(FixtureForecaster::default()),
    );
    let customer = maria();
    const OPENERS: &[&str] = &[
        "book my flooring",
        "reschedule the roof",
        "add a note",
        "hi",
    ];
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(150));
    runner
        .run(
            &(prop::sample::select(OPENERS), message(), message()),
            |(opener, second, third)| {
                let mut state = ConversationState::default();
                for text in [opener, second.as_str(), third.as_str()] {
                    let outcome = runtime.block_on(engine.turn(state, &customer, text, monday()));
                    prop_assert!(
                        !outcome.reply.text.trim().is_empty(),
                        "empty reply to {text:?}"
                    );
                    prop_assert!(
                        outcome
                            .reply
                            .quick_replies
                            .iter()
                            .all(|q| !q.label.is_empty()),
                        "a button without a label after {text:?}"
                    );
                    state = outcome.state;
                }
                Ok(())
            },
        )
        .unwrap();
    runtime.block_on(mock.stop());
}

#[test]
fn the_reported_crashes_are_understood() {
    // "The 13th’s fine" and "İlker here, good morning" panicked (byte offsets inside a
    // character); the zero-width space hid "book".
    let date = understand("The 13th’s fine", now()).when.date;
    assert_eq!(date.map(|d| d.to_string()).as_deref(), Some("2025-11-13"));
    let greeting = understand("İlker here, good morning", now());
    assert!(format!("{:?}", greeting.commands).contains("Greeting"));
    let book = understand("bo\u{200B}ok my flooring", now());
    assert!(
        format!("{:?}", book.commands).contains("Schedule"),
        "{book:?}"
    );
}
