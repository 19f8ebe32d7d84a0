//! SMS spellings and typos, read as plain English before the rules: "can u do tmrw am", "nxt wk
//! pls", "shedule my guttr instal", "cncl my appt", "2moro @ 9 wrks 4 me".
//!
//! Three kinds of rewrite, each a class rather than a list of sentences:
//! - the shorthand table `understanding/en.txt` (data: "nxt => next", "appt => appointment");
//! - "2" and "4" between words ("need 2 set up", "4 sat") read as "to" and "for", never
//!   beside a unit or a time ("2 weeks", "at 4");
//! - a misspelt keyword ("reschedlue", "wensday", "techincian", "erliest") corrected to the
//!   word of the rules' vocabulary one or two letters away, starting with the same letter.
//!   Words of six letters or more only: shorter ones are too often other words.

use std::sync::LazyLock;

use super::lexicon;
use super::rewrite::{self, Found, Kind, Rewrite, Table, Token};

static TABLE: LazyLock<Table> =
    LazyLock::new(|| Table::parse(include_str!("../../understanding/en.txt")));

/// `text` (normalised) in plain English.
pub fn to_plain(text: &str) -> Rewrite {
    rewrite::run(
        text,
        &[
            rewrite::phone_number,
            lone_answer,
            joined,
            ish,
            phrase,
            for_or_to,
            misspelt,
        ],
    )
}

fn phrase(tokens: &[Token], i: usize) -> Found {
    TABLE
        .longest_at(tokens, i)
        .map(|(next, plain)| (next, plain.to_string()))
}

/// "2moro", "b4", "l8r": letters and digits written together, when the table knows them.
fn joined(tokens: &[Token], i: usize) -> Found {
    let (a, b) = (tokens.get(i)?, tokens.get(i + 1)?);
    if b.start != a.end || a.kind == b.kind || !matches!(b.kind, Kind::Word | Kind::Digits) {
        return None;
    }
    let plain = TABLE.word(&format!("{}{}", a.key, b.key))?;
    Some((i + 2, plain.to_string()))
}

/// "7ish", "10ish": around that hour.
fn ish(tokens: &[Token], i: usize) -> Found {
    let (n, suffix) = (tokens.get(i)?, tokens.get(i + 1)?);
    (n.kind == Kind::Digits && suffix.start == n.end && suffix.is("ish"))
        .then(|| (i + 2, format!("around {}", n.key)))
}

/// "y", "n", "k" said alone: yes, no, ok. Inside a sentence "y" is more often "why".
fn lone_answer(tokens: &[Token], i: usize) -> Found {
    let words = tokens
        .iter()
        .filter(|t| matches!(t.kind, Kind::Word | Kind::Digits))
        .count();
    if words != 1 {
        return None;
    }
    let plain = match tokens[i].key.as_str() {
        "y" | "ye" | "yh" => "yes",
        "n" | "nn" => "no",
        _ => return None,
    };
    Some((i + 1, plain.into()))
}

/// Words after which "4" is "for" ("4 sat", "4 me") and "2" is "to" ("2 do", "2 the").
const AFTER_FOR: &[&str] = &[
    "the",
    "a",
    "an",
    "my",
    "me",
    "us",
    "it",
    "that",
    "this",
    "next",
    "nxt",
    "tomorrow",
    "tmrw",
    "today",
    "sat",
    "saturday",
    "sun",
    "sunday",
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "weds",
    "wednesday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "you",
    "u",
    "them",
    "him",
    "her",
    "now",
    "real",
    "sure",
];
const AFTER_TO: &[&str] = &[
    "do",
    "be",
    "come",
    "get",
    "set",
    "book",
    "bk",
    "schedule",
    "move",
    "change",
    "cancel",
    "see",
    "know",
    "talk",
    "speak",
    "the",
    "my",
    "me",
    "you",
    "u",
    "a",
    "pick",
    "make",
    "have",
    "call",
    "text",
    "add",
    "tell",
    "let",
    "reschedule",
    "push",
    "put",
    "somebody",
    "someone",
    "an",
    "him",
    "her",
    "them",
    "us",
    "it",
    "that",
    "this",
];

/// "need 2 set up", "bk my fence 4 sat": a digit between words that is a word itself. Never
/// after "at", "by", "til" or before a unit ("2 weeks", "4 pm").
fn for_or_to(tokens: &[Token], i: usize) -> Found {
    let t = &tokens[i];
    let plain = match t.key.as_str() {
        "4" => "for",
        "2" => "to",
        _ => return None,
    };
    let next = rewrite::words_from(tokens, i + 1)
        .first()
        .map(|&k| &tokens[k])?;
    let before = tokens[..i]
        .iter()
        .rev()
        .find(|p| p.kind != Kind::Space)
        .filter(|p| p.kind == Kind::Word)?;
    if before.is_any(&[
        "at", "by", "til", "till", "until", "around", "about", "before", "after",
    ]) || next.start == t.end
    {
        return None;
    }
    let follows = if plain == "for" { AFTER_FOR } else { AFTER_TO };
    follows
        .contains(&next.key.as_str())
        .then(|| (i + 1, plain.into()))
}

