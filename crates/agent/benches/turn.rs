//! The cost of one rule-based turn.
//!
//! - `understand/*`: understanding alone (language, rewrite, dates and times, intents), no I/O.
//! - `turn/*`: a whole turn — understanding, flow, reply — with its PF360 calls going over
//!   loopback HTTP to the in-process mock (the booking request makes three: dashboard, dates,
//!   slots). The HTTP round trips dominate; the engine's own share is the difference.
//!
//! `cargo bench -p agent` prints the time per turn.

use std::hint::black_box;
use std::sync::Arc;

use agent::Language;
use agent::notes::MemoryNoteBook;
use agent::scenario::{customer_of, find_customer};
use agent::understand::understand_in;
use agent::weather::FixtureForecaster;
use agent::{ConversationState, Engine};
use chrono::{DateTime, NaiveDateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use pf360::mock::{MockConfig, MockServer, demo};
use pf360::{ClientConfig, Environment, FixedClock, Pf360Client};

fn understanding(c: &mut Criterion) {
    let now = NaiveDateTime::parse_from_str("2025-11-03 10:00", "%Y-%m-%d %H:%M").unwrap();
    let mut group = c.benchmark_group("understand");
    for (name, text) in [
        ("booking request", "book the windows for thursday at 8"),
        ("correction", "hmm no, make it 3 instead"),
        ("yes", "yes please"),
        (
            "long message",
            "Hi there! I'd like to get my floor instalation scheduled, ideally next Tuesday morning around half past nine, or the 21st at noon if that doesn't work",
        ),
        ("sms", "cn u do my fence nxt wk tmrw aftr 2 pls"),
        (
            "spanish",
            "Hola, quiero programar la instalación de la cerca para el próximo martes en la mañana",
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| understand_in(black_box(text), now, Language::English))
        });
    }
    group.finish();
}

fn turns(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let now: DateTime<Utc> = "2025-11-03T15:00:00Z".parse().unwrap();
    let clock = Arc::new(FixedClock::new(now));
    let fixture = demo::demo_fixture(now.date_naive());
    let mock = runtime
        .block_on(MockServer::start(
            MockConfig {
                fixture: Some(fixture.clone()),
                now: None,
                jwt_secret: None,
            },
            clock.clone(),
            "127.0.0.1:0".parse().unwrap(),
        ))
        .unwrap();
    let engine = Engine::new(
        Pf360Client::new(ClientConfig::new(mock.url(), Environment::Dev), clock).unwrap(),
        Arc::new(MemoryNoteBook::default()),
        Arc::new(FixtureForecaster::default()),
    );
    let (client, customer) = find_customer(&fixture, None).unwrap();
    let who = customer_of(client, customer);

    let mut group = c.benchmark_group("turn");
    for (name, text) in [
        (
            "booking request (3 PF360 calls)",
            "book my flooring next tuesday at 10am",
        ),
        (
            "project status (1 PF360 call)",
            "what's the status of my windows?",
        ),
        ("help (no PF360 call)", "what can you do?"),
    ] {
        group.bench_function(name, |b| {
            b.to_async(&runtime)
                .iter(|| engine.turn(ConversationState::default(), &who, black_box(text), now))
        });
    }
    group.finish();
}

criterion_group!(benches, understanding, turns);
criterion_main!(benches);
