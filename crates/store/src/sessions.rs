//! Sessions: the conversation state between turns, its version, its expiry, and the lease
//! that serialises turns on one session across processes.
//!
//! A turn takes the lease (a conditional UPDATE that only one caller can win), reads the
//! state, runs, and writes the new state, its messages and its idempotency record in one
//! transaction that also releases the lease. A second turn arriving meanwhile waits for the
//! lease, then runs on the new state: nothing is lost and nothing runs twice.

use std::time::{Duration, Instant};

use sqlx::Row;

use crate::{Store, StoreError, new_id};

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: String,
    pub client_id: String,
    pub customer_id: String,
    pub channel: String,
    /// The conversation state, as JSON.
    pub state: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: i64,
}

/// The right to run one turn on a session.
#[derive(Debug, Clone)]
pub struct Lease {
    pub session_id: String,
    owner: String,
}

/// Everything one turn writes.
#[derive(Debug, Clone, Default)]
pub struct TurnWrite {
    pub state: String,
    pub ttl_ms: i64,
    pub channel: String,
    pub customer_text: String,
    pub assistant_text: String,
    /// JSON array of the actions taken.
    pub actions: String,
    pub latency_ms: i64,
    /// With the answer (JSON) to return if the same client message id comes again.
    pub client_message: Option<(String, String)>,
    pub summary: Option<crate::Summary>,
    pub appointments: Vec<crate::Appointment>,
}

/// How long leases last and how long a turn waits for one.
///
/// A live turn renews its lease (every third of `ttl`), so `ttl` only bounds how long a
/// session stays locked after its holder died; `wait` should cover the longest turn the
/// configured timeouts allow, so a second message waits rather than failing.
#[derive(Debug, Clone, Copy)]
pub struct LeasePolicy {
    pub ttl: Duration,
    pub wait: Duration,
}

impl Default for LeasePolicy {
    fn default() -> Self {
        LeasePolicy {
            ttl: Duration::from_secs(30),
            wait: Duration::from_secs(20),
        }
    }
}

impl LeasePolicy {
    fn ttl_ms(&self) -> i64 {
        i64::try_from(self.ttl.as_millis()).unwrap_or(i64::MAX)
    }
}

