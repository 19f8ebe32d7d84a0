//! Dates and times the way customers write them, resolved against a pinned "now" in the
//! client's time zone, preferring the future.
//!
//! The message is tokenized ([`super::tokens`]), then at each position a list of matchers is
//! tried in order (longest, most specific first). Each matcher recognises one shape — "the day
//! after tomorrow", "next Thursday", "the 21st of March", "quarter to 11", "3:30 p.m." — and yields
//! pieces: a date, a weekday hint, a time, a part of the day. [`When`] combines the pieces.
//!
//! Written for this product rather than taken from a crate: the existing parsers score poorly
//! on customer phrasing (see the Duckling subset figures in the README).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

use super::lexicon::{self, DurationUnit};
use super::tokens::{Tok, Token, tokenize};

/// A stretch of the day a customer may name instead of a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartOfDay {
    EarlyMorning,
    Morning,
    Lunch,
    Afternoon,
    Evening,
    Night,
}

impl PartOfDay {
    /// `[start, end)` hours.
    pub fn hours(self) -> (u32, u32) {
        match self {
            PartOfDay::EarlyMorning => (0, 9),
            PartOfDay::Morning => (0, 12),
            PartOfDay::Lunch => (12, 14),
            PartOfDay::Afternoon => (12, 19),
            PartOfDay::Evening | PartOfDay::Night => (18, 24),
        }
    }

    pub fn contains(self, time: NaiveTime) -> bool {
        let (start, end) = self.hours();
        (start..end).contains(&time.hour())
    }

    fn is_pm(self) -> bool {
        !matches!(self, PartOfDay::EarlyMorning | PartOfDay::Morning)
    }
}

/// What one message says about when.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct When {
    pub date: Option<NaiveDate>,
    /// The date came from "this morning" or "tonight": today, unless the time named has passed.
    pub soft_date: bool,
    pub time: Option<NaiveTime>,
    pub part: Option<PartOfDay>,
    /// The end of a range ("between 1 and 3").
    pub until: Option<NaiveTime>,
    /// Now plus a duration ("in 2 hours", "in 7 days").
    pub offset: Option<NaiveDateTime>,
    /// The Monday of a week named as a whole ("next week", "this week").
    pub week: Option<NaiveDate>,
    /// The date came from a weekday alone ("thursday"): with a list of dates on show, it
    /// means that weekday on the list.
    pub bare_weekday: Option<Weekday>,
    /// Byte spans of the text that made it.
    #[serde(skip)]
    pub spans: Vec<(usize, usize)>,
}

impl When {
    pub fn is_empty(&self) -> bool {
        self.date.is_none()
            && self.time.is_none()
            && self.part.is_none()
            && self.offset.is_none()
            && self.week.is_none()
    }

    /// One instant (date, time if any) for the whole expression, as a calendar would read it:
    /// a time without a date is the next time the clock shows it.
    pub fn resolve(&self, now: NaiveDateTime) -> Option<(NaiveDate, Option<NaiveTime>)> {
        let time = self.time.or(self.offset.map(|o| o.time()));
        let next_occurrence = |time: NaiveTime| {
            if time >= now.time() {
                now.date()
            } else {
                now.date() + Duration::days(1)
            }
        };
        match (self.date, time) {
            (Some(date), Some(time)) if self.soft_date => Some((
                if date == now.date() {
                    next_occurrence(time)
                } else {
                    date
                },
                Some(time),
            )),
            (Some(date), time) => Some((date, time)),
            (None, Some(time)) => Some((
                self.offset
                    .map_or_else(|| next_occurrence(time), |o| o.date()),
                Some(time),
            )),
            (None, None) if self.part.is_some() => Some((now.date(), None)),
            (None, None) => None,
        }
    }
}

/// The first date and the first time in `text`.
pub fn parse(text: &str, now: NaiveDateTime) -> When {
    let tokens = tokenize(text);
    let ctx = Ctx {
        tokens: &tokens,
        text,
        now,
        today: now.date(),
    };
    let mut pieces: Vec<(Piece, (usize, usize))> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match MATCHERS.iter().find_map(|m| m(&ctx, i)) {
            Some((next, found)) => {
                let span = (tokens[i].start, tokens[next - 1].end);
                pieces.extend(found.into_iter().map(|p| (p, span)));
                i = next;
            }
            None => i += 1,
        }
    }
    combine(&ctx, pieces)
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Date(NaiveDate),
    SoftToday,
    Weekday(Weekday),
    MonthDay {
        month: u32,
        day: u32,
        year: Option<i32>,
    },
    DayOfMonth(u32),
    Time(ClockTime),
    Part(PartOfDay),
    Meridiem(bool),
    Until(ClockTime),
    Offset(NaiveDateTime),
    Week(NaiveDate),
}

/// A time as written: the hour may still need am/pm.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ClockTime {
    hour: u32,
    minute: u32,
    /// Some(true) for pm.
    pm: Option<bool>,
    /// Already on the 24-hour clock ("15h", "03:00", "a quarter past 3pm"): nothing to infer.
    exact: bool,
}

impl ClockTime {
    fn new(hour: u32, minute: u32) -> Self {
        ClockTime {
            hour,
            minute,
            pm: None,
            exact: false,
        }
    }

    /// The 24-hour form when am/pm is known.
    fn exact_form(self) -> Option<ClockTime> {
        let hour = match self.pm {
            _ if self.exact => self.hour,
            Some(true) if self.hour < 12 => self.hour + 12,
            Some(false) if self.hour == 12 => 0,
            Some(_) => self.hour,
            None => return None,
        };
        Some(ClockTime {
            hour,
            minute: self.minute,
            pm: None,
            exact: true,
        })
    }
}

struct Ctx<'a> {
    tokens: &'a [Token],
    text: &'a str,
    now: NaiveDateTime,
    today: NaiveDate,
}

impl Ctx<'_> {
    fn tok(&self, i: usize) -> Option<&Token> {
        self.tokens.get(i)
    }

    fn word_at(&self, i: usize, word: &str) -> bool {
        self.tok(i).is_some_and(|t| t.is_word(word))
    }

    fn any_at(&self, i: usize, words: &[&str]) -> bool {
        self.tok(i).is_some_and(|t| t.is_any(words))
    }

    fn punct_at(&self, i: usize, c: char) -> bool {
        self.tok(i).is_some_and(|t| t.is_punct(c))
    }

    /// Whether token `i` is the word "one" after a word that makes it a choice: "the later
    /// one in the afternoon" picks from a list, it is not one o'clock.
    fn choice_one(&self, i: usize) -> bool {
        self.tok(i)
            .is_some_and(|t| t.digits() == 0 && t.num() == Some(1))
            && i > 0
            && self.any_at(
                i - 1,
                &[
                    "later", "earlier", "other", "that", "this", "first", "last", "latest",
                    "earliest", "second", "same",
                ],
            )
    }

    fn weekday_at(&self, i: usize) -> Option<Weekday> {
        self.tok(i)?.word().and_then(lexicon::weekday)
    }

    fn month_at(&self, i: usize) -> Option<u32> {
        self.tok(i)?.word().and_then(lexicon::month)
    }

    /// Skips an optional word.
    fn opt(&self, i: usize, words: &[&str]) -> usize {
        if self.any_at(i, words) { i + 1 } else { i }
    }

    /// Whether token `i` is one of `words` as written ("one" is folded into a number token).
    fn noun_at(&self, i: usize, words: &[&str]) -> bool {
        self.tok(i).is_some_and(|t| {
            let written = self.text[t.start..t.end].to_lowercase();
            words.contains(&written.as_str())
        })
    }

    /// Whether token `i` was written with digits ("1st" rather than "first").
    fn written_in_digits(&self, i: usize) -> bool {
        self.tok(i)
            .is_some_and(|t| self.text[t.start..].starts_with(|c: char| c.is_ascii_digit()))
    }
}

