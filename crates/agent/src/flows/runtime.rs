//! The runtime: everything about a turn that is the same for every flow.
//!
//! A message is cut into requests and each is done in the order said. A request for a write
//! while another write waits for an answer is kept for later (and said so); a question is
//! answered at once and the flow under way asks its question again; "stop" ends the flow and
//! what was kept; a message not understood while a summary waits never gets the same summary
//! back. Which flow a request starts and what a flow is called come from its spec
//! (`spec.rs`); what it asks and does, from its step.

use pf360::Project;

use super::projects::{self, Named, named};
use super::spec::{self, FlowSpec, Next, on_flow};
use super::{ActionName, Outcome, Turn};
use crate::catalogue::{Message, msg};
use crate::reply;
use crate::state::{ConversationState, Flow, Offer};
use crate::understand::{Command, Intent, SmallTalk, Understanding};

/// What a message says of the project a flow is about.
pub(super) enum ProjectSaid {
    /// Nothing: the flow keeps or chooses its own.
    Nothing,
    One(String),
    /// Several fit: the reply asked which.
    AskedWhich,
    /// None of the customer's: the reply said so, and never takes another in its place.
    NotTheirs,
}

/// How the customer answered the summary shown in the last reply.
#[derive(PartialEq, Eq)]
pub(super) enum SummaryAnswer {
    /// A plain yes: the write may go.
    Yes,
    No,
    /// Anything else: a change, a question, or no summary was shown.
    Neither,
}

