//! What the engine tests share: the demo customer and a pinned Monday.

#![allow(dead_code)]

use agent::Customer;
use chrono::{DateTime, Utc};
use pf360::{Caller, Token};

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