type Matched = Option<(usize, Vec<Piece>)>;
type Matcher = fn(&Ctx, usize) -> Matched;

/// Tried in this order at every position; the first that matches wins.
const MATCHERS: &[Matcher] = &[
    holiday,
    relative_day,
    last_night,
    duration,
    nth_weekday_of_month,
    numeric_date,
    month_day,
    day_of_month_reference,
    weekday_expression,
    whole_week,
    day_of_month,
    time_range,
    anchored_time,
    time_expression,
    run_together_beside_a_day,
    contextual_hour,
    part_of_day,
];

// ---------------------------------------------------------------------------------------------
// Dates

/// today, tomorrow, yesterday, the day after tomorrow, tonight, this morning …
fn relative_day(c: &Ctx, i: usize) -> Matched {
    let start = c.opt(i, &["the"]);
    if c.word_at(start, "day") && c.any_at(start + 1, &["after", "before"]) {
        let base = start + 2;
        if c.word_at(base, "tomorrow") && c.word_at(start + 1, "after") {
            return Some((base + 1, vec![Piece::Date(c.today + Duration::days(2))]));
        }
        if c.word_at(base, "yesterday") && c.word_at(start + 1, "before") {
            return Some((base + 1, vec![Piece::Date(c.today - Duration::days(2))]));
        }
        // "the day after memorial day", "the day before the 14th".
        if let Some((end, day)) = day_at(c, base) {
            let days = if c.word_at(start + 1, "after") { 1 } else { -1 };
            return Some((end, vec![Piece::Date(day + Duration::days(days))]));
        }
    }
    let word = c.tok(i)?.word()?;
    match word {
        "today" | "todays" => Some((i + 1, vec![Piece::Date(c.today)])),
        "tomorrow" | "tomorrows" | "tmrw" | "tmr" | "tomorow" | "tommorow" | "tommorrow" => {
            Some((i + 1, vec![Piece::Date(c.today + Duration::days(1))]))
        }
        "yesterday" => Some((i + 1, vec![Piece::Date(c.today - Duration::days(1))])),
        "tonight" | "tonite" => {
            Some((i + 1, vec![Piece::SoftToday, Piece::Part(PartOfDay::Night)]))
        }
        "this" => {
            let part = part_word(c.tok(i + 1)?.word()?)?;
            Some((i + 2, vec![Piece::SoftToday, Piece::Part(part)]))
        }
        "at" if c.word_at(i + 1, "this") && c.any_at(i + 2, &["time", "moment"]) => {
            Some((i + 3, vec![Piece::Date(c.today)]))
        }
        "late" if c.any_at(i + 1, &["tonight", "tonite"]) => {
            Some((i + 2, vec![Piece::SoftToday, Piece::Part(PartOfDay::Night)]))
        }
        _ => None,
    }
}

/// A US holiday by name: "memorial day", "thanksgiving", "christmas eve", "the 4th of july".
/// This year's, or next year's once it has passed.
fn holiday(c: &Ctx, i: usize) -> Matched {
    let start = c.opt(i, &["the"]);
    let (said, day, needs_day) = HOLIDAYS
        .iter()
        .filter(|(said, _, _)| {
            said.iter()
                .enumerate()
                .all(|(k, w)| c.word_at(start + k, w))
        })
        .max_by_key(|(said, _, _)| said.len())?;
    let mut end = start + said.len();
    // "new year's day", "presidents' day".
    if c.punct_at(end, '\'') && c.word_at(end + 1, "s") {
        end += 2;
    } else if c.punct_at(end, '\'') {
        end += 1;
    }
    if c.word_at(end, "day") {
        end += 1;
    } else if *needs_day {
        return None;
    }
    let on = |year: i32| -> Option<NaiveDate> {
        match *day {
            Holiday::Fixed(month, d) => NaiveDate::from_ymd_opt(year, month, d),
            Holiday::Nth(month, weekday, n) => nth_in_month(year, month, Some(weekday), n, false),
            Holiday::Last(month, weekday) => nth_in_month(year, month, Some(weekday), 1, true),
            Holiday::AfterThanksgiving => {
                nth_in_month(year, 11, Some(Weekday::Thu), 4, false).map(|d| d + Duration::days(1))
            }
        }
    };
    let this_year = on(c.today.year())?;
    let date = if this_year < c.today {
        on(c.today.year() + 1)?
    } else {
        this_year
    };
    Some((end, vec![Piece::Date(date)]))
}

#[derive(Debug, Clone, Copy)]
enum Holiday {
    Fixed(u32, u32),
    /// The n-th weekday of a month.
    Nth(u32, Weekday, u32),
    /// The last weekday of a month.
    Last(u32, Weekday),
    AfterThanksgiving,
}

/// Holidays customers plan around, and whether the name needs "day" after it ("memorial day";
/// "labor" alone is no holiday). A "day" after any name is read with it.
const HOLIDAYS: &[(&[&str], Holiday, bool)] = &[
    (&["new", "years"], Holiday::Fixed(1, 1), false),
    (&["new", "year"], Holiday::Fixed(1, 1), true),
    (&["new", "years", "eve"], Holiday::Fixed(12, 31), false),
    (&["mlk"], Holiday::Nth(1, Weekday::Mon, 3), true),
    (
        &["martin", "luther", "king"],
        Holiday::Nth(1, Weekday::Mon, 3),
        true,
    ),
    (&["presidents"], Holiday::Nth(2, Weekday::Mon, 3), true),
    (&["memorial"], Holiday::Last(5, Weekday::Mon), true),
    (&["juneteenth"], Holiday::Fixed(6, 19), false),
    (&["independence"], Holiday::Fixed(7, 4), true),
    (&["fourth", "of", "july"], Holiday::Fixed(7, 4), false),
    (&["labor"], Holiday::Nth(9, Weekday::Mon, 1), true),
    (&["labour"], Holiday::Nth(9, Weekday::Mon, 1), true),
    (&["columbus"], Holiday::Nth(10, Weekday::Mon, 2), true),
    (&["halloween"], Holiday::Fixed(10, 31), false),
    (&["veterans"], Holiday::Fixed(11, 11), true),
    (&["thanksgiving"], Holiday::Nth(11, Weekday::Thu, 4), false),
    (&["black", "friday"], Holiday::AfterThanksgiving, false),
    (&["christmas", "eve"], Holiday::Fixed(12, 24), false),
    (&["xmas", "eve"], Holiday::Fixed(12, 24), false),
    (&["christmas"], Holiday::Fixed(12, 25), false),
    (&["xmas"], Holiday::Fixed(12, 25), false),
    (&["cinco", "de", "mayo"], Holiday::Fixed(5, 5), false),
];

/// last night, late last night.
fn last_night(c: &Ctx, i: usize) -> Matched {
    let start = c.opt(i, &["late"]);
    (c.word_at(start, "last") && c.word_at(start + 1, "night")).then(|| {
        (
            start + 2,
            vec![
                Piece::Date(c.today - Duration::days(1)),
                Piece::Part(PartOfDay::Night),
            ],
        )
    })
}

/// A count: 3, three, a, an, a couple (of), a few, several.
fn quantity(c: &Ctx, i: usize) -> Option<(usize, i64)> {
    let t = c.tok(i)?;
    if let Some(n) = t.num() {
        return Some((i + 1, i64::from(n)));
    }
    match t.word()? {
        "a" | "an" => {
            if c.word_at(i + 1, "couple") {
                Some((c.opt(i + 2, &["of"]), 2))
            } else if c.word_at(i + 1, "few") {
                Some((i + 2, 3))
            } else {
                Some((i + 1, 1))
            }
        }
        "couple" => Some((c.opt(i + 1, &["of"]), 2)),
        "few" | "several" => Some((i + 1, 3)),
        _ => None,
    }
}

