//! The store against a real SQLite file always, and against PostgreSQL when
//! `TEST_DATABASE_URL` is set (`.ci/run` sets it to the local server).

use std::sync::Arc;

use store::{
    Appointment, CustomerRecord, NoteRecord, Store, StoreError, Summary, TurnWrite, new_id,
    system_now,
};

/// The databases to run each test on.
async fn stores() -> Vec<Store> {
    let dir = std::env::temp_dir().join(format!("sa-store-{}", new_id()));
    let sqlite = format!("sqlite://{}/test.db", dir.display());
    let mut urls = vec![sqlite];
    if let Ok(pg) = std::env::var("TEST_DATABASE_URL") {
        urls.push(pg);
    }
    let mut stores = Vec::new();
    for url in urls {
        let store = Store::connect(&url, system_now())
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        store.migrate().await.unwrap();
        stores.push(store);
    }
    stores
}

fn turn(state: &str, text: &str) -> TurnWrite {
    TurnWrite {
        state: state.into(),
        ttl_ms: 1_800_000,
        channel: "web".into(),
        customer_text: text.into(),
        assistant_text: format!("re: {text}"),
        actions: "[]".into(),
        latency_ms: 3,
        ..TurnWrite::default()
    }
}

#[tokio::test]
async fn migrations_apply_twice_and_sessions_round_trip() {
    for store in stores().await {
        store.migrate().await.unwrap();
        let created = store
            .create_session("C1", "42", "web", "{}", 60_000)
            .await
            .unwrap();
        let loaded = store.session(&created.id).await.unwrap().unwrap();
        assert_eq!(loaded, created, "{:?}", store.backend());
        assert!(store.session("nope").await.unwrap().is_none());
        store.ping().await.unwrap();
    }
}

