//! The SMS channel end to end: signed webhooks from a phone (as Twilio posts them) to the real
//! service, the built-in mock PF360 behind it with the client's service token, and replies
//! either as TwiML or through the mock Twilio's Messages API.

mod common;

use std::time::Duration;

use common::*;
use serde_json::Value;
use twilio::mock::{MockTwilio, MockTwilioConfig, Phone};

const ACCOUNT: &str = "AC00000000000000000000000000000001";
const AUTH_TOKEN: &str = "twilio-test-auth-token";
const OUR_NUMBER: &str = "+18135550100";
/// Demo customers' phones of record.
const MARIA: &str = "+18135550142";
const JAMES: &str = "+14075550177";

struct Sms {
    app: Running,
    twilio: MockTwilio,
}

async fn start_sms(budget_ms: u64) -> Sms {
    start_sms_with(|c| c.sms.reply_budget_ms = budget_ms).await
}

/// The service with SMS through a fresh mock Twilio, and `tweak` applied to its settings.
async fn start_sms_with(tweak: impl FnOnce(&mut server::Config)) -> Sms {
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
    let api = twilio.url().to_string();
    let app = start(|c| {
        c.sms.account_sid = Some(ACCOUNT.into());
        c.sms.auth_token = Some(AUTH_TOKEN.to_string().into());
        c.sms.from_number = Some(OUR_NUMBER.into());
        c.sms.api_base_url = api;
        tweak(c);
    })
    .await;
    Sms { app, twilio }
}

impl Sms {
    fn phone(&self, from: &str) -> Phone {
        Phone {
            http: reqwest::Client::new(),
            account_sid: ACCOUNT.into(),
            auth_token: AUTH_TOKEN.into(),
            webhook: format!("{}/channels/twilio/sms", self.app.base),
            from: from.into(),
            to: OUR_NUMBER.into(),
        }
    }

    /// Texts `body` and returns what the phone received in answer (TwiML).
    async fn text(&self, from: &str, body: &str) -> String {
        let answer = self.phone(from).text(body, None).await.unwrap();
        assert_eq!(answer.status, 200, "{}", answer.twiml);
        answer.messages.join("\n")
    }

    async fn schedules(&self) -> Vec<Value> {
        self.app
            .writes()
            .await
            .into_iter()
            .filter(|w| w["kind"] == "schedule")
            .collect()
    }
}

#[tokio::test]
async fn a_booking_by_text_picks_by_number_and_is_corrected_before_the_yes() {
    let sms = start_sms(10_000).await;
    let times = sms
        .text(MARIA, "hi can u book my flooring install for next tuesday")
        .await;
    assert!(
        times.contains("2. 10:00 AM"),
        "a phone gets numbered choices: {times}"
    );
    let first = sms.text(MARIA, "2").await;
    assert!(
        first.contains("10:00 AM") && first.contains("reply yes or no"),
        "{first}"
    );
    let changed = sms.text(MARIA, "actually make it 1pm").await;
    assert!(changed.contains("1:00"), "{changed}");
    assert!(sms.schedules().await.is_empty(), "nothing before the yes");
    let done = sms.text(MARIA, "yes").await;
    let schedules = sms.schedules().await;
    assert_eq!(schedules.len(), 1, "{done}");
    assert!(
        done.contains("https://"),
        "the booking links the project page: {done}"
    );
    assert_eq!(schedules[0]["project_id"], "90000149");
    assert_eq!(schedules[0]["date"], "2025-11-11");
    assert_eq!(schedules[0]["time"], "13:00");
    // The transcript is the customer's SMS session, like the web's.
    let session = sms
        .app
        .app
        .store
        .latest_session("09PF05VD", "1645975", "sms")
        .await
        .unwrap()
        .unwrap();
    let messages = sms.app.app.store.messages(&session.id).await.unwrap();
    assert_eq!(messages.len(), 8);
    assert!(messages.iter().all(|m| m.channel == "sms"));
}

