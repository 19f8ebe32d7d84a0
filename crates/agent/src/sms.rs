//! The conversation by text message: what a phone can show and what a texter sends back.
//!
//! A phone has no buttons, so a reply's choices become numbered lines ("Reply 1, 2 or 3"),
//! and a bare number sent back means that choice. A reply that already lists its choices by
//! number (dates, times, projects) is left as it is: the rules read "2" against the list on
//! show. Links are kept only where they lead somewhere useful (the project page).
//!
//! Carrier keywords (STOP, START, HELP and their kin) are the host's business before any
//! turn; [`Keywords`] tells them apart and [`keyword_reply`] words the answers, which — unlike
//! every conversational message — must say how to stop.

use crate::catalogue::{Channel, Language, msg, render};
use crate::reply::{QuickReply, Reply};

/// A message that is a carrier keyword, whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    OptOut,
    OptIn,
    Help,
}

/// The words that opt out, back in, or ask for help: a message that is exactly one of them
/// (any case, spaces and a final stop or exclamation mark ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keywords {
    pub opt_out: Vec<String>,
    pub opt_in: Vec<String>,
    pub help: Vec<String>,
}

impl Default for Keywords {
    /// Twilio's default opt-out, opt-in and help keywords, and their Spanish kin.
    fn default() -> Self {
        let words = |list: &[&str]| list.iter().map(|w| w.to_string()).collect();
        Keywords {
            opt_out: words(&[
                "STOP",
                "STOPALL",
                "UNSUBSCRIBE",
                "CANCEL",
                "END",
                "QUIT",
                "REVOKE",
                "OPTOUT",
                "PARA",
                "ALTO",
                "BAJA",
            ]),
            opt_in: words(&["START", "UNSTOP", "YES"]),
            help: words(&["HELP", "INFO", "AYUDA"]),
        }
    }
}

impl Keywords {
    pub fn classify(&self, body: &str) -> Option<(Keyword, String)> {
        let word = body
            .trim()
            .trim_end_matches(['.', '!'])
            .trim()
            .to_uppercase();
        let is = |list: &[String]| list.iter().any(|k| k.eq_ignore_ascii_case(&word));
        let keyword = if is(&self.opt_out) {
            Keyword::OptOut
        } else if is(&self.opt_in) {
            Keyword::OptIn
        } else if is(&self.help) {
            Keyword::Help
        } else {
            return None;
        };
        Some((keyword, word))
    }
}

/// The language a keyword answer is in: the keyword's own when it is Spanish, else the
/// customer's.
pub fn keyword_language(word: &str, customer: Language) -> Language {
    if ["PARA", "ALTO", "BAJA", "AYUDA"].contains(&word) {
        Language::Spanish
    } else {
        customer
    }
}

/// The answer to a carrier keyword.
pub fn keyword_reply(keyword: Keyword, language: Language, business: &str, phone: &str) -> String {
    let message = match keyword {
        Keyword::OptOut => msg!("sms-opted-out", business = business),
        Keyword::OptIn => msg!("sms-opted-in", business = business),
        Keyword::Help => msg!("sms-help", business = business, phone = phone),
    };
    render(language, Channel::Sms, &message)
}

/// The answer to a number that is not on file.
pub fn unknown_number(language: Language, business: &str, phone: &str) -> String {
    render(
        language,
        Channel::Sms,
        &msg!("sms-unknown-number", business = business, phone = phone),
    )
}

/// The answer when a text cannot be handled now (the turn failed, the channel is not set up
/// for the customer's company).
pub fn unavailable(language: Language) -> String {
    render(language, Channel::Sms, &msg!("sms-unavailable"))
}

