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
mod writes;

pub use action::ActionName;
pub use writes::WritePolicy;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use pf360::{Caller, Pf360Client, Pf360Error, Project};
use serde::Serialize;

use crate::catalogue::{Message, msg};
use crate::journal::{MemoryJournal, TurnContext, WriteJournal};
use crate::notes::NoteBook;
use crate::reply::{self, Reply};
use crate::state::{ConversationState, Flow};
use crate::understand::{Command, Intent, SmallTalk, Source, Understander, Understanding};
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

    /// Every request of the message, in the order said. A write asked for while another
    /// waits for an answer is kept for later and said so; a question is answered at once; a
    /// request naming a project the customer does not have is answered as such and never
    /// turned into a request about another project.
    async fn requests(&mut self, s: &mut ConversationState, u: &Understanding, raw: &str) {
        let requests = u.requests();
        let several = requests.len() > 1;
        let mut said_date = None;
        let mut needs_prompt = false;
        let mut dispatched = false;
        for mut request in requests {
            let date = request.commands.iter().find_map(|c| match c {
                Command::SetDate { date } => Some(*date),
                _ => None,
            });
            match date {
                Some(d) => said_date = Some(d),
                // "…and what's the forecast that day?": the day just named.
                None if several && request.intent().is_some_and(Intent::is_question) => {
                    if let Some(date) = said_date {
                        request.commands.push(Command::SetDate { date });
                    }
                }
                None => {}
            }
            if (several || request.intent().is_some()) && self.unknown_project(s, &request).await {
                continue;
            }
            if waits_for_flow(s, &request) {
                let Some(intent) = request.intent() else {
                    continue;
                };
                reply::queued(&mut self.reply, intent_noun(intent));
                // "…tell the crew to call first, and 10am for the time": a day or time is for
                // the booking under way, not for a note or a cancellation kept for later.
                let (when, rest): (Vec<Command>, Vec<Command>) = request
                    .commands
                    .into_iter()
                    .partition(|c| c.is_when() && !uses_when(intent));
                keep_for_later(s, intent, rest);
                if when.is_empty() {
                    needs_prompt = true;
                } else {
                    let answer = Understanding {
                        commands: when,
                        ..Understanding::default()
                    };
                    self.dispatch(s, &answer, "").await;
                    dispatched = true;
                }
                continue;
            }
            self.dispatch(s, &request, raw).await;
            dispatched = true;
        }
        // A request kept for later, and nothing else said: the question under way again.
        if needs_prompt && !dispatched {
            self.resume(s).await;
        }
        self.next_pending(s).await;
    }

    /// Whether `request` names a project the customer does not have; if so the reply says so.
    async fn unknown_project(&mut self, s: &ConversationState, request: &Understanding) -> bool {
        let Some(reference) = request.commands.iter().find_map(|c| match c {
            Command::SetProject { project } => Some(project.clone()),
            _ => None,
        }) else {
            return false;
        };
        let Some(projects) = self.projects().await else {
            return false;
        };
        if projects::resolve(&reference, s.focus.as_deref(), &projects) != projects::Named::Unknown
        {
            return false;
        }
        reply::project_not_found_named(&mut self.reply, &reference);
        true
    }

    /// Once nothing is under way, the requests kept for later, one at a time.
    async fn next_pending(&mut self, s: &mut ConversationState) {
        while s.flow.is_none() && !s.pending.is_empty() {
            let commands = s.pending.remove(0);
            let request = Understanding {
                commands,
                ..Understanding::default()
            };
            if let Some(intent) = request.intent() {
                reply::next_request(&mut self.reply, intent_noun(intent));
            }
            if self.unknown_project(s, &request).await {
                continue;
            }
            self.dispatch(s, &request, "").await;
        }
    }

    async fn dispatch(&mut self, s: &mut ConversationState, u: &Understanding, raw: &str) {
        let stop = u.has(|c| *c == Command::CancelFlow);

        // Waiting for the text of a note: the message is the note, unless it says something
        // else the understanding knows (a time, a date, a yes, another request): an answer
        // meant for another question is never swallowed as a note.
        // Asked which project, the customer gives the note first: kept, and the question stays.
        if let Some(Flow::Noting(noting)) = &mut s.flow
            && (noting.awaiting_text || (noting.text.is_none() && u.commands == [Command::Unclear]))
            && !stop
            && free_text(u)
        {
            noting.text = Some(raw.trim().to_string());
            noting.awaiting_text = false;
            return self.note_flow(s, u).await;
        }

        // A summary is waiting for a yes and this message says nothing we understood: never
        // show the same summary as if nothing had been said.
        let revises_words_only = !matches!(s.flow, Some(Flow::Noting(_)))
            && u.commands
                .iter()
                .all(|c| matches!(c, Command::Revise { .. } | Command::Unclear));
        if s.awaiting_yes() && (u.commands == [Command::Unclear] || revises_words_only) {
            if let Some(flow) = &s.flow {
                reply::change_not_understood(&mut self.reply, describe(flow));
            }
            return;
        }

        if stop {
            // "Scratch all of that": what was kept for later goes too.
            s.pending.clear();
            if let Some(flow) = s.flow.take() {
                s.offer = None;
                reply::stopped(&mut self.reply, describe(&flow));
                return;
            }
            if u.intent().is_none() {
                // "cancel" alone with nothing going on: the customer means an appointment
                // (still only after a summary and a yes). "Never mind" means nothing more.
                if raw
                    .trim()
                    .trim_end_matches(['.', '!'])
                    .eq_ignore_ascii_case("cancel")
                {
                    s.flow = Some(Flow::Cancelling(Default::default()));
                    return self.cancel_flow(s, u).await;
                }
                return reply::stopped(&mut self.reply, msg!("topic-there"));
            }
        }

        let greeted = u.has(|c| {
            *c == Command::SmallTalk {
                kind: SmallTalk::Greeting,
            }
        });
        if !u.signals.is_empty() && u.intent().is_none() && s.flow.is_none() {
            reply::injection(&mut self.reply);
        }

        match u.intent() {
            Some(Intent::Handoff) => {
                s.flow = None;
                s.pending.clear();
                s.offer = None;
                s.handed_off = true;
                self.record(ActionName::Handoff, None, Outcome::Ok);
                reply::handoff(&mut self.reply);
            }
            Some(question) if question.is_question() => {
                if greeted {
                    reply::hello(&mut self.reply);
                }
                self.answer(s, question, u).await;
                self.resume(s).await;
            }
            Some(Intent::Schedule | Intent::Reschedule) => {
                if greeted {
                    reply::hello(&mut self.reply);
                }
                if !matches!(s.flow, Some(Flow::Booking(_))) {
                    s.flow = Some(Flow::Booking(Default::default()));
                }
                self.booking(s, u).await;
            }
            Some(Intent::Cancel) => {
                if !matches!(s.flow, Some(Flow::Cancelling(_))) {
                    s.flow = Some(Flow::Cancelling(Default::default()));
                }
                self.cancel_flow(s, u).await;
            }
            Some(Intent::AddNote) => {
                if !matches!(s.flow, Some(Flow::Noting(_))) {
                    s.flow = Some(Flow::Noting(Default::default()));
                }
                self.note_flow(s, u).await;
            }
            Some(_) => {}
            None => self.continue_or_start(s, u, greeted).await,
        }
    }

    /// A message with no new intent: it answers the flow under way, or starts the obvious one.
    async fn continue_or_start(
        &mut self,
        s: &mut ConversationState,
        u: &Understanding,
        greeted: bool,
    ) {
        match &s.flow {
            Some(Flow::Booking(_)) => return self.booking(s, u).await,
            Some(Flow::Cancelling(_)) => return self.cancel_flow(s, u).await,
            Some(Flow::Noting(_)) => return self.note_flow(s, u).await,
            Some(Flow::Asking(asking)) => {
                let intent = asking.intent;
                return self.answer(s, intent, u).await;
            }
            None => {}
        }
        let has = |f: fn(&Command) -> bool| u.has(f);
        if has(|c| {
            matches!(
                c,
                Command::SetDate { .. }
                    | Command::SetTime { .. }
                    | Command::SetPart { .. }
                    | Command::SetWeek { .. }
                    | Command::DateRule { .. }
                    | Command::TimeRule { .. }
            )
        }) {
            // "next tuesday at 10" out of the blue: they want to book.
            s.flow = Some(Flow::Booking(Default::default()));
            return self.booking(s, u).await;
        }
        if has(|c| {
            matches!(
                c,
                Command::SetProject { .. } | Command::Choose { .. } | Command::Number { .. }
            )
        }) {
            return self.answer(s, Intent::Status, u).await;
        }
        if greeted {
            return reply::greeting(&mut self.reply);
        }
        if has(|c| {
            *c == Command::SmallTalk {
                kind: SmallTalk::Thanks,
            }
        }) {
            return reply::thanks(&mut self.reply);
        }
        if has(|c| {
            *c == Command::SmallTalk {
                kind: SmallTalk::Goodbye,
            }
        }) {
            return reply::goodbye(&mut self.reply);
        }
        if has(|c| matches!(c, Command::Affirm | Command::Deny)) {
            return reply::anything_else(&mut self.reply);
        }
        if u.signals.is_empty() {
            reply::unclear(&mut self.reply, s.unclear_streak + 1);
        }
    }

    /// The question under way again, without "back to …": after a stale button.
    async fn resume_quietly(&mut self, s: &mut ConversationState) {
        let nothing = Understanding::default();
        match &s.flow {
            Some(Flow::Booking(_)) => self.booking(s, &nothing).await,
            Some(Flow::Cancelling(_)) => self.cancel_flow(s, &nothing).await,
            Some(Flow::Noting(_)) => self.note_flow(s, &nothing).await,
            _ => reply::anything_else(&mut self.reply),
        }
    }

    /// After a digression, the flow under way asks its question again.
    async fn resume(&mut self, s: &mut ConversationState) {
        let what = match &s.flow {
            Some(Flow::Booking(_)) => msg!("topic-your-booking"),
            Some(Flow::Cancelling(_)) => msg!("topic-your-cancellation"),
            Some(Flow::Noting(_)) => msg!("topic-your-note"),
            _ => return,
        };
        reply::resume(&mut self.reply, what);
        let nothing = Understanding::default();
        match &s.flow {
            Some(Flow::Booking(_)) => self.booking(s, &nothing).await,
            Some(Flow::Cancelling(_)) => self.cancel_flow(s, &nothing).await,
            Some(Flow::Noting(_)) => self.note_flow(s, &nothing).await,
            _ => {}
        }
    }
}