impl Turn<'_> {
    /// Every request of the message, in the order said. A write asked for while another
    /// waits for an answer is kept for later and said so; a question is answered at once; a
    /// request naming a project the customer does not have is answered as such and never
    /// turned into a request about another project.
    pub(super) async fn requests(
        &mut self,
        s: &mut ConversationState,
        u: &Understanding,
        raw: &str,
    ) {
        // "ay no, pon que el perro va a estar en el patio": the note read back, said again.
        if let Some(text) = super::notes::restated(s, u, raw)
            && !self.names_theirs(s, u).await
        {
            return self
                .dispatch_commands(s, vec![Command::SetNote { text }])
                .await;
        }
        // "no wait, the garage door not the side door": the note's words, not a project.
        if let Some(revision) = super::notes::revision_of_note(s, u) {
            return self.dispatch_commands(s, vec![revision]).await;
        }
        let mut requests = u.requests();
        self.no_then_instead(s, &mut requests);
        let several = requests.len() > 1;
        let mut said_date = None;
        let mut needs_prompt = false;
        let mut dispatched = false;
        for (index, mut request) in requests.into_iter().enumerate() {
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
            if (several || request.intent().is_some() || s.flow.is_some())
                && self.unknown_project(s, &request).await
            {
                // "no deck? anyway the 6th at 2:30": the day and time are still for the
                // booking under way, never for another project in the unknown one's place.
                let when: Vec<Command> = request
                    .commands
                    .into_iter()
                    .filter(Command::is_when)
                    .collect();
                if s.flow.is_some() && !when.is_empty() {
                    self.dispatch_commands(s, when).await;
                    dispatched = true;
                }
                continue;
            }
            // "…also put the door install back on the schedule" when the doors are done:
            // answered now, never kept to be refused later.
            if s.flow.is_some()
                && let Some(intent) = request.intent()
                && self.cannot_be_booked(s, &request, intent).await
            {
                continue;
            }
            // "book the window install and the window repair": the second project waits its
            // turn, and never takes the place of the first in the flow under way.
            if index > 0
                && !request.has(|c| *c == Command::CancelFlow)
                && let Some(kind) = self.another_project(s, &request).await
            {
                reply::queued(&mut self.reply, spec::noun(kind));
                if request.intent().is_none() {
                    request.commands.insert(0, Command::Start { intent: kind });
                }
                self.keep_for_later(s, kind, request.commands).await;
                continue;
            }
            if waits_for_flow(s, &request) {
                let Some(intent) = request.intent() else {
                    continue;
                };
                reply::queued(&mut self.reply, spec::noun(intent));
                // "…tell the crew to call first, and 10am for the time": a day or time is for
                // the booking under way, not for a note or a cancellation kept for later.
                let (when, rest): (Vec<Command>, Vec<Command>) = request
                    .commands
                    .into_iter()
                    .partition(|c| c.is_when() && !spec::uses_when(intent));
                self.keep_for_later(s, intent, rest).await;
                if when.is_empty() {
                    needs_prompt = true;
                } else {
                    self.dispatch_commands(s, when).await;
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

    /// "no don't book that, cancel my deck instead": a no said with a request of another kind
    /// ends the flow under way, and the other request takes its place (never "which other
    /// date?" for what the customer just turned down).
    fn no_then_instead(&mut self, s: &mut ConversationState, requests: &mut Vec<Understanding>) {
        let Some(flow) = &s.flow else {
            return;
        };
        let says_no = requests.iter().any(|r| r.has(|c| *c == Command::Deny));
        let other = requests.iter().find_map(|r| {
            r.intent()
                .filter(|i| !i.is_question() && spec::starts(*i).is_some() && !flow.started_by(*i))
        });
        if !says_no || other.is_none() {
            return;
        }
        reply::dropped(&mut self.reply, flow.topic());
        s.flow = None;
        s.offer = None;
        for request in requests.iter_mut() {
            request.commands.retain(|c| *c != Command::Deny);
            // "no, cancel it" under a summary: the request under way is what is called off,
            // never an appointment of theirs.
            let cancels_nothing_named = request.intent() == Some(Intent::Cancel)
                && !request.has(|c| matches!(c, Command::SetProject { .. }));
            if cancels_nothing_named {
                request.commands.clear();
            }
        }
        requests.retain(|r| !r.commands.is_empty());
    }

    /// Whether `request` asks to book a project of the customer's that cannot be booked
    /// (completed, cancelled, in progress); if so the reply says why.
    async fn cannot_be_booked(
        &mut self,
        s: &ConversationState,
        request: &Understanding,
        intent: Intent,
    ) -> bool {
        if !matches!(intent, Intent::Schedule | Intent::Reschedule) {
            return false;
        }
        let Some(projects) = self.projects().await else {
            return false;
        };
        let Named::One(id) = named(request, s, &projects) else {
            return false;
        };
        match projects
            .iter()
            .find(|p| p.id == id && !p.can_be_scheduled())
        {
            Some(project) => {
                reply::cannot_schedule(&mut self.reply, project, self.today);
                true
            }
            None => false,
        }
    }

    /// Whether `u` names one or more of the customer's own projects.
    async fn names_theirs(&mut self, s: &ConversationState, u: &Understanding) -> bool {
        match self.projects().await {
            Some(projects) => matches!(named(u, s, &projects), Named::One(_) | Named::Several(_)),
            None => false,
        }
    }

    /// Commands taken out of a request (its day and time), for the flow under way.
    async fn dispatch_commands(&mut self, s: &mut ConversationState, commands: Vec<Command>) {
        let answer = Understanding {
            commands,
            ..Understanding::default()
        };
        self.dispatch(s, &answer, "").await;
    }

    /// The kind of the flow under way, when `request` is more of the same for another of the
    /// customer's projects.
    async fn another_project(
        &mut self,
        s: &ConversationState,
        request: &Understanding,
    ) -> Option<Intent> {
        let flow = s.flow.as_ref()?;
        let under_way = flow.project()?.to_string();
        let kind = [Intent::Schedule, Intent::Cancel, Intent::AddNote]
            .into_iter()
            .find(|i| flow.started_by(*i))?;
        let same_kind = request.intent().is_none_or(|i| flow.started_by(i));
        let projects = self.projects().await?;
        match named(request, s, &projects) {
            Named::One(id) if same_kind && id != under_way => Some(kind),
            _ => None,
        }
    }

    /// Keeps a request for later; one of the same kind for the same project already waiting
    /// takes what this one adds ("leave a note too" … "the note is: gate code 4412" is one
    /// note, not two; "the repair at 2" joins the repair's booking).
    async fn keep_for_later(
        &mut self,
        s: &mut ConversationState,
        intent: Intent,
        commands: Vec<Command>,
    ) {
        let projects = self.projects().await.unwrap_or_default();
        let project_of = |commands: &[Command]| {
            let request = Understanding {
                commands: commands.to_vec(),
                ..Understanding::default()
            };
            match named(&request, &ConversationState::default(), &projects) {
                Named::One(id) => Some(id),
                _ => None,
            }
        };
        let project = project_of(&commands);
        let same = s.pending.iter_mut().find(|waiting| {
            waiting
                .iter()
                .any(|c| matches!(c, Command::Start { intent: i } if *i == intent))
                && (project.is_none() || project_of(waiting).is_none_or(|p| Some(p) == project))
        });
        match same {
            Some(waiting) => {
                for command in commands {
                    if matches!(command, Command::Start { .. }) {
                        continue;
                    }
                    // What is said now replaces what was said before of the same kind.
                    waiting
                        .retain(|c| std::mem::discriminant(c) != std::mem::discriminant(&command));
                    waiting.push(command);
                }
            }
            None => s.pending.push(commands),
        }
    }

    /// Whether `request` names a project the customer does not have; if so the reply says so.
    async fn unknown_project(
        &mut self,
        s: &mut ConversationState,
        request: &Understanding,
    ) -> bool {
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
        forget_focus(s);
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
                reply::next_request(&mut self.reply, spec::noun(intent));
            }
            if self.unknown_project(s, &request).await {
                continue;
            }
            self.dispatch(s, &request, "").await;
        }
    }

    async fn dispatch(&mut self, s: &mut ConversationState, u: &Understanding, raw: &str) {
        if let Some(intent) = u.commands.iter().find_map(|c| match c {
            Command::Drop { intent } => Some(*intent),
            _ => None,
        }) {
            return self.drop_request(s, intent).await;
        }
        let mut stop = u.has(|c| *c == Command::CancelFlow);
        // "stop, book the window repair at that time instead": the same kind of request for
        // another project changes the flow under way rather than ending it.
        let switched;
        let u = if stop && switches_project(s, u) {
            stop = false;
            switched = Understanding {
                commands: u
                    .commands
                    .iter()
                    .filter(|c| !matches!(c, Command::CancelFlow | Command::Deny))
                    .cloned()
                    .collect(),
                ..u.clone()
            };
            &switched
        } else {
            u
        };

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
            return self.step(s, u).await;
        }

        // A summary is waiting for a yes and this message says nothing we understood: never
        // show the same summary as if nothing had been said.
        let revises_words_only = s.flow.as_ref().is_some_and(|f| !f.takes_revisions())
            && u.commands
                .iter()
                .all(|c| matches!(c, Command::Revise { .. } | Command::Unclear));
        if s.awaiting_yes() && (u.commands == [Command::Unclear] || revises_words_only) {
            if let Some(flow) = &s.flow {
                reply::change_not_understood(&mut self.reply, flow.topic());
            }
            return;
        }

        if stop {
            // "Scratch all of that": what was kept for later goes too.
            s.pending.clear();
            if let Some(flow) = s.flow.take() {
                s.offer = None;
                reply::stopped(&mut self.reply, flow.topic());
                // "forget it, who's coming for the countertops?": stopped, and answered.
                if !u.intent().is_some_and(Intent::is_question) {
                    return;
                }
            }
            if u.intent().is_none() {
                // "cancel" alone with nothing going on: the customer means an appointment
                // (still only after a summary and a yes). "Never mind" means nothing more.
                if raw
                    .trim()
                    .trim_end_matches(['.', '!'])
                    .eq_ignore_ascii_case("cancel")
                {
                    s.flow = spec::starts(Intent::Cancel);
                    return self.step(s, u).await;
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
            // A complaint is never read as a request: an apology, and a person.
            Some(intent @ (Intent::Handoff | Intent::Complaint)) => {
                s.flow = None;
                s.pending.clear();
                s.offer = None;
                s.handed_off = true;
                self.record(ActionName::Handoff, None, Outcome::Ok);
                if intent == Intent::Complaint {
                    reply::apology(&mut self.reply);
                }
                reply::handoff(&mut self.reply);
            }
            Some(question) if question.is_question() => {
                if greeted {
                    reply::hello(&mut self.reply);
                }
                self.answer(s, question, u).await;
                self.resume(s).await;
            }
            Some(intent) => {
                let Some(started) = spec::starts(intent) else {
                    return;
                };
                let same = s.flow.as_ref().is_some_and(|f| f.started_by(intent));
                if greeted && matches!(intent, Intent::Schedule | Intent::Reschedule) {
                    reply::hello(&mut self.reply);
                }
                // The same request again goes on with the flow under way.
                if !same {
                    s.flow = Some(started);
                }
                self.step(s, u).await;
            }
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
        if s.flow.is_some() {
            return self.step(s, u).await;
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
            s.flow = spec::starts(Intent::Schedule);
            return self.step(s, u).await;
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
        // "ok, and what happens now?" after a hand-off: what happens, again.
        if s.handed_off && u.signals.is_empty() {
            return reply::handoff(&mut self.reply);
        }
        if u.signals.is_empty() {
            reply::unclear(&mut self.reply, s.unclear_streak + 1);
        }
    }

    /// "forget the note, just the booking": the request of that kind, under way or kept for
    /// later, is dropped; the rest goes on.
    async fn drop_request(&mut self, s: &mut ConversationState, intent: Intent) {
        let kind = |i: Intent| match i {
            Intent::Reschedule => Intent::Schedule,
            other => other,
        };
        let waiting = s.pending.len();
        s.pending.retain(|waiting| {
            !waiting
                .iter()
                .any(|c| matches!(c, Command::Start { intent: i } if kind(*i) == kind(intent)))
        });
        let under_way = s.flow.as_ref().is_some_and(|f| f.started_by(intent));
        if under_way {
            s.flow = None;
            s.offer = None;
        } else if s.pending.len() == waiting && kind(intent) == Intent::Schedule {
            // "scrap the appointment" with no booking under way: the appointment itself, to
            // be cancelled after a summary and a yes like any cancellation.
            s.flow = spec::starts(Intent::Cancel);
            return self.step(s, &Understanding::default()).await;
        }
        reply::dropped(&mut self.reply, spec::noun(intent));
        self.resume(s).await;
    }

    /// The question under way again, without "back to …": after a stale button.
    pub(super) async fn resume_quietly(&mut self, s: &mut ConversationState) {
        if s.flow.as_ref().and_then(Flow::resume_topic).is_none() {
            return reply::anything_else(&mut self.reply);
        }
        self.step(s, &Understanding::default()).await;
    }

    /// After a digression, the flow under way asks its question again.
    async fn resume(&mut self, s: &mut ConversationState) {
        let Some(what) = s.flow.as_ref().and_then(Flow::resume_topic) else {
            return;
        };
        reply::resume(&mut self.reply, what);
        self.step(s, &Understanding::default()).await;
    }

    /// One step of the flow under way, with its state taken out while it runs: a step that
    /// ends it leaves it out (or leaves what it started in its place).
    pub(super) async fn step(&mut self, s: &mut ConversationState, u: &Understanding) {
        let Some(flow) = s.flow.take() else {
            return;
        };
        on_flow!(flow, f => self.step_flow(f, s, u).await)
    }

    async fn step_flow<F: FlowSpec>(
        &mut self,
        mut flow: F,
        s: &mut ConversationState,
        u: &Understanding,
    ) {
        // PF360 unreachable: the reply says so and the flow waits where it was.
        let Some(projects) = self.projects().await else {
            s.flow = Some(flow.into_flow());
            return;
        };
        if let Next::Keep = flow.step(self, s, u, &projects).await {
            s.flow = Some(flow.into_flow());
        }
    }

    /// What the message says of the project, the same for every flow: several that fit get
    /// "which one?" with `purpose`, unless one of them is the flow's `current` project ("ok
    /// just the gutters then" of the gutter repair being booked) or only one is something the
    /// flow can act on (`acts_on`: "cancel the door appointment" with one door booked); one
    /// that is not the customer's is said to be unknown.
    pub(super) fn project_said(
        &mut self,
        s: &mut ConversationState,
        u: &Understanding,
        projects: &[Project],
        current: Option<&str>,
        purpose: Message,
        acts_on: &dyn Fn(&Project) -> bool,
    ) -> ProjectSaid {
        match named(u, s, projects) {
            Named::One(id) => ProjectSaid::One(id),
            Named::Several(ids)
                if projects
                    .iter()
                    .filter(|p| ids.contains(&p.id) && acts_on(p))
                    .count()
                    == 1 =>
            {
                let one = projects
                    .iter()
                    .find(|p| ids.contains(&p.id) && acts_on(p))
                    .map(|p| p.id.clone())
                    .unwrap_or_default();
                ProjectSaid::One(one)
            }
            // Only with a yes or more about it ("install at 9"): a bare "i meant the windows"
            // is asked about.
            Named::Several(ids)
                if u.has(|c| *c == Command::Affirm || c.is_when())
                    && current.is_some_and(|c| ids.iter().any(|id| id == c)) =>
            {
                ProjectSaid::One(current.unwrap_or_default().to_string())
            }
            Named::Several(ids) => {
                let several: Vec<&Project> =
                    projects.iter().filter(|p| ids.contains(&p.id)).collect();
                reply::which_project(&mut self.reply, purpose, &several);
                s.offer = Some(Offer::Projects(ids));
                ProjectSaid::AskedWhich
            }
            Named::Unknown => {
                self.not_theirs(s);
                ProjectSaid::NotTheirs
            }
            Named::Nothing => ProjectSaid::Nothing,
        }
    }

    /// The customer named a project not on their account: the reply says so, and nothing of
    /// theirs is taken for "it" until they name one.
    pub(super) fn not_theirs(&mut self, s: &mut ConversationState) {
        reply::project_not_found(&mut self.reply);
        forget_focus(s);
    }

    /// The project when the customer named none: the only candidate is taken; among several
    /// the reply asks which (`purpose`); `None` when there are none, or it asked.
    pub(super) fn project_among(
        &mut self,
        s: &mut ConversationState,
        candidates: &[&Project],
        purpose: Message,
    ) -> Option<String> {
        match candidates {
            [] => None,
            // Right after a project not theirs was named, even the only candidate is asked
            // about: "move it" may mean the one not found.
            [only] if !s.named_unknown_lately() => Some(only.id.clone()),
            several => {
                reply::which_project(&mut self.reply, purpose, several);
                s.offer = Some(Offer::Projects(
                    several.iter().map(|p| p.id.clone()).collect(),
                ));
                None
            }
        }
    }
}

fn forget_focus(s: &mut ConversationState) {
    s.focus = None;
    s.named_unknown_at = Some(s.turn);
}

/// The answer to a summary: only a plain yes to the summary shown in the immediately
/// preceding reply, and unchanged since, lets a write go.
/// Naming the project the summary is about (`same_project`: "ok just the gutters then, yes")
/// changes nothing.
pub(super) fn summary_answer(shown: bool, u: &Understanding, same_project: bool) -> SummaryAnswer {
    let without_project;
    let u = if same_project {
        without_project = Understanding {
            commands: u
                .commands
                .iter()
                .filter(|c| !matches!(c, Command::SetProject { .. }))
                .cloned()
                .collect(),
            ..u.clone()
        };
        &without_project
    } else {
        u
    };
    // "ah ok, just the entry door then": a weak yes that only names the summary's project.
    let weak_yes_first = u
        .words
        .iter()
        .find(|w| !matches!(w.as_str(), "ah" | "oh" | "well" | "hmm" | "um"))
        .is_some_and(|w| matches!(w.as_str(), "ok" | "okay" | "alright" | "fine" | "k"));
    if !shown {
        SummaryAnswer::Neither
    } else if plain_yes(u) || (same_project && u.commands.is_empty() && weak_yes_first) {
        SummaryAnswer::Yes
    } else if u.has(|c| *c == Command::Deny) {
        SummaryAnswer::No
    } else {
        SummaryAnswer::Neither
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
    s.flow.as_ref().is_some_and(|f| f.keeps_waiting(intent))
}

/// Whether `u` asks for the flow under way again, for a project it names.
fn switches_project(s: &ConversationState, u: &Understanding) -> bool {
    let (Some(now), Some(asked)) = (&s.flow, u.intent()) else {
        return false;
    };
    now.started_by(asked) && u.has(|c| matches!(c, Command::SetProject { .. }))
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
        && u.intent().is_none_or(|i| {
            matches!(
                i,
                Intent::Schedule | Intent::Reschedule | Intent::Cancel | Intent::AddNote
            )
        })
}
