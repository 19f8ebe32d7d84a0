//! The agent's `WriteJournal`, kept in the store: durable before PF360 is written, shared by
//! every process on the database.

use agent::journal::{IntentStatus, JournalError, WriteIntent, WriteJournal, WriteKind};
use chrono::{DateTime, NaiveDateTime};
use store::{IntentRecord, Store};

pub struct StoreJournal(pub Store);

const SLOT_FORMAT: &str = "%Y-%m-%dT%H:%M";

fn to_record(i: &WriteIntent) -> IntentRecord {
    IntentRecord {
        id: i.id.clone(),
        session_id: i.session_id.clone(),
        client_message_id: i.client_message_id.clone(),
        client_id: i.client_id.clone(),
        customer_id: i.customer_id.clone(),
        project_id: i.project_id.clone(),
        kind: i.kind.as_str().into(),
        slot: i.slot.map(|s| s.format(SLOT_FORMAT).to_string()),
        status: i.status.as_str().into(),
        live_until: i.live_until.timestamp_millis(),
        created_at: i.created_at.timestamp_millis(),
    }
}

/// A stored intent; one this version cannot read is skipped with an error logged, never
/// guessed at.
fn from_record(r: IntentRecord) -> Option<WriteIntent> {
    let parsed = (|| {
        Some(WriteIntent {
            kind: WriteKind::parse(&r.kind)?,
            status: IntentStatus::parse(&r.status)?,
            slot: match &r.slot {
                Some(s) => Some(NaiveDateTime::parse_from_str(s, SLOT_FORMAT).ok()?),
                None => None,
            },
            live_until: DateTime::from_timestamp_millis(r.live_until)?,
            created_at: DateTime::from_timestamp_millis(r.created_at)?,
            id: r.id.clone(),
            session_id: r.session_id.clone(),
            client_message_id: r.client_message_id.clone(),
            client_id: r.client_id.clone(),
            customer_id: r.customer_id.clone(),
            project_id: r.project_id.clone(),
        })
    })();
    if parsed.is_none() {
        tracing::error!(intent = %r.id, "unreadable write intent skipped");
    }
    parsed
}

fn unavailable(e: store::StoreError) -> JournalError {
    JournalError::Unavailable(e.to_string())
}

#[async_trait::async_trait]
impl WriteJournal for StoreJournal {
    async fn begin(&self, intent: &WriteIntent) -> Result<Option<WriteIntent>, JournalError> {
        let holder = self
            .0
            .begin_intent(&to_record(intent))
            .await
            .map_err(unavailable)?;
        Ok(holder.map(|h| from_record(h).unwrap_or_else(|| intent.clone())))
    }

    async fn settle(&self, id: &str, status: IntentStatus) -> Result<(), JournalError> {
        self.0
            .settle_intent(id, status.as_str())
            .await
            .map_err(unavailable)
    }

    async fn open(
        &self,
        client_id: &str,
        customer_id: &str,
    ) -> Result<Vec<WriteIntent>, JournalError> {
        let records = self
            .0
            .open_intents(client_id, customer_id)
            .await
            .map_err(unavailable)?;
        Ok(records.into_iter().filter_map(from_record).collect())
    }

    async fn made_by(
        &self,
        session_id: &str,
        client_message_id: &str,
    ) -> Result<Vec<WriteIntent>, JournalError> {
        let records = self
            .0
            .message_intents(session_id, client_message_id)
            .await
            .map_err(unavailable)?;
        Ok(records.into_iter().filter_map(from_record).collect())
    }
}