/// A write request said while a different write waits for the customer's answer: it waits
/// its turn rather than pushing the other aside. "Stop" and questions are never kept waiting.
fn waits_for_flow(s: &ConversationState, request: &Understanding) -> bool {
    let Some(intent) = request.intent() else {
        return false;
    };
    if request.has(|c| *c == Command::CancelFlow) {
        return false;
    }
    matches!(
        (&s.flow, intent),
        (Some(Flow::Booking(_)), Intent::Cancel | Intent::AddNote)
            | (
                Some(Flow::Cancelling(_)),
                Intent::Schedule | Intent::Reschedule | Intent::AddNote
            )
            | (
                Some(Flow::Noting(_)),
                Intent::Schedule | Intent::Reschedule | Intent::Cancel
            )
    )
}

/// Keeps a request for later; one of the same kind already waiting takes what this one adds
/// ("leave a note too" … "the note is: gate code 4412" is one note, not two).
fn keep_for_later(s: &mut ConversationState, intent: Intent, commands: Vec<Command>) {
    let same = s.pending.iter_mut().find(|waiting| {
        waiting
            .iter()
            .any(|c| matches!(c, Command::Start { intent: i } if *i == intent))
    });
    match same {
        Some(waiting) => {
            for command in commands {
                if matches!(command, Command::Start { .. }) {
                    continue;
                }
                // What is said now replaces what was said before of the same kind.
                waiting.retain(|c| std::mem::discriminant(c) != std::mem::discriminant(&command));
                waiting.push(command);
            }
        }
        None => s.pending.push(commands),
    }
}

