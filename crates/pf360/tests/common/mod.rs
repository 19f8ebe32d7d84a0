//! Shared set-up: a mock PF360 on a random port serving the repo's fixture with a pinned clock,
//! and a real client pointed at it.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use pf360::mock::{Fixture, MockConfig, MockServer};
use pf360::{Caller, ClientConfig, Environment, FixedClock, Pf360Client, RetryPolicy, Token};

pub const CLIENT: &str = "09PF05VD";
pub const MARIA: &str = "1645975";
pub const MARIA_TOKEN: &str = "demo-token-1645975";
pub const FLOORING: &str = "90000149";
pub const WINDOWS: &str = "90000150";
pub const CABINETS: &str = "90000151";
pub const TOMS_ROOF: &str = "90000200";
pub const JWT_SECRET: &str = "test-jwt-secret";

pub fn fixture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/acme.json")
}

pub fn local(raw: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S").unwrap()
}

/// The fixture's mock, its clock pinned to Monday 2025-10-20 09:15 New York time.
pub async fn start_mock() -> MockServer {
    let config = MockConfig {
        fixture: Some(Fixture::load(&fixture_path()).unwrap()),
        now: Some(local("2025-10-20T09:15:00")),
        jwt_secret: Some(JWT_SECRET.into()),
    };
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    MockServer::start(config, clock, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// A client for `base`; its clock reads 2025-10-20 13:15 UTC (18:45 in Kolkata).
pub fn client_for(base: url::Url, tweak: impl FnOnce(&mut ClientConfig)) -> Pf360Client {
    let mut config = ClientConfig::new(base, Environment::Dev);
    config.timeout = Duration::from_millis(500);
    config.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
    };
    tweak(&mut config);
    let now = "2025-10-20T13:15:00Z".parse().unwrap();
    Pf360Client::new(config, Arc::new(FixedClock::new(now))).unwrap()
}

pub fn caller(customer_id: &str, token: &str) -> Caller {
    Caller {
        client_id: CLIENT.into(),
        client_name: "acme-floors".into(),
        customer_id: customer_id.into(),
        token: Token::new(token),
    }
}

pub fn maria() -> Caller {
    caller(MARIA, MARIA_TOKEN)
}

pub fn date(raw: &str) -> chrono::NaiveDate {
    raw.parse().unwrap()
}

pub fn time(raw: &str) -> chrono::NaiveTime {
    chrono::NaiveTime::parse_from_str(raw, "%H:%M").unwrap()
}
