//! The one HTTP client for PF360, used against the real API and the mock alike.
//!
//! Reads (dashboard, business hours, dates, slots) are retried on timeouts, connection
//! failures, 429 and 5xx. Writes (confirm, cancel, note) are sent once: a write whose answer was
//! lost may have happened, and sending it again could book twice. The only exception is a
//! connection that was never established, when the request provably never left.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::clock::Clock;
use crate::environment::Environment;
use crate::error::Pf360Error;
use crate::health::CallHealth;
use crate::models::{
    BusinessHoursResponse, CancelResponse, ConfirmRequest, ConfirmResponse, DashboardResponse,
    DatesResponse, ErrorBody, NoteRequest, NoteResponse, SlotsResponse, WorkDay,
};
use crate::project::Project;
use crate::retry::RetryPolicy;
use crate::token::Token;

/// How the client reaches PF360 and which writes it really performs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub base_url: Url,
    /// Which customer portal the project links point to.
    pub environment: Environment,
    /// Per attempt, the whole exchange (connect, send, read the body).
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// The zone `created_at` is written in.
    pub created_at_zone: Tz,
    /// With `false`, confirm sends nothing and answers [`WriteOutcome::TestMode`].
    pub real_confirm: bool,
    /// With `false`, cancel sends nothing and answers [`WriteOutcome::TestMode`].
    pub real_cancel: bool,
}

impl ClientConfig {
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

    /// The real API of one environment.
    pub fn for_environment(environment: Environment) -> Self {
        let base_url = Url::parse(environment.api_base_url()).expect("environment URLs are valid");
        ClientConfig::new(base_url, environment)
    }

    /// An explicit base URL (a mock, a proxy, a local server); links use `environment`.
    pub fn new(base_url: Url, environment: Environment) -> Self {
        ClientConfig {
            base_url,
            environment,
            timeout: Self::DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            created_at_zone: chrono_tz::Asia::Kolkata,
            real_confirm: true,
            real_cancel: true,
        }
    }
}

/// Who is calling: taken from the authenticated session, never from what a customer typed.
#[derive(Debug, Clone)]
pub struct Caller {
    pub client_id: String,
    pub client_name: String,
    pub customer_id: String,
    pub token: Token,
}

/// A scheduling request opened by "available dates"; only good for its own project.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct RequestId(pub String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailableDates {
    pub dates: Vec<NaiveDate>,
    pub request_id: RequestId,
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOutcome {
    /// PF360 performed it; its message.
    Done { message: String },
    /// Test mode: nothing was sent.
    TestMode,
}

/// What a note write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteAdded {
    pub note_id: Option<String>,
    pub message: String,
}

/// The seven calls of the contract, for logs and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Dashboard,
    BusinessHours,
    AvailableDates,
    TimeSlots,
    Confirm,
    Cancel,
    AddNote,
}

