//! The agent's `NoteBook`, kept in the store.

use agent::notes::{Note, NoteBook, NoteBookError};
use chrono::DateTime;
use store::{NoteRecord, Store};

pub struct StoreNoteBook(pub Store);

#[async_trait::async_trait]
impl NoteBook for StoreNoteBook {
    async fn add(&self, note: Note) -> Result<(), NoteBookError> {
        self.0
            .add_note(&NoteRecord {
                client_id: note.client_id,
                customer_id: note.customer_id,
                project_id: note.project_id,
                text: note.text,
                created_at: note.created_at.timestamp_millis(),
            })
            .await
            .map_err(|e| NoteBookError(e.to_string()))
    }

    async fn list(&self, client_id: &str, customer_id: &str) -> Result<Vec<Note>, NoteBookError> {
        let records = self
            .0
            .notes(client_id, customer_id)
            .await
            .map_err(|e| NoteBookError(e.to_string()))?;
        Ok(records
            .into_iter()
            .map(|r| Note {
                client_id: r.client_id,
                customer_id: r.customer_id,
                project_id: r.project_id,
                text: r.text,
                created_at: DateTime::from_timestamp_millis(r.created_at).unwrap_or_default(),
            })
            .collect())
    }
}
