//! The SMS channel's settings (README, "Text messages"). The channel is on when a Twilio
//! account SID and auth token are set; without them the webhooks answer 404.

use std::collections::BTreeMap;

use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct SmsConfig {
    pub account_sid: Option<String>,
    /// Signs Twilio's webhooks and authenticates our API calls.
    pub auth_token: Option<SecretString>,
    pub from_number: Option<String>,
    pub messaging_service_sid: Option<String>,
    /// Twilio's API (the mock's URL in tests).
    pub api_base_url: String,
    /// The URL Twilio calls, as Twilio sees it (signatures cover it; a TLS-terminating proxy
    /// changes what the server sees). Default: `http://` and the listening address.
    pub public_base_url: Option<String>,
    /// Per client: the PF360 service token that acts for the directory's customers.
    pub service_tokens: BTreeMap<String, SecretString>,
    /// Per client: its name in PF360's portal links (default: the client id).
    pub client_names: BTreeMap<String, String>,
    /// A turn that takes longer is answered by the REST API instead of TwiML (Twilio waits
    /// 15 s for a webhook).
    pub reply_budget_ms: u64,
    /// Named in HELP answers; default: the client's name, in words.
    pub business_name: Option<String>,
    /// The number HELP and unknown numbers are told to call; default: the number texted.
    pub support_phone: Option<String>,
    pub keywords: agent::sms::Keywords,
    /// Reminders before each appointment booked or moved here: (label, how long before).
    pub reminder_offsets: Vec<(String, chrono::Duration)>,
    /// No text is sent between these local times (start, end), in the customer's zone.
    pub quiet_hours: (chrono::NaiveTime, chrono::NaiveTime),
    /// How often the worker looks for due reminders.
    pub reminder_poll_secs: u64,
    /// Send á í ó ú as a i o u, so Spanish goes as GSM-7 (160 characters a segment) instead
    /// of UCS-2 (70): half the segments, as Spanish is commonly texted.
    pub fold_accents: bool,
}

/// `24h,2h,30m`: labels kept as written.
pub fn parse_offsets(raw: &str) -> Result<Vec<(String, chrono::Duration)>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|label| {
            let (number, unit) = label.split_at(label.len().saturating_sub(1));
            let n: i64 = number
                .parse()
                .map_err(|_| format!("{label:?} is not an offset like 24h or 30m"))?;
            let offset = match unit {
                "h" => chrono::Duration::hours(n),
                "m" => chrono::Duration::minutes(n),
                "d" => chrono::Duration::days(n),
                _ => return Err(format!("{label:?} is not an offset like 24h or 30m")),
            };
            if n <= 0 {
                return Err(format!("{label:?} must be positive"));
            }
            Ok((label.to_string(), offset))
        })
        .collect()
}

/// `21:00-08:00`.
pub fn parse_quiet_hours(raw: &str) -> Result<(chrono::NaiveTime, chrono::NaiveTime), String> {
    let bad = || format!("{raw:?} is not a window like 21:00-08:00");
    let (start, end) = raw.split_once('-').ok_or_else(bad)?;
    let time = |t: &str| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
    Ok((time(start)?, time(end)?))
}

impl Default for SmsConfig {
    fn default() -> Self {
        SmsConfig {
            account_sid: None,
            auth_token: None,
            from_number: None,
            messaging_service_sid: None,
            api_base_url: twilio::client::DEFAULT_API_BASE_URL.into(),
            public_base_url: None,
            service_tokens: BTreeMap::new(),
            client_names: BTreeMap::new(),
            reply_budget_ms: 10_000,
            business_name: None,
            support_phone: None,
            keywords: agent::sms::Keywords::default(),
            reminder_offsets: vec![
                ("24h".into(), chrono::Duration::hours(24)),
                ("2h".into(), chrono::Duration::hours(2)),
            ],
            quiet_hours: (
                chrono::NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
                chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            ),
            reminder_poll_secs: 30,
            fold_accents: true,
        }
    }
}