#[tokio::test]
async fn concurrent_turns_on_one_session_lose_no_update() {
    for store in stores().await {
        let session = store
            .create_session("C1", "42", "web", "0", 60_000)
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for n in 0..12 {
            let store = store.clone();
            let id = session.id.clone();
            tasks.push(tokio::spawn(async move {
                let lease = store.lease(&id).await.unwrap();
                let count: i64 = store
                    .session(&id)
                    .await
                    .unwrap()
                    .unwrap()
                    .state
                    .parse()
                    .unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                store
                    .save_turn(&lease, &turn(&(count + 1).to_string(), &format!("m{n}")))
                    .await
                    .unwrap();
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let after = store.session(&session.id).await.unwrap().unwrap();
        assert_eq!(after.state, "12", "{:?}", store.backend());
        assert_eq!(after.version, 12);
        let transcript = store.messages(&session.id).await.unwrap();
        assert_eq!(transcript.len(), 24);
        let seqs: Vec<i64> = transcript.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, (1..=24).collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn a_repeated_client_message_finds_the_first_answer() {
    for store in stores().await {
        let session = store
            .create_session("C1", "42", "web", "{}", 60_000)
            .await
            .unwrap();
        assert_eq!(store.processed(&session.id, "m-1").await.unwrap(), None);
        let lease = store.lease(&session.id).await.unwrap();
        let mut write = turn("{}", "book it");
        write.client_message = Some(("m-1".into(), r#"{"response":"booked"}"#.into()));
        store.save_turn(&lease, &write).await.unwrap();
        assert_eq!(
            store
                .processed(&session.id, "m-1")
                .await
                .unwrap()
                .as_deref(),
            Some(r#"{"response":"booked"}"#)
        );
    }
}

#[tokio::test]
async fn a_lost_lease_writes_nothing() {
    for store in stores().await {
        let session = store
            .create_session("C1", "42", "web", "before", 60_000)
            .await
            .unwrap();
        let lease = store.lease(&session.id).await.unwrap();
        store.release(&lease).await.unwrap();
        let other = store.lease(&session.id).await.unwrap();
        let err = store
            .save_turn(&lease, &turn("after", "hi"))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::LeaseLost), "{err}");
        assert_eq!(
            store.session(&session.id).await.unwrap().unwrap().state,
            "before"
        );
        assert!(store.messages(&session.id).await.unwrap().is_empty());
        store.release(&other).await.unwrap();
        assert!(matches!(
            store.lease("no-such-session").await,
            Err(StoreError::NotFound)
        ));
    }
}

#[tokio::test]
async fn transcripts_survive_reconnecting() {
    let dir = std::env::temp_dir().join(format!("sa-store-{}", new_id()));
    let url = format!("sqlite://{}/persist.db", dir.display());
    let id = {
        let store = Store::connect(&url, system_now()).await.unwrap();
        store.migrate().await.unwrap();
        let session = store
            .create_session("C1", "42", "web", "{}", 60_000)
            .await
            .unwrap();
        let lease = store.lease(&session.id).await.unwrap();
        store.save_turn(&lease, &turn("{}", "hello")).await.unwrap();
        session.id
    };
    let reopened = Store::connect(&url, system_now()).await.unwrap();
    reopened.migrate().await.unwrap();
    let transcript = reopened.messages(&id).await.unwrap();
    assert_eq!(transcript.len(), 2);
    assert_eq!(transcript[0].text, "hello");
    assert_eq!(transcript[1].role, "assistant");
}

#[tokio::test]
async fn deleting_a_session_cascades_to_its_records() {
    for store in stores().await {
        let session = store
            .create_session("C1", "42", "web", "{}", 60_000)
            .await
            .unwrap();
        let lease = store.lease(&session.id).await.unwrap();
        let mut write = turn("{}", "book");
        write.client_message = Some(("m".into(), "{}".into()));
        write.summary = Some(Summary {
            client_id: "C1".into(),
            customer_id: "42".into(),
            outcome: "completed".into(),
            actions: "[\"confirm_appointment\"]".into(),
            appointment_made: true,
            turns: 1,
        });
        let customer = format!("cust-{}", new_id());
        write.appointments = vec![Appointment {
            client_id: "C1".into(),
            customer_id: customer.clone(),
            project_id: "90000149".into(),
            kind: "booked".into(),
            date: Some("2025-11-11".into()),
            time: Some("10:00".into()),
            status: "scheduled".into(),
            confirmation_code: Some(store::new_confirmation_code()),
        }];
        store.save_turn(&lease, &write).await.unwrap();
        assert_eq!(
            store.summary(&session.id).await.unwrap(),
            Some(("completed".into(), true, 1))
        );
        assert!(store.delete_session(&session.id).await.unwrap());
        assert!(store.messages(&session.id).await.unwrap().is_empty());
        assert_eq!(store.processed(&session.id, "m").await.unwrap(), None);
        assert_eq!(store.summary(&session.id).await.unwrap(), None);
        let kept = store.appointments("C1", &customer).await.unwrap();
        assert_eq!(kept.len(), 1, "{:?}", store.backend());
        assert_eq!(kept[0].1.len(), 8);
    }
}

#[tokio::test]
async fn notes_and_customers() {
    for store in stores().await {
        let customer = format!("cust-{}", new_id());
        for (n, text) in ["call first", "gate code 4321"].iter().enumerate() {
            store
                .add_note(&NoteRecord {
                    client_id: "C1".into(),
                    customer_id: customer.clone(),
                    project_id: "90000149".into(),
                    text: (*text).into(),
                    created_at: 1_000 + n as i64,
                })
                .await
                .unwrap();
        }
        let notes = store.notes("C1", &customer).await.unwrap();
        assert_eq!(
            notes.iter().map(|n| n.text.as_str()).collect::<Vec<_>>(),
            ["call first", "gate code 4321"]
        );
        assert!(store.notes("C2", &customer).await.unwrap().is_empty());

        let mut record = CustomerRecord {
            client_id: "C1".into(),
            customer_id: customer.clone(),
            phone: Some("+18135550142".into()),
            sms_consent: true,
            sms_consent_at: Some(5),
            ..CustomerRecord::default()
        };
        store.upsert_customer(&record).await.unwrap();
        record.sms_opt_out = true;
        record.sms_opt_out_at = Some(9);
        store.upsert_customer(&record).await.unwrap();
        let back = store.customer("C1", &customer).await.unwrap().unwrap();
        assert!(back.sms_consent && back.sms_opt_out);
        assert_eq!(
            (back.sms_consent_at, back.sms_opt_out_at),
            (Some(5), Some(9))
        );
        assert_eq!(back.preferences, "{}");
    }
}

#[tokio::test]
async fn unsupported_urls_are_refused() {
    let err = Store::connect("mysql://x", Arc::new(|| 0))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::UnsupportedUrl(_)));
}

fn intent(customer: &str, project: &str, session: &str) -> store::IntentRecord {
    store::IntentRecord {
        id: new_id(),
        session_id: session.into(),
        client_message_id: Some("m1".into()),
        client_id: "C1".into(),
        customer_id: customer.into(),
        project_id: project.into(),
        kind: "book".into(),
        slot: Some("2025-11-11T08:00".into()),
        status: "pending".into(),
        live_until: i64::MAX,
        created_at: 0,
    }
}

#[tokio::test]
async fn one_unfinished_write_per_project_whatever_the_session() {
    for store in stores().await {
        let customer = new_id();
        let first = intent(&customer, "P1", "s1");
        assert_eq!(store.begin_intent(&first).await.unwrap(), None);
        // Another session (or process) of the same customer, same project: refused, and told
        // which write holds it.
        let held = store
            .begin_intent(&intent(&customer, "P1", "s2"))
            .await
            .unwrap()
            .expect("the project is held");
        assert_eq!(held.id, first.id);
        assert_eq!(held.session_id, "s1");
        // Another project is free.
        assert_eq!(
            store
                .begin_intent(&intent(&customer, "P2", "s2"))
                .await
                .unwrap(),
            None
        );
        // Sent with no answer: still held, and listed as unfinished.
        store.settle_intent(&first.id, "unknown").await.unwrap();
        assert!(
            store
                .begin_intent(&intent(&customer, "P1", "s2"))
                .await
                .unwrap()
                .is_some()
        );
        let open = store.open_intents("C1", &customer).await.unwrap();
        assert_eq!(open.len(), 2, "{open:?}");
        assert_eq!(open[0].status, "unknown");
        // Settled: the project is free again and the record stays for the audit.
        store.settle_intent(&first.id, "done").await.unwrap();
        assert_eq!(
            store
                .begin_intent(&intent(&customer, "P1", "s2"))
                .await
                .unwrap(),
            None
        );
        let history = store.session_intents("s1").await.unwrap();
        assert!(
            history
                .iter()
                .any(|i| i.id == first.id && i.status == "done")
        );
    }
}

#[tokio::test]
async fn a_retried_first_message_finds_its_conversation() {
    for store in stores().await {
        let customer = new_id();
        let first = store
            .session_for_origin("C1", &customer, "web", "{}", 60_000, "hello-1")
            .await
            .unwrap();
        let again = store
            .session_for_origin("C1", &customer, "web", "{}", 60_000, "hello-1")
            .await
            .unwrap();
        assert_eq!(first.id, again.id);
        let other = store
            .session_for_origin("C1", &customer, "web", "{}", 60_000, "hello-2")
            .await
            .unwrap();
        assert_ne!(first.id, other.id);
        // The same message id from another customer is another conversation.
        let stranger = store
            .session_for_origin("C1", &new_id(), "web", "{}", 60_000, "hello-1")
            .await
            .unwrap();
        assert_ne!(first.id, stranger.id);
    }
}

#[tokio::test]
async fn a_renewed_lease_outlives_its_ttl_and_a_lost_one_cannot_be_renewed() {
    use std::time::Duration;
    for store in stores().await {
        let store = store.with_lease_policy(store::LeasePolicy {
            ttl: Duration::from_millis(300),
            wait: Duration::from_millis(100),
        });
        let session = store
            .create_session("C1", "42", "web", "{}", 60_000)
            .await
            .unwrap();
        let lease = store.lease(&session.id).await.unwrap();
        for _ in 0..4 {
            tokio::time::sleep(Duration::from_millis(150)).await;
            assert!(store.renew(&lease).await.unwrap());
        }
        // 600 ms after it was taken, twice its ttl, the lease is still held.
        assert!(matches!(
            store.lease(&session.id).await,
            Err(StoreError::Busy)
        ));
        store.save_turn(&lease, &turn("{}", "hi")).await.unwrap();
        let next = store.lease(&session.id).await.unwrap();
        store.release(&next).await.unwrap();
        assert!(!store.renew(&next).await.unwrap());
    }
}

fn phone() -> String {
    // Random, so runs against a shared PostgreSQL never clash.
    let digits: String = new_id()
        .bytes()
        .filter(u8::is_ascii_digit)
        .take(7)
        .map(char::from)
        .collect();
    format!("+1555{digits:0>7}")
}

#[tokio::test]
async fn the_directory_finds_customers_by_phone_and_imports_all_or_nothing() {
    for store in stores().await {
        let (maria, james) = (phone(), phone());
        let record = |customer: &str, phone: &str, language: Option<&str>| CustomerRecord {
            client_id: "C1".into(),
            customer_id: customer.into(),
            first_name: Some("Maria".into()),
            phone: Some(phone.into()),
            language: language.map(str::to_string),
            ..CustomerRecord::default()
        };
        let (m, j) = (new_id(), new_id());
        let imported = store
            .import_customers(&[record(&m, &maria, None), record(&j, &james, Some("es"))])
            .await
            .unwrap();
        assert_eq!(imported, 2);
        let found = store.customer_by_phone(&james).await.unwrap().unwrap();
        assert_eq!(
            (found.customer_id.as_str(), found.language.as_deref()),
            (j.as_str(), Some("es"))
        );
        assert!(store.customer_by_phone(&phone()).await.unwrap().is_none());

        // Maria's phone claimed by someone else: nothing of the file is stored.
        let newcomer = new_id();
        let err = store
            .import_customers(&[
                record(&newcomer, &phone(), None),
                record(&new_id(), &maria, None),
            ])
            .await
            .unwrap_err();
        assert!(
            matches!(err, store::ImportError::PhoneTaken { .. }),
            "{err}"
        );
        assert!(store.customer("C1", &newcomer).await.unwrap().is_none());

        // Consent: the flags and the ledger; a re-import keeps the opt-out.
        store
            .record_consent(&maria, Some(("C1", &m)), store::Consent::OptOut, "STOP")
            .await
            .unwrap();
        store
            .import_customers(&[record(&m, &maria, None)])
            .await
            .unwrap();
        assert!(store.customer("C1", &m).await.unwrap().unwrap().sms_opt_out);
        store
            .record_consent(&maria, Some(("C1", &m)), store::Consent::OptIn, "START")
            .await
            .unwrap();
        let back = store.customer("C1", &m).await.unwrap().unwrap();
        assert!(!back.sms_opt_out && back.sms_consent);
        let ledger = store.consent_events(&maria).await.unwrap();
        let kinds: Vec<&str> = ledger.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(kinds, ["opt_out", "opt_in"]);
    }
}

#[tokio::test]
async fn an_inbound_text_is_claimed_once_and_a_retry_gets_the_first_answer() {
    for store in stores().await {
        let sid = format!("SM{}", new_id());
        let from = phone();
        assert_eq!(
            store
                .claim_inbound(&sid, &from, "book my roof")
                .await
                .unwrap(),
            store::Claim::New
        );
        assert_eq!(
            store
                .claim_inbound(&sid, &from, "book my roof")
                .await
                .unwrap(),
            store::Claim::Seen(None)
        );
        store
            .answer_inbound(&sid, "<Response/>", None, None)
            .await
            .unwrap();
        assert_eq!(
            store
                .claim_inbound(&sid, &from, "book my roof")
                .await
                .unwrap(),
            store::Claim::Seen(Some("<Response/>".into()))
        );

        let out = format!("SM{}", new_id());
        store
            .record_outbound(&store::Outbound {
                message_sid: &out,
                phone: &from,
                customer: None,
                session_id: None,
                body: "Reminder",
                status: "queued",
                segments: 1,
                encoding: "gsm7",
            })
            .await
            .unwrap();
        assert!(
            store
                .update_sms_status(&out, "undelivered", Some("30003"))
                .await
                .unwrap()
        );
        assert!(
            !store
                .update_sms_status("SMnotours", "delivered", None)
                .await
                .unwrap()
        );
        let texts = store.sms_messages(&from).await.unwrap();
        assert_eq!(texts.len(), 2);

        // Twilio's callback can come before the send has recorded its text: the status waits
        // for the record, which does not set it back to "queued".
        let early = format!("SM{}", new_id());
        assert!(
            !store
                .update_sms_status(&early, "delivered", None)
                .await
                .unwrap()
        );
        store
            .record_outbound(&store::Outbound {
                message_sid: &early,
                phone: &from,
                customer: None,
                session_id: None,
                body: "Your roof is booked",
                status: "queued",
                segments: 1,
                encoding: "gsm7",
            })
            .await
            .unwrap();
        let texts = store.sms_messages(&from).await.unwrap();
        let sent = texts.iter().find(|t| t.message_sid == early).unwrap();
        assert_eq!(
            (sent.status.as_str(), sent.body.as_str()),
            ("delivered", "Your roof is booked")
        );
        let sent = texts.iter().find(|t| t.message_sid == out).unwrap();
        assert_eq!(
            (sent.status.as_str(), sent.error_code.as_deref()),
            ("undelivered", Some("30003"))
        );
    }
}

#[tokio::test]
async fn an_sms_conversation_continues_in_the_latest_session_of_its_channel() {
    for store in stores().await {
        let customer = new_id();
        assert!(
            store
                .latest_session("C1", &customer, "sms")
                .await
                .unwrap()
                .is_none()
        );
        let web = store
            .create_session("C1", &customer, "web", "{}", 60_000)
            .await
            .unwrap();
        let sms = store
            .create_session("C1", &customer, "sms", "{}", 60_000)
            .await
            .unwrap();
        let latest = store
            .latest_session("C1", &customer, "sms")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(latest.id, sms.id);
        assert_ne!(latest.id, web.id);
    }
}

fn plan<'a>(client: &'a str, project: &'a str, at: i64) -> store::ReminderPlan<'a> {
    store::ReminderPlan {
        client_id: client,
        customer_id: "42",
        project_id: project,
        appointment_at: at,
        appointment_local: "2030-01-02 13:00",
        timezone: "America/New_York",
        due: vec![
            ("24h".into(), at - 86_400_000),
            ("2h".into(), at - 7_200_000),
        ],
    }
}

#[tokio::test]
async fn reminders_are_claimed_by_one_worker_and_never_sent_twice() {
    for store in stores().await {
        let now = system_now()();
        let client = new_id();
        let at = now + 3 * 86_400_000;
        assert_eq!(
            store
                .schedule_reminders(&plan(&client, "P1", at))
                .await
                .unwrap(),
            2
        );
        // A move replaces them; only the new ones are open.
        let moved = at + 86_400_000;
        assert_eq!(
            store
                .schedule_reminders(&plan(&client, "P1", moved))
                .await
                .unwrap(),
            2
        );
        let rows = store.project_reminders(&client, "P1").await.unwrap();
        let statuses: Vec<&str> = rows.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == "void").count(),
            2,
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == "scheduled").count(),
            2,
            "{statuses:?}"
        );

        // Nothing is due yet; at the 24 h mark one worker gets it, the other nothing.
        let day_before = moved - 86_400_000;
        assert!(
            store
                .claim_due_reminders("w1", now, 30_000, 10)
                .await
                .unwrap()
                .iter()
                .all(|r| r.client_id != client)
        );
        let (a, b) = tokio::join!(
            store.claim_due_reminders("w1", day_before, 30_000, 10),
            store.claim_due_reminders("w2", day_before, 30_000, 10),
        );
        let mine = |rows: Vec<store::ReminderRecord>| -> Vec<store::ReminderRecord> {
            rows.into_iter().filter(|r| r.client_id == client).collect()
        };
        let (a, b) = (mine(a.unwrap()), mine(b.unwrap()));
        assert_eq!(a.len() + b.len(), 1, "{a:?} {b:?}");
        let (owner, claimed) = if a.is_empty() {
            ("w2", &b[0])
        } else {
            ("w1", &a[0])
        };
        assert_eq!(claimed.kind, "24h");

        // A claim whose worker died before sending is claimed again once its lease is over.
        let later = day_before + 60_000;
        let again = mine(
            store
                .claim_due_reminders("w3", later, 30_000, 10)
                .await
                .unwrap(),
        );
        assert_eq!(again.len(), 1);
        assert!(
            !store
                .mark_reminder_sending(&claimed.id, owner)
                .await
                .unwrap(),
            "the old owner lost it"
        );
        assert!(
            store
                .mark_reminder_sending(&again[0].id, "w3")
                .await
                .unwrap()
        );
        // w3 dies mid-send: the row is never claimed again, and is settled as unknown.
        let after = later + 60_000;
        assert!(
            mine(
                store
                    .claim_due_reminders("w4", after, 30_000, 10)
                    .await
                    .unwrap()
            )
            .is_empty()
        );
        assert!(store.settle_interrupted_sends(after).await.unwrap() >= 1);
        let rows = store.project_reminders(&client, "P1").await.unwrap();
        assert!(
            rows.iter()
                .any(|r| r.kind == "24h" && r.status == "unknown")
        );

        // The 2 h one is sent, then a cancellation voids nothing more.
        let two_before = moved - 7_200_000;
        let due = mine(
            store
                .claim_due_reminders("w1", two_before, 30_000, 10)
                .await
                .unwrap(),
        );
        assert_eq!(due.len(), 1);
        store.mark_reminder_sending(&due[0].id, "w1").await.unwrap();
        assert!(
            store
                .finish_reminder(&due[0].id, "w1", "sent", Some("SM1"), None)
                .await
                .unwrap()
        );
        assert_eq!(
            store
                .void_reminders(&client, "P1", "cancelled")
                .await
                .unwrap(),
            0
        );

        // Booked too late for the 24 h reminder: that one is skipped, the 2 h one kept.
        let soon = now + 10 * 3_600_000;
        assert_eq!(
            store
                .schedule_reminders(&plan(&client, "P2", soon))
                .await
                .unwrap(),
            1
        );
        assert!(store.reminder_backlog(soon).await.unwrap() >= 1);
        assert_eq!(
            store
                .void_reminders(&client, "P2", "cancelled")
                .await
                .unwrap(),
            1
        );
    }
}