/// The keywords the rules read, for typos to be corrected to.
const VOCABULARY: &[&str] = &[
    "schedule",
    "reschedule",
    "cancel",
    "appointment",
    "technician",
    "installer",
    "weather",
    "forecast",
    "tomorrow",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "august",
    "september",
    "october",
    "november",
    "december",
    "morning",
    "afternoon",
    "evening",
    "earliest",
    "soonest",
    "latest",
    "earlier",
    "available",
    "availability",
    "projects",
    "project",
    "status",
    "business",
    "person",
    "representative",
    "second",
    "option",
    "between",
    "before",
    "anything",
    "anytime",
    "sometime",
    "something",
    "possible",
    "weekend",
    "weekday",
    "weekdays",
    "tonight",
    "christmas",
    "instead",
    "actually",
    "please",
    "thanks",
    "change",
    "confirm",
    "correct",
    "install",
    "installation",
    "booking",
];

/// Words the correction must leave alone: real words a letter from a keyword.
const KEEP: &[&str] = &[
    "chance",
    "chances",
    "changed",
    "changes",
    "charge",
    "whether",
    "thinks",
    "cancer",
    "statue",
    "lately",
    "letter",
    "matter",
    "person",
    "persons",
    "booked",
    "booker",
    "cancels",
    "canceled",
    "install",
    "instant",
    "option",
    "options",
    "second",
    "seconds",
    "anything",
    "something",
    "sometimes",
    "evenings",
    "mornings",
    "weekends",
    "projector",
    "statues",
    "earliest",
    "latter",
    "former",
    "friday",
    "fridays",
    "monday",
    "mondays",
];

/// A misspelt keyword: one edit away for six or seven letters (five for a weekday), two for
/// eight or more.
fn misspelt(tokens: &[Token], i: usize) -> Found {
    let t = &tokens[i];
    if t.kind != Kind::Word || !t.key.is_ascii() {
        return None;
    }
    let len = t.key.len();
    // A keyword with an ending ("saturdays", "scheduled", "cancelled") is no typo.
    if len < 5 || KEEP.contains(&t.key.as_str()) || VOCABULARY.iter().any(|w| t.key.starts_with(w))
    {
        return None;
    }
    let allowed = if len >= 8 { 2 } else { 1 };
    // Five letters are too few to guess a word from, except a weekday ("frday", "mnday").
    VOCABULARY
        .iter()
        .filter(|w| len > 5 || lexicon::weekday(w).is_some())
        .filter(|w| w.len().abs_diff(len) <= allowed && w.as_bytes()[0] == t.key.as_bytes()[0])
        .map(|w| (strsim::damerau_levenshtein(w, &t.key), *w))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, w)| (i + 1, w.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> String {
        to_plain(text).text
    }

    #[test]
    fn reads_sms_spellings() {
        assert_eq!(plain("nxt wk pls"), "next week please");
        assert_eq!(plain("2moro @ 9 wrks 4 me"), "tomorrow @ 9 works for me");
        assert_eq!(
            plain("cn i bk my fence 4 sat"),
            "can i book my fence for sat"
        );
        assert_eq!(
            plain("need 2 set up my water heater"),
            "need to set up my water heater"
        );
        assert_eq!(plain("y"), "yes");
        assert_eq!(plain("tues the 24th, 7ish"), "tuesday the 24th, around 7");
        assert_eq!(plain("frday at 11"), "friday at 11");
        assert_eq!(plain("this aft"), "this afternoon");
    }

    #[test]
    fn keeps_numbers_that_are_numbers() {
        assert_eq!(plain("push it 2 weeks"), "push it 2 weeks");
        assert_eq!(plain("at 4 sat"), "at 4 sat");
        assert_eq!(plain("y is it late"), "y is it late");
    }

    #[test]
    fn corrects_misspelt_keywords_only() {
        assert_eq!(plain("reschedlue the roof"), "reschedule the roof");
        assert_eq!(plain("thrusday"), "thursday");
        assert_eq!(plain("techincian"), "technician");
        assert_eq!(plain("any chance u can"), "any chance u can");
        assert_eq!(plain("whether or not"), "whether or not");
        assert_eq!(plain("only saturdays"), "only saturdays");
    }
}