/// The `[sms]` table of the TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SmsFile {
    twilio_account_sid: Option<String>,
    twilio_auth_token: Option<String>,
    twilio_from_number: Option<String>,
    twilio_messaging_service_sid: Option<String>,
    twilio_api_base_url: Option<String>,
    public_base_url: Option<String>,
    pf360_service_tokens: Option<BTreeMap<String, String>>,
    pf360_client_names: Option<BTreeMap<String, String>>,
    sms_reply_budget_ms: Option<u64>,
    sms_business_name: Option<String>,
    sms_support_phone: Option<String>,
    sms_opt_out_keywords: Option<Vec<String>>,
    sms_opt_in_keywords: Option<Vec<String>>,
    sms_help_keywords: Option<Vec<String>>,
    reminder_offsets: Option<String>,
    quiet_hours: Option<String>,
    reminder_poll_secs: Option<u64>,
    sms_fold_accents: Option<bool>,
}

impl SmsConfig {
    pub fn enabled(&self) -> bool {
        self.account_sid.is_some() && self.auth_token.is_some()
    }

    /// The `[sms]` table; the environment is read into the same table first.
    pub(crate) fn apply_file(&mut self, f: SmsFile) -> Result<(), String> {
        let keep = |slot: &mut Option<String>, value: Option<String>| {
            if value.is_some() {
                *slot = value;
            }
        };
        keep(&mut self.account_sid, f.twilio_account_sid);
        if let Some(token) = f.twilio_auth_token {
            self.auth_token = Some(SecretString::from(token));
        }
        keep(&mut self.from_number, f.twilio_from_number);
        keep(
            &mut self.messaging_service_sid,
            f.twilio_messaging_service_sid,
        );
        if let Some(url) = f.twilio_api_base_url {
            self.api_base_url = url;
        }
        keep(&mut self.public_base_url, f.public_base_url);
        if let Some(tokens) = f.pf360_service_tokens {
            self.service_tokens = tokens
                .into_iter()
                .map(|(client, token)| (client, SecretString::from(token)))
                .collect();
        }
        if let Some(names) = f.pf360_client_names {
            self.client_names = names;
        }
        if let Some(ms) = f.sms_reply_budget_ms {
            self.reply_budget_ms = ms;
        }
        keep(&mut self.business_name, f.sms_business_name);
        keep(&mut self.support_phone, f.sms_support_phone);
        let upper = |words: Vec<String>| words.into_iter().map(|w| w.to_uppercase()).collect();
        if let Some(words) = f.sms_opt_out_keywords {
            self.keywords.opt_out = upper(words);
        }
        if let Some(words) = f.sms_opt_in_keywords {
            self.keywords.opt_in = upper(words);
        }
        if let Some(words) = f.sms_help_keywords {
            self.keywords.help = upper(words);
        }
        if let Some(raw) = f.reminder_offsets {
            self.reminder_offsets =
                parse_offsets(&raw).map_err(|m| format!("REMINDER_OFFSETS: {m}"))?;
        }
        if let Some(raw) = f.quiet_hours {
            self.quiet_hours = parse_quiet_hours(&raw).map_err(|m| format!("QUIET_HOURS: {m}"))?;
        }
        if let Some(secs) = f.reminder_poll_secs {
            self.reminder_poll_secs = secs.max(1);
        }
        if let Some(fold) = f.sms_fold_accents {
            self.fold_accents = fold;
        }
        Ok(())
    }

