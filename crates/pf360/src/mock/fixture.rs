//! The fixture file the mock serves (`../shared/docs/EVAL.md`, "Fixture file").
//!
//! Loading is strict about what the mock relies on (ids, tokens, dates, `HH:MM` slots, time
//! zones, day names) and lenient about everything else: project records are dashboard items and
//! are served back as they are, unknown fields included. Every refusal names the file and the
//! field, e.g. `acme.json: clients[0].slots[2]: "25:00" is not a time HH:MM`.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// A whole fixture: clients, their customers and the customers' projects.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fixture {
    pub clients: Vec<FixtureClient>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FixtureClient {
    #[serde(deserialize_with = "crate::lenient::id")]
    pub client_id: String,
    pub client_name: String,
    #[serde(default = "default_timezone", with = "timezone")]
    pub timezone: Tz,
    #[serde(default = "default_work_hours")]
    pub work_hours: Vec<WorkHours>,
    #[serde(default = "default_slots")]
    pub slots: Vec<Slot>,
    #[serde(default = "default_lead_days")]
    pub lead_days: u32,
    #[serde(default = "default_horizon_days")]
    pub horizon_days: u32,
    #[serde(default)]
    pub closed_dates: Vec<NaiveDate>,
    /// Tokens that act for any customer of this client (SMS, reminders: no customer login).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_tokens: Vec<String>,
    #[serde(default)]
    pub customers: Vec<FixtureCustomer>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkHours {
    #[serde(with = "day_name")]
    pub day: Weekday,
    pub is_working: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FixtureCustomer {
    #[serde(deserialize_with = "crate::lenient::id")]
    pub customer_id: String,
    pub token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `en` or `es`: the language to text the customer in before they write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Dashboard items, each possibly with an `availability` block (see [`Availability`]).
    #[serde(default)]
    pub projects: Vec<Map<String, Value>>,
}

/// The per-project block the mock consumes and never serves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Availability {
    #[serde(default)]
    pub closed_dates: Vec<NaiveDate>,
    #[serde(default)]
    pub slots_by_date: BTreeMap<NaiveDate, Vec<Slot>>,
    /// `"YYYY-MM-DD HH:MM"`: slots that vanish at the moment someone tries to book them.
    #[serde(default)]
    pub taken_on_confirm: Vec<TakenSlot>,
}

/// A time of day written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot(pub NaiveTime);

/// A date and time written `YYYY-MM-DD HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TakenSlot(pub NaiveDateTime);

#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("{file}: cannot read")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: {path}: {message}")]
    Invalid {
        file: String,
        path: String,
        message: String,
    },
}

pub const AVAILABILITY_KEY: &str = "availability";
pub const PROJECT_ID_KEY: &str = "project_project_id";