#[tokio::test]
async fn a_spanish_texter_is_answered_in_spanish_and_books() {
    let sms = start_sms(10_000).await;
    let first = sms
        .text(
            JAMES,
            "hola, quiero programar lo del baño para el proximo martes a las 10",
        )
        .await;
    assert!(
        first.contains("10:00") && first.contains("martes"),
        "{first}"
    );
    let changed = sms.text(JAMES, "mejor a la 1 de la tarde").await;
    assert!(changed.contains("1:00"), "{changed}");
    let done = sms.text(JAMES, "si").await;
    let schedules = sms.schedules().await;
    assert_eq!(schedules.len(), 1, "{done}");
    assert_eq!(
        (
            schedules[0]["project_id"].as_str(),
            schedules[0]["time"].as_str()
        ),
        (Some("90000160"), Some("13:00"))
    );
}

#[tokio::test]
async fn stop_silences_the_number_until_start_and_help_says_how_to_stop() {
    let sms = start_sms(10_000).await;
    let help = sms.text(MARIA, "HELP").await;
    assert!(
        help.contains("Brightside Home") && help.contains("STOP"),
        "{help}"
    );

    let stopped = sms.text(MARIA, "Stop").await;
    assert!(
        stopped.contains("unsubscribed") && stopped.contains("START"),
        "{stopped}"
    );
    for later in [
        "book my flooring for next tuesday at 10am",
        "sure",
        "HELP",
        "STOP",
    ] {
        assert_eq!(
            sms.text(MARIA, later).await,
            "",
            "{later} got an answer after STOP"
        );
    }
    assert!(sms.schedules().await.is_empty());
    assert!(sms.twilio.sent().is_empty());

    // START, UNSTOP or YES opts back in (only from an opted-out number is YES a keyword).
    let back = sms.text(MARIA, "yes").await;
    assert!(back.contains("subscribed again"), "{back}");
    let answered = sms.text(MARIA, "whats the status of my windows").await;
    assert!(!answered.is_empty());

    let ledger = sms.app.app.store.consent_events(MARIA).await.unwrap();
    let kinds: Vec<(&str, &str)> = ledger
        .iter()
        .map(|e| (e.0.as_str(), e.1.as_str()))
        .collect();
    assert_eq!(kinds, [("opt_out", "STOP"), ("opt_in", "YES")]);
}

#[tokio::test]
async fn a_lone_cancel_opts_out_and_cancels_nothing_but_cancel_in_a_sentence_is_a_request() {
    let sms = start_sms(10_000).await;
    let asked = sms.text(MARIA, "cancel my windows appointment").await;
    assert!(asked.to_lowercase().contains("cancel"), "{asked}");
    assert!(!asked.contains("unsubscribed"), "{asked}");
    // The summary waits for a yes; a bare CANCEL is the carrier's opt-out, not that yes.
    let out = sms.text(MARIA, "CANCEL").await;
    assert!(out.contains("unsubscribed"), "{out}");
    assert!(sms.app.writes().await.is_empty());
}

