//! The PF360 Customer Scheduler API (`../shared/docs/PF360-API.md`).
//!
//! - [`models`]: the wire format, field for field.
//! - [`project`]: the clean [`Project`] view derived from a dashboard record.
//! - [`client`]: the HTTP client — timeouts, retries for reads, never a blind retry of a write,
//!   test mode for confirm and cancel.
//! - [`mock`]: a stateful mock PF360 server speaking the same wire format, driven by a fixture
//!   file (`../shared/docs/EVAL.md`) or the built-in demo data.
//!
//! This crate knows nothing of conversations.

pub mod client;
pub mod clock;
pub mod environment;
pub mod error;
pub mod health;
pub mod lenient;
pub mod mock;
pub mod models;
pub mod project;
pub mod retry;
pub mod token;

pub use client::{
    AvailableDates, Caller, ClientBuildError, ClientConfig, Endpoint, NoteAdded, Pf360Client,
    RequestId, WriteOutcome,
};
pub use clock::{Clock, FixedClock, SystemClock};
pub use environment::Environment;
pub use error::Pf360Error;
pub use project::{Project, ProjectStatus};
pub use retry::RetryPolicy;
pub use token::Token;
