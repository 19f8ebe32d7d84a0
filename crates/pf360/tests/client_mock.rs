//! The real client against the real mock over real HTTP: every endpoint and every rule of the
//! fixture contract (`../shared/docs/EVAL.md`).

mod common;

use common::*;
use pf360::mock::{WriteKind, WriteRecord};
use pf360::{Pf360Error, ProjectStatus, RequestId, WriteOutcome};

#[tokio::test]
async fn dashboard_gives_the_customers_projects_only() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let projects = client.projects(&maria()).await.unwrap();
    let ids: Vec<&str> = projects.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, [FLOORING, WINDOWS, CABINETS]);
    let windows = &projects[1];
    assert_eq!(windows.status, ProjectStatus::Scheduled);
    assert_eq!(windows.scheduled.as_ref().unwrap().date, date("2025-10-27"));
    assert_eq!(
        windows.technician.as_ref().unwrap().full_name(),
        "Sarah Kim"
    );
    assert_eq!(
        windows.detail_url,
        "https://acme-floors.cx-portal.dev.projectsforce.com/details/90000150"
    );
    assert_eq!(projects[2].status, ProjectStatus::Completed);

    let toms = client
        .projects(&caller("2000001", "token-tom"))
        .await
        .unwrap();
    assert_eq!(toms.len(), 1);
    assert_eq!(toms[0].id, TOMS_ROOF);
}

#[tokio::test]
async fn business_hours_list_all_seven_days() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let days = client.business_hours(&maria()).await.unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!(days[0].day, "Monday");
    assert!(days[0].is_working);
    assert_eq!(days[5].day, "Saturday");
    assert!(!days[5].is_working);
}

#[tokio::test]
async fn offered_dates_follow_work_hours_lead_horizon_and_closed_dates() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let offered = client
        .available_dates(&maria(), FLOORING, date("2025-10-20"))
        .await
        .unwrap();
    // Monday 10-20 + 1 lead day through + 21 days (11-10); no weekends; 10-22 closed for the
    // project, 10-31 closed for the client.
    let expected = [
        "2025-10-21",
        "2025-10-23",
        "2025-10-24",
        "2025-10-27",
        "2025-10-28",
        "2025-10-29",
        "2025-10-30",
        "2025-11-03",
        "2025-11-04",
        "2025-11-05",
        "2025-11-06",
        "2025-11-07",
        "2025-11-10",
    ];
    let got: Vec<String> = offered.dates.iter().map(|d| d.to_string()).collect();
    assert_eq!(got, expected);
    assert!(offered.request_id.0.starts_with("req_"));

    // A scheduled project can be re-booked; its dates come without the flooring's closures.
    let windows = client
        .available_dates(&maria(), WINDOWS, date("2025-10-20"))
        .await
        .unwrap();
    assert!(windows.dates.contains(&date("2025-10-22")));
    assert_ne!(windows.request_id, offered.request_id);
}

#[tokio::test]
async fn slots_come_from_the_client_or_the_per_date_override() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let rid = client
        .available_dates(&maria(), FLOORING, date("2025-10-20"))
        .await
        .unwrap()
        .request_id;
    let normal = client
        .time_slots(&maria(), FLOORING, date("2025-10-21"), &rid)
        .await
        .unwrap();
    assert_eq!(
        normal,
        [time("08:00"), time("10:00"), time("13:00"), time("15:00")]
    );
    let special = client
        .time_slots(&maria(), FLOORING, date("2025-10-23"), &rid)
        .await
        .unwrap();
    assert_eq!(special, [time("13:00")]);
}

