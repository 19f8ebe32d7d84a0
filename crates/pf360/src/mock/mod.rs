//! A stateful mock PF360 server: a real HTTP server speaking the exact wire format, so that
//! every test and the demo exercise the real client, and switching to the real API is a URL.
//!
//! It serves a fixture file (`../shared/docs/EVAL.md`) or the built-in [`demo`] data, follows a
//! clock of its own (pinned with `--now` or `PUT /__mock/clock`, otherwise real time), and lists
//! what was written at `GET /__mock/writes`.

pub mod auth;
pub mod demo;
pub mod fixture;
mod routes;
pub mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use jsonwebtoken::DecodingKey;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use url::Url;

use crate::clock::Clock;
pub use fixture::{Fixture, FixtureClient, FixtureCustomer, FixtureError};
pub use routes::router;
use world::World;
pub use world::{WriteKind, WriteRecord};

/// How to start a mock.
#[derive(Debug, Clone, Default)]
pub struct MockConfig {
    /// The fixture to serve; `None` serves the built-in demo data.
    pub fixture: Option<Fixture>,
    /// Pin the clock to this local time (in the first client's zone); `None` follows the clock
    /// the mock is given.
    pub now: Option<NaiveDateTime>,
    /// Also accept HS256 JWTs signed with this secret.
    pub jwt_secret: Option<String>,
}

/// The mock's shared state.
pub struct MockState {
    fixture: Option<Fixture>,
    world: Mutex<World>,
    base_clock: Arc<dyn Clock>,
    pinned: RwLock<Option<DateTime<Utc>>>,
    /// The zone naive times (`--now`, `PUT /__mock/clock`) are read in: the first client's.
    home_zone: Tz,
    jwt_key: Option<DecodingKey>,
}

impl MockState {
    pub fn new(config: MockConfig, clock: Arc<dyn Clock>) -> Result<Arc<MockState>, String> {
        let home_zone = config
            .fixture
            .as_ref()
            .and_then(|f| f.clients.first())
            .map_or(demo::DEMO_TIMEZONE, |c| c.timezone);
        let pinned = config
            .now
            .map(|naive| local_to_utc(home_zone, naive))
            .transpose()?;
        let now = pinned.unwrap_or_else(|| clock.now());
        let world = World::new(&Self::fixture_at(&config.fixture, now));
        Ok(Arc::new(MockState {
            fixture: config.fixture,
            world: Mutex::new(world),
            base_clock: clock,
            pinned: RwLock::new(pinned),
            home_zone,
            jwt_key: config
                .jwt_secret
                .map(|secret| DecodingKey::from_secret(secret.as_bytes())),
        }))
    }

    /// The fixture served, or the demo data as of `now`.
    fn fixture_at(fixture: &Option<Fixture>, now: DateTime<Utc>) -> Fixture {
        fixture.clone().unwrap_or_else(|| {
            demo::demo_fixture(now.with_timezone(&demo::DEMO_TIMEZONE).date_naive())
        })
    }

    /// The world, locked. Never held across an await.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn now(&self) -> DateTime<Utc> {
        let pinned = *self.pinned.read().unwrap_or_else(|p| p.into_inner());
        pinned.unwrap_or_else(|| self.base_clock.now())
    }

    /// The mock's time in its home zone, `YYYY-MM-DDTHH:MM:SS`.
    pub fn local_now(&self) -> String {
        self.now()
            .with_timezone(&self.home_zone)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    }

    /// Pins the clock: RFC 3339, or a local time in the home zone.
    pub fn set_now(&self, raw: &str) -> Result<(), String> {
        let raw = raw.trim();
        let instant = match DateTime::parse_from_rfc3339(raw) {
            Ok(with_offset) => with_offset.with_timezone(&Utc),
            Err(_) => {
                let naive = crate::clock::parse_local(raw)
                    .ok_or_else(|| format!("{raw:?} is not a time like 2025-10-20T09:15:00"))?;
                local_to_utc(self.home_zone, naive)?
            }
        };
        *self.pinned.write().unwrap_or_else(|p| p.into_inner()) = Some(instant);
        Ok(())
    }

    /// Back to the fixture as loaded: projects, requests and writes; the clock stays.
    pub fn reset(&self) {
        let fresh = World::new(&Self::fixture_at(&self.fixture, self.now()));
        *self.world() = fresh;
    }
}

/// A local wall-clock time in `zone` as an instant; refused inside a DST gap.
pub fn local_to_utc(zone: Tz, naive: NaiveDateTime) -> Result<DateTime<Utc>, String> {
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| format!("{naive} does not exist in {}", zone.name()))
}

/// A running mock server; stops when dropped.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<MockState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Binds `addr` (port 0 for any free port) and serves in the background.
    pub async fn start(
        config: MockConfig,
        clock: Arc<dyn Clock>,
        addr: SocketAddr,
    ) -> Result<MockServer, MockStartError> {
        let state = MockState::new(config, clock).map_err(MockStartError::Clock)?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| MockStartError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| MockStartError::Bind { addr, source })?;
        let (tx, rx) = oneshot::channel::<()>();
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "mock PF360 server stopped");
            }
        });
        Ok(MockServer {
            addr,
            state,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to give the PF360 client.
    pub fn url(&self) -> Url {
        Url::parse(&format!("http://{}", self.addr)).expect("a socket address makes a valid URL")
    }

    pub fn state(&self) -> &Arc<MockState> {
        &self.state
    }

    /// Every successful write so far.
    pub fn writes(&self) -> Vec<WriteRecord> {
        self.state.world().writes().to_vec()
    }

    /// Stops accepting, finishes what is in flight, and waits for the server task.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MockStartError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("bad mock clock: {0}")]
    Clock(String),
}
