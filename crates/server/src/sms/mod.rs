//! The SMS channel: a text from a phone of record becomes a turn of that customer's SMS
//! conversation — the same engine, state and transcripts as the web, channel `sms` — after the
//! carrier's keywords (opt-out, opt-in, help) have had their say.
//!
//! Identity comes only from the directory (the `From` number of a signed webhook), and PF360
//! is called with the client's service token on that customer's behalf; nothing the customer
//! writes can name another customer. A text is claimed by its `MessageSid` before anything
//! is done, so Twilio's retries get the first answer and never a second turn.
//!
//! The answer goes back as TwiML when the turn finishes within the reply budget; otherwise the
//! webhook answers an empty `<Response/>` at once and the text follows through the REST API.

pub mod config;
mod delivery;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use agent::sms::{Keyword, keyword_language, keyword_reply, unknown_number};
use agent::{ConversationState, Language};
use pf360::Token;
use secrecy::ExposeSecret;
use store::{Claim, Consent, CustomerRecord};
use twilio::{Credentials, OutboundMessage, SendError, TwilioClient};

use crate::App;
use crate::auth::Identity;
use crate::conversation::ChatRequest;
use crate::error::ApiError;
use config::SmsConfig;
use delivery::Handoff;

/// The channel, when Twilio is configured.
pub struct Sms {
    texter: TwilioClient,
    auth_token: String,
    public_base: String,
    service_tokens: HashMap<String, Token>,
    client_names: HashMap<String, String>,
    keywords: agent::sms::Keywords,
    budget: Duration,
    business_name: Option<String>,
    support_phone: Option<String>,
    pub(crate) reminder_offsets: Vec<(String, chrono::Duration)>,
    pub(crate) quiet_hours: (chrono::NaiveTime, chrono::NaiveTime),
    pub(crate) reminder_poll_secs: u64,
    fold_accents: bool,
}

/// An inbound text, as Twilio posts it.
#[derive(Debug, Clone)]
pub struct Inbound {
    pub message_sid: String,
    pub from: String,
    pub to: String,
    pub body: String,
}

impl Sms {
    /// The channel from its settings; `service_tokens` are the configured ones, or the mock
    /// fixture's in demo mode.
    pub(crate) fn new(
        config: &SmsConfig,
        listening: std::net::SocketAddr,
        service_tokens: HashMap<String, Token>,
        client_names: HashMap<String, String>,
    ) -> Result<Option<Sms>, String> {
        let (Some(account_sid), Some(auth_token)) = (&config.account_sid, &config.auth_token)
        else {
            return Ok(None);
        };
        let from = match (&config.messaging_service_sid, &config.from_number) {
            (Some(service), _) => twilio::From::MessagingService(service.clone()),
            (None, Some(number)) => twilio::From::Number(number.clone()),
            (None, None) => return Err("no TWILIO_FROM_NUMBER".into()),
        };
        let base = url::Url::parse(&config.api_base_url).map_err(|e| e.to_string())?;
        let texter = TwilioClient::new(
            base,
            Credentials {
                account_sid: account_sid.clone(),
                auth_token: auth_token.clone(),
            },
            from,
            Duration::from_secs(10),
        )
        .map_err(|e| e.to_string())?;
        Ok(Some(Sms {
            texter,
            auth_token: auth_token.expose_secret().to_string(),
            public_base: config
                .public_base_url
                .clone()
                .unwrap_or_else(|| format!("http://{listening}"))
                .trim_end_matches('/')
                .to_string(),
            service_tokens,
            client_names,
            keywords: config.keywords.clone(),
            budget: Duration::from_millis(config.reply_budget_ms),
            business_name: config.business_name.clone(),
            support_phone: config.support_phone.clone(),
            reminder_offsets: config.reminder_offsets.clone(),
            quiet_hours: config.quiet_hours,
            reminder_poll_secs: config.reminder_poll_secs,
            fold_accents: config.fold_accents,
        }))
    }

    /// The URL Twilio signs for `path`.
    pub fn public_url(&self, path: &str) -> String {
        format!("{}{path}", self.public_base)
    }

    /// Whether a webhook to `path` carries Twilio's signature of `params`.
    pub fn verify(&self, path: &str, params: &[(String, String)], signature: &str) -> bool {
        twilio::signature::verify(&self.auth_token, &self.public_url(path), params, signature)
    }

    /// `body` as it goes to a phone: GSM-7 where the letters allow (SMS_FOLD_ACCENTS).
    fn for_phone(&self, body: &str) -> String {
        twilio::segments::fold_to_gsm(body, self.fold_accents)
    }