#[tokio::test]
async fn slots_are_refused_for_unoffered_dates_and_bad_request_ids() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let rid = client
        .available_dates(&maria(), FLOORING, date("2025-10-20"))
        .await
        .unwrap()
        .request_id;
    for closed in ["2025-10-22", "2025-10-25", "2025-10-31", "2025-11-11"] {
        let err = client
            .time_slots(&maria(), FLOORING, date(closed), &rid)
            .await
            .unwrap_err();
        assert!(matches!(err, Pf360Error::Invalid(_)), "{closed}: {err}");
    }
    let unknown = RequestId("req_made_up".into());
    let err = client
        .time_slots(&maria(), FLOORING, date("2025-10-21"), &unknown)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Pf360Error::Invalid(ref m) if m.contains("request_id")),
        "{err}"
    );

    // A request_id is only good for its own project.
    let windows_rid = client
        .available_dates(&maria(), WINDOWS, date("2025-10-20"))
        .await
        .unwrap()
        .request_id;
    let err = client
        .time_slots(&maria(), FLOORING, date("2025-10-21"), &windows_rid)
        .await
        .unwrap_err();
    assert!(matches!(err, Pf360Error::Invalid(_)), "{err}");
}

#[tokio::test]
async fn request_ids_expire_after_thirty_minutes_of_mock_time() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let rid = client
        .available_dates(&maria(), FLOORING, date("2025-10-20"))
        .await
        .unwrap()
        .request_id;
    mock.state().set_now("2025-10-20T09:44:00").unwrap();
    assert!(
        client
            .time_slots(&maria(), FLOORING, date("2025-10-21"), &rid)
            .await
            .is_ok()
    );
    mock.state().set_now("2025-10-20T09:46:00").unwrap();
    let err = client
        .time_slots(&maria(), FLOORING, date("2025-10-21"), &rid)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Pf360Error::Invalid(ref m) if m.contains("expired")),
        "{err}"
    );
    let err = client
        .confirm(&maria(), FLOORING, date("2025-10-21"), time("10:00"), &rid)
        .await
        .unwrap_err();
    assert!(matches!(err, Pf360Error::Invalid(_)), "{err}");
    assert!(mock.writes().is_empty());
}

#[tokio::test]
async fn confirm_books_the_project_and_records_the_write() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let rid = client
        .available_dates(&maria(), FLOORING, date("2025-10-20"))
        .await
        .unwrap()
        .request_id;
    let outcome = client
        .confirm(&maria(), FLOORING, date("2025-10-28"), time("10:00"), &rid)
        .await
        .unwrap();
    assert_eq!(
        outcome,
        WriteOutcome::Done {
            message: "Appointment scheduled successfully".into()
        }
    );

    let flooring = client
        .projects(&maria())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id == FLOORING)
        .unwrap();
    assert_eq!(flooring.status, ProjectStatus::Scheduled);
    let window = flooring.scheduled.unwrap();
    assert_eq!(window.date, date("2025-10-28"));
    assert_eq!(window.start.unwrap().to_string(), "2025-10-28 10:00:00");
    assert_eq!(window.end.unwrap().to_string(), "2025-10-28 14:00:00");

    // created_at is the client's clock (13:15 UTC) in Asia/Kolkata.
    assert_eq!(
        mock.writes(),
        [WriteRecord {
            kind: WriteKind::Schedule,
            project_id: FLOORING.into(),
            date: Some("2025-10-28".into()),
            time: Some("10:00".into()),
            note_text: None,
            at: "2025-10-20T09:15:00".into(),
            created_at: Some("10-20-2025 18:45:00".into()),
        }]
    );

    // The request is spent: the same confirm again is refused and nothing more is written.
    let again = client
        .confirm(&maria(), FLOORING, date("2025-10-29"), time("10:00"), &rid)
        .await
        .unwrap_err();
    assert!(matches!(again, Pf360Error::Invalid(_)), "{again}");
    assert_eq!(mock.writes().len(), 1);
}

#[tokio::test]
async fn rebooking_a_scheduled_project_moves_its_window() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let rid = client
        .available_dates(&maria(), WINDOWS, date("2025-10-20"))
        .await
        .unwrap()
        .request_id;
    client
        .confirm(&maria(), WINDOWS, date("2025-10-29"), time("08:00"), &rid)
        .await
        .unwrap();
    let windows = client.projects(&maria()).await.unwrap().remove(1);
    let window = windows.scheduled.unwrap();
    assert_eq!(window.start.unwrap().to_string(), "2025-10-29 08:00:00");
    assert_eq!(window.end.unwrap().to_string(), "2025-10-29 14:00:00");
}

