//! The whole scenario suite with a scripted model behind each provider. The fake provider's
//! "model" is the rules understanding: it reads the customer's message and today's date out of
//! the request the provider received, understands it with rules, and answers with a tool call
//! in that provider's wire format. Every scenario then travels the full model path — prompt,
//! wire format, tool call, validation, flows — and must still pass.

use std::process::Command;

use chrono::NaiveDate;
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BIN: &str = env!("CARGO_BIN_EXE_scheduling-agent");
const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");

/// The commands rules would give for the user turn of a provider request.
fn scripted_commands(user: &str) -> Value {
    let message = user
        .split("<message>\n")
        .nth(1)
        .and_then(|m| m.split("\n</message>").next())
        .unwrap_or_default();
    let today: NaiveDate = user
        .lines()
        .find_map(|l| l.strip_prefix("today: "))
        .and_then(|l| l.get(..10))
        .and_then(|d| d.parse().ok())
        .expect("the summary gives today's date");
    let state = user.split("<message>").next().unwrap_or_default();
    let listed = state
        .lines()
        .filter(|l| {
            l.trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
        .count();
    // Read in the language it is written in, else the conversation's, as the rules would.
    let language = if user.contains("conversation language: spanish") {
        agent::Language::Spanish
    } else {
        agent::Language::English
    };
    let understood =
        agent::understand::understand_in(message, today.and_hms_opt(12, 0, 0).unwrap(), language);
    let commands: Vec<Value> = understood
        .commands
        .iter()
        .map(|c| match c {
            // A bare number is a pick from the list on show.
            agent::understand::Command::Number { value } if (*value as usize) <= listed => {
                json!({"command": "choose", "pick": {"nth": value - 1}, "list": "any"})
            }
            // Otherwise an hour, as a model would say it ("10" with four times on show).
            agent::understand::Command::Number { value } if (1..=12).contains(value) => {
                let hour = if *value <= 7 { value + 12 } else { *value };
                json!({"command": "set_time", "time": format!("{hour:02}:00")})
            }
            other => serde_json::to_value(other).unwrap(),
        })
        .collect();
    json!(commands)
}

fn openai_answer(request: &Request) -> ResponseTemplate {
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    let commands = scripted_commands(body["messages"][1]["content"].as_str().unwrap());
    ResponseTemplate::new(200).set_body_json(json!({
        "choices": [{"message": {"role": "assistant", "tool_calls": [{"id": "c", "type": "function",
            "function": {"name": "submit_commands", "arguments": json!({"commands": commands}).to_string()}}]}}],
        "usage": {"prompt_tokens": 200, "completion_tokens": 20}
    }))
}

fn anthropic_answer(request: &Request) -> ResponseTemplate {
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    let commands = scripted_commands(body["messages"][0]["content"].as_str().unwrap());
    ResponseTemplate::new(200).set_body_json(json!({
        "content": [{"type": "tool_use", "id": "t", "name": "submit_commands", "input": {"commands": commands}}],
        "stop_reason": "tool_use",
        "usage": {"input_tokens": 200, "output_tokens": 20}
    }))
}

fn bedrock_answer(request: &Request) -> ResponseTemplate {
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    let commands = scripted_commands(body["messages"][0]["content"][0]["text"].as_str().unwrap());
    ResponseTemplate::new(200).set_body_json(json!({
        "output": {"message": {"role": "assistant", "content": [
            {"toolUse": {"toolUseId": "t", "name": "submit_commands", "input": {"commands": commands}}}]}},
        "stopReason": "tool_use",
        "usage": {"inputTokens": 200, "outputTokens": 20, "totalTokens": 220}
    }))
}

async fn suite_through(provider: &str, base_url: String) -> String {
    suite_in("llm", provider, base_url).await
}

/// The suite in `mode` (llm or hybrid) through `provider`; the eval's output.
async fn suite_in(mode: &str, provider: &str, base_url: String) -> String {
    let output = tokio::task::spawn_blocking({
        let provider = provider.to_string();
        let mode = mode.to_string();
        move || {
            Command::new(BIN)
                .args(["eval", "--understanding", &mode, SCENARIOS])
                .env("LLM_PROVIDER", provider)
                .env("LLM_BASE_URL", base_url)
                .env("LLM_CACHE_TTL_SECS", "0")
                .env("RUST_LOG", "warn")
                // The standard AWS chain, for the Bedrock provider.
                .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
                .env("AWS_SECRET_ACCESS_KEY", "secret-test")
                .env("AWS_REGION", "us-east-1")
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let failures: Vec<&str> = stdout.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert!(
        output.status.success() && failures.is_empty(),
        "{provider}:\n{}",
        failures.join("\n")
    );
    let closing = stdout.lines().last().unwrap_or_default();
    assert!(closing.ends_with(" passed, 0 failed"), "{closing}");
    let model_line = stdout
        .lines()
        .find(|l| l.starts_with("model: "))
        .unwrap_or_default();
    assert!(
        model_line.contains(", 0 failed"),
        "{provider}: the model path was not taken cleanly: {model_line}\n{}",
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter(|l| l.contains("model understanding failed"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    stdout.into_owned()
}

#[tokio::test]
async fn the_scenario_suite_passes_through_an_openai_compatible_model() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(openai_answer)
        .mount(&server)
        .await;
    suite_through("openai", format!("{}/v1", server.uri())).await;
}

#[tokio::test]
async fn the_scenario_suite_passes_through_an_anthropic_model() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(anthropic_answer)
        .mount(&server)
        .await;
    suite_through("anthropic", server.uri()).await;
}

#[tokio::test]
async fn the_scenario_suite_passes_through_bedrock_converse() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(bedrock_answer)
        .mount(&server)
        .await;
    suite_through("bedrock", server.uri()).await;
}

/// Hybrid mode asks the model only where the rules are unsure (nothing understood, or words no
/// rule read), at most once a turn: on the suite, most turns never reach it.
#[tokio::test]
async fn hybrid_mode_asks_the_model_on_few_turns() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(openai_answer)
        .mount(&server)
        .await;
    let stdout = suite_in("hybrid", "openai", format!("{}/v1", server.uri())).await;
    let turns_line = stdout
        .lines()
        .find(|l| l.starts_with("turns: "))
        .unwrap_or_default();
    println!("{turns_line}");
    let without: f64 = turns_line
        .split(", ")
        .nth(1)
        .and_then(|p| p.split('%').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or(0.0);
    assert!(without >= 70.0, "{turns_line}");
}
