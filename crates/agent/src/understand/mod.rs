//! Understanding: from a customer's message to typed [`command::Command`]s.
//!
//! [`rules`] is the default understanding: tables and matchers, no model, no network.
//! [`datetime`] reads dates and times; [`duckling`] scores it on the public corpus.

pub mod command;
pub mod constraints;
pub mod datetime;
pub mod duckling;
pub mod generator;
pub mod guard;
pub mod language;
pub mod lexicon;
pub mod model;
pub mod normalise;
pub mod requests;
pub mod restated;
pub mod rewrite;
pub mod rules;
pub mod shorthand;
pub mod spanish;
pub mod tokens;
pub mod understander;

pub use command::{Command, DateRule, Intent, ListKind, Pick, ProjectRef, SmallTalk, TimeRule};
pub use generator::{CommandGenerator, RulesGenerator};
pub use requests::{understand, understand_in};
pub use rules::Understanding;
pub use understander::{Mode, Source, Understander};