impl Fixture {
    /// Reads and checks a fixture file.
    pub fn load(path: &Path) -> Result<Fixture, FixtureError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| FixtureError::Read {
            file: file.clone(),
            source,
        })?;
        Fixture::parse(&text, &file)
    }

    /// Parses and checks fixture text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Fixture, FixtureError> {
        let invalid = |path: String, message: String| FixtureError::Invalid {
            file: file.to_string(),
            path,
            message,
        };
        let de = &mut serde_json::Deserializer::from_str(text);
        let fixture: Fixture = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." {
                "(top level)".to_string()
            } else {
                path
            };
            invalid(path, e.into_inner().to_string())
        })?;
        fixture
            .check()
            .map_err(|(path, message)| invalid(path, message))?;
        Ok(fixture)
    }

    /// The rules serde cannot express; the error is (field path, message).
    fn check(&self) -> Result<(), (String, String)> {
        if self.clients.is_empty() {
            return Err(("clients".into(), "at least one client is required".into()));
        }
        let mut client_ids = HashSet::new();
        let mut tokens = HashSet::new();
        for (c, client) in self.clients.iter().enumerate() {
            let at = |field: &str| format!("clients[{c}].{field}");
            if client.client_id.is_empty() || !client_ids.insert(client.client_id.as_str()) {
                return Err((at("client_id"), "empty or repeated client_id".into()));
            }
            if client.horizon_days < client.lead_days {
                return Err((at("horizon_days"), "must not be less than lead_days".into()));
            }
            let mut customer_ids = HashSet::new();
            let mut project_ids = HashSet::new();
            for (k, customer) in client.customers.iter().enumerate() {
                let at = |field: &str| format!("clients[{c}].customers[{k}].{field}");
                if customer.customer_id.is_empty()
                    || !customer_ids.insert(customer.customer_id.as_str())
                {
                    return Err((at("customer_id"), "empty or repeated customer_id".into()));
                }
                if customer.token.trim().is_empty() || !tokens.insert(customer.token.as_str()) {
                    return Err((at("token"), "empty or repeated token".into()));
                }
                for (p, project) in customer.projects.iter().enumerate() {
                    let at = |field: &str| at(&format!("projects[{p}].{field}"));
                    let id = project_id(project).ok_or_else(|| {
                        (
                            at(PROJECT_ID_KEY),
                            "a string or number id is required".into(),
                        )
                    })?;
                    if !project_ids.insert(id) {
                        return Err((at(PROJECT_ID_KEY), "repeated project id".into()));
                    }
                    availability_of(project).map_err(|(path, message)| (at(&path), message))?;
                }
            }
        }
        Ok(())
    }
}

/// The id of a raw project record, whether written as a string or a number.
pub fn project_id(project: &Map<String, Value>) -> Option<String> {
    match project.get(PROJECT_ID_KEY)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `availability` block of a raw project record; (field path, message) when it is bad.
pub fn availability_of(project: &Map<String, Value>) -> Result<Availability, (String, String)> {
    match project.get(AVAILABILITY_KEY) {
        None | Some(Value::Null) => Ok(Availability::default()),
        Some(value) => serde_path_to_error::deserialize(value.clone()).map_err(|e| {
            let inner = e.path().to_string();
            let path = if inner == "." {
                AVAILABILITY_KEY.to_string()
            } else {
                format!("{AVAILABILITY_KEY}.{inner}")
            };
            (path, e.into_inner().to_string())
        }),
    }
}

fn default_timezone() -> Tz {
    chrono_tz::America::New_York
}

fn default_work_hours() -> Vec<WorkHours> {
    use Weekday::*;
    [Mon, Tue, Wed, Thu, Fri, Sat, Sun]
        .into_iter()
        .map(|day| WorkHours {
            day,
            is_working: !matches!(day, Sat | Sun),
        })
        .collect()
}

fn default_slots() -> Vec<Slot> {
    ["08:00", "10:00", "13:00", "15:00"]
        .iter()
        .filter_map(|s| NaiveTime::parse_from_str(s, "%H:%M").ok().map(Slot))
        .collect()
}

fn default_lead_days() -> u32 {
    1
}

fn default_horizon_days() -> u32 {
    21
}

impl Slot {
    pub fn to_hhmm(self) -> String {
        self.0.format("%H:%M").to_string()
    }
}

impl<'de> Deserialize<'de> for Slot {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(de)?;
        NaiveTime::parse_from_str(raw.trim(), "%H:%M")
            .map(Slot)
            .map_err(|_| serde::de::Error::custom(format!("{raw:?} is not a time HH:MM")))
    }
}

impl Serialize for Slot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hhmm())
    }
}

impl<'de> Deserialize<'de> for TakenSlot {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(de)?;
        NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%d %H:%M")
            .map(TakenSlot)
            .map_err(|_| {
                serde::de::Error::custom(format!("{raw:?} is not a date and time YYYY-MM-DD HH:MM"))
            })
    }
}

impl Serialize for TakenSlot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.format("%Y-%m-%d %H:%M").to_string())
    }
}

