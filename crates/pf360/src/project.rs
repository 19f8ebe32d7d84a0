//! The clean view of a project that the rest of the product works with, derived from the
//! flattened [`DashboardRecord`].

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::environment::Environment;
use crate::models::DashboardRecord;

/// Where a project stands. Unknown statuses are kept verbatim rather than rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProjectStatus {
    ReadyToSchedule,
    Scheduled,
    InProgress,
    Completed,
    Cancelled,
    OnHold,
    Other(String),
}

impl ProjectStatus {
    pub fn parse(raw: &str) -> Self {
        let key: String = raw
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match key.as_str() {
            "readytoschedule" => ProjectStatus::ReadyToSchedule,
            "scheduled" => ProjectStatus::Scheduled,
            "inprogress" => ProjectStatus::InProgress,
            "completed" | "complete" => ProjectStatus::Completed,
            "cancelled" | "canceled" => ProjectStatus::Cancelled,
            "onhold" => ProjectStatus::OnHold,
            _ => ProjectStatus::Other(raw.trim().to_string()),
        }
    }

    /// The status as PF360 spells it.
    pub fn label(&self) -> &str {
        match self {
            ProjectStatus::ReadyToSchedule => "Ready to Schedule",
            ProjectStatus::Scheduled => "Scheduled",
            ProjectStatus::InProgress => "In Progress",
            ProjectStatus::Completed => "Completed",
            ProjectStatus::Cancelled => "Cancelled",
            ProjectStatus::OnHold => "On Hold",
            ProjectStatus::Other(raw) => raw,
        }
    }

    /// Whether PF360 offers dates for a project in this status (booking or re-booking).
    pub fn can_be_scheduled(&self) -> bool {
        matches!(
            self,
            ProjectStatus::ReadyToSchedule | ProjectStatus::Scheduled | ProjectStatus::OnHold
        )
    }
}

impl std::fmt::Display for ProjectStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// One line, as PF360 gives it or assembled from the parts.
    pub full: String,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zipcode: Option<String>,
}

/// The booked appointment window, in the client's local time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduledWindow {
    pub date: NaiveDate,
    pub start: Option<NaiveDateTime>,
    pub end: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Technician {
    pub id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

impl Technician {
    pub fn full_name(&self) -> String {
        [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DurationUnit {
    Minutes,
    Hours,
    Days,
}

/// How long the job is expected to take.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ServiceDuration {
    pub value: f64,
    pub unit: DurationUnit,
}

impl ServiceDuration {
    /// From the record's value and type; an unknown or missing type is read as hours, which is
    /// what PF360 uses for installations.
    pub fn from_parts(value: Option<f64>, unit: Option<&str>) -> Option<Self> {
        let value = value.filter(|v| v.is_finite() && *v > 0.0)?;
        let unit = match unit.map(|u| u.trim().to_ascii_lowercase()) {
            Some(u) if u.starts_with("min") => DurationUnit::Minutes,
            Some(u) if u.starts_with("day") => DurationUnit::Days,
            _ => DurationUnit::Hours,
        };
        Some(ServiceDuration { value, unit })
    }

    pub fn as_chrono(&self) -> chrono::Duration {
        let minutes = match self.unit {
            DurationUnit::Minutes => self.value,
            DurationUnit::Hours => self.value * 60.0,
            DurationUnit::Days => self.value * 24.0 * 60.0,
        };
        chrono::Duration::minutes(minutes.round() as i64)
    }
}

impl std::fmt::Display for ServiceDuration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match (self.unit, self.value == 1.0) {
            (DurationUnit::Minutes, true) => "minute",
            (DurationUnit::Minutes, false) => "minutes",
            (DurationUnit::Hours, true) => "hour",
            (DurationUnit::Hours, false) => "hours",
            (DurationUnit::Days, true) => "day",
            (DurationUnit::Days, false) => "days",
        };
        write!(f, "{} {unit}", self.value)
    }
}

/// A customer's project, as the assistant talks about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub order_number: Option<String>,
    pub project_type: Option<String>,
    pub category: Option<String>,
    pub status: ProjectStatus,
    pub store_number: Option<String>,
    pub address: Option<Address>,
    pub date_sold: Option<NaiveDate>,
    pub scheduled: Option<ScheduledWindow>,
    pub completed_on: Option<NaiveDate>,
    pub technician: Option<Technician>,
    pub duration: Option<ServiceDuration>,
    /// The project's page in the customer portal.
    pub detail_url: String,
}

impl Project {
    /// The clean view of one record; `None` when the record has no project id (nothing can be
    /// done with such a project, so it is not shown).
    pub fn from_record(
        record: &DashboardRecord,
        environment: Environment,
        client_name: &str,
    ) -> Option<Project> {
        let id = record.project_project_id.clone()?;
        let start = record
            .converted_project_start_scheduled_date
            .as_deref()
            .and_then(parse_date_time);
        let end = record
            .converted_project_end_scheduled_date
            .as_deref()
            .and_then(parse_date_time);
        let scheduled_date = record
            .project_date_scheduled_date
            .as_deref()
            .and_then(parse_date)
            .or(start.map(|s| s.date()));
        let technician = (record.user_idata_first_name.is_some()
            || record.user_idata_last_name.is_some())
        .then(|| Technician {
            id: record.user_idata_user_id.clone(),
            first_name: record.user_idata_first_name.clone(),
            last_name: record.user_idata_last_name.clone(),
        });
        Some(Project {
            detail_url: environment.project_url(client_name, &id),
            id,
            order_number: record.project_project_number.clone(),
            project_type: record.project_type_project_type.clone(),
            category: record.project_category_category.clone(),
            status: record
                .status_info_status
                .as_deref()
                .map(ProjectStatus::parse)
                .unwrap_or_else(|| ProjectStatus::Other("Unknown".into())),
            store_number: record.project_store_store_number.clone(),
            address: address_of(record),
            date_sold: record.project_date_sold.as_deref().and_then(parse_date),
            scheduled: scheduled_date.map(|date| ScheduledWindow { date, start, end }),
            completed_on: record
                .project_date_completed_date
                .as_deref()
                .and_then(parse_date),
            technician,
            duration: ServiceDuration::from_parts(
                record.service_time_duration_value,
                record.service_time_duration_type.as_deref(),
            ),
        })
    }

