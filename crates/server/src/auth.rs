//! Who is calling: `Authorization: Bearer <JWT>` verified (HS256 with a secret, or RS256 with
//! keys from a JWKS URL; `exp` always, `iss`/`aud` when configured). The claims `customer_id`,
//! `client_id` and `client_name` are the identity, and the same token is passed to PF360.
//! Without any auth setting (and only with the built-in mock), every caller is the demo
//! customer.

use std::sync::Arc;

use axum::http::HeaderMap;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use pf360::Token;
use secrecy::ExposeSecret;
use serde::Deserialize;
use tokio::sync::RwLock;

use crate::config::AuthConfig;
use crate::error::ApiError;

/// The authenticated customer.
#[derive(Debug, Clone)]
pub struct Identity {
    pub client_id: String,
    pub client_name: String,
    pub customer_id: String,
    pub token: Token,
}

#[derive(Deserialize)]
struct Claims {
    #[serde(deserialize_with = "pf360::lenient::id")]
    customer_id: String,
    #[serde(deserialize_with = "pf360::lenient::id")]
    client_id: String,
    #[serde(default)]
    client_name: Option<String>,
    /// Issued at: a token from the future (beyond the leeway) is refused.
    #[serde(default)]
    iat: Option<i64>,
}

/// An unknown `kid` refetches the JWKS at most this often: forged tokens cannot make us
/// hammer the issuer.
const JWKS_REFETCH_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