    /// TwiML texting `body`.
    fn twiml(&self, body: &str) -> String {
        twilio::twiml::message(&self.for_phone(body))
    }

    /// The PF360 token that acts for the client's customers.
    pub(crate) fn service_token(&self, client_id: &str) -> Option<Token> {
        self.service_tokens.get(client_id).cloned()
    }

    /// The client's name in PF360's links.
    pub(crate) fn client_name(&self, client_id: &str) -> String {
        self.client_names
            .get(client_id)
            .cloned()
            .unwrap_or_else(|| client_id.to_string())
    }

    pub(crate) fn business(&self, client_id: Option<&str>) -> String {
        if let Some(name) = &self.business_name {
            return name.clone();
        }
        let name = client_id
            .and_then(|c| self.client_names.get(c))
            .map_or("our team", String::as_str);
        // "alamo-ridge" → "Alamo Ridge".
        name.split(['-', '_', ' '])
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut chars = w.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_uppercase().chain(chars).collect()
                })
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn support_phone(&self, texted: &str) -> String {
        self.support_phone
            .clone()
            .unwrap_or_else(|| texted.to_string())
    }
}

/// What the conversation is given for an inbound text.
struct Turn {
    message: String,
    /// The project a reminder was about, when the text answers one.
    focus: Option<String>,
}

