//! One customer message through the service: session → lease → idempotency → engine → one
//! transaction that saves the state, both messages, the idempotency record, the summary and
//! any appointment.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use agent::journal::TurnContext;
use agent::{Action, ActionName, ConversationState, Customer, Link, Outcome, QuickReply};
use futures_util::FutureExt;
use pf360::Caller;
use serde::{Deserialize, Serialize};
use store::{Appointment, Lease, StoreError, Summary, TurnWrite};

use crate::App;
use crate::auth::Identity;
use crate::error::ApiError;

/// The longest message accepted, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2000;

#[derive(Debug, Clone, Deserialize)]
pub struct ChatRequest {
    pub message: String,
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub client_message_id: Option<String>,
    /// The message is a button of the reply of this turn (`ChatResponse::turn`).
    #[serde(default)]
    pub reply_to: Option<u64>,
    /// The project the message is about when it names none (a text answering a reminder);
    /// set by the service, never read from a request.
    #[serde(skip)]
    pub focus: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChatResponse {
    pub response: String,
    pub session_id: String,
    pub quick_replies: Vec<QuickReply>,
    pub links: Vec<Link>,
    /// The number of this reply: a button pressed under it is sent back as `reply_to`.
    #[serde(default)]
    pub turn: u64,
    /// The appointments this turn booked, moved or cancelled, with the code we keep.
    #[serde(default)]
    pub appointments: Vec<Confirmation>,
    pub metadata: Metadata,
}

/// An appointment made in a turn, as the customer is told about it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Confirmation {
    pub project_id: String,
    /// `booked`, `rescheduled` or `cancelled`.
    pub kind: String,
    pub date: Option<String>,
    pub time: Option<String>,
    pub confirmation_code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Metadata {
    pub processing_time_ms: u64,
    pub tools_executed: Vec<String>,
    /// True when this answer was given before to the same client_message_id.
    #[serde(default)]
    pub replayed: bool,
}

impl App {
    /// Runs one message for an authenticated customer.
    pub async fn chat(
        self: &Arc<Self>,
        identity: &Identity,
        request: ChatRequest,
        channel: &str,
    ) -> Result<ChatResponse, ApiError> {
        let started = Instant::now();
        let message = clean(&request.message)?;
        if let Some(id) = &request.client_message_id
            && (id.is_empty() || id.len() > 128)
        {
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "invalid_client_message_id",
                "client_message_id must be 1 to 128 characters.",
            ));
        }

        // The session: the customer's own, or a new one. Anyone else's is "not found".
        let ttl_ms = i64::try_from(self.config.session_ttl_secs).unwrap_or(1800) * 1000;
        let session = match &request.session_id {
            Some(id) => {
                let found = self.store.session(id).await.map_err(ApiError::internal)?;
                match found {
                    Some(s)
                        if s.client_id == identity.client_id
                            && s.customer_id == identity.customer_id =>
                    {
                        s
                    }
                    _ => return Err(ApiError::session_not_found()),
                }
            }
            None => {
                let initial = serde_json::to_string(&ConversationState::default())
                    .map_err(ApiError::internal)?;
                // A first message sent again (its answer lost) continues what it started.
                let created = match &request.client_message_id {
                    Some(origin) => {
                        self.store
                            .session_for_origin(
                                &identity.client_id,
                                &identity.customer_id,
                                channel,
                                &initial,
                                ttl_ms,
                                origin,
                            )
                            .await
                    }
                    None => {
                        self.store
                            .create_session(
                                &identity.client_id,
                                &identity.customer_id,
                                channel,
                                &initial,
                                ttl_ms,
                            )
                            .await
                    }
                };
                created.map_err(ApiError::internal)?
            }
        };
        self.limits.check_session(&session.id)?;

