//! Spanish, read through English: a Spanish message is rewritten word for word into the
//! English the rules read ("agende la cerca para el próximo martes en la tarde" → "book the
//! fence for next tuesday in the afternoon"), so every mechanism — requests, constraints,
//! corrections, picks, notes — works in both languages from one set of rules.
//!
//! What is rewritten is data: the phrase table `understanding/es.txt`. Only what
//! word order or arithmetic changes is code here: clock times ("las doce menos cuarto" →
//! "11:45"), dates with a month ("el 5 de mayo" → "may 5"), day-first numeric dates ("4/7" is
//! the 4th of July), Spanish numbers and the accent that parts "qué" from "que".
//!
//! Words the table does not know are kept as written, and the rewrite remembers where each
//! piece came from: a note's text is cut from the customer's own words
//! ([`Rewrite::original`]), never from the English.

use std::sync::LazyLock;

use super::rewrite::{self, Found, Kind, Rewrite, Table, Token, opens_clause, words_from};

/// `text` (normalised) read into English.
pub fn to_english(text: &str) -> Rewrite {
    // "pa'lante", "pa'l": an apostrophe inside a word parts two words (a space keeps every
    // byte where it was, so a note is still cut from the customer's own words).
    let bytes = text.as_bytes();
    let parted: String = text
        .char_indices()
        .map(|(at, c)| {
            let inside = c == '\''
                && at > 0
                && bytes[at - 1].is_ascii_alphabetic()
                && bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic);
            if inside { ' ' } else { c }
        })
        .collect();
    rewrite::run(
        &parted,
        &[
            rewrite::phone_number,
            clock_time,
            numeric_date,
            month_date,
            weekday,
            phrase,
            number,
            accented,
            misspelt,
        ],
    )
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    Table::parse(&with_phone_spellings(include_str!(
        "../../understanding/es.txt"
    )))
});

/// The table with each phrase holding "que" also as phones write it, "q" ("lo más tarde q se
/// pueda"), so the table lists each phrase once.
fn with_phone_spellings(source: &str) -> String {
    let mut out = String::with_capacity(source.len() * 2);
    for line in source.lines() {
        out.push_str(line);
        out.push('\n');
        let Some((said, read)) = line.split_once("=>") else {
            continue;
        };
        if said.split_whitespace().any(|w| w == "que") {
            let phoned: Vec<&str> = said
                .split_whitespace()
                .map(|w| if w == "que" { "q" } else { w })
                .collect();
            out.push_str(&format!("{} =>{read}\n", phoned.join(" ")));
        }
    }
    out
}

/// The table's one-word entries by how they sound ("pizo" and "piso", "bentanas" and
/// "ventanas" are one).
static BY_SOUND: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut words: Vec<(String, String)> = TABLE
        .words()
        .filter(|(word, _)| word.len() >= 4 && word.chars().all(char::is_alphabetic))
        .map(|(word, read)| (sound(word), read.to_string()))
        .collect();
    words.sort();
    words
});

/// How a Spanish word sounds, the way phones misspell it: b and v, s, z and soft c, y and
/// ll, a silent h, k and hard c are each one.
fn sound(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match (c, next) {
            ('c', Some('h')) => {
                out.push_str("ch");
                i += 2;
                continue;
            }
            ('l', Some('l')) => {
                out.push('y');
                i += 2;
                continue;
            }
            ('q', Some('u')) => {
                out.push('k');
                i += 2;
                continue;
            }
            ('c', Some('e' | 'i')) | ('z', _) => out.push('s'),
            ('c', _) => out.push('k'),
            ('v', _) => out.push('b'),
            ('h', _) => {}
            (c, _) => out.push(c),
        }
        i += 1;
    }
    out
}

