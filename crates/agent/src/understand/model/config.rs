//! Choosing and configuring a provider: `LLM_PROVIDER` (`openai` | `anthropic` | `bedrock`),
//! `LLM_MODEL`, `LLM_BASE_URL`, `LLM_API_KEY`, `LLM_TIMEOUT_MS` (default 8000).

use std::time::Duration;

use secrecy::SecretString;

use super::ModelGenerator;
use super::anthropic::Anthropic;
use super::bedrock::Bedrock;
use super::openai::OpenAiCompatible;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    OpenAi,
    Anthropic,
    Bedrock,
}

#[derive(Debug, Clone)]
pub struct LlmConfig {
    pub provider: ProviderKind,
    pub model: String,
    pub base_url: String,
    pub api_key: Option<SecretString>,
    pub timeout: Duration,
    /// How long an understanding is remembered; zero turns the cache off.
    pub cache_ttl: Duration,
    /// US dollars per million input and output tokens.
    pub prices: (f64, f64),
}

/// List prices per million tokens (input, output) for the default models; others need
/// `LLM_PRICE_INPUT_PER_MTOK` and `LLM_PRICE_OUTPUT_PER_MTOK` for a cost estimate.
const PRICES: &[(&str, (f64, f64))] = &[
    ("gpt-4o-mini", (0.15, 0.60)),
    ("gpt-4o", (2.50, 10.00)),
    ("claude-sonnet-4-5", (3.00, 15.00)),
    ("claude-haiku-4-5", (1.00, 5.00)),
    ("anthropic.claude-sonnet-4-5-20250929-v1:0", (3.00, 15.00)),
];

#[derive(Debug, thiserror::Error)]
pub enum LlmConfigError {
    #[error("LLM_PROVIDER must be set (openai, anthropic or bedrock) to understand with a model")]
    Missing,
    #[error("{0}")]
    Invalid(String),
}

impl LlmConfig {
    /// From environment-style settings (`get` looks a name up).
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<LlmConfig, LlmConfigError> {
        let get = |name: &str| {
            get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let provider = match get("LLM_PROVIDER")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("openai") => ProviderKind::OpenAi,
            Some("anthropic") => ProviderKind::Anthropic,
            Some("bedrock") => ProviderKind::Bedrock,
            Some(other) => {
                return Err(LlmConfigError::Invalid(format!(
                    "LLM_PROVIDER {other:?} is not openai, anthropic or bedrock"
                )));
            }
            None => return Err(LlmConfigError::Missing),
        };
        let (base, model) = match provider {
            ProviderKind::OpenAi => ("https://api.openai.com/v1", "gpt-4o-mini"),
            ProviderKind::Anthropic => ("https://api.anthropic.com", "claude-sonnet-4-5"),
            ProviderKind::Bedrock => ("", "anthropic.claude-sonnet-4-5-20250929-v1:0"),
        };
        let timeout_ms = match get("LLM_TIMEOUT_MS") {
            Some(v) => v.parse::<u64>().map_err(|_| {
                LlmConfigError::Invalid(format!("LLM_TIMEOUT_MS {v:?} is not a number"))
            })?,
            None => 8000,
        };
        let number = |name: &str| -> Result<Option<f64>, LlmConfigError> {
            get(name)
                .map(|v| {
                    v.parse::<f64>().map_err(|_| {
                        LlmConfigError::Invalid(format!("{name} {v:?} is not a number"))
                    })
                })
                .transpose()
        };
        let model = get("LLM_MODEL").unwrap_or_else(|| model.to_string());
        let listed = PRICES
            .iter()
            .find(|(m, _)| *m == model)
            .map_or((0.0, 0.0), |(_, p)| *p);
        let prices = (
            number("LLM_PRICE_INPUT_PER_MTOK")?.unwrap_or(listed.0),
            number("LLM_PRICE_OUTPUT_PER_MTOK")?.unwrap_or(listed.1),
        );
        let cache_ttl =
            Duration::from_secs(number("LLM_CACHE_TTL_SECS")?.map_or(600, |s| s.max(0.0) as u64));
        Ok(LlmConfig {
            provider,
            model,
            base_url: get("LLM_BASE_URL").unwrap_or_else(|| base.to_string()),
            api_key: get("LLM_API_KEY").map(SecretString::from),
            timeout: Duration::from_millis(timeout_ms.max(1)),
            cache_ttl,
            prices,
        })
    }

    pub fn generator(&self) -> Result<ModelGenerator, LlmConfigError> {
        let invalid = |e: reqwest::Error| LlmConfigError::Invalid(e.to_string());
        let provider: Box<dyn super::Provider> = match self.provider {
            ProviderKind::OpenAi => Box::new(
                OpenAiCompatible::new(&self.base_url, self.api_key.clone(), &self.model)
                    .map_err(invalid)?,
            ),
            ProviderKind::Anthropic => Box::new(
                Anthropic::new(&self.base_url, self.api_key.clone(), &self.model)
                    .map_err(invalid)?,
            ),
            ProviderKind::Bedrock => Box::new(Bedrock::new(
                &self.model,
                Some(&self.base_url)
                    .filter(|u| !u.is_empty())
                    .map(String::as_str),
            )),
        };
        let generator =
            ModelGenerator::new(provider, self.timeout).with_prices(self.prices.0, self.prices.1);
        Ok(if self.cache_ttl.is_zero() {
            generator
        } else {
            generator.with_cache(self.cache_ttl, 10_000)
        })
    }
}
