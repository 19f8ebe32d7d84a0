//! When and how long to wait before trying a PF360 call again.

use std::time::Duration;

use rand::Rng;

/// Exponential backoff with jitter, bounded in attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The wait before the second attempt; it doubles each time.
    pub base_delay: Duration,
    /// No single wait is longer, whatever a `Retry-After` asks.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(4),
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt number `attempt` (1-based). A server's `Retry-After` wins
    /// when it asks for longer; jitter ("equal jitter": half fixed, half random) keeps many
    /// clients from retrying in lockstep.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exponential = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_delay);
        let half = exponential / 2;
        let jittered = half + rand::rng().random_range(Duration::ZERO..=half);
        retry_after
            .map_or(jittered, |asked| asked.max(jittered))
            .min(self.max_delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stay_bounded() {
        let policy = RetryPolicy::default();
        for _ in 0..50 {
            let first = policy.delay(1, None);
            assert!(first >= Duration::from_millis(125) && first <= Duration::from_millis(250));
            let second = policy.delay(2, None);
            assert!(second >= Duration::from_millis(250) && second <= Duration::from_millis(500));
            assert!(policy.delay(30, None) <= policy.max_delay);
        }
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(60))),
            policy.max_delay
        );
    }
}
