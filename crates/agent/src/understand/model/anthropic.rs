//! Anthropic Messages: the tool is offered with its `input_schema` and forced with
//! `tool_choice`; the reply's `tool_use` block's `input` is the proposal.

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{ModelReply, ModelRequest, Provider, ProviderError, TOOL_NAME, send_json};

/// The API version the request shapes follow.
const ANTHROPIC_VERSION: &str = "2023-06-01";

pub struct Anthropic {
    http: reqwest::Client,
    /// e.g. `https://api.anthropic.com`.
    base_url: String,
    api_key: Option<SecretString>,
    model: String,
}

impl Anthropic {
    pub fn new(
        base_url: &str,
        api_key: Option<SecretString>,
        model: &str,
    ) -> Result<Self, reqwest::Error> {
        Ok(Anthropic {
            http: reqwest::Client::builder().build()?,
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key,
            model: model.to_string(),
        })
    }
}

#[async_trait]
impl Provider for Anthropic {
    fn name(&self) -> &'static str {
        "anthropic"
    }

    async fn propose(&self, request: &ModelRequest) -> Result<ModelReply, ProviderError> {
        let body = json!({
            "model": self.model,
            "max_tokens": 1024,
            "temperature": 0,
            "system": request.system,
            "messages": [{"role": "user", "content": request.user}],
            "tools": [{
                "name": TOOL_NAME,
                "description": "Submit the commands the customer's message carries.",
                "input_schema": request.schema
            }],
            "tool_choice": {"type": "tool", "name": TOOL_NAME}
        });
        let mut call = self
            .http
            .post(format!("{}/v1/messages", self.base_url))
            .header("anthropic-version", ANTHROPIC_VERSION)
            .json(&body);
        if let Some(key) = &self.api_key {
            call = call.header("x-api-key", key.expose_secret());
        }
        // 429 is rate limiting; 529 is Anthropic's "overloaded".
        let reply = send_json(call, &[429, 529]).await?;
        let blocks = reply["content"]
            .as_array()
            .ok_or_else(|| ProviderError::Malformed("no content".into()))?;
        let tool_use = blocks
            .iter()
            .find(|b| b["type"] == "tool_use" && b["name"] == TOOL_NAME)
            .ok_or_else(|| {
                let said = blocks
                    .iter()
                    .find_map(|b| b["text"].as_str())
                    .unwrap_or("no tool_use block");
                ProviderError::Refused(said.chars().take(200).collect())
            })?;
        if !tool_use["input"].is_object() {
            return Err(ProviderError::Malformed(
                "tool_use input is not an object".into(),
            ));
        }
        Ok(ModelReply {
            arguments: tool_use["input"].clone(),
            input_tokens: reply["usage"]["input_tokens"].as_u64().unwrap_or(0),
            output_tokens: reply["usage"]["output_tokens"].as_u64().unwrap_or(0),
        })
    }
}