#[tokio::test]
async fn a_slot_taken_on_confirm_answers_409_and_vanishes() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let rid = client
        .available_dates(&maria(), FLOORING, date("2025-10-20"))
        .await
        .unwrap()
        .request_id;
    let before = client
        .time_slots(&maria(), FLOORING, date("2025-10-24"), &rid)
        .await
        .unwrap();
    assert!(before.contains(&time("08:00")));
    let err = client
        .confirm(&maria(), FLOORING, date("2025-10-24"), time("08:00"), &rid)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Pf360Error::Conflict(ref m) if m == "Slot no longer available"),
        "{err}"
    );
    assert!(mock.writes().is_empty());

    // The remaining slots of that date are still offered, and one of them can be booked.
    let after = client
        .time_slots(&maria(), FLOORING, date("2025-10-24"), &rid)
        .await
        .unwrap();
    assert_eq!(after, [time("10:00"), time("13:00"), time("15:00")]);
    client
        .confirm(&maria(), FLOORING, date("2025-10-24"), time("10:00"), &rid)
        .await
        .unwrap();
    assert_eq!(mock.writes().len(), 1);
}

#[tokio::test]
async fn confirm_refuses_what_was_not_offered() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let rid = client
        .available_dates(&maria(), FLOORING, date("2025-10-20"))
        .await
        .unwrap()
        .request_id;
    for (day, at) in [
        ("2025-10-22", "10:00"),
        ("2025-10-23", "08:00"),
        ("2025-10-21", "09:00"),
    ] {
        let err = client
            .confirm(&maria(), FLOORING, date(day), time(at), &rid)
            .await
            .unwrap_err();
        assert!(matches!(err, Pf360Error::Invalid(_)), "{day} {at}: {err}");
    }
    assert!(mock.writes().is_empty());
}

#[tokio::test]
async fn projects_that_cannot_be_scheduled_get_no_dates() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let err = client
        .available_dates(&maria(), CABINETS, date("2025-10-20"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Pf360Error::Invalid(ref m) if m.contains("Completed")),
        "{err}"
    );
}

#[tokio::test]
async fn cancel_returns_the_project_to_ready_to_schedule() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let outcome = client.cancel(&maria(), WINDOWS).await.unwrap();
    assert_eq!(
        outcome,
        WriteOutcome::Done {
            message: "Appointment cancelled successfully".into()
        }
    );
    let windows = client.projects(&maria()).await.unwrap().remove(1);
    assert_eq!(windows.status, ProjectStatus::ReadyToSchedule);
    assert!(windows.scheduled.is_none());
    let writes = mock.writes();
    assert_eq!(writes.len(), 1);
    assert_eq!(
        (writes[0].kind, writes[0].project_id.as_str()),
        (WriteKind::Cancel, WINDOWS)
    );

    // Nothing left to cancel.
    let err = client.cancel(&maria(), WINDOWS).await.unwrap_err();
    assert!(matches!(err, Pf360Error::Invalid(_)), "{err}");
    assert_eq!(mock.writes().len(), 1);
}

#[tokio::test]
async fn notes_are_added_and_recorded() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let added = client
        .add_note(&maria(), FLOORING, "Please call before arriving")
        .await
        .unwrap();
    assert!(added.note_id.unwrap().starts_with("note_"));
    assert_eq!(added.message, "Note added successfully");
    let writes = mock.writes();
    assert_eq!(writes[0].kind, WriteKind::Note);
    assert_eq!(
        writes[0].note_text.as_deref(),
        Some("Please call before arriving")
    );

    let err = client
        .add_note(&maria(), FLOORING, "   ")
        .await
        .unwrap_err();
    assert!(matches!(err, Pf360Error::Invalid(_)), "{err}");
    assert_eq!(mock.writes().len(), 1);
}