mod timezone {
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Tz, D::Error> {
        let raw = String::deserialize(de)?;
        raw.trim().parse::<Tz>().map_err(|_| {
            serde::de::Error::custom(format!(
                "unknown time zone {raw:?} (use an IANA name such as America/New_York)"
            ))
        })
    }

    pub fn serialize<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.name())
    }
}

/// Full English day names, as PF360's business hours spell them.
pub(crate) mod day_name {
    use chrono::Weekday;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn name(day: Weekday) -> &'static str {
        match day {
            Weekday::Mon => "Monday",
            Weekday::Tue => "Tuesday",
            Weekday::Wed => "Wednesday",
            Weekday::Thu => "Thursday",
            Weekday::Fri => "Friday",
            Weekday::Sat => "Saturday",
            Weekday::Sun => "Sunday",
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Weekday, D::Error> {
        let raw = String::deserialize(de)?;
        raw.trim()
            .parse::<Weekday>()
            .map_err(|_| serde::de::Error::custom(format!("{raw:?} is not a day of the week")))
    }

    pub fn serialize<S: Serializer>(day: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(name(*day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"clients": [{"client_id": "C1", "client_name": "acme",
        "customers": [{"customer_id": 42, "token": "t-42", "projects": [
            {"project_project_id": 7, "whatever": true,
             "availability": {"slots_by_date": {"2025-10-23": ["13:00"]},
                              "taken_on_confirm": ["2025-10-24 08:00"]}}]}]}]}"#;

    #[test]
    fn minimal_fixture_gets_defaults() {
        let fixture = Fixture::parse(GOOD, "good.json").unwrap();
        let client = &fixture.clients[0];
        assert_eq!(client.timezone, chrono_tz::America::New_York);
        assert_eq!((client.lead_days, client.horizon_days), (1, 21));
        assert_eq!(client.slots.len(), 4);
        assert_eq!(client.customers[0].customer_id, "42");
        let project = &client.customers[0].projects[0];
        assert_eq!(project_id(project).as_deref(), Some("7"));
        let availability = availability_of(project).unwrap();
        assert_eq!(availability.taken_on_confirm.len(), 1);
    }

    fn error_of(text: &str) -> String {
        Fixture::parse(text, "bad.json").unwrap_err().to_string()
    }

    #[test]
    fn bad_fixtures_are_refused_naming_file_and_field() {
        let bad_slot = GOOD.replace(r#"["13:00"]"#, r#"["25:00"]"#);
        let message = error_of(&bad_slot);
        assert!(message.starts_with("bad.json: "), "{message}");
        assert!(
            message.contains("clients[0].customers[0].projects[0].availability.slots_by_date"),
            "{message}"
        );
        assert!(message.contains("25:00"), "{message}");

        let bad_zone = GOOD.replace(
            r#""client_name": "acme","#,
            r#""client_name": "acme", "timezone": "Mars/Base","#,
        );
        let message = error_of(&bad_zone);
        assert!(
            message.contains("clients[0].timezone") && message.contains("Mars/Base"),
            "{message}"
        );

        let bad_date = GOOD.replace(
            r#""client_name": "acme","#,
            r#""client_name": "acme", "closed_dates": ["2025-13-01"],"#,
        );
        assert!(error_of(&bad_date).contains("clients[0].closed_dates[0]"));

        let no_id = GOOD.replace(r#""project_project_id": 7,"#, "");
        assert!(error_of(&no_id).contains("projects[0].project_project_id"));

        let bad_taken = GOOD.replace("2025-10-24 08:00", "tomorrow");
        assert!(error_of(&bad_taken).contains("availability.taken_on_confirm[0]"));

        assert!(error_of(r#"{"clients": []}"#).contains("clients"));
        assert!(error_of("not json").contains("bad.json"));
        let missing_token = GOOD.replace(r#""token": "t-42","#, "");
        assert!(error_of(&missing_token).contains("clients[0].customers[0]"));
    }

    #[test]
    fn missing_file_is_named() {
        let err = Fixture::load(Path::new("/nonexistent/f.json")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/f.json"));
    }
}
