//! Understanding: from a customer's message to typed commands.

pub mod datetime;
pub mod duckling;
pub mod lexicon;
pub mod tokens;
