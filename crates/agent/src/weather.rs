//! Weather on the day of an appointment, behind a trait so a real provider can come later.
//!
//! [`FixtureForecaster`] answers from a JSON file of forecasts, and for places and days the
//! file does not list it makes up a plausible, repeatable forecast (the same place and day
//! always give the same answer), so the demo and tests need no network.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forecast {
    pub summary: String,
    pub high_f: i32,
    pub low_f: i32,
    pub precipitation_chance: u8,
}

#[async_trait::async_trait]
pub trait Forecaster: Send + Sync {
    /// The forecast for a place (a city or an address) on a day; `None` when there is none.
    async fn forecast(&self, place: &str, day: NaiveDate) -> Option<Forecast>;
}

#[derive(Debug, Clone, Deserialize)]
struct Entry {
    city: String,
    date: NaiveDate,
    #[serde(flatten)]
    forecast: Forecast,
}

#[derive(Debug, Default)]
pub struct FixtureForecaster {
    entries: HashMap<(String, NaiveDate), Forecast>,
}

impl FixtureForecaster {
    /// From `[{"city", "date", "summary", "high_f", "low_f", "precipitation_chance"}, …]`.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        let entries: Vec<Entry> = serde_json::from_str(text)?;
        Ok(FixtureForecaster {
            entries: entries
                .into_iter()
                .map(|e| ((e.city.to_lowercase(), e.date), e.forecast))
                .collect(),
        })
    }
}

#[async_trait::async_trait]
impl Forecaster for FixtureForecaster {
    async fn forecast(&self, place: &str, day: NaiveDate) -> Option<Forecast> {
        let place = place.to_lowercase();
        if let Some(found) = self
            .entries
            .iter()
            .find(|((city, d), _)| *d == day && place.contains(city.as_str()))
        {
            return Some(found.1.clone());
        }
        Some(synthesized(&place, day))
    }
}

/// A repeatable forecast from the place and the day, seasonal for a warm US climate.
fn synthesized(place: &str, day: NaiveDate) -> Forecast {
    let mut hasher = DefaultHasher::new();
    (place, day).hash(&mut hasher);
    let roll = hasher.finish();
    const SKIES: &[(&str, u8)] = &[
        ("Sunny", 5),
        ("Mostly sunny", 10),
        ("Partly cloudy", 20),
        ("Cloudy", 35),
        ("Scattered showers", 60),
        ("Thunderstorms likely", 80),
    ];
    let (summary, rain) = SKIES[(roll % SKIES.len() as u64) as usize];
    // Coolest in mid-January, warmest in mid-July.
    let season = ((f64::from(day.ordinal()) - 15.0) / 365.0 * std::f64::consts::TAU).cos();
    let high = 80.0 - 12.0 * season + ((roll >> 8) % 7) as f64 - 3.0;
    Forecast {
        summary: summary.to_string(),
        high_f: high.round() as i32,
        low_f: (high - 12.0 - ((roll >> 16) % 5) as f64).round() as i32,
        precipitation_chance: rain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn fixture_entries_win_and_the_rest_is_repeatable() {
        let f = FixtureForecaster::from_json(
            r#"[{"city": "Tampa", "date": "2025-11-11", "summary": "Sunny", "high_f": 84, "low_f": 70, "precipitation_chance": 0}]"#,
        )
        .unwrap();
        let day: NaiveDate = "2025-11-11".parse().unwrap();
        assert_eq!(
            f.forecast("123 Main St, Tampa, FL", day)
                .await
                .unwrap()
                .high_f,
            84
        );
        let other = f.forecast("Orlando", day).await.unwrap();
        assert_eq!(f.forecast("Orlando", day).await.unwrap(), other);
        assert!(other.low_f < other.high_f);
    }
}
