//! Appointment reminders, sent at most once whatever crashes, restarts or replicas happen.
//!
//! A reminder moves `scheduled` → `claimed` (a lease: other workers skip it; an expired claim
//! is claimed again, nothing having been sent) → `sending` (the intent, recorded before
//! Twilio is called) → `sent` with the message SID. A `sending` row whose lease expired may or
//! may not have gone out; it becomes `unknown` and is never sent again. Claims use
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer at a time, so its conditional
//! update is already exclusive.

use sqlx::Row;

use crate::{Backend, Store, StoreError, new_id};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderRecord {
    pub id: String,
    pub client_id: String,
    pub customer_id: String,
    pub project_id: String,
    /// "24h", "2h": which offset it is.
    pub kind: String,
    /// UTC milliseconds.
    pub appointment_at: i64,
    /// `YYYY-MM-DD HH:MM` in `timezone`.
    pub appointment_local: String,
    pub timezone: String,
    pub due_at: i64,
    pub status: String,
    pub reason: Option<String>,
    pub attempts: i64,
    pub message_sid: Option<String>,
}

/// The appointment a set of reminders is for.
#[derive(Debug, Clone)]
pub struct ReminderPlan<'a> {
    pub client_id: &'a str,
    pub customer_id: &'a str,
    pub project_id: &'a str,
    pub appointment_at: i64,
    pub appointment_local: &'a str,
    pub timezone: &'a str,
    /// (kind, due at): one reminder each.
    pub due: Vec<(String, i64)>,
}

/// A reminder row's columns, in [`record`]'s order (sqlx takes only static SQL).
macro_rules! columns {
    () => {
        "id, client_id, customer_id, project_id, kind, appointment_at, appointment_local, timezone, \
         due_at, status, reason, attempts, message_sid"
    };
}

fn record(r: &sqlx::any::AnyRow) -> ReminderRecord {
    ReminderRecord {
        id: r.get(0),
        client_id: r.get(1),
        customer_id: r.get(2),
        project_id: r.get(3),
        kind: r.get(4),
        appointment_at: r.get(5),
        appointment_local: r.get(6),
        timezone: r.get(7),
        due_at: r.get(8),
        status: r.get(9),
        reason: r.get(10),
        attempts: r.get(11),
        message_sid: r.get(12),
    }
}

