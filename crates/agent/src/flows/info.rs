//! Questions answered in one turn: projects, status, technician, business hours, weather,
//! notes, help. Asked in the middle of a booking they are answered and the booking resumes.

use super::ActionName;
use chrono::{Duration, NaiveDate};
use pf360::{Project, ProjectStatus};

use super::projects::{Named, named};
use super::{Outcome, Turn};
use crate::catalogue::{Message, msg};
use crate::reply;
use crate::state::{Asking, ConversationState, Flow, Offer};
use crate::understand::{Command, Intent, Understanding};

/// How far ahead a forecast is worth giving.
const FORECAST_DAYS: i64 = 10;
/// What the forecaster is asked for a project with no address (the customer is told "your
/// area" in their own language); kept as it was so forecasts stay the same.
const PLACE_UNKNOWN: &str = "your area";

impl Turn<'_> {
    pub(super) async fn answer(
        &mut self,
        s: &mut ConversationState,
        intent: Intent,
        u: &Understanding,
    ) {
        if matches!(s.flow, Some(Flow::Asking(_))) {
            s.flow = None;
        }
        match intent {
            Intent::Help => reply::help(&mut self.reply),
            Intent::BusinessHours => {
                let result = self.engine.pf360.business_hours(self.caller()).await;
                self.record_result(ActionName::GetBusinessHours, None, &result);
                match result {
                    Ok(days) => reply::business_hours(&mut self.reply, &days),
                    Err(error) => reply::pf360_error(&mut self.reply, &error),
                }
            }
            Intent::ListProjects => {
                if let Some(projects) = self.projects().await {
                    reply::project_list(&mut self.reply, &projects, self.today);
                    if s.flow.is_none() {
                        s.offer = Some(Offer::Projects(
                            projects.iter().map(|p| p.id.clone()).collect(),
                        ));
                    }
                }
            }
            Intent::ViewNotes => {
                let Some(projects) = self.projects().await else {
                    return;
                };
                let caller = self.caller().clone();
                match self
                    .engine
                    .notes
                    .list(&caller.client_id, &caller.customer_id)
                    .await
                {
                    Ok(notes) => {
                        self.record(ActionName::GetNotes, None, Outcome::Ok);
                        reply::notes(&mut self.reply, &notes, &projects);
                    }
                    Err(error) => {
                        self.record(ActionName::GetNotes, None, Outcome::Failed("store"));
                        tracing::error!(%error, "notes unavailable");
                        reply::notes_unavailable(&mut self.reply);
                    }
                }
            }
            Intent::Status | Intent::Technician | Intent::Duration | Intent::Weather => {
                self.about_project(s, intent, u).await
            }
            _ => {}
        }
    }

    /// Status, technician, duration or weather: these need one project.
    async fn about_project(
        &mut self,
        s: &mut ConversationState,
        intent: Intent,
        u: &Understanding,
    ) {
        let Some(projects) = self.projects().await else {
            return;
        };
        let date = u.commands.iter().find_map(|c| match c {
            Command::SetDate { date } => Some(*date),
            _ => None,
        });
        let purpose = match intent {
            Intent::Technician => msg!("purpose-know-technician"),
            Intent::Weather => msg!("purpose-check-weather"),
            _ => msg!("purpose-check"),
        };
        let chosen = match named(u, s, &projects) {
            Named::One(id) => projects.iter().find(|p| p.id == id).cloned(),
            Named::Several(ids) => {
                let several: Vec<&Project> =
                    projects.iter().filter(|p| ids.contains(&p.id)).collect();
                if intent == Intent::Weather {
                    return self.ask_which(s, intent, date, purpose, &several);
                }
                // "where are things with my floors and my windows?": a question costs nothing
                // to answer for each project it fits.
                for project in several {
                    self.about_one(s, intent, project);
                }
                s.focus = None;
                return;
            }
            Named::Unknown => {
                self.not_theirs(s);
                return;
            }
            // Right after a project not theirs was named, the question may be about it: asked.
            Named::Nothing if s.named_unknown_lately() => None,
            Named::Nothing => {
                let focused = s
                    .focus
                    .as_ref()
                    .and_then(|id| projects.iter().find(|p| &p.id == id))
                    .cloned();
                focused.or_else(|| default_project(intent, &projects))
            }
        };
        let Some(project) = chosen else {
            if intent == Intent::Status {
                // No single project meant: the overview answers the question.
                reply::project_list(&mut self.reply, &projects, self.today);
                if s.flow.is_none() {
                    s.offer = Some(Offer::Projects(
                        projects.iter().map(|p| p.id.clone()).collect(),
                    ));
                }
                return;
            }
            let all: Vec<&Project> = projects.iter().collect();
            return self.ask_which(s, intent, date, purpose, &all);
        };
        if intent == Intent::Weather {
            return self.weather_for(s, &project, date).await;
        }
        self.about_one(s, intent, &project);
    }

    /// The status, the technician or the length of one project.
    fn about_one(&mut self, s: &mut ConversationState, intent: Intent, project: &Project) {
        s.focus = Some(project.id.clone());
        if s.flow.is_none() {
            s.offer = None;
        }
        if intent == Intent::Technician {
            self.record(
                ActionName::GetTechnicianInfo,
                Some(&project.id),
                Outcome::Ok,
            );
            reply::technician(&mut self.reply, project, self.today);
        } else if intent == Intent::Duration {
            self.record(ActionName::GetProjectStatus, Some(&project.id), Outcome::Ok);
            reply::how_long(&mut self.reply, project);
        } else {
            self.record(ActionName::GetProjectStatus, Some(&project.id), Outcome::Ok);
            reply::status(&mut self.reply, project, self.today);
        }
    }

    /// The forecast for a project's address on the day asked, else the day in play.
    async fn weather_for(
        &mut self,
        s: &mut ConversationState,
        project: &Project,
        date: Option<NaiveDate>,
    ) {
        let intent = Intent::Weather;
        s.focus = Some(project.id.clone());
        if s.flow.is_none() {
            s.offer = None;
        }
        let pending = match &s.flow {
            Some(Flow::Booking(b)) => b.date,
            _ => None,
        };
        let day = date
            .or(pending)
            .or_else(|| project.scheduled.as_ref().map(|w| w.date));
        let Some(day) = day else {
            reply::weather_needs_date(&mut self.reply);
            if s.flow.is_none() {
                s.flow = Some(Flow::Asking(Asking { intent, date: None }));
            }
            return;
        };
        let place = project
            .address
            .as_ref()
            .map(|a| a.city.clone().unwrap_or_else(|| a.full.clone()));
        let forecast = if in_forecast_range(day, self.today) {
            let asked = place.as_deref().unwrap_or(PLACE_UNKNOWN);
            self.engine.weather.forecast(asked, day).await
        } else {
            None
        };
        self.record(ActionName::GetWeather, Some(&project.id), Outcome::Ok);
        reply::weather(
            &mut self.reply,
            place.as_deref(),
            day,
            self.today,
            forecast.as_ref(),
        );
    }

    fn ask_which(
        &mut self,
        s: &mut ConversationState,
        intent: Intent,
        date: Option<NaiveDate>,
        purpose: Message,
        projects: &[&Project],
    ) {
        reply::which_project(&mut self.reply, purpose, projects);
        if s.flow.is_none() {
            s.flow = Some(Flow::Asking(Asking { intent, date }));
            s.offer = Some(Offer::Projects(
                projects.iter().map(|p| p.id.clone()).collect(),
            ));
        }
    }
}

/// The project a question is about when the customer did not say: the only one, or the only
/// one with an appointment.
fn default_project(intent: Intent, projects: &[Project]) -> Option<Project> {
    if let [only] = projects {
        return Some(only.clone());
    }
    if intent == Intent::Status {
        return None;
    }
    let booked: Vec<&Project> = projects
        .iter()
        .filter(|p| {
            matches!(
                p.status,
                ProjectStatus::Scheduled | ProjectStatus::InProgress
            )
        })
        .collect();
    match booked.as_slice() {
        [only] => Some((*only).clone()),
        _ => None,
    }
}

fn in_forecast_range(day: NaiveDate, today: NaiveDate) -> bool {
    day >= today && day <= today + Duration::days(FORECAST_DAYS)
}
