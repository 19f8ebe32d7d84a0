//! What makes each flow its own, as the runtime needs to know it.
//!
//! A flow is a [`FlowSpec`]: its name in the customer's terms, the requests that wait for it,
//! whether a summary of it waits for a yes, and one `step` that takes
//! in a message and does or asks what comes next. Everything generic — which flow a request
//! starts, requests kept for later, digressions and "back to …", "stop", stale buttons, a
//! change to a summary that was not understood, the project slot, the answer to a summary —
//! is the runtime's (`runtime.rs`), the same for every flow.
//!
//! Adding a flow: its state (a `Flow` variant in `state.rs`), its spec and step (a file here,
//! one line in [`on_flow!`] and in [`starts`]), its action, its catalogue keys and its intent
//! in the phrase tables.

use pf360::Project;

use super::Turn;
use crate::catalogue::{Message, msg};
use crate::state::{Asking, Booking, Cancelling, ConversationState, Flow, Noting};
use crate::understand::{Intent, Understanding};

/// Whether a flow goes on after a step.
pub(super) enum Next {
    Keep,
    End,
}

/// One flow, as the runtime sees it.
pub(super) trait FlowSpec: Sized {
    /// What it is, in the customer's terms: "I've stopped the booking."
    fn topic(&self) -> Message;
    /// "Back to your booking:" after a digression; `None` when it has nothing to resume.
    fn resume_topic(&self) -> Option<Message>;
    /// Requests of these kinds said while it is under way wait until it is done.
    fn keeps_waiting(&self) -> &'static [Intent];
    /// The project it is about, once chosen.
    fn project(&self) -> Option<&str>;
    /// Whether words alone ("I meant the back door") can change it.
    fn takes_revisions(&self) -> bool {
        false
    }
    /// The summary shown in the last reply waits for a yes.
    fn confirming(&self) -> bool;
    /// A summary not repeated in the latest reply can no longer be confirmed.
    fn forget_summary(&mut self);
    fn into_flow(self) -> Flow;
    /// One step with what the message says, among the customer's `projects`: fill what it
    /// names, ask what is missing, show the summary, or write on a yes to that summary.
    async fn step(
        &mut self,
        turn: &mut Turn<'_>,
        s: &mut ConversationState,
        u: &Understanding,
        projects: &[Project],
    ) -> Next;
}

/// `$body` with `$f` bound to the spec of whichever flow `$flow` is.
macro_rules! on_flow {
    ($flow:expr, $f:ident => $body:expr) => {
        match $flow {
            Flow::Booking($f) => $body,
            Flow::Cancelling($f) => $body,
            Flow::Noting($f) => $body,
            Flow::Asking($f) => $body,
        }
    };
}
pub(super) use on_flow;

/// The flow a request of this kind starts; `None` for one answered in the turn it is asked.
pub(super) fn starts(intent: Intent) -> Option<Flow> {
    match intent {
        Intent::Schedule | Intent::Reschedule => Some(Flow::Booking(Booking::default())),
        Intent::Cancel => Some(Flow::Cancelling(Cancelling::default())),
        Intent::AddNote => Some(Flow::Noting(Noting::default())),
        Intent::Status
        | Intent::Technician
        | Intent::Duration
        | Intent::Weather
        | Intent::BusinessHours
        | Intent::ListProjects
        | Intent::ViewNotes
        | Intent::Help
        | Intent::Handoff
        | Intent::Complaint => None,
    }
}

/// What a request is, in the customer's terms: "I'll get to the booking next."
pub(super) fn noun(intent: Intent) -> Message {
    match intent {
        Intent::Schedule => msg!("topic-booking"),
        Intent::Reschedule => msg!("topic-reschedule"),
        Intent::Cancel => msg!("topic-cancellation"),
        Intent::AddNote => msg!("topic-your-note"),
        Intent::Status => msg!("topic-status"),
        Intent::Technician => msg!("topic-technician"),
        Intent::Duration => msg!("topic-duration"),
        Intent::Weather => msg!("topic-forecast"),
        Intent::BusinessHours => msg!("topic-hours"),
        Intent::ListProjects => msg!("topic-projects"),
        Intent::ViewNotes => msg!("topic-notes"),
        Intent::Help | Intent::Handoff | Intent::Complaint => msg!("topic-other-question"),
    }
}

/// Whether a request of this kind reads the days and times said with it (a day said with a
/// cancellation may say which appointment; a note's own days are inside its text).
pub(super) fn uses_when(intent: Intent) -> bool {
    intent != Intent::AddNote
}

impl Flow {
    pub(super) fn topic(&self) -> Message {
        on_flow!(self, f => f.topic())
    }

    pub(super) fn resume_topic(&self) -> Option<Message> {
        on_flow!(self, f => f.resume_topic())
    }

    pub(super) fn keeps_waiting(&self, intent: Intent) -> bool {
        on_flow!(self, f => f.keeps_waiting().contains(&intent))
    }

    pub(super) fn project(&self) -> Option<&str> {
        on_flow!(self, f => f.project())
    }

    /// Whether a request of this kind starts a flow of this one's kind ("book" and "move" both
    /// start a booking).
    pub(super) fn started_by(&self, intent: Intent) -> bool {
        starts(intent).is_some_and(|f| std::mem::discriminant(&f) == std::mem::discriminant(self))
    }

    pub(super) fn takes_revisions(&self) -> bool {
        on_flow!(self, f => f.takes_revisions())
    }
}

/// A question (status, technician, weather) waiting to be told which project: the answer is
/// the whole flow.
impl FlowSpec for Asking {
    fn topic(&self) -> Message {
        msg!("topic-there")
    }

    fn resume_topic(&self) -> Option<Message> {
        None
    }

    fn project(&self) -> Option<&str> {
        None
    }

    fn keeps_waiting(&self) -> &'static [Intent] {
        &[]
    }

    fn confirming(&self) -> bool {
        false
    }

    fn forget_summary(&mut self) {}

    fn into_flow(self) -> Flow {
        Flow::Asking(self)
    }

    async fn step(
        &mut self,
        turn: &mut Turn<'_>,
        s: &mut ConversationState,
        u: &Understanding,
        _projects: &[Project],
    ) -> Next {
        turn.answer(s, self.intent, u).await;
        Next::End
    }
}

impl ConversationState {
    /// The last reply's summary is waiting for a yes.
    pub fn awaiting_yes(&self) -> bool {
        self.flow
            .as_ref()
            .is_some_and(|flow| on_flow!(flow, f => f.confirming()))
    }

    /// A summary not repeated in the latest reply can no longer be confirmed.
    pub fn forget_summary(&mut self) {
        if let Some(flow) = &mut self.flow {
            on_flow!(flow, f => f.forget_summary())
        }
    }
}
