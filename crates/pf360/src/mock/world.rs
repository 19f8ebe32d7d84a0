//! What the mock PF360 knows and how it changes: the rules of `../shared/docs/EVAL.md`.
//!
//! The world is plain data behind one lock, with no I/O: the HTTP layer ([`super::routes`])
//! authenticates and translates, this module decides.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rand::Rng;
use rand::distr::Alphanumeric;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::fixture::{
    AVAILABILITY_KEY, Availability, Fixture, FixtureClient, Slot, availability_of, project_id,
};
use crate::models::{ConfirmRequest, WorkDay};
use crate::project::{ProjectStatus, ServiceDuration};

/// How long a request_id stays good, in the mock's clock.
pub const REQUEST_ID_LIFETIME: Duration = Duration::minutes(30);

/// A refusal: HTTP status and the `{"message"}` to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

fn refuse(status: u16, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        message: message.into(),
    }
}

/// One successful write, as `GET /__mock/writes` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct WriteRecord {
    pub kind: WriteKind,
    pub project_id: String,
    pub date: Option<String>,
    pub time: Option<String>,
    pub note_text: Option<String>,
    /// The mock's local time of the write, `YYYY-MM-DDTHH:MM:SS`.
    pub at: String,
    /// The `created_at` the client sent with a confirm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteKind {
    Schedule,
    Cancel,
    Note,
}

struct Project {
    id: String,
    customer_id: String,
    /// The dashboard record as served (the `availability` block removed).
    record: Map<String, Value>,
    availability: Availability,
}

struct Client {
    config: FixtureClient,
    projects: Vec<Project>,
}

struct IssuedRequest {
    client_id: String,
    project_id: String,
    issued_at: DateTime<Utc>,
}

/// The mock's whole state.
pub struct World {
    clients: Vec<Client>,
    requests: HashMap<String, IssuedRequest>,
    /// `taken_on_confirm` slots someone already tried to book: they are gone for good.
    vanished: HashSet<(String, NaiveDateTime)>,
    writes: Vec<WriteRecord>,
    next_note: u64,
}

impl World {
    pub fn new(fixture: &Fixture) -> World {
        let clients = fixture
            .clients
            .iter()
            .map(|client| Client {
                projects: client
                    .customers
                    .iter()
                    .flat_map(|customer| {
                        customer.projects.iter().map(|raw| {
                            let mut record = raw.clone();
                            record.remove(AVAILABILITY_KEY);
                            Project {
                                id: project_id(raw).unwrap_or_default(),
                                customer_id: customer.customer_id.clone(),
                                record,
                                // Checked when the fixture was loaded.
                                availability: availability_of(raw).unwrap_or_default(),
                            }
                        })
                    })
                    .collect(),
                config: client.clone(),
            })
            .collect();
        World {
            clients,
            requests: HashMap::new(),
            vanished: HashSet::new(),
            writes: Vec::new(),
            next_note: 1,
        }
    }

    /// The client and customer a fixture token belongs to.
    pub fn customer_of_token(&self, token: &str) -> Option<(String, String)> {
        self.clients.iter().find_map(|client| {
            client
                .config
                .customers
                .iter()
                .find(|customer| customer.token == token)
                .map(|customer| {
                    (
                        client.config.client_id.clone(),
                        customer.customer_id.clone(),
                    )
                })
        })
    }

    /// The client a service token belongs to.
    pub fn client_of_service_token(&self, token: &str) -> Option<String> {
        self.clients
            .iter()
            .find(|c| c.config.service_tokens.iter().any(|t| t == token))
            .map(|c| c.config.client_id.clone())
    }

    /// Whether the client has this customer.
    pub fn has_customer(&self, client_id: &str, customer_id: &str) -> bool {
        self.client(client_id).is_ok_and(|c| {
            c.config
                .customers
                .iter()
                .any(|x| x.customer_id == customer_id)
        })
    }

    /// Who owns a project of the client (a service token's project calls name no customer).
    pub fn owner_of(&self, client_id: &str, project_id: &str) -> Option<String> {
        self.client(client_id).ok().and_then(|c| {
            c.projects
                .iter()
                .find(|p| p.id == project_id)
                .map(|p| p.customer_id.clone())
        })
    }

