//! Command generators: whatever turns a message into commands — rules, or a language model —
//! implements [`CommandGenerator`]. The flows only ever see the commands.

use async_trait::async_trait;
use chrono::NaiveDateTime;

use super::model::{ModelGenerator, ProviderError};
use super::requests::understand_in;
use super::rules::Understanding;
use crate::state::ConversationState;

#[async_trait]
pub trait CommandGenerator: Send + Sync {
    /// For logs and metrics: `rules`, `openai`, `anthropic`, `bedrock`.
    fn name(&self) -> &'static str;

    /// The commands one message carries, in the conversation's state; `now` is the client's
    /// local time.
    async fn generate(
        &self,
        text: &str,
        state: &ConversationState,
        now: NaiveDateTime,
    ) -> Result<Understanding, ProviderError>;
}

/// Rule-based understanding: no model, no network, never fails.
#[derive(Debug, Default, Clone, Copy)]
pub struct RulesGenerator;

#[async_trait]
impl CommandGenerator for RulesGenerator {
    fn name(&self) -> &'static str {
        "rules"
    }

    async fn generate(
        &self,
        text: &str,
        state: &ConversationState,
        now: NaiveDateTime,
    ) -> Result<Understanding, ProviderError> {
        Ok(understand_in(text, now, state.language))
    }
}

#[async_trait]
impl CommandGenerator for ModelGenerator {
    fn name(&self) -> &'static str {
        self.provider_name()
    }

    async fn generate(
        &self,
        text: &str,
        state: &ConversationState,
        now: NaiveDateTime,
    ) -> Result<Understanding, ProviderError> {
        let proposal = self.propose(text, state, now).await?;
        if proposal.dropped > 0 {
            tracing::info!(
                dropped = proposal.dropped,
                provider = self.provider_name(),
                "model commands failed validation"
            );
        }
        Ok(proposal.understanding)
    }
}
