//! What a customer rules in or out instead of naming one date or time: "any day after the 24th",
//! "not monday", "tuesday doesn't work", "before noon", "first thing", "same time the next day",
//! "a week later", "the first saturday you have", "1 not 8", "the gutters, not the roof".
//!
//! The understanding only says what was said, as [`DateRule`]s and [`TimeRule`]s; the booking
//! applies them to the dates and slots PF360 offered. Each matcher here returns the spans it
//! read so the date parser that runs next does not read "the 24th" of "after the 24th" as the
//! day wanted, and so the words of "X doesn't work" are not read as an answer ("good").
//!
//! Written for this product: the phrasings are the product's own (see the Duckling note in
//! [`super::datetime`]).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::command::{Command, DateRule, TimeRule};
use super::datetime::{self, PartOfDay, When};
use super::lexicon;
use super::tokens::{Tok, Token, tokenize};

/// Words that end the stretch a marker applies to ("not monday, tuesday at 10").
const BOUNDARY_WORDS: &[&str] = &[
    "and", "but", "or", "tho", "though", "then", "so", "at", "same", "please", "pls", "instead",
    "either", "because", "since", "if",
];

/// Words before a day or time that rule it out.
const NOT_BEFORE: &[&[&str]] = &[
    &["not"],
    &["except"],
    &["excluding"],
    &["other", "than"],
    &["anything", "but"],
    &["instead", "of"],
    &["rather", "than"],
    &["cant", "do"],
    &["cannot", "do"],
    &["can", "not", "do"],
    &["cant", "make"],
    &["cannot", "make"],
    &["cant", "make", "it"],
    &["wont", "work", "on"],
    &["busy", "on"],
    &["im", "busy"],
    &["unavailable"],
    &["no", "good", "on"],
    // What the customer says of their own day: "i work mornings", "im at work weekdays".
    &["i", "work"],
    &["i", "work", "on"],
    &["i", "am", "working"],
    &["im", "working"],
    &["im", "at", "work"],
    &["i", "am", "at", "work"],
    &["i", "have", "work"],
    &["i", "got", "work"],
    &["i", "am", "busy"],
];

/// Words after a day or time that rule it out: "tuesday doesn't work".
/// After a day or time: it and everything before it are out ("10am is too early").
const TOO_EARLY: &[&[&str]] = &[&["is", "too", "early"], &["too", "early"], &["is", "early"]];
/// After a day or time: it and everything after it are out ("3 is too late").
const TOO_LATE: &[&[&str]] = &[&["is", "too", "late"], &["too", "late"]];
const NOT_AFTER: &[&[&str]] = &[
    &["doesnt", "work"],
    &["does", "not", "work"],
    &["dont", "work"],
    &["wont", "work"],
    &["will", "not", "work"],
    &["isnt", "good"],
    &["is", "not", "good"],
    &["is", "no", "good"],
    &["no", "good"],
    &["is", "bad"],
    &["is", "out"],
    &["doesnt", "suit"],
    &["isnt", "going", "to", "work"],
    &["is", "not", "going", "to", "work"],
    &["is", "a", "no"],
    &["wont", "do"],
    &["cant", "work"],
    &["is", "taken"],
    &["is", "busy"],
    &["are", "no", "good"],
    &["are", "impossible"],
    &["is", "impossible"],
    &["dont", "work", "for", "us"],
    &["are", "bad"],
    &["are", "out"],
    &["arent", "good"],
    &["are", "not", "good"],
    &["wont", "work", "for", "me"],
    &["dont", "work", "for", "me"],
    &["i", "cant", "do"],
    &["cant", "do"],
    // "mornings are chaos w the kids".
    &["are", "chaos"],
    &["is", "chaos"],
    &["are", "crazy"],
    &["is", "crazy"],
    &["are", "hectic"],
    &["is", "hectic"],
    &["are", "rough"],
    &["is", "rough"],
    &["are", "tough"],
    &["is", "tough"],
    &["are", "hard"],
    &["is", "hard"],
    &["are", "busy"],
    &["are", "a", "mess"],
    &["is", "a", "mess"],
    &["i", "work"],
    &["im", "working"],
    &["im", "at", "work"],
    &["i", "am", "at", "work"],
    &["im", "busy"],
    &["i", "am", "busy"],
];

const AFTER_WORDS: &[&[&str]] = &[
    &["anytime", "after"],
    &["any", "time", "after"],
    &["any", "day", "after"],
    &["sometime", "after"],
    &["later", "than"],
    &["after"],
];

const BEFORE_WORDS: &[&[&str]] = &[
    &["anytime", "before"],
    &["any", "time", "before"],
    &["sometime", "before"],
    &["not", "after"],
    &["earlier", "than"],
    &["before"],
];

/// Lower bounds that include the day or time they name: "starting the 3rd", "from the 3rd on".
const FROM_WORDS: &[&[&str]] = &[
    &["starting", "from"],
    &["starting", "on"],
    &["starting"],
    &["beginning"],
    &["on", "or", "after"],
    &["anytime", "from"],
    &["any", "day", "from"],
    &["sometime", "from"],
    &["no", "sooner", "than"],
    // "not before the 21st": the 21st will do.
    &["no", "earlier", "than"],
    &["not", "before"],
];

/// Bounds that include the day or time they name: "by 10", "until friday".
const BY_WORDS: &[&[&str]] = &[
    &["by"],
    &["until"],
    &["till"],
    &["til"],
    &["no", "later", "than"],
];
#[derive(Debug, Clone, Copy)]
enum MonthPart {
    Whole,
    Beginning,
    FirstWeek,
    Middle,
    /// "the end of the month": its last eight days or so.
    End,
    /// "late november": its last third.
    Late,
    LastWeek,
}

/// The words before a month that say which part of it: "the end of", "early", "mid".
const MONTH_PARTS: &[(&[&str], MonthPart)] = &[
    (&["the", "end", "of"], MonthPart::End),
    (&["end", "of"], MonthPart::End),
    (&["late"], MonthPart::Late),
    (&["the", "last", "week", "of"], MonthPart::LastWeek),
    (&["last", "week", "of"], MonthPart::LastWeek),
    (&["the", "beginning", "of"], MonthPart::Beginning),
    (&["beginning", "of"], MonthPart::Beginning),
    (&["the", "start", "of"], MonthPart::Beginning),
    (&["start", "of"], MonthPart::Beginning),
    (&["early"], MonthPart::Beginning),
    (&["the", "first", "week", "of"], MonthPart::FirstWeek),
    (&["first", "week", "of"], MonthPart::FirstWeek),
    (&["the", "middle", "of"], MonthPart::Middle),
    (&["middle", "of"], MonthPart::Middle),
    (&["mid"], MonthPart::Middle),
    (&["in"], MonthPart::Whole),
    (&["during"], MonthPart::Whole),
];

/// Someone the customer waits for is back: from the day said on.
const BACK_WORDS: &[&[&str]] = &[
    &["is", "back"],
    &["gets", "back"],
    &["get", "back"],
    &["comes", "back"],
    &["come", "back"],
    &["returns"],
    &["is", "home"],
    &["gets", "home"],
    &["back", "home"],
];

/// Words that say the customer is busy: "i work weekdays", "im busy til 3".
const BUSY: &[&str] = &["work", "working", "busy"];
/// Words that say something is over by then: "they'll be out by the 21st".
const DONE: &[&str] = &["out", "done", "finished", "gone", "back", "home", "over"];

/// Words that turn "until 3" around: "i don't get off work til 3", "i work til 3" are after 3.
const NEGATIONS: &[&str] = &[
    "dont", "not", "cant", "wont", "never", "isnt", "arent", "aint", "work", "working", "busy",
];
/// "i have", "i got": what follows may be something else the customer has on that day.
const HAVE: &[&[&str]] = &[
    &["i", "have"],
    &["i", "got"],
    &["ive", "got"],
    &["i", "have", "got"],
    &["i", "have", "to", "go", "to"],
    &["i", "have", "to", "be", "at"],
];
/// What a customer has on that rules its day or time out: "i have a dentist appt in the
/// morning". The installation appointment itself is not one of them.
const ENGAGEMENTS: &[&str] = &[
    "hair",
    "haircut",
    "vet",
    "mri",
    "pickup",
    "dr",
    "dentist",
    "doctor",
    "doctors",
    "meeting",
    "class",
    "classes",
    "school",
    "work",
    "shift",
    "church",
    "practice",
    "interview",
    "flight",
    "surgery",
    "therapy",
    "court",
    "game",
];
/// A day and time a week on from the one in play: "same time next week".
const SAME_TIME_NEXT_WEEK: &[&[&str]] = &[
    &["same", "time", "next", "week"],
    &["next", "week", "same", "time"],
    &["same", "time", "the", "week", "after"],
    &["same", "time", "a", "week", "later"],
];

