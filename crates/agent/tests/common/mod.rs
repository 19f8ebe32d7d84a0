//! What the engine tests share: the demo customer, a pinned Monday, an engine with short
//! timeouts, a dashboard record.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use agent::flows::WritePolicy;
use agent::notes::MemoryNoteBook;
use agent::weather::FixtureForecaster;
use agent::{Customer, Engine};
use chrono::{DateTime, Utc};
use pf360::{Caller, ClientConfig, Environment, FixedClock, Pf360Client, RetryPolicy, Token};

/// Monday 2025-11-03, 10:00 in New York.
pub fn monday() -> DateTime<Utc> {
    "2025-11-03T15:00:00Z".parse().unwrap()
}

/// The demo customer, as an authenticated session would give her.
pub fn maria() -> Customer {
    Customer {
        caller: Caller {
            client_id: "09PF05VD".into(),
            client_name: "brightside-home".into(),
            customer_id: "1645975".into(),
            token: Token::new("demo-token-1645975"),
        },
        timezone: chrono_tz::America::New_York,
    }
}

/// An engine on `base` with a 300 ms PF360 timeout and quick follow-up checks.
pub fn engine(base: &str, clock: Arc<FixedClock>) -> Engine {
    let mut config = ClientConfig::new(url::Url::parse(base).unwrap(), Environment::Dev);
    config.timeout = Duration::from_millis(300);
    config.retry = RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
    };
    Engine::new(
        Pf360Client::new(config, clock).unwrap(),
        Arc::new(MemoryNoteBook::default()),
        Arc::new(FixtureForecaster::default()),
    )
    .with_write_policy(WritePolicy {
        follow_up_interval: Duration::from_millis(10),
        ..WritePolicy::default()
    })
}

/// One project on the dashboard, in PF360's wire format.
pub fn record(status: &str, scheduled: Option<(&str, &str)>) -> serde_json::Value {
    serde_json::json!({"data": [{
        "project_project_id": "90000149", "project_project_number": "ORD-2025-001",
        "project_type_project_type": "Installation", "project_category_category": "Flooring",
        "status_info_status": status,
        "installation_address_full_address": "123 Main St, Tampa, FL 33601",
        "project_date_scheduled_date": scheduled.map(|(d, _)| d),
        "convertedProjectStartScheduledDate": scheduled.map(|(d, t)| format!("{d} {t}:00")),
    }]})
}

/// How many writes (POSTs) a fake PF360 received.
pub async fn posts(server: &wiremock::MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("the fake PF360 records requests")
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .count()
}
