//! Twilio's side of a text-message conversation, as its documentation specifies it: the
//! signature on every webhook ([`signature`]), the TwiML answer ([`twiml`]), how a text is cut
//! into segments ([`segments`]), the Messages REST API ([`client`]) and a mock of that API that
//! also sends signed webhooks ([`mock`]).
//!
//! This crate knows nothing of conversations or PF360; the server wires it to them.

pub mod client;
pub mod mock;
pub mod segments;
pub mod signature;
pub mod twiml;

pub use client::{Credentials, From, OutboundMessage, SendError, SentMessage, TwilioClient};
pub use segments::{Encoding, Segments};
