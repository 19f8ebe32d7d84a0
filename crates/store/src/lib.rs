//! Sessions and records (SQLite by default, PostgreSQL). Filled by the chat-service issue; empty until then.
