//! Who sends a turn's reply: the webhook (as TwiML) if the turn ends within the budget, else
//! the turn itself (by the REST API). Exactly one of them, whatever the timing: the decision
//! is taken under one lock.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

enum State {
    Waiting,
    Delivered(String),
    GaveUp,
}

#[derive(Clone)]
pub(crate) struct Handoff {
    state: Arc<Mutex<State>>,
    ready: Arc<Notify>,
}

impl Handoff {
    pub(crate) fn new() -> Self {
        Handoff {
            state: Arc::new(Mutex::new(State::Waiting)),
            ready: Arc::new(Notify::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Hands the reply to the webhook; gives it back if the webhook no longer waits.
    pub(crate) fn deliver(&self, reply: String) -> Result<(), String> {
        let mut state = self.lock();
        match *state {
            State::Waiting => {
                *state = State::Delivered(reply);
                drop(state);
                // A permit is kept if the webhook is not waiting yet.
                self.ready.notify_one();
                Ok(())
            }
            _ => Err(reply),
        }
    }

    /// The reply, if it comes within `budget`; after that the turn sends it itself.
    pub(crate) async fn wait(&self, budget: Duration) -> Option<String> {
        let _ = tokio::time::timeout(budget, self.ready.notified()).await;
        let mut state = self.lock();
        match std::mem::replace(&mut *state, State::GaveUp) {
            State::Delivered(reply) => Some(reply),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_reply_in_time_goes_to_the_webhook_a_late_one_back_to_the_turn() {
        let on_time = Handoff::new();
        assert!(on_time.deliver("hi".into()).is_ok());
        assert_eq!(
            on_time.wait(Duration::from_millis(10)).await.as_deref(),
            Some("hi")
        );

        let late = Handoff::new();
        assert_eq!(late.wait(Duration::from_millis(10)).await, None);
        assert_eq!(late.deliver("hi".into()), Err("hi".to_string()));
    }
}
