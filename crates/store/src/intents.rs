//! Write intents: what a turn is about to write to the scheduling system, recorded durably
//! before it is sent and settled after, so that a crash, a lost answer or a retry never leads
//! to a write made twice or a write forgotten.
//!
//! The store does not know what a write is; it keeps the kind and slot as text. One rule is
//! its own: while an intent is unfinished, no other intent for the same client, customer and
//! project can begin (a unique index on `open_project`), whatever session or process asks.

use sqlx::Row;

use crate::{Backend, Store, StoreError};

/// An intent as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentRecord {
    pub id: String,
    pub session_id: String,
    pub client_message_id: Option<String>,
    pub client_id: String,
    pub customer_id: String,
    pub project_id: String,
    pub kind: String,
    pub slot: Option<String>,
    /// `pending` (recorded, maybe sent), `unknown` (sent, no answer), `unseen` (PF360 said
    /// done, the dashboard does not show it yet), `done`, `failed`.
    pub status: String,
    /// Until then, the turn that began it may still be running.
    pub live_until: i64,
    pub created_at: i64,
}

/// Statuses that hold the project: the write may still happen.
const OPEN: [&str; 3] = ["pending", "unknown", "unseen"];

/// [`OPEN`] as an SQL list, for the queries (a macro: they are built with `concat!`).
macro_rules! open_statuses {
    () => {
        "('pending', 'unknown', 'unseen')"
    };
}

impl IntentRecord {
    pub fn is_open(&self) -> bool {
        OPEN.contains(&self.status.as_str())
    }

    fn open_key(&self) -> String {
        format!(
            "{}/{}/{}",
            self.client_id, self.customer_id, self.project_id
        )
    }
}

/// The columns `from_row` reads, in its order (a macro: sqlx takes only literal SQL).
macro_rules! columns {
    () => {
        "id, session_id, client_message_id, client_id, customer_id, project_id, kind, slot, \
         status, live_until, created_at"
    };
}

fn from_row(r: &sqlx::any::AnyRow) -> IntentRecord {
    IntentRecord {
        id: r.get(0),
        session_id: r.get(1),
        client_message_id: r.get(2),
        client_id: r.get(3),
        customer_id: r.get(4),
        project_id: r.get(5),
        kind: r.get(6),
        slot: r.get(7),
        status: r.get(8),
        live_until: r.get(9),
        created_at: r.get(10),
    }
}

impl Store {
    /// Records an intent as `pending`, durably (on SQLite the commit is synced to disk even
    /// when ordinary commits are not). Returns the unfinished intent that holds the project
    /// instead, when there is one.
    pub async fn begin_intent(
        &self,
        intent: &IntentRecord,
    ) -> Result<Option<IntentRecord>, StoreError> {
        let now = self.now();
        let mut conn = self.pool.acquire().await?;
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA synchronous = FULL")
                .execute(&mut *conn)
                .await?;
        }
        let result = self.insert_intent(&mut conn, intent, now).await;
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA synchronous = NORMAL")
                .execute(&mut *conn)
                .await?;
        }
        result
    }

    /// The insert, or the holder that stops it. A holder settled between our insert and our
    /// read frees the project, so the insert is tried once more.
    async fn insert_intent(
        &self,
        conn: &mut sqlx::AnyConnection,
        intent: &IntentRecord,
        now: i64,
    ) -> Result<Option<IntentRecord>, StoreError> {
        for _ in 0..2 {
            let inserted = sqlx::query(
                "INSERT INTO write_intents (id, session_id, client_message_id, client_id, customer_id, \
                 project_id, kind, slot, status, open_project, live_until, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11, $11) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(&intent.id)
            .bind(&intent.session_id)
            .bind(&intent.client_message_id)
            .bind(&intent.client_id)
            .bind(&intent.customer_id)
            .bind(&intent.project_id)
            .bind(&intent.kind)
            .bind(&intent.slot)
            .bind(intent.open_key())
            .bind(intent.live_until)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            if inserted.rows_affected() == 1 {
                return Ok(None);
            }
            let holder = sqlx::query(concat!(
                "SELECT ",
                columns!(),
                " FROM write_intents WHERE open_project = $1"
            ))
            .bind(intent.open_key())
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(holder) = holder {
                return Ok(Some(from_row(&holder)));
            }
        }
        // Held and freed twice within a moment: busy enough to ask the customer to retry.
        Err(StoreError::Busy)
    }

    /// Settles an unfinished intent: `done` or `failed` free the project; `unknown` and
    /// `unseen` keep it held. A settled intent stays as it is (a slow turn's late settle
    /// cannot reopen or overturn what another turn established).
    pub async fn settle_intent(&self, id: &str, status: &str) -> Result<(), StoreError> {
        let open = OPEN.contains(&status);
        sqlx::query(concat!(
            "UPDATE write_intents SET status = $1, updated_at = $2, \
             open_project = CASE WHEN $3 = 1 THEN open_project ELSE NULL END \
             WHERE id = $4 AND status IN ",
            open_statuses!()
        ))
        .bind(status)
        .bind(self.now())
        .bind(i32::from(open))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A customer's unfinished intents, oldest first.
    pub async fn open_intents(
        &self,
        client_id: &str,
        customer_id: &str,
    ) -> Result<Vec<IntentRecord>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM write_intents WHERE client_id = $1 AND customer_id = $2 \
             AND status IN ",
            open_statuses!(),
            " ORDER BY created_at"
        ))
        .bind(client_id)
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(from_row).collect())
    }

    /// The intents one client message made, oldest first.
    pub async fn message_intents(
        &self,
        session_id: &str,
        client_message_id: &str,
    ) -> Result<Vec<IntentRecord>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM write_intents WHERE session_id = $1 AND client_message_id = $2 ORDER BY created_at"
        ))
        .bind(session_id)
        .bind(client_message_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(from_row).collect())
    }

    /// Every intent of a session, oldest first (for tests and audits).
    pub async fn session_intents(&self, session_id: &str) -> Result<Vec<IntentRecord>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM write_intents WHERE session_id = $1 ORDER BY created_at"
        ))
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(from_row).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::OPEN;

    #[test]
    fn the_sql_list_of_open_statuses_is_the_rust_one() {
        let quoted: Vec<String> = OPEN.iter().map(|s| format!("'{s}'")).collect();
        assert_eq!(open_statuses!(), format!("({})", quoted.join(", ")));
    }
}