/// A misspelt word of the table: the same sound ("pizo", "bentanas"), or one letter off in a
/// word of six letters or more ("techno").
fn misspelt(tokens: &[Token], i: usize) -> Found {
    let t = &tokens[i];
    if t.kind != Kind::Word || t.key.chars().count() < 4 {
        return None;
    }
    let heard = sound(&t.key);
    if let Some((_, read)) = BY_SOUND.iter().find(|(s, _)| *s == heard) {
        return Some((i + 1, read.clone()));
    }
    // Five sounds are too few to guess from, except for a weekday ("juevs", "sabdo").
    let short = heard.chars().count() < 6;
    if heard.chars().count() < 5 {
        return None;
    }
    BY_SOUND
        .iter()
        .filter(|(_, read)| !short || WEEKDAYS.iter().any(|(_, en)| en == read))
        .filter(|(s, _)| s.chars().next() == heard.chars().next())
        .find(|(s, _)| strsim::damerau_levenshtein(s, &heard) == 1)
        .map(|(_, read)| (i + 1, read.clone()))
}

/// The longest phrase of the Spanish table at token `i`.
fn phrase(tokens: &[Token], i: usize) -> Found {
    let (next, english) = TABLE.longest_at(tokens, i)?;
    // "si" opens an answer ("si, el martes"); inside a sentence it is "if", unless the accent
    // or the clause ending after it makes it a yes ("lo de las ventanas sí, confírmalo").
    let ends_clause = tokens
        .iter()
        .skip(i + 1)
        .find(|t| t.kind != Kind::Space)
        .is_none_or(|t| matches!(t.key.as_str(), "," | "." | "!" | ";"));
    if tokens[i].is("si")
        && next == i + 1
        && !opens_clause(tokens, i)
        && tokens[i].lower != "sí"
        && !ends_clause
    {
        return Some((i + 1, "if".into()));
    }
    Some((next, english.to_string()))
}

/// "qué", "cuándo", "cómo": the accent makes a question word. Without it, or without a table
/// entry, `None` keeps the word as written.
fn accented(tokens: &[Token], i: usize) -> Found {
    let english = match tokens[i].lower.as_str() {
        "qué" => "what",
        "cuándo" => "when",
        "cómo" => "how",
        "dónde" => "where",
        "quién" | "quiénes" => "who",
        "cuál" | "cuáles" => "which",
        _ => return None,
    };
    Some((i + 1, english.into()))
}

// ---------------------------------------------------------------------------------------------
// Numbers

const NUMBERS: &[(&str, u32)] = &[
    ("cero", 0),
    ("zero", 0),
    ("un", 1),
    ("uno", 1),
    ("una", 1),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("siete", 7),
    ("ocho", 8),
    ("nueve", 9),
    ("diez", 10),
    ("once", 11),
    ("doce", 12),
    ("trece", 13),
    ("catorce", 14),
    ("quince", 15),
    ("dieciseis", 16),
    ("diecisiete", 17),
    ("dieciocho", 18),
    ("diecinueve", 19),
    ("veinte", 20),
    ("veintiuno", 21),
    ("veintiun", 21),
    ("veintiuna", 21),
    ("veintidos", 22),
    ("veintitres", 23),
    ("veinticuatro", 24),
    ("veinticinco", 25),
    ("veintiseis", 26),
    ("veintisiete", 27),
    ("veintiocho", 28),
    ("veintinueve", 29),
    ("treinta", 30),
    ("cuarenta", 40),
    ("cincuenta", 50),
];

/// A number at token `i` — digits, or Spanish words ("treinta y uno") — and the token after it.
fn number_at(tokens: &[Token], i: usize) -> Option<(usize, u32)> {
    let t = tokens.get(i)?;
    if let Some(n) = t.digits() {
        return Some((i + 1, n));
    }
    let (_, value) = NUMBERS.iter().find(|(w, _)| t.is(w))?;
    // "treinta y uno", "cuarenta y cinco".
    if *value >= 30 && value % 10 == 0 {
        let next = words_from(tokens, i + 1);
        if let [y, unit, ..] = next[..]
            && tokens[y].is("y")
            && let Some((_, u)) = NUMBERS
                .iter()
                .find(|(w, n)| tokens[unit].is(w) && (1..=9).contains(n))
        {
            return Some((unit + 1, value + u));
        }
    }
    Some((i + 1, *value))
}