/// Picks among the days or times that fit.
const FIRST_DAY: &[&[&str]] = &[
    &["first", "day"],
    &["earliest", "day"],
    &["soonest", "day"],
    &["first", "date"],
    &["earliest", "date"],
    &["first", "available", "day"],
    &["first", "available", "date"],
    &["first", "opening"],
    &["earliest", "opening"],
    &["next", "available", "day"],
    &["next", "available", "date"],
];
const LAST_DAY: &[&[&str]] = &[
    &["last", "day"],
    &["latest", "day"],
    &["last", "date"],
    &["latest", "date"],
    &["last", "available", "day"],
    &["last", "available", "date"],
];
/// ("the earliest slot", "the last time" are picks: they apply to the list on show, or become
/// these rules in the booking when no list of times is.)
const EARLIEST_TIME: &[&[&str]] = &[
    &["first", "thing"],
    &["as", "early", "as", "possible"],
    &["as", "early", "as", "you", "can"],
];
const LATEST_TIME: &[&[&str]] = &[
    &["last", "thing"],
    &["as", "late", "as", "possible"],
    &["as", "late", "as", "you", "can"],
    &["latest", "you", "have"],
    &["latest", "you", "got"],
    &["latest", "available"],
    &["latest", "possible"],
    &["last", "one", "of", "the", "day"],
];
/// Parts of the day narrowed: (words, from hour, until hour).
const PARTS_NARROWED: &[(&[&str], u32, Option<u32>)] = &[
    (&["late", "afternoon"], 15, None),
    (&["late", "in", "the", "afternoon"], 15, None),
    (&["early", "afternoon"], 12, Some(15)),
    (&["late", "morning"], 10, Some(12)),
    (&["mid", "morning"], 9, Some(12)),
    (&["early", "evening"], 16, Some(19)),
];

const SAME_TIME: &[&[&str]] = &[
    &["same", "time"],
    &["same", "hour"],
    &["same", "slot"],
    &["keep", "the", "time"],
    &["keep", "the", "same", "time"],
];
/// The day and the time in play both: "book the repair at that time instead".
const SAME_DAY_AND_TIME: &[&[&str]] = &[
    &["at", "that", "time"],
    &["at", "that", "same", "time"],
    &["same", "day", "and", "time"],
    &["same", "date", "and", "time"],
    &["same", "day", "same", "time"],
    &["that", "spot"],
    &["that", "slot"],
    &["that", "same", "slot"],
    &["the", "same", "spot"],
    &["the", "same", "slot"],
    &["its", "spot"],
    &["its", "place"],
    &["its", "slot"],
];
const SAME_DAY: &[&[&str]] = &[
    &["same", "day"],
    &["same", "date"],
    &["keep", "the", "day"],
    &["keep", "the", "date"],
    // "put the gutters in that day instead": the day of the appointment just named.
    &["in", "that", "day"],
    &["that", "day", "instead"],
    &["that", "same", "day"],
];
/// The day in play, later or earlier: "anything later that day?"
const LATER_THAT_DAY: &[&[&str]] = &[
    &["later", "that", "day"],
    &["later", "the", "same", "day"],
    &["later", "on", "the", "same", "day"],
    &["later", "same", "day"],
    &["same", "day", "but", "later"],
    &["the", "same", "day", "but", "later"],
    &["same", "day", "just", "later"],
    &["same", "day", "only", "later"],
    &["same", "day", "later"],
];
const EARLIER_THAT_DAY: &[&[&str]] = &[
    &["earlier", "that", "day"],
    &["earlier", "the", "same", "day"],
    &["earlier", "same", "day"],
    &["same", "day", "but", "earlier"],
    &["the", "same", "day", "but", "earlier"],
    &["same", "day", "just", "earlier"],
    &["same", "day", "earlier"],
];
const LATER_IN_DAY: &[&[&str]] = &[
    &["later", "in", "the", "day"],
    &["later", "time"],
    &["later", "slot"],
    &["start", "later"],
    &["a", "bit", "later"],
    &["little", "later"],
];
const EARLIER_IN_DAY: &[&[&str]] = &[
    &["earlier", "in", "the", "day"],
    &["earlier", "time"],
    &["earlier", "slot"],
    &["start", "earlier"],
    &["a", "bit", "earlier"],
    &["little", "earlier"],
];
const NEXT_DAY: &[&[&str]] = &[
    &["the", "next", "day"],
    &["next", "day"],
    &["the", "following", "day"],
    &["following", "day"],
    &["the", "day", "after"],
    &["a", "day", "later"],
    &["one", "day", "later"],
];
const DAY_BEFORE: &[&[&str]] = &[
    &["the", "day", "before"],
    &["a", "day", "earlier"],
    &["one", "day", "earlier"],
];
/// What may follow "a week earlier" without meaning anything more.
const COMPARISON_TAIL: &[&[&str]] = &[
    &["than", "it", "is", "now"],
    &["than", "its", "now"],
    &["than", "it", "is"],
    &["than", "now"],
    &["than", "currently"],
    &["than", "planned"],
    &["than", "that"],
    &["than", "before"],
];

/// What one message rules in or out, and the byte spans it read.
#[derive(Debug, Default)]
pub struct Found {
    pub commands: Vec<Command>,
    pub spans: Vec<(usize, usize)>,
}

/// A word as the markers read it: "doesn't" is one word, "doesnt".
struct Word {
    text: String,
    start: usize,
    end: usize,
    punct: bool,
}

struct Reader<'a> {
    text: &'a str,
    words: Vec<Word>,
    now: NaiveDateTime,
    found: Found,
}

/// The rules in `text` (already normalised).
pub fn find(text: &str, now: NaiveDateTime) -> Found {
    let mut r = Reader {
        text,
        words: words(text, &tokenize(text)),
        now,
        found: Found::default(),
    };
    let mut i = 0;
    while i < r.words.len() {
        i = r.step(i).unwrap_or(i + 1);
    }
    r.any_weekday_within_bounds();
    r.found
}

/// Tokens as written ("first", not the ordinal 1), words split at an apostrophe joined again,
/// punctuation kept as such.
fn words(source: &str, tokens: &[Token]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let t = &tokens[k];
        let text = match &t.tok {
            Tok::Word(w) => w.clone(),
            Tok::Num { .. } | Tok::Ord(_) => source[t.start..t.end].to_lowercase(),
            Tok::Punct(c) => c.to_string(),
        };
        let joins = t.is_punct('\'')
            && out.last().is_some_and(|w| !w.punct)
            && tokens.get(k + 1).and_then(Token::word).is_some();
        if joins && let (Some(last), Some(next)) = (out.last_mut(), tokens.get(k + 1)) {
            last.text.push_str(next.word().unwrap_or_default());
            last.end = next.end;
            k += 2;
            continue;
        }
        out.push(Word {
            text,
            start: t.start,
            end: t.end,
            punct: matches!(t.tok, Tok::Punct(_)),
        });
        k += 1;
    }
    out
}