pub enum Authenticator {
    /// No login: everyone is the demo customer (only with the built-in mock).
    Demo(Identity),
    Secret {
        key: DecodingKey,
        validation: Validation,
    },
    Jwks {
        url: String,
        keys: RwLock<JwkSet>,
        /// When the keys were last fetched; held while refetching, so one fetch serves all
        /// the requests that wanted it.
        fetched: tokio::sync::Mutex<std::time::Instant>,
        validation: Validation,
        http: reqwest::Client,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum AuthSetupError {
    #[error("cannot fetch the JWKS from {url}: {message}")]
    Jwks { url: String, message: String },
}

impl Authenticator {
    pub async fn from_config(
        config: &AuthConfig,
        demo: Option<Identity>,
    ) -> Result<Arc<Self>, AuthSetupError> {
        let validation = |alg| {
            let mut v = Validation::new(alg);
            v.validate_exp = true;
            v.validate_nbf = true;
            v.leeway = config.leeway_secs;
            match &config.issuer {
                Some(iss) => v.set_issuer(&[iss]),
                None => v.iss = None,
            }
            match &config.audience {
                Some(aud) => v.set_audience(&[aud]),
                None => v.validate_aud = false,
            }
            v
        };
        if let Some(secret) = &config.jwt_secret {
            return Ok(Arc::new(Authenticator::Secret {
                key: DecodingKey::from_secret(secret.expose_secret().as_bytes()),
                validation: validation(Algorithm::HS256),
            }));
        }
        if let Some(url) = &config.jwks_url {
            let http = reqwest::Client::new();
            let keys = fetch_jwks(&http, url).await?;
            return Ok(Arc::new(Authenticator::Jwks {
                url: url.clone(),
                keys: RwLock::new(keys),
                fetched: tokio::sync::Mutex::new(std::time::Instant::now()),
                validation: validation(Algorithm::RS256),
                http,
            }));
        }
        let demo = demo.ok_or_else(|| AuthSetupError::Jwks {
            url: String::new(),
            message: "no demo customer".into(),
        })?;
        Ok(Arc::new(Authenticator::Demo(demo)))
    }

    pub fn is_demo(&self) -> bool {
        matches!(self, Authenticator::Demo(_))
    }

    /// The caller of a request, or 401.
    pub async fn identify(&self, headers: &HeaderMap) -> Result<Identity, ApiError> {
        if let Authenticator::Demo(identity) = self {
            return Ok(identity.clone());
        }
        let token = bearer(headers)
            .ok_or_else(|| ApiError::unauthorized("Sign in to continue (missing bearer token)."))?;
        let claims = match self {
            Authenticator::Secret { key, validation } => decode(token, key, validation)?,
            Authenticator::Jwks {
                url,
                keys,
                fetched,
                validation,
                http,
            } => {
                let kid = jsonwebtoken::decode_header(token).ok().and_then(|h| h.kid);
                let known = find_key(&*keys.read().await, kid.as_deref());
                let key = match known {
                    Some(key) => key,
                    None => {
                        // A key we do not know: the issuer may have rotated. Fetch again, but
                        // not more than once an interval.
                        let mut last = fetched.lock().await;
                        let now_known = find_key(&*keys.read().await, kid.as_deref());
                        match now_known {
                            Some(key) => key,
                            None if last.elapsed() < JWKS_REFETCH_INTERVAL => {
                                tracing::info!(
                                    "token with an unknown key refused (JWKS fetched recently)"
                                );
                                return Err(ApiError::unauthorized(
                                    "Your sign-in could not be verified.",
                                ));
                            }
                            None => {
                                *last = std::time::Instant::now();
                                metrics::counter!("jwks_fetches_total").increment(1);
                                let fresh = fetch_jwks(http, url).await.map_err(|e| {
                                    tracing::warn!(error = %e, "JWKS refresh failed");
                                    ApiError::unauthorized("Your sign-in could not be verified.")
                                })?;
                                let key = find_key(&fresh, kid.as_deref());
                                *keys.write().await = fresh;
                                key.ok_or_else(|| {
                                    ApiError::unauthorized("Your sign-in could not be verified.")
                                })?
                            }
                        }
                    }
                };
                decode(token, &key, validation)?
            }
            Authenticator::Demo(_) => unreachable!("handled above"),
        };
        Ok(Identity {
            client_name: claims
                .client_name
                .unwrap_or_else(|| claims.client_id.clone()),
            client_id: claims.client_id,
            customer_id: claims.customer_id,
            token: Token::new(token),
        })
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

fn decode(token: &str, key: &DecodingKey, validation: &Validation) -> Result<Claims, ApiError> {
    let claims = jsonwebtoken::decode::<Claims>(token, key, validation)
        .map(|d| d.claims)
        .map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            let message = match e.kind() {
                ErrorKind::ExpiredSignature => "Your session has expired; please sign in again.",
                _ => "Your sign-in could not be verified.",
            };
            tracing::info!(reason = ?e.kind(), "token refused");
            ApiError::unauthorized(message)
        })?;
    let now = i64::try_from(jsonwebtoken::get_current_timestamp()).unwrap_or(i64::MAX);
    let leeway = i64::try_from(validation.leeway).unwrap_or(0);
    if claims
        .iat
        .is_some_and(|iat| iat > now.saturating_add(leeway))
    {
        tracing::info!("token refused: issued in the future");
        return Err(ApiError::unauthorized(
            "Your sign-in could not be verified.",
        ));
    }
    Ok(claims)
}

fn find_key(set: &JwkSet, kid: Option<&str>) -> Option<DecodingKey> {
    let jwk = match kid {
        Some(kid) => set.find(kid),
        None => set.keys.first(),
    }?;
    DecodingKey::from_jwk(jwk).ok()
}

async fn fetch_jwks(http: &reqwest::Client, url: &str) -> Result<JwkSet, AuthSetupError> {
    let fail = |message: String| AuthSetupError::Jwks {
        url: url.to_string(),
        message,
    };
    http.get(url)
        .timeout(std::time::Duration::from_secs(5))
        .send()
        .await
        .map_err(|e| fail(e.to_string()))?
        .error_for_status()
        .map_err(|e| fail(e.to_string()))?
        .json::<JwkSet>()
        .await
        .map_err(|e| fail(e.to_string()))
}
