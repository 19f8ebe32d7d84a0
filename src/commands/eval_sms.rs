//! `eval` for scenarios with `channel: sms`: the whole service on a random port (temporary
//! SQLite, the built-in mock PF360 serving the scenario's fixture, the clock pinned), a mock
//! Twilio, and the customer's phone of record texting the signed webhook. Each turn is checked
//! against what the phone received: the TwiML answer, or texts sent by the REST API.

use std::sync::Arc;
use std::time::{Duration, Instant};

use agent::scenario::{self, Scenario, ScenarioResult};
use agent::understand::Understander;
use pf360::FixedClock;
use pf360::mock::{Fixture, WriteRecord, demo, local_to_utc};
use twilio::mock::{MockTwilio, MockTwilioConfig, Phone};

const ACCOUNT: &str = "AC00000000000000000000000000000000";
const OUR_NUMBER: &str = "+18005550100";

pub async fn run(
    scenario: &Scenario,
    understander: &Understander,
) -> Result<ScenarioResult, String> {
    let usage_before = understander.usage();
    let mut served = match &scenario.fixtures {
        Some(path) => Fixture::load(path).map_err(|e| e.to_string())?,
        None => demo::demo_fixture(scenario.now.date()),
    };
    // Texts carry no customer login: the assistant acts with the client's service token,
    // which fixtures written for the web may not list.
    for client in &mut served.clients {
        if client.service_tokens.is_empty() {
            client
                .service_tokens
                .push(format!("svc-{}", store::new_id()));
        }
    }
    let (client, customer) = scenario::find_customer(&served, scenario.customer.as_deref())?;
    let phone_number = customer.phone.clone().ok_or_else(|| {
        format!(
            "channel sms: customer {} has no phone in the fixture",
            customer.customer_id
        )
    })?;
    let now = local_to_utc(client.timezone, scenario.now)?;
    let auth_token = store::new_id();
    let twilio = MockTwilio::start(
        MockTwilioConfig {
            account_sid: ACCOUNT.into(),
            auth_token: auth_token.clone(),
            undeliverable: Vec::new(),
        },
        "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
    )
    .await
    .map_err(|e| e.to_string())?;

    let dir = std::env::temp_dir().join(format!("sa-eval-sms-{}", store::new_id()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let base = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let fixture_file = dir.join("fixture.json");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(
        &fixture_file,
        serde_json::to_string(&served).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let mut config = server::Config {
        database_url: format!("sqlite://{}/eval.db", dir.display()),
        fixtures: Some(fixture_file),
        real_confirm: scenario.flags.real_confirm,
        real_cancel: scenario.flags.real_cancel,
        ..server::Config::default()
    };
    config.sms.account_sid = Some(ACCOUNT.into());
    config.sms.auth_token = Some(auth_token.clone().into());
    config.sms.from_number = Some(OUR_NUMBER.into());
    config.sms.api_base_url = twilio.url().to_string();
    config.sms.public_base_url = Some(base.clone());
    // Measuring texts as they would go with accents kept.
    if std::env::var("SMS_FOLD_ACCENTS").is_ok_and(|v| v == "false") {
        config.sms.fold_accents = false;
    }
    let app = server::App::build_with(
        config,
        Arc::new(FixedClock::new(now)),
        Some(understander.clone()),
    )
    .await
    .map_err(|e| e.to_string())?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server::serve(app.clone(), listener, async {
        let _ = stopped.await;
    }));

    let phone = Phone {
        http: reqwest::Client::new(),
        account_sid: ACCOUNT.into(),
        auth_token,
        webhook: format!("{base}/channels/twilio/sms"),
        from: phone_number.clone(),
        to: OUR_NUMBER.into(),
    };
    let mut reasons = Vec::new();
    let mut sizes = Vec::new();
    let mut transcript = Vec::new();
    let mut seen = 0;
    for (n, turn) in scenario.turns.iter().enumerate() {
        let answer = phone
            .text(&turn.user, None)
            .await
            .map_err(|e| e.to_string())?;
        if answer.status != 200 {
            reasons.push(format!(
                "turn {}: the webhook answered {}: {}",
                n + 1,
                answer.status,
                answer.twiml
            ));
            continue;
        }
        let mut received = answer.messages.clone();
        // A reply over the budget comes by the REST API.
        let deadline =
            Instant::now() + Duration::from_secs(if received.is_empty() { 2 } else { 0 });
        loop {
            let sent: Vec<String> = twilio
                .sent()
                .into_iter()
                .filter(|m| m.to == phone_number)
                .map(|m| m.body)
                .collect();
            if sent.len() > seen {
                received.extend(sent[seen..].iter().cloned());
                seen = sent.len();
                break;
            }
            if Instant::now() >= deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        sizes.extend(received.iter().map(|text| {
            let size = twilio::segments::count(text);
            (size.segments, size.encoding == twilio::Encoding::Ucs2)
        }));
        if let Some(expect) = &turn.expect {
            scenario::check_turn(
                n + 1,
                &turn.user,
                &received.join("\n"),
                expect,
                &mut reasons,
            );
        }
        transcript.push((turn.user.clone(), received.join("\n")));
    }
    let writes = mock_writes(&app).await?;
    scenario::check_writes(&writes, &scenario.expect, &mut reasons);
    let _ = stop.send(());
    let _ = serving.await;
    twilio.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
    let used = understander.usage() - usage_before;
    let mut result = ScenarioResult::finished(scenario, reasons, Vec::new(), used, understander);
    result.sms_replies = sizes;
    result.transcript = transcript;
    Ok(result)
}

async fn mock_writes(app: &server::App) -> Result<Vec<WriteRecord>, String> {
    let url = app
        .mock_url()
        .ok_or("no built-in mock")?
        .join("__mock/writes")
        .map_err(|e| e.to_string())?;
    reqwest::get(url)
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())
}
