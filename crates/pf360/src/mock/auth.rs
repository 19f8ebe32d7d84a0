//! Who is calling the mock: a customer's fixture token, an HS256 JWT signed with the
//! mock's secret whose `customer_id` and `client_id` claims name the customer, or a client's
//! service token, which acts for any customer of that client (PF360-API.md, "Channels without
//! a customer login").

use axum::http::HeaderMap;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use super::world::{Refusal, World};

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub client_id: String,
    /// The token's customer; `None` for a service token.
    pub customer_id: Option<String>,
}

impl Identity {
    /// The customer a project call acts for: the token's, or with a service token the
    /// project's owner among the client's customers (no project of another client is found).
    pub fn acting_for(&self, world: &World, project_id: &str) -> Result<String, Refusal> {
        match &self.customer_id {
            Some(customer_id) => Ok(customer_id.clone()),
            None => world.owner_of(&self.client_id, project_id).ok_or(Refusal {
                status: 404,
                message: "Project not found".into(),
            }),
        }
    }
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

    let identity = match (
        world.customer_of_token(token),
        world.client_of_service_token(token),
    ) {
        (Some((client_id, customer_id)), _) => Identity {
            client_id,
            customer_id: Some(customer_id),
        },
        (None, Some(client_id)) => Identity {
            client_id,
            customer_id: None,
        },
        (None, None) => {
            let key = jwt_key.ok_or_else(|| unauthorized("Invalid or expired token"))?;
            let mut validation = Validation::new(Algorithm::HS256);
            // The audience belongs to the service that issued the token, not to PF360.
            validation.validate_aud = false;
            let claims = jsonwebtoken::decode::<Claims>(token, key, &validation)
                .map_err(|_| unauthorized("Invalid or expired token"))?
                .claims;
            Identity {
                client_id: claims.client_id,
                customer_id: Some(claims.customer_id),
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

/// The path's customer must be the token's customer; a service token may name any customer
/// of its client (an unknown one is 404).
pub fn ensure_customer(
    world: &World,
    identity: &Identity,
    path_customer_id: &str,
) -> Result<(), Refusal> {
    match &identity.customer_id {
        Some(customer_id) if customer_id == path_customer_id => Ok(()),
        Some(_) => Err(forbidden("Token is not valid for this customer")),
        None if world.has_customer(&identity.client_id, path_customer_id) => Ok(()),
        None => Err(Refusal {
            status: 404,
            message: "Customer not found".into(),
        }),
    }
}
