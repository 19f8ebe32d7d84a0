//! Recorded provider answers (tests/fixtures/llm), one per wire format, each served by a local
//! fake and read by the real provider code: all three must give the same commands.

mod common;

use std::time::Duration;

use agent::ConversationState;
use agent::understand::datetime::PartOfDay;
use agent::understand::model::anthropic::Anthropic;
use agent::understand::model::bedrock::Bedrock;
use agent::understand::model::openai::OpenAiCompatible;
use agent::understand::model::{ModelGenerator, Provider};
use agent::understand::{Command, CommandGenerator, Intent, ProjectRef};
use common::monday;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn recorded(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/llm")
            .join(name),
    )
    .unwrap()
}

async fn commands_from(provider: Box<dyn Provider>) -> Vec<Command> {
    let generator = ModelGenerator::new(provider, Duration::from_secs(5));
    let now = monday()
        .with_timezone(&chrono_tz::America::New_York)
        .naive_local();
    let understood = generator
        .generate(
            "can we move the windows to wednesday afternoon?",
            &ConversationState::default(),
            now,
        )
        .await
        .unwrap();
    assert_eq!(
        (
            generator.usage().input_tokens,
            generator.usage().output_tokens
        ),
        (1117, 46)
    );
    understood.commands
}

fn expected() -> Vec<Command> {
    vec![
        Command::Start {
            intent: Intent::Reschedule,
        },
        Command::SetProject {
            project: ProjectRef::Words(vec!["windows".into()]),
        },
        Command::SetDate {
            date: "2025-11-12".parse().unwrap(),
        },
        Command::SetPart {
            part: PartOfDay::Afternoon,
        },
    ]
}

async fn serving(body: String) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn each_providers_recorded_answer_gives_the_same_commands() {
    let openai = serving(recorded("openai-chat-completion-tool-call.json")).await;
    let provider =
        OpenAiCompatible::new(&format!("{}/v1", openai.uri()), None, "gpt-4o-mini").unwrap();
    assert_eq!(
        commands_from(Box::new(provider)).await,
        expected(),
        "openai"
    );

    let anthropic = serving(recorded("anthropic-messages-tool-use.json")).await;
    let provider = Anthropic::new(&anthropic.uri(), None, "claude-sonnet-4-5").unwrap();
    assert_eq!(
        commands_from(Box::new(provider)).await,
        expected(),
        "anthropic"
    );

    let bedrock = serving(recorded("bedrock-converse-tool-use.json")).await;
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
        .endpoint_url(bedrock.uri())
        .build();
    let provider = Bedrock::with_client(
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        aws_sdk_bedrockruntime::Client::from_conf(config),
    );
    assert_eq!(
        commands_from(Box::new(provider)).await,
        expected(),
        "bedrock"
    );
}