    /// Whether dates can be requested for it.
    pub fn can_be_scheduled(&self) -> bool {
        self.status.can_be_scheduled()
    }

    /// "Flooring Installation", "Windows", "Repair" … as a customer would name it.
    pub fn title(&self) -> String {
        match (self.category.as_deref(), self.project_type.as_deref()) {
            (Some(c), Some(t)) => format!("{c} {t}"),
            (Some(one), None) | (None, Some(one)) => one.to_string(),
            (None, None) => format!("Project {}", self.id),
        }
    }
}

fn address_of(record: &DashboardRecord) -> Option<Address> {
    let full = record
        .installation_address_full_address
        .clone()
        .or_else(|| {
            let parts: Vec<&str> = [
                record.installation_address_address1.as_deref(),
                record.installation_address_address2.as_deref(),
                record.installation_address_city.as_deref(),
                record.installation_address_state.as_deref(),
                record.installation_address_zipcode.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        })?;
    Some(Address {
        full,
        city: record.installation_address_city.clone(),
        state: record.installation_address_state.clone(),
        zipcode: record.installation_address_zipcode.clone(),
    })
}

/// `YYYY-MM-DD`, possibly followed by a time part, which is ignored.
fn parse_date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.get(..10)?, "%Y-%m-%d").ok()
}

/// `YYYY-MM-DD HH:MM:SS` (or with a `T`, or without seconds).
fn parse_date_time(raw: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(raw.trim(), format).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: serde_json::Value) -> DashboardRecord {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn full_record_becomes_a_clean_project() {
        let r = record(serde_json::json!({
            "project_project_id": "90000149",
            "project_project_number": "ORD-2025-001",
            "project_type_project_type": "Installation",
            "project_category_category": "Flooring",
            "status_info_status": "Scheduled",
            "installation_address_full_address": "123 Main St, Tampa, FL 33601",
            "installation_address_city": "Tampa",
            "project_date_scheduled_date": "2025-10-15",
            "convertedProjectStartScheduledDate": "2025-10-15 08:00:00",
            "convertedProjectEndScheduledDate": "2025-10-15 12:00:00",
            "user_idata_first_name": "Dave", "user_idata_last_name": "Nguyen",
            "service_time_duration_value": 4, "service_time_duration_type": "hours"
        }));
        let p = Project::from_record(&r, Environment::Prod, "acme-floors").unwrap();
        assert_eq!(p.status, ProjectStatus::Scheduled);
        assert_eq!(p.title(), "Flooring Installation");
        assert_eq!(
            p.address.as_ref().unwrap().full,
            "123 Main St, Tampa, FL 33601"
        );
        let window = p.scheduled.clone().unwrap();
        assert_eq!(window.date.to_string(), "2025-10-15");
        assert_eq!(window.end.unwrap().to_string(), "2025-10-15 12:00:00");
        assert_eq!(p.technician.as_ref().unwrap().full_name(), "Dave Nguyen");
        assert_eq!(p.duration.unwrap().to_string(), "4 hours");
        assert_eq!(
            p.detail_url,
            "https://acme-floors.cx-portal.apps.projectsforce.com/details/90000149"
        );
        assert!(p.can_be_scheduled());
    }

    #[test]
    fn sparse_record_still_works_and_unknown_status_is_kept() {
        let r = record(serde_json::json!({
            "project_project_id": "7", "status_info_status": "Awaiting Permit",
            "installation_address_address1": "9 Elm St", "installation_address_city": "Tampa"
        }));
        let p = Project::from_record(&r, Environment::Dev, "acme").unwrap();
        assert_eq!(p.status, ProjectStatus::Other("Awaiting Permit".into()));
        assert!(!p.can_be_scheduled());
        assert_eq!(p.address.as_ref().unwrap().full, "9 Elm St, Tampa");
        assert_eq!(p.title(), "Project 7");
        assert!(p.scheduled.is_none() && p.technician.is_none() && p.duration.is_none());
    }

    #[test]
    fn record_without_id_is_skipped() {
        assert!(Project::from_record(&DashboardRecord::default(), Environment::Dev, "a").is_none());
    }

    #[test]
    fn statuses_parse_whatever_the_spelling() {
        assert_eq!(
            ProjectStatus::parse("ready to schedule"),
            ProjectStatus::ReadyToSchedule
        );
        assert_eq!(ProjectStatus::parse("On-Hold"), ProjectStatus::OnHold);
        assert_eq!(ProjectStatus::parse("Canceled"), ProjectStatus::Cancelled);
        assert!(ProjectStatus::OnHold.can_be_scheduled());
        assert!(!ProjectStatus::Completed.can_be_scheduled());
        assert!(!ProjectStatus::InProgress.can_be_scheduled());
    }
}
