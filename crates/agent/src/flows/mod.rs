//! The flows: deterministic code that decides and acts on the commands of a message.
//!
//! A turn takes (state, customer, message, now) and returns (new state, reply, actions). Every
//! business rule lives here: which project, which dates PF360 really offered, that a write
//! follows an explicit yes to a summary, that test mode books nothing. Whatever produced the
//! commands, the flows can only do what the customer could do in the customer portal.

mod action;
mod booking;
mod cancel;
mod info;
mod notes;
pub mod projects;
mod runtime;
mod spec;
mod writes;

pub use action::ActionName;
pub use writes::WritePolicy;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use pf360::{Caller, Pf360Client, Pf360Error, Project};
use serde::Serialize;

use crate::journal::{MemoryJournal, TurnContext, WriteJournal};
use crate::notes::NoteBook;
use crate::reply::{self, Reply};
use crate::state::ConversationState;
use crate::understand::{Command, Source, Understander, Understanding};
use crate::weather::Forecaster;

/// The authenticated customer: from the session, never from what was typed.
#[derive(Debug, Clone)]
pub struct Customer {
    pub caller: Caller,
    /// The client's time zone: "today", "tomorrow" and "at 3" are read in it.
    pub timezone: Tz,
}

/// Something the assistant did (a PF360 call, a note kept, a hand-off), for transcripts and
/// metrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    pub name: ActionName,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    pub outcome: Outcome,
    /// The appointment a booking wrote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<NaiveTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    /// Test mode: the write was not sent.
    TestMode,
    /// The error kind (`timeout`, `conflict`, …).
    Failed(&'static str),
}

/// What a turn produced.
#[derive(Debug, Clone)]
pub struct TurnOutcome {
    pub state: ConversationState,
    pub reply: Reply,
    pub actions: Vec<Action>,
    pub understanding: Understanding,
    /// Rules, the model, or rules after the model failed.
    pub source: Source,
}

/// The conversation engine. Holds no conversation state; cheap to share.
#[derive(Clone)]
pub struct Engine {
    pf360: Pf360Client,
    notes: Arc<dyn NoteBook>,
    weather: Arc<dyn Forecaster>,
    understander: Understander,
    journal: Arc<dyn WriteJournal>,
    writes: WritePolicy,
}

impl Engine {
    pub fn new(pf360: Pf360Client, notes: Arc<dyn NoteBook>, weather: Arc<dyn Forecaster>) -> Self {
        Engine {
            pf360,
            notes,
            weather,
            understander: Understander::rules(),
            journal: Arc::new(MemoryJournal::default()),
            writes: WritePolicy::default(),
        }
    }

    /// Records writes in `journal` (durable, shared by every process) instead of in memory.
    pub fn with_journal(mut self, journal: Arc<dyn WriteJournal>) -> Self {
        self.journal = journal;
        self
    }

    pub fn with_write_policy(mut self, writes: WritePolicy) -> Self {
        self.writes = writes;
        self
    }

    /// Understands messages with `understander` instead of rules alone.
    pub fn with_understander(mut self, understander: Understander) -> Self {
        self.understander = understander;
        self
    }

    /// One customer message, start to finish, in a conversation with no host session.
    pub async fn turn(
        &self,
        state: ConversationState,
        customer: &Customer,
        message: &str,
        now: DateTime<Utc>,
    ) -> TurnOutcome {
        self.turn_in(&TurnContext::default(), state, customer, message, now)
            .await
    }

    /// One customer message in the host's session `context`.
    pub async fn turn_in(
        &self,
        context: &TurnContext,
        state: ConversationState,
        customer: &Customer,
        message: &str,
        now: DateTime<Utc>,
    ) -> TurnOutcome {
        let local_now = now.with_timezone(&customer.timezone).naive_local();
        // On a phone, "2" under numbered choices is that choice.
        let picked = crate::sms::choice(message, &state.sms_choices).map(|c| c.value.clone());
        let message = picked.as_deref().unwrap_or(message);
        let (understanding, source) = self
            .understander
            .understand(message, &state, local_now)
            .await;
        let mut outcome = self
            .run(context, state, customer, message, now, understanding)
            .await;
        outcome.source = source;
        outcome
    }

