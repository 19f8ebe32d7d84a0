//! Adding a note for the crew: which project → the text → sent to PF360 and kept here.

use super::ActionName;
use pf360::Project;

use super::projects::{Named, named};
use super::{Turn, plain_yes};
use crate::catalogue::msg;
use crate::notes::Note;
use crate::reply;
use crate::state::{ConversationState, Flow, Noting, Offer};
use crate::understand::{Command, Understanding};

impl Turn<'_> {
    pub(super) async fn note_flow(&mut self, s: &mut ConversationState, u: &Understanding) {
        let Some(Flow::Noting(mut n)) = s.flow.take() else {
            return;
        };
        let Some(projects) = self.projects().await else {
            s.flow = Some(Flow::Noting(n));
            return;
        };
        if self.note_step(&mut n, s, u, &projects).await {
            s.flow = Some(Flow::Noting(n));
        }
    }

    async fn note_step(
        &mut self,
        n: &mut Noting,
        s: &mut ConversationState,
        u: &Understanding,
        projects: &[Project],
    ) -> bool {
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
        match named(u, s, projects) {
            Named::One(id) => {
                changed |= n.project.as_ref() != Some(&id);
                n.project = Some(id);
            }
            Named::Several(ids) => {
                let several: Vec<&Project> =
                    projects.iter().filter(|p| ids.contains(&p.id)).collect();
                reply::which_project(&mut self.reply, msg!("purpose-add-note"), &several);
                s.offer = Some(Offer::Projects(ids));
                return true;
            }
            Named::Unknown => {
                // Never another project in its place.
                reply::project_not_found(&mut self.reply);
                return true;
            }
            Named::Nothing => {}
        }
        if n.project.is_none() {
            let focused = s
                .focus
                .as_ref()
                .filter(|id| projects.iter().any(|p| &p.id == *id));
            match (focused, projects) {
                (Some(id), _) => n.project = Some(id.clone()),
                (None, [only]) => n.project = Some(only.id.clone()),
                (None, []) => {
                    reply::project_list(&mut self.reply, projects, self.today);
                    return false;
                }
                (None, all) => {
                    let refs: Vec<&Project> = all.iter().collect();
                    reply::which_project(&mut self.reply, msg!("purpose-add-note"), &refs);
                    s.offer = Some(Offer::Projects(all.iter().map(|p| p.id.clone()).collect()));
                    return true;
                }
            }
        }
        let Some(project) = n
            .project
            .as_ref()
            .and_then(|id| projects.iter().find(|p| &p.id == id))
            .cloned()
        else {
            return false;
        };
        s.focus = Some(project.id.clone());
        s.offer = None;
        let Some(text) = n.text.clone().filter(|t| !t.trim().is_empty()) else {
            reply::ask_note_text(&mut self.reply, &project);
            n.awaiting_text = true;
            return true;
        };
        // Like every write, a note is read back and sent on an explicit yes to that summary.
        let answers_summary = was_confirming && !changed;
        if answers_summary && u.has(|c| *c == Command::Deny) {
            reply::note_dropped(&mut self.reply);
            return false;
        }
        if !(answers_summary && plain_yes(u)) {
            reply::confirm_note(&mut self.reply, &project, &text);
            n.confirming = true;
            return true;
        }
        let result = self
            .engine
            .pf360
            .add_note(self.caller(), &project.id, &text)
            .await;
        self.record_result(ActionName::AddNote, Some(&project.id), &result);
        match result {
            Ok(_) => {
                let caller = self.caller();
                let note = Note {
                    client_id: caller.client_id.clone(),
                    customer_id: caller.customer_id.clone(),
                    project_id: project.id.clone(),
                    text: text.clone(),
                    created_at: self.now,
                };
                if let Err(error) = self.engine.notes.add(note).await {
                    tracing::error!(%error, "note sent to PF360 but not kept locally");
                }
                reply::note_added(&mut self.reply, &project, &text);
            }
            Err(error) => reply::pf360_error(&mut self.reply, &error),
        }
        false
    }
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
