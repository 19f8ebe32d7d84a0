//! What the assistant did in a turn, by name: one enum shared by the flows, the server (which
//! records appointments from them) and the scenario runner, so no crate matches on strings.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionName {
    ListProjects,
    GetAvailableDates,
    GetTimeSlots,
    ConfirmAppointment,
    RescheduleAppointment,
    CancelAppointment,
    AddNote,
    GetNotes,
    GetProjectStatus,
    GetTechnicianInfo,
    GetBusinessHours,
    GetWeather,
    Handoff,
}

impl ActionName {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionName::ListProjects => "list_projects",
            ActionName::GetAvailableDates => "get_available_dates",
            ActionName::GetTimeSlots => "get_time_slots",
            ActionName::ConfirmAppointment => "confirm_appointment",
            ActionName::RescheduleAppointment => "reschedule_appointment",
            ActionName::CancelAppointment => "cancel_appointment",
            ActionName::AddNote => "add_note",
            ActionName::GetNotes => "get_notes",
            ActionName::GetProjectStatus => "get_project_status",
            ActionName::GetTechnicianInfo => "get_technician_info",
            ActionName::GetBusinessHours => "get_business_hours",
            ActionName::GetWeather => "get_weather",
            ActionName::Handoff => "handoff",
        }
    }
}

impl std::fmt::Display for ActionName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ActionName;

    #[test]
    fn the_written_name_is_the_serialized_one() {
        for name in [
            ActionName::ListProjects,
            ActionName::GetAvailableDates,
            ActionName::ConfirmAppointment,
            ActionName::GetTechnicianInfo,
            ActionName::Handoff,
        ] {
            let json = serde_json::to_value(name).unwrap();
            assert_eq!(json, name.as_str());
        }
    }
}
