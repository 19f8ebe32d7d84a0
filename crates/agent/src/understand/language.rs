//! Which language a message is written in, so it is read and answered in it.
//!
//! A message is scored on words only one of the two languages uses ("quiero", "para", "cita"
//! against "the", "want", "appointment") and on Spanish letters and marks (ñ, á, ¿). A message
//! that says too little to tell ("ok", "10", "no", an order number) has no language of its own:
//! the conversation keeps the one it had, so a Spanish customer answering "ok" is still answered
//! in Spanish, and one who switches is followed at their first clear message.

use super::normalise::fold_case;
use super::rewrite::fold_accents;
use crate::catalogue::Language;

/// Words that mark Spanish (accents folded). Words both languages use ("no", "ok", "a",
/// "me", "la" in "la la") or that are Spanish only in SMS spelling clash less than they help.
const SPANISH: &[&str] = &[
    "el",
    "la",
    "los",
    "las",
    "de",
    "del",
    "que",
    "para",
    "por",
    "con",
    "mi",
    "mis",
    "su",
    "es",
    "esta",
    "este",
    "pero",
    "quiero",
    "quisiera",
    "necesito",
    "puede",
    "pueden",
    "puedo",
    "cita",
    "programar",
    "agendar",
    "reprogramar",
    "cancelar",
    "cambiar",
    "hola",
    "gracias",
    "si",
    "sí",
    "manana",
    "pasado",
    "lunes",
    "martes",
    "miercoles",
    "jueves",
    "viernes",
    "sabado",
    "domingo",
    "semana",
    "proxima",
    "proximo",
    "hora",
    "tarde",
    "noche",
    "hoy",
    "cuando",
    "donde",
    "quien",
    "como",
    "dia",
    "dias",
    "favor",
    "porfa",
    "xfa",
    "claro",
    "dale",
    "bueno",
    "buenas",
    "buenos",
    "ayuda",
    "tecnico",
    "cerca",
    "techo",
    "ventanas",
    "puerta",
    "gabinetes",
    "bano",
    "piso",
    "pisos",
    "canaletas",
    "nota",
    "equipo",
    "perfecto",
    "listo",
    "usted",
    "ustedes",
    "tengo",
    "tiene",
    "hay",
    "ya",
    "tambien",
    "despues",
    "antes",
    "mejor",
    "olvidelo",
    "olvidalo",
    "perdon",
    "disculpe",
    "sale",
    "orale",
    "nel",
    "pa",
    "pal",
    "q",
    "xq",
    "una",
    "unos",
    "mediodia",
    "temprano",
    "clima",
    "pronostico",
    "lluvia",
    "llover",
    "estado",
    "proyecto",
    "proyectos",
    "pedido",
    "instalacion",
    "reparacion",
    "digale",
    "aviseles",
    "quiere",
    "hacer",
    "entonces",
    "muy",
    "bien",
    "gusto",
    "venir",
    "vengan",
    "llamen",
    "llamar",
    "codigo",
    "perro",
    "casa",
    "adios",
    "luego",
];

/// Words that mark English.
const ENGLISH: &[&str] = &[
    "the",
    "i",
    "my",
    "to",
    "for",
    "is",
    "it",
    "can",
    "you",
    "u",
    "at",
    "on",
    "please",
    "pls",
    "book",
    "schedule",
    "what",
    "when",
    "and",
    "of",
    "yes",
    "yeah",
    "yep",
    "want",
    "need",
    "time",
    "day",
    "tomorrow",
    "tmrw",
    "next",
    "week",
    "thanks",
    "thank",
    "hi",
    "hello",
    "appointment",
    "cancel",
    "move",
    "reschedule",
    "status",
    "who",
    "which",
    "morning",
    "afternoon",
    "evening",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "that",
    "this",
    "would",
    "could",
    "will",
    "be",
    "are",
    "do",
    "does",
    "we",
    "sure",
    "okay",
    "instead",
    "actually",
    "sorry",
    "works",
    "fine",
    "good",
    "great",
    "nope",
    "with",
    "in",
    "after",
    "before",
    "any",
    "crew",
    "note",
    "tell",
    "fence",
    "roof",
    "windows",
    "weather",
    "hours",
    "help",
    "person",
    "im",
    "dont",
    "cant",
    "its",
    "get",
    "just",
    "have",
    "how",
    "whats",
    "there",
    "one",
];

/// The language `text` is written in, when it says enough to tell.
pub fn detect(text: &str) -> Option<Language> {
    let lower = fold_case(text);
    // "ya" is a texted yes in English and "already" in Spanish: alone, it says nothing of the
    // language.
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if let [only] = words.as_slice()
        && ["ya", "no", "ok"].contains(only)
    {
        return None;
    }
    let mut spanish = 0i32;
    let mut english = 0i32;
    if lower.contains(['ñ', '¿', '¡', 'á', 'é', 'í', 'ó', 'ú']) {
        spanish += 2;
    }
    for word in lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        let word = word.replace('\'', "");
        if ENGLISH.contains(&word.as_str()) {
            english += 1;
        }
        if SPANISH.contains(&fold_accents(&word).as_str()) {
            spanish += 1;
        }
    }
    match spanish.cmp(&english) {
        std::cmp::Ordering::Greater => Some(Language::Spanish),
        std::cmp::Ordering::Less => Some(Language::English),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_spanish_from_english() {
        for spanish in [
            "Hola, quiero programar la instalación de la cerca para el próximo martes",
            "si",
            "sí, gracias",
            "cancele mi cita xfa",
            "la primera",
            "a las 2",
            "manana temprano",
            "puedo hacer schedule para el martes?",
        ] {
            assert_eq!(detect(spanish), Some(Language::Spanish), "{spanish}");
        }
        for english in [
            "book my fence next tuesday",
            "yes",
            "can u do tmrw am",
            "the second one",
            "what's the status of the roof",
        ] {
            assert_eq!(detect(english), Some(Language::English), "{english}");
        }
    }

    #[test]
    fn says_nothing_when_the_message_does_not_tell() {
        for neither in ["ok", "10", "no", "ya", "ORD-2025-001", "👍", "2:30"] {
            assert_eq!(detect(neither), None, "{neither}");
        }
    }
}
