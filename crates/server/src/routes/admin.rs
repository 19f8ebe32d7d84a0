//! The operators' API: `POST /admin/customers` imports a directory file (the CSV of
//! `scheduling-agent customers import`, as `text/csv`), authenticated with
//! `Authorization: Bearer <ADMIN_API_TOKEN>`. Without that setting the endpoint does not exist.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use crate::App;
use crate::error::ApiError;

fn authorised(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = &app.config.admin_token else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "admin_not_configured",
            "The operators' API is off on this server (ADMIN_API_TOKEN).",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Constant time: the comparison does not say how much of a guess was right.
    let same = given.len() == expected.expose_secret().len()
        && given
            .bytes()
            .zip(expected.expose_secret().bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(ApiError::unauthorized("A valid admin token is required."))
    }
}

pub async fn import_customers(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    authorised(&app, &headers)?;
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_directory",
            "The file is not UTF-8 text.",
        )
    })?;
    let records = crate::directory::parse_csv(text).map_err(|errors| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_directory",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let imported = app
        .store
        .import_customers(&records)
        .await
        .map_err(|e| match e {
            store::ImportError::PhoneTaken { .. } => {
                ApiError::new(StatusCode::CONFLICT, "phone_taken", e.to_string())
            }
            store::ImportError::Store(e) => ApiError::internal(e),
        })?;
    tracing::info!(imported, "customer directory imported");
    Ok(Json(json!({ "imported": imported })))
}