impl Reader<'_> {
    /// Whether a day is named at `i`: "tomorrow", "friday", "the 14th".
    fn names_a_day(&self, i: usize) -> bool {
        // "the 14th", "this friday", "next tuesday".
        let i = if matches!(self.word(i), Some("the" | "this" | "next" | "coming")) {
            i + 1
        } else {
            i
        };
        self.word(i).is_some_and(|w| {
            matches!(w, "today" | "tomorrow" | "tmrw" | "yesterday")
                || lexicon::weekday(w).is_some()
                || w.ends_with(|c: char| c.is_ascii_digit())
                || ["st", "nd", "rd", "th"]
                    .iter()
                    .any(|s| w.strip_suffix(s).is_some_and(|n| n.parse::<u32>().is_ok()))
        })
    }

    fn word(&self, i: usize) -> Option<&str> {
        self.words
            .get(i)
            .filter(|w| !w.punct)
            .map(|w| w.text.as_str())
    }

    /// The index after `phrase` when it is said at `i`.
    fn phrase_at(&self, i: usize, phrase: &[&str]) -> Option<usize> {
        phrase
            .iter()
            .enumerate()
            .all(|(k, p)| self.word(i + k) == Some(*p))
            .then_some(i + phrase.len())
    }

    /// The longest phrase of `table` said at `i`, and the index after it.
    fn any_at(&self, i: usize, table: &[&[&str]]) -> Option<usize> {
        table.iter().filter_map(|p| self.phrase_at(i, p)).max()
    }

    fn is_boundary(&self, i: usize) -> bool {
        match self.words.get(i) {
            None => true,
            Some(w) if w.punct => !matches!(w.text.as_str(), "'" | "-" | "/" | ":"),
            Some(w) => BOUNDARY_WORDS.contains(&w.text.as_str()),
        }
    }

    fn span(&self, from: usize, to: usize) -> (usize, usize) {
        (self.words[from].start, self.words[to - 1].end)
    }

    fn read(&mut self, from: usize, to: usize, commands: Vec<Command>) -> Option<usize> {
        let span = self.span(from, to);
        self.found.spans.push(span);
        self.found.commands.extend(commands);
        Some(to)
    }

    /// Tries every matcher at `i`; the index after what was read.
    fn step(&mut self, i: usize) -> Option<usize> {
        let fixed: [(&[&[&str]], Command); 9] = [
            (SAME_TIME, time(TimeRule::Same)),
            (SAME_DAY, date(DateRule::SameDay)),
            (LATER_IN_DAY, time(TimeRule::Later)),
            (EARLIER_IN_DAY, time(TimeRule::Earlier)),
            (EARLIEST_TIME, time(TimeRule::Earliest)),
            (LATEST_TIME, time(TimeRule::Latest)),
            (FIRST_DAY, date(DateRule::First)),
            (LAST_DAY, date(DateRule::Last)),
            (DAY_BEFORE, date(DateRule::Shift(-1))),
        ];
        // "the next day"; "the day after tomorrow" is a date, left to the date parser.
        if let Some(end) = self.any_at(i, NEXT_DAY) {
            // "the day after tomorrow", "the day after memorial day": a date, read with the
            // dates.
            if self.word(end) == Some("tomorrow")
                || self
                    .when_from(end)
                    .is_some_and(|(_, when)| when.date.is_some() && when.time.is_none())
            {
                return None;
            }
            return self.read(i, end, vec![date(DateRule::Shift(1))]);
        }
        if let Some(end) = self.any_at(i, SAME_TIME_NEXT_WEEK) {
            return self.read(i, end, vec![date(DateRule::Shift(7)), time(TimeRule::Same)]);
        }
        // "friday instead of thursday": the day beside the one in play, in its week.
        if let Some(wanted) = self.word(i).and_then(lexicon::weekday)
            && self.phrase_at(i + 1, &["instead", "of"]).is_some()
            && let Some(replaced) = self.word(i + 3).and_then(lexicon::weekday)
        {
            let days = i64::from(wanted.num_days_from_monday())
                - i64::from(replaced.num_days_from_monday());
            let end = self
                .phrase_at(i + 4, &[",", "same", "week"])
                .or_else(|| self.phrase_at(i + 4, &["same", "week"]))
                .unwrap_or(i + 4);
            return self.read(i, end, vec![date(DateRule::Shift(days))]);
        }
        // "late afternoon", "early morning": the part of the day, narrowed.
        for (said, from, until) in PARTS_NARROWED {
            if let Some(end) = self.phrase_at(i, said) {
                let mut rules = vec![time(TimeRule::After(t(*from)))];
                if let Some(until) = until {
                    rules.push(time(TimeRule::Before(t(*until))));
                }
                return self.read(i, end, rules);
            }
        }
        for (table, rule) in [
            (LATER_THAT_DAY, TimeRule::Later),
            (EARLIER_THAT_DAY, TimeRule::Earlier),
        ] {
            if let Some(end) = self.any_at(i, table) {
                return self.read(i, end, vec![date(DateRule::SameDay), time(rule)]);
            }
        }
        if let Some(end) = self.any_at(i, SAME_DAY_AND_TIME) {
            return self.read(i, end, vec![date(DateRule::SameDay), time(TimeRule::Same)]);
        }
        if let Some(found) = self.between_days(i) {
            return Some(found);
        }
        if let Some(found) = self.weekday_after(i) {
            return Some(found);
        }
        if let Some(found) = self.back_on(i) {
            return Some(found);
        }
        if let Some(found) = self.bound_to_earlier_day(i) {
            return Some(found);
        }
        if let Some(found) = self.moved_from(i) {
            return Some(found);
        }
        if let Some(found) = self.part_of_month(i) {
            return Some(found);
        }
        if let Some(found) = self.shift(i) {
            return Some(found);
        }
        if let Some(found) = self.first_weekday(i) {
            return Some(found);
        }
        if let Some(found) = self.week_of(i) {
            return Some(found);
        }
        for (table, command) in fixed {
            if let Some(end) = self.any_at(i, table) {
                return self.read(i, end, vec![command]);
            }
        }
        // "anything later?", "something earlier": a time later or earlier than the one in play.
        if self
            .any_at(i, &[&["anything"], &["something"], &["nothing"]])
            .is_some()
            && let Some(rule) = match self.word(i + 1) {
                Some("later") => Some(TimeRule::Later),
                Some("earlier") => Some(TimeRule::Earlier),
                _ => None,
            }
            && !matches!(self.word(i + 2), Some("that" | "the" | "same" | "in"))
        {
            return self.read(i, i + 2, vec![time(rule)]);
        }
        if let Some(found) = self.only_weekday(i) {
            return Some(found);
        }
        if let Some(found) = self.left_alone(i) {
            return Some(found);
        }
        if let Some(found) = self.ruled_out_after(i) {
            return Some(found);
        }
        if let Some(found) = self.too_early_or_late(i) {
            return Some(found);
        }
        if let Some(found) = self.engaged(i) {
            return Some(found);
        }
        if let Some(found) = self.engaged_at(i) {
            return Some(found);
        }
        // "i work from 7 to 3", "im at work 9-5": free after the end of it.
        if let Some(found) = self.busy_window(i) {
            return Some(found);
        }
        // "im at work until 4" is a bound, read at "until" below.
        if let Some(end) = self.any_at(i, NOT_BEFORE)
            && [BY_WORDS, AFTER_WORDS, BEFORE_WORDS, FROM_WORDS]
                .iter()
                .all(|table| self.any_at(end, table).is_none())
        {
            return self.ruled_out(i, end);
        }
        // "the day after tomorrow" is a day, not a bound.
        // "wednesday next week after 2" is a bound all the same.
        let counted = i > 0
            && self
                .word(i - 1)
                .is_some_and(|w| matches!(w, "day" | "days" | "week" | "weeks" | "wk" | "wks"))
            && !self
                .word(i + 1)
                .is_some_and(|w| w == "at" || w.starts_with(|c: char| c.is_ascii_digit()));
        if !counted && let Some(end) = self.any_at(i, AFTER_WORDS) {
            return self.bound(i, end, Bound::After);
        }
        if let Some(end) = self.any_at(i, BEFORE_WORDS) {
            return self.bound(i, end, Bound::Before);
        }
        if let Some(end) = self.any_at(i, FROM_WORDS) {
            return self.bound(i, end, Bound::From);
        }
        if let Some(end) = self.any_at(i, BY_WORDS) {
            let bound = if self.negated_before(i) {
                Bound::After
            } else if self.done_before(i) {
                Bound::From
            } else {
                Bound::By
            };
            return self.bound(i, end, bound);
        }
        None
    }

    /// "between the 21st and 25th", "between jan 21 and the 25th", "from the 3rd to the 7th":
    /// the days from one to the other, both in. Times ("between 10 and 2") are read with the
    /// times.
    fn between_days(&mut self, i: usize) -> Option<usize> {
        let opens = matches!(self.word(i), Some("between" | "btwn" | "from" | "anywhere"));
        if !opens {
            return None;
        }
        let from = if self.word(i) == Some("anywhere") {
            self.phrase_at(i + 1, &["between"])?
        } else {
            i + 1
        };
        let (mid, first) = self.when_from(from)?;
        let first = first.date.filter(|_| first.time.is_none())?;
        let sep = mid + usize::from(self.words.get(mid).is_some_and(|w| w.text == "-"));
        let after_sep = match self.word(sep) {
            Some("and" | "to" | "through" | "thru" | "till" | "until") => sep + 1,
            _ if sep > mid => sep,
            _ => return None,
        };
        let at = after_sep + usize::from(self.word(after_sep) == Some("the"));
        let (end, last) = match self.word(at).and_then(day_of_month) {
            // "…and 25th": the next such day from the first.
            Some(day) => {
                let same_month = first.with_day(day).filter(|d| *d >= first);
                let next_month = first
                    .with_day(1)
                    .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                    .and_then(|d| d.with_day(day));
                (at + 1, same_month.or(next_month)?)
            }
            None => {
                let (end, when) = self.when_from(after_sep)?;
                (end, when.date.filter(|_| when.time.is_none())?)
            }
        };
        if last < first {
            return None;
        }
        self.read(
            i,
            end,
            vec![
                date(DateRule::After(first - Duration::days(1))),
                date(DateRule::Before(last + Duration::days(1))),
            ],
        )
    }

    /// "the tuesday after", "the sat after that": the weekday after the day in play, which
    /// the booking knows ("the tuesday after the 15th" is a bound, read elsewhere).
    fn weekday_after(&mut self, i: usize) -> Option<usize> {
        if self.word(i) != Some("the") {
            return None;
        }
        let weekday = self.word(i + 1).and_then(lexicon::weekday)?;
        if self.word(i + 2) != Some("after") {
            return None;
        }
        let next = self.words.get(i + 3);
        let ends = next.is_none_or(|w| {
            w.punct
                || matches!(
                    w.text.as_str(),
                    "that"
                        | "same"
                        | "at"
                        | "please"
                        | "pls"
                        | "instead"
                        | "then"
                        | "and"
                        | "so"
                        | "first"
                        | "in"
                        | "morning"
                        | "afternoon"
                )
        });
        if !ends {
            return None;
        }
        let end = if self.word(i + 3) == Some("that") {
            i + 4
        } else {
            i + 3
        };
        self.read(i, end, vec![date(DateRule::WeekdayAfter(weekday))])
    }

    /// "a week later", "2 weeks earlier", "back a week", "up a couple of days".
    fn shift(&mut self, i: usize) -> Option<usize> {
        let (sign, from) = match self.word(i) {
            Some("back" | "out") => (Some(1), i + 1),
            Some("up" | "forward") => (Some(-1), i + 1),
            _ => (None, i),
        };
        let from = if self.word(from) == Some("by") {
            from + 1
        } else {
            from
        };
        let (n, unit_at) = self.quantity(from)?;
        let start_at_by = self.word(i) == Some("by");
        let days = match self.word(unit_at)? {
            "day" | "days" => 1,
            "week" | "weeks" | "wk" | "wks" => 7,
            _ => return None,
        };
        let after = unit_at + 1;
        // "3 days after tomorrow", "a week from friday": a day counted from another, read
        // with the dates.
        if self
            .any_at(after, &[&["after"], &["from"], &["before"]])
            .is_some()
            && self.names_a_day(after + 1)
        {
            return None;
        }
        let pushed = (i.saturating_sub(6)..i).any(|k| {
            self.word(k)
                .is_some_and(|w| matches!(w, "bump" | "push" | "delay" | "postpone" | "move"))
        });
        let (sign, end) = match (sign, self.word(after)) {
            (_, Some("later" | "after" | "out" | "further")) => (1, after + 1),
            (_, Some("earlier" | "sooner" | "before")) => (-1, after + 1),
            (Some(sign), _) => (sign, after),
            // "bump it by one day".
            // "bump it by one day", "can we bump the install a day?"
            (None, _) if pushed && (from > i || self.is_boundary(after)) => (1, after),
            (None, _) => return None,
        };
        let end = self.any_at(end, COMPARISON_TAIL).unwrap_or(end);
        // "back a week": "back" stays for the intent ("push back").
        let start = if sign == 1 && i != from && !start_at_by {
            from
        } else {
            i
        };
        let _ = self.read(start, end, vec![date(DateRule::Shift(sign * n * days))]);
        Some(end)
    }

    /// "move it from this sat to the sat after": the day it is on now is not the one wanted;
    /// the day after "to" is left to the date parser.
    fn moved_from(&mut self, i: usize) -> Option<usize> {
        if self.word(i) != Some("from") {
            return None;
        }
        let moves = self.words.iter().any(|w| {
            matches!(
                w.text.as_str(),
                "move" | "change" | "switch" | "push" | "bump" | "reschedule" | "resched"
            )
        });
        let to = (i + 2..(i + 6).min(self.words.len())).find(|k| self.word(*k) == Some("to"))?;
        if !moves || !self.names_a_day(to + 1) && !self.names_a_day(to + 2) {
            return None;
        }
        let text = &self.text[self.words[i + 1].start..self.words[to - 1].end];
        let rule = self.not_rule(text)?;
        matches!(rule, Command::DateRule { .. }).then_some(())?;
        self.read(i, to + 1, vec![rule])
    }

    /// "… the party is June 5th so it needs to be done well before that": a bound on a day said
    /// earlier in the message, which is then not the day wanted.
    fn bound_to_earlier_day(&mut self, i: usize) -> Option<usize> {
        // ("…and after that, the weather?" is an order of things, not a bound.)
        let (end, bound) = match (self.any_at(i, BEFORE_WORDS), self.any_at(i, FROM_WORDS)) {
            (Some(end), _) => (end, Bound::Before),
            (None, Some(end)) => (end, Bound::From),
            _ => return None,
        };
        if !matches!(self.word(end), Some("that" | "then")) {
            return None;
        }
        let found = (0..i).rev().find_map(|k| {
            let (day_end, when) = self.when_from(k)?;
            (day_end <= i).then_some(())?;
            Some((k, day_end, when.date.filter(|_| when.time.is_none())?))
        })?;
        // The whole of what names that day: "a week from friday", not "friday".
        let (day_at, day_end, day) = (0..found.0)
            .filter_map(|k| {
                let (end, when) = self.when_from(k)?;
                (end == found.1).then_some((k, end, when.date?))
            })
            .next()
            .unwrap_or(found);
        // "well before that": the day is no longer wanted; "not before then": it still is.
        if bound == Bound::Before {
            let said = self.span(day_at, day_end);
            self.found.spans.push(said);
        }
        let rule = match bound {
            Bound::Before => DateRule::Before(day),
            _ => DateRule::After(day - Duration::days(1)),
        };
        self.read(i, end + 1, vec![date(rule)])
    }

    /// "my husband is back on the 27th", "she gets back the 27th": from that day on.
    fn back_on(&mut self, i: usize) -> Option<usize> {
        let end = self.any_at(i, BACK_WORDS)?;
        // "is back from his trip on the 27th": the day within the next few words.
        let (after, when) = (end..(end + 5).min(self.words.len())).find_map(|k| {
            self.when_from(k)
                .filter(|(_, w)| w.date.is_some() && w.time.is_none())
        })?;
        let day = when.date?;
        self.read(
            i,
            after,
            vec![date(DateRule::After(day - Duration::days(1)))],
        )
    }

    /// "toward the end of the month", "early next month", "the first week of december", "by
    /// the end of the month": the days of that part of the month.
    fn part_of_month(&mut self, i: usize) -> Option<usize> {
        let by = self.any_at(i, &[&["by"], &["before"]]);
        let k = by.unwrap_or(i);
        let k = self
            .any_at(k, &[&["toward"], &["towards"], &["around"], &["sometime"]])
            .unwrap_or(k);
        let (part, month_at) = MONTH_PARTS
            .iter()
            .find_map(|(said, part)| self.phrase_at(k, said).map(|end| (*part, end)))?;
        let (first, end) = self.month_at(month_at)?;
        let last = first.checked_add_months(chrono::Months::new(1))? - Duration::days(1);
        let (from, to) = match part {
            MonthPart::Whole => (1, last.day()),
            MonthPart::Beginning => (1, 10),
            MonthPart::FirstWeek => (1, 7),
            MonthPart::Middle => (11, 20),
            MonthPart::End => (last.day() - 7, last.day()),
            MonthPart::Late => (21, last.day()),
            MonthPart::LastWeek => (last.day() - 6, last.day()),
        };
        let day = |n: u32| first.with_day(n);
        let before = date(DateRule::Before(day(to)? + Duration::days(1)));
        let rules = if by.is_some() {
            vec![before]
        } else {
            vec![
                date(DateRule::After(day(from)? - Duration::days(1))),
                before,
            ]
        };
        self.read(i, end, rules)
    }

    /// The first day of the month named at `i` ("the month", "next month", "december"), and the
    /// index after it.
    fn month_at(&self, i: usize) -> Option<(NaiveDate, usize)> {
        let this = self.now.date().with_day(1)?;
        let k = self.any_at(i, &[&["the"]]).unwrap_or(i);
        let (offset, end) = match (self.word(k), self.word(k + 1)) {
            (Some("month"), _) => (0, k + 1),
            (Some("this"), Some("month")) => (0, k + 2),
            (Some("next" | "following"), Some("month")) => (1, k + 2),
            (Some(w), _) if k == i => {
                let month = lexicon::month(w)?;
                let ahead = (month + 12 - this.month()) % 12;
                (ahead, k + 1)
            }
            _ => return None,
        };
        Some((this.checked_add_months(chrono::Months::new(offset))?, end))
    }

    fn quantity(&self, i: usize) -> Option<(i64, usize)> {
        match self.word(i)? {
            "a" | "an" | "one" => Some((1, i + 1)),
            "couple" if self.word(i + 1) == Some("of") => Some((2, i + 2)),
            w => {
                let n: i64 = w.parse().ok().or_else(|| {
                    lexicon::UNITS
                        .iter()
                        .find(|(u, _)| *u == w)
                        .map(|(_, v)| i64::from(*v))
                })?;
                (1..=8).contains(&n).then_some((n, i + 1))
            }
        }
    }

    /// "the first saturday you have", "next available monday": that weekday, the first one.
    fn first_weekday(&mut self, i: usize) -> Option<usize> {
        let mut k = i;
        if self.word(k) == Some("the") {
            k += 1;
        }
        let picks = self.any_at(
            k,
            &[
                &["first"],
                &["earliest"],
                &["soonest"],
                &["next", "available"],
                &["first", "available"],
            ],
        )?;
        let weekday = self.word(picks).and_then(lexicon::weekday)?;
        self.read(
            i,
            picks + 1,
            vec![date(DateRule::Weekday(weekday)), date(DateRule::First)],
        )
    }

    /// "not before the 15th, and a saturday if possible": with bounds said, "a saturday" is any
    /// Saturday within them, not the coming one.
    fn any_weekday_within_bounds(&mut self) {
        let bounded = self.found.commands.iter().any(|c| {
            matches!(
                c,
                Command::DateRule {
                    rule: DateRule::After(_) | DateRule::Before(_)
                }
            )
        });
        let has_weekday = self.found.commands.iter().any(|c| {
            matches!(
                c,
                Command::DateRule {
                    rule: DateRule::Weekday(_)
                }
            )
        });
        if !bounded || has_weekday {
            return;
        }
        // "not a monday" rules one out, it does not ask for one.
        let at = (0..self.words.len().saturating_sub(1)).find(|&k| {
            matches!(self.word(k), Some("a" | "any"))
                && self.word(k + 1).and_then(lexicon::weekday).is_some()
                && !(k > 0 && matches!(self.word(k - 1), Some("not" | "no" | "except" | "but")))
        });
        if let Some(k) = at
            && let Some(weekday) = self.word(k + 1).and_then(lexicon::weekday)
        {
            let _ = self.read(k, k + 2, vec![date(DateRule::Weekday(weekday))]);
            return;
        }
        // "the end of the month, the last friday": the last Friday within those days.
        let at = (0..self.words.len().saturating_sub(1)).find(|&k| {
            matches!(self.word(k), Some("last" | "first"))
                && self.word(k + 1).and_then(lexicon::weekday).is_some()
        });
        if let Some(k) = at
            && let Some(weekday) = self.word(k + 1).and_then(lexicon::weekday)
        {
            let pick = if self.word(k) == Some("last") {
                DateRule::Last
            } else {
                DateRule::First
            };
            let _ = self.read(k, k + 2, vec![date(DateRule::Weekday(weekday)), date(pick)]);
        }
    }

    /// "only saturdays", "I can only do saturdays", "saturdays only": that weekday only ("I
    /// work fridays" is not). "weekdays": not on a weekend.
    fn only_weekday(&mut self, i: usize) -> Option<usize> {
        let word = self.word(i)?;
        let only = |k: usize| self.word(k).is_some_and(|w| matches!(w, "only" | "just"));
        let said_only = (i.saturating_sub(3)..i).any(only) || only(i + 1);
        // "weekdays", "weekends are out", "weekdays are impossible for us".
        let kind = match word {
            "weekday" | "weekdays" => Some(false),
            // Not "this weekend" nor "memorial day weekend": one weekend, not weekends only.
            "weekend" | "weekends"
                if !i
                    .checked_sub(1)
                    .and_then(|k| self.word(k))
                    .is_some_and(|w| {
                        matches!(w, "this" | "next" | "last" | "day" | "holiday" | "long")
                    }) =>
            {
                Some(true)
            }
            _ => None,
        };
        if let Some(weekend) = kind {
            let refused = self.any_at(i + 1, NOT_AFTER);
            // "i work weekdays": the customer is busy then, so a weekend.
            let busy = self.said_before(i, BUSY);
            let rules = if (weekend != busy) == refused.is_none() {
                vec![date(DateRule::Weekend)]
            } else {
                vec![
                    date(DateRule::NotWeekday(chrono::Weekday::Sat)),
                    date(DateRule::NotWeekday(chrono::Weekday::Sun)),
                ]
            };
            return self.read(i, refused.unwrap_or(i + 1), rules);
        }
        if !word.ends_with("days") || !said_only {
            return None;
        }
        let weekday = lexicon::weekday(word)?;
        let end = if only(i + 1) { i + 2 } else { i + 1 };
        self.read(i, end, vec![date(DateRule::Weekday(weekday))])
    }

    /// "the week of the 27th": that whole week.
    fn week_of(&mut self, i: usize) -> Option<usize> {
        let k = if self.word(i) == Some("the") {
            i + 1
        } else {
            i
        };
        let from = self.phrase_at(k, &["week", "of"])?;
        let (end, when) = self.when_from(from)?;
        let day = when.date?;
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        self.read(i, end, vec![Command::SetWeek { monday }])
    }

    /// "tuesday doesn't work", "8 is no good": the day or time just before the marker.
    fn ruled_out_after(&mut self, i: usize) -> Option<usize> {
        let marker_end = self.any_at(i, NOT_AFTER)?;
        let mut from = self.clause_start(i);
        // Longest stretch before the marker that is wholly a date or time, then those before
        // it joined by "and", "or" or a comma ("mon and tue are no good").
        let mut end = i;
        let mut rules = Vec::new();
        let mut first = None;
        while let Some((start, rule)) = (from..end).find_map(|start| {
            let text = &self.text[self.words[start].start..self.words[end - 1].end];
            self.not_rule(text).map(|rule| (start, rule))
        }) {
            rules.push(rule);
            first = Some(start);
            let joined = start >= 2
                && self
                    .words
                    .get(start - 1)
                    .is_some_and(|w| matches!(w.text.as_str(), "and" | "or" | "," | "&" | "/"));
            if !joined {
                break;
            }
            end = start - 1;
            from = self.clause_start(end);
        }
        let first = first?;
        rules.reverse();
        self.read(first, marker_end, rules)
    }

    /// "i have a dentist appt in the morning", "in the morning i have class": the day or time
    /// of something else the customer has on is ruled out.
    fn engaged(&mut self, i: usize) -> Option<usize> {
        let after_have = self.any_at(i, HAVE)?;
        let clause_end = self.clause_end(after_have);
        let noun = (after_have..clause_end.min(after_have + 4))
            .find(|k| self.word(*k).is_some_and(|w| ENGAGEMENTS.contains(&w)))?;
        // The day or time after it, to the end of the clause ("... appt at 9 on friday").
        let after = (noun + 1..clause_end).find_map(|start| {
            let text = &self.text[self.words[start].start..self.words[clause_end - 1].end];
            self.not_rule(text).map(|rule| (start, rule))
        });
        if let Some((_, rule)) = after {
            return self.read(i, clause_end, vec![rule]);
        }
        // Else the one before it in the clause ("in the morning i have class").
        let from = self.clause_start(i);
        let (start, rule) = (from..i).find_map(|start| {
            let text = &self.text[self.words[start].start..self.words[i - 1].end];
            self.not_rule(text).map(|rule| (start, rule))
        })?;
        self.read(start, clause_end, vec![rule])
    }

    /// "i work from 7 to 3": the customer is busy then, so after its end.
    fn busy_window(&mut self, i: usize) -> Option<usize> {
        let end = self.any_at(i, NOT_BEFORE)?;
        if !(i..end).any(|k| self.word(k).is_some_and(|w| BUSY.contains(&w))) {
            return None;
        }
        let from = self.any_at(end, &[&["from"]]).unwrap_or(end);
        let (after, when) = self.when_from(from)?;
        let until = when.until.or_else(|| {
            // "7 to 3": two bare hours.
            let to = self.any_at(
                from + 1,
                &[&["to"], &["til"], &["till"], &["until"], &["-"]],
            )?;
            let starts = self.word(from).and_then(bare_hour);
            bare_hour(self.word(to)?).filter(|_| starts.is_some())
        })?;
        let end = if when.until.is_some() {
            after
        } else {
            from + 3
        };
        self.read(i, end.max(after), vec![time(TimeRule::After(until))])
    }

    /// "a work call at 9", "the dentist at 10", "class on tuesday": something else the customer
    /// has on at that time ("my appointment at 9" is theirs to move, so not one of these).
    fn engaged_at(&mut self, i: usize) -> Option<usize> {
        let word = self.word(i)?;
        let call = word == "call"
            && i.checked_sub(1)
                .and_then(|k| self.word(k))
                .is_some_and(|w| matches!(w, "work" | "conference" | "zoom" | "team" | "sales"));
        if !call && (word == "work" || !ENGAGEMENTS.contains(&word)) {
            return None;
        }
        // "the dentist at 10", "my hair appointment got moved to 1 o'clock".
        let clause_end = self.clause_end(i + 1);
        let (at, (end, when)) = (i + 1..clause_end.min(i + 6)).find_map(|k| {
            let k = self.any_at(k, &[&["at"], &["on"], &["to"]]).unwrap_or(k);
            self.when_from(k).map(|found| (k, found))
        })?;
        let text = &self.text[self.words[at].start..self.words[end - 1].end];
        let rule = self.not_rule(text).or_else(|| {
            when.time
                .filter(|_| when.date.is_none())
                .map(|t| time(TimeRule::Not(t)))
        })?;
        self.read(i, end, vec![rule])
    }

    /// Where the clause holding word `i` ends: at the next boundary, reading through "at" and
    /// "on", which belong to a time said in it.
    fn clause_end(&self, i: usize) -> usize {
        let mut end = i;
        while end < self.words.len()
            && (!self.is_boundary(end) || matches!(self.word(end), Some("at" | "on")))
        {
            end += 1;
        }
        end
    }

    /// Whether the words of the clause before `i` say "not": "i don't get off work til 3".
    fn negated_before(&self, i: usize) -> bool {
        self.said_before(i, NEGATIONS)
    }

    /// Whether the clause before `i` says something ends then: "they'll be out by the 21st",
    /// "he's back by 3" — from then on, not until then.
    fn done_before(&self, i: usize) -> bool {
        self.said_before(i, DONE)
    }

    /// Whether a word of `words` is said in the clause before `i`.
    fn said_before(&self, i: usize, words: &[&str]) -> bool {
        (self.clause_start(i)..i).any(|k| self.word(k).is_some_and(|w| words.contains(&w)))
    }

    /// Where the clause holding word `i` starts: just after the boundary before it.
    fn clause_start(&self, i: usize) -> usize {
        let mut from = i;
        while from > 0 && !self.is_boundary(from - 1) {
            from -= 1;
        }
        from
    }

    /// "10am is too early", "the 14th is too early", "4 is too late": a bound, not a pick.
    fn too_early_or_late(&mut self, i: usize) -> Option<usize> {
        let (marker_end, early) = match (self.any_at(i, TOO_EARLY), self.any_at(i, TOO_LATE)) {
            (Some(end), _) => (end, true),
            (None, Some(end)) => (end, false),
            (None, None) => return None,
        };
        let from = self.clause_start(i);
        let (start, rule) = (from..i).find_map(|start| {
            let text = &self.text[self.words[start].start..self.words[i - 1].end];
            let rule = self.not_rule(text)?;
            // "9am on the 16th is too early": the time is what is too early on that day.
            let rule = match datetime::parse(text.trim(), self.now).time {
                Some(t) => time(TimeRule::Not(t)),
                None => rule,
            };
            Some((start, rule))
        })?;
        let bound = match (rule, early) {
            (
                Command::TimeRule {
                    rule: TimeRule::Not(t),
                },
                true,
            ) => time(TimeRule::After(t)),
            (
                Command::TimeRule {
                    rule: TimeRule::Not(t),
                },
                false,
            ) => time(TimeRule::Before(t)),
            (
                Command::DateRule {
                    rule: DateRule::Not(d),
                },
                true,
            ) => date(DateRule::After(d)),
            (
                Command::DateRule {
                    rule: DateRule::Not(d),
                },
                false,
            ) => date(DateRule::Before(d)),
            _ => return None,
        };
        self.read(start, marker_end, vec![bound])
    }

    /// "not monday", "can't do the 27th", "1 not 8", "the gutters, not the roof".
    fn ruled_out(&mut self, i: usize, from: usize) -> Option<usize> {
        let end = self.stretch_end(from);
        if end == from {
            return None;
        }
        // The longest start of the stretch that is a day or time: "not mondays i work mondays".
        let found = (from + 1..=end).rev().find_map(|end| {
            let text = &self.text[self.words[from].start..self.words[end - 1].end];
            self.not_rule(text).map(|rule| (end, rule))
        });
        // "not a morning person": said of someone, not of the day.
        let found = found.filter(|(end, _)| !matches!(self.word(*end), Some("person" | "people")));
        if let Some((end, rule)) = found {
            // "not wednesdays or fridays": every day or time of the list is out.
            let mut rules = vec![rule];
            let mut end = end;
            while matches!(self.word(end), Some("or" | "and" | "nor")) {
                let next = self.stretch_end(end + 1);
                if next == end + 1 {
                    break;
                }
                let text = &self.text[self.words[end + 1].start..self.words[next - 1].end];
                match self.not_rule(text) {
                    Some(rule) => rules.push(rule),
                    None => break,
                }
                end = next;
            }
            return self.read(i, end, rules);
        }
        // A project or anything else named after "not" is not what they want: the words are
        // set aside so they name nothing ("park in the driveway not the street" keeps its
        // note text, which is read from the whole message).
        let names_trade = (from..end).any(|k| self.word(k).and_then(lexicon::trade_word).is_some());
        if names_trade {
            return self.read(i, end, Vec::new());
        }
        None
    }

    /// "leave the cabinets alone": the project named is the one not wanted; its words are set
    /// aside so they name nothing.
    fn left_alone(&mut self, i: usize) -> Option<usize> {
        if self.word(i) != Some("leave") {
            return None;
        }
        let alone =
            (i + 2..(i + 7).min(self.words.len())).find(|k| self.word(*k) == Some("alone"))?;
        let names_trade =
            (i + 1..alone).any(|k| self.word(k).and_then(lexicon::trade_word).is_some());
        names_trade.then(|| self.read(i, alone + 1, Vec::new()))?
    }

    /// "after the 24th", "before noon", "anytime after 2", "by 10".
    fn bound(&mut self, i: usize, from: usize, bound: Bound) -> Option<usize> {
        let (end, when) = self.when_from(from)?;
        let rule = if let Some(day) = when.date.filter(|_| when.time.is_none()) {
            match bound {
                Bound::After => date(DateRule::After(day)),
                Bound::Before => date(DateRule::Before(day)),
                Bound::By => date(DateRule::Before(day + Duration::days(1))),
                Bound::From => date(DateRule::After(day - Duration::days(1))),
            }
        } else {
            let at = match (when.time, when.part) {
                (Some(t), _) => t,
                // "after lunch" is from 1; "before the afternoon" until noon.
                (None, Some(PartOfDay::Lunch)) if bound == Bound::After => t(13),
                (None, Some(part)) if bound == Bound::After => t(part.hours().1.min(23)),
                (None, Some(part)) if bound == Bound::From => t(part.hours().0),
                (None, Some(part)) => t(part.hours().0.max(9)),
                (None, None) => return None,
            };
            match bound {
                Bound::After | Bound::From => time(TimeRule::After(at)),
                Bound::Before => time(TimeRule::Before(at)),
                Bound::By => time(TimeRule::Before(at + Duration::minutes(1))),
            }
        };
        self.read(i, end, vec![rule])
    }

    /// Where the stretch of words starting at `from` ends.
    fn stretch_end(&self, from: usize) -> usize {
        let mut end = from;
        while end < self.words.len() && (end == from || !self.is_boundary(end)) {
            if self.words[end].punct && end == from {
                return from;
            }
            end += 1;
        }
        end
    }

    /// A day or time said at `from`, read to the end of its stretch; a bare hour ("after 2")
    /// is read inside business hours.
    fn when_from(&self, from: usize) -> Option<(usize, When)> {
        let end = self.stretch_end(from);
        if end == from {
            return None;
        }
        let start = self.words[from].start;
        let text = &self.text[start..self.words[end - 1].end];
        // "not before the 15": after a bound, "the" and a number is a day of the month; the
        // parser is told so by the word it would see before it in a sentence.
        let said_as_day = self.word(from) == Some("the")
            && self
                .words
                .get(from + 1)
                .is_some_and(|w| w.text.chars().all(|c| c.is_ascii_digit()));
        let (when, shift) = if said_as_day {
            (datetime::parse(&format!("on {text}"), self.now), 3)
        } else {
            (datetime::parse(text, self.now), 0)
        };
        if let Some(first) = when.spans.first()
            && first.0 == 0
            && !when.is_empty()
        {
            // Only what the parser read belongs to the bound.
            let read_to =
                (when.spans.iter().map(|s| s.1).max().unwrap_or(0) + start).saturating_sub(shift);
            let end = (from..end)
                .take_while(|k| self.words[*k].start < read_to)
                .last()
                .map_or(end, |k| k + 1);
            return Some((end, when));
        }
        let hour = bare_hour(self.word(from)?)?;
        Some((
            from + 1,
            When {
                time: Some(hour),
                ..When::default()
            },
        ))
    }

    /// The rule that rules out what `text` names, when it is wholly a day or a time.
    fn not_rule(&self, text: &str) -> Option<Command> {
        let trimmed = text.trim();
        // "not (super|too) early": after the early morning.
        let plain: Vec<&str> = trimmed
            .split_whitespace()
            .filter(|w| !matches!(*w, "super" | "too" | "very" | "really" | "so"))
            .collect();
        if plain == ["early"] {
            return part_ruled_out(PartOfDay::EarlyMorning);
        }
        if let Some(hour) = bare_hour(trimmed) {
            return Some(time(TimeRule::Not(hour)));
        }
        let when = datetime::parse(trimmed, self.now);
        let covered: usize = when.spans.iter().map(|(a, b)| b - a).sum();
        let words: usize = trimmed
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| {
                !w.is_empty()
                    && !matches!(
                        *w,
                        "the"
                            | "on"
                            | "a"
                            | "an"
                            | "any"
                            | "hmm"
                            | "actually"
                            | "oh"
                            | "and"
                            | "super"
                            | "too"
                            | "very"
                            | "really"
                            | "so"
                    )
            })
            .map(str::len)
            .sum();
        if when.is_empty() || covered < words {
            return None;
        }
        if let Some(weekday) = when.bare_weekday {
            return Some(date(DateRule::NotWeekday(weekday)));
        }
        if let Some(day) = when.date {
            return Some(date(DateRule::Not(day)));
        }
        if let (None, Some(part)) = (when.time, when.part) {
            return part_ruled_out(part);
        }
        when.time.map(|t| time(TimeRule::Not(t)))
    }
}