#[tokio::test]
async fn forged_and_replayed_webhooks_do_nothing() {
    let sms = start_sms(10_000).await;
    let phone = sms.phone(MARIA);
    let forged = phone
        .text_signed(
            "book my flooring next tuesday at 10am",
            "bm90IGEgc2lnbmF0dXJl",
        )
        .await
        .unwrap();
    assert_eq!(forged.status, 403);
    let unsigned = reqwest::Client::new()
        .post(&phone.webhook)
        .form(&[("MessageSid", "SM1"), ("From", MARIA), ("Body", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 403);
    // Signed for another URL (what a proxy in front would change): refused too.
    let mut elsewhere = sms.phone(MARIA);
    elsewhere.webhook = format!("{}/channels/twilio/sms?x=1", sms.app.base);
    assert_eq!(elsewhere.text("yes", None).await.unwrap().status, 403);
    assert!(
        sms.app
            .app
            .store
            .sms_messages(MARIA)
            .await
            .unwrap()
            .is_empty()
    );

    // A retried MessageSid gets the first answer and is not run again.
    let first = phone
        .text("book my flooring for next tuesday at 10am", None)
        .await
        .unwrap();
    let yes = phone.text("yes", None).await.unwrap();
    let again = phone.text("yes", Some(&yes.message_sid)).await.unwrap();
    assert_eq!(again.twiml, yes.twiml, "{}", first.twiml);
    assert_eq!(sms.schedules().await.len(), 1);

    let (_, metrics) = sms.app.get("/metrics", None).await;
    let metrics = metrics.as_str().unwrap_or_default().to_string();
    assert!(
        metrics.contains("sms_signature_failures_total 3"),
        "{metrics}"
    );
}

#[tokio::test]
async fn an_unknown_number_is_told_to_call_and_nothing_else() {
    let sms = start_sms(10_000).await;
    let answer = sms.text("+15005550006", "book my flooring tomorrow").await;
    assert!(
        answer.contains("couldn't find an account") && answer.contains(OUR_NUMBER),
        "{answer}"
    );
    assert!(sms.app.writes().await.is_empty());
}

#[tokio::test]
async fn a_slow_turn_is_answered_by_rest_and_its_delivery_recorded() {
    // A budget no turn can meet: the webhook answers at once, the reply follows by REST.
    let sms = start_sms(1).await;
    let answer = sms
        .phone(MARIA)
        .text("whats the status of my windows", None)
        .await
        .unwrap();
    assert!(answer.messages.is_empty(), "{}", answer.twiml);
    let mut delivered = None;
    for _ in 0..100 {
        let texts = sms.app.app.store.sms_messages(MARIA).await.unwrap();
        if let Some(out) = texts
            .iter()
            .find(|t| t.direction == "outbound" && t.status == "delivered")
        {
            delivered = Some(out.clone());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let delivered = delivered.expect("the reply was sent and its delivery reported");
    let sent = sms.twilio.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].to.as_str(), sent[0].from.as_str()),
        (MARIA, OUR_NUMBER)
    );
    assert_eq!(sent[0].body, delivered.body);
    assert!(
        delivered.body.to_lowercase().contains("window"),
        "{}",
        delivered.body
    );
}

#[tokio::test]
async fn an_operator_imports_the_directory_and_the_new_number_can_text() {
    let sms = start_sms_with(|c| c.admin_token = Some("admin-secret".to_string().into())).await;
    let post = |token: &'static str, csv: &'static str| {
        let http = sms.app.http.clone();
        let url = format!("{}/admin/customers", sms.app.base);
        async move {
            let response = http
                .post(url)
                .bearer_auth(token)
                .header("content-type", "text/csv")
                .body(csv)
                .send()
                .await
                .unwrap();
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap(),
            )
        }
    };
    const AISHA_NEW_PHONE: &str = "+15555550123";
    let good = "phone,client_id,customer_id,first_name,last_name,language\n\
                +15555550123,09PF05VD,3318820,Aisha,Patel,en\n";
    let (status, _) = post("wrong", good).await;
    assert_eq!(status, 401);
    let bad = "phone,client_id,customer_id,first_name,last_name,language\n\
               +15555550124,09PF05VD,3318820,Aisha,Patel,en\n\
               5555550125,09PF05VD,2231407,James,Carter,xx\n";
    let (status, body) = post("admin-secret", bad).await;
    assert_eq!(status, 422, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("line 3, phone") && message.contains("line 3, language"),
        "{message}"
    );
    assert!(
        sms.text("+15555550124", "hi")
            .await
            .contains("couldn't find"),
        "nothing of a refused file is imported"
    );

    let (status, body) = post("admin-secret", good).await;
    assert_eq!((status, body["imported"].as_u64()), (200, Some(1)));
    let answer = sms.text(AISHA_NEW_PHONE, "what projects do i have").await;
    assert!(answer.to_lowercase().contains("siding"), "{answer}");
}
