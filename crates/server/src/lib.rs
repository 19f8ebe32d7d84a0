//! The chat service: HTTP API, streaming, the web page, auth, limits, metrics.
//!
//! [`App::build`] wires the pieces from a [`Config`]: the store (SQLite or PostgreSQL,
//! migrated on start), PF360 (the built-in mock in-process over real HTTP, or a real server),
//! the engine, authentication (JWT, or the demo customer), limits and metrics. [`App::router`]
//! is the axum router; [`serve`] runs it until SIGTERM, letting turns in flight finish.

pub mod auth;
mod client_ip;
pub mod config;
mod conversation;
pub mod directory;
pub mod error;
mod journal;
mod limits;
mod metrics_setup;
mod notes;
pub mod reminders;
mod routes;
mod serve;
pub mod sms;

pub use serve::serve;

use std::sync::Arc;
use std::time::Duration;

use agent::Engine;
use agent::flows::WritePolicy;
use agent::weather::FixtureForecaster;
use axum::Router;
use chrono_tz::Tz;
use metrics_exporter_prometheus::PrometheusHandle;
use pf360::mock::{Fixture, MockConfig, MockServer, demo};
use pf360::{ClientConfig, Clock, Pf360Client, Token};
use secrecy::ExposeSecret;
use store::Store;
use url::Url;

pub use config::Config;
pub use conversation::{ChatRequest, ChatResponse};

use auth::{Authenticator, Identity};
use limits::Limits;

