//! Scoring the date/time parser on the Duckling scheduling subset: the date for day grain and
//! for intervals, the date and HH:MM for hour- and minute-grain instants.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::normalise::normalise;
use super::{datetime, shorthand, spanish};
use crate::catalogue::Language;

#[derive(Deserialize)]
struct Header {
    reference: String,
}

#[derive(Deserialize)]
struct Example {
    text: String,
    kind: String,
    value: String,
    grain: String,
}

/// One example's outcome.
pub struct Outcome {
    pub text: String,
    pub grain: String,
    pub kind: String,
    pub expected: String,
    pub got: String,
    pub passed: bool,
}

/// Passed / total per "kind grain" key, and every outcome.
pub struct Report {
    pub by_grain: BTreeMap<String, (usize, usize)>,
    pub outcomes: Vec<Outcome>,
}

impl Report {
    pub fn total(&self) -> (usize, usize) {
        self.by_grain
            .values()
            .fold((0, 0), |(p, t), (pp, tt)| (p + pp, t + tt))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("line {line}: {message}")]
    Line { line: usize, message: String },
}

/// Scores the parser on a corpus in `language` (Spanish is read as the rules read it: through
/// its English rewrite).
pub fn score(jsonl: &str, language: Language) -> Result<Report, CorpusError> {
    let mut lines = jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let bad = |line: usize, message: String| CorpusError::Line {
        line: line + 1,
        message,
    };
    let (n, header) = lines.next().ok_or_else(|| bad(0, "empty corpus".into()))?;
    let header: Header = serde_json::from_str(header).map_err(|e| bad(n, e.to_string()))?;
    let now = NaiveDateTime::parse_from_str(&header.reference, "%Y-%m-%dT%H:%M:%S")
        .map_err(|e| bad(n, e.to_string()))?;
    let mut report = Report {
        by_grain: BTreeMap::new(),
        outcomes: Vec::new(),
    };
    for (n, line) in lines {
        let example: Example = serde_json::from_str(line).map_err(|e| bad(n, e.to_string()))?;
        let with_time =
            example.kind == "instant" && matches!(example.grain.as_str(), "hour" | "minute");
        let expected = if with_time {
            example
                .value
                .get(..16)
                .unwrap_or(&example.value)
                .replace('T', " ")
        } else {
            example
                .value
                .get(..10)
                .unwrap_or(&example.value)
                .to_string()
        };
        let text = match language {
            Language::English => shorthand::to_plain(&normalise(&example.text)).text,
            Language::Spanish => spanish::to_english(&normalise(&example.text)).text,
        };
        let got = match datetime::parse(&text, now).resolve(now) {
            Some((date, Some(time))) if with_time => format!("{date} {}", time.format("%H:%M")),
            Some((date, _)) if !with_time => date.to_string(),
            Some((date, None)) => date.to_string(),
            Some((date, Some(time))) => format!("{date} {}", time.format("%H:%M")),
            None => "nothing".into(),
        };
        let passed = got == expected;
        let key = format!("{} {}", example.kind, example.grain);
        let entry = report.by_grain.entry(key).or_default();
        entry.0 += usize::from(passed);
        entry.1 += 1;
        report.outcomes.push(Outcome {
            text: example.text,
            grain: example.grain,
            kind: example.kind,
            expected,
            got,
            passed,
        });
    }
    Ok(report)
}
