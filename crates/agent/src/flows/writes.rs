//! Every PF360 write goes through here: recorded in the journal first, sent once, settled by
//! PF360's answer or by the dashboard, never asserted without evidence.
//!
//! - Before sending: the intent is made durable, which also fails if another write to the
//!   same project is unfinished (another tab, another process); then the project is read
//!   fresh, and if it changed since the summary the customer agreed to, nothing is sent.
//! - After an answer that says nothing (timeout, 5xx, a broken connection): the dashboard is
//!   checked a few times; what it shows is what we say. If it shows nothing yet, we say we
//!   don't know, and keep the intent open.
//! - At the start of every turn, the customer's open intents are settled against the
//!   dashboard ([`Turn::recover_writes`]): a booking made just before a crash is reported,
//!   not made again.

use super::ActionName;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use pf360::{Pf360Error, Project, ProjectStatus, RequestId, WriteOutcome};
use rand::Rng;

use super::{Outcome, Turn};
use crate::journal::{IntentStatus, WriteIntent, WriteKind};
use crate::reply;
use crate::state::{ConversationState, Flow};

/// How writes are checked when their answer is lost, and how long an intent is presumed to
/// belong to a turn still running.
#[derive(Debug, Clone, Copy)]
pub struct WritePolicy {
    /// Dashboard checks after a write whose answer was lost.
    pub follow_up_checks: u32,
    /// Time between those checks.
    pub follow_up_interval: Duration,
    /// An unanswered write not on the dashboard after this long did not happen.
    pub settle_window: chrono::Duration,
    /// How long a turn that began a write may still be running (its PF360 calls and checks).
    pub live_for: chrono::Duration,
}

impl Default for WritePolicy {
    fn default() -> Self {
        WritePolicy {
            follow_up_checks: 3,
            follow_up_interval: Duration::from_secs(1),
            settle_window: chrono::Duration::minutes(2),
            live_for: chrono::Duration::seconds(90),
        }
    }
}

/// A write the customer agreed to.
pub(super) struct PlannedWrite<'a> {
    pub project: &'a Project,
    pub kind: WriteKind,
    pub slot: Option<(NaiveDate, NaiveTime)>,
    pub request_id: Option<&'a RequestId>,
    /// The project's schedule when the summary was shown ([`schedule_key`]).
    pub shown: &'a str,
}

/// What became of a planned write. Except for `Done` and `TestMode`, the reply already says
/// what happened.
pub(super) enum Written {
    Done,
    TestMode,
    /// PF360 said no: it did not happen.
    Refused(Pf360Error),
    /// Sent, unanswered, not on the dashboard yet: the customer was told we don't know.
    Uncertain,
    /// Another unfinished write holds the project; nothing was sent.
    Held,
    /// The project changed since the summary; nothing was sent.
    Changed(Box<Project>),
    /// Nothing was sent (the journal or the dashboard could not be reached).
    NotSent,
}

/// The project's schedule, as a key: a summary is only good for the schedule it was shown on.
pub(super) fn schedule_key(p: &Project) -> String {
    let when = p
        .scheduled
        .as_ref()
        .map(|w| format!("{} {:?}", w.date, w.start))
        .unwrap_or_default();
    format!("{:?}|{when}", p.status)
}

/// Whether the dashboard shows the write as made: a booking or move only at its very date and
/// start time, a cancellation only as a project back to be scheduled (or cancelled). Anything
/// less is not evidence.
fn visible(p: &Project, kind: WriteKind, slot: Option<NaiveDateTime>) -> bool {
    match kind {
        WriteKind::Cancel => matches!(
            p.status,
            ProjectStatus::ReadyToSchedule | ProjectStatus::Cancelled
        ),
        WriteKind::Book | WriteKind::Reschedule => slot.is_some_and(|at| {
            p.status == ProjectStatus::Scheduled
                && p.scheduled.as_ref().is_some_and(|w| {
                    w.date == at.date() && w.start.is_some_and(|s| s.time() == at.time())
                })
        }),
    }
}

fn action_name(kind: WriteKind) -> ActionName {
    match kind {
        WriteKind::Book => ActionName::ConfirmAppointment,
        WriteKind::Reschedule => ActionName::RescheduleAppointment,
        WriteKind::Cancel => ActionName::CancelAppointment,
    }
}

/// PF360 answered, and the answer says the write did not happen.
fn refused(error: &Pf360Error) -> bool {
    matches!(
        error,
        Pf360Error::Conflict(_)
            | Pf360Error::Invalid(_)
            | Pf360Error::NotFound(_)
            | Pf360Error::Forbidden(_)
            | Pf360Error::Unauthorized(_)
            | Pf360Error::RateLimited { .. }
    )
}

