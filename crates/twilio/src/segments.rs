//! How many SMS a text costs. A text in the GSM 03.38 alphabet goes as 7-bit characters (160
//! in one message, 153 per segment when split, the extension characters `^{}\[~]|€` counting
//! two); anything else (accents beyond the alphabet, emoji) forces UCS-2: 70 in one message,
//! 67 per segment, counted in UTF-16 units.

/// The encoding a text needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "gsm7",
            Encoding::Ucs2 => "ucs2",
        }
    }
}

/// A text's size on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segments {
    pub encoding: Encoding,
    /// Characters as the encoding counts them (septets or UTF-16 units).
    pub units: usize,
    pub segments: usize,
}

/// The GSM 03.38 basic character set.
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table: each costs an escape and the character.
const GSM7_EXTENDED: &str = "^{}\\[~]|€\u{000C}";

/// `text` with typographic punctuation outside the GSM alphabet (dashes, curly quotes,
/// ellipsis, bullets, non-breaking spaces) replaced by its plain equivalent, so a text that is
/// otherwise GSM-7 is not sent as UCS-2 (70 characters a segment instead of 160). With
/// `accents`, the acute vowels GSM lacks (á í ó ú) lose their accent too, as Spanish is
/// commonly texted; é, ñ, ü, ¿ and ¡ are GSM and stay.
pub fn fold_to_gsm(text: &str, accents: bool) -> String {
    text.chars()
        .map(|c| match c {
            'á' if accents => "a".to_string(),
            'í' if accents => "i".to_string(),
            'ó' if accents => "o".to_string(),
            'ú' if accents => "u".to_string(),
            'Á' if accents => "A".to_string(),
            'Í' if accents => "I".to_string(),
            'Ó' if accents => "O".to_string(),
            'Ú' if accents => "U".to_string(),
            '\u{2014}' | '\u{2013}' | '\u{2012}' | '\u{2212}' => "-".to_string(),
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => "'".to_string(),
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => "\"".to_string(),
            '\u{2026}' => "...".to_string(),
            '\u{2022}' | '\u{00B7}' => "-".to_string(),
            '\u{00A0}' | '\u{2009}' | '\u{202F}' => " ".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// The size of `text` as one SMS or several.
pub fn count(text: &str) -> Segments {
    let septets = text.chars().try_fold(0usize, |n, c| {
        if GSM7_BASIC.contains(c) {
            Some(n + 1)
        } else if GSM7_EXTENDED.contains(c) {
            Some(n + 2)
        } else {
            None
        }
    });
    let (encoding, units, single, per_segment) = match septets {
        Some(n) => (Encoding::Gsm7, n, 160, 153),
        None => (Encoding::Ucs2, text.encode_utf16().count(), 70, 67),
    };
    let segments = match units {
        0 => 0,
        n if n <= single => 1,
        n => n.div_ceil(per_segment),
    };
    Segments {
        encoding,
        units,
        segments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_english_is_gsm7_and_splits_at_153() {
        let one = count(&"a".repeat(160));
        assert_eq!((one.encoding, one.segments), (Encoding::Gsm7, 1));
        assert_eq!(count(&"a".repeat(161)).segments, 2);
        assert_eq!(count(&"a".repeat(306)).segments, 2);
        assert_eq!(count(&"a".repeat(307)).segments, 3);
        assert_eq!(count("").segments, 0);
    }

    #[test]
    fn typographic_punctuation_folds_to_gsm_and_accents_only_when_asked() {
        let folded = fold_to_gsm(
            "Flooring (ORD-1) \u{2014} it\u{2019}s \u{201C}ready\u{201D}\u{2026}",
            false,
        );
        assert_eq!(folded, "Flooring (ORD-1) - it's \"ready\"...");
        assert_eq!(count(&folded).encoding, Encoding::Gsm7);
        let spanish = "¿Programo su instalación el miércoles? Sí, mañana.";
        assert_eq!(fold_to_gsm(spanish, false), spanish);
        let folded = fold_to_gsm(spanish, true);
        assert_eq!(folded, "¿Programo su instalacion el miércoles? Si, mañana.");
        assert_eq!(count(&folded).encoding, Encoding::Gsm7);
    }

    #[test]
    fn extension_characters_count_twice() {
        let text = format!("{}{{}}", "a".repeat(156));
        let counted = count(&text);
        assert_eq!((counted.units, counted.segments), (160, 1));
        assert_eq!(count("price: 5€").units, 10);
    }

    #[test]
    fn spanish_accents_beyond_gsm_force_ucs2() {
        // é and ñ are in the GSM alphabet; á, í, ó, ú and ¿ inverted marks of Spanish mostly
        // are not (¿ is).
        assert_eq!(count("¿Mañana?").encoding, Encoding::Gsm7);
        let spanish = count("¿Le programo la instalación?");
        assert_eq!(spanish.encoding, Encoding::Ucs2);
        assert_eq!(count(&"ó".repeat(70)).segments, 1);
        assert_eq!(count(&"ó".repeat(71)).segments, 2);
        // An emoji is two UTF-16 units.
        assert_eq!(count("👍").units, 2);
    }
}
