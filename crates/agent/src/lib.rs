//! The conversation: understanding → commands → flows → actions → reply. Filled by the conversation-engine issue; empty until then, so that nothing pretends to work.