        // One turn at a time per session, across processes.
        let lease = match self.store.lease(&session.id).await {
            Ok(lease) => lease,
            Err(StoreError::Busy) => {
                return Err(ApiError::new(
                    axum::http::StatusCode::CONFLICT,
                    "session_busy",
                    "Still working on your previous message; please try again.",
                ));
            }
            Err(StoreError::NotFound) => return Err(ApiError::session_not_found()),
            Err(e) => return Err(ApiError::internal(e)),
        };
        // The turn runs to its end even if the client goes away (a closed tab, a proxy
        // timeout): it may be writing to PF360, and its outcome must be saved and its lease
        // released. A retry with the same client_message_id then gets the saved answer.
        let app = Arc::clone(self);
        let identity = identity.clone();
        let channel = channel.to_string();
        let turn = tokio::spawn(async move {
            app.chat_guarded(
                &identity, &request, &message, &channel, &lease, ttl_ms, started,
            )
            .await
        });
        turn.await
            .unwrap_or_else(|e| Err(ApiError::internal(format!("turn task failed: {e}"))))
    }

    /// Runs the leased turn with its lease renewed meanwhile; a panic is answered like any
    /// other internal error, and the lease released, so a bug does not cost the customer the
    /// session.
    #[allow(clippy::too_many_arguments)]
    async fn chat_guarded(
        &self,
        identity: &Identity,
        request: &ChatRequest,
        message: &str,
        channel: &str,
        lease: &Lease,
        ttl_ms: i64,
        started: Instant,
    ) -> Result<ChatResponse, ApiError> {
        // The lease is renewed while the turn runs, however long PF360 takes: a second
        // message waits for this one instead of taking over the session mid-write.
        let heartbeat = self.renew_while_running(lease);
        let result = AssertUnwindSafe(
            self.chat_leased(identity, request, message, channel, lease, ttl_ms, started),
        )
        .catch_unwind()
        .await
        .unwrap_or_else(|panic| {
            metrics::counter!("turn_panics_total").increment(1);
            Err(ApiError::internal(format!(
                "turn panicked: {}",
                panic_message(panic.as_ref())
            )))
        });
        heartbeat.abort();
        if result.is_err() {
            let _ = self.store.release(lease).await;
        }
        result
    }

    /// Renews `lease` every third of its lifetime until the returned task is aborted.
    fn renew_while_running(&self, lease: &Lease) -> tokio::task::JoinHandle<()> {
        let store = self.store.clone();
        let lease = lease.clone();
        let every = self.lease_policy.ttl / 3;
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                // A renewal stuck on a slow database must not outlive the lease it renews.
                match tokio::time::timeout(every, store.renew(&lease)).await {
                    Err(_) => {
                        tracing::warn!(session_id = %lease.session_id, "session lease renewal timed out")
                    }
                    Ok(Ok(true)) => {}
                    Ok(Ok(false)) => {
                        tracing::error!(session_id = %lease.session_id, "session lease lost during a turn");
                        return;
                    }
                    Ok(Err(error)) => {
                        tracing::warn!(session_id = %lease.session_id, %error, "session lease not renewed")
                    }
                }
            }
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn chat_leased(
        &self,
        identity: &Identity,
        request: &ChatRequest,
        message: &str,
        channel: &str,
        lease: &Lease,
        ttl_ms: i64,
        started: Instant,
    ) -> Result<ChatResponse, ApiError> {
        // A message already answered: the same answer, nothing done again.
        if let Some(id) = &request.client_message_id
            && let Some(previous) = self
                .store
                .processed(&lease.session_id, id)
                .await
                .map_err(ApiError::internal)?
        {
            self.store
                .release(lease)
                .await
                .map_err(ApiError::internal)?;
            let mut response: ChatResponse =
                serde_json::from_str(&previous).map_err(ApiError::internal)?;
            response.metadata.replayed = true;
            metrics::counter!("chat_replays_total").increment(1);
            return Ok(response);
        }

        // Reload under the lease: a turn that ran meanwhile has changed it.
        let session = self
            .store
            .session(&lease.session_id)
            .await
            .map_err(ApiError::internal)?
            .ok_or_else(ApiError::session_not_found)?;
        let now = self.clock.now();
        let expired = session.expires_at < now.timestamp_millis();
        let mut state: ConversationState = if expired {
            ConversationState::default()
        } else {
            serde_json::from_str(&session.state).unwrap_or_else(|e| {
                tracing::error!(session_id = %session.id, error = %e, "stored state unreadable; starting over");
                ConversationState::default()
            })
        };
        // The host says where the reply is shown.
        state.channel = agent::Channel::parse(channel).unwrap_or_default();
        if let Some(project) = &request.focus
            && state.flow.is_none()
        {
            state.focus = Some(project.clone());
        }
        let customer = Customer {
            caller: Caller {
                client_id: identity.client_id.clone(),
                client_name: identity.client_name.clone(),
                customer_id: identity.customer_id.clone(),
                token: identity.token.clone(),
            },
            timezone: self.timezone_of(&identity.client_id),
        };
        let context = TurnContext {
            session_id: session.id.clone(),
            client_message_id: request.client_message_id.clone(),
            answers_turn: request.reply_to,
        };
        let outcome = self
            .engine
            .turn_in(&context, state, &customer, message, now)
            .await;
        for signal in &outcome.understanding.signals {
            metrics::counter!("injection_signals_total", "kind" => *signal).increment(1);
        }

        let mut text = outcome.reply.text.clone();
        if expired {
            text = format!(
                "Welcome back! Our earlier conversation timed out, so let's start fresh.\n\n{text}"
            );
        }
        let tools: Vec<String> = outcome.actions.iter().map(|a| a.name.to_string()).collect();
        let appointments = appointments_of(&outcome.actions, identity);
        let response = ChatResponse {
            response: text.clone(),
            session_id: session.id.clone(),
            quick_replies: outcome.reply.quick_replies.clone(),
            links: outcome.reply.links.clone(),
            turn: outcome.state.turn,
            appointments: appointments
                .iter()
                .map(|a| Confirmation {
                    project_id: a.project_id.clone(),
                    kind: a.kind.clone(),
                    date: a.date.clone(),
                    time: a.time.clone(),
                    confirmation_code: a.confirmation_code.clone().unwrap_or_default(),
                })
                .collect(),
            metadata: Metadata {
                processing_time_ms: started.elapsed().as_millis() as u64,
                tools_executed: tools.clone(),
                replayed: false,
            },
        };

        let previous = self
            .store
            .summary(&session.id)
            .await
            .map_err(ApiError::internal)?;
        let made = previous.as_ref().is_some_and(|p| p.1)
            || appointments.iter().any(|a| a.kind != "cancelled");
        let wrote = !appointments.is_empty()
            || outcome
                .actions
                .iter()
                .any(|a| a.name == ActionName::AddNote && a.outcome == Outcome::Ok);
        let outcome_label = if outcome.state.handed_off {
            "handed_off"
        } else if wrote || previous.as_ref().is_some_and(|p| p.0 == "completed") {
            "completed"
        } else {
            "abandoned"
        };
        let write = TurnWrite {
            state: serde_json::to_string(&outcome.state).map_err(ApiError::internal)?,
            ttl_ms,
            channel: channel.to_string(),
            customer_text: message.to_string(),
            assistant_text: text,
            actions: serde_json::to_string(&outcome.actions).map_err(ApiError::internal)?,
            latency_ms: started.elapsed().as_millis() as i64,
            client_message: match &request.client_message_id {
                Some(id) => Some((
                    id.clone(),
                    serde_json::to_string(&response).map_err(ApiError::internal)?,
                )),
                None => None,
            },
            summary: Some(Summary {
                client_id: identity.client_id.clone(),
                customer_id: identity.customer_id.clone(),
                outcome: outcome_label.into(),
                actions: serde_json::to_string(&tools).map_err(ApiError::internal)?,
                appointment_made: made,
                turns: previous.map_or(0, |p| p.2) + 1,
            }),
            appointments: appointments.clone(),
        };
        self.store
            .save_turn(lease, &write)
            .await
            .map_err(ApiError::internal)?;
        self.plan_reminders(&appointments).await;

        let elapsed = started.elapsed().as_secs_f64();
        let turn_outcome =
            if outcome.understanding.commands == [agent::understand::Command::Unclear] {
                "unclear"
            } else {
                "ok"
            };
        metrics::counter!("chat_turns_total", "channel" => channel.to_string(), "outcome" => turn_outcome).increment(1);
        metrics::histogram!("chat_turn_duration_seconds", "channel" => channel.to_string())
            .record(elapsed);
        for a in &appointments {
            metrics::counter!("appointments_total", "kind" => a.kind.clone()).increment(1);
        }
        tracing::info!(session_id = %session.id, actions = ?tools, latency_ms = (elapsed * 1000.0) as u64, "turn");
        tracing::debug!(session_id = %session.id, message = %message, "turn text");
        Ok(response)
    }
}

