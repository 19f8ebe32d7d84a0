//! Sessions and records, in SQLite (the default: a file, nothing to install) or PostgreSQL
//! (several server processes sharing one database), chosen by the URL.
//!
//! One migration set serves both, through sqlx's `Any` driver, so only portable SQL is used:
//! times are Unix milliseconds, JSON is text, ids are random text made here.
//!
//! This crate knows nothing of PF360 or of conversations: it stores opaque state and records.

mod customers;
mod intents;
mod records;
mod reminders;
mod sessions;
mod sms;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::Rng;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

pub use customers::{Consent, CustomerRecord, ImportError};
pub use intents::IntentRecord;
pub use records::{Appointment, MessageRecord, NoteRecord, Summary, new_confirmation_code};
pub use reminders::{ReminderPlan, ReminderRecord};
pub use sessions::{Lease, LeasePolicy, SessionRecord, TurnWrite};
pub use sms::{Claim, Outbound, SmsRecord};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL {0:?} (expected sqlite://… or postgres://…)")]
    UnsupportedUrl(String),
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("session not found")]
    NotFound,
    #[error("another turn on this session is still running")]
    Busy,
    #[error("the session lease was lost before the turn was saved")]
    LeaseLost,
    #[error("stored data is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Milliseconds since the Unix epoch, from an injected clock.
pub type Now = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock, in milliseconds.
pub fn system_now() -> Now {
    Arc::new(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    })
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    now: Now,
    lease_policy: LeasePolicy,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

impl Store {
    /// Connects (creating a SQLite file and its folder when missing). Does not migrate.
    pub async fn connect(url: &str, now: Now) -> Result<Store, StoreError> {
        install_default_drivers();
        let (backend, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let file = path.split('?').next().unwrap_or_default();
            if !file.is_empty()
                && file != ":memory:"
                && let Some(folder) = Path::new(file)
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder {
                    path: folder.display().to_string(),
                    source,
                })?;
            }
            let url = if url.contains('?') {
                url.to_string()
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Cascades need foreign keys on; WAL lets readers and a writer overlap.
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        // Ordinary commits survive a crash of the process but may be lost
                        // with the machine's power; write intents are committed with FULL.
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        Ok(Store {
            pool,
            backend,
            now,
            lease_policy: LeasePolicy::default(),
        })
    }

    /// The same store with other lease times.
    pub fn with_lease_policy(mut self, policy: LeasePolicy) -> Store {
        self.lease_policy = policy;
        self
    }

    /// Applies the migrations not yet applied.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A cheap query, for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Connections open and idle in the pool, for the database-connections alarm.
    pub fn pool_stats(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    fn now(&self) -> i64 {
        (self.now)()
    }
}

/// 128 random bits as hex: unguessable ids.
pub fn new_id() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
