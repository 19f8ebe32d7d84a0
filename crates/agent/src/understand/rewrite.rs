//! Rewriting a message into the words the rules read, keeping track of where each piece came
//! from: Spanish into English ([`super::spanish`]), SMS spellings and typos into plain English
//! ([`super::shorthand`]). Each rewrite is a list of matchers tried at every word, the first
//! that matches replacing the words it took; words no matcher takes are kept as written. A
//! note's text is cut from the customer's own words ([`Rewrite::original`]), never from the
//! rewrite.

use std::collections::HashMap;

use super::normalise::fold_case;

/// What a matcher found at a token: the token after it, and what it reads as.
pub(super) type Found = Option<(usize, String)>;

/// A matcher: what it finds at token `i`, if anything.
pub(super) type Matcher = fn(&[Token], usize) -> Found;

/// A message rewritten, with where each piece of the rewrite came from.
#[derive(Debug, Clone)]
pub struct Rewrite {
    pub text: String,
    /// (range in `text`, range in the original, copied as written).
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    rewritten: (usize, usize),
    original: (usize, usize),
    copied: bool,
}

impl Rewrite {
    /// The customer's own words behind `range` of the rewritten text: a piece rewritten is taken
    /// whole, a piece copied to the byte.
    pub fn original_range(&self, (start, end): (usize, usize)) -> (usize, usize) {
        let from = self
            .pieces
            .iter()
            .find(|p| p.rewritten.0 <= start && start < p.rewritten.1)
            .map(|p| {
                if p.copied {
                    p.original.0 + (start - p.rewritten.0)
                } else {
                    p.original.0
                }
            });
        let to = self
            .pieces
            .iter()
            .rev()
            .find(|p| p.rewritten.0 < end && end <= p.rewritten.1)
            .map(|p| {
                if p.copied {
                    p.original.0 + (end - p.rewritten.0)
                } else {
                    p.original.1
                }
            });
        match (from, to) {
            (Some(a), Some(b)) if a <= b => (a, b),
            _ => (0, 0),
        }
    }

    /// The customer's words for `english`, a piece of the rewritten text (its first occurrence).
    pub fn original<'a>(&self, original: &'a str, rewritten: &str) -> Option<&'a str> {
        let at = self.text.find(rewritten)?;
        let (a, b) = self.original_range((at, at + rewritten.len()));
        original.get(a..b).map(str::trim).filter(|s| !s.is_empty())
    }
}

/// `text` (normalised) rewritten: at each word the first of `matchers` that matches.
pub(super) fn run(text: &str, matchers: &[Matcher]) -> Rewrite {
    let tokens = scan(text);
    let mut out = Writer {
        text: String::new(),
        pieces: Vec::new(),
    };
    let mut i = 0;
    let mut last = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.kind == Kind::Space || t.kind == Kind::Other {
            i += 1;
            continue;
        }
        // What lies between the previous piece and this one (spaces, punctuation) is copied.
        out.copy(text, last, t.start);
        match matchers.iter().find_map(|m| m(&tokens, i)) {
            Some((next, read)) => {
                let end = tokens[next - 1].end;
                out.rewrite(t.start, end, &read);
                last = end;
                i = next;
            }
            None => {
                out.copy(text, t.start, t.end);
                last = t.end;
                i += 1;
            }
        }
    }
    out.copy(text, last, text.len());
    Rewrite {
        text: out.text,
        pieces: out.pieces,
    }
}