/// `+` and 8 to 15 digits, the first not 0.
pub fn is_e164(phone: &str) -> bool {
    phone.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

fn language_of(customer: &CustomerRecord) -> Language {
    match customer.language.as_deref() {
        Some("es") => Language::Spanish,
        _ => Language::English,
    }
}

impl App {
    /// Answers an inbound text (signature already checked): TwiML.
    pub(crate) async fn sms_inbound(self: &Arc<Self>, text: Inbound) -> Result<String, ApiError> {
        let sms = self.sms.as_ref().ok_or_else(ApiError::sms_disabled)?;
        match self
            .store
            .claim_inbound(&text.message_sid, &text.from, &text.body)
            .await
            .map_err(ApiError::internal)?
        {
            Claim::New => {}
            Claim::Seen(answer) => {
                metrics::counter!("sms_inbound_total", "outcome" => "retry").increment(1);
                tracing::info!(message_sid = %text.message_sid, "repeated MessageSid: first answer returned");
                return Ok(answer.unwrap_or_else(twilio::twiml::empty));
            }
        }
        let customer = self
            .store
            .customer_by_phone(&text.from)
            .await
            .map_err(ApiError::internal)?;
        let Some(customer) = customer else {
            metrics::counter!("sms_inbound_total", "outcome" => "unknown_number").increment(1);
            tracing::info!(message_sid = %text.message_sid, "text from a number not on file");
            let answer = sms.twiml(&unknown_number(
                Language::English,
                &sms.business(None),
                &sms.support_phone(&text.to),
            ));
            return self.answered(&text, answer, None, None).await;
        };
        let who = Some((customer.client_id.as_str(), customer.customer_id.as_str()));

        if let Some((keyword, word)) = sms.keywords.classify(&text.body) {
            let language = keyword_language(&word, language_of(&customer));
            let say = |keyword| {
                sms.twiml(&keyword_reply(
                    keyword,
                    language,
                    &sms.business(Some(&customer.client_id)),
                    &sms.support_phone(&text.to),
                ))
            };
            match keyword {
                Keyword::OptOut if !customer.sms_opt_out => {
                    self.store
                        .record_consent(&text.from, who, Consent::OptOut, &word)
                        .await
                        .map_err(ApiError::internal)?;
                    metrics::counter!("sms_opt_outs_total").increment(1);
                    tracing::info!(message_sid = %text.message_sid, keyword = %word, "opted out");
                    return self.answered(&text, say(Keyword::OptOut), who, None).await;
                }
                // "YES" is an opt-in only from an opted-out number; otherwise it is an answer.
                Keyword::OptIn if customer.sms_opt_out || word != "YES" => {
                    self.store
                        .record_consent(&text.from, who, Consent::OptIn, &word)
                        .await
                        .map_err(ApiError::internal)?;
                    metrics::counter!("sms_opt_ins_total").increment(1);
                    tracing::info!(message_sid = %text.message_sid, keyword = %word, "opted in");
                    return self.answered(&text, say(Keyword::OptIn), who, None).await;
                }
                Keyword::Help if !customer.sms_opt_out => {
                    metrics::counter!("sms_inbound_total", "outcome" => "help").increment(1);
                    return self.answered(&text, say(Keyword::Help), who, None).await;
                }
                _ => {}
            }
        }
        if customer.sms_opt_out {
            // No message of any kind to an opted-out number.
            metrics::counter!("sms_inbound_total", "outcome" => "opted_out").increment(1);
            tracing::info!(message_sid = %text.message_sid, "text from an opted-out number: no answer");
            return self
                .answered(&text, twilio::twiml::empty(), who, None)
                .await;
        }
        // An answer to a reminder: C confirms, R reschedules, anything else is about that
        // appointment's project.
        let since = self.clock.now() - chrono::Duration::hours(48);
        let reminded = self
            .store
            .last_sent_reminder(
                &customer.client_id,
                &customer.customer_id,
                since.timestamp_millis(),
            )
            .await
            .map_err(ApiError::internal)?;
        let letter = text.body.trim().trim_end_matches(['.', '!']).to_uppercase();
        let mut turn = Turn {
            message: text.body.clone(),
            focus: None,
        };
        if let Some(reminder) = reminded {
            match letter.as_str() {
                "C" => return self.confirm_by_text(sms, &text, &customer, &reminder).await,
                "R" => turn.message = agent::sms::reschedule_request(language_of(&customer)),
                _ => {}
            }
            turn.focus = Some(reminder.project_id);
        }
        self.sms_turn(sms, text, customer, turn).await
    }

    /// "C" under a reminder: the appointment confirmed in our records and noted on PF360.
    async fn confirm_by_text(
        &self,
        sms: &Sms,
        text: &Inbound,
        customer: &CustomerRecord,
        reminder: &store::ReminderRecord,
    ) -> Result<String, ApiError> {
        let who = Some((customer.client_id.as_str(), customer.customer_id.as_str()));
        self.store
            .confirm_appointment(&customer.client_id, &reminder.project_id)
            .await
            .map_err(ApiError::internal)?;
        const NOTE: &str = "Customer confirmed by text";
        if let Some(token) = sms.service_token(&customer.client_id) {
            let caller = pf360::Caller {
                client_id: customer.client_id.clone(),
                client_name: sms.client_name(&customer.client_id),
                customer_id: customer.customer_id.clone(),
                token,
            };
            match self
                .pf360
                .add_note(&caller, &reminder.project_id, NOTE)
                .await
            {
                Ok(_) => {
                    let note = store::NoteRecord {
                        client_id: customer.client_id.clone(),
                        customer_id: customer.customer_id.clone(),
                        project_id: reminder.project_id.clone(),
                        text: NOTE.into(),
                        created_at: self.clock.now().timestamp_millis(),
                    };
                    if let Err(error) = self.store.add_note(&note).await {
                        tracing::warn!(%error, "confirmation note not kept here");
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, project_id = %reminder.project_id, "confirmation note not added on PF360")
                }
            }
        }
        metrics::counter!("sms_inbound_total", "outcome" => "confirmed").increment(1);
        let at =
            chrono::NaiveDateTime::parse_from_str(&reminder.appointment_local, "%Y-%m-%d %H:%M")
                .map_err(ApiError::internal)?;
        let answer = sms.twiml(&agent::sms::confirmed(language_of(customer), at));
        self.answered(text, answer, who, None).await
    }

    /// A turn of the customer's SMS conversation.
    async fn sms_turn(
        self: &Arc<Self>,
        sms: &Sms,
        text: Inbound,
        customer: CustomerRecord,
        turn: Turn,
    ) -> Result<String, ApiError> {
        let Some(token) = sms.service_token(&customer.client_id) else {
            tracing::error!(client_id = %customer.client_id, "no PF360 service token for this client: SMS cannot act");
            let answer = sms.twiml(&agent::sms::unavailable(language_of(&customer)));
            let who = Some((customer.client_id.as_str(), customer.customer_id.as_str()));
            return self.answered(&text, answer, who, None).await;
        };
        let session_id = self.sms_session(&customer).await?;
        let identity = Identity {
            client_name: sms.client_name(&customer.client_id),
            client_id: customer.client_id.clone(),
            customer_id: customer.customer_id.clone(),
            token,
        };
        let request = ChatRequest {
            message: turn.message,
            session_id: Some(session_id.clone()),
            client_message_id: Some(text.message_sid.clone()),
            reply_to: None,
            focus: turn.focus,
        };
        let handoff = Handoff::new();
        let session = session_id.clone();
        let app = self.clone();
        let (late, inbound) = (handoff.clone(), text.clone());
        let language = language_of(&customer);
        tokio::spawn(async move {
            let reply = match app.chat(&identity, request, "sms").await {
                Ok(response) => response.response,
                Err(error) => {
                    tracing::warn!(message_sid = %inbound.message_sid, error = %error.message, "SMS turn failed");
                    agent::sms::unavailable(language)
                }
            };
            if let Err(reply) = late.deliver(reply) {
                // The webhook has answered already: the reply goes by the REST API.
                let who = Some((identity.client_id.as_str(), identity.customer_id.as_str()));
                // A failure is logged and counted where it happens.
                let _ = app
                    .send_text(&inbound.from, &reply, who, Some(&session_id))
                    .await;
                let _ = app
                    .answered(&inbound, twilio::twiml::empty(), who, Some(&session_id))
                    .await;
            }
        });
        let who = Some((customer.client_id.as_str(), customer.customer_id.as_str()));
        match handoff.wait(sms.budget).await {
            Some(reply) => {
                metrics::counter!("sms_inbound_total", "outcome" => "answered").increment(1);
                record_segments(&reply);
                self.answered(&text, sms.twiml(&reply), who, Some(&session))
                    .await
            }
            None => {
                metrics::counter!("sms_inbound_total", "outcome" => "deferred").increment(1);
                tracing::info!(message_sid = %text.message_sid, "turn over the reply budget: answering by REST");
                Ok(twilio::twiml::empty())
            }
        }
    }

    /// The customer's SMS conversation: the latest one still open, else a new one in their
    /// language.
    async fn sms_session(&self, customer: &CustomerRecord) -> Result<String, ApiError> {
        let now = self.clock.now().timestamp_millis();
        if let Some(session) = self
            .store
            .latest_session(&customer.client_id, &customer.customer_id, "sms")
            .await
            .map_err(ApiError::internal)?
            && session.expires_at > now
        {
            return Ok(session.id);
        }
        let state = ConversationState {
            language: language_of(customer),
            channel: agent::Channel::Sms,
            ..ConversationState::default()
        };
        let ttl_ms = i64::try_from(self.config.session_ttl_secs).unwrap_or(1800) * 1000;
        let session = self
            .store
            .create_session(
                &customer.client_id,
                &customer.customer_id,
                "sms",
                &serde_json::to_string(&state).map_err(ApiError::internal)?,
                ttl_ms,
            )
            .await
            .map_err(ApiError::internal)?;
        Ok(session.id)
    }

    /// Records the answer a retry of this text will get, and returns it.
    async fn answered(
        &self,
        text: &Inbound,
        answer: String,
        customer: Option<(&str, &str)>,
        session_id: Option<&str>,
    ) -> Result<String, ApiError> {
        self.store
            .answer_inbound(&text.message_sid, &answer, customer, session_id)
            .await
            .map_err(ApiError::internal)?;
        Ok(answer)
    }

    /// Texts `body` to `to` through Twilio's REST API and records it; the message SID, or
    /// why Twilio did not take it (logged and counted here).
    pub(crate) async fn send_text(
        &self,
        to: &str,
        body: &str,
        customer: Option<(&str, &str)>,
        session_id: Option<&str>,
    ) -> Result<String, SendError> {
        let sms = self
            .sms
            .as_ref()
            .ok_or_else(|| SendError::Unreachable("SMS is not configured".into()))?;
        let body = &sms.for_phone(body);
        let message = OutboundMessage {
            to: to.to_string(),
            body: body.to_string(),
            status_callback: Some(sms.public_url("/channels/twilio/status")),
        };
        let size = record_segments(body);
        match sms.texter.send(&message).await {
            Ok(sent) => {
                metrics::counter!("sms_outbound_total", "outcome" => "accepted").increment(1);
                let recorded = self
                    .store
                    .record_outbound(&store::Outbound {
                        message_sid: &sent.sid,
                        phone: to,
                        customer,
                        session_id,
                        body,
                        status: &sent.status,
                        segments: i64::try_from(size.segments).unwrap_or(i64::MAX),
                        encoding: size.encoding.name(),
                    })
                    .await;
                if let Err(error) = recorded {
                    tracing::error!(message_sid = %sent.sid, %error, "text sent but not recorded");
                }
                Ok(sent.sid)
            }
            Err(error) => {
                metrics::counter!("sms_outbound_total", "outcome" => "failed").increment(1);
                tracing::error!(%error, "text not sent");
                Err(error)
            }
        }
    }
}

/// Counts a reply's size (characters, segments, encoding) in the metrics.
fn record_segments(body: &str) -> twilio::Segments {
    let size = twilio::segments::count(body);
    metrics::histogram!("sms_segments", "encoding" => size.encoding.name())
        .record(size.segments as f64);
    size
}