impl Store {
    /// A new session with its initial state.
    pub async fn create_session(
        &self,
        client_id: &str,
        customer_id: &str,
        channel: &str,
        state: &str,
        ttl_ms: i64,
    ) -> Result<SessionRecord, StoreError> {
        let now = self.now();
        let record = SessionRecord {
            id: new_id(),
            client_id: client_id.to_string(),
            customer_id: customer_id.to_string(),
            channel: channel.to_string(),
            state: state.to_string(),
            version: 0,
            created_at: now,
            updated_at: now,
            expires_at: now + ttl_ms,
        };
        sqlx::query(
            "INSERT INTO sessions (id, client_id, customer_id, channel, state, version, created_at, updated_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&record.id)
        .bind(&record.client_id)
        .bind(&record.customer_id)
        .bind(&record.channel)
        .bind(&record.state)
        .bind(record.version)
        .bind(record.created_at)
        .bind(record.updated_at)
        .bind(record.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(record)
    }

    /// The session a conversation's first message (`origin_message_id`) started, creating it
    /// if this is the first time that message is seen: a retried first message lands in the
    /// same conversation.
    pub async fn session_for_origin(
        &self,
        client_id: &str,
        customer_id: &str,
        channel: &str,
        state: &str,
        ttl_ms: i64,
        origin_message_id: &str,
    ) -> Result<SessionRecord, StoreError> {
        let now = self.now();
        sqlx::query(
            "INSERT INTO sessions (id, client_id, customer_id, channel, state, version, created_at, updated_at, expires_at, origin_message_id) \
             VALUES ($1, $2, $3, $4, $5, 0, $6, $6, $7, $8) ON CONFLICT DO NOTHING",
        )
        .bind(new_id())
        .bind(client_id)
        .bind(customer_id)
        .bind(channel)
        .bind(state)
        .bind(now)
        .bind(now + ttl_ms)
        .bind(origin_message_id)
        .execute(&self.pool)
        .await?;
        let id: String = sqlx::query(
            "SELECT id FROM sessions WHERE client_id = $1 AND customer_id = $2 AND origin_message_id = $3",
        )
        .bind(client_id)
        .bind(customer_id)
        .bind(origin_message_id)
        .fetch_one(&self.pool)
        .await?
        .get(0);
        self.session(&id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn session(&self, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT id, client_id, customer_id, channel, state, version, created_at, updated_at, expires_at \
             FROM sessions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| SessionRecord {
            id: r.get(0),
            client_id: r.get(1),
            customer_id: r.get(2),
            channel: r.get(3),
            state: r.get(4),
            version: r.get(5),
            created_at: r.get(6),
            updated_at: r.get(7),
            expires_at: r.get(8),
        }))
    }

    /// The customer's most recent session on a channel (an SMS conversation goes on in it).
    pub async fn latest_session(
        &self,
        client_id: &str,
        customer_id: &str,
        channel: &str,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let id = sqlx::query(
            "SELECT id FROM sessions WHERE client_id = $1 AND customer_id = $2 AND channel = $3 \
             ORDER BY updated_at DESC, created_at DESC LIMIT 1",
        )
        .bind(client_id)
        .bind(customer_id)
        .bind(channel)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| r.get::<String, _>(0));
        match id {
            Some(id) => self.session(&id).await,
            None => Ok(None),
        }
    }

    /// Waits for the session's lease and takes it.
    pub async fn lease(&self, session_id: &str) -> Result<Lease, StoreError> {
        let started = Instant::now();
        let owner = new_id();
        loop {
            let now = self.now();
            let taken = sqlx::query(
                "UPDATE sessions SET lease_owner = $1, lease_until = $2 \
                 WHERE id = $3 AND (lease_until IS NULL OR lease_until < $4)",
            )
            .bind(&owner)
            .bind(now + self.lease_policy.ttl_ms())
            .bind(session_id)
            .bind(now)
            .execute(&self.pool)
            .await?;
            if taken.rows_affected() == 1 {
                return Ok(Lease {
                    session_id: session_id.to_string(),
                    owner,
                });
            }
            if self.session(session_id).await?.is_none() {
                return Err(StoreError::NotFound);
            }
            if started.elapsed() > self.lease_policy.wait {
                return Err(StoreError::Busy);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Extends a lease still held; false when it was lost (expired and taken).
    pub async fn renew(&self, lease: &Lease) -> Result<bool, StoreError> {
        let renewed =
            sqlx::query("UPDATE sessions SET lease_until = $1 WHERE id = $2 AND lease_owner = $3")
                .bind(self.now() + self.lease_policy.ttl_ms())
                .bind(&lease.session_id)
                .bind(&lease.owner)
                .execute(&self.pool)
                .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Gives the lease back without writing (the turn failed).
    pub async fn release(&self, lease: &Lease) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2")
            .bind(&lease.session_id)
            .bind(&lease.owner)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Writes a turn and releases the lease, all or nothing.
    pub async fn save_turn(&self, lease: &Lease, turn: &TurnWrite) -> Result<(), StoreError> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE sessions SET state = $1, version = version + 1, updated_at = $2, expires_at = $3, \
             lease_owner = NULL, lease_until = NULL WHERE id = $4 AND lease_owner = $5",
        )
        .bind(&turn.state)
        .bind(now)
        .bind(now + turn.ttl_ms)
        .bind(&lease.session_id)
        .bind(&lease.owner)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::LeaseLost);
        }
        let last: i64 =
            sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE session_id = $1")
                .bind(&lease.session_id)
                .fetch_one(&mut *tx)
                .await?
                .get(0);
        for (offset, role, text, actions, latency) in [
            (1, "customer", &turn.customer_text, "[]", None),
            (
                2,
                "assistant",
                &turn.assistant_text,
                turn.actions.as_str(),
                Some(turn.latency_ms),
            ),
        ] {
            sqlx::query(
                "INSERT INTO messages (id, session_id, seq, role, channel, text, actions, latency_ms, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(new_id())
            .bind(&lease.session_id)
            .bind(last + offset)
            .bind(role)
            .bind(&turn.channel)
            .bind(text)
            .bind(actions)
            .bind(latency)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        if let Some((client_message_id, response)) = &turn.client_message {
            sqlx::query(
                "INSERT INTO processed_messages (session_id, client_message_id, response, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&lease.session_id)
            .bind(client_message_id)
            .bind(response)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(summary) = &turn.summary {
            crate::records::upsert_summary(&mut tx, &lease.session_id, summary, now).await?;
        }
        for appointment in &turn.appointments {
            crate::records::insert_appointment(&mut tx, Some(&lease.session_id), appointment, now)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The answers a session gave to client messages (each with its buttons), oldest first,
    /// so a reloaded page can show the last reply's buttons again.
    pub async fn responses(&self, session_id: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT response FROM processed_messages WHERE session_id = $1 ORDER BY created_at",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }

    /// The answer already given to this client message id, if any.
    pub async fn processed(
        &self,
        session_id: &str,
        client_message_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT response FROM processed_messages WHERE session_id = $1 AND client_message_id = $2")
            .bind(session_id)
            .bind(client_message_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    /// How many sessions have not expired.
    pub async fn active_sessions(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM sessions WHERE expires_at > $1")
            .bind(self.now())
            .fetch_one(&self.pool)
            .await?;
        Ok(row.get(0))
    }
}

impl Store {
    /// Deletes a session with its transcript, idempotency records and summary (appointments
    /// keep their row, without the session).
    pub async fn delete_session(&self, id: &str) -> Result<bool, StoreError> {
        let deleted = sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(deleted.rows_affected() == 1)
    }
}