    /// A turn whose commands were already produced (by rules or another understanding).
    pub async fn turn_with(
        &self,
        state: ConversationState,
        customer: &Customer,
        message: &str,
        now: DateTime<Utc>,
        understanding: Understanding,
    ) -> TurnOutcome {
        self.run(
            &TurnContext::default(),
            state,
            customer,
            message,
            now,
            understanding,
        )
        .await
    }

    async fn run(
        &self,
        context: &TurnContext,
        mut state: ConversationState,
        customer: &Customer,
        message: &str,
        now: DateTime<Utc>,
        understanding: Understanding,
    ) -> TurnOutcome {
        if !understanding.signals.is_empty() {
            tracing::warn!(signals = ?understanding.signals, "prompt-injection signals in a message");
        }
        let local_now = now.with_timezone(&customer.timezone).naive_local();
        // Answered in the language the customer wrote in; "ok" keeps the one they had.
        if let Some(language) = understanding.language {
            state.language = language;
        }
        let mut turn = Turn {
            engine: self,
            context,
            customer,
            now,
            started: std::time::Instant::now(),
            today: local_now.date(),
            projects: None,
            actions: Vec::new(),
            reply: Reply::new(state.language, state.channel),
        };
        // Writes left unfinished (a crash, a lost answer) are settled before anything else;
        // a retried message whose write is now known gets that answer and nothing more.
        // A button under an older reply (an old "Yes" under a summary since changed, a date
        // offered before the booking was made) is never applied to the question now open.
        let stale = context.answers_turn.is_some_and(|n| n != state.turn);
        if !turn.recover_writes(&mut state).await {
            if stale {
                reply::stale_answer(&mut turn.reply);
                turn.resume_quietly(&mut state).await;
            } else {
                turn.requests(&mut state, &understanding, message).await;
            }
        }
        state.turn += 1;
        if !turn.reply.asks_yes {
            state.forget_summary();
        }
        state.sms_choices = if state.channel == crate::Channel::Sms {
            crate::sms::present(&mut turn.reply)
        } else {
            Vec::new()
        };
        if understanding.commands == [Command::Unclear] {
            state.unclear_streak += 1;
        } else {
            state.unclear_streak = 0;
        }
        TurnOutcome {
            state,
            reply: turn.reply,
            actions: turn.actions,
            understanding,
            source: Source::Rules,
        }
    }
}

/// The working context of one turn.
struct Turn<'a> {
    engine: &'a Engine,
    context: &'a TurnContext,
    customer: &'a Customer,
    now: DateTime<Utc>,
    /// When the turn began on this machine's monotonic clock: `now` plus the time since is
    /// the time at any point of the turn.
    started: std::time::Instant,
    today: NaiveDate,
    /// The dashboard, fetched at most once per turn unless a write changed it.
    projects: Option<Vec<Project>>,
    actions: Vec<Action>,
    reply: Reply,
}

impl Turn<'_> {
    fn caller(&self) -> &Caller {
        &self.customer.caller
    }

    /// The time now, some way into the turn.
    fn clock_now(&self) -> DateTime<Utc> {
        self.now + chrono::Duration::from_std(self.started.elapsed()).unwrap_or_default()
    }

    fn record(&mut self, name: ActionName, project_id: Option<&str>, outcome: Outcome) {
        self.actions.push(Action {
            name,
            project_id: project_id.map(str::to_string),
            outcome,
            date: None,
            time: None,
        });
    }

    fn record_result<T>(
        &mut self,
        name: ActionName,
        project_id: Option<&str>,
        result: &Result<T, Pf360Error>,
    ) {
        let outcome = match result {
            Ok(_) => Outcome::Ok,
            Err(e) => Outcome::Failed(e.kind()),
        };
        self.record(name, project_id, outcome);
    }

    /// The customer's projects; on failure the reply already says why.
    async fn projects(&mut self) -> Option<Vec<Project>> {
        if let Some(projects) = &self.projects {
            return Some(projects.clone());
        }
        let result = self.engine.pf360.projects(self.caller()).await;
        self.record_result(ActionName::ListProjects, None, &result);
        match result {
            Ok(projects) => {
                self.projects = Some(projects.clone());
                Some(projects)
            }
            Err(error) => {
                reply::pf360_error(&mut self.reply, &error);
                None
            }
        }
    }

    async fn project(&mut self, id: &str) -> Option<Project> {
        self.projects().await?.into_iter().find(|p| p.id == id)
    }
}