    pub fn has_client(&self, client_id: &str) -> bool {
        self.client(client_id).is_ok()
    }

    pub fn writes(&self) -> &[WriteRecord] {
        &self.writes
    }

    fn client(&self, client_id: &str) -> Result<&Client, Refusal> {
        self.clients
            .iter()
            .find(|c| c.config.client_id == client_id)
            .ok_or_else(|| refuse(404, "Client not found"))
    }

    /// 1 — the dashboard of one customer.
    pub fn dashboard(&self, client_id: &str, customer_id: &str) -> Result<Value, Refusal> {
        let client = self.client(client_id)?;
        if !client
            .config
            .customers
            .iter()
            .any(|c| c.customer_id == customer_id)
        {
            return Err(refuse(404, "Customer not found"));
        }
        let data: Vec<&Map<String, Value>> = client
            .projects
            .iter()
            .filter(|p| p.customer_id == customer_id)
            .map(|p| &p.record)
            .collect();
        Ok(json!({ "data": data }))
    }

    /// 2 — business hours.
    pub fn business_hours(&self, client_id: &str) -> Result<Value, Refusal> {
        let client = self.client(client_id)?;
        let work_hours: Vec<WorkDay> = client
            .config
            .work_hours
            .iter()
            .map(|w| WorkDay {
                day: super::fixture::day_name::name(w.day).to_string(),
                is_working: w.is_working,
            })
            .collect();
        Ok(json!({ "data": { "workHours": work_hours } }))
    }