/// "2" as a time: an hour inside business hours (1 to 7 are afternoon).
/// "25", "25th": a day of the month.
fn day_of_month(word: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .unwrap_or(word);
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// "3", "10": an hour said alone, read in business hours.
pub(crate) fn bare_hour(word: &str) -> Option<NaiveTime> {
    business_hour(word.parse().ok()?)
}

/// An hour from 1 to 12 in business hours: 1 to 7 are afternoon hours, 8 to 12 morning ones.
pub(crate) fn business_hour(value: u32) -> Option<NaiveTime> {
    if !(1..=12).contains(&value) {
        return None;
    }
    let hour = if value <= 7 { value + 12 } else { value };
    NaiveTime::from_hms_opt(hour, 0, 0)
}

#[derive(Clone, Copy, PartialEq)]
enum Bound {
    After,
    Before,
    /// Up to and including.
    By,
    /// From and including.
    From,
}

fn t(hour: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN)
}

fn date(rule: DateRule) -> Command {
    Command::DateRule { rule }
}

fn time(rule: TimeRule) -> Command {
    Command::TimeRule { rule }
}

/// Whether `day` satisfies every rule that filters days.
pub fn day_fits(rules: &[DateRule], day: NaiveDate) -> bool {
    rules.iter().all(|rule| match *rule {
        DateRule::After(d) => day > d,
        DateRule::Before(d) => day < d,
        DateRule::Not(d) => day != d,
        DateRule::NotWeekday(w) => day.weekday() != w,
        DateRule::Weekday(w) => day.weekday() == w,
        DateRule::Weekend => matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun),
        DateRule::First
        | DateRule::Last
        | DateRule::Shift(_)
        | DateRule::SameDay
        | DateRule::WeekdayAfter(_) => true,
    })
}

