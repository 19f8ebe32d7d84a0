//! Splitting a message into tokens the date/time matchers read: words, numbers (digits or
//! words: "twenty-three" is 23), ordinals ("1st", "twenty-first"), meridiems ("p.m." is `pm`)
//! and punctuation, each with its byte span in the original text.

use super::lexicon::{ORDINAL_SUFFIXES, ORDINALS, TENS, UNITS, lookup};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Word(String),
    /// A cardinal; `digits` is how many digits it was written with (0 when spelled out).
    Num {
        value: u32,
        digits: usize,
    },
    Ord(u32),
    Punct(char),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn word(&self) -> Option<&str> {
        match &self.tok {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }

    pub fn is_word(&self, word: &str) -> bool {
        self.word() == Some(word)
    }

    pub fn is_any(&self, words: &[&str]) -> bool {
        self.word().is_some_and(|w| words.contains(&w))
    }

    pub fn num(&self) -> Option<u32> {
        match self.tok {
            Tok::Num { value, .. } => Some(value),
            _ => None,
        }
    }

    pub fn digits(&self) -> usize {
        match self.tok {
            Tok::Num { digits, .. } => digits,
            _ => 0,
        }
    }

    pub fn ord(&self) -> Option<u32> {
        match self.tok {
            Tok::Ord(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.tok == Tok::Punct(c)
    }
}

/// Tokens of `text`, lower-cased, with number and ordinal words folded.
pub fn tokenize(text: &str) -> Vec<Token> {
    let raw = split(text);
    let folded = fold_numbers(raw);
    fold_meridiems(folded)
}

#[derive(PartialEq)]
enum Class {
    Alpha,
    Digit,
    Space,
    Punct,
}

fn class(c: char) -> Class {
    if c.is_alphabetic() {
        Class::Alpha
    } else if c.is_ascii_digit() {
        Class::Digit
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Punct
    }
}

/// Runs of letters, runs of digits, single punctuation characters.
fn split(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let kind = class(c);
        match kind {
            Class::Space => continue,
            Class::Punct => {
                // The span is the character as written, whatever it is read as.
                let end = start + c.len_utf8();
                let c = if c == '’' { '\'' } else { c };
                tokens.push(Token {
                    tok: Tok::Punct(c),
                    start,
                    end,
                });
            }
            Class::Alpha | Class::Digit => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, next)) = chars.peek() {
                    if class(next) != kind {
                        break;
                    }
                    end = i + next.len_utf8();
                    chars.next();
                }
                let piece = &text[start..end];
                let tok = if kind == Class::Digit {
                    match piece.parse::<u32>() {
                        Ok(value) => Tok::Num {
                            value,
                            digits: piece.len(),
                        },
                        Err(_) => Tok::Word(piece.to_string()),
                    }
                } else {
                    Tok::Word(piece.to_lowercase())
                };
                tokens.push(Token { tok, start, end });
            }
        }
    }
    tokens
}

/// "twenty three" / "twenty-three" → 23, "twenty-first" → 21st, "1st" → 1st, "three" → 3.
fn fold_numbers(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        // 1st, 22nd
        if let (Some(n), Some(next)) = (t.num(), tokens.get(i + 1))
            && next.is_any(ORDINAL_SUFFIXES)
            && next.start == t.end
        {
            out.push(Token {
                tok: Tok::Ord(n),
                start: t.start,
                end: next.end,
            });
            i += 2;
            continue;
        }
        if let Some(word) = t.word() {
            if let Some(tens) = lookup(TENS, word) {
                // twenty[-]three, twenty[-]first
                let mut j = i + 1;
                if tokens.get(j).is_some_and(|n| n.is_punct('-')) {
                    j += 1;
                }
                if let Some(next) = tokens.get(j).and_then(|n| n.word()) {
                    if let Some(unit) = lookup(UNITS, next).filter(|u| (1..10).contains(u)) {
                        out.push(Token {
                            tok: Tok::Num {
                                value: tens + unit,
                                digits: 0,
                            },
                            start: t.start,
                            end: tokens[j].end,
                        });
                        i = j + 1;
                        continue;
                    }
                    if let Some(unit) = lookup(ORDINALS, next).filter(|u| (1..10).contains(u)) {
                        out.push(Token {
                            tok: Tok::Ord(tens + unit),
                            start: t.start,
                            end: tokens[j].end,
                        });
                        i = j + 1;
                        continue;
                    }
                }
                out.push(Token {
                    tok: Tok::Num {
                        value: tens,
                        digits: 0,
                    },
                    start: t.start,
                    end: t.end,
                });
                i += 1;
                continue;
            }
            if let Some(unit) = lookup(UNITS, word) {
                out.push(Token {
                    tok: Tok::Num {
                        value: unit,
                        digits: 0,
                    },
                    start: t.start,
                    end: t.end,
                });
                i += 1;
                continue;
            }
            if let Some(ord) = lookup(ORDINALS, word) {
                out.push(Token {
                    tok: Tok::Ord(ord),
                    start: t.start,
                    end: t.end,
                });
                i += 1;
                continue;
            }
        }
        out.push(t.clone());
        i += 1;
    }
    out
}

