//! Who is calling the mock: a customer's fixture token, or an HS256 JWT signed with the
//! mock's secret whose `customer_id` and `client_id` claims name the customer.

use axum::http::HeaderMap;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use super::world::{Refusal, World};

/// The authenticated customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub client_id: String,
    pub customer_id: String,
}

#[derive(Deserialize)]
struct Claims {
    #[serde(deserialize_with = "crate::lenient::id")]
    customer_id: String,
    #[serde(deserialize_with = "crate::lenient::id")]
    client_id: String,
}

fn unauthorized(message: &str) -> Refusal {
    Refusal {
        status: 401,
        message: message.into(),
    }
}

fn forbidden(message: &str) -> Refusal {
    Refusal {
        status: 403,
        message: message.into(),
    }
}

/// Checks the `authorization` and `client_id` headers against the client named in the path.
pub fn authenticate(
    world: &World,
    jwt_key: Option<&DecodingKey>,
    headers: &HeaderMap,
    path_client_id: &str,
) -> Result<Identity, Refusal> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|t| !t.is_empty())
        .ok_or_else(|| unauthorized("Missing bearer token"))?;

    let identity = match world.customer_of_token(token) {
        Some((client_id, customer_id)) => Identity {
            client_id,
            customer_id,
        },
        None => {
            let key = jwt_key.ok_or_else(|| unauthorized("Invalid or expired token"))?;
            let mut validation = Validation::new(Algorithm::HS256);
            // The audience belongs to the service that issued the token, not to PF360.
            validation.validate_aud = false;
            let claims = jsonwebtoken::decode::<Claims>(token, key, &validation)
                .map_err(|_| unauthorized("Invalid or expired token"))?
                .claims;
            Identity {
                client_id: claims.client_id,
                customer_id: claims.customer_id,
            }
        }
    };

    if identity.client_id != path_client_id {
        return Err(forbidden("Token is not valid for this client"));
    }
    if let Some(header) = headers.get("client_id")
        && header.to_str().ok().map(str::trim) != Some(path_client_id)
    {
        return Err(forbidden("client_id header does not match the path"));
    }
    if !world.has_client(path_client_id) {
        return Err(Refusal {
            status: 404,
            message: "Client not found".into(),
        });
    }
    Ok(identity)
}

/// The path's customer must be the token's customer.
pub fn ensure_customer(identity: &Identity, path_customer_id: &str) -> Result<(), Refusal> {
    if identity.customer_id == path_customer_id {
        Ok(())
    } else {
        Err(forbidden("Token is not valid for this customer"))
    }
}