/// Whether `at` satisfies every rule that filters times ("later in the day" is turned into a
/// bound by the booking, which knows the time in play).
pub fn time_fits(rules: &[TimeRule], at: NaiveTime) -> bool {
    rules.iter().all(|rule| match *rule {
        TimeRule::After(t) => at >= t,
        TimeRule::Before(t) => at < t,
        TimeRule::Not(t) => at != t,
        TimeRule::Earliest
        | TimeRule::Latest
        | TimeRule::Same
        | TimeRule::Later
        | TimeRule::Earlier => true,
    })
}

/// "not in the morning" is from noon on; "not in the afternoon" or "not evenings", before it
/// starts. Lunch in the middle of the day has no one side to keep.
fn part_ruled_out(part: PartOfDay) -> Option<Command> {
    match part.hours() {
        (0, end) => Some(time(TimeRule::After(t(end)))),
        (start, _) if part != PartOfDay::Lunch => Some(time(TimeRule::Before(t(start)))),
        _ => None,
    }
}

/// The day a rule is measured from ("after the 24th"): where to look for the nearest others
/// when no day fits.
pub fn anchor(rules: &[DateRule]) -> Option<NaiveDate> {
    rules.iter().find_map(|r| match r {
        DateRule::After(d) | DateRule::Before(d) | DateRule::Not(d) => Some(*d),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn now() -> NaiveDateTime {
        "2025-10-20T09:00:00".parse().unwrap()
    }

    fn rules(text: &str) -> Vec<Command> {
        find(text, now()).commands
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(h: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, 0, 0).unwrap()
    }

    #[test]
    fn days_ruled_in_and_out() {
        assert_eq!(
            rules("any day after the 24th"),
            [date(DateRule::After(d("2025-10-24")))]
        );
        assert_eq!(
            rules("the first day you have after the 24th, 8 am"),
            [
                date(DateRule::First),
                date(DateRule::After(d("2025-10-24")))
            ]
        );
        assert_eq!(
            rules("sometime next week but not monday"),
            [date(DateRule::NotWeekday(Weekday::Mon))]
        );
        assert_eq!(
            rules("tuesday doesn't work actually, wednesday same time"),
            [
                date(DateRule::NotWeekday(Weekday::Tue)),
                time(TimeRule::Same)
            ]
        );
        assert_eq!(
            rules("hmm tuesday is bad, can we do wednesday"),
            [date(DateRule::NotWeekday(Weekday::Tue))]
        );
        assert_eq!(
            rules("i can only do saturdays. whats the first saturday you have"),
            [
                date(DateRule::Weekday(Weekday::Sat)),
                date(DateRule::Weekday(Weekday::Sat)),
                date(DateRule::First)
            ]
        );
    }

    #[test]
    fn parts_of_the_day_ruled_out() {
        assert_eq!(rules("not in the morning"), [time(TimeRule::After(t(12)))]);
        assert_eq!(
            rules("mornings dont work for me"),
            [time(TimeRule::After(t(12)))]
        );
        assert_eq!(
            rules("tuesday but not in the afternoon"),
            [time(TimeRule::Before(t(12)))]
        );
        assert_eq!(
            rules("anything but evenings"),
            [time(TimeRule::Before(t(18)))]
        );
    }

    #[test]
    fn parts_of_a_month() {
        let between =
            |a: &str, b: &str| vec![date(DateRule::After(d(a))), date(DateRule::Before(d(b)))];
        assert_eq!(
            rules("toward the end of the month"),
            between("2025-10-23", "2025-11-01")
        );
        assert_eq!(
            rules("sometime early next month"),
            between("2025-10-31", "2025-11-11")
        );
        assert_eq!(
            rules("the first week of december"),
            between("2025-11-30", "2025-12-08")
        );
        assert_eq!(rules("mid november"), between("2025-11-10", "2025-11-21"));
        assert_eq!(
            rules("end of next month"),
            between("2025-11-22", "2025-12-01")
        );
        assert_eq!(
            rules("late next month"),
            between("2025-11-20", "2025-12-01")
        );
        assert_eq!(
            rules("the last week of the month"),
            between("2025-10-24", "2025-11-01")
        );
        assert_eq!(
            rules("by the end of the month"),
            [date(DateRule::Before(d("2025-11-01")))]
        );
        // A month's part said of something else is no day wanted.
        assert!(rules("the end of the day").is_empty());
        assert_eq!(
            rules("the last day you have in december"),
            [
                date(DateRule::Last),
                date(DateRule::After(d("2025-11-30"))),
                date(DateRule::Before(d("2026-01-01")))
            ]
        );
        assert_eq!(
            rules("my husband is back from his trip on the 27th"),
            [date(DateRule::After(d("2025-10-26")))]
        );
    }

    /// What the customer says of their own day rules it out: "I work mornings".
    #[test]
    fn busy_times_are_ruled_out() {
        assert_eq!(
            rules("i work mornings so afternoon is better"),
            [time(TimeRule::After(t(12)))]
        );
        assert_eq!(
            rules("before noon because in the afternoon i work"),
            [time(TimeRule::Before(t(12))), time(TimeRule::Before(t(12)))]
        );
        assert_eq!(rules("i work weekdays"), [date(DateRule::Weekend)]);
        assert_eq!(
            rules("i work til 3 so after that"),
            [time(TimeRule::After(t(15)))]
        );
        assert_eq!(rules("im at work until 4"), [time(TimeRule::After(t(16)))]);
        assert_eq!(
            rules("i work fridays"),
            [date(DateRule::NotWeekday(Weekday::Fri))]
        );
        assert!(rules("i work from home so any day").is_empty());
        assert_eq!(
            rules("actually make it 1 not 8, forgot i have a dentist appt in the morning"),
            [time(TimeRule::Not(t(8))), time(TimeRule::After(t(12)))]
        );
        assert_eq!(
            rules("i have a doctors appointment at 9"),
            [time(TimeRule::Not(t(9)))]
        );
        assert_eq!(
            rules("on friday i have class"),
            [date(DateRule::NotWeekday(Weekday::Fri))]
        );
        assert!(rules("i have an appointment on friday").is_empty());
        assert_eq!(
            rules("actually make it 1 not 8, i have school drop off and then a work call at 9"),
            [time(TimeRule::Not(t(8))), time(TimeRule::Not(t(9)))]
        );
        assert!(rules("would it work at 9").is_empty());
        assert!(rules("friday at 9 and after that whats the weather").is_empty());
        assert_eq!(rules("i work from 7 to 3"), [time(TimeRule::After(t(15)))]);
        assert_eq!(
            rules("a week from friday? my sister is in town so def not before then"),
            [date(DateRule::After(d("2025-10-30")))]
        );
        assert_eq!(
            rules(
                "the earliest you have. the party is june 5th so it needs to be done well before that"
            ),
            [date(DateRule::Before(d("2026-06-05")))]
        );
        assert_eq!(
            rules("the crew says they'll be out of the bathroom by the 21st"),
            [date(DateRule::After(d("2025-10-20")))]
        );
        assert_eq!(
            rules("after lunch pls, mornings are chaos w the kids"),
            [time(TimeRule::After(t(13))), time(TimeRule::After(t(12)))]
        );
        assert!(rules("move my appointment at 9 to 2").is_empty());
        assert_eq!(
            rules("my hair appointment got moved to 1 o'clock and i cant miss it"),
            [time(TimeRule::Not(t(13)))]
        );
        assert_eq!(
            rules("not super early, he is NOT a morning person"),
            [time(TimeRule::After(t(9)))]
        );
    }

    #[test]
    fn relative_days() {
        assert_eq!(
            rules("same time the next day"),
            [time(TimeRule::Same), date(DateRule::Shift(1))]
        );
        assert_eq!(
            rules("could it happen a week earlier than it is now?"),
            [date(DateRule::Shift(-7))]
        );
        assert_eq!(
            rules("push my appointment back a week"),
            [date(DateRule::Shift(7))]
        );
        assert_eq!(rules("2 weeks later"), [date(DateRule::Shift(14))]);
        assert_eq!(
            rules("can u move it from this sat to the sat after? same time"),
            [
                date(DateRule::Not(d("2025-10-25"))),
                date(DateRule::WeekdayAfter(chrono::Weekday::Sat)),
                time(TimeRule::Same)
            ]
        );
        assert_eq!(
            rules("can we bump the slider install a day?"),
            [date(DateRule::Shift(1))]
        );
        assert!(rules("can you push it to a day next week").is_empty());
        assert_eq!(
            rules("can you move it a week? same time"),
            [date(DateRule::Shift(7)), time(TimeRule::Same)]
        );
        assert!(rules("the day after tomorrow").is_empty());
        assert!(rules("a week from friday").is_empty());
    }

    #[test]
    fn times_ruled_in_and_out() {
        assert_eq!(rules("before noon"), [time(TimeRule::Before(t(12)))]);
        assert_eq!(rules("anytime after 2"), [time(TimeRule::After(t(14)))]);
        assert_eq!(rules("after lunch"), [time(TimeRule::After(t(13)))]);
        assert_eq!(
            rules("actually make it 1 not 8"),
            [time(TimeRule::Not(t(8)))]
        );
        assert_eq!(
            rules("first thing in the morning"),
            [time(TimeRule::Earliest)]
        );
        assert_eq!(
            rules("the latest you have before noon"),
            [time(TimeRule::Latest), time(TimeRule::Before(t(12)))]
        );
        assert_eq!(rules("later in the day"), [time(TimeRule::Later)]);
        assert_eq!(
            rules("afternoons only and not wednesdays or fridays"),
            [
                date(DateRule::NotWeekday(Weekday::Wed)),
                date(DateRule::NotWeekday(Weekday::Fri))
            ]
        );
        assert_eq!(
            rules("but not mondays i work mondays"),
            [
                date(DateRule::NotWeekday(Weekday::Mon)),
                date(DateRule::NotWeekday(Weekday::Mon))
            ]
        );
        assert_eq!(rules("10am is too early"), [time(TimeRule::After(t(10)))]);
        assert_eq!(
            rules("i dont get off work til 3"),
            [time(TimeRule::After(t(15)))]
        );
        assert_eq!(
            rules("until 3"),
            [time(TimeRule::Before(t(15) + Duration::minutes(1)))]
        );
        assert_eq!(
            rules("can they come same time next week instead?"),
            [date(DateRule::Shift(7)), time(TimeRule::Same)]
        );
        assert_eq!(
            rules("9am on the 16th is way too early for the guys"),
            [time(TimeRule::After(t(9)))]
        );
        assert_eq!(rules("4pm is too late"), [time(TimeRule::Before(t(16)))]);
        assert_eq!(
            rules("anything later that day?"),
            [date(DateRule::SameDay), time(TimeRule::Later)]
        );
        assert_eq!(
            rules("book the repair at that time instead"),
            [date(DateRule::SameDay), time(TimeRule::Same)]
        );
    }

    #[test]
    fn projects_ruled_out_name_nothing() {
        let found = find("wait, i meant the gutters not the roof", now());
        assert!(found.commands.is_empty());
        assert_eq!(found.spans.len(), 1);
        let found = find("leave the cabinets alone, book the repair", now());
        assert!(found.commands.is_empty());
        assert_eq!(found.spans.len(), 1);
        // Not a day, a time or a project: left for the other readers.
        assert!(find("not really", now()).spans.is_empty());
        assert!(find("leave it alone", now()).spans.is_empty());
    }

    #[test]
    fn the_week_of_a_day() {
        assert_eq!(
            rules("the week of the 27th"),
            [Command::SetWeek {
                monday: d("2025-10-27")
            }]
        );
    }
}