/// Spanish number words as digits ("en tres días" → "en 3 días"); "un"/"una" stay articles
/// ("una nota" is not the number 1).
fn number(tokens: &[Token], i: usize) -> Found {
    if tokens[i].kind != Kind::Word || tokens[i].is_any(&["un", "una", "uno"]) {
        return None;
    }
    let (next, value) = number_at(tokens, i)?;
    Some((next, value.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Clock times

/// "a las tres y cuarto de la tarde", "las doce menos cinco", "6 de la mañana", "a la 1",
/// "15 horas", "seis cero dos pm" → "at 3:15 pm", "11:55", "6 am", "at 1", "15:00", "6:02 pm".
/// The token before token `k`, spaces aside.
fn previous(tokens: &[Token], k: usize) -> Option<&Token> {
    tokens[..k].iter().rev().find(|t| t.kind != Kind::Space)
}

/// Whether the word before token `k` is "el".
fn after_el(tokens: &[Token], k: usize) -> bool {
    previous(tokens, k).is_some_and(|t| t.is("el"))
}

/// Whether the word before token `k` names a weekday ("miércoles 18", "mar 24").
fn follows_a_weekday(tokens: &[Token], k: usize) -> bool {
    previous(tokens, k).is_some_and(|t| {
        WEEKDAYS.iter().any(|(es, _)| t.is(es))
            || t.is_any(&["lun", "mar", "mie", "mier", "jue", "vie", "sab", "dom"])
    })
}

/// Nouns a number before them counts ("las dos cosas"), so it is no clock time.
const COUNTED: &[&str] = &[
    "cosas",
    "citas",
    "opciones",
    "proyectos",
    "semanas",
    "dias",
    "veces",
    "fechas",
    "puertas",
    "ventanas",
    "trabajos",
    "pedidos",
    "ordenes",
];

fn clock_time(tokens: &[Token], i: usize) -> Found {
    let words = words_from(tokens, i);
    let mut w = 0;
    let word = |w: usize| words.get(w).map(|&k| &tokens[k]);
    // Lead: "a las", "para las", "al", "de las", "desde las", "hasta las", "las".
    let mut lead = "";
    // "de 9 a 11", "entre la 1 y las 3": the second clock of a range.
    let ends_range = after_a_number(tokens, i);
    if let Some(t) = word(w)
        && t.is_any(&[
            "a", "para", "al", "de", "desde", "hasta", "tipo", "como", "y",
        ])
    {
        lead = match t.key.as_str() {
            "a" | "hasta" if ends_range => "to",
            "y" if ends_range => "and",
            "y" => return None,
            "desde" | "de" => "from",
            "hasta" => "until",
            "tipo" | "como" => "around",
            _ => "at",
        };
        w += 1;
    }
    let article = word(w).is_some_and(|t| t.is_any(&["la", "las", "los"]));
    if article {
        w += 1;
        // "las doce": a clock time said alone is still "at" it.
        if lead.is_empty() {
            lead = "at";
        }
    } else if matches!(lead, "at" | "from") && !word(w - 1).is_some_and(|t| t.is("al")) {
        // "a 11" ("mañana a 11"), "de 9 a 11": a bare number after "a" or "de" is a time too.
        if !word(w - 1).is_some_and(|t| t.is_any(&["a", "de"])) {
            return None;
        }
        // "de 9" is a time only as the start of a range ("de 9 a 11").
        if lead == "from"
            && !words
                .iter()
                .skip(w + 1)
                .take(2)
                .any(|&k| tokens[k].is_any(&["a", "hasta"]))
        {
            return None;
        }
    }
    let hour_token = *words.get(w)?;
    // "el miércoles 18 por la tarde": a day of the month after a weekday, not 6 p.m.
    if lead.is_empty() && follows_a_weekday(tokens, hour_token) {
        return None;
    }
    // "al 818-555-0199" is a phone number.
    if rewrite::phone_number(tokens, hour_token).is_some() {
        return None;
    }
    let (after_hour, hour) = number_at(tokens, hour_token)?;
    // "a las 930": hours and minutes written together.
    if hour > 24 {
        let t = &tokens[hour_token];
        let (h, m) = (hour / 100, hour % 100);
        if !(article || lead == "at")
            || !(3..=4).contains(&t.key.len())
            || m >= 60
            || !(1..=23).contains(&h)
        {
            return None;
        }
        let lead = if lead.is_empty() { "at" } else { lead };
        return done(hour_token, lead, format!("{h}:{m:02}"));
    }
    // The number's own words end at `after_hour`; carry on from the next word there.
    let mut w = words
        .iter()
        .position(|&k| k >= after_hour)
        .unwrap_or(words.len());
    // "las dos cosas", "los dos proyectos": things counted, not a clock.
    if word(w).is_some_and(|t| t.is_any(COUNTED)) {
        return None;
    }
    // "las 3:30", "15.00".
    let mut minute = None;
    let mut clocked = false;
    if let (Some(sep), Some(m)) = (word(w), words.get(w + 1).map(|&k| &tokens[k]))
        && (sep.is(":") || sep.is("."))
        && m.kind == Kind::Digits
        && m.key.len() == 2
        && let Some(v) = m.digits().filter(|v| *v < 60)
    {
        minute = Some(v as i64);
        clocked = true;
        w += 2;
    }
    if minute.is_none() {
        match (word(w), word(w + 1)) {
            (Some(y), Some(q)) if y.is("y") && q.is("cuarto") => {
                minute = Some(15);
                w += 2;
            }
            (Some(y), Some(q)) if y.is("y") && q.is_any(&["media", "medio"]) => {
                minute = Some(30);
                w += 2;
            }
            (Some(m), Some(q)) if m.is("menos") && q.is("cuarto") => {
                minute = Some(-15);
                w += 2;
            }
            // "entre 1 y 3": the "y" joins a range, not minutes.
            (Some(y), Some(_)) if y.is("y") && opens_a_range(tokens, hour_token) => {}
            (Some(y), Some(_)) if y.is_any(&["y", "menos"]) => {
                if let Some((after, v)) = number_at(tokens, words[w + 1]).filter(|(_, v)| *v < 60) {
                    minute = Some(if y.is("menos") { -(v as i64) } else { v as i64 });
                    w = words
                        .iter()
                        .position(|&k| k >= after)
                        .unwrap_or(words.len());
                }
            }
            // "seis cero dos pm", "6 0 2 pm".
            (Some(z), Some(d)) if z.is_any(&["cero", "zero", "0"]) => {
                if let Some((after, v)) = number_at(tokens, words[w + 1]).filter(|(_, v)| *v < 10) {
                    let _ = d;
                    minute = Some(v as i64);
                    w = words
                        .iter()
                        .position(|&k| k >= after)
                        .unwrap_or(words.len());
                }
            }
            _ => {}
        }
    }
    // "de la tarde", "en la mañana", "por la noche", "del mediodía", "pm".
    let mut half: Option<&str> = None;
    let period = |t: &Token| match t.key.as_str() {
        "manana" | "madrugada" => Some("am"),
        "tarde" | "mediodia" => Some("pm"),
        "noche" => Some("night"),
        _ => None,
    };
    match (word(w), word(w + 1), word(w + 2)) {
        (Some(a), Some(b), Some(c)) if a.is_any(&["de", "en", "por"]) && b.is("la") => {
            if let Some(p) = period(c) {
                half = Some(p);
                w += 3;
            }
        }
        (Some(a), Some(b), _) if a.is("del") => {
            if let Some(p) = period(b) {
                half = Some(p);
                w += 2;
            }
        }
        _ => {}
    }
    if half.is_none()
        && let Some(t) = word(w)
    {
        if t.is_any(&["am", "pm"]) {
            half = Some(if t.is("am") { "am" } else { "pm" });
            w += 1;
        } else if t.is_any(&["a", "p"])
            && word(w + 1).is_some_and(|d| d.is("."))
            && word(w + 2).is_some_and(|m| m.is("m"))
        {
            half = Some(if t.is("a") { "am" } else { "pm" });
            w += 3;
            if word(w).is_some_and(|d| d.is(".")) {
                w += 1;
            }
        } else if t.is_any(&["hrs", "horas", "hr", "h"]) {
            w += 1;
            clocked = true;
        }
    }
    // A bare number is a time only with "las" before it or something after it that makes it
    // one: "el 5" is a day, "5 y cuarto" a time.
    if !article && minute.is_none() && half.is_none() && !clocked && lead != "at" {
        return None;
    }
    if !article && lead == "at" && minute.is_none() && half.is_none() && hour > 12 && !clocked {
        return None;
    }
    // "el 15 en la tarde": a day of the month and a part of it; no clock says 15 in the
    // afternoon.
    if !article && minute.is_none() && !clocked && hour > 12 && half.is_some() {
        return None;
    }
    let mut hour = hour as i64;
    let mut minute = minute.unwrap_or(0);
    if minute < 0 {
        hour -= 1;
        minute += 60;
    }
    let hour = if hour < 0 { hour + 24 } else { hour };
    let suffix = match half {
        Some("night") if hour == 12 => {
            return done(words[w - 1], lead, "midnight".into());
        }
        Some("night") if (6..12).contains(&hour) => " pm",
        Some("night") if hour < 6 => " am",
        Some("am") if hour <= 12 => " am",
        Some("pm") if hour <= 12 => " pm",
        _ => "",
    };
    let clock = if minute == 0 && hour <= 12 {
        format!("{hour}{suffix}")
    } else {
        format!("{hour}:{minute:02}{suffix}")
    };
    let clock = if hour > 12 || (clocked && hour == 12) {
        format!("{hour}:{minute:02}")
    } else {
        clock
    };
    done(words[w - 1], lead, clock)
}

/// Whether "entre" comes just before the clock at token `i` ("entre 1 y 3", "entre las 10").
fn opens_a_range(tokens: &[Token], i: usize) -> bool {
    tokens[..i]
        .iter()
        .rev()
        .filter(|t| t.kind != Kind::Space)
        .take(2)
        .any(|t| t.is("entre"))
}

/// Whether token `i` follows a number, with "de", "desde" or "entre" a few words before: the
/// "a" of "de 9 a 11" or the "y" of "entre las 10 y las 2" joins a range.
fn after_a_number(tokens: &[Token], i: usize) -> bool {
    let before: Vec<&Token> = tokens[..i]
        .iter()
        .rev()
        .filter(|t| t.kind != Kind::Space)
        .take(6)
        .collect();
    let numberish = |t: &Token| {
        t.kind == Kind::Digits
            || NUMBERS.iter().any(|(w, _)| t.is(w))
            || t.is_any(&["mediodia", "media", "cuarto", "am", "pm", "manana", "tarde"])
    };
    // The number opens the range: "de 9 a 11", "entre la 1 y las 3", "desde las 10"; in
    // "el miércoles 20 a las 8" it is a day.
    let opener = before
        .iter()
        .skip(1)
        .find(|t| !t.is_any(&["la", "las", "y", "media", "cuarto"]) && !numberish(t));
    before.first().is_some_and(|t| numberish(t))
        && opener.is_some_and(|t| t.is_any(&["de", "desde", "entre", "del"]))
}

fn done(last: usize, lead: &str, clock: String) -> Found {
    let english = if lead.is_empty() {
        clock
    } else {
        format!("{lead} {clock}")
    };
    Some((last + 1, english))
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS: &[(&str, &str)] = &[
    ("enero", "january"),
    ("ene", "january"),
    ("febrero", "february"),
    ("feb", "february"),
    ("marzo", "march"),
    ("mar", "march"),
    ("abril", "april"),
    ("abr", "april"),
    ("mayo", "may"),
    ("may", "may"),
    ("junio", "june"),
    ("jun", "june"),
    ("julio", "july"),
    ("jul", "july"),
    ("agosto", "august"),
    ("ago", "august"),
    ("septiembre", "september"),
    ("setiembre", "september"),
    ("sept", "september"),
    ("sep", "september"),
    ("octubre", "october"),
    ("oct", "october"),
    ("noviembre", "november"),
    ("nov", "november"),
    ("diciembre", "december"),
    ("dic", "december"),
];

const MONTH_NUMBERS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(t: &Token) -> Option<&'static str> {
    MONTHS.iter().find(|(w, _)| t.is(w)).map(|(_, e)| *e)
}

/// A day of the month: "5", "cinco", "primero", "1ro", "1°".
fn day_at(tokens: &[Token], i: usize) -> Option<(usize, u32)> {
    let t = tokens.get(i)?;
    if t.is_any(&["primero", "primer"]) {
        return Some((i + 1, 1));
    }
    let (mut next, day) = number_at(tokens, i)?;
    // "1ro", "2do", "3er".
    if let Some(s) = tokens.get(next)
        && s.start == tokens[next - 1].end
        && s.is_any(&["ro", "ero", "er", "do", "to", "vo", "no", "mo", "o"])
    {
        next += 1;
    }
    (1..=31).contains(&day).then_some((next, day))
}

fn ordinal(day: u32) -> String {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}

/// "el 5 de mayo de 2013", "3 marzo", "marzo 3", "mayo 5 del 2013", "el 16", "día nueve",
/// "del 24" → "may 5 2013", "march 3", "may 5 2013", "the 16th", "the 9th", "the 24th".
fn month_date(tokens: &[Token], i: usize) -> Found {
    let words = words_from(tokens, i);
    let word = |w: usize| words.get(w).map(|&k| &tokens[k]);
    let position = |after: usize| {
        words
            .iter()
            .position(|&k| k >= after)
            .unwrap_or(words.len())
    };
    let mut w = 0;
    let mut article = false;
    if word(w).is_some_and(|t| t.is_any(&["el", "del", "al", "dia"])) {
        article = true;
        w += 1;
        // "el día 9".
        if word(w).is_some_and(|t| t.is("dia")) {
            w += 1;
        }
    }
    let year = |w: usize| -> Option<(usize, u32)> {
        let mut w = w;
        if word(w).is_some_and(|t| t.is_any(&["de", "del"])) {
            w += 1;
        }
        let t = word(w)?;
        let y = t
            .digits()
            .filter(|y| (1990..=2100).contains(y) && t.key.len() == 4)?;
        Some((w + 1, y))
    };
    // "marzo 3", "mayo 5 del 2013" ("el mar 24" is Tuesday the 24th).
    if let Some(m) = word(w)
        .filter(|t| !(t.is("mar") && (article || after_el(tokens, i))))
        .and_then(month)
        && let Some((after, day)) = words.get(w + 1).and_then(|&k| day_at(tokens, k))
    {
        let mut end = position(after);
        let mut english = format!("{m} {day}");
        if let Some((after_year, y)) = year(end) {
            end = after_year;
            english = format!("{english} {y}");
        }
        return Some((words[end - 1] + 1, english));
    }
    let (after, day) = words.get(w).and_then(|&k| day_at(tokens, k))?;
    // "el 4/7" is a numeric date, read apart.
    if tokens.get(after).is_some_and(|t| t.is_any(&["/", "-"])) {
        return None;
    }
    let mut end = position(after);
    // "5 de mayo", "5 mayo".
    let of = usize::from(word(end).is_some_and(|t| t.is_any(&["de", "d"])));
    if let Some(m) = word(end + of).and_then(month) {
        end += of + 1;
        let mut english = format!("{m} {day}");
        if let Some((after_year, y)) = year(end) {
            end = after_year;
            english = format!("{english} {y}");
        }
        return Some((words[end - 1] + 1, english));
    }
    // "el 16", "día nueve": a day of this month or the next, unless it is a time ("el 3 de la
    // tarde" is not said; "las 3" is read as a time before this).
    let digits_day = tokens[words[w]].kind == Kind::Digits;
    // "el primero" alone is a pick ("the first one"), read by the table.
    if article && (digits_day || tokens[words[0]].is("dia")) {
        // "el 3 de la tarde", "el 15 a las 10": only the day here.
        if word(end).is_some_and(|t| t.is_any(&[":", "."])) {
            return None;
        }
        // "después del 15": after the 15th, not after "of" it.
        let after_a_preposition = previous(tokens, i)
            .is_some_and(|t| t.is_any(&["despues", "antes", "partir", "desde", "hasta"]));
        let lead = if tokens[words[0]].is("del") && !after_a_preposition {
            "of the"
        } else if tokens[words[0]].is("al") {
            "to the"
        } else {
            "the"
        };
        return Some((words[end - 1] + 1, format!("{lead} {}", ordinal(day))));
    }
    None
}

const WEEKDAYS: &[(&str, &str)] = &[
    ("lunes", "monday"),
    ("martes", "tuesday"),
    ("miercoles", "wednesday"),
    ("jueves", "thursday"),
    ("viernes", "friday"),
    ("sabado", "saturday"),
    ("domingo", "sunday"),
];

/// A weekday with what Spanish says after it: "el martes que viene", "miércoles de la próxima
/// semana", "el domingo pasado", "el lunes de esta semana" → "next tuesday", "wednesday next
/// week", "last sunday", "monday this week". A weekday alone is the phrase table's.
fn weekday(tokens: &[Token], i: usize) -> Found {
    let words = words_from(tokens, i);
    let word = |w: usize| words.get(w).map(|&k| &tokens[k]);
    // "de este viernes en ocho", "del lunes en 8": a week from that day.
    let w = usize::from(word(0).is_some_and(|t| t.is_any(&["de", "del"])));
    let w = w + usize::from(word(w).is_some_and(|t| t.is_any(&["el", "este"])));
    let (_, day) = WEEKDAYS
        .iter()
        .find(|(s, _)| word(w).is_some_and(|t| t.is(s)))?;
    let keys: Vec<&str> = words[w + 1..]
        .iter()
        .take(8)
        // "la semana q viene": "q" is how phones write "que".
        .map(|&k| match tokens[k].key.as_str() {
            "q" => "que",
            key => key,
        })
        .collect();
    let (said, english) = [
        (
            &["de", "la", "semana", "que", "viene"][..],
            format!("{day} next week"),
        ),
        (
            &["de", "la", "proxima", "semana"][..],
            format!("{day} next week"),
        ),
        (
            &["de", "la", "siguiente", "semana"][..],
            format!("{day} next week"),
        ),
        (
            &["de", "la", "otra", "semana"][..],
            format!("{day} next week"),
        ),
        (
            &["de", "la", "semana", "entrante"][..],
            format!("{day} next week"),
        ),
        // "el martes de la semana después de la que viene": the one after next.
        (
            &["de", "la", "semana", "despues", "de", "la", "que", "viene"][..],
            format!("the {day} after next"),
        ),
        (
            &["de", "la", "semana", "despues", "de", "la", "proxima"][..],
            format!("the {day} after next"),
        ),
        (&["de", "la", "semana", "pasada"][..], format!("last {day}")),
        (&["de", "esta", "semana"][..], format!("{day} this week")),
        (&["en", "ocho"][..], format!("a week from {day}")),
        (&["en", "8"][..], format!("a week from {day}")),
        (&["que", "viene"][..], format!("next {day}")),
        (&["proximo"][..], format!("next {day}")),
        (&["pasado"][..], format!("last {day}")),
    ]
    .into_iter()
    .find(|(said, _)| keys.starts_with(said))?;
    Some((words[w + said.len()] + 1, english))
}

/// "4/7", "17-2", "1.3.2013": day first, as written in Spanish, unless the second number
/// cannot be a month ("12/15" is December 15th however it is read).
fn numeric_date(tokens: &[Token], i: usize) -> Found {
    let part = |k: usize| tokens.get(k).and_then(Token::digits);
    let first = part(i)?;
    let sep = tokens.get(i + 1)?;
    if !(sep.is("/") || sep.is("-") || sep.is(".")) {
        return None;
    }
    let second = part(i + 2)?;
    let mut end = i + 3;
    let mut year = None;
    if let (Some(s2), Some(y)) = (tokens.get(i + 3), part(i + 4))
        && s2.key == sep.key
    {
        year = Some(if y < 100 { 2000 + y } else { y });
        end = i + 5;
    }
    // "15.30" is a time; "9:30 - 11:00" is not a date.
    if sep.is(".") && year.is_none() {
        return None;
    }
    if tokens.get(end).is_some_and(|t| t.is(":")) {
        return None;
    }
    let (day, month) = if (1..=12).contains(&second) && (1..=31).contains(&first) {
        (first, second)
    } else if (1..=12).contains(&first) && (13..=31).contains(&second) {
        (second, first)
    } else {
        return None;
    };
    let name = MONTH_NUMBERS[month as usize - 1];
    let english = match year {
        Some(y) => format!("{name} {day} {y}"),
        None => format!("{name} {day}"),
    };
    Some((end, english))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english(text: &str) -> String {
        to_english(text).text
    }

    #[test]
    fn reads_clock_times() {
        assert_eq!(english("a las tres y cuarto de la tarde"), "at 3:15 pm");
        assert_eq!(english("las doce menos cinco"), "at 11:55");
        assert_eq!(english("las doce menos cuarto"), "at 11:45");
        assert_eq!(english("6 de la mañana"), "6 am");
        assert_eq!(english("nueve de la noche"), "9 pm");
        assert_eq!(english("a las 15 horas"), "at 15:00");
        assert_eq!(english("a la 1"), "at 1");
        assert_eq!(english("mañana a 11"), "tomorrow at 11");
        assert_eq!(english("seis cero dos pm"), "6:02 pm");
        assert_eq!(english("las once y cuarenta y cinco"), "at 11:45");
    }

    #[test]
    fn reads_weekdays_with_what_follows() {
        assert_eq!(english("el martes que viene"), "next tuesday");
        assert_eq!(
            english("miércoles de la próxima semana"),
            "wednesday next week"
        );
        assert_eq!(english("el domingo pasado"), "last sunday");
        assert_eq!(
            english("el martes en la tarde"),
            "the tuesday in the afternoon"
        );
    }

    #[test]
    fn reads_dates() {
        assert_eq!(english("el 5 de mayo de 2013"), "may 5 2013");
        assert_eq!(english("mayo 5 del 2013"), "may 5 2013");
        assert_eq!(english("el 4/7"), "the july 4");
        assert_eq!(english("12/15"), "december 15");
        assert_eq!(english("el 16"), "the 16th");
        assert_eq!(english("el primero de marzo"), "march 1");
    }

    #[test]
    fn keeps_the_customers_words_for_notes() {
        let text = "dígale al equipo que el perro es amigable";
        let rewrite = to_english(text);
        let english_note = &rewrite.text[rewrite.text.find("the perro").unwrap()..];
        assert_eq!(
            rewrite.original(text, english_note),
            Some("el perro es amigable")
        );
    }

    #[test]
    fn reads_words_misspelt_as_they_sound() {
        assert_eq!(english("el pizo"), "the floor");
        assert_eq!(english("las bentanas"), "the windows");
        assert_eq!(english("el techno"), "the roof");
        assert_eq!(english("el perro"), "the perro");
    }

    #[test]
    fn si_is_yes_only_as_an_answer() {
        assert!(english("si, el martes").starts_with("yes"));
        assert!(english("no se si puedo").contains(" if "));
    }
}
