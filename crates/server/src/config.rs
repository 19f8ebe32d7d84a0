//! Configuration: built-in defaults, then a TOML file, then environment variables (the seeds'
//! names are accepted), then command-line flags. Secrets are kept in `SecretString` and
//! redacted when the configuration is printed.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use pf360::Environment;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// `Debug` prints the redacted form: a configuration logged by mistake shows no password.
#[derive(Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    /// Talk to the built-in mock PF360 (in-process, over real HTTP).
    pub use_mock_api: bool,
    /// The PF360 base URL when not using the mock; else the environment's.
    pub pf360_base_url: Option<String>,
    pub api_environment: Environment,
    pub api_timeout_secs: u64,
    pub real_confirm: bool,
    pub real_cancel: bool,
    pub session_ttl_secs: u64,
    /// The client's time zone ("today", "at 3") when PF360 is real.
    pub client_timezone: String,
    /// Other clients' zones, by client id (`CLIENT_TIMEZONES=ID=America/Chicago,…`).
    pub client_timezones: std::collections::BTreeMap<String, String>,
    /// Fixture for the built-in mock; default: the demo data.
    pub fixtures: Option<PathBuf>,
    pub auth: AuthConfig,
    /// Origins allowed to call the API from a browser (besides the page itself).
    pub cors_origins: Vec<String>,
    pub rate_limit_ip_per_minute: u32,
    pub rate_limit_session_per_minute: u32,
    pub body_limit_bytes: usize,
    /// Proxies (addresses or CIDR blocks) whose `X-Forwarded-For` / `Forwarded` headers name
    /// the client; from anyone else those headers are ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The one header those proxies write (the other is passed through from the client).
    pub forwarded_header: crate::client_ip::ForwardedHeader,
    /// A client must send its request headers within this time, and then its body within this
    /// time (slow clients are closed or get 408); also how long an idle keep-alive connection
    /// is kept.
    pub header_read_timeout_secs: u64,
    /// Rules, a model, or both.
    pub understanding: agent::understand::Mode,
    /// The model, when the understanding uses one.
    pub llm: Option<agent::understand::model::config::LlmConfig>,
    /// Text messages through Twilio.
    pub sms: crate::sms::config::SmsConfig,
    /// Authenticates the operators' API (`/admin/…`); without it that API does not exist.
    pub admin_token: Option<SecretString>,
}

#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub jwt_secret: Option<SecretString>,
    pub jwks_url: Option<String>,
    pub issuer: Option<String>,
    pub audience: Option<String>,
    /// Clock skew allowed on `exp`, `nbf` and `iat`, in seconds.
    pub leeway_secs: u64,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            jwt_secret: None,
            jwks_url: None,
            issuer: None,
            audience: None,
            leeway_secs: 60,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl AuthConfig {
    pub fn is_enabled(&self) -> bool {
        self.jwt_secret.is_some() || self.jwks_url.is_some()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://data/scheduling-agent.db".into(),
            use_mock_api: true,
            pf360_base_url: None,
            api_environment: Environment::Dev,
            api_timeout_secs: 20,
            real_confirm: true,
            real_cancel: true,
            session_ttl_secs: 1800,
            client_timezone: "America/New_York".into(),
            client_timezones: Default::default(),
            fixtures: None,
            auth: AuthConfig::default(),
            cors_origins: Vec::new(),
            rate_limit_ip_per_minute: 120,
            rate_limit_session_per_minute: 30,
            body_limit_bytes: 16 * 1024,
            trusted_proxies: Vec::new(),
            forwarded_header: Default::default(),
            header_read_timeout_secs: 10,
            understanding: agent::understand::Mode::Rules,
            llm: None,
            sms: Default::default(),
            admin_token: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error("{name}: {message}")]
    Env { name: String, message: String },
    #[error("{0}")]
    Invalid(String),
}

