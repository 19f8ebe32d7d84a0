//! Sending a text through Twilio's Messages API:
//! `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded `To`, `From` or
//! `MessagingServiceSid`, `Body`, `StatusCallback`, with basic auth (account SID, auth token).
//!
//! A text is retried only when Twilio provably did not accept it: the connection was never
//! made, or Twilio answered 429 (too many requests). A timeout or a 5xx may have been
//! accepted, and a second attempt could text the customer twice, so those are reported.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

/// The account a text is sent from.
#[derive(Clone)]
pub struct Credentials {
    pub account_sid: String,
    pub auth_token: SecretString,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"[redacted]")
            .finish()
    }
}

/// Who a text comes from: a number of the account, or a Messaging Service (which picks one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum From {
    Number(String),
    MessagingService(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundMessage {
    pub to: String,
    pub body: String,
    /// Where Twilio posts delivery statuses.
    pub status_callback: Option<String>,
}

/// Twilio's answer to an accepted text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SentMessage {
    pub sid: String,
    pub status: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Twilio refused it (e.g. 21610: the number has opted out); retrying will not help.
    #[error("Twilio refused the message ({status}, code {code:?}): {message}")]
    Refused {
        status: u16,
        code: Option<i64>,
        message: String,
    },
    /// It may or may not have been accepted (a timeout, a 5xx, an unreadable answer).
    #[error("Twilio's answer is unknown: {0}")]
    Unknown(String),
    /// It was provably never accepted, after every retry.
    #[error("Twilio could not be reached: {0}")]
    Unreachable(String),
}

#[derive(Clone)]
pub struct TwilioClient {
    http: reqwest::Client,
    base: Url,
    credentials: Credentials,
    from: From,
    attempts: u32,
}

/// Twilio's public API.
pub const DEFAULT_API_BASE_URL: &str = "https://api.twilio.com";

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    message: Option<String>,
}

impl TwilioClient {
    pub fn new(
        base: Url,
        credentials: Credentials,
        from: From,
        timeout: Duration,
    ) -> Result<Self, reqwest::Error> {
        Ok(TwilioClient {
            http: reqwest::Client::builder().timeout(timeout).build()?,
            base,
            credentials,
            from,
            attempts: 3,
        })
    }

    fn messages_url(&self) -> String {
        format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            self.base.as_str().trim_end_matches('/'),
            self.credentials.account_sid
        )
    }

    /// Sends one text.
    pub async fn send(&self, message: &OutboundMessage) -> Result<SentMessage, SendError> {
        let mut form: Vec<(&str, &str)> = vec![("To", &message.to), ("Body", &message.body)];
        match &self.from {
            From::Number(number) => form.push(("From", number)),
            From::MessagingService(sid) => form.push(("MessagingServiceSid", sid)),
        }
        if let Some(callback) = &message.status_callback {
            form.push(("StatusCallback", callback));
        }
        let mut last = String::new();
        for attempt in 1..=self.attempts {
            if attempt > 1 {
                tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
            }
            let sent = self
                .http
                .post(self.messages_url())
                .basic_auth(
                    &self.credentials.account_sid,
                    Some(self.credentials.auth_token.expose_secret()),
                )
                .form(&form)
                .send()
                .await;
            let response = match sent {
                Ok(response) => response,
                Err(e) if e.is_connect() => {
                    last = format!("connection failed: {e}");
                    continue;
                }
                Err(e) => return Err(SendError::Unknown(e.to_string())),
            };
            let status = response.status();
            if status.is_success() {
                return response
                    .json::<SentMessage>()
                    .await
                    .map_err(|e| SendError::Unknown(format!("unreadable answer: {e}")));
            }
            if status.as_u16() == 429 {
                last = "429 too many requests".into();
                continue;
            }
            if status.is_server_error() {
                return Err(SendError::Unknown(format!("status {status}")));
            }
            let body: Option<ErrorBody> = response.json().await.ok();
            return Err(SendError::Refused {
                status: status.as_u16(),
                code: body.as_ref().and_then(|b| b.code),
                message: body.and_then(|b| b.message).unwrap_or_default(),
            });
        }
        Err(SendError::Unreachable(last))
    }
}