    /// `TWILIO_*`, `PUBLIC_BASE_URL`, `PF360_SERVICE_TOKENS=CLIENT_ID=token,…`,
    /// `PF360_CLIENT_NAMES=CLIENT_ID=name,…`, `SMS_*`, `REMINDER_OFFSETS`, `QUIET_HOURS`,
    /// `REMINDER_POLL_SECS`.
    pub(crate) fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), String> {
        let list = |name: &str| {
            get(name).map(|v| {
                v.split(',')
                    .map(|w| w.trim().to_string())
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
            })
        };
        let pairs = |name: &str| -> Result<Option<BTreeMap<String, String>>, String> {
            list(name)
                .map(|items| {
                    items
                        .iter()
                        .map(|item| {
                            item.split_once('=')
                                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                                .filter(|(k, v)| !k.is_empty() && !v.is_empty())
                                .ok_or_else(|| {
                                    format!(
                                        "{name}: expected CLIENT_ID=value, got an item without one"
                                    )
                                })
                        })
                        .collect()
                })
                .transpose()
        };
        let number = |name: &str| -> Result<Option<u64>, String> {
            get(name)
                .map(|v| {
                    v.parse()
                        .map_err(|_| format!("{name}: {v:?} is not a whole number"))
                })
                .transpose()
        };
        let flag = |name: &str| -> Result<Option<bool>, String> {
            get(name)
                .map(|v| match v.to_ascii_lowercase().as_str() {
                    "1" | "true" | "yes" | "on" => Ok(true),
                    "0" | "false" | "no" | "off" => Ok(false),
                    other => Err(format!("{name}: {other:?} is not true or false")),
                })
                .transpose()
        };
        self.apply_file(SmsFile {
            twilio_account_sid: get("TWILIO_ACCOUNT_SID"),
            twilio_auth_token: get("TWILIO_AUTH_TOKEN"),
            twilio_from_number: get("TWILIO_FROM_NUMBER"),
            twilio_messaging_service_sid: get("TWILIO_MESSAGING_SERVICE_SID"),
            twilio_api_base_url: get("TWILIO_API_BASE_URL"),
            public_base_url: get("PUBLIC_BASE_URL"),
            pf360_service_tokens: pairs("PF360_SERVICE_TOKENS")?,
            pf360_client_names: pairs("PF360_CLIENT_NAMES")?,
            sms_reply_budget_ms: number("SMS_REPLY_BUDGET_MS")?,
            sms_business_name: get("SMS_BUSINESS_NAME"),
            sms_support_phone: get("SMS_SUPPORT_PHONE"),
            sms_opt_out_keywords: list("SMS_OPT_OUT_KEYWORDS"),
            sms_opt_in_keywords: list("SMS_OPT_IN_KEYWORDS"),
            sms_help_keywords: list("SMS_HELP_KEYWORDS"),
            reminder_offsets: get("REMINDER_OFFSETS"),
            quiet_hours: get("QUIET_HOURS"),
            reminder_poll_secs: number("REMINDER_POLL_SECS")?,
            sms_fold_accents: flag("SMS_FOLD_ACCENTS")?,
        })
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        if !self.enabled() {
            return Ok(());
        }
        if self.from_number.is_none() && self.messaging_service_sid.is_none() {
            return Err(
                "SMS needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID to send texts".into(),
            );
        }
        if let Some(number) = &self.from_number
            && !crate::sms::is_e164(number)
        {
            return Err(format!(
                "TWILIO_FROM_NUMBER {number:?} is not an E.164 number like +18135550142"
            ));
        }
        if self.reply_budget_ms == 0 || self.reply_budget_ms > 14_000 {
            return Err(
                "SMS_REPLY_BUDGET_MS must be between 1 and 14000 (Twilio waits 15 s)".into(),
            );
        }
        url::Url::parse(&self.api_base_url)
            .map_err(|e| format!("TWILIO_API_BASE_URL {:?}: {e}", self.api_base_url))?;
        if let Some(public) = &self.public_base_url {
            url::Url::parse(public).map_err(|e| format!("PUBLIC_BASE_URL {public:?}: {e}"))?;
        }
        Ok(())
    }

    /// The settings as TOML lines under `[sms]`, secrets redacted.
    pub(crate) fn redacted(&self) -> Vec<String> {
        let redacted = |set: bool| if set { "<redacted>" } else { "" };
        vec![
            "[sms]".into(),
            format!(
                "twilio_account_sid = {:?}",
                self.account_sid.as_deref().unwrap_or("")
            ),
            format!(
                "twilio_auth_token = {:?}",
                redacted(self.auth_token.is_some())
            ),
            format!(
                "twilio_from_number = {:?}",
                self.from_number.as_deref().unwrap_or("")
            ),
            format!(
                "twilio_messaging_service_sid = {:?}",
                self.messaging_service_sid.as_deref().unwrap_or("")
            ),
            format!("twilio_api_base_url = {:?}", self.api_base_url),
            format!(
                "public_base_url = {:?}",
                self.public_base_url.as_deref().unwrap_or("")
            ),
            format!(
                "pf360_service_tokens = {{ {} }}",
                self.service_tokens
                    .keys()
                    .map(|client| format!("{client:?} = \"<redacted>\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!("sms_reply_budget_ms = {}", self.reply_budget_ms),
            format!("sms_opt_out_keywords = {:?}", self.keywords.opt_out),
            format!("sms_opt_in_keywords = {:?}", self.keywords.opt_in),
            format!("sms_help_keywords = {:?}", self.keywords.help),
            format!(
                "reminder_offsets = {:?}",
                self.reminder_offsets
                    .iter()
                    .map(|(label, _)| label.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            format!(
                "quiet_hours = \"{}-{}\"",
                self.quiet_hours.0.format("%H:%M"),
                self.quiet_hours.1.format("%H:%M")
            ),
            format!("reminder_poll_secs = {}", self.reminder_poll_secs),
            format!("sms_fold_accents = {}", self.fold_accents),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn from_env(pairs: &[(&str, &str)]) -> Result<SmsConfig, String> {
        let mut config = SmsConfig::default();
        config.apply_env(|name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })?;
        config.check()?;
        Ok(config)
    }

    #[test]
    fn the_environment_sets_the_channel_and_secrets_stay_hidden() {
        let config = from_env(&[
            ("TWILIO_ACCOUNT_SID", "AC1"),
            ("TWILIO_AUTH_TOKEN", "twilio-secret"),
            ("TWILIO_FROM_NUMBER", "+18135550100"),
            ("PF360_SERVICE_TOKENS", "09PF05VD=svc-secret, 77XY=other"),
            ("REMINDER_OFFSETS", "48h,90m"),
            ("QUIET_HOURS", "20:00-09:00"),
            ("SMS_FOLD_ACCENTS", "false"),
        ])
        .unwrap();
        assert!(config.enabled());
        assert_eq!(
            config.service_tokens["09PF05VD"].expose_secret(),
            "svc-secret"
        );
        assert_eq!(config.reminder_offsets[1].1, chrono::Duration::minutes(90));
        assert_eq!(config.quiet_hours.0.format("%H:%M").to_string(), "20:00");
        assert!(!config.fold_accents);
        let printed = config.redacted().join("\n");
        assert!(
            !printed.contains("twilio-secret") && !printed.contains("svc-secret"),
            "{printed}"
        );
    }

    #[test]
    fn settings_that_cannot_work_are_refused() {
        let on = [("TWILIO_ACCOUNT_SID", "AC1"), ("TWILIO_AUTH_TOKEN", "t")];
        assert!(from_env(&on).is_err(), "no sender");
        for bad in [
            ("TWILIO_FROM_NUMBER", "8135550100"),
            ("PF360_SERVICE_TOKENS", "no-equals-sign"),
            ("REMINDER_OFFSETS", "tomorrow"),
            ("QUIET_HOURS", "late"),
            ("SMS_REPLY_BUDGET_MS", "20000"),
        ] {
            let mut env = on.to_vec();
            env.push(("TWILIO_MESSAGING_SERVICE_SID", "MG1"));
            env.push(bad);
            assert!(from_env(&env).is_err(), "{bad:?} accepted");
        }
    }
}
