//! Adding a note for the crew: which project → the text → read back → sent on a yes, to PF360
//! and kept here.

use pf360::{Project, ProjectStatus};

use super::runtime::{ProjectSaid, SummaryAnswer, summary_answer};
use super::spec::{FlowSpec, Next};
use super::{ActionName, Turn};
use crate::catalogue::{Message, msg};
use crate::notes::Note;
use crate::reply;
use crate::state::{ConversationState, Flow, Noting};
use crate::understand::{Command, Intent, Understanding};

impl FlowSpec for Noting {
    fn topic(&self) -> Message {
        msg!("topic-the-note")
    }

    fn resume_topic(&self) -> Option<Message> {
        Some(msg!("topic-your-note"))
    }

    fn keeps_waiting(&self) -> &'static [Intent] {
        &[Intent::Schedule, Intent::Reschedule, Intent::Cancel]
    }

    fn takes_revisions(&self) -> bool {
        true
    }

    fn project(&self) -> Option<&str> {
        self.project.as_deref()
    }

    fn confirming(&self) -> bool {
        self.confirming
    }

    fn forget_summary(&mut self) {
        self.confirming = false;
    }

    fn into_flow(self) -> Flow {
        Flow::Noting(self)
    }

    async fn step(
        &mut self,
        turn: &mut Turn<'_>,
        s: &mut ConversationState,
        u: &Understanding,
        projects: &[Project],
    ) -> Next {
        let n = self;
        let was_confirming = n.confirming;
        n.confirming = false;
        let mut changed = false;
        if let Some(text) = u.commands.iter().find_map(|c| match c {
            Command::SetNote { text } => Some(text.clone()),
            _ => None,
        }) {
            changed |= n.text.as_ref() != Some(&text);
            n.text = Some(text);
        }
        // "I meant the back door, not the side door": the words replaced in the note.
        if let Some(text) = &n.text
            && let Some((old, new)) = u.commands.iter().find_map(|c| match c {
                Command::Revise { old, new } => Some((old, new)),
                _ => None,
            })
            && let Some(revised) = revise(text, old, new)
        {
            changed = true;
            n.text = Some(revised);
        }
        let current = n.project.clone();
        let said = turn.project_said(
            s,
            u,
            projects,
            current.as_deref(),
            msg!("purpose-add-note"),
            // A note is for a visit: of several that fit, the one with an appointment.
            &|p: &Project| p.status == ProjectStatus::Scheduled,
        );
        let same_project = matches!(&said, ProjectSaid::One(id) if current.as_ref() == Some(id));
        match said {
            ProjectSaid::One(id) => {
                changed |= n.project.as_ref() != Some(&id);
                n.project = Some(id);
            }
            ProjectSaid::AskedWhich | ProjectSaid::NotTheirs => return Next::Keep,
            ProjectSaid::Nothing => {}
        }
        if n.project.is_none() {
            // A note can be for any project: the one talked about, else the customer's pick.
            let focused: Vec<&Project> = projects
                .iter()
                .filter(|p| s.focus.as_deref() == Some(p.id.as_str()))
                .collect();
            let candidates = if focused.is_empty() {
                projects.iter().collect()
            } else {
                focused
            };
            if candidates.is_empty() {
                reply::project_list(&mut turn.reply, projects, turn.today);
                return Next::End;
            }
            match turn.project_among(s, &candidates, msg!("purpose-add-note")) {
                Some(id) => n.project = Some(id),
                None => return Next::Keep,
            }
        }
        let Some(project) = n
            .project
            .as_ref()
            .and_then(|id| projects.iter().find(|p| &p.id == id))
            .cloned()
        else {
            return Next::End;
        };
        s.focus = Some(project.id.clone());
        s.offer = None;
        let Some(text) = n.text.clone().filter(|t| !t.trim().is_empty()) else {
            reply::ask_note_text(&mut turn.reply, &project);
            n.awaiting_text = true;
            return Next::Keep;
        };
        // Like every write, a note is read back and sent on an explicit yes to that summary.
        match summary_answer(was_confirming && !changed, u, same_project) {
            SummaryAnswer::Yes => {}
            SummaryAnswer::No => {
                reply::note_dropped(&mut turn.reply);
                return Next::End;
            }
            SummaryAnswer::Neither => {
                reply::confirm_note(&mut turn.reply, &project, &text);
                n.confirming = true;
                return Next::Keep;
            }
        }
        turn.send_note(&project, &text).await;
        Next::End
    }
}

impl Turn<'_> {
    pub(super) async fn send_note(&mut self, project: &Project, text: &str) {
        let result = self
            .engine
            .pf360
            .add_note(self.caller(), &project.id, text)
            .await;
        self.record_result(ActionName::AddNote, Some(&project.id), &result);
        match result {
            Ok(_) => {
                let caller = self.caller();
                let note = Note {
                    client_id: caller.client_id.clone(),
                    customer_id: caller.customer_id.clone(),
                    project_id: project.id.clone(),
                    text: text.to_string(),
                    created_at: self.now,
                };
                if let Err(error) = self.engine.notes.add(note).await {
                    tracing::error!(%error, "note sent to PF360 but not kept locally");
                }
                reply::note_added(&mut self.reply, project, text);
            }
            Err(error) => reply::pf360_error(&mut self.reply, &error),
        }
    }
}