#[tokio::test]
async fn test_mode_walks_the_flow_but_writes_nothing() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |c| {
        c.real_confirm = false;
        c.real_cancel = false;
    });
    // Reads still go to the mock.
    let rid = client
        .available_dates(&maria(), FLOORING, date("2025-10-20"))
        .await
        .unwrap()
        .request_id;
    let outcome = client
        .confirm(&maria(), FLOORING, date("2025-10-28"), time("10:00"), &rid)
        .await
        .unwrap();
    assert_eq!(outcome, WriteOutcome::TestMode);
    assert_eq!(
        client.cancel(&maria(), WINDOWS).await.unwrap(),
        WriteOutcome::TestMode
    );
    assert!(mock.writes().is_empty());
    let projects = client.projects(&maria()).await.unwrap();
    assert_eq!(projects[0].status, ProjectStatus::ReadyToSchedule);
    assert_eq!(projects[1].status, ProjectStatus::Scheduled);
}

#[tokio::test]
async fn auth_rules_401_403_404() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});

    let err = client
        .projects(&caller(MARIA, "wrong-token"))
        .await
        .unwrap_err();
    assert!(matches!(err, Pf360Error::Unauthorized(_)), "{err}");

    // Maria's token on Tom's dashboard.
    let err = client
        .projects(&caller("2000001", MARIA_TOKEN))
        .await
        .unwrap_err();
    assert!(matches!(err, Pf360Error::Forbidden(_)), "{err}");

    // A customer of another client, on this client's paths.
    let err = client
        .projects(&caller("3000001", "token-other-client"))
        .await
        .unwrap_err();
    assert!(matches!(err, Pf360Error::Forbidden(_)), "{err}");

    // Tom's project through Maria's token is exactly like a project that does not exist.
    let toms = client
        .available_dates(&maria(), TOMS_ROOF, date("2025-10-20"))
        .await
        .unwrap_err();
    let unknown = client
        .available_dates(&maria(), "123", date("2025-10-20"))
        .await
        .unwrap_err();
    assert!(matches!(toms, Pf360Error::NotFound(_)), "{toms}");
    assert_eq!(toms.to_string(), unknown.to_string());
    let err = client
        .add_note(&maria(), TOMS_ROOF, "hello")
        .await
        .unwrap_err();
    assert!(matches!(err, Pf360Error::NotFound(_)), "{err}");
    assert!(client.cancel(&maria(), TOMS_ROOF).await.is_err());
    assert!(mock.writes().is_empty());
}

fn jwt(secret: &str, customer_id: &str, client_id: &str, exp_offset_secs: i64) -> String {
    let claims = serde_json::json!({
        "customer_id": customer_id,
        "client_id": client_id,
        "client_name": "acme-floors",
        "aud": "scheduling-agent",
        "exp": chrono::Utc::now().timestamp() + exp_offset_secs,
    });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn jwts_signed_with_the_mock_secret_are_accepted_when_claims_match() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let good = jwt(JWT_SECRET, MARIA, CLIENT, 600);
    assert_eq!(
        client.projects(&caller(MARIA, &good)).await.unwrap().len(),
        3
    );

    let forged = jwt("another-secret", MARIA, CLIENT, 600);
    let err = client.projects(&caller(MARIA, &forged)).await.unwrap_err();
    assert!(matches!(err, Pf360Error::Unauthorized(_)), "{err}");

    let expired = jwt(JWT_SECRET, MARIA, CLIENT, -3600);
    let err = client.projects(&caller(MARIA, &expired)).await.unwrap_err();
    assert!(matches!(err, Pf360Error::Unauthorized(_)), "{err}");

    let other_customer = jwt(JWT_SECRET, "2000001", CLIENT, 600);
    let err = client
        .projects(&caller(MARIA, &other_customer))
        .await
        .unwrap_err();
    assert!(matches!(err, Pf360Error::Forbidden(_)), "{err}");

    let other_client = jwt(JWT_SECRET, MARIA, "77XY", 600);
    let err = client
        .projects(&caller(MARIA, &other_client))
        .await
        .unwrap_err();
    assert!(matches!(err, Pf360Error::Forbidden(_)), "{err}");
}