/// A reminder of an appointment: "tomorrow" for the day before, "today" for the same day.
pub fn reminder(
    language: Language,
    business: &str,
    project: &str,
    at: chrono::NaiveDateTime,
    today: chrono::NaiveDate,
) -> String {
    let date = crate::reply::date(at.date(), today, language);
    let time = crate::reply::time(at.time(), language);
    let message = if at.date() == today {
        msg!(
            "sms-reminder-today",
            business = business,
            project = project,
            time = time
        )
    } else if Some(at.date()) == today.succ_opt() {
        msg!(
            "sms-reminder-tomorrow",
            business = business,
            project = project,
            date = date,
            time = time
        )
    } else {
        msg!(
            "sms-reminder",
            business = business,
            project = project,
            date = date,
            time = time
        )
    };
    render(language, Channel::Sms, &message)
}

/// "R" under a reminder, as the customer would have said it.
pub fn reschedule_request(language: Language) -> String {
    match language {
        Language::English => "I need to reschedule it".into(),
        Language::Spanish => "necesito cambiar la fecha de la cita".into(),
    }
}

/// The answer to "C" under a reminder.
pub fn confirmed(language: Language, at: chrono::NaiveDateTime) -> String {
    let date = crate::reply::date(at.date(), at.date(), language);
    let time = crate::reply::time(at.time(), language);
    render(
        language,
        Channel::Sms,
        &msg!("sms-reminder-confirmed", date = date, time = time),
    )
}

/// Rewrites `reply` for a phone: its choices as numbered lines unless the text already
/// numbers them, and the project link. Returns the choices a bare number now stands for.
pub fn present(reply: &mut Reply) -> Vec<QuickReply> {
    let choices = std::mem::take(&mut reply.quick_replies);
    let mut numbered = Vec::new();
    // A summary already says "reply yes or no": two more lines would only cost a segment.
    let yes_or_no = choices.iter().map(|c| c.value.as_str()).eq(["yes", "no"]);
    if !choices.is_empty() && !yes_or_no && !lists(&reply.text, choices.len()) {
        let lines: Vec<String> = choices
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{}. {}", i + 1, c.label))
            .collect();
        let numbers = numbers_phrase(choices.len(), reply.language);
        let ask = render(
            reply.language,
            Channel::Sms,
            &msg!("sms-choices", numbers = numbers),
        );
        reply.text = format!("{}\n{}\n{ask}", reply.text.trim_end(), lines.join("\n"));
        numbered = choices.clone();
    }
    // A link costs most of a segment: it is sent only where the text promises it (a booking
    // made: "the details are at the link below").
    let promised = render(
        reply.language,
        Channel::Sms,
        &msg!("details-on-project-page"),
    );
    if let Some(link) = reply.links.first()
        && reply.text.contains(&promised)
    {
        reply.text = format!("{}\n{}", reply.text.trim_end(), link.url);
    }
    reply.quick_replies = choices;
    numbered
}

/// Whether `text` already has lines numbered 1 to `n`.
fn lists(text: &str, n: usize) -> bool {
    let numbered = |i: usize| {
        text.lines()
            .any(|line| line.trim_start().starts_with(&format!("{i}. ")))
    };
    (1..=n).all(numbered)
}

/// "1 or 2", "1, 2 or 3"; "1" alone.
fn numbers_phrase(n: usize, language: Language) -> String {
    let or = match language {
        Language::English => "or",
        Language::Spanish => "o",
    };
    match n {
        0 | 1 => "1".into(),
        _ => {
            let head: Vec<String> = (1..n).map(|i| i.to_string()).collect();
            format!("{} {or} {n}", head.join(", "))
        }
    }
}

