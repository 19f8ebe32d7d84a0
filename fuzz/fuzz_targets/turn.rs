//! Arbitrary bytes, read as text (lossily: a customer's text is always valid UTF-8 by the time
//! it reaches the engine), through the understanding and through a whole turn against the real
//! mock PF360 over HTTP. Any panic is a finding. The property tests in
//! `crates/agent/tests/unicode_robustness.rs` check the same in CI from generated text; this
//! target lets coverage guide the search.
//!
//! The input is split at the first `\u{1}`: the part before opens a conversation (so later text
//! reaches the booking, project and note prompts), the part after is the next message.

#![no_main]

use std::sync::{Arc, OnceLock};

use agent::notes::MemoryNoteBook;
use agent::weather::FixtureForecaster;
use agent::{ConversationState, Customer, Engine};
use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use pf360::mock::{MockConfig, MockServer};
use pf360::{Caller, ClientConfig, Environment, FixedClock, Pf360Client, Token};

struct World {
    runtime: tokio::runtime::Runtime,
    engine: Engine,
    customer: Customer,
    now: DateTime<Utc>,
    _mock: MockServer,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let now: DateTime<Utc> = "2025-11-03T15:00:00Z".parse().expect("a time");
        let clock = Arc::new(FixedClock::new(now));
        let mock = runtime
            .block_on(MockServer::start(
                MockConfig::default(),
                clock.clone(),
                "127.0.0.1:0".parse().expect("an address"),
            ))
            .expect("the mock PF360");
        let config = ClientConfig::new(mock.url(), Environment::Dev);
        let engine = Engine::new(
            Pf360Client::new(config, clock).expect("a client"),
            Arc::new(MemoryNoteBook::default()),
            Arc::new(FixtureForecaster::default()),
        );
        let customer = Customer {
            caller: Caller {
                client_id: "09PF05VD".into(),
                client_name: "brightside-home".into(),
                customer_id: "1645975".into(),
                token: Token::new("demo-token-1645975"),
            },
            timezone: chrono_tz::America::New_York,
        };
        World {
            runtime,
            engine,
            customer,
            now,
            _mock: mock,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (first, second) = text.split_once('\u{1}').unwrap_or((&text, ""));
    let world = world();
    let _ = agent::understand::understand(&text, world.now.naive_utc());
    let mut state = ConversationState::default();
    for message in [first, second] {
        if message.trim().is_empty() {
            continue;
        }
        let outcome = world.runtime.block_on(world.engine.turn(
            state,
            &world.customer,
            message,
            world.now,
        ));
        assert!(!outcome.reply.text.trim().is_empty(), "no reply to {message:?}");
        state = outcome.state;
    }
});