    /// 3 — offered dates, opening a new request.
    pub fn open_request(
        &mut self,
        client_id: &str,
        customer_id: &str,
        project_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Value, Refusal> {
        let dates = {
            let (client, project) = self.project(client_id, customer_id, project_id)?;
            ensure_schedulable(project)?;
            self.offered_dates(client, project, now)
        };
        let request_id = format!(
            "req_{}",
            rand::rng()
                .sample_iter(Alphanumeric)
                .take(16)
                .map(char::from)
                .collect::<String>()
        );
        self.requests.insert(
            request_id.clone(),
            IssuedRequest {
                client_id: client_id.to_string(),
                project_id: project_id.to_string(),
                issued_at: now,
            },
        );
        let dates: Vec<String> = dates
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect();
        Ok(json!({ "data": { "dates": dates, "request_id": request_id } }))
    }

    /// 4 — slots of one offered date.
    pub fn slots(
        &self,
        client_id: &str,
        customer_id: &str,
        project_id: &str,
        date: &str,
        request_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Value, Refusal> {
        let (client, project) = self.project(client_id, customer_id, project_id)?;
        self.check_request(client_id, project_id, request_id, now)?;
        ensure_schedulable(project)?;
        let date = parse_date(date)?;
        if !self.offered_dates(client, project, now).contains(&date) {
            return Err(refuse(422, format!("Date {date} is not available")));
        }
        let slots: Vec<String> = self
            .slots_of(client, project, date)
            .iter()
            .map(|s| s.to_hhmm())
            .collect();
        Ok(json!({ "data": { "slots": slots } }))
    }

    /// 5 — book or re-book.
    pub fn confirm(
        &mut self,
        client_id: &str,
        customer_id: &str,
        project_id: &str,
        body: &ConfirmRequest,
        now: DateTime<Utc>,
    ) -> Result<Value, Refusal> {
        let (date, time, local_now) = {
            let (client, project) = self.project(client_id, customer_id, project_id)?;
            check_confirm_body(body)?;
            self.check_request(client_id, project_id, &body.request_id, now)?;
            ensure_schedulable(project)?;
            let date = parse_date(&body.date)?;
            let time = NaiveTime::parse_from_str(&body.time, "%H:%M").map_err(|_| {
                refuse(422, format!("Invalid time {:?}, expected HH:MM", body.time))
            })?;
            if !self.offered_dates(client, project, now).contains(&date) {
                return Err(refuse(422, format!("Date {date} is not available")));
            }
            if !self.slots_of(client, project, date).contains(&Slot(time)) {
                return Err(refuse(
                    422,
                    format!("Time {} is not available on {date}", body.time),
                ));
            }
            let slot = date.and_time(time);
            if project
                .availability
                .taken_on_confirm
                .iter()
                .any(|t| t.0 == slot)
            {
                self.vanished.insert((project_id.to_string(), slot));
                return Err(refuse(409, "Slot no longer available"));
            }
            (date, time, local_now_of(client, now))
        };
        let project = self.project_mut(client_id, project_id)?;
        let start = date.and_time(time);
        let duration = ServiceDuration::from_parts(
            project
                .record
                .get("service_time_duration_value")
                .and_then(number_of),
            project
                .record
                .get("service_time_duration_type")
                .and_then(Value::as_str),
        );
        let end = duration.map_or(start, |d| start + d.as_chrono());
        let record = &mut project.record;
        record.insert("status_info_status".into(), json!("Scheduled"));
        record.insert("project_date_scheduled_date".into(), json!(body.date));
        record.insert(
            "convertedProjectStartScheduledDate".into(),
            json!(format_dt(start)),
        );
        record.insert(
            "convertedProjectEndScheduledDate".into(),
            json!(format_dt(end)),
        );
        // A request is good for one booking.
        self.requests.remove(&body.request_id);
        self.writes.push(WriteRecord {
            kind: WriteKind::Schedule,
            project_id: project_id.to_string(),
            date: Some(body.date.clone()),
            time: Some(body.time.clone()),
            note_text: None,
            at: format_iso(local_now),
            created_at: Some(body.created_at.clone()),
        });
        Ok(json!({"message": "Appointment scheduled successfully", "status": "success"}))
    }

    /// 6 — cancel the appointment.
    pub fn cancel(
        &mut self,
        client_id: &str,
        customer_id: &str,
        project_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Value, Refusal> {
        let local_now = {
            let (client, project) = self.project(client_id, customer_id, project_id)?;
            if status_of(project) != ProjectStatus::Scheduled {
                return Err(refuse(
                    422,
                    "Project has no scheduled appointment to cancel",
                ));
            }
            local_now_of(client, now)
        };
        let project = self.project_mut(client_id, project_id)?;
        let record = &mut project.record;
        record.insert("status_info_status".into(), json!("Ready to Schedule"));
        for field in [
            "project_date_scheduled_date",
            "convertedProjectStartScheduledDate",
            "convertedProjectEndScheduledDate",
        ] {
            record.insert(field.into(), Value::Null);
        }
        self.writes.push(WriteRecord {
            kind: WriteKind::Cancel,
            project_id: project_id.to_string(),
            date: None,
            time: None,
            note_text: None,
            at: format_iso(local_now),
            created_at: None,
        });
        Ok(json!({"message": "Appointment cancelled successfully"}))
    }

    /// 7 — add a note.
    pub fn add_note(
        &mut self,
        client_id: &str,
        customer_id: &str,
        project_id: &str,
        note_text: &str,
        now: DateTime<Utc>,
    ) -> Result<Value, Refusal> {
        let local_now = {
            let (client, _) = self.project(client_id, customer_id, project_id)?;
            local_now_of(client, now)
        };
        let text = note_text.trim();
        if text.is_empty() {
            return Err(refuse(422, "note_text must not be empty"));
        }
        if text.chars().count() > 2000 {
            return Err(refuse(422, "note_text is longer than 2000 characters"));
        }
        let note_id = format!("note_{:06}", self.next_note);
        self.next_note += 1;
        self.writes.push(WriteRecord {
            kind: WriteKind::Note,
            project_id: project_id.to_string(),
            date: None,
            time: None,
            note_text: Some(text.to_string()),
            at: format_iso(local_now),
            created_at: None,
        });
        Ok(json!({"message": "Note added successfully", "note_id": note_id}))
    }

    /// A project of this customer; another customer's project is "not found", like an unknown one.
    fn project(
        &self,
        client_id: &str,
        customer_id: &str,
        project_id: &str,
    ) -> Result<(&Client, &Project), Refusal> {
        let client = self.client(client_id)?;
        client
            .projects
            .iter()
            .find(|p| p.id == project_id && p.customer_id == customer_id)
            .map(|p| (client, p))
            .ok_or_else(|| refuse(404, "Project not found"))
    }

    fn project_mut(&mut self, client_id: &str, project_id: &str) -> Result<&mut Project, Refusal> {
        self.clients
            .iter_mut()
            .find(|c| c.config.client_id == client_id)
            .and_then(|c| c.projects.iter_mut().find(|p| p.id == project_id))
            .ok_or_else(|| refuse(404, "Project not found"))
    }

    fn check_request(
        &self,
        client_id: &str,
        project_id: &str,
        request_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Refusal> {
        let issued = self
            .requests
            .get(request_id)
            .filter(|r| r.client_id == client_id && r.project_id == project_id)
            .ok_or_else(|| refuse(422, "Invalid request_id for this project"))?;
        if now - issued.issued_at > REQUEST_ID_LIFETIME {
            return Err(refuse(
                422,
                "request_id has expired; request available dates again",
            ));
        }
        Ok(())
    }

    /// Working days from today + lead through today + horizon, minus closed dates and dates
    /// without a slot.
    fn offered_dates(
        &self,
        client: &Client,
        project: &Project,
        now: DateTime<Utc>,
    ) -> Vec<NaiveDate> {
        let config = &client.config;
        let today = local_now_of(client, now).date();
        (config.lead_days..=config.horizon_days)
            .map(|offset| today + Duration::days(i64::from(offset)))
            .filter(|date| {
                config
                    .work_hours
                    .iter()
                    .any(|w| w.day == date.weekday() && w.is_working)
            })
            .filter(|date| {
                !config.closed_dates.contains(date)
                    && !project.availability.closed_dates.contains(date)
            })
            .filter(|date| !self.slots_of(client, project, *date).is_empty())
            .collect()
    }

    fn slots_of(&self, client: &Client, project: &Project, date: NaiveDate) -> Vec<Slot> {
        let slots = project
            .availability
            .slots_by_date
            .get(&date)
            .unwrap_or(&client.config.slots);
        slots
            .iter()
            .copied()
            .filter(|slot| {
                !self
                    .vanished
                    .contains(&(project.id.clone(), date.and_time(slot.0)))
            })
            .collect()
    }
}

fn status_of(project: &Project) -> ProjectStatus {
    project
        .record
        .get("status_info_status")
        .and_then(Value::as_str)
        .map(ProjectStatus::parse)
        .unwrap_or(ProjectStatus::Other(String::new()))
}

fn ensure_schedulable(project: &Project) -> Result<(), Refusal> {
    let status = status_of(project);
    if status.can_be_scheduled() {
        Ok(())
    } else {
        Err(refuse(
            422,
            format!("Project cannot be scheduled in status {:?}", status.label()),
        ))
    }
}

fn check_confirm_body(body: &ConfirmRequest) -> Result<(), Refusal> {
    if NaiveDateTime::parse_from_str(&body.created_at, "%m-%d-%Y %H:%M:%S").is_err() {
        return Err(refuse(
            422,
            format!(
                "Invalid created_at {:?}, expected MM-DD-YYYY HH:MM:SS",
                body.created_at
            ),
        ));
    }
    if body.is_chatbot != "true" {
        return Err(refuse(422, "is_chatbot must be the string \"true\""));
    }
    Ok(())
}

fn parse_date(raw: &str) -> Result<NaiveDate, Refusal> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| refuse(422, format!("Invalid date {raw:?}, expected YYYY-MM-DD")))
}

fn local_now_of(client: &Client, now: DateTime<Utc>) -> NaiveDateTime {
    now.with_timezone(&client.config.timezone).naive_local()
}

fn number_of(value: &Value) -> Option<f64> {
    value
        .as_f64()
        .or_else(|| value.as_str()?.trim().parse().ok())
}

fn format_dt(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn format_iso(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}
