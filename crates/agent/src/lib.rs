//! The conversation: understand → commands → flows → actions → reply.
//!
//! - [`understand`]: a message becomes typed commands (rules: dates, times, intents, projects).
//! - [`flows`]: deterministic flows decide and act ([`flows::Engine::turn`]).
//! - [`reply`]: every answer, with quick replies and links, worded from the message
//!   [`catalogue`] (Fluent files under `locales/`, one folder per language).
//! - [`state`]: the one serializable value persisted between turns.
//! - [`notes`], [`weather`]: small ports the hosts implement.
//!
//! This crate knows nothing of HTTP servers.

pub mod catalogue;
pub mod flows;
pub mod journal;
pub mod notes;
pub mod reply;
pub mod scenario;
pub mod sms;
pub mod state;
pub mod understand;
pub mod weather;

pub use catalogue::{Channel, Language};
pub use flows::{Action, ActionName, Customer, Engine, Outcome, TurnOutcome};
pub use reply::{Link, QuickReply, Reply};
pub use state::ConversationState;