/// After a number: "am", "a.m.", "a m", "a", "p.", "p.m" all become the word `am` / `pm`;
/// "o'clock" and "o clock" become `oclock`.
fn fold_meridiems(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let after_number = out
            .last()
            .is_some_and(|p: &Token| p.num().is_some() || p.is_word("ish"));
        if after_number
            && let Some(letter) = t.word().filter(|w| matches!(*w, "a" | "p" | "am" | "pm"))
        {
            let meridiem = if letter.starts_with('a') { "am" } else { "pm" };
            let mut j = i + 1;
            let mut end = t.end;
            if letter.len() == 1 {
                if tokens.get(j).is_some_and(|n| n.is_punct('.')) {
                    end = tokens[j].end;
                    j += 1;
                }
                if tokens.get(j).is_some_and(|n| n.is_word("m")) {
                    end = tokens[j].end;
                    j += 1;
                }
            }
            if tokens.get(j).is_some_and(|n| n.is_punct('.')) {
                end = tokens[j].end;
                j += 1;
            }
            out.push(Token {
                tok: Tok::Word(meridiem.into()),
                start: t.start,
                end,
            });
            i = j;
            continue;
        }
        if t.is_word("o") {
            let mut j = i + 1;
            if tokens.get(j).is_some_and(|n| n.is_punct('\'')) {
                j += 1;
            }
            if tokens.get(j).is_some_and(|n| n.is_word("clock")) {
                out.push(Token {
                    tok: Tok::Word("oclock".into()),
                    start: t.start,
                    end: tokens[j].end,
                });
                i = j + 1;
                continue;
            }
        }
        out.push(t.clone());
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        tokenize(text).into_iter().map(|t| t.tok).collect()
    }

    fn w(s: &str) -> Tok {
        Tok::Word(s.into())
    }

    #[test]
    fn numbers_ordinals_and_meridiems_fold() {
        assert_eq!(
            toks("3:30 p.m."),
            [
                Tok::Num {
                    value: 3,
                    digits: 1
                },
                Tok::Punct(':'),
                Tok::Num {
                    value: 30,
                    digits: 2
                },
                w("pm")
            ]
        );
        assert_eq!(
            toks("twenty-three"),
            [Tok::Num {
                value: 23,
                digits: 0
            }]
        );
        assert_eq!(toks("the 21st"), [w("the"), Tok::Ord(21)]);
        assert_eq!(toks("twenty first"), [Tok::Ord(21)]);
        assert_eq!(
            toks("3p"),
            [
                Tok::Num {
                    value: 3,
                    digits: 1
                },
                w("pm")
            ]
        );
        assert_eq!(
            toks("nine fifty nine a m"),
            [
                Tok::Num {
                    value: 9,
                    digits: 0
                },
                Tok::Num {
                    value: 59,
                    digits: 0
                },
                w("am")
            ]
        );
        assert_eq!(
            toks("8 o'clock"),
            [
                Tok::Num {
                    value: 8,
                    digits: 1
                },
                w("oclock")
            ]
        );
        assert_eq!(
            toks("15h00"),
            [
                Tok::Num {
                    value: 15,
                    digits: 2
                },
                w("h"),
                Tok::Num {
                    value: 0,
                    digits: 2
                }
            ]
        );
        // "a" is only a meridiem after a number.
        assert_eq!(toks("a week"), [w("a"), w("week")]);
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "Book Nov 12th";
        let tokens = tokenize(text);
        assert_eq!(&text[tokens[2].start..tokens[2].end], "12th");
    }
}
