//! Every text in and out, by Twilio's `MessageSid`. An inbound text is claimed before it is
//! handled: Twilio retries a webhook it got no answer to, and the retry must find the first
//! answer instead of running the turn again.

use sqlx::Row;

use crate::{Store, StoreError};

/// The outcome of claiming an inbound text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First time seen: handle it.
    New,
    /// Seen before: its answer, or `None` while the first delivery is still being handled.
    Seen(Option<String>),
}

/// A text as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsRecord {
    pub message_sid: String,
    pub direction: String,
    pub phone: String,
    pub body: String,
    pub reply: Option<String>,
    pub status: String,
    pub error_code: Option<String>,
    pub segments: Option<i64>,
}

/// An outbound text Twilio accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbound<'a> {
    pub message_sid: &'a str,
    pub phone: &'a str,
    pub customer: Option<(&'a str, &'a str)>,
    pub session_id: Option<&'a str>,
    pub body: &'a str,
    pub status: &'a str,
    pub segments: i64,
    pub encoding: &'a str,
}

impl Store {
    /// Claims an inbound text; only one delivery of a `MessageSid` is ever `New`.
    pub async fn claim_inbound(
        &self,
        message_sid: &str,
        phone: &str,
        body: &str,
    ) -> Result<Claim, StoreError> {
        let now = self.now();
        let inserted = sqlx::query(
            "INSERT INTO sms_messages (message_sid, direction, phone, body, status, created_at, updated_at) \
             VALUES ($1, 'inbound', $2, $3, 'received', $4, $4) ON CONFLICT (message_sid) DO NOTHING",
        )
        .bind(message_sid)
        .bind(phone)
        .bind(body)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(Claim::New);
        }
        let reply = sqlx::query("SELECT reply FROM sms_messages WHERE message_sid = $1")
            .bind(message_sid)
            .fetch_optional(&self.pool)
            .await?
            .and_then(|r| r.get::<Option<String>, _>(0));
        Ok(Claim::Seen(reply))
    }

    /// Records the answer to an inbound text (what a retry gets) and whose it was.
    pub async fn answer_inbound(
        &self,
        message_sid: &str,
        reply: &str,
        customer: Option<(&str, &str)>,
        session_id: Option<&str>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE sms_messages SET reply = $2, status = 'answered', client_id = $3, customer_id = $4, \
             session_id = $5, updated_at = $6 WHERE message_sid = $1",
        )
        .bind(message_sid)
        .bind(reply)
        .bind(customer.map(|c| c.0))
        .bind(customer.map(|c| c.1))
        .bind(session_id)
        .bind(self.now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a text Twilio accepted for sending.
    pub async fn record_outbound(&self, m: &Outbound<'_>) -> Result<(), StoreError> {
        let now = self.now();
        sqlx::query(
            "INSERT INTO sms_messages (message_sid, direction, phone, client_id, customer_id, session_id, body, \
             status, segments, encoding, created_at, updated_at) \
             VALUES ($1, 'outbound', $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
             ON CONFLICT (message_sid) DO UPDATE SET phone = excluded.phone, client_id = excluded.client_id, \
             customer_id = excluded.customer_id, session_id = excluded.session_id, body = excluded.body, \
             segments = excluded.segments, encoding = excluded.encoding \
             WHERE sms_messages.direction = 'outbound' AND sms_messages.phone = ''",
        )
        .bind(m.message_sid)
        .bind(m.phone)
        .bind(m.customer.map(|c| c.0))
        .bind(m.customer.map(|c| c.1))
        .bind(m.session_id)
        .bind(m.body)
        .bind(m.status)
        .bind(m.segments)
        .bind(m.encoding)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A delivery status from Twilio's callback; false when we hold no record of the text
    /// (yet). Twilio may call back before the send that made the text has recorded it: the
    /// status is then kept on a row without phone or body, which that record fills in.
    pub async fn update_sms_status(
        &self,
        message_sid: &str,
        status: &str,
        error_code: Option<&str>,
    ) -> Result<bool, StoreError> {
        let now = self.now();
        let updated = sqlx::query(
            "UPDATE sms_messages SET status = $2, error_code = COALESCE($3, error_code), updated_at = $4 \
             WHERE message_sid = $1 AND direction = 'outbound' RETURNING phone",
        )
        .bind(message_sid)
        .bind(status)
        .bind(error_code)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(row) = updated {
            return Ok(!row.get::<String, _>(0).is_empty());
        }
        sqlx::query(
            "INSERT INTO sms_messages (message_sid, direction, phone, body, status, error_code, created_at, updated_at) \
             VALUES ($1, 'outbound', '', '', $2, $3, $4, $4) ON CONFLICT (message_sid) DO NOTHING",
        )
        .bind(message_sid)
        .bind(status)
        .bind(error_code)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(false)
    }

    /// The texts to and from a phone, oldest first.
    pub async fn sms_messages(&self, phone: &str) -> Result<Vec<SmsRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT message_sid, direction, phone, body, reply, status, error_code, segments \
             FROM sms_messages WHERE phone = $1 ORDER BY created_at, message_sid",
        )
        .bind(phone)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| SmsRecord {
                message_sid: r.get(0),
                direction: r.get(1),
                phone: r.get(2),
                body: r.get(3),
                reply: r.get(4),
                status: r.get(5),
                error_code: r.get(6),
                segments: r.get(7),
            })
            .collect())
    }
}