impl Turn<'_> {
    pub(super) async fn guarded_write(&mut self, plan: PlannedWrite<'_>) -> Written {
        let project_id = plan.project.id.clone();
        let slot = plan.slot.map(|(d, t)| d.and_time(t));
        let name = action_name(plan.kind);
        let intent = WriteIntent {
            id: intent_id(),
            session_id: self.context.session_id.clone(),
            client_message_id: self.context.client_message_id.clone(),
            client_id: self.caller().client_id.clone(),
            customer_id: self.caller().customer_id.clone(),
            project_id: project_id.clone(),
            kind: plan.kind,
            slot,
            status: IntentStatus::Pending,
            // From now, not from the turn's start: the turn may have waited on PF360 already.
            live_until: self.clock_now() + self.engine.writes.live_for,
            created_at: self.clock_now(),
        };
        match self.engine.journal.begin(&intent).await {
            Ok(None) => {}
            Ok(Some(holder)) => {
                tracing::info!(project_id = %project_id, holder = %holder.id, "write refused: another write to this project is unfinished");
                reply::write_in_progress(&mut self.reply, plan.project);
                return Written::Held;
            }
            Err(error) => {
                tracing::error!(%error, "write intent not recorded; nothing sent");
                reply::write_not_recorded(&mut self.reply);
                return Written::NotSent;
            }
        }

        // The summary was agreed on the project as it was then; another session may have
        // changed it since.
        self.projects = None;
        let Some(fresh) = self.project(&project_id).await else {
            self.settle(&intent.id, IntentStatus::Failed).await;
            if self.reply.text.is_empty() {
                reply::project_not_found(&mut self.reply);
            }
            return Written::NotSent;
        };
        if schedule_key(&fresh) != plan.shown {
            self.settle(&intent.id, IntentStatus::Failed).await;
            return Written::Changed(Box::new(fresh));
        }

        let result = match (plan.kind, plan.slot, plan.request_id) {
            (WriteKind::Cancel, _, _) => self.engine.pf360.cancel(self.caller(), &project_id).await,
            (_, Some((day, at)), Some(request_id)) => {
                self.engine
                    .pf360
                    .confirm(self.caller(), &project_id, day, at, request_id)
                    .await
            }
            _ => {
                self.settle(&intent.id, IntentStatus::Failed).await;
                return Written::NotSent;
            }
        };
        match result {
            Ok(WriteOutcome::Done { .. }) => {
                // The project is freed only once the dashboard shows the write: until then a
                // stale summary in another tab would still match it.
                self.projects = None;
                let before = self.reply.clone();
                let seen = self
                    .project(&project_id)
                    .await
                    .is_some_and(|p| visible(&p, plan.kind, slot));
                self.reply = before;
                let status = if seen {
                    IntentStatus::Done
                } else {
                    IntentStatus::Unseen
                };
                self.settle(&intent.id, status).await;
                self.record_write(name, &project_id, Outcome::Ok, plan.slot);
                Written::Done
            }
            Ok(WriteOutcome::TestMode) => {
                // Nothing was written; the intent is closed as such.
                self.settle(&intent.id, IntentStatus::Failed).await;
                self.record_write(name, &project_id, Outcome::TestMode, plan.slot);
                Written::TestMode
            }
            Err(error) if refused(&error) => {
                self.settle(&intent.id, IntentStatus::Failed).await;
                self.record_write(name, &project_id, Outcome::Failed(error.kind()), plan.slot);
                Written::Refused(error)
            }
            Err(error) => {
                // The write may have happened, or may still happen: look, a few times.
                tracing::warn!(project_id = %project_id, %error, "write unanswered; checking the dashboard");
                self.record_write(name, &project_id, Outcome::Failed(error.kind()), plan.slot);
                let policy = self.engine.writes;
                // The checks' own failures are not the customer's business: only their verdict.
                let before = self.reply.clone();
                for check in 0..policy.follow_up_checks {
                    if check > 0 {
                        tokio::time::sleep(policy.follow_up_interval).await;
                    }
                    self.projects = None;
                    let shown = self
                        .project(&project_id)
                        .await
                        .is_some_and(|p| visible(&p, plan.kind, slot));
                    if shown {
                        self.settle(&intent.id, IntentStatus::Done).await;
                        self.mark_done(name);
                        self.reply = before;
                        return Written::Done;
                    }
                }
                self.settle(&intent.id, IntentStatus::Unknown).await;
                self.reply = before;
                reply::write_uncertain(&mut self.reply, plan.project, plan.kind, slot, self.today);
                Written::Uncertain
            }
        }
    }

    async fn settle(&self, id: &str, status: IntentStatus) {
        if let Err(error) = self.engine.journal.settle(id, status).await {
            // The intent stays open; the next turn settles it from the dashboard.
            tracing::error!(intent = id, %error, status = status.as_str(), "write intent not settled");
        }
    }

    fn record_write(
        &mut self,
        name: ActionName,
        project_id: &str,
        outcome: Outcome,
        slot: Option<(NaiveDate, NaiveTime)>,
    ) {
        self.record(name, Some(project_id), outcome);
        if let (Some((day, at)), Some(action)) = (slot, self.actions.last_mut()) {
            action.date = Some(day);
            action.time = Some(at);
        }
    }

    /// The last `name` action happened after all (the dashboard shows it).
    fn mark_done(&mut self, name: ActionName) {
        if let Some(write) = self.actions.iter_mut().rev().find(|a| a.name == name) {
            write.outcome = Outcome::Ok;
        }
    }

    /// Settles the customer's unfinished writes against the dashboard, and says what became
    /// of this conversation's own. True when this message was the retry of the very message
    /// that made the write: its answer is the write's outcome, and nothing else is done.
    pub(super) async fn recover_writes(&mut self, s: &mut ConversationState) -> bool {
        let caller = self.caller().clone();
        let mut pending = match self
            .engine
            .journal
            .open(&caller.client_id, &caller.customer_id)
            .await
        {
            Ok(open) => open,
            Err(error) => {
                tracing::error!(%error, "write intents unreadable");
                return false;
            }
        };
        // A retry of a message whose write completed (the process died before saving the
        // turn): its answer is that write, once more.
        if let Some(message_id) = &self.context.client_message_id {
            match self
                .engine
                .journal
                .made_by(&self.context.session_id, message_id)
                .await
            {
                Ok(made) => {
                    pending.extend(made.into_iter().filter(|i| i.status == IntentStatus::Done))
                }
                Err(error) => tracing::error!(%error, "write intents unreadable"),
            }
        }
        let mut answered = false;
        for intent in pending {
            let own = intent.session_id == self.context.session_id;
            // Another conversation's write still under way: its own turn will settle it.
            if !own && intent.status == IntentStatus::Pending && intent.live_until > self.now {
                continue;
            }
            self.projects = None;
            let Some(project) = self.project(&intent.project_id).await else {
                // The dashboard is down (the reply says so) or the project is gone: try later.
                continue;
            };
            let retry = own
                && intent.client_message_id.is_some()
                && intent.client_message_id == self.context.client_message_id;
            let day_at = intent.slot.map(|at| (at.date(), at.time()));
            let name = action_name(intent.kind);
            // Past the window, the turn that sent it is surely over and PF360 would have
            // shown it by now.
            let settled_by =
                intent.created_at.max(intent.live_until) + self.engine.writes.settle_window;
            let aged = self.now >= settled_by;
            let status = if intent.status == IntentStatus::Done
                || visible(&project, intent.kind, intent.slot)
            {
                IntentStatus::Done
            } else if intent.status == IntentStatus::Unseen {
                // PF360 said done: only the dashboard lagged. Trusted once the window passed.
                if aged {
                    IntentStatus::Done
                } else {
                    IntentStatus::Unseen
                }
            } else if aged {
                IntentStatus::Failed
            } else {
                IntentStatus::Unknown
            };
            if status != intent.status {
                self.settle(&intent.id, status).await;
            }
            tracing::info!(intent = %intent.id, project_id = %intent.project_id, status = status.as_str(), own, retry, "unfinished write settled");
            // A write PF360 confirmed was reported and recorded by the turn that made it; only
            // a retry of that turn's message (its answer lost) hears of it again.
            let confirmed = matches!(intent.status, IntentStatus::Done | IntentStatus::Unseen);
            if confirmed && !retry {
                continue;
            }
            let made = matches!(status, IntentStatus::Done | IntentStatus::Unseen);
            if made {
                // Recorded now, so the host keeps the appointment it never saved.
                self.record_write(name, &intent.project_id, Outcome::Ok, day_at);
            }
            if !own {
                continue;
            }
            // The flow that made this write is over, whatever became of it: a "yes" to its
            // old summary must not send it again.
            let flow_project = match &s.flow {
                Some(Flow::Booking(b)) => b.project.clone(),
                Some(Flow::Cancelling(c)) => c.project.clone(),
                _ => None,
            };
            if flow_project.as_deref() == Some(intent.project_id.as_str()) {
                s.flow = None;
                s.offer = None;
            }
            s.focus = Some(intent.project_id.clone());
            match (made, status, intent.kind, day_at) {
                (true, _, WriteKind::Cancel, _) => {
                    reply::cancelled(&mut self.reply, &project);
                }
                (true, _, kind, Some((day, at))) => {
                    reply::booked(
                        &mut self.reply,
                        &project,
                        day,
                        at,
                        self.today,
                        kind == WriteKind::Reschedule,
                    );
                }
                (_, IntentStatus::Failed, kind, _) => {
                    reply::write_did_not_happen(
                        &mut self.reply,
                        &project,
                        kind,
                        intent.slot,
                        self.today,
                    );
                }
                (_, _, kind, _) => {
                    reply::write_uncertain(
                        &mut self.reply,
                        &project,
                        kind,
                        intent.slot,
                        self.today,
                    );
                }
            }
            answered |= retry;
        }
        answered
    }
}

/// 128 random bits as hex.
fn intent_id() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_answers_that_say_no_count_as_refusals() {
        assert!(refused(&Pf360Error::Conflict("taken".into())));
        assert!(refused(&Pf360Error::RateLimited { retry_after: None }));
        assert!(!refused(&Pf360Error::Timeout(Duration::from_secs(20))));
        assert!(!refused(&Pf360Error::Server {
            status: 502,
            message: String::new()
        }));
        assert!(!refused(&Pf360Error::Network("reset".into())));
        assert!(!refused(&Pf360Error::Decode("half a body".into())));
    }
}
