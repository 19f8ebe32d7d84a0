//! The built-in demo data the mock serves when no fixture file is given.
//!
//! One client, three customers, ten projects covering every status and several trades. Every
//! date is computed from "today" (in the client's zone), so the demo stays sensible whenever it
//! is run: closed dates and booked windows lie in the next weeks, completions in the past.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde_json::{Value, json};

use super::fixture::Fixture;

pub const DEMO_CLIENT_ID: &str = "09PF05VD";
pub const DEMO_CLIENT_NAME: &str = "brightside-home";
pub const DEMO_TIMEZONE: chrono_tz::Tz = chrono_tz::America::New_York;
/// The customer the demo chats as.
pub const DEMO_CUSTOMER_ID: &str = "1645975";
/// The demo client's service token (SMS): public, like the demo customers' tokens.
pub const DEMO_SERVICE_TOKEN: &str = "demo-service-token";

/// The demo fixture as of `today`.
pub fn demo_fixture(today: NaiveDate) -> Fixture {
    let value = demo_json(today);
    let text = value.to_string();
    Fixture::parse(&text, "built-in demo data").expect("the built-in demo data is a valid fixture")
}

/// The `n`-th working day (Monday to Friday) after `today`.
fn working_day(today: NaiveDate, n: u32) -> NaiveDate {
    let mut day = today;
    let mut left = n;
    while left > 0 {
        day += Duration::days(1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    day
}

fn ymd(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// A booked window as the dashboard spells it: date, start and end.
fn window(date: NaiveDate, start_hour: u32, hours: u32) -> (String, String, String) {
    (
        ymd(date),
        format!("{} {start_hour:02}:00:00", ymd(date)),
        format!("{} {:02}:00:00", ymd(date), start_hour + hours),
    )
}

#[allow(clippy::too_many_arguments)]
fn project(
    id: &str,
    number: &str,
    project_type: &str,
    category: &str,
    status: &str,
    address: (&str, &str, &str, &str),
    sold: NaiveDate,
    technician: Option<(&str, &str, &str)>,
    hours: u32,
) -> serde_json::Map<String, Value> {
    let (street, city, state, zip) = address;
    let (tech_id, first, last) = technician.map_or((None, None, None), |(i, f, l)| {
        (
            Some(i.to_string()),
            Some(f.to_string()),
            Some(l.to_string()),
        )
    });
    let value = json!({
        "project_project_id": id,
        "project_project_number": number,
        "project_type_project_type": project_type,
        "project_category_category": category,
        "status_info_status": status,
        "project_store_store_number": "1842",
        "installation_address_full_address": format!("{street}, {city}, {state} {zip}"),
        "installation_address_address1": street,
        "installation_address_address2": null,
        "installation_address_city": city,
        "installation_address_state": state,
        "installation_address_zipcode": zip,
        "project_date_sold": ymd(sold),
        "project_date_scheduled_date": null,
        "convertedProjectStartScheduledDate": null,
        "convertedProjectEndScheduledDate": null,
        "project_date_completed_date": null,
        "user_idata_user_id": tech_id,
        "user_idata_first_name": first,
        "user_idata_last_name": last,
        "service_time_duration_value": hours,
        "service_time_duration_type": "hours",
    });
    match value {
        Value::Object(map) => map,
        _ => unreachable!("json! of an object is an object"),
    }
}

fn schedule(record: &mut serde_json::Map<String, Value>, date: NaiveDate, start: u32, hours: u32) {
    let (day, from, to) = window(date, start, hours);
    record.insert("project_date_scheduled_date".into(), json!(day));
    record.insert("convertedProjectStartScheduledDate".into(), json!(from));
    record.insert("convertedProjectEndScheduledDate".into(), json!(to));
}

fn demo_json(today: NaiveDate) -> Value {
    let days_ago = |n: i64| today - Duration::days(n);
    let maria_home = ("123 Main St", "Tampa", "FL", "33601");
    let james_home = ("48 Oak Ave", "Orlando", "FL", "32801");
    let aisha_home = ("7 Harbor View Dr", "Sarasota", "FL", "34236");
    let dave = Some(("5501", "Dave", "Nguyen"));
    let sarah = Some(("5502", "Sarah", "Kim"));
    let luis = Some(("5503", "Luis", "Ortega"));

    // Maria: the demo customer, with something to book, something booked, something done and
    // something on hold.
    let mut flooring = project(
        "90000149",
        "ORD-2025-001",
        "Installation",
        "Flooring",
        "Ready to Schedule",
        maria_home,
        days_ago(20),
        dave,
        4,
    );
    flooring.insert(
        "availability".into(),
        json!({
            "closed_dates": [ymd(working_day(today, 3))],
            "slots_by_date": { ymd(working_day(today, 4)): ["13:00"] },
            "taken_on_confirm": [format!("{} 08:00", ymd(working_day(today, 2)))],
        }),
    );
    let mut windows = project(
        "90000150",
        "ORD-2025-002",
        "Installation",
        "Windows",
        "Scheduled",
        maria_home,
        days_ago(35),
        sarah,
        6,
    );
    schedule(&mut windows, working_day(today, 6), 10, 6);
    let mut cabinets = project(
        "90000151",
        "ORD-2025-003",
        "Measurement",
        "Cabinets",
        "Completed",
        maria_home,
        days_ago(40),
        luis,
        2,
    );
    let measured = days_ago(12);
    schedule(&mut cabinets, measured, 9, 2);
    cabinets.insert("project_date_completed_date".into(), json!(ymd(measured)));
    let roofing = project(
        "90000152",
        "ORD-2025-004",
        "Repair",
        "Roofing",
        "On Hold",
        maria_home,
        days_ago(9),
        None,
        3,
    );

    // James: one to book, one cancelled, one under way.
    let bath = project(
        "90000160",
        "ORD-2025-010",
        "Installation",
        "Shower & Bath",
        "Ready to Schedule",
        james_home,
        days_ago(15),
        luis,
        8,
    );
    let doors = project(
        "90000161",
        "ORD-2025-011",
        "Installation",
        "Doors",
        "Cancelled",
        james_home,
        days_ago(60),
        None,
        3,
    );
    let mut gutters = project(
        "90000162",
        "ORD-2025-012",
        "Installation",
        "Gutters",
        "In Progress",
        james_home,
        days_ago(25),
        dave,
        5,
    );
    schedule(&mut gutters, today, 8, 5);

    // Aisha: one booked, one to book, one waiting on a permit (a status outside the usual set).
    let mut siding = project(
        "90000170",
        "ORD-2025-020",
        "Installation",
        "Siding",
        "Scheduled",
        aisha_home,
        days_ago(30),
        sarah,
        8,
    );
    schedule(&mut siding, working_day(today, 8), 8, 8);
    let countertops = project(
        "90000171",
        "ORD-2025-021",
        "Installation",
        "Countertops",
        "Ready to Schedule",
        aisha_home,
        days_ago(10),
        None,
        4,
    );
    let deck = project(
        "90000172",
        "ORD-2025-022",
        "Repair",
        "Deck",
        "Awaiting Permit",
        aisha_home,
        days_ago(18),
        None,
        6,
    );

    json!({"clients": [{
        "client_id": DEMO_CLIENT_ID,
        "client_name": DEMO_CLIENT_NAME,
        "timezone": DEMO_TIMEZONE.name(),
        "work_hours": [
            {"day": "Monday", "is_working": true}, {"day": "Tuesday", "is_working": true},
            {"day": "Wednesday", "is_working": true}, {"day": "Thursday", "is_working": true},
            {"day": "Friday", "is_working": true}, {"day": "Saturday", "is_working": false},
            {"day": "Sunday", "is_working": false}
        ],
        "slots": ["08:00", "10:00", "13:00", "15:00"],
        "lead_days": 1,
        "horizon_days": 21,
        // A company training day, two weeks or so out.
        "closed_dates": [ymd(working_day(today, 9))],
        // The assistant's token for text messages, which carry no customer login.
        "service_tokens": [DEMO_SERVICE_TOKEN],
        "customers": [
            {"customer_id": DEMO_CUSTOMER_ID, "token": "demo-token-1645975",
             "first_name": "Maria", "last_name": "Lopez",
             "phone": "+18135550142", "email": "maria.lopez@example.com",
             "projects": [flooring, windows, cabinets, roofing]},
            {"customer_id": "2231407", "token": "demo-token-2231407",
             "first_name": "James", "last_name": "Carter",
             "phone": "+14075550177", "email": "james.carter@example.com", "language": "es",
             "projects": [bath, doors, gutters]},
            {"customer_id": "3318820", "token": "demo-token-3318820",
             "first_name": "Aisha", "last_name": "Patel",
             "phone": "+19415550123", "email": "aisha.patel@example.com",
             "projects": [siding, countertops, deck]}
        ]
    }]})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::ProjectStatus;
    use std::collections::HashSet;

    #[test]
    fn demo_covers_every_status_and_several_trades_whatever_today_is() {
        for today in ["2025-11-03", "2026-02-28", "2026-12-31"] {
            let today: NaiveDate = today.parse().unwrap();
            let fixture = demo_fixture(today);
            let client = &fixture.clients[0];
            assert!(client.customers.len() >= 3);
            let projects: Vec<_> = client.customers.iter().flat_map(|c| &c.projects).collect();
            assert!(projects.len() >= 8);
            let statuses: HashSet<String> = projects
                .iter()
                .map(|p| {
                    ProjectStatus::parse(p["status_info_status"].as_str().unwrap())
                        .label()
                        .to_string()
                })
                .collect();
            for status in [
                "Ready to Schedule",
                "Scheduled",
                "In Progress",
                "Completed",
                "Cancelled",
                "On Hold",
            ] {
                assert!(statuses.contains(status), "{status} missing on {today}");
            }
            let categories: HashSet<&str> = projects
                .iter()
                .map(|p| p["project_category_category"].as_str().unwrap())
                .collect();
            assert!(categories.len() >= 6);
            // Closed dates lie ahead, never in the past.
            assert!(client.closed_dates.iter().all(|d| *d > today));
        }
    }
}