/// The TOML file: every field optional, names as in the environment table (lower case).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<SocketAddr>,
    database_url: Option<String>,
    use_mock_api: Option<bool>,
    customer_scheduler_base_api_url: Option<String>,
    api_environment: Option<String>,
    api_timeout: Option<u64>,
    enable_real_confirm: Option<bool>,
    enable_real_cancel: Option<bool>,
    session_ttl: Option<u64>,
    client_timezone: Option<String>,
    fixtures: Option<PathBuf>,
    auth_jwt_secret: Option<String>,
    auth_jwks_url: Option<String>,
    auth_issuer: Option<String>,
    auth_audience: Option<String>,
    cors_origins: Option<Vec<String>>,
    rate_limit_ip_per_minute: Option<u32>,
    rate_limit_session_per_minute: Option<u32>,
    body_limit_bytes: Option<usize>,
    trusted_proxies: Option<Vec<String>>,
    forwarded_header: Option<String>,
    header_read_timeout: Option<u64>,
    auth_leeway: Option<u64>,
    understanding: Option<String>,
    sms: Option<crate::sms::config::SmsFile>,
    admin_api_token: Option<String>,
}

impl Config {
    /// Defaults ← file ← environment (`env` looks a name up).
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        if let Some(path) = file {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| ConfigError::File {
                file: name.clone(),
                message: e.to_string(),
            })?;
            let f: FileConfig = toml::from_str(&text).map_err(|e| ConfigError::File {
                file: name.clone(),
                message: e.to_string(),
            })?;
            config.apply_file(f).map_err(|message| ConfigError::File {
                file: name,
                message,
            })?;
        }
        config.apply_env(env)?;
        config.check()?;
        Ok(config)
    }

    fn apply_file(&mut self, f: FileConfig) -> Result<(), String> {
        set(&mut self.addr, f.addr);
        set(&mut self.database_url, f.database_url);
        set(&mut self.use_mock_api, f.use_mock_api);
        if f.customer_scheduler_base_api_url.is_some() {
            self.pf360_base_url = f.customer_scheduler_base_api_url;
        }
        if let Some(e) = f.api_environment {
            self.api_environment = e
                .parse()
                .map_err(|e: pf360::environment::UnknownEnvironment| e.to_string())?;
        }
        set(&mut self.api_timeout_secs, f.api_timeout);
        set(&mut self.real_confirm, f.enable_real_confirm);
        set(&mut self.real_cancel, f.enable_real_cancel);
        set(&mut self.session_ttl_secs, f.session_ttl);
        set(&mut self.client_timezone, f.client_timezone);
        if f.fixtures.is_some() {
            self.fixtures = f.fixtures;
        }
        if let Some(secret) = f.auth_jwt_secret {
            self.auth.jwt_secret = Some(SecretString::from(secret));
        }
        if f.auth_jwks_url.is_some() {
            self.auth.jwks_url = f.auth_jwks_url;
        }
        if f.auth_issuer.is_some() {
            self.auth.issuer = f.auth_issuer;
        }
        if f.auth_audience.is_some() {
            self.auth.audience = f.auth_audience;
        }
        set(&mut self.cors_origins, f.cors_origins);
        set(
            &mut self.rate_limit_ip_per_minute,
            f.rate_limit_ip_per_minute,
        );
        set(
            &mut self.rate_limit_session_per_minute,
            f.rate_limit_session_per_minute,
        );
        set(&mut self.body_limit_bytes, f.body_limit_bytes);
        if let Some(list) = f.trusted_proxies {
            self.trusted_proxies = parse_proxies(list.iter().map(String::as_str))?;
        }
        if let Some(name) = f.forwarded_header {
            self.forwarded_header = name.parse()?;
        }
        set(&mut self.header_read_timeout_secs, f.header_read_timeout);
        set(&mut self.auth.leeway_secs, f.auth_leeway);
        if let Some(mode) = f.understanding {
            self.understanding = mode.parse()?;
        }
        if let Some(sms) = f.sms {
            self.sms.apply_file(sms)?;
        }
        if let Some(token) = f.admin_api_token {
            self.admin_token = Some(SecretString::from(token));
        }
        Ok(())
    }

    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        let get = |name: &str| {
            env(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let bad = |name: &str, message: String| ConfigError::Env {
            name: name.into(),
            message,
        };
        let flag = |name: &str| -> Result<Option<bool>, ConfigError> {
            get(name)
                .map(|v| match v.to_ascii_lowercase().as_str() {
                    "1" | "true" | "yes" | "on" => Ok(true),
                    "0" | "false" | "no" | "off" => Ok(false),
                    other => Err(bad(name, format!("{other:?} is not true or false"))),
                })
                .transpose()
        };
        let number = |name: &str| -> Result<Option<u64>, ConfigError> {
            get(name)
                .map(|v| {
                    v.parse()
                        .map_err(|_| bad(name, format!("{v:?} is not a whole number")))
                })
                .transpose()
        };
        if let Some(v) = get("SERVER_ADDR") {
            self.addr = v
                .parse()
                .map_err(|_| bad("SERVER_ADDR", format!("{v:?} is not HOST:PORT")))?;
        }
        set(&mut self.database_url, get("DATABASE_URL"));
        set(&mut self.use_mock_api, flag("USE_MOCK_API")?);
        if let Some(url) = get("CUSTOMER_SCHEDULER_BASE_API_URL") {
            self.pf360_base_url = Some(url);
        }
        if let Some(e) = get("API_ENVIRONMENT") {
            self.api_environment =
                e.parse()
                    .map_err(|e: pf360::environment::UnknownEnvironment| {
                        bad("API_ENVIRONMENT", e.to_string())
                    })?;
        }
        set(&mut self.api_timeout_secs, number("API_TIMEOUT")?);
        set(&mut self.real_confirm, flag("ENABLE_REAL_CONFIRM")?);
        set(&mut self.real_cancel, flag("ENABLE_REAL_CANCEL")?);
        set(&mut self.session_ttl_secs, number("SESSION_TTL")?);
        set(&mut self.client_timezone, get("CLIENT_TIMEZONE"));
        if let Some(list) = get("CLIENT_TIMEZONES") {
            for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                let (client, zone) = item.split_once('=').ok_or_else(|| {
                    bad(
                        "CLIENT_TIMEZONES",
                        format!("{item:?} is not CLIENT_ID=Zone/Name"),
                    )
                })?;
                self.client_timezones
                    .insert(client.trim().to_string(), zone.trim().to_string());
            }
        }
        if let Some(secret) = get("AUTH_JWT_SECRET") {
            self.auth.jwt_secret = Some(SecretString::from(secret));
        }
        if let Some(url) = get("AUTH_JWKS_URL") {
            self.auth.jwks_url = Some(url);
        }
        if let Some(v) = get("AUTH_ISSUER") {
            self.auth.issuer = Some(v);
        }
        if let Some(v) = get("AUTH_AUDIENCE") {
            self.auth.audience = Some(v);
        }
        if let Some(n) = number("RATE_LIMIT_IP_PER_MINUTE")? {
            self.rate_limit_ip_per_minute = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(n) = number("RATE_LIMIT_SESSION_PER_MINUTE")? {
            self.rate_limit_session_per_minute = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(v) = get("TRUSTED_PROXIES") {
            self.trusted_proxies =
                parse_proxies(v.split(',')).map_err(|m| bad("TRUSTED_PROXIES", m))?;
        }
        if let Some(v) = get("FORWARDED_HEADER") {
            self.forwarded_header = v.parse().map_err(|m| bad("FORWARDED_HEADER", m))?;
        }
        set(
            &mut self.header_read_timeout_secs,
            number("HEADER_READ_TIMEOUT")?,
        );
        set(&mut self.auth.leeway_secs, number("AUTH_LEEWAY")?);
        if let Some(mode) = get("UNDERSTANDING") {
            self.understanding = mode.parse().map_err(|m| bad("UNDERSTANDING", m))?;
        }
        if self.understanding != agent::understand::Mode::Rules {
            let llm = agent::understand::model::config::LlmConfig::from_env(&env)
                .map_err(|e| bad("LLM_PROVIDER", e.to_string()))?;
            self.llm = Some(llm);
        }
        if let Some(token) = get("ADMIN_API_TOKEN") {
            self.admin_token = Some(SecretString::from(token));
        }
        self.sms.apply_env(get).map_err(ConfigError::Invalid)?;
        if let Some(v) = get("CORS_ORIGINS") {
            self.cors_origins = v
                .split(',')
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty())
                .collect();
        }
        Ok(())
    }

    /// Settings that cannot work together are refused at start, not discovered later.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.client_timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(ConfigError::Invalid(format!(
                "CLIENT_TIMEZONE {:?} is not an IANA time zone",
                self.client_timezone
            )));
        }
        if let Some((client, zone)) = self
            .client_timezones
            .iter()
            .find(|(_, zone)| zone.parse::<chrono_tz::Tz>().is_err())
        {
            return Err(ConfigError::Invalid(format!(
                "CLIENT_TIMEZONES: {zone:?} (client {client}) is not an IANA time zone"
            )));
        }
        if !self.use_mock_api && !self.auth.is_enabled() {
            return Err(ConfigError::Invalid(
                "a real PF360 needs authenticated customers: set AUTH_JWT_SECRET or AUTH_JWKS_URL (demo mode only works with the built-in mock)".into(),
            ));
        }
        if self.api_timeout_secs == 0
            || self.session_ttl_secs == 0
            || self.header_read_timeout_secs == 0
        {
            return Err(ConfigError::Invalid(
                "API_TIMEOUT, SESSION_TTL and HEADER_READ_TIMEOUT must be positive".into(),
            ));
        }
        self.sms.check().map_err(ConfigError::Invalid)?;
        Ok(())
    }

    /// Demo mode: no login, as the demo customer — only against the built-in mock.
    pub fn demo_mode(&self) -> bool {
        self.use_mock_api && !self.auth.is_enabled()
    }

    /// The effective configuration as TOML, secrets redacted.
    pub fn redacted(&self) -> String {
        let secret = |s: &Option<SecretString>| {
            s.as_ref().map(|v| {
                if v.expose_secret().is_empty() {
                    ""
                } else {
                    "<redacted>"
                }
            })
        };
        let lines = [
            format!("addr = {:?}", self.addr.to_string()),
            format!("database_url = {:?}", redact_url(&self.database_url)),
            format!("use_mock_api = {}", self.use_mock_api),
            format!(
                "customer_scheduler_base_api_url = {:?}",
                self.pf360_base_url.as_deref().unwrap_or("")
            ),
            format!(
                "api_environment = {:?}",
                format!("{:?}", self.api_environment).to_lowercase()
            ),
            format!("api_timeout = {}", self.api_timeout_secs),
            format!("enable_real_confirm = {}", self.real_confirm),
            format!("enable_real_cancel = {}", self.real_cancel),
            format!("session_ttl = {}", self.session_ttl_secs),
            format!("client_timezone = {:?}", self.client_timezone),
            format!("client_timezones = {:?}", self.client_timezones),
            format!(
                "fixtures = {:?}",
                self.fixtures
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            ),
            format!(
                "auth_jwt_secret = {:?}",
                secret(&self.auth.jwt_secret).unwrap_or("")
            ),
            format!(
                "auth_jwks_url = {:?}",
                self.auth.jwks_url.as_deref().unwrap_or("")
            ),
            format!(
                "auth_issuer = {:?}",
                self.auth.issuer.as_deref().unwrap_or("")
            ),
            format!(
                "auth_audience = {:?}",
                self.auth.audience.as_deref().unwrap_or("")
            ),
            format!("cors_origins = {:?}", self.cors_origins),
            format!(
                "rate_limit_ip_per_minute = {}",
                self.rate_limit_ip_per_minute
            ),
            format!(
                "rate_limit_session_per_minute = {}",
                self.rate_limit_session_per_minute
            ),
            format!("body_limit_bytes = {}", self.body_limit_bytes),
            format!(
                "trusted_proxies = {:?}",
                self.trusted_proxies
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            ),
            format!("forwarded_header = {:?}", self.forwarded_header.name()),
            format!("header_read_timeout = {}", self.header_read_timeout_secs),
            format!("auth_leeway = {}", self.auth.leeway_secs),
            format!(
                "understanding = {:?}",
                format!("{:?}", self.understanding).to_lowercase()
            ),
            format!(
                "# model: {}",
                self.llm.as_ref().map_or_else(
                    || "none".to_string(),
                    |l| format!(
                        "{:?} {} at {} (timeout {} ms, key {})",
                        l.provider,
                        l.model,
                        l.base_url,
                        l.timeout.as_millis(),
                        if l.api_key.is_some() {
                            "<redacted>"
                        } else {
                            "none"
                        }
                    )
                )
            ),
            format!(
                "admin_api_token = {:?}",
                secret(&self.admin_token).unwrap_or("")
            ),
            format!("# demo mode: {}", self.demo_mode()),
        ];
        let mut lines = lines.to_vec();
        lines.extend(self.sms.redacted());
        lines.join("\n")
    }
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

