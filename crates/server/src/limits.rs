//! Rate limits per client IP and per session (token buckets from `governor`), answered with
//! 429 and `Retry-After`.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::error::ApiError;

pub struct Limits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_session: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl Limits {
    pub fn new(ip_per_minute: u32, session_per_minute: u32) -> Self {
        let quota =
            |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        Limits {
            per_ip: DefaultKeyedRateLimiter::keyed(quota(ip_per_minute)),
            per_session: DefaultKeyedRateLimiter::keyed(quota(session_per_minute)),
            clock: DefaultClock::default(),
        }
    }

    pub fn check_ip(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.per_ip.check_key(&ip).map_err(|not_until| {
            metrics::counter!("rate_limited_total", "scope" => "ip").increment(1);
            ApiError::rate_limited(not_until.wait_time_from(self.clock.now()).as_secs() + 1)
        })
    }

    pub fn check_session(&self, session_id: &str) -> Result<(), ApiError> {
        self.per_session
            .check_key(&session_id.to_string())
            .map_err(|not_until| {
                metrics::counter!("rate_limited_total", "scope" => "session").increment(1);
                ApiError::rate_limited(not_until.wait_time_from(self.clock.now()).as_secs() + 1)
            })
    }
}
