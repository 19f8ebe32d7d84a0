//! Model understanding over AWS Bedrock Converse, through the official SDK, against a local fake
//! speaking the Converse wire format (the SDK signs with fixed test credentials).

mod common;

use std::sync::Arc;
use std::time::Duration;

use agent::notes::MemoryNoteBook;
use agent::understand::model::ModelGenerator;
use agent::understand::model::bedrock::Bedrock;
use agent::understand::{Mode, Source, Understander};
use agent::weather::FixtureForecaster;
use agent::{ConversationState, Engine};
use common::{maria, monday};
use pf360::mock::{MockConfig, MockServer};
use pf360::{ClientConfig, Environment, FixedClock, Pf360Client};
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, Request, ResponseTemplate};

const MODEL: &str = "anthropic.claude-sonnet-4-5-20250929-v1:0";

fn converse(commands: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "output": {"message": {"role": "assistant", "content": [
            {"toolUse": {"toolUseId": "tooluse_1", "name": "submit_commands", "input": {"commands": commands}}}
        ]}},
        "stopReason": "tool_use",
        "usage": {"inputTokens": 500, "outputTokens": 30, "totalTokens": 530},
        "metrics": {"latencyMs": 42}
    }))
}

fn client(endpoint: &str) -> aws_sdk_bedrockruntime::Client {
    let config = aws_sdk_bedrockruntime::config::Builder::new()
        .behavior_version(aws_sdk_bedrockruntime::config::BehaviorVersion::latest())
        .region(aws_sdk_bedrockruntime::config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "AKIDTEST",
            "secret-test",
            None,
            None,
            "test",
        ))
        .retry_config(aws_sdk_bedrockruntime::config::retry::RetryConfig::disabled())
        .endpoint_url(endpoint)
        .build();
    aws_sdk_bedrockruntime::Client::from_conf(config)
}

async fn setup(deadline: Duration) -> (MockServer, wiremock::MockServer, Engine, Understander) {
    let clock = Arc::new(FixedClock::new(monday()));
    let pf360 = MockServer::start(
        MockConfig::default(),
        clock.clone(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let aws = wiremock::MockServer::start().await;
    let provider = Bedrock::with_client(MODEL, client(&aws.uri()));
    let understander =
        Understander::with_model(Mode::Llm, ModelGenerator::new(Box::new(provider), deadline));
    let engine = Engine::new(
        Pf360Client::new(ClientConfig::new(pf360.url(), Environment::Dev), clock).unwrap(),
        Arc::new(MemoryNoteBook::default()),
        Arc::new(FixtureForecaster::default()),
    )
    .with_understander(understander.clone());
    (pf360, aws, engine, understander)
}

fn message_of(request: &Request) -> String {
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    let user = body["messages"][0]["content"][0]["text"]
        .as_str()
        .unwrap()
        .to_string();
    user.split("<message>\n")
        .nth(1)
        .unwrap()
        .split("\n</message>")
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_scripted_bedrock_model_books_an_appointment() {
    let (pf360, aws, engine, understander) = setup(Duration::from_secs(5)).await;
    Mock::given(method("POST"))
        .and(path_regex(r"^/model/.+/converse$"))
        .respond_with(|request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            assert_eq!(body["toolConfig"]["toolChoice"]["tool"]["name"], "submit_commands");
            assert!(body["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"]["json"]["properties"]["commands"].is_object());
            assert!(body["system"][0]["text"].as_str().unwrap().contains("submit_commands"));
            assert!(request.headers["authorization"].to_str().unwrap().starts_with("AWS4-HMAC-SHA256"));
            converse(match message_of(request).as_str() {
                "put my flooring in on the 11th at 10 please" => json!([
                    {"command": "start", "intent": "schedule"},
                    {"command": "set_project", "project": {"words": ["flooring"]}},
                    {"command": "set_date", "date": "2025-11-11"},
                    {"command": "set_time", "time": "10:00"}
                ]),
                _ => json!([{"command": "affirm"}]),
            })
        })
        .mount(&aws)
        .await;
    let first = engine
        .turn(
            ConversationState::default(),
            &maria(),
            "put my flooring in on the 11th at 10 please",
            monday(),
        )
        .await;
    assert_eq!(first.source, Source::Model);
    assert!(
        first.reply.text.contains("Just to confirm"),
        "{}",
        first.reply.text
    );
    let second = engine.turn(first.state, &maria(), "yes", monday()).await;
    assert!(
        second.reply.text.contains("all set"),
        "{}",
        second.reply.text
    );
    assert_eq!(pf360.writes().len(), 1);
    let usage = understander.usage();
    assert_eq!(
        (usage.calls, usage.input_tokens, usage.output_tokens),
        (2, 1000, 60)
    );
    let raw = String::from_utf8_lossy(&aws.received_requests().await.unwrap()[1].body).into_owned();
    assert!(
        !raw.contains("req_") && !raw.contains("demo-token"),
        "a secret was sent to the model"
    );
}

#[tokio::test]
async fn bedrock_throttling_errors_and_hangs_fall_back_to_rules() {
    let cases: Vec<(&str, ResponseTemplate, &str)> = vec![
        (
            "throttled",
            ResponseTemplate::new(429)
                .insert_header("x-amzn-ErrorType", "ThrottlingException")
                .set_body_json(
                    json!({"message": "Too many requests, please wait before trying again."}),
                ),
            "throttled",
        ),
        (
            "access denied",
            ResponseTemplate::new(403)
                .insert_header("x-amzn-ErrorType", "AccessDeniedException")
                .set_body_json(json!({"message": "You don't have access to the model"})),
            "http",
        ),
        (
            "hang",
            converse(json!([{"command": "affirm"}])).set_delay(Duration::from_secs(30)),
            "timeout",
        ),
    ];
    for (name, response, kind) in cases {
        let (_pf360, aws, engine, _) = setup(Duration::from_millis(600)).await;
        Mock::given(method("POST"))
            .respond_with(response)
            .mount(&aws)
            .await;
        let outcome = tokio::time::timeout(
            Duration::from_secs(10),
            engine.turn(
                ConversationState::default(),
                &maria(),
                "what are your hours?",
                monday(),
            ),
        )
        .await
        .unwrap_or_else(|_| panic!("{name}: the turn did not finish"));
        assert_eq!(outcome.source, Source::Fallback(kind), "{name}");
        assert!(
            outcome.reply.text.contains("Monday"),
            "{name}: {}",
            outcome.reply.text
        );
    }
}
