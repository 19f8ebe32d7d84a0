//! The PF360 wire format: every request and response body, exactly as the contract spells it
//! (`../shared/docs/PF360-API.md`). The client and the mock server both use these types, so
//! they cannot drift apart.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::lenient;

/// One flattened dashboard record. Unknown fields are ignored; every field may be null/absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DashboardRecord {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub project_project_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub project_project_number: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub project_type_project_type: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub project_category_category: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub status_info_status: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub project_store_store_number: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub installation_address_full_address: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub installation_address_address1: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub installation_address_address2: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub installation_address_city: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub installation_address_state: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub installation_address_zipcode: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub project_date_sold: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub project_date_scheduled_date: Option<String>,
    #[serde(rename = "convertedProjectStartScheduledDate")]
    #[serde(deserialize_with = "lenient::opt_string")]
    pub converted_project_start_scheduled_date: Option<String>,
    #[serde(rename = "convertedProjectEndScheduledDate")]
    #[serde(deserialize_with = "lenient::opt_string")]
    pub converted_project_end_scheduled_date: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub project_date_completed_date: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub user_idata_user_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub user_idata_first_name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub user_idata_last_name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub service_time_duration_value: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub service_time_duration_type: Option<String>,
}

/// 1 — `GET /dashboard/get/{client_id}/{customer_id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DashboardResponse {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub data: Vec<DashboardRecord>,
}

/// One day of the week in the business-hours answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkDay {
    pub day: String,
    #[serde(default)]
    pub is_working: bool,
}

/// 2 — `GET /scheduler/client/{client_id}/business-hours`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BusinessHoursResponse {
    pub data: BusinessHoursData,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BusinessHoursData {
    #[serde(rename = "workHours", default)]
    pub work_hours: Vec<WorkDay>,
}

/// 3 — available dates, which also opens a scheduling request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DatesResponse {
    pub data: DatesData,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DatesData {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub dates: Vec<NaiveDate>,
    pub request_id: String,
}

/// 4 — time slots (`HH:MM`) for one date.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SlotsResponse {
    pub data: SlotsData,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SlotsData {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub slots: Vec<String>,
}

/// 5 — the confirm (book or re-book) body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmRequest {
    /// The moment of booking, `MM-DD-YYYY HH:MM:SS` in the configured zone (Asia/Kolkata).
    pub created_at: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, 24 h.
    pub time: String,
    pub request_id: String,
    /// Always the string `"true"`.
    pub is_chatbot: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConfirmResponse {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub status: Option<String>,
}

/// 6 — cancel answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CancelResponse {
    #[serde(default)]
    pub message: String,
}

/// 7 — the add-note body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteRequest {
    pub note_text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoteResponse {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub note_id: Option<String>,
}

/// Every PF360 error body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    pub message: String,
}

fn null_as_empty<'de, D, T>(de: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(de)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashboard_record_accepts_nulls_absences_numbers_and_unknown_fields() {
        let json = r#"{"data": [
            {"project_project_id": 90000149, "status_info_status": "Scheduled",
             "service_time_duration_value": "4", "installation_address_city": null,
             "some_field_we_never_heard_of": {"nested": [1, 2]}},
            {}
        ]}"#;
        let parsed: DashboardResponse = serde_json::from_str(json).unwrap();
        assert_eq!(parsed.data.len(), 2);
        let first = &parsed.data[0];
        assert_eq!(first.project_project_id.as_deref(), Some("90000149"));
        assert_eq!(first.service_time_duration_value, Some(4.0));
        assert_eq!(first.installation_address_city, None);
        assert_eq!(parsed.data[1], DashboardRecord::default());
    }

    #[test]
    fn null_data_is_an_empty_dashboard() {
        let parsed: DashboardResponse = serde_json::from_str(r#"{"data": null}"#).unwrap();
        assert!(parsed.data.is_empty());
    }

    #[test]
    fn confirm_body_has_the_contract_field_names() {
        let body = ConfirmRequest {
            created_at: "10-20-2025 14:30:00".into(),
            date: "2025-10-21".into(),
            time: "10:00".into(),
            request_id: "req_abc".into(),
            is_chatbot: "true".into(),
        };
        let value = serde_json::to_value(&body).unwrap();
        assert_eq!(value["is_chatbot"], serde_json::json!("true"));
        assert_eq!(
            value["created_at"],
            serde_json::json!("10-20-2025 14:30:00")
        );
    }
}