/// A database URL without its password.
/// "10.0.0.0/8, 192.168.1.7" → networks (a bare address is a network of one).
fn parse_proxies<'a>(items: impl Iterator<Item = &'a str>) -> Result<Vec<ipnet::IpNet>, String> {
    items
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("{item:?} is not an IP address or CIDR block"))
        })
        .collect()
}

fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("redacted"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn defaults_are_the_laptop_demo() {
        let c = Config::load(None, env(&[])).unwrap();
        assert!(c.demo_mode());
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert!(c.database_url.starts_with("sqlite://"));
    }

    #[test]
    fn the_seeds_environment_names_are_read() {
        let c = Config::load(
            None,
            env(&[
                ("USE_MOCK_API", "false"),
                ("CUSTOMER_SCHEDULER_BASE_API_URL", "http://127.0.0.1:4010"),
                ("API_ENVIRONMENT", "prod"),
                ("API_TIMEOUT", "5"),
                ("ENABLE_REAL_CONFIRM", "false"),
                ("ENABLE_REAL_CANCEL", "0"),
                ("SESSION_TTL", "600"),
                ("DATABASE_URL", "postgres://app:hunter2@db/app"),
                ("AUTH_JWT_SECRET", "s3cret"),
            ]),
        )
        .unwrap();
        assert!(!c.use_mock_api && !c.demo_mode());
        assert_eq!(c.api_environment, Environment::Prod);
        assert_eq!((c.api_timeout_secs, c.session_ttl_secs), (5, 600));
        assert!(!c.real_confirm && !c.real_cancel);
        let shown = c.redacted();
        assert!(
            !shown.contains("s3cret") && !shown.contains("hunter2"),
            "{shown}"
        );
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn a_toml_file_is_read_and_the_environment_wins_over_it() {
        let dir = std::env::temp_dir().join(format!("sa-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("agent.toml");
        std::fs::write(
            &file,
            "addr = \"0.0.0.0:9000\"\nsession_ttl = 900\nenable_real_cancel = false\ncors_origins = [\"https://portal.example\"]\n",
        )
        .unwrap();
        let c = Config::load(Some(&file), env(&[("SESSION_TTL", "300")])).unwrap();
        assert_eq!(c.addr.to_string(), "0.0.0.0:9000");
        assert_eq!(c.session_ttl_secs, 300);
        assert!(!c.real_cancel);
        assert_eq!(c.cors_origins, ["https://portal.example"]);

        std::fs::write(&file, "sesion_ttl = 900\n").unwrap();
        let err = Config::load(Some(&file), env(&[])).unwrap_err().to_string();
        assert!(
            err.contains("agent.toml") && err.contains("sesion_ttl"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_real_pf360_without_auth_is_refused() {
        let err = Config::load(None, env(&[("USE_MOCK_API", "false")])).unwrap_err();
        assert!(err.to_string().contains("AUTH_JWT_SECRET"));
        let err = Config::load(None, env(&[("ENABLE_REAL_CONFIRM", "maybe")])).unwrap_err();
        assert!(err.to_string().contains("ENABLE_REAL_CONFIRM"));
    }

    #[test]
    fn debug_output_hides_the_database_password() {
        let c = Config::load(
            None,
            env(&[("DATABASE_URL", "postgres://app:hunter2@db:5432/prod")]),
        )
        .unwrap();
        let printed = format!("{c:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(
            printed.contains("postgres://app:redacted@db:5432/prod"),
            "{printed}"
        );
    }

    #[test]
    fn trusted_proxies_leeway_and_header_timeout_are_read() {
        let c = Config::load(
            None,
            env(&[
                ("TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7 ,::1"),
                ("AUTH_LEEWAY", "5"),
                ("HEADER_READ_TIMEOUT", "3"),
                ("FORWARDED_HEADER", "Forwarded"),
            ]),
        )
        .unwrap();
        assert_eq!(
            c.forwarded_header,
            crate::client_ip::ForwardedHeader::Forwarded
        );
        assert_eq!(c.trusted_proxies.len(), 3);
        assert!(c.trusted_proxies[1].contains(&"192.168.1.7".parse::<std::net::IpAddr>().unwrap()));
        assert_eq!(c.auth.leeway_secs, 5);
        assert_eq!(c.header_read_timeout_secs, 3);
        let err = Config::load(None, env(&[("TRUSTED_PROXIES", "10.0.0.0/8,lb.internal")]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("TRUSTED_PROXIES") && err.contains("lb.internal"),
            "{err}"
        );
    }
}
