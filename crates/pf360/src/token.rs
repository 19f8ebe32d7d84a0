//! The customer's bearer token.
//!
//! It is passed through to PF360 unchanged and must never reach a log, a transcript, an error
//! message or a language model. The type makes that the default: it has no `Display`, its `Debug`
//! prints a placeholder, it is not `Serialize`, and the secret is wiped from memory on drop.

use secrecy::{ExposeSecret, SecretString};

/// A bearer token that cannot be printed by accident.
#[derive(Clone)]
pub struct Token(SecretString);

impl Token {
    pub fn new(raw: impl Into<String>) -> Self {
        Token(SecretString::from(raw.into()))
    }

    /// The raw token, for the one place that needs it: the `authorization` header.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let token = Token::new("very-secret-value");
        let printed = format!("{token:?} {:#?}", token);
        assert!(!printed.contains("very-secret-value"), "{printed}");
        assert_eq!(token.expose(), "very-secret-value");
    }
}
