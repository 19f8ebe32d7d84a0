//! The HTTP chat service (API, web page, auth, metrics). Filled by the chat-service issue; empty until then.