impl Endpoint {
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Dashboard => "dashboard",
            Endpoint::BusinessHours => "business_hours",
            Endpoint::AvailableDates => "available_dates",
            Endpoint::TimeSlots => "time_slots",
            Endpoint::Confirm => "confirm",
            Endpoint::Cancel => "cancel",
            Endpoint::AddNote => "add_note",
        }
    }

    /// Whether repeating the call could change something twice.
    fn is_write(self) -> bool {
        matches!(
            self,
            Endpoint::Confirm | Endpoint::Cancel | Endpoint::AddNote
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClientBuildError {
    #[error("PF360 base URL {0} cannot take paths")]
    BaseUrl(Url),
    #[error("could not build the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
}

/// The PF360 client. Cheap to clone; clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Pf360Client {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
    clock: Arc<dyn Clock>,
    health: Arc<CallHealth>,
}

/// One failed attempt, and whether the request provably never reached the server.
struct AttemptError {
    error: Pf360Error,
    never_sent: bool,
}

impl Pf360Client {
    pub fn new(config: ClientConfig, clock: Arc<dyn Clock>) -> Result<Self, ClientBuildError> {
        if config.base_url.cannot_be_a_base() {
            return Err(ClientBuildError::BaseUrl(config.base_url));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("scheduling-agent/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Pf360Client {
            http,
            config: Arc::new(config),
            clock,
            health: Arc::default(),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The outcomes of this client's recent calls (shared by its clones).
    pub fn health(&self) -> Arc<CallHealth> {
        self.health.clone()
    }

    /// 1 — the customer's projects.
    pub async fn projects(&self, caller: &Caller) -> Result<Vec<Project>, Pf360Error> {
        let url = self.url(&["dashboard", "get", &caller.client_id, &caller.customer_id])?;
        let response: DashboardResponse = self
            .call(Endpoint::Dashboard, Method::GET, url, caller, None::<&()>)
            .await?;
        let projects = response
            .data
            .iter()
            .filter_map(|record| {
                let project =
                    Project::from_record(record, self.config.environment, &caller.client_name);
                if project.is_none() {
                    tracing::warn!("dashboard record without a project id skipped");
                }
                project
            })
            .collect();
        Ok(projects)
    }

    /// 2 — which days of the week the client works.
    pub async fn business_hours(&self, caller: &Caller) -> Result<Vec<WorkDay>, Pf360Error> {
        let url = self.url(&["scheduler", "client", &caller.client_id, "business-hours"])?;
        let response: BusinessHoursResponse = self
            .call(
                Endpoint::BusinessHours,
                Method::GET,
                url,
                caller,
                None::<&()>,
            )
            .await?;
        Ok(response.data.work_hours)
    }

    /// 3 — the dates PF360 offers for a project, opening a scheduling request.
    /// `today` is the current date in the client's time zone.
    pub async fn available_dates(
        &self,
        caller: &Caller,
        project_id: &str,
        today: NaiveDate,
    ) -> Result<AvailableDates, Pf360Error> {
        let url = self.slots_url(caller, project_id, today)?;
        let response: DatesResponse = self
            .call(
                Endpoint::AvailableDates,
                Method::GET,
                url,
                caller,
                None::<&()>,
            )
            .await?;
        if response.data.request_id.trim().is_empty() {
            return Err(Pf360Error::Decode(
                "available dates without a request_id".into(),
            ));
        }
        Ok(AvailableDates {
            dates: response.data.dates,
            request_id: RequestId(response.data.request_id),
        })
    }

    /// 4 — the times offered on one date, within an open scheduling request.
    pub async fn time_slots(
        &self,
        caller: &Caller,
        project_id: &str,
        date: NaiveDate,
        request_id: &RequestId,
    ) -> Result<Vec<NaiveTime>, Pf360Error> {
        let mut url = self.slots_url(caller, project_id, date)?;
        url.query_pairs_mut()
            .append_pair("request_id", &request_id.0);
        let response: SlotsResponse = self
            .call(Endpoint::TimeSlots, Method::GET, url, caller, None::<&()>)
            .await?;
        response
            .data
            .slots
            .iter()
            .map(|slot| {
                NaiveTime::parse_from_str(slot.trim(), "%H:%M")
                    .map_err(|_| Pf360Error::Decode(format!("slot {slot:?} is not HH:MM")))
            })
            .collect()
    }

    /// 5 — book (or re-book) a project on an offered date and time.
    pub async fn confirm(
        &self,
        caller: &Caller,
        project_id: &str,
        date: NaiveDate,
        time: NaiveTime,
        request_id: &RequestId,
    ) -> Result<WriteOutcome, Pf360Error> {
        if !self.config.real_confirm {
            tracing::info!(project_id, "test mode: confirm not sent");
            return Ok(WriteOutcome::TestMode);
        }
        let url = self.url(&[
            "scheduler",
            "client",
            &caller.client_id,
            "project",
            project_id,
            "schedule",
        ])?;
        let body = ConfirmRequest {
            created_at: self.created_at(),
            date: date.format("%Y-%m-%d").to_string(),
            time: time.format("%H:%M").to_string(),
            request_id: request_id.0.clone(),
            is_chatbot: "true".into(),
        };
        let response: ConfirmResponse = self
            .call(Endpoint::Confirm, Method::POST, url, caller, Some(&body))
            .await?;
        match response.status.as_deref() {
            None | Some("success") => Ok(WriteOutcome::Done {
                message: response.message,
            }),
            Some(other) => Err(Pf360Error::Invalid(format!(
                "confirm answered status {other:?}: {}",
                response.message
            ))),
        }
    }

    /// 6 — cancel the project's appointment. (A GET on the wire, but a write all the same.)
    pub async fn cancel(
        &self,
        caller: &Caller,
        project_id: &str,
    ) -> Result<WriteOutcome, Pf360Error> {
        if !self.config.real_cancel {
            tracing::info!(project_id, "test mode: cancel not sent");
            return Ok(WriteOutcome::TestMode);
        }
        let url = self.url(&[
            "scheduler",
            "client",
            &caller.client_id,
            "project",
            project_id,
            "cancel-reschedule",
        ])?;
        let response: CancelResponse = self
            .call(Endpoint::Cancel, Method::GET, url, caller, None::<&()>)
            .await?;
        Ok(WriteOutcome::Done {
            message: response.message,
        })
    }

    /// 7 — add a note to a project.
    pub async fn add_note(
        &self,
        caller: &Caller,
        project_id: &str,
        note_text: &str,
    ) -> Result<NoteAdded, Pf360Error> {
        let url = self.url(&["project-notes", "add", &caller.client_id, project_id])?;
        let body = NoteRequest {
            note_text: note_text.to_string(),
        };
        let response: NoteResponse = self
            .call(Endpoint::AddNote, Method::POST, url, caller, Some(&body))
            .await?;
        Ok(NoteAdded {
            note_id: response.note_id,
            message: response.message,
        })
    }

    /// The moment of booking as PF360 wants it: `MM-DD-YYYY HH:MM:SS` in the configured zone.
    pub fn created_at(&self) -> String {
        self.clock
            .now()
            .with_timezone(&self.config.created_at_zone)
            .format("%m-%d-%Y %H:%M:%S")
            .to_string()
    }

    fn slots_url(
        &self,
        caller: &Caller,
        project_id: &str,
        date: NaiveDate,
    ) -> Result<Url, Pf360Error> {
        let date = date.format("%Y-%m-%d").to_string();
        self.url(&[
            "scheduler",
            "client",
            &caller.client_id,
            "project",
            project_id,
            "date",
            &date,
            "selected",
            &date,
            "get-rescheduler-slots",
        ])
    }

    /// The base URL with these path segments appended, each percent-encoded.
    fn url(&self, segments: &[&str]) -> Result<Url, Pf360Error> {
        let mut url = self.config.base_url.clone();
        url.path_segments_mut()
            .map_err(|()| Pf360Error::Network("base URL cannot take paths".into()))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// Sends a call with the retry rules of its kind and decodes the answer.
    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        method: Method,
        url: Url,
        caller: &Caller,
        body: Option<&B>,
    ) -> Result<T, Pf360Error> {
        let policy = self.config.retry;
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let result = self
                .attempt(method.clone(), url.clone(), caller, body)
                .await;
            let elapsed = started.elapsed();
            let elapsed_ms = elapsed.as_millis() as u64;
            let status = match &result {
                Ok(_) => "ok",
                Err(failure) => failure.error.kind(),
            };
            metrics::counter!("pf360_calls_total", "endpoint" => endpoint.name(), "status" => status).increment(1);
            self.health
                .record(result.as_ref().map(|_| ()).map_err(|f| &f.error));
            metrics::histogram!("pf360_call_duration_seconds", "endpoint" => endpoint.name())
                .record(elapsed.as_secs_f64());
            let failure = match result {
                Ok(value) => {
                    tracing::debug!(
                        endpoint = endpoint.name(),
                        attempt,
                        elapsed_ms,
                        "pf360 call ok"
                    );
                    return Ok(value);
                }
                Err(failure) => failure,
            };
            let retryable = if endpoint.is_write() {
                failure.never_sent
            } else {
                matches!(
                    failure.error,
                    Pf360Error::Timeout(_)
                        | Pf360Error::Network(_)
                        | Pf360Error::RateLimited { .. }
                        | Pf360Error::Server { .. }
                )
            };
            tracing::warn!(
                endpoint = endpoint.name(),
                attempt,
                elapsed_ms,
                error_kind = failure.error.kind(),
                error = %failure.error,
                will_retry = retryable && attempt < policy.max_attempts,
                "pf360 call failed"
            );
            if !retryable || attempt >= policy.max_attempts {
                return Err(failure.error);
            }
            let retry_after = match failure.error {
                Pf360Error::RateLimited { retry_after } => retry_after,
                _ => None,
            };
            tokio::time::sleep(policy.delay(attempt, retry_after)).await;
            attempt += 1;
        }
    }

    async fn attempt<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        caller: &Caller,
        body: Option<&B>,
    ) -> Result<T, AttemptError> {
        let mut request = self
            .http
            .request(method, url)
            .timeout(self.config.timeout)
            .headers(self.headers(caller)?);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| self.transport_error(e))?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let bytes = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(e))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| AttemptError {
                error: Pf360Error::Decode(e.to_string()),
                never_sent: false,
            });
        }
        Err(AttemptError {
            error: status_error(status, &bytes, retry_after),
            never_sent: false,
        })
    }

    fn headers(&self, caller: &Caller) -> Result<HeaderMap, AttemptError> {
        let invalid = |what: &str| AttemptError {
            error: Pf360Error::Unauthorized(format!("{what} cannot be sent as a header")),
            never_sent: true,
        };
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", caller.token.expose()))
            .map_err(|_| invalid("the token"))?;
        // Keeps the value out of reqwest's and hyper's own debug output.
        authorization.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(
            "client_id",
            HeaderValue::from_str(&caller.client_id).map_err(|_| invalid("the client id"))?,
        );
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(headers)
    }

    fn transport_error(&self, error: reqwest::Error) -> AttemptError {
        if error.is_timeout() {
            AttemptError {
                error: Pf360Error::Timeout(self.config.timeout),
                never_sent: false,
            }
        } else if error.is_connect() {
            AttemptError {
                error: Pf360Error::Network(format!("connection failed: {}", error_chain(&error))),
                never_sent: true,
            }
        } else if error.is_decode() || error.is_body() {
            AttemptError {
                error: Pf360Error::Network(format!("reading the answer: {}", error_chain(&error))),
                never_sent: false,
            }
        } else {
            AttemptError {
                error: Pf360Error::Network(error_chain(&error)),
                never_sent: false,
            }
        }
    }
}

/// The error for a non-2xx answer, with the server's `{"message"}` when it sent one.
fn status_error(status: StatusCode, body: &[u8], retry_after: Option<Duration>) -> Pf360Error {
    let message = serde_json::from_slice::<ErrorBody>(body)
        .map(|b| b.message)
        .unwrap_or_else(|_| {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            if text.is_empty() {
                status
                    .canonical_reason()
                    .unwrap_or("no message")
                    .to_string()
            } else {
                text.chars().take(200).collect()
            }
        });
    match status.as_u16() {
        401 => Pf360Error::Unauthorized(message),
        403 => Pf360Error::Forbidden(message),
        404 => Pf360Error::NotFound(message),
        409 => Pf360Error::Conflict(message),
        429 => Pf360Error::RateLimited { retry_after },
        500..=599 => Pf360Error::Server {
            status: status.as_u16(),
            message,
        },
        code => Pf360Error::Invalid(format!("{code}: {message}")),
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare from APIs and is ignored).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// reqwest's error with its causes: "error sending request" alone says little.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