#[tokio::test]
async fn reset_returns_to_the_fixture() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    client.cancel(&maria(), WINDOWS).await.unwrap();
    client
        .add_note(&maria(), FLOORING, "gate code 1234")
        .await
        .unwrap();
    assert_eq!(mock.writes().len(), 2);
    mock.state().reset();
    assert!(mock.writes().is_empty());
    let projects = client.projects(&maria()).await.unwrap();
    assert_eq!(projects[1].status, ProjectStatus::Scheduled);
}

#[tokio::test]
async fn demo_data_serves_every_demo_customer_with_dates_ahead() {
    use pf360::mock::{MockConfig, MockServer, demo};
    let clock = std::sync::Arc::new(pf360::FixedClock::new(
        "2026-03-06T15:00:00Z".parse().unwrap(),
    ));
    let mock = MockServer::start(MockConfig::default(), clock, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let client = client_for(mock.url(), |_| {});
    let me = pf360::Caller {
        client_id: demo::DEMO_CLIENT_ID.into(),
        client_name: demo::DEMO_CLIENT_NAME.into(),
        customer_id: demo::DEMO_CUSTOMER_ID.into(),
        token: pf360::Token::new("demo-token-1645975"),
    };
    let projects = client.projects(&me).await.unwrap();
    let ready = projects
        .iter()
        .find(|p| p.status == ProjectStatus::ReadyToSchedule)
        .unwrap();
    let offered = client
        .available_dates(&me, &ready.id, date("2026-03-06"))
        .await
        .unwrap();
    assert!(offered.dates.len() >= 10, "{:?}", offered.dates);
    assert!(offered.dates.iter().all(|d| *d > date("2026-03-06")));
    let slots = client
        .time_slots(&me, &ready.id, offered.dates[0], &offered.request_id)
        .await
        .unwrap();
    assert!(!slots.is_empty());
}

/// A service token (SMS, reminders) acts for any customer of its own client, named in the
/// path or owning the project; never for another client's.
#[tokio::test]
async fn a_service_token_acts_for_its_clients_customers_only() {
    let mock = start_mock().await;
    let client = client_for(mock.url(), |_| {});
    let as_service = |customer_id: &str| caller(customer_id, "svc-acme-floors");

    let projects = client.projects(&as_service(MARIA)).await.unwrap();
    assert_eq!(projects.len(), 3);
    let toms = client.projects(&as_service("2000001")).await.unwrap();
    assert_eq!(toms[0].id, TOMS_ROOF);

    let unknown = client.projects(&as_service("9999999")).await.unwrap_err();
    assert!(matches!(unknown, Pf360Error::NotFound(_)), "{unknown:?}");
    let other_client = client
        .projects(&caller("3000001", "svc-other-co"))
        .await
        .unwrap_err();
    assert!(
        matches!(other_client, Pf360Error::Forbidden(_)),
        "{other_client:?}"
    );

    // Project calls name no customer: the project's owner is acted for.
    let offered = client
        .available_dates(&as_service(MARIA), FLOORING, date("2025-10-20"))
        .await
        .unwrap();
    let day = offered.dates[0];
    let slots = client
        .time_slots(&as_service(MARIA), FLOORING, day, &offered.request_id)
        .await
        .unwrap();
    let outcome = client
        .confirm(
            &as_service(MARIA),
            FLOORING,
            day,
            slots[0],
            &offered.request_id,
        )
        .await
        .unwrap();
    assert!(matches!(outcome, WriteOutcome::Done { .. }), "{outcome:?}");
    let written = mock.writes();
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].project_id, FLOORING);

    // Another client's service token finds no project of this client.
    let foreign = client
        .available_dates(&caller(MARIA, "svc-other-co"), FLOORING, date("2025-10-20"))
        .await
        .unwrap_err();
    assert!(matches!(foreign, Pf360Error::Forbidden(_)), "{foreign:?}");
}