/// in 3 days, a week from today, two weeks from now, 7 days ago, 3 fridays from now, in an
/// hour, upcoming two days, next 3 hours.
fn duration(c: &Ctx, i: usize) -> Matched {
    // "in 2 weeks", "in a couple of hours"
    if c.word_at(i, "in") {
        let (after_qty, n) = quantity(c, i + 1)?;
        let unit = lexicon::duration_unit(c.tok(after_qty)?.word()?)?;
        // "put in a week from tomorrow": counted from that day.
        if let Some(found) = counted_from(c, after_qty + 1, unit, n) {
            return Some(found);
        }
        return Some((after_qty + 1, shift(c, unit, n)));
    }
    // "next 3 hours", "last 2 minutes", "upcoming two days"
    if c.any_at(i, &["next", "last", "past", "upcoming", "coming"]) {
        let (after_qty, n) = quantity(c, i + 1)?;
        let unit = lexicon::duration_unit(c.tok(after_qty)?.word()?)?;
        let pieces = match unit {
            DurationUnit::Days(days) if c.any_at(i, &["upcoming", "coming", "next"]) => {
                vec![Piece::Date(c.today + Duration::days(days * n))]
            }
            _ => vec![Piece::Date(c.today)],
        };
        return Some((after_qty + 1, pieces));
    }
    let (after_qty, n) = quantity(c, i)?;
    // "two upcoming days"
    if c.word_at(after_qty, "upcoming")
        && let Some(DurationUnit::Days(days)) = c
            .tok(after_qty + 1)?
            .word()
            .and_then(lexicon::duration_unit)
    {
        return Some((
            after_qty + 2,
            vec![Piece::Date(c.today + Duration::days(days * n))],
        ));
    }
    // "3 fridays from now", "2 thursdays ago"
    if let Some(weekday) = c.weekday_at(after_qty) {
        let (end, forward) = direction(c, after_qty + 1)?;
        let n = n.max(1);
        let date = if forward {
            nth_weekday_after(c.today, weekday, n)
        } else {
            nth_weekday_before(c.today, weekday, n)
        };
        return Some((end, vec![Piece::Date(date)]));
    }
    // "a week from today", "7 days hence", "14 days ago"
    let unit = lexicon::duration_unit(c.tok(after_qty)?.word()?)?;
    if let Some(found) = counted_from(c, after_qty + 1, unit, n) {
        return Some(found);
    }
    let (end, forward) = direction(c, after_qty + 1)?;
    Some((end, shift(c, unit, if forward { n } else { -n })))
}

/// "a week from friday", "3 days after tomorrow", "two weeks from the 14th": `n` units counted
/// from the day named after "from" or "after" at `i`, not from today.
fn counted_from(c: &Ctx, i: usize, unit: &DurationUnit, n: i64) -> Matched {
    let DurationUnit::Days(days) = unit else {
        return None;
    };
    if !c.any_at(i, &["from", "after"]) || c.any_at(i + 1, &["now", "today"]) {
        return None;
    }
    let (end, base) = day_at(c, i + 1)?;
    Some((end, vec![Piece::Date(base + Duration::days(days * n))]))
}

/// A day named at `i` ("friday", "tomorrow", "the 14th", "next tuesday"), resolved.
fn day_at(c: &Ctx, i: usize) -> Option<(usize, NaiveDate)> {
    let (end, pieces) = [
        holiday,
        relative_day,
        month_day,
        weekday_expression,
        day_of_month,
    ]
    .iter()
    .find_map(|m| m(c, i))?;
    let date = pieces.iter().find_map(|p| match *p {
        Piece::Date(d) => Some(d),
        Piece::Weekday(w) => Some(nth_weekday_after(c.today, w, 1)),
        Piece::DayOfMonth(day) => resolve_day_of_month(c.today, day, None),
        Piece::MonthDay { month, day, year } => resolve_month_day(c.today, month, day, year, None),
        _ => None,
    })?;
    Some((end, date))
}

/// "from now", "from today", "hence", "later" (forward) or "ago", "back", "before" (backward).
fn direction(c: &Ctx, i: usize) -> Option<(usize, bool)> {
    match c.tok(i)?.word()? {
        "from" if c.any_at(i + 1, &["now", "today"]) => Some((i + 2, true)),
        "hence" | "later" | "out" => Some((i + 1, true)),
        "ago" | "back" | "earlier" => Some((i + 1, false)),
        _ => None,
    }
}

/// Now moved by `n` units: a date for days and longer, an instant for everything.
fn shift(c: &Ctx, unit: &DurationUnit, n: i64) -> Vec<Piece> {
    match *unit {
        DurationUnit::Minutes(m) => vec![Piece::Offset(c.now + Duration::minutes(m * n))],
        DurationUnit::Days(d) => {
            let at = c.now + Duration::days(d * n);
            let hour = at.date().and_hms_opt(at.hour(), 0, 0).unwrap_or(at);
            vec![Piece::Date(at.date()), Piece::Offset(hour)]
        }
        DurationUnit::Months(m) => {
            let months = i32::try_from(n).unwrap_or(0) * m;
            add_months(c.today, months)
                .map(Piece::Date)
                .into_iter()
                .collect()
        }
    }
}

/// first tuesday of october, last Monday of March 2014, third day of october, fifth last day
/// of May, the first Monday of this month, second monday of last month.
fn nth_weekday_of_month(c: &Ctx, i: usize) -> Matched {
    let mut j = c.opt(i, &["the"]);
    let (n, from_end) = if c.word_at(j, "last") {
        j += 1;
        (1, true)
    } else {
        let n = c.tok(j)?.ord()?;
        j += 1;
        if c.word_at(j, "last") {
            j += 1;
            (n, true)
        } else {
            (n, false)
        }
    };
    let target = if c.word_at(j, "day") {
        None
    } else {
        Some(c.weekday_at(j)?)
    };
    j += 1;
    if !c.any_at(j, &["of", "in"]) {
        return None;
    }
    let (end, year, month, explicit) = month_reference(c, j + 1)?;
    let date = nth_in_month(year, month, target, n, from_end)?;
    // A named month without a year means its next occurrence.
    let date = if !explicit && date < c.today {
        nth_in_month(year + 1, month, target, n, from_end)?
    } else {
        date
    };
    Some((end, vec![Piece::Date(date)]))
}

/// MONTH [YEAR] | [the] this/current/next/following/last/previous month | the month.
/// Returns (end, year, month, whether the year was fixed by the words).
fn month_reference(c: &Ctx, i: usize) -> Option<(usize, i32, u32, bool)> {
    if let Some(month) = c.month_at(i) {
        if let Some(year) = year_at(c, i + 1) {
            return Some((i + 2, year, month, true));
        }
        return Some((i + 1, c.today.year(), month, false));
    }
    let j = c.opt(i, &["the"]);
    let offset = match c.tok(j)?.word()? {
        "this" | "current" => 0,
        "next" | "following" | "coming" => 1,
        "last" | "previous" | "past" => -1,
        "month" if j > i => return Some((j + 1, c.today.year(), c.today.month(), true)),
        _ => return None,
    };
    if !c.word_at(j + 1, "month") {
        return None;
    }
    let first = add_months(c.today.with_day(1)?, offset)?;
    Some((j + 2, first.year(), first.month(), true))
}

fn year_at(c: &Ctx, i: usize) -> Option<i32> {
    let j = c.opt(i, &[","]);
    let j = if c.punct_at(i, ',') { i + 1 } else { j };
    let t = c.tok(j)?;
    (t.digits() == 4).then_some(())?;
    let year = i32::try_from(t.num()?).ok()?;
    (1900..=2100).contains(&year).then_some(year)
}

