//! PF360's health as seen by our own calls: the outcomes of recent calls, kept by the client,
//! so a health check can report PF360 failing without calling it on every hit.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::Pf360Error;

/// How many recent outcomes are kept, and how far back they count.
const KEPT: usize = 20;
const RECENT: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    /// Most recent calls failed on PF360's side (5xx, timeouts, unreachable, garbage).
    Failing,
    /// No call recently: nothing to judge by.
    Unknown,
}

#[derive(Debug, Default)]
pub struct CallHealth {
    outcomes: Mutex<VecDeque<(Instant, bool)>>,
}

impl CallHealth {
    /// Records one call's outcome. Refusals about the request itself (401, 404, 409, 422)
    /// say PF360 is working.
    pub fn record(&self, result: Result<(), &Pf360Error>) {
        let failed = matches!(
            result,
            Err(Pf360Error::Timeout(_)
                | Pf360Error::Network(_)
                | Pf360Error::Server { .. }
                | Pf360Error::Decode(_))
        );
        let mut outcomes = self.lock();
        if outcomes.len() == KEPT {
            outcomes.pop_front();
        }
        outcomes.push_back((Instant::now(), failed));
    }

    /// Failing when the last three recent calls failed, or at least half of five or more.
    pub fn verdict(&self) -> Verdict {
        let outcomes = self.lock();
        let recent: Vec<bool> = outcomes
            .iter()
            .filter(|(at, _)| at.elapsed() < RECENT)
            .map(|(_, failed)| *failed)
            .collect();
        if recent.is_empty() {
            return Verdict::Unknown;
        }
        let failures = recent.iter().filter(|f| **f).count();
        let last_three_failed = recent.len() >= 3 && recent.iter().rev().take(3).all(|f| *f);
        if last_three_failed || (recent.len() >= 5 && failures * 2 >= recent.len()) {
            Verdict::Failing
        } else {
            Verdict::Ok
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<(Instant, bool)>> {
        self.outcomes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_on_pf360_s_side_make_it_failing_refusals_do_not() {
        let health = CallHealth::default();
        assert_eq!(health.verdict(), Verdict::Unknown);
        health.record(Ok(()));
        for _ in 0..3 {
            health.record(Err(&Pf360Error::Conflict("taken".into())));
        }
        assert_eq!(health.verdict(), Verdict::Ok);
        for _ in 0..3 {
            health.record(Err(&Pf360Error::Server {
                status: 500,
                message: String::new(),
            }));
        }
        assert_eq!(health.verdict(), Verdict::Failing);
        health.record(Ok(()));
        // Three of eight failed: not half, and the last call worked.
        assert_eq!(health.verdict(), Verdict::Ok);
    }
}