/// The note said again while its summary waits ("no wait, make it say the dog is in the
/// yard", "ay no, pon que el perro va a estar en el patio"), or while its text is asked for
/// and the answer carries a time ("q lleguen después de las 9, antes no hay nadie"): the new
/// text, read back before anything is sent. A yes, a question, another request, a change of
/// words that fits the note, or a day or time said alone is not a note said again.
pub(super) fn restated(s: &ConversationState, u: &Understanding, raw: &str) -> Option<String> {
    let Some(Flow::Noting(n)) = &s.flow else {
        return None;
    };
    let text = n.text.as_deref();
    if !(n.confirming || n.awaiting_text) || raw.trim_end().ends_with('?') {
        return None;
    }
    let answers = u.has(|c| {
        matches!(
            c,
            Command::Affirm | Command::CancelFlow | Command::Drop { .. } | Command::Choose { .. }
        )
    });
    let asks_other = u.intent().is_some_and(|i| i != Intent::AddNote);
    let fits_note = u.commands.iter().any(|c| {
        matches!(c, Command::Revise { old, new } if text.and_then(|t| revise(t, old, new)).is_some())
    });
    if answers || asks_other || fits_note {
        return None;
    }
    let (opened, restated) = without_leads(raw);
    // Each word as a table would list it: no punctuation around it, lower case.
    let words: Vec<String> = restated
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    // "ok so like the thing w the uh": trailing off says nothing yet.
    let trails_off = words.last().is_some_and(|w| {
        matches!(
            w.as_str(),
            "uh" | "um"
                | "the"
                | "a"
                | "w"
                | "with"
                | "and"
                | "so"
                | "like"
                | "of"
                | "to"
                | "el"
                | "la"
                | "y"
                | "que"
        )
    });
    if trails_off || raw.trim_end().ends_with("...") {
        return None;
    }
    let says_when = u.has(Command::is_when);
    let restates = if n.confirming {
        // Read back already: only a message that opens as a correction says it again.
        opened && words.len() >= 3
    } else {
        // Asked for the text: a sentence that also holds a time is the note ("come after 9,
        // nobody is home before"); "8am" or "1pm would be better" is about the appointment.
        let about_the_visit = words.iter().any(|w| {
            matches!(
                w.as_str(),
                "better"
                    | "instead"
                    | "move"
                    | "change"
                    | "reschedule"
                    | "prefer"
                    | "rather"
                    | "works"
                    | "mejor"
                    | "cambiar"
                    | "mover"
            )
        });
        says_when && words.len() >= 8 && !about_the_visit
    };
    restates.then(|| restated.to_string())
}

/// The note's words without what opens a correction ("no wait,", "sorry,", "ay no, pon que",
/// "make it say"), and whether one did.
fn without_leads(raw: &str) -> (bool, &str) {
    const LEADS: &[&str] = &[
        "no",
        "nope",
        "wait",
        "sorry",
        "oops",
        "actually",
        "ay",
        "perdon",
        "perdón",
        "espera",
        "mejor",
        "pon que",
        "ponle que",
        "ponga que",
        "que diga",
        "make it say",
        "change it to",
        "it should say",
        "should say",
        "instead",
    ];
    const FILLERS: &[&str] = &[
        "oh",
        "hmm",
        "ok",
        "okay",
        "the note:",
        "note:",
        "la nota:",
        "nota:",
    ];
    let mut rest = raw.trim();
    let mut opened = false;
    loop {
        let lower = rest.to_lowercase();
        let starts = |l: &&&str| {
            lower.starts_with(**l)
                && lower[l.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        };
        let lead = LEADS.iter().filter(starts).max_by_key(|l| l.len());
        let filler = FILLERS.iter().filter(starts).max_by_key(|l| l.len());
        let Some(found) = lead.or(filler) else {
            return (opened, rest);
        };
        opened |= lead.is_some();
        rest = rest[found.len()..].trim_start_matches([' ', ',', ':', '-', '.', '!']);
    }
}

/// A change of words that fits the note under way ("the garage door not the side door"):
/// all the message says, whatever project its words might also name.
pub(super) fn revision_of_note(s: &ConversationState, u: &Understanding) -> Option<Command> {
    let Some(Flow::Noting(n)) = &s.flow else {
        return None;
    };
    let text = n.text.as_deref()?;
    u.commands
        .iter()
        .find(|c| matches!(c, Command::Revise { old, new } if revise(text, old, new).is_some()))
        .cloned()
}

/// `text` with `old` replaced by `new` (compared without case), or `None` when `old` is not in
/// it. Words `new` repeats from around `old` are not doubled: "30 min" → "an hour out" in
/// "call when they're 30 min out" gives "call when they're an hour out".
fn revise(text: &str, old: &str, new: &str) -> Option<String> {
    let at = text.to_lowercase().find(&old.to_lowercase())?;
    let (before, after) = (&text[..at], &text[at + old.len()..]);
    let mut new = new.trim().to_string();
    let next_words: Vec<&str> = after.split_whitespace().collect();
    for n in (1..=next_words.len().min(3)).rev() {
        let tail = next_words[..n].join(" ");
        if new
            .to_lowercase()
            .ends_with(&format!(" {}", tail.to_lowercase()))
        {
            new.truncate(new.len() - tail.len() - 1);
            break;
        }
    }
    // "the back door" for "the side door" after "use ": no doubled "the".
    let mut before = before.to_string();
    for word in ["the ", "a ", "an "] {
        if before.to_lowercase().ends_with(word) && new.to_lowercase().starts_with(word) {
            before.truncate(before.len() - word.len());
        }
    }
    Some(format!("{before}{new}{after}"))
}

#[cfg(test)]
mod tests {
    use super::revise;

    #[test]
    fn revisions_replace_the_words_named() {
        assert_eq!(
            revise("please use the side door", "the side door", "the back door").as_deref(),
            Some("please use the back door")
        );
        assert_eq!(
            revise("call when they're 30 min out", "30 min", "an hour out").as_deref(),
            Some("call when they're an hour out")
        );
        assert_eq!(
            revise("gate code 4412", "the side door", "the back door"),
            None
        );
    }
}