/// 2/15, 11/14/2025, 2-15, 2025-11-14.
fn numeric_date(c: &Ctx, i: usize) -> Matched {
    let first = c.tok(i)?;
    let a = first.num()?;
    // Part of a clock time ("9:30 - 11:00")?
    if i > 0 && c.punct_at(i - 1, ':') {
        return None;
    }
    let sep = match c.tok(i + 1)?.tok {
        Tok::Punct(s @ ('/' | '-' | '.')) => s,
        _ => return None,
    };
    let b = c.tok(i + 2)?.num()?;
    // ISO: 2025-11-14
    if first.digits() == 4 && sep == '-' && c.punct_at(i + 3, '-') {
        let d = c.tok(i + 4)?.num()?;
        let date = NaiveDate::from_ymd_opt(i32::try_from(a).ok()?, b, d)?;
        return Some((i + 5, vec![Piece::Date(date)]));
    }
    if first.digits() > 2 || c.tok(i + 2)?.digits() > 2 {
        return None;
    }
    // Not a time range ("3-4pm", "1-2:30") nor a decimal.
    if c.punct_at(i + 3, ':') || c.any_at(i + 3, &["am", "pm", "h"]) || sep == '.' {
        return None;
    }
    if !(1..=12).contains(&a) || !(1..=31).contains(&b) {
        return None;
    }
    // "9-11", "10-12": two hours, a window of the day, not September 11th.
    if sep == '-' && b <= 12 && !c.punct_at(i + 3, sep) {
        return None;
    }
    if c.punct_at(i + 3, sep)
        && let Some(y) = c.tok(i + 4).and_then(|t| t.num().map(|n| (n, t.digits())))
    {
        let year = match y {
            (n, 4) => i32::try_from(n).ok()?,
            (n, 2) => 2000 + i32::try_from(n).ok()?,
            _ => return None,
        };
        return Some((
            i + 5,
            vec![Piece::Date(NaiveDate::from_ymd_opt(year, a, b)?)],
        ));
    }
    Some((
        i + 3,
        vec![Piece::MonthDay {
            month: a,
            day: b,
            year: None,
        }],
    ))
}

/// Nov 12, November the 12th, march first, 12 November, the 1st of march, 15th february 2026.
fn month_day(c: &Ctx, i: usize) -> Matched {
    // MONTH [the] DAY [, YEAR]
    if let Some(month) = c.month_at(i) {
        // "may" is also a verb: only with a day after it.
        let j = c.opt(i + 1, &["the"]);
        let day = day_number(c, j)?;
        if let Some(year) = year_at(c, j + 1) {
            let end = if c.punct_at(j + 1, ',') { j + 3 } else { j + 2 };
            return Some((
                end,
                vec![Piece::MonthDay {
                    month,
                    day,
                    year: Some(year),
                }],
            ));
        }
        return Some((
            j + 1,
            vec![Piece::MonthDay {
                month,
                day,
                year: None,
            }],
        ));
    }
    // [the] DAY [of] MONTH [YEAR]
    let j = c.opt(i, &["the"]);
    let day = day_number(c, j)?;
    let k = c.opt(j + 1, &["of"]);
    let month = c.month_at(k)?;
    if let Some(year) = year_at(c, k + 1) {
        let end = if c.punct_at(k + 1, ',') { k + 3 } else { k + 2 };
        return Some((
            end,
            vec![Piece::MonthDay {
                month,
                day,
                year: Some(year),
            }],
        ));
    }
    Some((
        k + 1,
        vec![Piece::MonthDay {
            month,
            day,
            year: None,
        }],
    ))
}

/// A day of the month: 12, 12th, twelfth.
fn day_number(c: &Ctx, i: usize) -> Option<u32> {
    let t = c.tok(i)?;
    let day = t.ord().or_else(|| t.num().filter(|_| t.digits() <= 2))?;
    (1..=31).contains(&day).then_some(day)
}

/// 20 of next month, the 20th day of the current month.
fn day_of_month_reference(c: &Ctx, i: usize) -> Matched {
    let j = c.opt(i, &["the"]);
    let day = day_number(c, j)?;
    let k = c.opt(j + 1, &["day"]);
    if !c.word_at(k, "of") {
        return None;
    }
    let (end, year, month, _) = month_reference(c, k + 1)?;
    if c.month_at(k + 1).is_some() {
        return None; // "the 1st of march": month_day's
    }
    Some((
        end,
        vec![Piece::Date(NaiveDate::from_ymd_opt(year, month, day)?)],
    ))
}

/// monday, this friday, next Thursday, coming tue, last sunday, wednesday after next,
/// wednesday of next week, monday of this week, last week's sunday, sunday from last week.
fn weekday_expression(c: &Ctx, i: usize) -> Matched {
    // last week's sunday
    if c.any_at(i, &["last", "next", "this"])
        && c.word_at(i + 1, "week")
        && c.punct_at(i + 2, '\'')
        && c.word_at(i + 3, "s")
    {
        let weekday = c.weekday_at(i + 4)?;
        let week = week_offset(c.tok(i)?.word()?);
        return Some((
            i + 5,
            vec![Piece::Date(weekday_in_week(c.today, weekday, week))],
        ));
    }
    let (modifier, j) = match c.tok(i)?.word()? {
        m @ ("this" | "next" | "coming" | "upcoming" | "last" | "past" | "previous"
        | "following") => (Some(m), i + 1),
        _ => (None, i),
    };
    let weekday = c.weekday_at(j)?;
    let mut end = j + 1;
    if c.punct_at(end, '.') {
        end += 1;
    }
    // "wednesday after next", "el martes, no este que viene sino el otro" ("tuesday, after
    // next").
    let end = if c.punct_at(end, ',') && c.word_at(end + 1, "after") && c.word_at(end + 2, "next") {
        end + 1
    } else {
        end
    };
    if c.word_at(end, "after") && c.word_at(end + 1, "next") {
        return Some((
            end + 2,
            vec![Piece::Date(nth_weekday_after(c.today, weekday, 2))],
        ));
    }
    // "the sat after", "the saturday after that": the one after the coming one ("the saturday
    // after the 15th" is a bound, left to the constraints).
    if modifier.is_none()
        && i > 0
        && c.word_at(i - 1, "the")
        && c.word_at(end, "after")
        && c.tok(end + 1).is_none_or(|t| {
            t.word().is_none_or(|w| {
                matches!(
                    w,
                    "that" | "same" | "at" | "please" | "pls" | "instead" | "then" | "and" | "so"
                )
            })
        })
    {
        let end = if c.word_at(end + 1, "that") {
            end + 2
        } else {
            end + 1
        };
        return Some((
            end,
            vec![Piece::Date(nth_weekday_after(c.today, weekday, 2))],
        ));
    }
    // "wednesday (of|from) next week", "monday of this week"
    let k = c.opt(end, &["of", "from", "in"]);
    let k = c.opt(k, &["the"]);
    if let Some(which) = c.tok(k).and_then(|t| t.word()).filter(|w| {
        matches!(
            *w,
            "this" | "next" | "last" | "following" | "coming" | "previous"
        )
    }) && c.word_at(k + 1, "week")
    {
        return Some((
            k + 2,
            vec![Piece::Date(weekday_in_week(
                c.today,
                weekday,
                week_offset(which),
            ))],
        ));
    }
    // "thursday 18", "sat 13 at 8": the day of the month beside its weekday. A number that
    // could be an hour ("monday 10") is a day only when that day is that weekday.
    if modifier.is_none() {
        let k = if c.punct_at(end, ',') { end + 1 } else { end };
        if let Some(t) = c.tok(k)
            && let Some(n) = t.num()
            && (1..=2).contains(&t.digits())
            && (1..=31).contains(&n)
            && !c.any_at(k + 1, &["am", "pm", "oclock", "ish", "h", "hrs"])
            && !c.punct_at(k + 1, ':')
            // "wed 3/31": a month and a day, read as a date.
            && !c.punct_at(k + 1, '/')
        {
            let within = |days: i64| {
                resolve_day_of_month(c.today, n, Some(weekday))
                    .is_some_and(|d| (d - c.today).num_days() <= days)
            };
            if (n > 12 && within(62)) || within(31) {
                return Some((k + 1, vec![Piece::Weekday(weekday), Piece::DayOfMonth(n)]));
            }
        }
    }
    let date = match modifier {
        Some("next") => weekday_in_week(c.today, weekday, 1),
        // "the following saturday": the one after the coming one.
        Some("following") => nth_weekday_after(c.today, weekday, 2),
        Some("last" | "past" | "previous") => nth_weekday_before(c.today, weekday, 1),
        Some(_) => nth_weekday_after(c.today, weekday, 1),
        // A bare weekday may still be pinned by a date ("Monday, Feb 18"): decided in `combine`.
        None => return Some((end, vec![Piece::Weekday(weekday)])),
    };
    Some((end, vec![Piece::Date(date)]))
}

