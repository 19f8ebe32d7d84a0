//! Reminders end to end: appointments booked, moved and cancelled through the assistant, two
//! workers (two `App`s on one database, PostgreSQL when `TEST_DATABASE_URL` is set) driven
//! across the 24 h and 2 h marks by a pinned clock, one of them dying mid-send; every text
//! counted at the mock Twilio.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use pf360::mock::{Fixture, MockConfig, MockServer};
use pf360::{FixedClock, Token};
use serde_json::{Value, json};
use server::auth::Identity;
use server::{App, ChatRequest, Config};
use twilio::mock::{MockTwilio, MockTwilioConfig, Phone};

const ACCOUNT: &str = "AC00000000000000000000000000000002";
const AUTH_TOKEN: &str = "twilio-reminders-token";

fn project(id: &str, category: &str) -> Value {
    json!({
        "project_project_id": id, "project_project_number": format!("ORD-{id}"),
        "project_type_project_type": "Installation", "project_category_category": category,
        "status_info_status": "Ready to Schedule",
        "installation_address_full_address": "1 Main St", "installation_address_city": "Town",
        "project_date_scheduled_date": null, "convertedProjectStartScheduledDate": null,
        "convertedProjectEndScheduledDate": null,
        "service_time_duration_value": 2, "service_time_duration_type": "hours"
    })
}

fn customer(id: &str, phone: &str, project_id: &str, category: &str) -> Value {
    json!({"customer_id": id, "token": format!("token-{id}"), "first_name": id,
           "phone": phone, "projects": [project(project_id, category)]})
}

fn client(id: &str, zone: &str, customers: Vec<Value>) -> Value {
    json!({"client_id": id, "client_name": "brightside-home", "timezone": zone,
           "slots": ["08:00", "10:00", "13:00", "15:00"], "lead_days": 1, "horizon_days": 21,
           "service_tokens": [format!("svc-{id}")], "customers": customers})
}

/// A random phone, so runs on a shared PostgreSQL never meet.
fn phone() -> String {
    let digits: String = store::new_id()
        .bytes()
        .filter(u8::is_ascii_digit)
        .take(7)
        .map(char::from)
        .collect();
    format!("+1555{digits:0>7}")
}

struct World {
    base: String,
    east: String,
    west: String,
    phones: BTreeMap<&'static str, String>,
    clock: Arc<FixedClock>,
    twilio: MockTwilio,
    apps: Vec<Arc<App>>,
    _pf360: MockServer,
}

fn at(raw: &str) -> DateTime<Utc> {
    raw.parse().unwrap()
}

