//! Forgiving deserializers: ids and numbers arrive as strings from some tenants and as numbers
//! from others (dashboard records, fixtures, token claims).
//!
//! PF360 records are flattened database rows: any field may be null or absent. A record must
//! never be rejected for that, so every dashboard field goes through these.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A string, number or boolean as a trimmed string; null, empty or anything else as `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(de)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

/// A number, or a string holding one; anything else as `None`.
pub fn opt_f64<'de, D: Deserializer<'de>>(de: D) -> Result<Option<f64>, D::Error> {
    Ok(match Value::deserialize(de)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A required id written as a string or a number; trimmed, never empty.
pub fn id<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    match Value::deserialize(de)? {
        Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected a non-empty string or number id, found {other}"
        ))),
    }
}