/// "this week", "next week", "the following week", "later this week": the week as a whole.
fn whole_week(c: &Ctx, i: usize) -> Matched {
    let j = c.opt(c.opt(i, &["later", "sometime", "early", "end"]), &["of"]);
    let j = c.opt(j, &["the"]);
    let which = c.tok(j)?.word()?;
    if !matches!(which, "this" | "next" | "following" | "coming") || !c.word_at(j + 1, "week") {
        return None;
    }
    let monday = weekday_in_week(c.today, Weekday::Mon, week_offset(which));
    Some((j + 2, vec![Piece::Week(monday)]))
}

fn week_offset(word: &str) -> i64 {
    match word {
        "next" | "following" | "coming" => 1,
        "last" | "previous" => -1,
        _ => 0,
    }
}

/// the 15th, on the first, Tuesday the 19th, Thu 15th.
fn day_of_month(c: &Ctx, i: usize) -> Matched {
    let on = c.word_at(i, "on");
    let j = c.opt(i, &["on"]);
    let the = c.word_at(j, "the");
    let j = c.opt(j, &["the"]);
    let t = c.tok(j)?;
    // "after the 15", "not before the 20": a bare number after "the" and a word that bounds
    // a day is a day of the month ("the 2" alone may be an option).
    let bounded_number = || {
        let the_at = j.checked_sub(1).filter(|_| the)?;
        let before_the = the_at.checked_sub(1)?;
        c.any_at(
            before_the,
            &[
                "after", "before", "on", "by", "until", "till", "til", "from", "since", "than",
            ],
        )
        .then(|| t.num())
        .flatten()
        .filter(|_| c.written_in_digits(j))
    };
    // "the 15", "el 15": a number no list or clock would use is a day of the month.
    let past_any_list = || {
        t.num()
            .filter(|n| the && (13..=31).contains(n) && c.written_in_digits(j))
    };
    let day = t.ord().or_else(bounded_number).or_else(past_any_list)?;
    if !(1..=31).contains(&day) {
        return None;
    }
    let after_weekday = {
        let before = if the {
            j.checked_sub(2)
        } else {
            j.checked_sub(1)
        };
        before.and_then(|b| c.weekday_at(b)).is_some()
            || before.is_some_and(|b| c.punct_at(b, '.') && b > 0 && c.weekday_at(b - 1).is_some())
    };
    let digits = c.written_in_digits(j);
    // "the first one", "the 2nd one" are choices, not dates.
    if c.noun_at(j + 1, CHOICE_NOUNS) {
        return None;
    }
    let accepted = after_weekday || (on && the) || (the && digits);
    accepted.then_some((j + 1, vec![Piece::DayOfMonth(day)]))
}

/// Nouns after an ordinal that make it a pick from a list, not a date.
pub const CHOICE_NOUNS: &[&str] = &[
    "one",
    "ones",
    "option",
    "options",
    "slot",
    "slots",
    "date",
    "dates",
    "time",
    "times",
    "project",
    "projects",
    "choice",
    "appointment",
    "opening",
    "available",
    "day",
];

// ---------------------------------------------------------------------------------------------
// Times

/// 3-4pm, from 9:30 to 11:00, between 1 and 3, 8am until 6.
fn time_range(c: &Ctx, i: usize) -> Matched {
    let opener = c.any_at(i, &["from", "between"]);
    let start = if opener { i + 1 } else { i };
    let (after_start, first) = clock(c, start, true)?;
    if !(c.punct_at(after_start, '-')
        || c.any_at(
            after_start,
            &[
                "to", "till", "until", "untill", "til", "and", "through", "thru",
            ],
        ))
    {
        return None;
    }
    let (end, second) = clock(c, after_start + 1, true)?;
    // "8 to 10" in digits is a window; "ten to five" in words is 4:50, read elsewhere.
    let strong = opener
        || first.pm.is_some()
        || second.pm.is_some()
        || c.punct_at(after_start, '-') && c.digitish(start)
        || (c.digitish(start) && c.digitish(after_start + 1) && !c.word_at(after_start, "and"));
    if !strong {
        return None;
    }
    // "3-4pm": the end's meridiem applies to the start.
    let mut first = first;
    if first.pm.is_none() && second.pm.is_some() && first.hour <= second.hour && second.hour <= 12 {
        first.pm = second.pm;
    }
    let (end, mut extra) = trailing_meridiem(c, end);
    extra.insert(0, Piece::Until(second));
    extra.insert(0, Piece::Time(first));
    Some((end, extra))
}

impl Ctx<'_> {
    fn digitish(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| t.digits() > 0)
    }
}

/// "in the am", "in the pm" after a time.
fn trailing_meridiem(c: &Ctx, i: usize) -> (usize, Vec<Piece>) {
    if c.word_at(i, "in") && c.word_at(i + 1, "the") && c.any_at(i + 2, &["am", "pm"]) {
        return (i + 3, vec![Piece::Meridiem(c.word_at(i + 2, "pm"))]);
    }
    (i, Vec::new())
}

/// at 3, @ 10, around 1030, approximately 3pm, at three twenty, at 3 15.
fn anchored_time(c: &Ctx, i: usize) -> Matched {
    // "make it 1", "how about 3": a bare number offered as the time.
    if (c.word_at(i, "make") && c.word_at(i + 1, "it"))
        || (c.any_at(i, &["how", "what"]) && c.word_at(i + 1, "about"))
    {
        let (end, time) = clock(c, i + 2, true)?;
        let (end, mut extra) = trailing_meridiem(c, end);
        extra.insert(0, Piece::Time(time));
        return Some((end, extra));
    }
    let t = c.tok(i)?;
    if !(t.is_punct('@')
        || t.is_any(&[
            "at",
            "around",
            "about",
            "approximately",
            "approx",
            "by",
            "till",
            "until",
        ]))
    {
        return None;
    }
    let j = c.opt(i + 1, &["about", "around"]);
    if let Some(found) = minutes_relative(c, j) {
        return Some(found);
    }
    let (end, time) = clock(c, j, true)?;
    let (end, mut extra) = trailing_meridiem(c, end);
    extra.insert(0, Piece::Time(time));
    Some((end, extra))
}

/// A time with a clear marker of being one: 3:30, 3pm, 15h, 8 o'clock, half past two.
fn time_expression(c: &Ctx, i: usize) -> Matched {
    if let Some(found) = minutes_relative(c, i) {
        return Some(found);
    }
    let (end, time) = clock(c, i, false)?;
    let (end, mut extra) = trailing_meridiem(c, end);
    extra.insert(0, Piece::Time(time));
    Some((end, extra))
}

