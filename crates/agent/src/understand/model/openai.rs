//! OpenAI-compatible chat completions (OpenAI, vLLM, Ollama, llama.cpp …): the tool is offered
//! as a function and forced with `tool_choice`; the reply's `tool_calls[0].function.arguments`
//! is the proposal.

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use super::{ModelReply, ModelRequest, Provider, ProviderError, TOOL_NAME, send_json};

pub struct OpenAiCompatible {
    http: reqwest::Client,
    /// e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`.
    base_url: String,
    api_key: Option<SecretString>,
    model: String,
}

impl OpenAiCompatible {
    pub fn new(
        base_url: &str,
        api_key: Option<SecretString>,
        model: &str,
    ) -> Result<Self, reqwest::Error> {
        Ok(OpenAiCompatible {
            http: reqwest::Client::builder().build()?,
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key,
            model: model.to_string(),
        })
    }
}

#[async_trait]
impl Provider for OpenAiCompatible {
    fn name(&self) -> &'static str {
        "openai"
    }

    async fn propose(&self, request: &ModelRequest) -> Result<ModelReply, ProviderError> {
        let body = json!({
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": request.system},
                {"role": "user", "content": request.user}
            ],
            "tools": [{"type": "function", "function": {
                "name": TOOL_NAME,
                "description": "Submit the commands the customer's message carries.",
                "parameters": request.schema
            }}],
            "tool_choice": {"type": "function", "function": {"name": TOOL_NAME}}
        });
        let mut call = self
            .http
            .post(format!("{}/chat/completions", self.base_url))
            .json(&body);
        if let Some(key) = &self.api_key {
            call = call.bearer_auth(key.expose_secret());
        }
        let reply = send_json(call, &[429]).await?;
        let message = &reply["choices"][0]["message"];
        let call = message["tool_calls"]
            .as_array()
            .and_then(|calls| calls.iter().find(|c| c["function"]["name"] == TOOL_NAME))
            .ok_or_else(|| {
                ProviderError::Refused(
                    message["content"]
                        .as_str()
                        .unwrap_or("no tool call")
                        .chars()
                        .take(200)
                        .collect(),
                )
            })?;
        let arguments = call["function"]["arguments"]
            .as_str()
            .ok_or_else(|| ProviderError::Malformed("arguments are not a string".into()))?;
        let arguments: Value =
            serde_json::from_str(arguments).map_err(|e| ProviderError::Malformed(e.to_string()))?;
        Ok(ModelReply {
            arguments,
            input_tokens: reply["usage"]["prompt_tokens"].as_u64().unwrap_or(0),
            output_tokens: reply["usage"]["completion_tokens"].as_u64().unwrap_or(0),
        })
    }
}
