//! Notes added through the assistant. PF360 has no endpoint to read notes back, so the ones
//! added here are kept here; the store implements [`NoteBook`] with a database.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub client_id: String,
    pub customer_id: String,
    pub project_id: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
#[error("notes are unavailable: {0}")]
pub struct NoteBookError(pub String);

#[async_trait::async_trait]
pub trait NoteBook: Send + Sync {
    async fn add(&self, note: Note) -> Result<(), NoteBookError>;
    /// One customer's notes, oldest first.
    async fn list(&self, client_id: &str, customer_id: &str) -> Result<Vec<Note>, NoteBookError>;
}

/// Notes kept in memory (the terminal chat and scenario runs).
#[derive(Debug, Default)]
pub struct MemoryNoteBook(Mutex<Vec<Note>>);

#[async_trait::async_trait]
impl NoteBook for MemoryNoteBook {
    async fn add(&self, note: Note) -> Result<(), NoteBookError> {
        self.0
            .lock()
            .map_err(|e| NoteBookError(e.to_string()))?
            .push(note);
        Ok(())
    }

    async fn list(&self, client_id: &str, customer_id: &str) -> Result<Vec<Note>, NoteBookError> {
        let notes = self.0.lock().map_err(|e| NoteBookError(e.to_string()))?;
        Ok(notes
            .iter()
            .filter(|n| n.client_id == client_id && n.customer_id == customer_id)
            .cloned()
            .collect())
    }
}
