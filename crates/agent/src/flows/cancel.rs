//! Cancelling an appointment: which one → summary → explicit yes. "No" keeps it.

use pf360::{Project, ProjectStatus};

use super::Turn;
use super::runtime::{ProjectSaid, SummaryAnswer, summary_answer};
use super::spec::{FlowSpec, Next};
use super::writes::{PlannedWrite, Written, schedule_key};
use crate::catalogue::{Message, msg};
use crate::journal::WriteKind;
use crate::reply;
use crate::state::{Cancelling, ConversationState, Flow};
use crate::understand::{Intent, Understanding};

impl FlowSpec for Cancelling {
    fn topic(&self) -> Message {
        msg!("topic-cancellation")
    }

    fn resume_topic(&self) -> Option<Message> {
        Some(msg!("topic-your-cancellation"))
    }

    fn keeps_waiting(&self) -> &'static [Intent] {
        &[Intent::Schedule, Intent::Reschedule, Intent::AddNote]
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
        Flow::Cancelling(self)
    }

    async fn step(
        &mut self,
        turn: &mut Turn<'_>,
        s: &mut ConversationState,
        u: &Understanding,
        projects: &[Project],
    ) -> Next {
        let c = self;
        let was_confirming = c.confirming;
        let current = c.project.clone();
        let said = turn.project_said(
            s,
            u,
            projects,
            current.as_deref(),
            msg!("purpose-cancel"),
            &|p: &Project| p.status == ProjectStatus::Scheduled,
        );
        let same_project = matches!(&said, ProjectSaid::One(id) if current.as_ref() == Some(id));
        match said {
            ProjectSaid::One(id) => {
                if c.project.as_deref() != Some(&id) {
                    c.project = Some(id);
                    c.confirming = false;
                }
            }
            ProjectSaid::AskedWhich | ProjectSaid::NotTheirs => {
                c.confirming = false;
                return Next::Keep;
            }
            ProjectSaid::Nothing => {}
        }

        match summary_answer(was_confirming && c.confirming, u, same_project) {
            SummaryAnswer::Yes => return turn.write_cancel(c, s, projects).await,
            SummaryAnswer::No => {
                reply::cancel_kept(&mut turn.reply);
                s.offer = None;
                return Next::End;
            }
            SummaryAnswer::Neither => {}
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
            let candidates = if focused.is_empty() {
                scheduled
            } else {
                focused
            };
            if candidates.is_empty() {
                reply::nothing_to_cancel(&mut turn.reply);
                s.offer = None;
                return Next::End;
            }
            match turn.project_among(s, &candidates, msg!("purpose-cancel")) {
                Some(id) => c.project = Some(id),
                None => return Next::Keep,
            }
        }
        let Some(project) = c
            .project
            .as_ref()
            .and_then(|id| projects.iter().find(|p| &p.id == id))
        else {
            return Next::End;
        };
        s.focus = Some(project.id.clone());
        if project.status != ProjectStatus::Scheduled {
            reply::not_scheduled(&mut turn.reply, project);
            s.offer = None;
            return Next::End;
        }
        turn.summarise_cancel(c, project);
        s.offer = None;
        Next::Keep
    }
}

impl Turn<'_> {
    async fn write_cancel(
        &mut self,
        c: &mut Cancelling,
        s: &mut ConversationState,
        projects: &[Project],
    ) -> Next {
        let Some(project) = c
            .project
            .as_ref()
            .and_then(|id| projects.iter().find(|p| &p.id == id))
            .cloned()
        else {
            return Next::End;
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
                s.freed = project.scheduled.as_ref().and_then(|w| w.start);
                reply::cancelled(&mut self.reply, &project);
                Next::End
            }
            Written::TestMode => {
                reply::cancelled_test_mode(&mut self.reply, &project);
                Next::End
            }
            Written::Uncertain => Next::End,
            Written::Held | Written::NotSent => Next::Keep,
            Written::Changed(now) => {
                reply::project_changed(&mut self.reply, &now, self.today);
                if now.status != ProjectStatus::Scheduled {
                    return Next::End;
                }
                self.summarise_cancel(c, &now);
                Next::Keep
            }
            Written::Refused(error) => {
                reply::pf360_error(&mut self.reply, &error);
                Next::End
            }
        }
    }

    fn summarise_cancel(&mut self, c: &mut Cancelling, project: &Project) {
        reply::confirm_cancel(&mut self.reply, project, self.today);
        c.confirming = true;
        c.shown = schedule_key(project);
    }
}
