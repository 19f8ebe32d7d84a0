//! Cancelling an appointment: which one → summary → explicit yes. "No" keeps it.

use pf360::{Project, ProjectStatus};

use super::projects::{Named, named};
use super::writes::{PlannedWrite, Written, schedule_key};
use super::{Turn, plain_yes};
use crate::catalogue::msg;
use crate::journal::WriteKind;
use crate::reply;
use crate::state::{Cancelling, ConversationState, Flow, Offer};
use crate::understand::{Command, Understanding};

impl Turn<'_> {
    pub(super) async fn cancel_flow(&mut self, s: &mut ConversationState, u: &Understanding) {
        let Some(Flow::Cancelling(mut c)) = s.flow.take() else {
            return;
        };
        let Some(projects) = self.projects().await else {
            s.flow = Some(Flow::Cancelling(c));
            return;
        };
        if self.cancel_step(&mut c, s, u, &projects).await {
            s.flow = Some(Flow::Cancelling(c));
        }
    }

    /// True to keep the flow going.
    async fn cancel_step(
        &mut self,
        c: &mut Cancelling,
        s: &mut ConversationState,
        u: &Understanding,
        projects: &[Project],
    ) -> bool {
        let was_confirming = c.confirming;
        match named(u, s, projects) {
            Named::One(id) => {
                if c.project.as_deref() != Some(&id) {
                    c.project = Some(id);
                    c.confirming = false;
                }
            }
            Named::Several(ids) => {
                let several: Vec<&Project> =
                    projects.iter().filter(|p| ids.contains(&p.id)).collect();
                reply::which_project(&mut self.reply, msg!("purpose-cancel"), &several);
                s.offer = Some(Offer::Projects(ids));
                c.confirming = false;
                return true;
            }
            Named::Unknown => {
                // Never another project in its place.
                reply::project_not_found(&mut self.reply);
                return true;
            }
            Named::Nothing => {}
        }

        if was_confirming && c.confirming {
            if plain_yes(u) {
                return self.write_cancel(c, s, projects).await;
            }
            if u.has(|cmd| *cmd == Command::Deny) {
                reply::cancel_kept(&mut self.reply);
                s.offer = None;
                return false;
            }
        }

        if c.project.is_none() {
            let scheduled: Vec<&Project> = projects
                .iter()
                .filter(|p| p.status == ProjectStatus::Scheduled)
                .collect();
            let focused: Vec<&Project> = scheduled
                .iter()
                .copied()
                .filter(|p| s.focus.as_deref() == Some(p.id.as_str()))
                .collect();
            let scheduled = if focused.is_empty() {
                scheduled
            } else {
                focused
            };
            match scheduled.as_slice() {
                [] => {
                    reply::nothing_to_cancel(&mut self.reply);
                    s.offer = None;
                    return false;
                }
                [only] => c.project = Some(only.id.clone()),
                several => {
                    reply::which_project(&mut self.reply, msg!("purpose-cancel"), several);
                    s.offer = Some(Offer::Projects(
                        several.iter().map(|p| p.id.clone()).collect(),
                    ));
                    return true;
                }
            }
        }
        let Some(project) = c
            .project
            .as_ref()
            .and_then(|id| projects.iter().find(|p| &p.id == id))
        else {
            return false;
        };
        s.focus = Some(project.id.clone());
        if project.status != ProjectStatus::Scheduled {
            reply::not_scheduled(&mut self.reply, project);
            s.offer = None;
            return false;
        }
        let project = project.clone();
        self.summarise_cancel(c, &project);
        s.offer = None;
        true
    }

    async fn write_cancel(
        &mut self,
        c: &mut Cancelling,
        s: &mut ConversationState,
        projects: &[Project],
    ) -> bool {
        let Some(project) = c
            .project
            .as_ref()
            .and_then(|id| projects.iter().find(|p| &p.id == id))
            .cloned()
        else {
            return false;
        };
        s.offer = None;
        let shown = c.shown.clone();
        let written = self
            .guarded_write(PlannedWrite {
                project: &project,
                kind: WriteKind::Cancel,
                slot: None,
                request_id: None,
                shown: &shown,
            })
            .await;
        match written {
            Written::Done => {
                reply::cancelled(&mut self.reply, &project);
                false
            }
            Written::TestMode => {
                reply::cancelled_test_mode(&mut self.reply, &project);
                false
            }
            Written::Uncertain => false,
            Written::Held | Written::NotSent => true,
            Written::Changed(now) => {
                reply::project_changed(&mut self.reply, &now, self.today);
                if now.status != ProjectStatus::Scheduled {
                    return false;
                }
                self.summarise_cancel(c, &now);
                true
            }
            Written::Refused(error) => {
                reply::pf360_error(&mut self.reply, &error);
                false
            }
        }
    }

    fn summarise_cancel(&mut self, c: &mut Cancelling, project: &Project) {
        reply::confirm_cancel(&mut self.reply, project, self.today);
        c.confirming = true;
        c.shown = schedule_key(project);
    }
}