/// The choice a bare number picks among those shown as numbered lines.
pub fn choice<'a>(message: &str, shown: &'a [QuickReply]) -> Option<&'a QuickReply> {
    let n: usize = message
        .trim()
        .trim_end_matches(['.', '!', ')'])
        .parse()
        .ok()?;
    shown.get(n.checked_sub(1)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_whole_message_is_a_keyword() {
        let k = Keywords::default();
        assert_eq!(k.classify("STOP").map(|c| c.0), Some(Keyword::OptOut));
        assert_eq!(k.classify("  stop. ").map(|c| c.0), Some(Keyword::OptOut));
        assert_eq!(k.classify("Cancel").map(|c| c.0), Some(Keyword::OptOut));
        assert_eq!(k.classify("para").map(|c| c.0), Some(Keyword::OptOut));
        assert_eq!(k.classify("start").map(|c| c.0), Some(Keyword::OptIn));
        assert_eq!(k.classify("Ayuda").map(|c| c.0), Some(Keyword::Help));
        for sentence in [
            "cancel my appointment",
            "tell the crew to stop at the side gate",
            "para el martes",
            "yes please",
            "help me book",
        ] {
            assert_eq!(k.classify(sentence), None, "{sentence}");
        }
    }

    #[test]
    fn keyword_answers_say_who_we_are_and_how_to_stop() {
        let help = keyword_reply(
            Keyword::Help,
            Language::English,
            "Alamo Ridge",
            "+12105550100",
        );
        assert!(
            help.contains("Alamo Ridge") && help.contains("STOP"),
            "{help}"
        );
        let ayuda = keyword_reply(
            Keyword::Help,
            keyword_language("AYUDA", Language::English),
            "Alamo Ridge",
            "+12105550100",
        );
        assert!(
            ayuda.contains("Alamo Ridge") && ayuda.contains("BAJA"),
            "{ayuda}"
        );
        let out = keyword_reply(Keyword::OptOut, Language::English, "Alamo Ridge", "");
        assert!(out.contains("START"), "{out}");
    }

    fn reply(text: &str, labels: &[&str]) -> Reply {
        let mut reply = Reply::new(Language::English, Channel::Sms);
        reply.text = text.into();
        reply.quick_replies = labels
            .iter()
            .map(|l| QuickReply {
                label: l.to_string(),
                value: l.to_lowercase(),
            })
            .collect();
        reply
    }

    #[test]
    fn choices_become_numbered_lines_and_a_number_picks_one() {
        let mut menu = reply("What can I do for you?", &["Book", "My projects"]);
        let shown = present(&mut menu);
        assert_eq!(
            menu.text,
            "What can I do for you?\n1. Book\n2. My projects\nReply 1 or 2."
        );
        assert_eq!(
            choice("2", &shown).map(|c| c.value.as_str()),
            Some("my projects")
        );
        assert_eq!(choice("3", &shown), None);
        assert_eq!(choice("0", &shown), None);
        assert_eq!(choice("2pm", &shown), None);

        // A yes/no question says so in words.
        let text = "Book it for Tuesday at 8:00? Please reply yes or no.";
        let mut confirm = reply(text, &["Yes", "No"]);
        assert!(present(&mut confirm).is_empty());
        assert_eq!(confirm.text, text);

        // The project page's link only where the text promises it.
        let link = crate::reply::Link {
            label: "Project".into(),
            url: "https://x.example/details/1".into(),
        };
        let mut status = reply("Your roof is on hold.", &[]);
        status.links.push(link.clone());
        present(&mut status);
        assert_eq!(status.text, "Your roof is on hold.");
        let promise = render(
            Language::English,
            Channel::Sms,
            &msg!("details-on-project-page"),
        );
        let mut booked = reply(&format!("You're all set! {promise}"), &[]);
        booked.links.push(link);
        present(&mut booked);
        assert!(
            booked.text.ends_with("\nhttps://x.example/details/1"),
            "{}",
            booked.text
        );

        // Already numbered in the text: left alone, numbers read by the rules.
        let mut dates = reply("Dates:\n1. Tue\n2. Wed\nWhich one?", &["Tue", "Wed"]);
        assert!(present(&mut dates).is_empty());
        assert_eq!(dates.text, "Dates:\n1. Tue\n2. Wed\nWhich one?");
    }
}