/// "830 on the 16th", "tmrw 845", "friday 1030": a clock time written without its colon, in a
/// message that names a day (alone, "1030" is read by the rules; "order 2025" is no time).
fn run_together_beside_a_day(c: &Ctx, i: usize) -> Matched {
    let t = c.tok(i)?;
    let n = t.num().filter(|_| matches!(t.digits(), 3 | 4))?;
    let (hour, minute) = (n / 100, n % 100);
    if !(1..=23).contains(&hour) || minute > 59 || (1900..=2100).contains(&n) {
        return None;
    }
    // Part of an order number ("RHP26-0125"): written against what is before or after it.
    let attached = |k: Option<usize>| {
        k.and_then(|k| c.tok(k)).is_some_and(|o| {
            (o.end == t.start || o.start == t.end)
                && !matches!(o.tok, Tok::Punct('?' | '!' | ',' | '.' | ';' | ')' | '('))
        })
    };
    if attached(i.checked_sub(1)) || attached(Some(i + 1)) {
        return None;
    }
    let names_a_day = c.tokens.iter().enumerate().any(|(k, t)| {
        k != i
            && (matches!(t.tok, Tok::Ord(_))
                || t.word().is_some_and(|w| {
                    matches!(w, "today" | "tomorrow" | "tonight")
                        || lexicon::weekday(w).is_some()
                        || lexicon::month(w).is_some()
                }))
    });
    names_a_day.then(|| (i + 1, vec![Piece::Time(ClockTime::new(hour, minute))]))
}

/// A bare hour right next to a day or part of the day: "9 tomorrow", "8 tonight",
/// "3 in the morning", "1 in the afternoon".
fn contextual_hour(c: &Ctx, i: usize) -> Matched {
    let hour = c.tok(i)?.num().filter(|h| (1..=12).contains(h))?;
    if c.choice_one(i) {
        return None;
    }
    let time = ClockTime::new(hour, 0);
    let next = c.tok(i + 1)?.word()?;
    if matches!(next, "tomorrow" | "tonight" | "tonite" | "today" | "this") {
        return Some((i + 1, vec![Piece::Time(time)]));
    }
    if next == "in" && c.word_at(i + 2, "the") {
        if c.any_at(i + 3, &["am", "pm"]) {
            return Some((
                i + 4,
                vec![Piece::Time(time), Piece::Meridiem(c.word_at(i + 3, "pm"))],
            ));
        }
        let part = part_word(c.tok(i + 3)?.word()?)?;
        return Some((i + 4, vec![Piece::Time(time), Piece::Part(part)]));
    }
    None
}

/// half past two, (a) quarter to 11, 20 past 3pm, twenty after 3, 15 minutes to noon,
/// half three, 15 minutes from 1pm.
fn minutes_relative(c: &Ctx, i: usize) -> Matched {
    let j = c.opt(i, &["a"]);
    let (minutes, k) = match c.tok(j)? {
        t if t.is_word("half") => (30, j + 1),
        t if t.is_word("quarter") => (15, j + 1),
        t => {
            let n = t.num().filter(|n| (1..60).contains(n))?;
            (n, c.opt(j + 1, &["minutes", "minute", "mins", "min"]))
        }
    };
    let (sign, hour_at) = match c.tok(k)?.word() {
        Some("past" | "after" | "from") => (1i64, k + 1),
        Some("to" | "before" | "till" | "til" | "of") => (-1, k + 1),
        // British "half three" = 3:30.
        _ if minutes == 30 && c.word_at(j, "half") => (1, k),
        _ => return None,
    };
    let (end, base) = clock(c, hour_at, true)?;
    if base.minute != 0 && sign < 0 {
        return None;
    }
    // With am/pm known ("a quarter past 3pm") the result is exact; otherwise it is inferred
    // later like any bare time ("half past two" → 14:30 in business hours).
    let exact = base.exact_form();
    let from = exact.unwrap_or(base);
    let total = i64::from(from.hour) * 60 + i64::from(from.minute) + sign * i64::from(minutes);
    let total = total.rem_euclid(24 * 60);
    let hour = u32::try_from(total / 60).ok()?;
    let minute = u32::try_from(total % 60).ok()?;
    let time = ClockTime {
        hour,
        minute,
        pm: None,
        exact: exact.is_some(),
    };
    let (end, mut extra) = trailing_meridiem(c, end);
    extra.insert(0, Piece::Time(time));
    Some((end, extra))
}

/// One clock time starting at `i`. With `bare`, a plain number ("3", "three twenty", "3 15")
/// counts; without, it needs a marker (colon, am/pm, "h", o'clock, noon).
fn clock(c: &Ctx, i: usize, bare: bool) -> Option<(usize, ClockTime)> {
    let t = c.tok(i)?;
    match t.word() {
        Some("noon" | "midday") => return Some((i + 1, ClockTime::new(12, 0))),
        Some("mid") if c.word_at(i + 1, "day") => return Some((i + 2, ClockTime::new(12, 0))),
        Some("midnight") => return Some((i + 1, ClockTime::new(0, 0))),
        Some("the") if c.any_at(i + 1, &["noon", "midday"]) => {
            return Some((i + 2, ClockTime::new(12, 0)));
        }
        _ => {}
    }
    let n = t.num()?;
    let digits = t.digits();
    if c.choice_one(i) {
        return None;
    }
    // "15h30" and a leading zero ("07:00") are the 24-hour clock.
    let exact = c.word_at(i + 1, "h") || (digits == 2 && n < 10);
    let (mut end, hour, minute, mut marked) = if c.punct_at(i + 1, ':')
        || (c.punct_at(i + 1, '.')
            && c.tok(i + 2).is_some_and(|m| m.digits() == 2)
            && c.any_at(i + 3, &["am", "pm"]))
    {
        // 3:30, 15:15, 3.30pm
        let m = c.tok(i + 2)?;
        (m.digits() == 2).then_some(())?;
        (i + 3, n, m.num()?, true)
    } else if c.word_at(i + 1, "h") {
        // 15h00, 3h18, 16h
        match c.tok(i + 2).filter(|m| m.digits() == 2) {
            Some(m) => (i + 3, n, m.num()?, true),
            None => (i + 2, n, 0, true),
        }
    } else if digits == 3 || digits == 4 {
        // 1030, 330 pm, 730
        (i + 1, n / 100, n % 100, false)
    } else if digits == 0
        && (1..=12).contains(&n)
        && c.tok(i + 1)
            .is_some_and(|m| m.digits() == 0 && m.num().is_some_and(|v| (10..60).contains(&v)))
    {
        // three twenty, nine fifty nine
        (i + 2, n, c.tok(i + 1)?.num()?, false)
    } else if bare
        && digits > 0
        && c.tok(i + 1)
            .is_some_and(|m| m.digits() == 2 && m.num().is_some_and(|v| v < 60))
        && n <= 12
    {
        // at 3 15
        (i + 2, n, c.tok(i + 1)?.num()?, false)
    } else {
        (i + 1, n, 0, false)
    };
    if digits == 4 && n > 2359 {
        return None;
    }
    if c.word_at(end, "ish") {
        end += 1;
        marked |= digits >= 3;
    }
    let mut pm = None;
    if c.word_at(end, "oclock") {
        end += 1;
        marked = true;
    }
    if c.any_at(end, &["am", "pm"]) {
        pm = Some(c.word_at(end, "pm"));
        end += 1;
        marked = true;
    } else if c.word_at(end, "h") && !marked {
        end += 1;
        marked = true;
    }
    if !marked && !bare {
        return None;
    }
    if hour > 23 || minute > 59 || (pm.is_some() && (hour == 0 || hour > 12)) {
        return None;
    }
    Some((
        end,
        ClockTime {
            hour,
            minute,
            pm,
            exact: exact && pm.is_none(),
        },
    ))
}