/// Everything a request needs; shared by all handlers.
pub struct App {
    pub config: Config,
    pub store: Store,
    engine: Engine,
    auth: Arc<Authenticator>,
    limits: Limits,
    lease_policy: store::LeasePolicy,
    clock: Arc<dyn Clock>,
    /// The client's time zone (`CLIENT_TIMEZONE`, or the mock's first client's).
    timezone: Tz,
    /// Other clients' zones, where known (the mock's fixture names each client's).
    timezones: std::collections::HashMap<String, Tz>,
    /// PF360 for work outside a conversation (reminders re-check appointments).
    pf360: Pf360Client,
    pf360_url: Url,
    /// Our recent PF360 calls' outcomes, which the health check reports.
    pf360_health: Arc<pf360::health::CallHealth>,
    /// The last reachability probe (when no recent call says anything): when, and whether
    /// PF360 answered.
    pf360_probe: std::sync::Mutex<Option<(std::time::Instant, bool)>>,
    http: reqwest::Client,
    metrics: PrometheusHandle,
    /// The built-in mock, when PF360 is the mock; kept alive with the app.
    mock: Option<MockServer>,
    /// Shown on the page in demo mode.
    demo_label: Option<String>,
    /// Text messages, when Twilio is configured.
    sms: Option<sms::Sms>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Fixture(#[from] pf360::mock::FixtureError),
    #[error(transparent)]
    Mock(#[from] pf360::mock::MockStartError),
    #[error(transparent)]
    Client(#[from] pf360::ClientBuildError),
    #[error(transparent)]
    Auth(#[from] auth::AuthSetupError),
    #[error("{0}")]
    Invalid(String),
}

impl App {
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> Result<Arc<App>, BuildError> {
        Self::build_with(config, clock, None).await
    }

    /// Like [`App::build`], understanding messages with `understander` instead of the
    /// configured one (`eval` runs every channel with the understanding it was asked for).
    pub async fn build_with(
        config: Config,
        clock: Arc<dyn Clock>,
        understander: Option<agent::understand::Understander>,
    ) -> Result<Arc<App>, BuildError> {
        let store_clock = clock.clone();
        let lease_policy = lease_policy(&config);
        let store = Store::connect(
            &config.database_url,
            Arc::new(move || store_clock.now().timestamp_millis()),
        )
        .await?
        .with_lease_policy(lease_policy);
        store.migrate().await?;

        let mut fixture_clients = Vec::new();
        let (mock, pf360_url, timezone, demo_identity, demo_label) = if config.use_mock_api {
            let fixture = match &config.fixtures {
                Some(path) => Fixture::load(path)?,
                None => {
                    demo::demo_fixture(clock.now().with_timezone(&demo::DEMO_TIMEZONE).date_naive())
                }
            };
            fixture_clients = fixture.clients.clone();
            let (client, customer) =
                agent::scenario::find_customer(&fixture, None).map_err(BuildError::Invalid)?;
            let identity = Identity {
                client_id: client.client_id.clone(),
                client_name: client.client_name.clone(),
                customer_id: customer.customer_id.clone(),
                token: Token::new(customer.token.clone()),
            };
            let label = format!(
                "{} {}",
                customer.first_name.as_deref().unwrap_or("Demo"),
                customer.last_name.as_deref().unwrap_or("customer")
            );
            let timezone = client.timezone;
            let mock_config = MockConfig {
                fixture: Some(fixture.clone()),
                now: None,
                jwt_secret: config
                    .auth
                    .jwt_secret
                    .as_ref()
                    .map(|s| s.expose_secret().to_string()),
            };
            let mock = MockServer::start(
                mock_config,
                clock.clone(),
                "127.0.0.1:0"
                    .parse()
                    .map_err(|_| BuildError::Invalid("address".into()))?,
            )
            .await?;
            let url = mock.url();
            (Some(mock), url, timezone, Some(identity), Some(label))
        } else {
            let base = config
                .pf360_base_url
                .clone()
                .unwrap_or_else(|| config.api_environment.api_base_url().to_string());
            let url = Url::parse(&base).map_err(|e| {
                BuildError::Invalid(format!("CUSTOMER_SCHEDULER_BASE_API_URL {base:?}: {e}"))
            })?;
            let timezone: Tz = config
                .client_timezone
                .parse()
                .map_err(|_| BuildError::Invalid("CLIENT_TIMEZONE".into()))?;
            (None, url, timezone, None, None)
        };

        let mut client_config = ClientConfig::new(pf360_url.clone(), config.api_environment);
        client_config.timeout = Duration::from_secs(config.api_timeout_secs);
        client_config.real_confirm = config.real_confirm;
        client_config.real_cancel = config.real_cancel;
        let api_timeout = chrono::Duration::seconds(
            i64::try_from(config.api_timeout_secs).unwrap_or(i64::MAX / 4_000),
        );
        let pf360_client = Pf360Client::new(client_config, clock.clone())?;
        let pf360 = pf360_client.clone();
        let pf360_health = pf360_client.health();
        let engine = Engine::new(
            pf360_client,
            Arc::new(notes::StoreNoteBook(store.clone())),
            Arc::new(FixtureForecaster::default()),
        )
        .with_journal(Arc::new(journal::StoreJournal(store.clone())))
        .with_write_policy(WritePolicy {
            // The write itself, a fresh read before it and the follow-up checks after.
            live_for: api_timeout * 6,
            ..WritePolicy::default()
        });
        let engine = match &config.llm {
            Some(llm) => {
                let generator = llm
                    .generator()
                    .map_err(|e| BuildError::Invalid(e.to_string()))?;
                engine.with_understander(agent::understand::Understander::with_model(
                    config.understanding,
                    generator,
                ))
            }
            None => engine,
        };
        let engine = match understander {
            Some(understander) => engine.with_understander(understander),
            None => engine,
        };
        let demo = if config.demo_mode() {
            demo_identity
        } else {
            None
        };
        let auth = Authenticator::from_config(&config.auth, demo).await?;
        let sms = sms_channel(&config, &store, &fixture_clients).await?;
        let timezones = fixture_clients
            .iter()
            .map(|c| (c.client_id.clone(), c.timezone))
            .chain(
                config
                    .client_timezones
                    .iter()
                    .filter_map(|(client, zone)| Some((client.clone(), zone.parse().ok()?))),
            )
            .collect();
        Ok(Arc::new(App {
            lease_policy,
            limits: Limits::new(
                config.rate_limit_ip_per_minute,
                config.rate_limit_session_per_minute,
            ),
            demo_label: if auth.is_demo() { demo_label } else { None },
            config,
            store,
            engine,
            auth,
            clock,
            timezone,
            timezones,
            pf360,
            pf360_url,
            pf360_health,
            pf360_probe: std::sync::Mutex::new(None),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(3))
                .build()
                .map_err(|e| BuildError::Invalid(e.to_string()))?,
            metrics: {
                let handle = metrics_setup::handle();
                metrics_setup::register_series();
                handle
            },
            mock,
            sms,
        }))
    }

    pub fn router(self: &Arc<Self>) -> Router {
        routes::router(self.clone())
    }

    /// A client's time zone.
    pub fn timezone_of(&self, client_id: &str) -> Tz {
        self.timezones
            .get(client_id)
            .copied()
            .unwrap_or(self.timezone)
    }

    /// The built-in mock's address, when PF360 is the mock.
    pub fn mock_url(&self) -> Option<Url> {
        self.mock.as_ref().map(MockServer::url)
    }
}

/// The SMS channel, when Twilio is configured. Against the built-in mock, the fixture's
/// service tokens and client names stand in for the configured ones, and its customers with
/// a phone are put in the directory (their consent kept).
async fn sms_channel(
    config: &Config,
    store: &Store,
    fixture_clients: &[pf360::mock::FixtureClient],
) -> Result<Option<sms::Sms>, BuildError> {
    if !config.sms.enabled() {
        return Ok(None);
    }
    let mut tokens: std::collections::HashMap<String, Token> = config
        .sms
        .service_tokens
        .iter()
        .map(|(client, token)| {
            (
                client.clone(),
                Token::new(token.expose_secret().to_string()),
            )
        })
        .collect();
    let mut names: std::collections::HashMap<String, String> = config
        .sms
        .client_names
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut directory = Vec::new();
    for client in fixture_clients {
        names
            .entry(client.client_id.clone())
            .or_insert_with(|| client.client_name.clone());
        if let Some(token) = client.service_tokens.first() {
            tokens
                .entry(client.client_id.clone())
                .or_insert_with(|| Token::new(token.clone()));
        }
        directory.extend(
            client
                .customers
                .iter()
                .filter(|c| c.phone.is_some())
                .map(|c| store::CustomerRecord {
                    client_id: client.client_id.clone(),
                    customer_id: c.customer_id.clone(),
                    first_name: c.first_name.clone(),
                    last_name: c.last_name.clone(),
                    phone: c.phone.clone(),
                    email: c.email.clone(),
                    language: c.language.clone(),
                    ..store::CustomerRecord::default()
                }),
        );
    }
    if !directory.is_empty()
        && let Err(error) = store.import_customers(&directory).await
    {
        tracing::warn!(%error, "the fixture's customers were not added to the SMS directory");
    }
    sms::Sms::new(&config.sms, config.addr, tokens, names).map_err(BuildError::Invalid)
}

/// Lease times from the configured timeouts. A running turn renews its lease every third of
/// its lifetime, so the lifetime only says how long a dead process keeps a session locked; it
/// is long enough that two missed renewals (a stalled database, a paused process) do not let
/// a second message take over a live turn. A second message waits as long as one PF360 call
/// may take, and at least out a dead process's lease, before hearing "busy".
fn lease_policy(config: &Config) -> store::LeasePolicy {
    const TTL_SECS: u64 = 15;
    store::LeasePolicy {
        ttl: Duration::from_secs(TTL_SECS),
        wait: Duration::from_secs(config.api_timeout_secs.max(TTL_SECS).saturating_add(5)),
    }
}