/// A phone number ("818-555-0199", "(818) 555 0199", "+1 818 555 0199", "555-0199") reads as
/// one word, so its digits are never taken for a time or a date ("al 818…" is not 8:18). A
/// note keeps the number as written.
pub(super) fn phone_number(tokens: &[Token], i: usize) -> Found {
    let mut k = i;
    let at = |k: usize| tokens.get(k);
    let mut groups: Vec<usize> = Vec::new();
    let mut separators: Vec<&str> = Vec::new();
    while let Some(t) = at(k).filter(|t| t.kind == Kind::Digits) {
        groups.push(t.key.len());
        k += 1;
        // A separator counts only when digits follow it: "(818) 555", "555-0199", "818 555".
        let sep_len = match at(k) {
            Some(s) if s.key == ")" && at(k + 1).is_some_and(|n| n.key == " ") => 2,
            Some(s) if matches!(s.key.as_str(), "-" | "." | ")" | " ") => 1,
            _ => break,
        };
        if at(k + sep_len).is_none_or(|n| n.kind != Kind::Digits) {
            break;
        }
        separators.push(if sep_len == 2 {
            ")"
        } else {
            at(k).map_or("", |s| s.key.as_str())
        });
        k += sep_len;
    }
    let dashed = separators.iter().all(|s| matches!(*s, "-" | "."));
    let phone = match groups.as_slice() {
        [10] | [3, 3, 4] | [1, 3, 3, 4] => true,
        [11] => tokens[k - 1].key.starts_with('1'),
        [3, 4] => dashed && !separators.is_empty(),
        _ => false,
    };
    phone.then(|| (k, "phonenumber".to_string()))
}

struct Writer {
    text: String,
    pieces: Vec<Piece>,
}

impl Writer {
    fn copy(&mut self, original: &str, start: usize, end: usize) {
        if start >= end {
            return;
        }
        let at = self.text.len();
        self.text.push_str(&original[start..end]);
        self.pieces.push(Piece {
            rewritten: (at, self.text.len()),
            original: (start, end),
            copied: true,
        });
    }