impl Store {
    /// Replaces the project's open reminders with `plan`'s (a booking or a move); those due
    /// already are recorded as skipped. Returns how many were scheduled.
    pub async fn schedule_reminders(&self, plan: &ReminderPlan<'_>) -> Result<usize, StoreError> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        void_open(&mut tx, plan.client_id, plan.project_id, "replaced", now).await?;
        let mut scheduled = 0;
        for (kind, due_at) in &plan.due {
            let (status, reason) = if *due_at <= now {
                ("skipped", Some("too_late"))
            } else {
                scheduled += 1;
                ("scheduled", None)
            };
            sqlx::query(
                "INSERT INTO reminders (id, client_id, customer_id, project_id, kind, appointment_at, \
                 appointment_local, timezone, due_at, status, reason, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
            )
            .bind(new_id())
            .bind(plan.client_id)
            .bind(plan.customer_id)
            .bind(plan.project_id)
            .bind(kind)
            .bind(plan.appointment_at)
            .bind(plan.appointment_local)
            .bind(plan.timezone)
            .bind(due_at)
            .bind(status)
            .bind(reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(scheduled)
    }

    /// Voids the project's reminders not yet sent (a cancellation). Returns how many.
    pub async fn void_reminders(
        &self,
        client_id: &str,
        project_id: &str,
        reason: &str,
    ) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let voided = void_open(&mut tx, client_id, project_id, reason, self.now()).await?;
        tx.commit().await?;
        Ok(voided)
    }

    /// Claims up to `limit` reminders due at `now` (and claims whose lease expired) for
    /// `owner`, for `lease_ms`.
    pub async fn claim_due_reminders(
        &self,
        owner: &str,
        now: i64,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<ReminderRecord>, StoreError> {
        let query = match self.backend {
            Backend::Postgres => concat!(
                "UPDATE reminders SET status = 'claimed', lease_owner = $1, lease_until = $2, \
                 attempts = attempts + 1, updated_at = $3 WHERE id IN (SELECT id FROM reminders \
                 WHERE (status = 'scheduled' AND due_at <= $3) OR (status = 'claimed' AND lease_until < $3) \
                 ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING ",
                columns!()
            ),
            Backend::Sqlite => concat!(
                "UPDATE reminders SET status = 'claimed', lease_owner = $1, lease_until = $2, \
                 attempts = attempts + 1, updated_at = $3 WHERE id IN (SELECT id FROM reminders \
                 WHERE (status = 'scheduled' AND due_at <= $3) OR (status = 'claimed' AND lease_until < $3) \
                 ORDER BY due_at LIMIT $4) RETURNING ",
                columns!()
            ),
        };
        let rows = sqlx::query(query)
            .bind(owner)
            .bind(now + lease_ms)
            .bind(now)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(record).collect())
    }

    /// Records the intent to send, if `owner` still holds the claim. Only after this is Twilio
    /// called; a crash from here on never leads to a second text.
    pub async fn mark_reminder_sending(&self, id: &str, owner: &str) -> Result<bool, StoreError> {
        let now = self.now();
        let updated = sqlx::query(
            "UPDATE reminders SET status = 'sending', updated_at = $3 \
             WHERE id = $1 AND status = 'claimed' AND lease_owner = $2 AND lease_until >= $3",
        )
        .bind(id)
        .bind(owner)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(updated == 1)
    }

    /// Settles a claimed or sending reminder: `sent` (with its SID), `void`, `skipped`,
    /// `failed` or `unknown`, with why.
    pub async fn finish_reminder(
        &self,
        id: &str,
        owner: &str,
        status: &str,
        message_sid: Option<&str>,
        reason: Option<&str>,
    ) -> Result<bool, StoreError> {
        let updated = sqlx::query(
            "UPDATE reminders SET status = $3, message_sid = $4, reason = $5, lease_owner = NULL, \
             lease_until = NULL, updated_at = $6 \
             WHERE id = $1 AND lease_owner = $2 AND status IN ('claimed', 'sending')",
        )
        .bind(id)
        .bind(owner)
        .bind(status)
        .bind(message_sid)
        .bind(reason)
        .bind(self.now())
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(updated == 1)
    }

    /// Puts a claimed reminder back, due at `due_at` (quiet hours; PF360 unavailable).
    pub async fn postpone_reminder(
        &self,
        id: &str,
        owner: &str,
        due_at: i64,
    ) -> Result<bool, StoreError> {
        self.back_to_scheduled(id, owner, due_at, "claimed").await
    }

    /// Puts back a reminder Twilio provably never accepted (it could not be reached).
    pub async fn retry_reminder(
        &self,
        id: &str,
        owner: &str,
        due_at: i64,
    ) -> Result<bool, StoreError> {
        self.back_to_scheduled(id, owner, due_at, "sending").await
    }

    async fn back_to_scheduled(
        &self,
        id: &str,
        owner: &str,
        due_at: i64,
        from: &str,
    ) -> Result<bool, StoreError> {
        let updated = sqlx::query(
            "UPDATE reminders SET status = 'scheduled', due_at = $3, lease_owner = NULL, \
             lease_until = NULL, updated_at = $4 \
             WHERE id = $1 AND lease_owner = $2 AND status = $5",
        )
        .bind(id)
        .bind(owner)
        .bind(due_at)
        .bind(self.now())
        .bind(from)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(updated == 1)
    }

    /// Sends interrupted by a crash (lease expired in `sending`) become `unknown`: they may
    /// have gone out, so they are never sent again. Returns how many.
    pub async fn settle_interrupted_sends(&self, now: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "UPDATE reminders SET status = 'unknown', reason = 'interrupted_while_sending', \
             lease_owner = NULL, lease_until = NULL, updated_at = $1 \
             WHERE status = 'sending' AND lease_until < $1",
        )
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// A project's reminders, oldest first.
    pub async fn project_reminders(
        &self,
        client_id: &str,
        project_id: &str,
    ) -> Result<Vec<ReminderRecord>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM reminders WHERE client_id = $1 AND project_id = $2 ORDER BY created_at, due_at"
        ))
        .bind(client_id)
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(record).collect())
    }

    /// The customer's reminder sent most recently since `since` (a "C" or "R" answers it).
    pub async fn last_sent_reminder(
        &self,
        client_id: &str,
        customer_id: &str,
        since: i64,
    ) -> Result<Option<ReminderRecord>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM reminders WHERE client_id = $1 AND customer_id = $2 AND status = 'sent' \
             AND updated_at >= $3 ORDER BY updated_at DESC LIMIT 1"
        ))
        .bind(client_id)
        .bind(customer_id)
        .bind(since)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(record))
    }

    /// Reminders due and not yet settled, for the backlog alarm.
    pub async fn reminder_backlog(&self, now: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "SELECT COUNT(*) FROM reminders WHERE status IN ('scheduled', 'claimed') AND due_at <= $1",
        )
        .bind(now)
        .fetch_one(&self.pool)
        .await?
        .get::<i64, _>(0))
    }
}

async fn void_open(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    client_id: &str,
    project_id: &str,
    reason: &str,
    now: i64,
) -> Result<u64, StoreError> {
    // A reminder being sent right now is left to finish: it was true when it was checked.
    Ok(sqlx::query(
        "UPDATE reminders SET status = 'void', reason = $3, lease_owner = NULL, lease_until = NULL, \
         updated_at = $4 WHERE client_id = $1 AND project_id = $2 AND status IN ('scheduled', 'claimed')",
    )
    .bind(client_id)
    .bind(project_id)
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}
