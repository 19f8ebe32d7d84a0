//! Which understanding a turn uses: rules, a model, or both (hybrid), with rules as the
//! fallback whenever the model times out, fails, refuses or answers something unusable. The
//! customer never sees a provider error.

use std::sync::Arc;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::command::Command;
use super::generator::{CommandGenerator, RulesGenerator};
use super::model::config::{LlmConfig, LlmConfigError};
use super::model::{ModelGenerator, Usage};
use super::rules::Understanding;
use crate::state::ConversationState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Rules only: no model, no network.
    #[default]
    Rules,
    /// The model every turn (rules if it fails).
    Llm,
    /// Rules when they are sure; the model when they are not (nothing understood, or words
    /// of the message no rule read).
    Hybrid,
}

/// Who understood a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Rules,
    Model,
    /// The model was asked and failed (the kind of failure); rules answered.
    Fallback(&'static str),
}

#[derive(Clone, Default)]
pub struct Understander {
    mode: Mode,
    model: Option<Arc<ModelGenerator>>,
}

impl Understander {
    pub fn rules() -> Self {
        Understander::default()
    }

    /// A model-backed understanding; `Mode::Rules` ignores the model.
    pub fn with_model(mode: Mode, model: ModelGenerator) -> Self {
        Understander {
            mode,
            model: Some(Arc::new(model)),
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Rules, or a model chosen by `LLM_*` settings (`get` looks a name up).
    pub fn configured(
        mode: Mode,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, LlmConfigError> {
        if mode == Mode::Rules {
            return Ok(Understander::rules());
        }
        let config = LlmConfig::from_env(get)?;
        Ok(Understander::with_model(mode, config.generator()?))
    }

    /// The estimated cost of this much usage, in US dollars (zero without a model).
    pub fn cost(&self, usage: Usage) -> f64 {
        self.model.as_ref().map_or(0.0, |m| m.cost(usage))
    }

    /// The model's calls and tokens so far (zero without a model).
    pub fn usage(&self) -> Usage {
        self.model.as_ref().map(|m| m.usage()).unwrap_or_default()
    }

    pub async fn understand(
        &self,
        text: &str,
        state: &ConversationState,
        now: NaiveDateTime,
    ) -> (Understanding, Source) {
        let text = &super::normalise::normalise(text);
        // Rules cannot fail; their answer is also the fallback.
        let by_rules = RulesGenerator
            .generate(text, state, now)
            .await
            .unwrap_or_default();
        let model: &dyn CommandGenerator = match (&self.model, self.mode) {
            (Some(model), Mode::Llm) => model.as_ref(),
            (Some(model), Mode::Hybrid) if !confident(&by_rules) => model.as_ref(),
            _ => return (by_rules, Source::Rules),
        };
        match model.generate(text, state, now).await {
            Ok(mut understanding) => {
                // Dates and times for `nlu` come from the parser either way, and so does the
                // language the reply is written in.
                understanding.when = by_rules.when;
                understanding.language = by_rules.language;
                // The message's own words, for a project called by its name, are the message's
                // whoever read it (left empty when the rules saw several requests).
                understanding.words = by_rules.words;
                (understanding, Source::Model)
            }
            Err(error) => {
                tracing::warn!(provider = model.name(), error = %error, "model understanding failed; using rules");
                (by_rules, Source::Fallback(error.kind()))
            }
        }
    }
}

/// Words no rule read, from which on the rules are unsure of a message they otherwise
/// understood ("need the patio door put in wed the 20th at 11am, dont want them carrying a
/// glass door in a storm lol"): measured on the scenario suite, about one turn in twelve.
const UNSURE_AT: usize = 3;

/// Rules understood the message and left little of it unread.
fn confident(u: &Understanding) -> bool {
    !u.commands.is_empty() && !u.commands.contains(&Command::Unclear) && u.unaccounted < UNSURE_AT
}

impl std::str::FromStr for Mode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "rules" => Ok(Mode::Rules),
            "llm" => Ok(Mode::Llm),
            "hybrid" => Ok(Mode::Hybrid),
            other => Err(format!("{other:?} is not rules, llm or hybrid")),
        }
    }
}