    fn rewrite(&mut self, start: usize, end: usize, read: &str) {
        let at = self.text.len();
        self.text.push_str(read);
        self.pieces.push(Piece {
            rewritten: (at, self.text.len()),
            original: (start, end),
            copied: false,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Scanning

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    Digits,
    Space,
    Other,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// Lower case, accents removed: what tables are matched on.
    pub key: String,
    /// Lower case, accents kept ("qué" is not "que").
    pub lower: String,
}

impl Token {
    pub fn is(&self, key: &str) -> bool {
        self.key == key
    }

    pub fn is_any(&self, keys: &[&str]) -> bool {
        keys.contains(&self.key.as_str())
    }

    pub fn digits(&self) -> Option<u32> {
        (self.kind == Kind::Digits)
            .then(|| self.key.parse().ok())
            .flatten()
    }
}

pub(super) fn scan(text: &str) -> Vec<Token> {
    let class = |c: char| {
        if c.is_alphabetic() {
            Kind::Word
        } else if c.is_ascii_digit() {
            Kind::Digits
        } else if c.is_whitespace() {
            Kind::Space
        } else {
            Kind::Other
        }
    };
    let mut tokens: Vec<Token> = Vec::new();
    for (at, c) in text.char_indices() {
        let kind = class(c);
        let end = at + c.len_utf8();
        match tokens.last_mut() {
            Some(last)
                if last.kind == kind
                    && last.end == at
                    && matches!(kind, Kind::Word | Kind::Digits | Kind::Space) =>
            {
                last.end = end;
            }
            _ => tokens.push(Token {
                kind,
                start: at,
                end,
                key: String::new(),
                lower: String::new(),
            }),
        }
    }
    for t in &mut tokens {
        t.lower = fold_case(&text[t.start..t.end]);
        t.key = fold_accents(&t.lower);
    }
    tokens
}

/// "mañana" and "manana", "miércoles" and "miercoles": phones drop accents, so tables match
/// without them.
pub fn fold_accents(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            c => c,
        })
        .collect()
}

/// The words (and numbers) from token `i` on, skipping spaces, as token indices.
pub(super) fn words_from(tokens: &[Token], i: usize) -> Vec<usize> {
    tokens
        .iter()
        .enumerate()
        .skip(i)
        .filter(|(_, t)| t.kind != Kind::Space)
        .take_while(|(_, t)| t.kind != Kind::Other || t.key == "." || t.key == ":")
        .map(|(k, _)| k)
        .take(12)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Phrase tables

/// A phrase table: words as customers write them (case and accents folded) → words the rules
/// read.
pub(super) struct Table {
    /// Keyed by the words joined with single spaces.
    phrases: HashMap<String, String>,
    longest: usize,
}

/// A table's `said => read` lines as (folded key, reading); `#` starts a comment.
fn entries(source: &str) -> impl Iterator<Item = (String, &str)> {
    source.lines().filter_map(|line| {
        let line = line.split('#').next().unwrap_or("").trim();
        let (said, read) = line.split_once("=>")?;
        let key: Vec<String> = said
            .split_whitespace()
            .map(|w| fold_accents(&fold_case(w)))
            .collect();
        (!key.is_empty()).then(|| (key.join(" "), read.trim()))
    })
}

impl Table {
    /// `said => read` lines; `#` starts a comment.
    pub fn parse(source: &str) -> Table {
        let mut phrases = HashMap::new();
        let mut longest = 1;
        for (key, read) in entries(source) {
            longest = longest.max(key.split(' ').count());
            phrases.insert(key, read.to_string());
        }
        Table { phrases, longest }
    }

    /// How one word (folded) reads, when the table has it.
    pub fn word(&self, word: &str) -> Option<&str> {
        self.phrases.get(word).map(String::as_str)
    }

    /// Its one-word entries: (word, reading).
    pub fn words(&self) -> impl Iterator<Item = (&str, &str)> {
        self.phrases
            .iter()
            .filter(|(key, _)| !key.contains(' '))
            .map(|(key, read)| (key.as_str(), read.as_str()))
    }

    /// The longest phrase of the table at token `i`: where it ends and what it reads as.
    pub fn longest_at(&self, tokens: &[Token], i: usize) -> Option<(usize, &str)> {
        let mut key = String::new();
        let mut found = None;
        for k in words_from(tokens, i)
            .into_iter()
            .take_while(|&k| matches!(tokens[k].kind, Kind::Word | Kind::Digits))
            .take(self.longest)
        {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(&tokens[k].key);
            if let Some(read) = self.phrases.get(&key) {
                found = Some((k + 1, read.as_str()));
            }
        }
        found
    }
}

/// Token `i` is the first word of the message or of a clause.
pub(super) fn opens_clause(tokens: &[Token], i: usize) -> bool {
    tokens[..i]
        .iter()
        .rev()
        .find(|t| t.kind != Kind::Space)
        .is_none_or(|t| t.kind == Kind::Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phones(text: &str) -> String {
        run(text, &[phone_number]).text
    }

    /// A phrase said twice in a table reads as its last line only; the first would be dead.
    #[test]
    fn tables_say_each_phrase_once() {
        for source in [
            include_str!("../../understanding/en.txt"),
            include_str!("../../understanding/es.txt"),
        ] {
            let mut seen = std::collections::HashSet::new();
            let twice: Vec<String> = entries(source)
                .filter(|(key, _)| !seen.insert(key.clone()))
                .map(|(key, _)| key)
                .collect();
            assert!(twice.is_empty(), "said twice: {twice:?}");
        }
    }

    #[test]
    fn phone_numbers_read_as_one_word() {
        assert_eq!(
            phones("call marisol at 818-555-0199 first"),
            "call marisol at phonenumber first"
        );
        assert_eq!(phones("(818) 555 0199"), "(phonenumber");
        assert_eq!(phones("+1 818.555.0199"), "+phonenumber");
        assert_eq!(phones("text 8185550199"), "text phonenumber");
        assert_eq!(phones("or 555-0199"), "or phonenumber");
        // Times, windows and dates stay as they are.
        for kept in ["9-11", "10 30", "12/15", "at 1030", "the 3rd at 2"] {
            assert_eq!(phones(kept), kept);
        }
    }
}