async fn world() -> World {
    let tag = &store::new_id()[..8];
    let (east, west) = (format!("E{tag}"), format!("W{tag}"));
    let phones: BTreeMap<&'static str, String> = ["ann", "al", "carl", "dana", "eve", "bob"]
        .into_iter()
        .map(|name| (name, phone()))
        .collect();
    let fixture: Fixture = serde_json::from_value(json!({"clients": [
        client(&east, "America/New_York", vec![
            customer("ann", &phones["ann"], "A1", "Roofing"),
            customer("al", &phones["al"], "A2", "Gutters"),
            customer("carl", &phones["carl"], "C1", "Fencing"),
            customer("dana", &phones["dana"], "D1", "Windows"),
            customer("eve", &phones["eve"], "E1", "Deck"),
        ]),
        client(&west, "America/Los_Angeles", vec![customer("bob", &phones["bob"], "B1", "Siding")]),
    ]}))
    .unwrap();
    // Monday 2025-11-03, 10:00 in New York, 07:00 in Los Angeles.
    let clock = Arc::new(FixedClock::new(at("2025-11-03T15:00:00Z")));
    let pf360 = MockServer::start(
        MockConfig {
            fixture: Some(fixture.clone()),
            now: None,
            jwt_secret: None,
        },
        clock.clone(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let twilio = MockTwilio::start(
        MockTwilioConfig {
            account_sid: ACCOUNT.into(),
            auth_token: AUTH_TOKEN.into(),
            undeliverable: Vec::new(),
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let database_url = std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| {
        let dir = std::env::temp_dir().join(format!("sa-reminders-{}", store::new_id()));
        format!("sqlite://{}/test.db", dir.display())
    });
    // The first process also serves the SMS webhook (customers answer reminders).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut apps = Vec::new();
    for _ in 0..2 {
        let mut config = Config {
            database_url: database_url.clone(),
            use_mock_api: false,
            pf360_base_url: Some(pf360.url().to_string()),
            ..Config::default()
        };
        config.auth.jwt_secret = Some("reminders-test-secret".to_string().into());
        config
            .client_timezones
            .insert(west.clone(), "America/Los_Angeles".into());
        config.sms.account_sid = Some(ACCOUNT.into());
        config.sms.auth_token = Some(AUTH_TOKEN.to_string().into());
        config.sms.from_number = Some("+18135550100".into());
        config.sms.api_base_url = twilio.url().to_string();
        config.sms.public_base_url = Some(base.clone());
        // Quiet until 8:30, so reminders due at 8:00 wait half an hour.
        config.sms.quiet_hours = (
            chrono::NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
            chrono::NaiveTime::from_hms_opt(8, 30, 0).unwrap(),
        );
        for id in [&east, &west] {
            config
                .sms
                .service_tokens
                .insert(id.clone(), format!("svc-{id}").into());
        }
        apps.push(App::build(config, clock.clone()).await.unwrap());
    }
    let directory: Vec<store::CustomerRecord> = fixture
        .clients
        .iter()
        .flat_map(|c| {
            c.customers.iter().map(|x| store::CustomerRecord {
                client_id: c.client_id.clone(),
                customer_id: x.customer_id.clone(),
                phone: x.phone.clone(),
                ..store::CustomerRecord::default()
            })
        })
        .collect();
    apps[0].store.import_customers(&directory).await.unwrap();
    tokio::spawn(server::serve(
        apps[0].clone(),
        listener,
        std::future::pending(),
    ));
    World {
        base,
        east,
        west,
        phones,
        clock,
        twilio,
        apps,
        _pf360: pf360,
    }
}

impl World {
    /// Texts the SMS webhook from a customer's phone; the reply received.
    async fn text(&self, name: &str, body: &str) -> String {
        let phone = Phone {
            http: reqwest::Client::new(),
            account_sid: ACCOUNT.into(),
            auth_token: AUTH_TOKEN.into(),
            webhook: format!("{}/channels/twilio/sms", self.base),
            from: self.phones[name].clone(),
            to: "+18135550100".into(),
        };
        phone.text(body, None).await.unwrap().messages.join("\n")
    }

    async fn say(
        &self,
        client: &str,
        customer: &str,
        session: &mut Option<String>,
        text: &str,
    ) -> String {
        let identity = Identity {
            client_id: client.into(),
            client_name: "brightside-home".into(),
            customer_id: customer.into(),
            token: Token::new(format!("token-{customer}")),
        };
        let response = self.apps[0]
            .chat(
                &identity,
                ChatRequest {
                    message: text.into(),
                    session_id: session.clone(),
                    client_message_id: None,
                    reply_to: None,
                    focus: None,
                },
                "web",
            )
            .await
            .unwrap();
        *session = Some(response.session_id.clone());
        response.response
    }

    /// Books (and confirms) in one conversation.
    async fn book(&self, client: &str, customer: &str, what: &str) -> Option<String> {
        let mut session = None;
        let summary = self.say(client, customer, &mut session, what).await;
        assert!(summary.contains("confirm"), "{what}: {summary}");
        let done = self.say(client, customer, &mut session, "yes").await;
        assert!(done.contains("booked"), "{done}");
        session
    }
}

#[tokio::test]
async fn each_reminder_goes_once_at_the_right_local_time_and_never_when_it_should_not() {
    let w = world().await;
    let (east, west) = (w.east.clone(), w.west.clone());
    w.book(
        &east,
        "ann",
        "book my roofing for wednesday november 5 at 10am",
    )
    .await;
    w.book(
        &east,
        "al",
        "book my gutters for wednesday november 5 at 8am",
    )
    .await;
    let mut carl = w
        .book(
            &east,
            "carl",
            "book my fencing for wednesday november 5 at 1pm",
        )
        .await;
    let moved = w
        .say(
            &east,
            "carl",
            &mut carl,
            "move it to thursday november 6 at 1pm",
        )
        .await;
    assert!(moved.contains("confirm"), "{moved}");
    w.say(&east, "carl", &mut carl, "yes").await;
    w.book(
        &east,
        "dana",
        "book my windows for wednesday november 5 at 3pm",
    )
    .await;
    let mut eve = w
        .book(&east, "eve", "book my deck for wednesday november 5 at 3pm")
        .await;
    let cancel = w
        .say(&east, "eve", &mut eve, "cancel my deck appointment")
        .await;
    assert!(cancel.contains("confirm"), "{cancel}");
    w.say(&east, "eve", &mut eve, "yes").await;
    w.book(
        &west,
        "bob",
        "book my siding for wednesday november 5 at 10am",
    )
    .await;
    // Dana texts STOP before any reminder is due.
    w.apps[0]
        .store
        .record_consent(
            &w.phones["dana"],
            Some((&east, "dana")),
            store::Consent::OptOut,
            "STOP",
        )
        .await
        .unwrap();

    // Every half hour from Monday 10:00 to Friday noon (New York), both workers at once —
    // except when Bob's 2 h reminder is due: a third worker dies waiting for Twilio.
    // (Due at 08:00 there, it waits for the end of quiet hours, 08:30.)
    let crash_at = at("2025-11-05T16:30:00Z");
    let mut sent_at: Vec<(String, DateTime<Utc>, String)> = Vec::new();
    let mut now = at("2025-11-03T15:00:00Z");
    while now <= at("2025-11-07T17:00:00Z") {
        w.clock.set(now);
        if now == crash_at {
            w.twilio.set_delay(Duration::from_secs(5));
            let dying = w.apps[1].clone();
            let task = tokio::spawn(async move { dying.remind_due("w3").await });
            let before = w.twilio.sent().len();
            tokio::time::timeout(Duration::from_secs(10), async {
                while w.twilio.sent().len() == before {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            })
            .await
            .expect("the dying worker reached Twilio");
            task.abort();
            let _ = task.await;
            w.twilio.set_delay(Duration::ZERO);
        } else {
            let (a, b) = tokio::join!(w.apps[0].remind_due("w1"), w.apps[1].remind_due("w2"));
            let _ = (a, b);
        }
        for message in w.twilio.sent().into_iter().skip(sent_at.len()) {
            sent_at.push((message.to, now, message.body));
        }
        // Answers to the 24 h reminders: Ann confirms, Bob asks to move it.
        if now == at("2025-11-04T15:30:00Z") {
            let confirmed = w.text("ann", "C").await;
            assert!(confirmed.contains("confirmed"), "{confirmed}");
        }
        if now == at("2025-11-04T18:30:00Z") {
            let moving = w.text("bob", "R").await;
            assert!(
                moving.contains("Siding") && moving.contains("1."),
                "{moving}"
            );
        }
        now += chrono::Duration::minutes(30);
    }

    let to = |name: &str| -> Vec<(String, String)> {
        sent_at
            .iter()
            .filter(|(phone, _, _)| *phone == w.phones[name])
            .map(|(_, when, body)| (when.format("%m-%d %H:%M").to_string(), body.clone()))
            .collect()
    };
    // Times are UTC: New York is UTC-5, Los Angeles UTC-8 in November.
    let ann = to("ann");
    assert_eq!(
        ann.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
        ["11-04 15:00", "11-05 13:30"],
        "{ann:?}"
    );
    assert!(
        ann[0].1.contains("tomorrow") && ann[0].1.contains("10:00 AM"),
        "{ann:?}"
    );
    assert!(ann[1].1.contains("today at 10:00 AM"), "{ann:?}");
    // Al's 24 h reminder fell at 08:00, in quiet hours, and went at 08:30, still ahead of the
    // appointment; his 2 h one fell at 06:00, and 08:30 is past the appointment: skipped.
    let al = to("al");
    assert_eq!(
        al.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
        ["11-04 13:30"],
        "{al:?}"
    );
    // Carl's first booking was moved: reminders only for Thursday 13:00.
    let carl = to("carl");
    assert_eq!(
        carl.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
        ["11-05 18:00", "11-06 16:00"],
        "{carl:?}"
    );
    assert!(carl.iter().all(|t| t.1.contains("1:00 PM")), "{carl:?}");
    assert!(to("dana").is_empty(), "opted out");
    assert!(to("eve").is_empty(), "cancelled");
    // Bob is in Los Angeles: 10:00 there, once each, though a worker died sending the second.
    let bob = to("bob");
    assert_eq!(
        bob.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
        ["11-04 18:00", "11-05 16:30"],
        "{bob:?}"
    );
    assert!(bob.iter().all(|t| t.1.contains("10:00 AM")), "{bob:?}");
    let bobs = w.apps[0]
        .store
        .project_reminders(&west, "B1")
        .await
        .unwrap();
    let statuses: Vec<(&str, &str)> = bobs
        .iter()
        .map(|r| (r.kind.as_str(), r.status.as_str()))
        .collect();
    assert_eq!(statuses, [("24h", "sent"), ("2h", "unknown")]);
    assert_eq!(sent_at.len(), 7, "{sent_at:?}");
    // Ann's "C": noted on PF360 and in our records; Bob's "R" moved nothing by itself.
    let writes: Vec<Value> = reqwest::get(w._pf360.url().join("__mock/writes").unwrap())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let notes: Vec<&Value> = writes.iter().filter(|x| x["kind"] == "note").collect();
    assert_eq!(notes.len(), 1, "{writes:?}");
    assert_eq!(notes[0]["project_id"], "A1");
    assert_eq!(notes[0]["note_text"], "Customer confirmed by text");
    let bobs_writes = writes.iter().filter(|x| x["project_id"] == "B1").count();
    assert_eq!(bobs_writes, 1, "{writes:?}");
    let anns = w.apps[0].store.appointments(&east, "ann").await.unwrap();
    assert_eq!(anns[0].0.status, "confirmed", "{anns:?}");
}
