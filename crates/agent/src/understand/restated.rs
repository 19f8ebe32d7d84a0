//! A day or time said, then taken back in the same message: "at 10:30... no wait, 1:30 pm",
//! "monday, i mean tuesday", "a las 10:30, mejor a la 1:30". What is said after the correction
//! wins, and what it replaces is ruled out, so a summary can never carry the value the customer
//! took back.

use chrono::{NaiveDateTime, NaiveTime};

use super::command::{Command, DateRule, TimeRule};
use super::datetime::{self, When};
use super::normalise::fold_case;
use super::tokens::tokenize;

/// Words that take back what was just said.
const TAKE_BACK: &[&str] = &[
    "no wait",
    "wait no",
    "wait, no",
    "no, wait",
    "i mean",
    "i meant",
    "make it",
    "make that",
    "or rather",
    "rather",
    "actually",
    "sorry",
    "scratch that",
    "no,",
    "no ",
];

/// The day and time of `text`, the last said winning; with the rules that rule out what was
/// taken back.
pub fn when(text: &str, now: NaiveDateTime) -> (When, Vec<Command>) {
    let first = datetime::parse(text, now);
    let Some(at) = take_back_at(text, &first) else {
        return (first, Vec::new());
    };
    let before = datetime::parse(&text[..at], now);
    let mut later = datetime::parse(&text[at..], now);
    // "at 10, no, 11": a bare hour restates the time.
    if later.is_empty()
        && before.time.is_some()
        && let Some((hour, span)) = bare_hour(&text[at..])
    {
        later.time = NaiveTime::from_hms_opt(hour, 0, 0);
        later.spans.push(span);
    }
    if later.is_empty() {
        return (first, Vec::new());
    }
    let mut ruled_out = Vec::new();
    if let (Some(old), Some(new)) = (before.time, later.time)
        && old != new
    {
        ruled_out.push(Command::TimeRule {
            rule: TimeRule::Not(old),
        });
    }
    if let (Some(old), Some(new)) = (before.date, later.date)
        && old != new
    {
        ruled_out.push(Command::DateRule {
            rule: DateRule::Not(old),
        });
    }
    // What the correction does not restate stands as first said ("monday at 10, no, 11").
    if later.date.is_none() && later.week.is_none() {
        later.date = before.date;
        later.bare_weekday = before.bare_weekday;
        later.soft_date = before.soft_date;
        later.week = before.week;
    }
    if later.time.is_none() && later.part.is_none() {
        later.time = before.time;
        later.part = before.part;
        later.until = before.until;
    }
    later.offset = later.offset.or(before.offset);
    let mut spans = before.spans;
    spans.extend(later.spans.iter().map(|(a, b)| (a + at, b + at)));
    later.spans = spans;
    (later, ruled_out)
}

/// A number alone that can only be an hour of the working day, read in business hours (1 to
/// 7 are afternoon hours), with its span.
fn bare_hour(text: &str) -> Option<(u32, (usize, usize))> {
    let tokens = tokenize(text);
    let mut numbers = tokens.iter().filter(|t| t.num().is_some());
    let only = numbers.next()?;
    if numbers.next().is_some() {
        return None;
    }
    let n = only.num().filter(|n| (1..=12).contains(n))?;
    let hour = if n <= 7 { n + 12 } else { n };
    Some((hour, (only.start, only.end)))
}

/// Where the last correction begins, when a day or time was said before it.
fn take_back_at(text: &str, first: &When) -> Option<usize> {
    let earliest_value = first.spans.iter().map(|(a, _)| *a).min()?;
    let lower = fold_case(text);
    TAKE_BACK
        .iter()
        .flat_map(|marker| {
            lower
                .match_indices(marker)
                .map(|(at, _)| at)
                .filter(|at| *at == 0 || !lower[..*at].ends_with(char::is_alphanumeric))
                .collect::<Vec<_>>()
        })
        .filter(|at| *at > earliest_value)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 9, 14)
            .and_then(|d| d.and_hms_opt(18, 0, 0))
            .unwrap_or_default()
    }

    fn t(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    #[test]
    fn the_time_said_last_wins_and_the_first_is_ruled_out() {
        let (when, rules) = when("at 10:30... no wait, actually at 1:30 pm", now());
        assert_eq!(when.time, t(13, 30));
        assert_eq!(
            rules,
            [Command::TimeRule {
                rule: TimeRule::Not(NaiveTime::from_hms_opt(10, 30, 0).unwrap_or_default())
            }]
        );
    }

    #[test]
    fn what_is_not_restated_stands() {
        let (when, _) = when("monday at 10, no, 11", now());
        assert_eq!(when.date, NaiveDate::from_ymd_opt(2026, 9, 21));
        assert_eq!(when.time, t(11, 0));
    }

    #[test]
    fn a_message_without_a_correction_is_read_as_before() {
        let (when, rules) = when("thursday at 10 or friday at 2", now());
        assert_eq!(when.time, t(10, 0));
        assert!(rules.is_empty());
        // "no" before any day or time takes nothing back.
        let (said, rules) = super::when("no, friday at 2", now());
        assert_eq!(said.time, t(14, 0));
        assert!(rules.is_empty());
    }
}
