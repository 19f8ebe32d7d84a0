//! The conversation: understanding → commands → flows → actions → reply.

pub mod understand;