/// morning, in the afternoon, tomorrow evening's "evening", lunch, after lunch, early morning.
fn part_of_day(c: &Ctx, i: usize) -> Matched {
    let mut j = c.opt(i, &["in", "at", "during", "around"]);
    j = c.opt(j, &["the"]);
    if c.word_at(j, "early") {
        let k = c.opt(c.opt(j + 1, &["in"]), &["the"]);
        if c.any_at(k, &["morning", "hours"]) {
            let end = if c.word_at(k, "hours") {
                c.opt(c.opt(c.opt(k + 1, &["of"]), &["the"]), &["morning"])
            } else {
                k + 1
            };
            return Some((end, vec![Piece::Part(PartOfDay::EarlyMorning)]));
        }
    }
    if c.word_at(j, "after") {
        return match c.tok(j + 1)?.word()? {
            "lunch" => Some((j + 2, vec![Piece::Part(PartOfDay::Afternoon)])),
            "school" | "work" => Some((j + 2, vec![Piece::Part(PartOfDay::Evening)])),
            _ => None,
        };
    }
    let word = c.tok(j)?.word()?;
    let part = part_word(word).or_else(|| word.strip_suffix("ish").and_then(part_word))?;
    Some((j + 1, vec![Piece::Part(part)]))
}

fn part_word(word: &str) -> Option<PartOfDay> {
    Some(match word {
        "morning" | "mornings" | "am" => PartOfDay::Morning,
        "lunch" | "lunchtime" => PartOfDay::Lunch,
        "afternoon" | "afternoons" | "pm" => PartOfDay::Afternoon,
        "evening" | "evenings" => PartOfDay::Evening,
        "night" | "tonight" => PartOfDay::Night,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Putting the pieces together

fn combine(c: &Ctx, pieces: Vec<(Piece, (usize, usize))>) -> When {
    let mut when = When {
        spans: pieces.iter().map(|(_, s)| *s).collect(),
        ..When::default()
    };
    when.spans.dedup();
    let weekday = pieces.iter().find_map(|(p, _)| match p {
        Piece::Weekday(w) => Some(*w),
        _ => None,
    });
    // The weekday that goes with a day of the month is the one said just before it ("came up
    // thurs, can we do tues the 25th": Tuesday the 25th), else the first one said.
    let weekday_of = |at: (usize, usize)| {
        pieces
            .iter()
            .filter_map(|(p, span)| match p {
                Piece::Weekday(w) if span.1 <= at.0 => Some((*w, span.1)),
                _ => None,
            })
            .max_by_key(|(_, end)| *end)
            .map(|(w, _)| w)
            .or(weekday)
    };
    // "the 31st is my son's thing. thursday the 1st": of several days of the month, the one
    // said with its weekday.
    let days: Vec<(usize, usize)> = pieces
        .iter()
        .filter(|(p, _)| matches!(p, Piece::DayOfMonth(_)))
        .map(|(_, span)| *span)
        .collect();
    let with_weekday = days.iter().copied().find(|at| {
        pieces
            .iter()
            .any(|(p, span)| matches!(p, Piece::Weekday(_)) && span.1 <= at.0 && at.0 - span.1 <= 2)
    });
    let day_said = with_weekday
        .filter(|_| days.len() > 1)
        .or(days.first().copied());
    for (piece, span) in &pieces {
        match *piece {
            Piece::Date(d) if when.date.is_none() => when.date = Some(d),
            Piece::SoftToday if when.date.is_none() => {
                when.date = Some(c.today);
                when.soft_date = true;
            }
            Piece::MonthDay { month, day, year } if when.date.is_none() || when.soft_date => {
                when.date = resolve_month_day(c.today, month, day, year, weekday_of(*span));
                when.soft_date = false;
            }
            Piece::DayOfMonth(day) if when.date.is_none() && Some(*span) == day_said => {
                when.date = resolve_day_of_month(c.today, day, weekday_of(*span));
            }
            Piece::Part(p) if when.part.is_none() => when.part = Some(p),
            Piece::Offset(o) if when.offset.is_none() => when.offset = Some(o),
            Piece::Week(monday) if when.week.is_none() => when.week = Some(monday),
            _ => {}
        }
    }
    if when.date.is_none()
        && let Some(w) = weekday
    {
        // "next week, the wednesday": that week's Wednesday, not the coming one.
        when.date = Some(match when.week {
            Some(monday) => monday + Duration::days(i64::from(w.num_days_from_monday())),
            None => nth_weekday_after(c.today, w, 1),
        });
        when.bare_weekday = Some(w);
    }
    let meridiem = pieces.iter().find_map(|(p, _)| match p {
        Piece::Meridiem(pm) => Some(*pm),
        _ => None,
    });
    let first_time = pieces.iter().find_map(|(p, _)| match p {
        Piece::Time(t) => Some(*t),
        _ => None,
    });
    if let Some(t) = first_time {
        when.time = to_time(t, meridiem, when.part);
    }
    when.until = pieces.iter().find_map(|(p, _)| match p {
        Piece::Until(t) => to_time(*t, meridiem, when.part),
        _ => None,
    });
    when
}

/// The 24-hour time of a written time: its own am/pm, else the part of the day ("at 8 in the
/// evening"), else business hours — 1 to 6 are afternoon hours, 7 to 11 morning ones (crews
/// start at 7 or 7:30; no one books a visit at 7 in the evening).
fn to_time(t: ClockTime, meridiem: Option<bool>, part: Option<PartOfDay>) -> Option<NaiveTime> {
    if t.exact {
        return NaiveTime::from_hms_opt(t.hour, t.minute, 0);
    }
    let hour = match t.pm.or(meridiem) {
        Some(true) if t.hour < 12 => t.hour + 12,
        Some(false) if t.hour == 12 => 0,
        Some(_) => t.hour,
        None if t.hour > 12 || t.hour == 0 => t.hour,
        None => match part {
            // "12 tonight", "this evening at 12": midnight.
            Some(PartOfDay::Evening | PartOfDay::Night) if t.hour == 12 => 0,
            // "12 in the afternoon" is noon; "12 in the morning" midnight.
            Some(p) if t.hour == 12 => {
                if p.is_pm() {
                    12
                } else {
                    0
                }
            }
            Some(p) if p.is_pm() => t.hour + 12,
            Some(_) => t.hour,
            None if (1..=6).contains(&t.hour) => t.hour + 12,
            None => t.hour,
        },
    };
    NaiveTime::from_hms_opt(hour, t.minute, 0)
}

fn resolve_month_day(
    today: NaiveDate,
    month: u32,
    day: u32,
    year: Option<i32>,
    weekday: Option<Weekday>,
) -> Option<NaiveDate> {
    if let Some(year) = year {
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    if let Some(w) = weekday {
        // "Fri, Jul 18": the year in which that day is a Friday.
        return (today.year()..today.year() + 8)
            .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
            .find(|d| d.weekday() == w);
    }
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
    match this_year {
        Some(d) if d >= today => Some(d),
        _ => (today.year() + 1..today.year() + 5)
            .find_map(|y| NaiveDate::from_ymd_opt(y, month, day)),
    }
}

fn resolve_day_of_month(today: NaiveDate, day: u32, weekday: Option<Weekday>) -> Option<NaiveDate> {
    let first = today.with_day(1)?;
    (0..36)
        .filter_map(|m| add_months(first, m).and_then(|f| f.with_day(day)))
        .find(|d| match weekday {
            Some(w) => d.weekday() == w && *d >= first,
            None => *d >= today,
        })
}

/// The `n`-th `weekday` strictly after `from`.
fn nth_weekday_after(from: NaiveDate, weekday: Weekday, n: i64) -> NaiveDate {
    let ahead = (i64::from(weekday.num_days_from_monday())
        - i64::from(from.weekday().num_days_from_monday()))
    .rem_euclid(7);
    let first = if ahead == 0 { 7 } else { ahead };
    from + Duration::days(first + 7 * (n - 1))
}

/// The `n`-th `weekday` strictly before `from`.
fn nth_weekday_before(from: NaiveDate, weekday: Weekday, n: i64) -> NaiveDate {
    let back = (i64::from(from.weekday().num_days_from_monday())
        - i64::from(weekday.num_days_from_monday()))
    .rem_euclid(7);
    let first = if back == 0 { 7 } else { back };
    from - Duration::days(first + 7 * (n - 1))
}

/// `weekday` in the week (Monday first) `weeks` away from the week of `from`.
fn weekday_in_week(from: NaiveDate, weekday: Weekday, weeks: i64) -> NaiveDate {
    let monday = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
    monday + Duration::days(7 * weeks + i64::from(weekday.num_days_from_monday()))
}

fn nth_in_month(
    year: i32,
    month: u32,
    weekday: Option<Weekday>,
    n: u32,
    from_end: bool,
) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last = add_months(first, 1)? - Duration::days(1);
    let matches = |d: &NaiveDate| weekday.is_none_or(|w| d.weekday() == w);
    let days: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(matches)
        .collect();
    let index = usize::try_from(n).ok()?.checked_sub(1)?;
    if from_end {
        days.iter().rev().nth(index).copied()
    } else {
        days.get(index).copied()
    }
}

fn add_months(date: NaiveDate, months: i32) -> Option<NaiveDate> {
    if months >= 0 {
        date.checked_add_months(chrono::Months::new(months.unsigned_abs()))
    } else {
        date.checked_sub_months(chrono::Months::new(months.unsigned_abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wednesday 5 November 2025, 10:00.
    fn now() -> NaiveDateTime {
        NaiveDateTime::parse_from_str("2025-11-05 10:00", "%Y-%m-%d %H:%M").unwrap()
    }

    fn date_of(text: &str) -> Option<String> {
        parse(text, now()).date.map(|d| d.to_string())
    }

    fn time_of(text: &str) -> Option<String> {
        parse(text, now())
            .time
            .map(|t| t.format("%H:%M").to_string())
    }

    #[test]
    fn dates_customers_write() {
        let table = [
            ("today", "2025-11-05"),
            ("tomorrow", "2025-11-06"),
            ("the day after tomorrow", "2025-11-07"),
            ("thursday", "2025-11-06"),
            ("thu", "2025-11-06"),
            ("Thurs.", "2025-11-06"),
            ("this friday", "2025-11-07"),
            ("next thursday", "2025-11-13"),
            ("coming monday", "2025-11-10"),
            ("the following saturday", "2025-11-15"),
            ("the saturday after", "2025-11-15"),
            ("thanksgiving", "2025-11-27"),
            ("the day after thanksgiving", "2025-11-28"),
            ("black friday", "2025-11-28"),
            ("christmas eve", "2025-12-24"),
            ("the day after memorial day", "2026-05-26"),
            ("a week after this friday", "2025-11-14"),
            ("on the 20", "2025-11-20"),
            ("labor day", "2026-09-07"),
            ("the sat after that", "2025-11-15"),
            ("next monday", "2025-11-10"),
            ("wednesday", "2025-11-12"),
            ("next wed", "2025-11-12"),
            ("in 3 days", "2025-11-08"),
            ("a week from today", "2025-11-12"),
            ("in two weeks", "2025-11-19"),
            ("Nov 12", "2025-11-12"),
            ("12 November", "2025-11-12"),
            ("november 12th", "2025-11-12"),
            ("the 12th", "2025-11-12"),
            ("11/14", "2025-11-14"),
            ("11/14/2025", "2025-11-14"),
            ("2025-11-14", "2025-11-14"),
            ("Oct 3", "2026-10-03"),
            ("the 3rd", "2025-12-03"),
            ("on the first", "2025-12-01"),
            ("tomorrow morning", "2025-11-06"),
            ("wednesday afternoon", "2025-11-12"),
            ("friday after next", "2025-11-14"),
            ("monday of next week", "2025-11-10"),
            ("the 21st", "2025-11-21"),
            ("first monday of december", "2025-12-01"),
            ("in a fortnight", "2025-11-19"),
            // The weekday said beside the day of the month, not one said earlier.
            (
                "something came up thurs, can we do tues the 25th",
                "2025-11-25",
            ),
            ("friday is out, monday, nov 24 instead", "2025-11-24"),
        ];
        for (text, expected) in table {
            assert_eq!(date_of(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn times_customers_write() {
        let table = [
            ("10am", "10:00"),
            ("10 am", "10:00"),
            ("10:30", "10:30"),
            ("2:15pm", "14:15"),
            ("14:00", "14:00"),
            ("3 p.m.", "15:00"),
            ("noon", "12:00"),
            ("half past two", "14:30"),
            ("quarter to 11", "10:45"),
            ("8 o'clock", "08:00"),
            ("at 3", "15:00"),
            ("1 in the afternoon", "13:00"),
            ("at 8", "08:00"),
            ("around 9", "09:00"),
            ("at 12", "12:00"),
            ("3pm", "15:00"),
            ("at 4:30", "16:30"),
            ("11:45am", "11:45"),
            ("a quarter past 1pm", "13:15"),
            ("15h30", "15:30"),
            ("actually make it 1 not 8, i have a call", "13:00"),
            ("how about 3", "15:00"),
        ];
        for (text, expected) in table {
            assert_eq!(time_of(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn dates_and_times_together() {
        let table = [
            ("next monday at 1pm", "2025-11-10", "13:00"),
            ("the 21st at noon", "2025-11-21", "12:00"),
            ("9 tomorrow morning", "2025-11-06", "09:00"),
            ("book the windows for thursday at 8", "2025-11-06", "08:00"),
            ("can we do Nov 12 at 10:30?", "2025-11-12", "10:30"),
            ("friday 3pm", "2025-11-07", "15:00"),
            ("tomorrow afternoon at 1", "2025-11-06", "13:00"),
            ("830 on the 16th", "2025-11-16", "08:30"),
            ("tomorrow 845", "2025-11-06", "08:45"),
            ("friday 330", "2025-11-07", "15:30"),
            ("thursday next week, 1030?", "2025-11-13", "10:30"),
            (
                "book RHP26-0125 for the 10th at 10am",
                "2025-11-10",
                "10:00",
            ),
        ];
        for (text, date, time) in table {
            let when = parse(text, now());
            assert_eq!(
                when.date.map(|d| d.to_string()).as_deref(),
                Some(date),
                "{text}"
            );
            assert_eq!(
                when.time.map(|t| t.format("%H:%M").to_string()).as_deref(),
                Some(time),
                "{text}"
            );
        }
    }

    #[test]
    fn whole_weeks() {
        assert_eq!(
            parse("anything next week?", now()).week,
            "2025-11-10".parse().ok()
        );
        assert_eq!(
            parse("later this week", now()).week,
            "2025-11-03".parse().ok()
        );
        assert_eq!(parse("next week", now()).date, None);
        // A weekday of next week is a day, not the week.
        assert_eq!(
            date_of("wednesday of next week").as_deref(),
            Some("2025-11-12")
        );
    }

    #[test]
    fn parts_of_the_day() {
        assert_eq!(
            parse("tomorrow morning", now()).part,
            Some(PartOfDay::Morning)
        );
        assert_eq!(
            parse("wednesday afternoon", now()).part,
            Some(PartOfDay::Afternoon)
        );
        assert_eq!(
            parse("anything in the evening", now()).part,
            Some(PartOfDay::Evening)
        );
    }

    #[test]
    fn things_that_are_not_dates_or_times() {
        for text in [
            "the first one",
            "the second option",
            "123 Main St",
            "may I reschedule",
            "yes please",
            "option 2",
            "I have 3 projects",
            "second",
            "my windows",
            "ORD 2025 001",
        ] {
            let when = parse(text, now());
            assert!(
                when.date.is_none() && when.time.is_none(),
                "{text}: {when:?}"
            );
        }
    }

    #[test]
    fn spans_cover_the_expression() {
        let text = "please book thursday at 8 for me";
        let when = parse(text, now());
        let covered: Vec<&str> = when.spans.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(covered, ["thursday", "at 8"]);
    }
}
