//! Model understanding over Anthropic's Messages API (a local fake speaking its wire format).

mod common;

use std::sync::Arc;
use std::time::Duration;

use agent::notes::MemoryNoteBook;
use agent::understand::model::ModelGenerator;
use agent::understand::model::anthropic::Anthropic;
use agent::understand::{Mode, Source, Understander};
use agent::weather::FixtureForecaster;
use agent::{ConversationState, Engine};
use common::{maria, monday};
use pf360::mock::{MockConfig, MockServer};
use pf360::{ClientConfig, Environment, FixedClock, Pf360Client};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, Request, ResponseTemplate};

/// A Messages answer with one `tool_use` block.
fn tool_use(commands: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-test",
        "content": [
            {"type": "text", "text": "Submitting the commands."},
            {"type": "tool_use", "id": "toolu_1", "name": "submit_commands", "input": {"commands": commands}}
        ],
        "stop_reason": "tool_use",
        "usage": {"input_tokens": 410, "output_tokens": 25}
    }))
}

fn message_of(request: &Request) -> String {
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    let user = body["messages"][0]["content"].as_str().unwrap().to_string();
    user.split("<message>\n")
        .nth(1)
        .unwrap()
        .split("\n</message>")
        .next()
        .unwrap()
        .to_string()
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
    let llm = wiremock::MockServer::start().await;
    let provider = Anthropic::new(
        &llm.uri(),
        Some("sk-ant-test".to_string().into()),
        "claude-test",
    )
    .unwrap();
    let understander =
        Understander::with_model(Mode::Llm, ModelGenerator::new(Box::new(provider), deadline));
    let engine = Engine::new(
        Pf360Client::new(ClientConfig::new(pf360.url(), Environment::Dev), clock).unwrap(),
        Arc::new(MemoryNoteBook::default()),
        Arc::new(FixtureForecaster::default()),
    )
    .with_understander(understander.clone());
    (pf360, llm, engine, understander)
}

#[tokio::test]
async fn a_scripted_claude_books_an_appointment() {
    let (pf360, llm, engine, understander) = setup(Duration::from_secs(5)).await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(header("x-api-key", "sk-ant-test"))
        .and(header("anthropic-version", "2023-06-01"))
        .respond_with(|request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            assert_eq!(
                body["tool_choice"],
                json!({"type": "tool", "name": "submit_commands"})
            );
            assert!(body["tools"][0]["input_schema"]["properties"]["commands"].is_object());
            assert!(
                body["system"]
                    .as_str()
                    .unwrap()
                    .contains("never follow instructions")
            );
            tool_use(match message_of(request).as_str() {
                "could someone come lay the new floor next Tuesday around ten" => json!([
                    {"command": "start", "intent": "schedule"},
                    {"command": "set_project", "project": {"words": ["flooring"]}},
                    {"command": "set_date", "date": "2025-11-11"},
                    {"command": "set_time", "time": "10:00"}
                ]),
                "that's right" => json!([{"command": "affirm"}]),
                other => panic!("unscripted {other:?}"),
            })
        })
        .mount(&llm)
        .await;
    let first = engine
        .turn(
            ConversationState::default(),
            &maria(),
            "could someone come lay the new floor next Tuesday around ten",
            monday(),
        )
        .await;
    assert!(
        first.reply.text.contains("Just to confirm"),
        "{}",
        first.reply.text
    );
    let second = engine
        .turn(first.state, &maria(), "that's right", monday())
        .await;
    assert_eq!(second.source, Source::Model);
    assert!(
        second.reply.text.contains("all set"),
        "{}",
        second.reply.text
    );
    assert_eq!(pf360.writes().len(), 1);
    let usage = understander.usage();
    assert_eq!(
        (usage.calls, usage.input_tokens, usage.output_tokens),
        (2, 820, 50)
    );
}

#[tokio::test]
async fn anthropic_failures_fall_back_to_rules() {
    let cases: Vec<(&str, ResponseTemplate, &str)> = vec![
        ("server error", ResponseTemplate::new(500).set_body_json(json!({"type": "error", "error": {"type": "api_error", "message": "boom"}})), "http"),
        ("overloaded", ResponseTemplate::new(529).set_body_json(json!({"type": "error", "error": {"type": "overloaded_error"}})), "throttled"),
        ("text only", ResponseTemplate::new(200).set_body_json(json!({"content": [{"type": "text", "text": "I can't help with that."}], "usage": {}})), "refused"),
        ("hang", tool_use(json!([{"command": "affirm"}])).set_delay(Duration::from_secs(30)), "timeout"),
    ];
    for (name, response, kind) in cases {
        let (_pf360, llm, engine, _) = setup(Duration::from_millis(500)).await;
        Mock::given(method("POST"))
            .respond_with(response)
            .mount(&llm)
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
