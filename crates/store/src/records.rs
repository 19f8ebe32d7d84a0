//! Records kept beside the sessions: transcripts, summaries, appointments, notes.

use sqlx::{Any, Row, Transaction};

use crate::{Store, StoreError, new_id};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MessageRecord {
    pub seq: i64,
    pub role: String,
    pub channel: String,
    pub text: String,
    /// JSON array.
    pub actions: String,
    pub latency_ms: Option<i64>,
    pub created_at: i64,
}

/// How a conversation ended up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub client_id: String,
    pub customer_id: String,
    /// `completed`, `abandoned` or `handed_off`.
    pub outcome: String,
    /// JSON array of action names.
    pub actions: String,
    pub appointment_made: bool,
    pub turns: i64,
}

/// One booking, reschedule or cancellation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    pub client_id: String,
    pub customer_id: String,
    pub project_id: String,
    /// `booked`, `rescheduled` or `cancelled`.
    pub kind: String,
    pub date: Option<String>,
    pub time: Option<String>,
    pub status: String,
    /// The code the customer was told; one is made on insert when none was.
    pub confirmation_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRecord {
    pub client_id: String,
    pub customer_id: String,
    pub project_id: String,
    pub text: String,
    pub created_at: i64,
}

pub(crate) async fn upsert_summary(
    tx: &mut Transaction<'_, Any>,
    session_id: &str,
    s: &Summary,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO conversation_summaries (session_id, client_id, customer_id, outcome, actions, appointment_made, turns, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (session_id) DO UPDATE SET outcome = excluded.outcome, actions = excluded.actions, \
         appointment_made = excluded.appointment_made, turns = excluded.turns, updated_at = excluded.updated_at",
    )
    .bind(session_id)
    .bind(&s.client_id)
    .bind(&s.customer_id)
    .bind(&s.outcome)
    .bind(&s.actions)
    .bind(s.appointment_made)
    .bind(s.turns)
    .bind(now)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn insert_appointment(
    tx: &mut Transaction<'_, Any>,
    session_id: Option<&str>,
    a: &Appointment,
    now: i64,
) -> Result<String, StoreError> {
    let code = a
        .confirmation_code
        .clone()
        .unwrap_or_else(new_confirmation_code);
    sqlx::query(
        "INSERT INTO appointments (id, confirmation_code, session_id, client_id, customer_id, project_id, kind, \
         appointment_date, appointment_time, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(new_id())
    .bind(&code)
    .bind(session_id)
    .bind(&a.client_id)
    .bind(&a.customer_id)
    .bind(&a.project_id)
    .bind(&a.kind)
    .bind(&a.date)
    .bind(&a.time)
    .bind(&a.status)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(code)
}

/// A short code a customer can read over the phone: 8 characters, no look-alikes.
pub fn new_confirmation_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..8)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

impl Store {
    /// Marks the project's latest booking as confirmed by the customer; false when there is
    /// none in effect.
    pub async fn confirm_appointment(
        &self,
        client_id: &str,
        project_id: &str,
    ) -> Result<bool, StoreError> {
        let updated = sqlx::query(
            "UPDATE appointments SET status = 'confirmed' WHERE id = (SELECT id FROM appointments \
             WHERE client_id = $1 AND project_id = $2 ORDER BY created_at DESC LIMIT 1) \
             AND status IN ('scheduled', 'confirmed')",
        )
        .bind(client_id)
        .bind(project_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(updated == 1)
    }

    /// A session's transcript, oldest first.
    pub async fn messages(&self, session_id: &str) -> Result<Vec<MessageRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, role, channel, text, actions, latency_ms, created_at FROM messages WHERE session_id = $1 ORDER BY seq",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| MessageRecord {
                seq: r.get(0),
                role: r.get(1),
                channel: r.get(2),
                text: r.get(3),
                actions: r.get(4),
                latency_ms: r.get(5),
                created_at: r.get(6),
            })
            .collect())
    }

    /// A customer's appointments (kind, project, date, time, confirmation code), newest first.
    pub async fn appointments(
        &self,
        client_id: &str,
        customer_id: &str,
    ) -> Result<Vec<(Appointment, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT project_id, kind, appointment_date, appointment_time, status, confirmation_code FROM appointments \
             WHERE client_id = $1 AND customer_id = $2 ORDER BY created_at DESC",
        )
        .bind(client_id)
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    Appointment {
                        client_id: client_id.to_string(),
                        customer_id: customer_id.to_string(),
                        project_id: r.get(0),
                        kind: r.get(1),
                        date: r.get(2),
                        time: r.get(3),
                        status: r.get(4),
                        confirmation_code: r.get(5),
                    },
                    r.get(5),
                )
            })
            .collect())
    }

    /// A session's summary: (outcome, appointment made, turns).
    pub async fn summary(
        &self,
        session_id: &str,
    ) -> Result<Option<(String, bool, i64)>, StoreError> {
        // The Any driver cannot decode SQLite's BOOLEAN; an integer reads the same on both.
        let row = sqlx::query(
            "SELECT outcome, CAST(appointment_made AS INTEGER), turns FROM conversation_summaries WHERE session_id = $1",
        )
            .bind(session_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| (r.get(0), r.get::<i64, _>(1) != 0, r.get(2))))
    }

    pub async fn add_note(&self, note: &NoteRecord) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO notes (id, client_id, customer_id, project_id, text, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(new_id())
            .bind(&note.client_id)
            .bind(&note.customer_id)
            .bind(&note.project_id)
            .bind(&note.text)
            .bind(note.created_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A customer's notes, oldest first.
    pub async fn notes(
        &self,
        client_id: &str,
        customer_id: &str,
    ) -> Result<Vec<NoteRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT project_id, text, created_at FROM notes WHERE client_id = $1 AND customer_id = $2 ORDER BY created_at, id",
        )
        .bind(client_id)
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| NoteRecord {
                client_id: client_id.to_string(),
                customer_id: customer_id.to_string(),
                project_id: r.get(0),
                text: r.get(1),
                created_at: r.get(2),
            })
            .collect())
    }
}
