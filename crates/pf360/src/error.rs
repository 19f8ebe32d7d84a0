//! What can go wrong talking to PF360.
//!
//! Every variant has two faces: `Display` is the detail for a log (status, endpoint, the
//! server's own message), and [`Pf360Error::customer_message`] is a sentence fit to show a
//! customer. Neither ever contains the token.

use std::time::Duration;

/// An error from a PF360 call.
#[derive(Debug, thiserror::Error)]
pub enum Pf360Error {
    #[error("PF360 did not answer within {0:?}")]
    Timeout(Duration),
    #[error("PF360 is rate limiting us (retry after {retry_after:?})")]
    RateLimited { retry_after: Option<Duration> },
    #[error("PF360 rejected the credentials (401): {0}")]
    Unauthorized(String),
    #[error("PF360 refused access (403): {0}")]
    Forbidden(String),
    #[error("PF360 does not know this customer or project (404): {0}")]
    NotFound(String),
    #[error("the slot is no longer available (409): {0}")]
    Conflict(String),
    #[error("PF360 refused the request (422): {0}")]
    Invalid(String),
    #[error("PF360 server error ({status}): {message}")]
    Server { status: u16, message: String },
    #[error("could not reach PF360: {0}")]
    Network(String),
    #[error("PF360 sent a response we could not read: {0}")]
    Decode(String),
}

impl Pf360Error {
    /// A sentence fit for the customer: no codes, no internals.
    pub fn customer_message(&self) -> &'static str {
        match self {
            Pf360Error::Timeout(_) | Pf360Error::Network(_) => {
                "I couldn't reach the scheduling system just now. Please try again in a minute."
            }
            Pf360Error::RateLimited { .. } => {
                "The scheduling system is busy right now. Please try again in a minute."
            }
            Pf360Error::Unauthorized(_) => {
                "Your session has expired. Please sign in again to continue."
            }
            Pf360Error::Forbidden(_) | Pf360Error::NotFound(_) => {
                "I couldn't find that project on your account."
            }
            Pf360Error::Conflict(_) => "Sorry, that time was just taken by someone else.",
            Pf360Error::Invalid(_) => {
                "The scheduling system couldn't accept that request. Let's pick the date again."
            }
            Pf360Error::Server { .. } | Pf360Error::Decode(_) => {
                "The scheduling system had a problem on its side. Please try again shortly."
            }
        }
    }

    /// A short stable label for metrics and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Pf360Error::Timeout(_) => "timeout",
            Pf360Error::RateLimited { .. } => "rate_limited",
            Pf360Error::Unauthorized(_) => "unauthorized",
            Pf360Error::Forbidden(_) => "forbidden",
            Pf360Error::NotFound(_) => "not_found",
            Pf360Error::Conflict(_) => "conflict",
            Pf360Error::Invalid(_) => "invalid",
            Pf360Error::Server { .. } => "server",
            Pf360Error::Network(_) => "network",
            Pf360Error::Decode(_) => "decode",
        }
    }
}
