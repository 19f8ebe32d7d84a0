//! Scenario files (`../shared/docs/EVAL.md`): one scripted conversation run against the real
//! engine and the real mock PF360 over HTTP, with the clock pinned. It passes when every
//! per-turn expectation holds and the mock's writes are exactly the expected ones.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, NaiveDateTime, Utc};
use pf360::mock::fixture::{FixtureClient, FixtureCustomer};
use pf360::mock::{Fixture, MockConfig, MockServer, WriteKind, WriteRecord, demo, local_to_utc};
use pf360::{Caller, ClientConfig, Environment, FixedClock, Pf360Client, Token};
use serde::{Deserialize, Serialize};

use crate::flows::{Customer, Engine};
use crate::notes::MemoryNoteBook;
use crate::state::ConversationState;
use crate::understand::Understander;
use crate::weather::FixtureForecaster;

/// Unknown top-level keys are allowed (files written elsewhere must run unchanged); the
/// expectation blocks are strict, so a misspelt check cannot pass silently.
#[derive(Debug, Clone, Deserialize)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(with = "local_time")]
    pub now: NaiveDateTime,
    #[serde(default)]
    pub fixtures: Option<PathBuf>,
    #[serde(default, deserialize_with = "opt_id")]
    pub customer: Option<String>,
    #[serde(default)]
    pub flags: Flags,
    /// Where the conversation is held: `web` (the engine, directly) or `sms` (signed webhooks
    /// through the service, run by the host; EVAL.md, "Scenarios on other channels").
    #[serde(default)]
    pub channel: crate::Channel,
    pub turns: Vec<Turn>,
    #[serde(default)]
    pub expect: EndState,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flags {
    #[serde(default = "yes")]
    pub real_confirm: bool,
    #[serde(default = "yes")]
    pub real_cancel: bool,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            real_confirm: true,
            real_cancel: true,
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
pub struct Turn {
    pub user: String,
    #[serde(default)]
    pub expect: Option<TurnExpect>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnExpect {
    #[serde(default)]
    pub contains: Vec<String>,
    #[serde(default)]
    pub contains_any: Vec<String>,
    #[serde(default)]
    pub not_contains: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndState {
    #[serde(default)]
    pub bookings: Vec<ExpectedBooking>,
    #[serde(default)]
    pub cancellations: Vec<String>,
    #[serde(default)]
    pub notes: Vec<ExpectedNote>,
    #[serde(default)]
    pub other_writes: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedBooking {
    #[serde(deserialize_with = "id")]
    pub project_id: String,
    pub date: String,
    pub time: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedNote {
    #[serde(deserialize_with = "id")]
    pub project_id: String,
    pub contains: String,
}

/// How one scenario went.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    pub name: String,
    pub file: String,
    pub passed: bool,
    pub reasons: Vec<String>,
    pub turns: usize,
    pub actions: Vec<String>,
    pub model_calls: u64,
    pub model_failures: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub estimated_cost_usd: f64,
    pub wall_ms: u64,
    /// On SMS, each reply's size: (segments, whether it needed UCS-2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sms_replies: Vec<(usize, bool)>,
    /// The conversation as it went: each customer message and the reply it got.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transcript: Vec<(String, String)>,
}

impl ScenarioResult {
    /// A scenario that ran, with what it failed on (nothing: passed), the actions it called
    /// and the model calls it cost.
    pub fn finished(
        scenario: &Scenario,
        reasons: Vec<String>,
        actions: Vec<String>,
        used: crate::understand::model::Usage,
        understander: &Understander,
    ) -> Self {
        ScenarioResult {
            name: scenario.name.clone(),
            file: String::new(),
            passed: reasons.is_empty(),
            reasons,
            turns: scenario.turns.len(),
            actions,
            model_calls: used.calls,
            model_failures: used.failures,
            input_tokens: used.input_tokens,
            output_tokens: used.output_tokens,
            estimated_cost_usd: understander.cost(used),
            wall_ms: 0,
            sms_replies: Vec::new(),
            transcript: Vec::new(),
        }
    }

    /// A scenario that could not run.
    pub fn failure(name: &str, reason: String) -> Self {
        ScenarioResult {
            name: name.to_string(),
            file: String::new(),
            passed: false,
            reasons: vec![reason],
            turns: 0,
            actions: Vec::new(),
            model_calls: 0,
            model_failures: 0,
            input_tokens: 0,
            output_tokens: 0,
            estimated_cost_usd: 0.0,
            wall_ms: 0,
            sms_replies: Vec::new(),
            transcript: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{file}: cannot read: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

impl Scenario {
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            file: file.clone(),
            source,
        })?;
        let mut scenario: Scenario =
            serde_norway::from_str(&text).map_err(|e| ScenarioError::Invalid {
                file: file.clone(),
                message: e.to_string(),
            })?;
        if let Some(fixtures) = &scenario.fixtures {
            scenario.fixtures = Some(path.parent().unwrap_or(Path::new(".")).join(fixtures));
        }
        if scenario.turns.is_empty() {
            return Err(ScenarioError::Invalid {
                file,
                message: "turns: at least one turn is required".into(),
            });
        }
        Ok(scenario)
    }
}

/// Scenario files under the given paths (folders searched recursively), sorted.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ScenarioError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), ScenarioError> {
    let read = |e| ScenarioError::Read {
        file: dir.display().to_string(),
        source: e,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(read)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            files.push(path);
        }
    }
    Ok(())
}

/// Runs one scenario file; a file that cannot be loaded is a failed scenario.
pub async fn run_file(path: &Path, understander: &Understander) -> ScenarioResult {
    let started = Instant::now();
    let failed = |name: String, reason: String| ScenarioResult {
        file: path.display().to_string(),
        wall_ms: started.elapsed().as_millis() as u64,
        ..ScenarioResult::failure(&name, reason)
    };
    let scenario = match Scenario::load(path) {
        Ok(s) => s,
        Err(e) => return failed(path.display().to_string(), e.to_string()),
    };
    let mut result = match run(&scenario, understander).await {
        Ok(r) => r,
        Err(reason) => failed(scenario.name.clone(), reason),
    };
    result.file = path.display().to_string();
    result.wall_ms = started.elapsed().as_millis() as u64;
    result
}

/// Runs a loaded scenario, understanding messages with `understander`.
pub async fn run(
    scenario: &Scenario,
    understander: &Understander,
) -> Result<ScenarioResult, String> {
    if scenario.channel != crate::Channel::Web {
        return Err(format!(
            "channel {} runs through the service's webhooks (scheduling-agent eval)",
            scenario.channel.as_str()
        ));
    }
    let usage_before = understander.usage();
    let fixture = match &scenario.fixtures {
        Some(path) => Some(Fixture::load(path).map_err(|e| e.to_string())?),
        None => None,
    };
    // The demo data is computed from the scenario's day.
    let served = fixture
        .clone()
        .unwrap_or_else(|| demo::demo_fixture(scenario.now.date()));
    let (client, customer) = find_customer(&served, scenario.customer.as_deref())?;
    let now: DateTime<Utc> = local_to_utc(client.timezone, scenario.now)?;
    let clock = Arc::new(FixedClock::new(now));
    let mock = MockServer::start(
        MockConfig {
            fixture: Some(served.clone()),
            now: None,
            jwt_secret: None,
        },
        clock.clone(),
        "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
    )
    .await
    .map_err(|e| e.to_string())?;

    let mut config = ClientConfig::new(mock.url(), Environment::Dev);
    config.real_confirm = scenario.flags.real_confirm;
    config.real_cancel = scenario.flags.real_cancel;
    let client_api = Pf360Client::new(config, clock.clone()).map_err(|e| e.to_string())?;
    let engine = Engine::new(
        client_api,
        Arc::new(MemoryNoteBook::default()),
        Arc::new(FixtureForecaster::default()),
    )
    .with_understander(understander.clone());
    let who = customer_of(client, customer);

    let mut state = ConversationState::default();
    let mut reasons = Vec::new();
    let mut actions = Vec::new();
    let mut transcript = Vec::new();
    for (n, turn) in scenario.turns.iter().enumerate() {
        let outcome = engine.turn(state, &who, &turn.user, now).await;
        state = outcome.state;
        actions.extend(outcome.actions.iter().map(|a| a.name.to_string()));
        if let Some(expect) = &turn.expect {
            check_turn(n + 1, &turn.user, &outcome.reply.text, expect, &mut reasons);
        }
        transcript.push((turn.user.clone(), outcome.reply.text));
    }
    check_writes(&mock.writes(), &scenario.expect, &mut reasons);
    mock.stop().await;
    let used = understander.usage() - usage_before;
    let mut result = ScenarioResult::finished(scenario, reasons, actions, used, understander);
    result.transcript = transcript;
    Ok(result)
}

/// The fixture customer with this id, or the first one, with their client.
pub fn find_customer<'a>(
    fixture: &'a Fixture,
    customer_id: Option<&str>,
) -> Result<(&'a FixtureClient, &'a FixtureCustomer), String> {
    fixture
        .clients
        .iter()
        .flat_map(|c| c.customers.iter().map(move |k| (c, k)))
        .find(|(_, k)| customer_id.is_none_or(|id| k.customer_id == id))
        .ok_or_else(|| format!("customer {customer_id:?} is not in the fixtures"))
}

/// A fixture customer as the engine sees an authenticated one.
pub fn customer_of(client: &FixtureClient, customer: &FixtureCustomer) -> Customer {
    Customer {
        caller: Caller {
            client_id: client.client_id.clone(),
            client_name: client.client_name.clone(),
            customer_id: customer.customer_id.clone(),
            token: Token::new(customer.token.clone()),
        },
        timezone: client.timezone,
    }
}

/// Adds to `reasons` what turn `n`'s reply lacks or should not have.
pub fn check_turn(
    n: usize,
    user: &str,
    reply: &str,
    expect: &TurnExpect,
    reasons: &mut Vec<String>,
) {
    let text = reply.to_lowercase();
    let short: String = reply
        .chars()
        .take(160)
        .collect::<String>()
        .replace('\n', " ");
    for wanted in &expect.contains {
        if !text.contains(&wanted.to_lowercase()) {
            reasons.push(format!(
                "turn {n} ({user:?}): reply lacks {wanted:?}: {short:?}"
            ));
        }
    }
    if !expect.contains_any.is_empty()
        && !expect
            .contains_any
            .iter()
            .any(|w| text.contains(&w.to_lowercase()))
    {
        reasons.push(format!(
            "turn {n} ({user:?}): reply has none of {:?}: {short:?}",
            expect.contains_any
        ));
    }
    for unwanted in &expect.not_contains {
        if text.contains(&unwanted.to_lowercase()) {
            reasons.push(format!(
                "turn {n} ({user:?}): reply contains {unwanted:?}: {short:?}"
            ));
        }
    }
}

/// The mock's writes must be exactly the expected ones (any order), unless `other_writes`.
/// Adds to `reasons` every write expected and not made, and every write made and not expected.
pub fn check_writes(writes: &[WriteRecord], expect: &EndState, reasons: &mut Vec<String>) {
    let mut unmatched: Vec<&WriteRecord> = writes.iter().collect();
    let mut take = |pred: &dyn Fn(&WriteRecord) -> bool| -> bool {
        match unmatched.iter().position(|w| pred(w)) {
            Some(i) => {
                unmatched.remove(i);
                true
            }
            None => false,
        }
    };
    for b in &expect.bookings {
        let found = take(&|w| {
            w.kind == WriteKind::Schedule
                && w.project_id == b.project_id
                && w.date.as_deref() == Some(b.date.as_str())
                && w.time.as_deref() == Some(b.time.as_str())
        });
        if !found {
            reasons.push(format!(
                "expected booking {} on {} at {} was not made",
                b.project_id, b.date, b.time
            ));
        }
    }
    for id in &expect.cancellations {
        if !take(&|w| w.kind == WriteKind::Cancel && &w.project_id == id) {
            reasons.push(format!("expected cancellation of {id} was not made"));
        }
    }
    for n in &expect.notes {
        let needle = n.contains.to_lowercase();
        let found = take(&|w| {
            w.kind == WriteKind::Note
                && w.project_id == n.project_id
                && w.note_text
                    .as_deref()
                    .is_some_and(|t| t.to_lowercase().contains(&needle))
        });
        if !found {
            reasons.push(format!(
                "expected note on {} containing {:?} was not added",
                n.project_id, n.contains
            ));
        }
    }
    if !expect.other_writes {
        for w in unmatched {
            reasons.push(format!(
                "unexpected {:?} write for {}{}",
                w.kind,
                w.project_id,
                match (&w.date, &w.time) {
                    (Some(d), Some(t)) => format!(" on {d} at {t}"),
                    _ => String::new(),
                }
            ));
        }
    }
}

mod local_time {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<NaiveDateTime, D::Error> {
        let raw = String::deserialize(de)?;
        pf360::clock::parse_local(&raw).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "now: {raw:?} is not a local time like 2025-10-20T09:15:00"
            ))
        })
    }
}

fn id<'de, D: serde::Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    match serde_norway::Value::deserialize(de)? {
        serde_norway::Value::String(s) => Ok(s),
        serde_norway::Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected an id, found {other:?}"
        ))),
    }
}

fn opt_id<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    id(de).map(Some)
}
