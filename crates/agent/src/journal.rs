//! The write-ahead journal: every PF360 write (book, reschedule, cancel) is recorded before it
//! is sent and settled after.
//!
//! Why: a process can die between PF360's "booked" and saving the turn, and a write's answer
//! can be lost to a timeout while PF360 still does it. Without a record, the retried message
//! would run the flow again and write a second time, or the customer would be told "nothing
//! was booked" when it was. With one, the next turn looks the write up on the dashboard first.
//! The journal also keeps one unfinished write per project, across sessions and processes.
//!
//! Hosts implement [`WriteJournal`] over their database; [`MemoryJournal`] serves the
//! terminal, the scenario runner and tests.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which turn is running: the host's session, and the client's id for this message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TurnContext {
    pub session_id: String,
    /// Set when the client gave one: a message sent again with the same id is a retry.
    pub client_message_id: Option<String>,
    /// The message is a button of the reply of this turn ([`crate::ConversationState::turn`]).
    pub answers_turn: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteKind {
    Book,
    Reschedule,
    Cancel,
}

impl WriteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WriteKind::Book => "book",
            WriteKind::Reschedule => "reschedule",
            WriteKind::Cancel => "cancel",
        }
    }

    pub fn parse(s: &str) -> Option<WriteKind> {
        match s {
            "book" => Some(WriteKind::Book),
            "reschedule" => Some(WriteKind::Reschedule),
            "cancel" => Some(WriteKind::Cancel),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntentStatus {
    /// Recorded; it may or may not have been sent.
    Pending,
    /// Sent; PF360's answer never came and the dashboard does not show it (yet).
    Unknown,
    /// PF360 said it is done, but the dashboard does not show it yet. The project stays held:
    /// another tab's "yes" to a summary from before must not write again because a lagging
    /// dashboard still shows the old schedule.
    Unseen,
    Done,
    /// Established not to have happened: PF360 refused it, or it was never sent, or it never
    /// appeared within the settling window.
    Failed,
}

impl IntentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IntentStatus::Pending => "pending",
            IntentStatus::Unknown => "unknown",
            IntentStatus::Unseen => "unseen",
            IntentStatus::Done => "done",
            IntentStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<IntentStatus> {
        match s {
            "pending" => Some(IntentStatus::Pending),
            "unknown" => Some(IntentStatus::Unknown),
            "unseen" => Some(IntentStatus::Unseen),
            "done" => Some(IntentStatus::Done),
            "failed" => Some(IntentStatus::Failed),
            _ => None,
        }
    }

    pub fn is_open(self) -> bool {
        matches!(
            self,
            IntentStatus::Pending | IntentStatus::Unknown | IntentStatus::Unseen
        )
    }
}

/// One write, as intended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteIntent {
    pub id: String,
    pub session_id: String,
    pub client_message_id: Option<String>,
    pub client_id: String,
    pub customer_id: String,
    pub project_id: String,
    pub kind: WriteKind,
    /// The appointment a booking or reschedule asks for (local time); none for a cancel.
    pub slot: Option<NaiveDateTime>,
    pub status: IntentStatus,
    /// Until then the turn that began it may still be running.
    pub live_until: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("journal unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait WriteJournal: Send + Sync {
    /// Records `intent` as pending, durably. `Ok(Some(other))` when another unfinished write
    /// holds the same project (nothing was recorded).
    async fn begin(&self, intent: &WriteIntent) -> Result<Option<WriteIntent>, JournalError>;
    async fn settle(&self, id: &str, status: IntentStatus) -> Result<(), JournalError>;
    /// The customer's unfinished writes, oldest first.
    async fn open(
        &self,
        client_id: &str,
        customer_id: &str,
    ) -> Result<Vec<WriteIntent>, JournalError>;
    /// Every write one client message made, in any status: a retried message finds them.
    async fn made_by(
        &self,
        session_id: &str,
        client_message_id: &str,
    ) -> Result<Vec<WriteIntent>, JournalError>;
}

/// The journal in memory: for one process that keeps nothing across restarts.
#[derive(Debug, Default)]
pub struct MemoryJournal {
    intents: Mutex<HashMap<String, WriteIntent>>,
}

impl MemoryJournal {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, WriteIntent>> {
        // A panic elsewhere while holding the lock leaves the map itself intact.
        self.intents
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl WriteJournal for MemoryJournal {
    async fn begin(&self, intent: &WriteIntent) -> Result<Option<WriteIntent>, JournalError> {
        let mut intents = self.lock();
        let holder = intents.values().find(|i| {
            i.status.is_open()
                && i.client_id == intent.client_id
                && i.customer_id == intent.customer_id
                && i.project_id == intent.project_id
        });
        if let Some(holder) = holder {
            return Ok(Some(holder.clone()));
        }
        intents.insert(intent.id.clone(), intent.clone());
        Ok(None)
    }

    async fn settle(&self, id: &str, status: IntentStatus) -> Result<(), JournalError> {
        // A settled intent stays settled (a late settle from a slow turn changes nothing).
        if let Some(intent) = self.lock().get_mut(id).filter(|i| i.status.is_open()) {
            intent.status = status;
        }
        Ok(())
    }

    async fn open(
        &self,
        client_id: &str,
        customer_id: &str,
    ) -> Result<Vec<WriteIntent>, JournalError> {
        let mut open: Vec<WriteIntent> = self
            .lock()
            .values()
            .filter(|i| {
                i.status.is_open() && i.client_id == client_id && i.customer_id == customer_id
            })
            .cloned()
            .collect();
        open.sort_by_key(|i| i.created_at);
        Ok(open)
    }

    async fn made_by(
        &self,
        session_id: &str,
        client_message_id: &str,
    ) -> Result<Vec<WriteIntent>, JournalError> {
        let mut made: Vec<WriteIntent> = self
            .lock()
            .values()
            .filter(|i| {
                i.session_id == session_id
                    && i.client_message_id.as_deref() == Some(client_message_id)
            })
            .cloned()
            .collect();
        made.sort_by_key(|i| i.created_at);
        Ok(made)
    }
}