/// A message as the engine gets it: trimmed, tabs and other spacing controls made spaces,
/// other control characters removed, bounded.
fn clean(raw: &str) -> Result<String, ApiError> {
    let text: String = raw
        .chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\r' => None,
            c if c.is_whitespace() => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "empty_message",
            "The message is empty.",
        ));
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "message_too_long",
            format!("Messages are limited to {MAX_MESSAGE_CHARS} characters."),
        ));
    }
    Ok(text.to_string())
}

/// The appointments a turn made (test mode makes none).
fn appointments_of(actions: &[Action], identity: &Identity) -> Vec<Appointment> {
    actions
        .iter()
        .filter(|a| a.outcome == Outcome::Ok)
        .filter_map(|a| {
            let (kind, status) = match a.name {
                ActionName::ConfirmAppointment => ("booked", "scheduled"),
                ActionName::RescheduleAppointment => ("rescheduled", "scheduled"),
                ActionName::CancelAppointment => ("cancelled", "cancelled"),
                _ => return None,
            };
            Some(Appointment {
                client_id: identity.client_id.clone(),
                customer_id: identity.customer_id.clone(),
                project_id: a.project_id.clone().unwrap_or_default(),
                kind: kind.into(),
                date: a.date.map(|d| d.to_string()),
                time: a.time.map(|t| t.format("%H:%M").to_string()),
                status: status.into(),
                confirmation_code: Some(store::new_confirmation_code()),
            })
        })
        .collect()
}

/// What a panic said, for the log.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