/// Whether a request of this kind reads days and times (a day said with a cancellation may
/// say which appointment; a note's own days are inside its text).
fn uses_when(intent: Intent) -> bool {
    intent != Intent::AddNote
}

/// What a request is, in the customer's terms.
fn intent_noun(intent: Intent) -> Message {
    match intent {
        Intent::Schedule => msg!("topic-booking"),
        Intent::Reschedule => msg!("topic-reschedule"),
        Intent::Cancel => msg!("topic-cancellation"),
        Intent::AddNote => msg!("topic-your-note"),
        Intent::Status => msg!("topic-status"),
        Intent::Technician => msg!("topic-technician"),
        Intent::Weather => msg!("topic-forecast"),
        Intent::BusinessHours => msg!("topic-hours"),
        Intent::ListProjects => msg!("topic-projects"),
        Intent::ViewNotes => msg!("topic-notes"),
        Intent::Help | Intent::Handoff => msg!("topic-other-question"),
    }
}

/// What a flow is, in the customer's terms.
fn describe(flow: &Flow) -> Message {
    match flow {
        Flow::Booking(_) => msg!("topic-booking"),
        Flow::Cancelling(_) => msg!("topic-cancellation"),
        Flow::Noting(_) => msg!("topic-the-note"),
        Flow::Asking(_) => msg!("topic-there"),
    }
}

/// Whether the message is free text to the understanding (what a note prompt takes): nothing
/// in it is a request, a date or time, a pick or an answer.
fn free_text(u: &Understanding) -> bool {
    u.commands.iter().all(|c| {
        matches!(
            c,
            Command::Unclear
                | Command::SetNote { .. }
                | Command::SmallTalk { .. }
                | Command::SetProject { .. }
                | Command::Start {
                    intent: Intent::AddNote
                }
        )
    })
}

/// Whether the message is a plain yes: affirmative, with nothing that changes or asks
/// something. "ok, but what are your hours?" is not a yes to a booking.
fn plain_yes(u: &Understanding) -> bool {
    u.has(|c| *c == Command::Affirm)
        && !u.has(|c| {
            matches!(
                c,
                Command::Deny
                    | Command::CancelFlow
                    | Command::DateRule { .. }
                    | Command::TimeRule { .. }
                    | Command::SetDate { .. }
                    | Command::SetTime { .. }
                    | Command::SetPart { .. }
                    | Command::SetWeek { .. }
                    | Command::SetProject { .. }
                    | Command::Choose { .. }
                    | Command::Number { .. }
            )
        })
        && u.intent()
            .is_none_or(|i| matches!(i, Intent::Schedule | Intent::Reschedule | Intent::Cancel))
}
