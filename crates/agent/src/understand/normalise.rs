//! Text as the understanding reads it.
//!
//! Phones and copy-paste bring characters that look like ASCII but are not: curly quotes,
//! dashes, ligatures ("ﬁ"), full-width digits, zero-width joiners inside a word, bidi marks.
//! [`normalise`] folds them once, before anything else reads the message, so every table and
//! matcher sees one spelling. [`fold_case`] lower-cases without changing any character's byte
//! length, so an offset found in the folded copy is an offset in the original.

use unicode_normalization::UnicodeNormalization;

/// NFKC, invisible format characters removed, quotes and dashes folded to ASCII, any other
/// whitespace (tabs included) made a plain space; newlines kept. Case is kept: notes are
/// saved as written.
pub fn normalise(text: &str) -> String {
    text.nfkc()
        .filter(|c| !is_invisible(*c))
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
            | '\u{0060}' | '\u{00B4}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
            '\n' => '\n',
            c if c.is_whitespace() || c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Zero-width characters, bidi controls, the soft hyphen and the byte-order mark: they change
/// nothing a reader sees, so they must change nothing the understanding reads.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
    )
}

/// Lower case, character by character, keeping each character's UTF-8 length: a letter whose
/// lower case is longer or several characters ("İ" → "i̇") is left as written.
pub fn fold_case(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_what_phones_type() {
        assert_eq!(normalise("The 13th’s fine"), "The 13th's fine");
        assert_eq!(normalise("“8am” – ok"), "\"8am\" - ok");
        assert_eq!(normalise("bo\u{200B}ok\u{202E} it"), "book it");
        assert_eq!(normalise("ﬁne\tat １０"), "fine at 10");
        assert_eq!(normalise("line one\nline two"), "line one\nline two");
    }

    #[test]
    fn fold_case_keeps_byte_offsets() {
        for text in ["İlker here", "STRASSE ß", "ÀÉÎ Good Morning", "ǅ ΣΑΣ"] {
            let folded = fold_case(text);
            assert_eq!(folded.len(), text.len(), "{text}");
            assert!(
                text.char_indices().all(|(i, _)| folded.is_char_boundary(i)),
                "{text}"
            );
        }
        assert_eq!(fold_case("Good MORNING"), "good morning");
    }
}
