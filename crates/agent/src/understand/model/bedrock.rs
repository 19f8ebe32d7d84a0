//! AWS Bedrock Converse through the official SDK: the tool goes in `toolConfig` as a `toolSpec`
//! with its `inputSchema`, forced with `toolChoice`; the reply's `toolUse` block's `input` is the
//! proposal. Credentials and region come from the standard AWS chain (environment, profile,
//! instance role); `LLM_BASE_URL` overrides the endpoint (tests, VPC endpoints).

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_bedrockruntime::Client;
use aws_sdk_bedrockruntime::error::SdkError;
use aws_sdk_bedrockruntime::operation::converse::ConverseError;
use aws_sdk_bedrockruntime::types::{
    ContentBlock, ConversationRole, InferenceConfiguration, Message, SpecificToolChoice,
    SystemContentBlock, Tool, ToolChoice, ToolConfiguration, ToolInputSchema, ToolSpecification,
};
use aws_smithy_types::{Document, Number};
use serde_json::Value;
use tokio::sync::OnceCell;

use super::{ModelReply, ModelRequest, Provider, ProviderError, TOOL_NAME};

pub struct Bedrock {
    model_id: String,
    endpoint: Option<String>,
    /// Built on first use: loading the AWS configuration is asynchronous.
    client: OnceCell<Client>,
}

impl Bedrock {
    pub fn new(model_id: &str, endpoint: Option<&str>) -> Self {
        Bedrock {
            model_id: model_id.to_string(),
            endpoint: endpoint.map(str::to_string),
            client: OnceCell::new(),
        }
    }

    /// With a client made elsewhere (tests with fixed credentials).
    pub fn with_client(model_id: &str, client: Client) -> Self {
        Bedrock {
            model_id: model_id.to_string(),
            endpoint: None,
            client: OnceCell::new_with(Some(client)),
        }
    }

    async fn client(&self) -> &Client {
        self.client
            .get_or_init(|| async {
                let region = aws_config::meta::region::RegionProviderChain::default_provider()
                    .or_else("us-east-1");
                let shared = aws_config::defaults(aws_config::BehaviorVersion::latest())
                    .region(region)
                    // Our generator retries throttling itself, within the turn's deadline.
                    .retry_config(aws_config::retry::RetryConfig::disabled())
                    .load()
                    .await;
                let mut config = aws_sdk_bedrockruntime::config::Builder::from(&shared);
                if let Some(url) = &self.endpoint {
                    config = config.endpoint_url(url);
                }
                Client::from_conf(config.build())
            })
            .await
    }
}

#[async_trait]
impl Provider for Bedrock {
    fn name(&self) -> &'static str {
        "bedrock"
    }

    async fn propose(&self, request: &ModelRequest) -> Result<ModelReply, ProviderError> {
        let build =
            |e: aws_sdk_bedrockruntime::error::BuildError| ProviderError::Malformed(e.to_string());
        let tool = ToolSpecification::builder()
            .name(TOOL_NAME)
            .description("Submit the commands the customer's message carries.")
            .input_schema(ToolInputSchema::Json(to_document(&request.schema)))
            .build()
            .map_err(build)?;
        let tool_config = ToolConfiguration::builder()
            .tools(Tool::ToolSpec(tool))
            .tool_choice(ToolChoice::Tool(
                SpecificToolChoice::builder()
                    .name(TOOL_NAME)
                    .build()
                    .map_err(build)?,
            ))
            .build()
            .map_err(build)?;
        let message = Message::builder()
            .role(ConversationRole::User)
            .content(ContentBlock::Text(request.user.clone()))
            .build()
            .map_err(build)?;
        let output = self
            .client()
            .await
            .converse()
            .model_id(&self.model_id)
            .system(SystemContentBlock::Text(request.system.to_string()))
            .messages(message)
            .tool_config(tool_config)
            .inference_config(
                InferenceConfiguration::builder()
                    .temperature(0.0)
                    .max_tokens(1024)
                    .build(),
            )
            .send()
            .await
            .map_err(sdk_error)?;
        let reply = output
            .output()
            .and_then(|o| o.as_message().ok())
            .ok_or_else(|| ProviderError::Malformed("no message in the output".into()))?;
        let tool_use = reply
            .content()
            .iter()
            .find_map(|block| block.as_tool_use().ok().filter(|t| t.name() == TOOL_NAME))
            .ok_or_else(|| {
                let said = reply
                    .content()
                    .iter()
                    .find_map(|b| b.as_text().ok())
                    .map_or("no toolUse block", String::as_str);
                ProviderError::Refused(said.chars().take(200).collect())
            })?;
        let usage = output.usage();
        Ok(ModelReply {
            arguments: from_document(tool_use.input()),
            input_tokens: usage.map_or(0, |u| u64::try_from(u.input_tokens()).unwrap_or(0)),
            output_tokens: usage.map_or(0, |u| u64::try_from(u.output_tokens()).unwrap_or(0)),
        })
    }
}

fn sdk_error<R: std::fmt::Debug>(error: SdkError<ConverseError, R>) -> ProviderError {
    match error {
        SdkError::TimeoutError(_) => ProviderError::Timeout,
        SdkError::DispatchFailure(e) => ProviderError::Network(format!("{e:?}")),
        SdkError::ServiceError(service) => match service.err() {
            ConverseError::ThrottlingException(_)
            | ConverseError::ServiceUnavailableException(_) => ProviderError::Throttled,
            other => ProviderError::Http {
                status: 0,
                message: format!(
                    "{}: {}",
                    other.meta().code().unwrap_or("error"),
                    other.meta().message().unwrap_or_default()
                ),
            },
        },
        other => ProviderError::Network(format!("{other:?}").chars().take(200).collect()),
    }
}

fn to_document(value: &Value) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Document::Number(Number::PosInt(u)),
            (None, Some(i)) => Document::Number(Number::NegInt(i)),
            _ => Document::Number(Number::Float(n.as_f64().unwrap_or(0.0))),
        },
        Value::String(s) => Document::String(s.clone()),
        Value::Array(items) => Document::Array(items.iter().map(to_document).collect()),
        Value::Object(map) => Document::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), to_document(v)))
                .collect::<HashMap<_, _>>(),
        ),
    }
}

fn from_document(document: &Document) -> Value {
    match document {
        Document::Null => Value::Null,
        Document::Bool(b) => Value::Bool(*b),
        Document::Number(Number::PosInt(u)) => Value::from(*u),
        Document::Number(Number::NegInt(i)) => Value::from(*i),
        Document::Number(Number::Float(f)) => {
            serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
        }
        Document::String(s) => Value::String(s.clone()),
        Document::Array(items) => Value::Array(items.iter().map(from_document).collect()),
        Document::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), from_document(v)))
                .collect(),
        ),
    }
}
