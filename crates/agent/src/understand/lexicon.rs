//! The words dates and times are made of: one table per kind, so coverage grows by adding rows.

use chrono::Weekday;

/// Day names and their abbreviations.
pub const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("mon", Weekday::Mon),
    ("mondays", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("tue", Weekday::Tue),
    ("tues", Weekday::Tue),
    ("tuesdays", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("wed", Weekday::Wed),
    ("weds", Weekday::Wed),
    ("wednesdays", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("thu", Weekday::Thu),
    ("thur", Weekday::Thu),
    ("thurs", Weekday::Thu),
    ("thursdays", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("fri", Weekday::Fri),
    ("fridays", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sat", Weekday::Sat),
    ("saturdays", Weekday::Sat),
    ("sunday", Weekday::Sun),
    ("sun", Weekday::Sun),
    ("sundays", Weekday::Sun),
];

/// Month names and their abbreviations, 1-based.
pub const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// Cardinal number words up to nineteen, and the tens.
pub const UNITS: &[(&str, u32)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];
pub const TENS: &[(&str, u32)] = &[("twenty", 20), ("thirty", 30), ("forty", 40), ("fifty", 50)];

/// Ordinal words; compounds ("twenty-first") are built from the tens.
pub const ORDINALS: &[(&str, u32)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("thirteenth", 13),
    ("fourteenth", 14),
    ("fifteenth", 15),
    ("sixteenth", 16),
    ("seventeenth", 17),
    ("eighteenth", 18),
    ("nineteenth", 19),
    ("twentieth", 20),
    ("thirtieth", 30),
];

/// Suffixes after a digit ordinal: 1st, 2nd, 3rd, 4th.
pub const ORDINAL_SUFFIXES: &[&str] = &["st", "nd", "rd", "th"];

/// Units of a duration, in days (0 for units shorter than a day) or minutes.
pub enum DurationUnit {
    Minutes(i64),
    Days(i64),
    Months(i32),
}

pub const DURATION_UNITS: &[(&str, DurationUnit)] = &[
    ("minute", DurationUnit::Minutes(1)),
    ("minutes", DurationUnit::Minutes(1)),
    ("min", DurationUnit::Minutes(1)),
    ("mins", DurationUnit::Minutes(1)),
    ("hour", DurationUnit::Minutes(60)),
    ("hours", DurationUnit::Minutes(60)),
    ("hr", DurationUnit::Minutes(60)),
    ("hrs", DurationUnit::Minutes(60)),
    ("h", DurationUnit::Minutes(60)),
    ("day", DurationUnit::Days(1)),
    ("days", DurationUnit::Days(1)),
    ("week", DurationUnit::Days(7)),
    ("weeks", DurationUnit::Days(7)),
    ("wk", DurationUnit::Days(7)),
    ("wks", DurationUnit::Days(7)),
    ("fortnight", DurationUnit::Days(14)),
    ("fortnights", DurationUnit::Days(14)),
    ("month", DurationUnit::Months(1)),
    ("months", DurationUnit::Months(1)),
];

pub fn lookup<T: Copy>(table: &[(&str, T)], word: &str) -> Option<T> {
    table.iter().find(|(w, _)| *w == word).map(|(_, v)| *v)
}

pub fn weekday(word: &str) -> Option<Weekday> {
    lookup(WEEKDAYS, word.trim_end_matches('.'))
}

pub fn month(word: &str) -> Option<u32> {
    lookup(MONTHS, word.trim_end_matches('.'))
}

pub fn duration_unit(word: &str) -> Option<&'static DurationUnit> {
    DURATION_UNITS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, u)| u)
}

/// Trade and job words customers use for their projects, with the form projects are compared
/// in. A category such as "Shower & Bath" is compared word by word in the same forms.
pub const TRADE_WORDS: &[(&str, &str)] = &[
    ("floor", "flooring"),
    ("floors", "flooring"),
    ("flooring", "flooring"),
    ("hardwood", "flooring"),
    ("laminate", "flooring"),
    ("vinyl", "flooring"),
    ("window", "windows"),
    ("windows", "windows"),
    ("door", "doors"),
    ("doors", "doors"),
    // Which door: "the sliding door" is not the entry door.
    ("pavers", "pavers"),
    ("paver", "pavers"),
    ("quartz", "countertops"),
    ("granite", "countertops"),
    ("sliding", "sliding"),
    ("slider", "sliding"),
    ("entry", "entry"),
    ("french", "french"),
    ("cabinet", "cabinets"),
    ("cabinets", "cabinets"),
    ("cabinetry", "cabinets"),
    ("roof", "roofing"),
    ("roofing", "roofing"),
    ("shingles", "roofing"),
    ("siding", "siding"),
    ("gutter", "gutters"),
    ("gutters", "gutters"),
    ("deck", "deck"),
    ("decking", "deck"),
    ("bath", "bath"),
    ("bathroom", "bath"),
    ("tub", "bath"),
    ("shower", "shower"),
    ("kitchen", "kitchen"),
    ("countertop", "countertops"),
    ("countertops", "countertops"),
    ("counter", "countertops"),
    ("counters", "countertops"),
    ("carpet", "carpet"),
    ("carpeting", "carpet"),
    ("tile", "tile"),
    ("tiles", "tile"),
    ("blinds", "blinds"),
    ("shutters", "shutters"),
    ("fence", "fence"),
    ("fencing", "fence"),
    ("patio", "patio"),
    ("insulation", "insulation"),
    ("hvac", "hvac"),
    ("plumbing", "plumbing"),
    ("paint", "painting"),
    ("painting", "painting"),
    ("garage", "garage"),
    ("installation", "installation"),
    ("install", "installation"),
    ("installed", "installation"),
    ("installing", "installation"),
    ("instal", "installation"),
    ("measurement", "measurement"),
    ("measure", "measurement"),
    ("measuring", "measurement"),
    ("screen", "screen"),
    ("screens", "screen"),
    ("replacement", "replacement"),
    ("replace", "replacement"),
    ("replacing", "replacement"),
    ("repair", "repair"),
    ("repairs", "repair"),
    ("fix", "repair"),
    ("skylight", "skylight"),
    ("skylights", "skylight"),
    ("heater", "heater"),
    ("attic", "insulation"),
    ("railing", "railing"),
    ("railings", "railing"),
    // A pergola is the usual patio cover: "the pergola" finds a "Patio Covers" project.
    ("pergola", "cover"),
    ("pergolas", "cover"),
    ("cover", "cover"),
    ("covers", "cover"),
    ("awning", "awning"),
    ("sunroom", "sunroom"),
    ("vanity", "vanity"),
    ("backsplash", "backsplash"),
    ("drywall", "drywall"),
    ("ac", "hvac"),
    ("conditioner", "hvac"),
    ("conditioning", "hvac"),
];

/// Words a letter or two from a trade word that mean something else.
const NEAR_TRADE_WORDS: &[&str] = &[
    "showed", "shows", "shown", "showing", "flower", "flowers", "power", "tower", "dock", "rood",
    "rude", "doing", "odors", "fencer", "windy", "tiled", "bathe", "patios", "times", "time",
    "title", "titles", "smile", "while", "shoved", "room", "rooms", "wood", "good", "food",
    "roots", "proof",
];

/// The comparison form of a trade word, tolerating typos: an exact entry, a prefix of at least
/// four letters ("windo"), or one or two letters off ("instalation", "flooing").
pub fn trade_word(word: &str) -> Option<&'static str> {
    if let Some(found) = lookup(TRADE_WORDS, word) {
        return Some(found);
    }
    // Everyday words a letter away from a trade word.
    if NEAR_TRADE_WORDS.contains(&word) {
        return None;
    }
    let len = word.chars().count();
    if len < 4 {
        return None;
    }
    // A word cut short ("instal", "windo"); four letters are too few ("shut" is not "shutters").
    if len >= 5
        && let Some((_, canonical)) = TRADE_WORDS.iter().find(|(w, _)| w.starts_with(word))
    {
        return Some(canonical);
    }
    let allowed = if len >= 7 { 2 } else { 1 };
    TRADE_WORDS
        .iter()
        // Words whose lengths differ by more than the allowance cannot be that close; a typo
        // seldom changes the first letter ("looking" is not "flooring").
        .filter(|(w, _)| w.len().abs_diff(word.len()) <= allowed)
        .filter(|(w, _)| w.chars().next() == word.chars().next())
        .map(|(w, canonical)| (strsim::damerau_levenshtein(w, word), *canonical))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, canonical)| canonical)
}
