//! Several requests in one message: "book the deck for the 4th at 1 and tell the crew the dog
//! is friendly", "what's the status of WC-1001 and WC-1003".
//!
//! The message is cut into clauses at joining words and punctuation, and each clause is asked
//! whether it starts a request of its own. Neighbouring clauses that do not are kept with the
//! request before them ("book the floor, thursday at 10"), and words before the first request
//! belong to it ("thursday at 10, book the floor"). Each request is then understood on its own
//! words, so its dates, project and note text are its own. The commands come out in the order
//! said, each request opened by its `Start`: [`Understanding::requests`] cuts them apart again.
//!
//! A message with one request is understood exactly as a whole.

use chrono::NaiveDateTime;

use super::command::{Command, Intent};
use super::normalise::normalise;
use super::rules::{Understanding, understand_text, words_of};
use super::tokens::{Tok, tokenize};
use super::{language, shorthand, spanish};
use crate::catalogue::Language;

/// Words that join two requests.
const JOINERS: &[&str] = &["and", "also", "plus", "then", "too"];
/// Punctuation that ends a clause.
const STOPS: &[char] = &[',', ';', '.', '!', '?', '&'];

/// What one message says, read in the language it is written in, or in `fallback` (the
/// conversation's) when it does not say enough to tell ("ok", "10").
pub fn understand_in(text: &str, now: NaiveDateTime, fallback: Language) -> Understanding {
    let text = normalise(text);
    let said_in = language::detect(&text);
    let rewrite = match said_in.unwrap_or(fallback) {
        Language::English => shorthand::to_plain(&text),
        Language::Spanish => spanish::to_english(&text),
    };
    let mut understood = understand(&rewrite.text, now);
    // A note, and words revised, are kept as the customer wrote them.
    let own = |read: &mut String| {
        if let Some(own) = rewrite.original(&text, read) {
            *read = own.to_string();
        }
    };
    for command in &mut understood.commands {
        match command {
            Command::SetNote { text } => own(text),
            Command::Revise { old, new } => {
                own(old);
                own(new);
            }
            _ => {}
        }
    }
    understood.language = said_in;
    understood
}

/// What one message, in English, says, request by request.
pub fn understand(text: &str, now: NaiveDateTime) -> Understanding {
    let text = normalise(text);
    // A complaint is one, however many clauses it runs to.
    let mut whole = understand_text(&text, now);
    if whole.intent() == Some(Intent::Complaint) {
        return whole;
    }
    let clauses = clauses(&text);
    // One clause is one request: no need to ask it twice.
    let (answer, groups) = if clauses.len() < 2 {
        (None, Vec::new())
    } else {
        requests(&text, &clauses, now)
    };
    if groups.len() < 2 && answer.is_none() {
        // A note's words are the crew's to read, not a project named ("use the front door").
        let note = whole.commands.iter().find_map(|c| match c {
            Command::SetNote { text } => Some(text.as_str()),
            _ => None,
        });
        let mut said = note.map_or(text.clone(), |note| text.replace(note, " "));
        // "I meant the fence not the deck. the deck can wait": the project taken back names
        // nothing, here or later in the message.
        if let Some(old) = whole.commands.iter().find_map(|c| match c {
            Command::Revise { old, .. } => Some(old.clone()),
            _ => None,
        }) {
            let taken_back = words_of(&old);
            said = words_of(&said)
                .into_iter()
                .filter(|w| !taken_back.contains(w) || matches!(w.as_str(), "the" | "my" | "a"))
                .collect::<Vec<_>>()
                .join(" ");
        }
        whole.words = words_of(&said);
        return whole;
    }
    whole.commands.clear();
    // "yes, and leave a note: …": the answer to the question on show comes first, on its own.
    whole.unaccounted = 0;
    if let Some((start, end)) = answer {
        let part = understand_text(&text[start..end], now);
        whole.commands = part.commands;
        whole.unaccounted = part.unaccounted;
        whole.answer_first = true;
    }
    for group in groups {
        let mut part = understand_text(&text[group.start..group.end], now);
        whole.unaccounted += part.unaccounted;
        part.commands
            .retain(|c| *c != Command::Unclear && !matches!(c, Command::Start { .. }));
        whole.commands.push(Command::Start {
            intent: group.intent,
        });
        whole.commands.append(&mut part.commands);
    }
    whole
}

/// A request: the byte range of its words and what it asks for.
#[derive(Debug)]
struct Group {
    start: usize,
    end: usize,
    intent: Intent,
    names_project: bool,
    /// It says a day or time of its own.
    has_when: bool,
}

/// The requests of a message, and a yes or no said before them ("yes, and …"), if any.
fn requests(
    text: &str,
    clauses: &[(usize, usize)],
    now: NaiveDateTime,
) -> (Option<(usize, usize)>, Vec<Group>) {
    let mut groups: Vec<Group> = Vec::new();
    let mut answer: Option<(usize, usize)> = None;
    // Words before the first request, kept for it.
    let mut lead: Option<usize> = None;
    let mut lead_names_project = false;
    let mut lead_books = false;
    for &(start, end) in clauses {
        let clause = understand_text(&text[start..end], now);
        let names_project = clause.has(|c| matches!(c, Command::SetProject { .. }));
        let Some(current) = groups.last_mut() else {
            match clause.intent() {
                // "could you put my flooring in on nov 4 at 10am? also what's the weather that
                // day": a day said for a project before another request is a booking of its
                // own.
                // ("for the windows on wednesday, ring the bell hard": the day and project say
                // which visit a note is for.)
                Some(intent)
                    if lead_books
                        && !matches!(intent, Intent::Schedule | Intent::Reschedule)
                        && !(intent == Intent::AddNote
                            && says_which_visit(&text[lead.unwrap_or(start)..start])) =>
                {
                    groups.push(Group {
                        start: lead.unwrap_or(start),
                        end: start,
                        intent: Intent::Schedule,
                        names_project: lead_names_project,
                        has_when: clause.has(Command::is_when),
                    });
                    groups.push(Group {
                        start,
                        end,
                        intent,
                        names_project,
                        has_when: clause.has(Command::is_when),
                    });
                }
                Some(intent) => groups.push(Group {
                    start: lead.unwrap_or(start),
                    end,
                    intent,
                    names_project,
                    has_when: clause.has(Command::is_when),
                }),
                // A first clause that only answers ("yes,", "no,"): kept apart, with the
                // answers that follow it ("ok yes, confirm it").
                None if lead.is_none()
                    && !clause.commands.is_empty()
                    && clause
                        .commands
                        .iter()
                        .all(|c| matches!(c, Command::Affirm | Command::Deny)) =>
                {
                    answer = Some(answer.map_or((start, end), |(from, _)| (from, end)));
                }
                // "install at 9 and the repair at 2": each project with its own day or time
                // is a booking of its own.
                None if own_booking(&text[start..end], &clause)
                    && lead_books
                    && lead_names_project =>
                {
                    groups.push(Group {
                        start: lead.unwrap_or(start),
                        end: start,
                        intent: Intent::Schedule,
                        names_project: true,
                        has_when: clause.has(Command::is_when),
                    });
                    groups.push(Group {
                        start,
                        end,
                        intent: Intent::Schedule,
                        names_project,
                        has_when: clause.has(Command::is_when),
                    });
                }
                None => {
                    lead.get_or_insert(start);
                    lead_names_project |= names_project;
                    lead_books |= clause.has(Command::is_when) && lead_names_project;
                }
            }
            continue;
        };
        let new_intent = match clause.intent() {
            // The same request said twice ("book the floor, book it for thursday"), unless
            // each names its own project.
            Some(intent)
                if intent == current.intent && !(names_project && current.names_project) =>
            {
                None
            }
            // "i need to move the roof, can you do tuesday dec 2 at 10?": a day asked for,
            // naming no project, goes on with the booking or move under way.
            Some(Intent::Schedule)
                if !names_project
                    && clause.has(Command::is_when)
                    && matches!(current.intent, Intent::Schedule | Intent::Reschedule) =>
            {
                None
            }
            Some(intent) => Some(intent),
            // "the status of WC-1001 and WC-1003": a question asked of a second project. A
            // write is never repeated for a project that was not asked for with its own verb.
            None if names_project && current.names_project && current.intent.is_question() => {
                Some(current.intent)
            }
            // "cancel my window install. and i want the floors done wednesday at 3": another
            // project with a day of its own, after something else, is a booking.
            None if names_project
                && current.names_project
                && clause.has(Command::is_when)
                && !matches!(current.intent, Intent::Schedule | Intent::Reschedule) =>
            {
                Some(Intent::Schedule)
            }
            // "book the install at 9 and the repair at 2": the same for another project, with
            // a day or time of its own.
            None if (current.names_project || current.has_when)
                && matches!(current.intent, Intent::Schedule | Intent::Reschedule)
                && own_booking(&text[start..end], &clause) =>
            {
                // "book the zorb for thursday at 9 and the doors for friday at 12:30": never
                // one booking with the first day, even when the first project is not known.
                Some(current.intent)
            }
            None => None,
        };
        match new_intent {
            Some(intent) => groups.push(Group {
                start,
                end,
                intent,
                names_project,
                has_when: clause.has(Command::is_when),
            }),
            None => {
                current.end = end;
                current.names_project |= names_project;
                current.has_when |= clause.has(Command::is_when);
            }
        }
    }
    // An answer followed by nothing else is just the message.
    if groups.is_empty() {
        answer = None;
    }
    (answer, groups)
}

const GREETING_WORDS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "good",
    "morning",
    "afternoon",
    "evening",
];

/// "for the windows on wednesday", "re the roof job": words that say which visit what follows
/// is about, not a request of their own.
fn says_which_visit(lead: &str) -> bool {
    let lead = lead.to_lowercase();
    // After a greeting: "good morning, for the windows on wednesday, …", "hi! for the …".
    let lead = lead
        .split_once([',', '.', '!'])
        .filter(|(first, _)| {
            first
                .split_whitespace()
                .all(|w| GREETING_WORDS.contains(&w))
        })
        .map_or(lead.as_str(), |(_, rest)| rest)
        .trim_start();
    ["for ", "re ", "about ", "regarding "]
        .iter()
        .any(|w| lead.starts_with(w))
}

/// Whether a clause names a project with a day or time of its own; "the repair, both on
/// tuesday" shares the day with what came before.
fn own_booking(text: &str, clause: &Understanding) -> bool {
    clause.has(|c| matches!(c, Command::SetProject { .. }))
        && clause.has(Command::is_when)
        && !text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.eq_ignore_ascii_case("both"))
}

/// Byte ranges of the clauses of `text`: cut before each joining word and after each stop.
fn clauses(text: &str) -> Vec<(usize, usize)> {
    let mut cuts = vec![0];
    for token in tokenize(text) {
        match &token.tok {
            Tok::Word(w) if JOINERS.contains(&w.as_str()) => cuts.push(token.start),
            Tok::Punct(c) if STOPS.contains(c) => cuts.push(token.end),
            // "…at 11am. will it rain": the full stop read with "a.m." still ends the sentence.
            _ if text[token.start..token.end].ends_with('.') => cuts.push(token.end),
            _ => {}
        }
    }
    cuts.push(text.len());
    cuts.dedup();
    cuts.windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|(a, b)| !text[*a..*b].trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::ProjectRef;

    fn now() -> NaiveDateTime {
        NaiveDateTime::parse_from_str("2025-11-05 10:00", "%Y-%m-%d %H:%M").unwrap()
    }

    fn intents(text: &str) -> Vec<Intent> {
        understand(text, now())
            .requests()
            .iter()
            .filter_map(Understanding::intent)
            .collect()
    }

    #[test]
    fn a_booking_and_a_note_are_two_requests_each_with_its_own_words() {
        let u = understand(
            "book the deck for the 7th at 1 and tell the crew the dog is friendly",
            now(),
        );
        let requests = u.requests();
        assert_eq!(requests.len(), 2, "{:?}", u.commands);
        assert_eq!(requests[0].intent(), Some(Intent::Schedule));
        assert!(requests[0].has(|c| matches!(c, Command::SetTime { .. })));
        assert_eq!(requests[1].intent(), Some(Intent::AddNote));
        assert!(
            requests[1].has(|c| matches!(c, Command::SetNote { text } if text.contains("dog is friendly") && !text.contains("deck")))
        );
        assert!(!requests[1].has(|c| matches!(c, Command::SetTime { .. })));
    }

    #[test]
    fn each_project_named_is_a_request_with_its_own_day_and_time() {
        let time_of = |r: &Understanding| {
            r.commands.iter().find_map(|c| match c {
                Command::SetTime { time } => Some(time.format("%H:%M").to_string()),
                _ => None,
            })
        };
        // Side by side: what was said is shared.
        let shared = understand(
            "book my fence install and the gutter repair, both monday at 12:30",
            now(),
        )
        .requests();
        assert_eq!(shared.len(), 2);
        assert!(shared.iter().all(
            |r| r.intent() == Some(Intent::Schedule) && time_of(r).as_deref() == Some("12:30")
        ));
        // Apart: each its own.
        let apart = understand("book the install at 9 and the repair at 2", now()).requests();
        assert_eq!(apart.len(), 2);
        assert_eq!(time_of(&apart[0]).as_deref(), Some("09:00"));
        assert_eq!(time_of(&apart[1]).as_deref(), Some("14:00"));
        assert!(apart.iter().all(|r| r.intent() == Some(Intent::Schedule)));
    }

    #[test]
    fn two_projects_asked_about_are_two_questions() {
        let u = understand("can i get the status of WC-1001 and WC-1003", now());
        let requests = u.requests();
        assert_eq!(
            intents("can i get the status of WC-1001 and WC-1003"),
            [Intent::Status, Intent::Status]
        );
        assert!(requests[1].has(|c| *c
            == Command::SetProject {
                project: ProjectRef::OrderNumber("WC-1003".into())
            }));
    }

    #[test]
    fn a_write_is_not_repeated_for_a_project_named_without_its_own_verb() {
        for said in [
            "reschedule my windows, the floor is fine",
            "reschedule my windows and the floor is fine",
        ] {
            assert_eq!(intents(said), [Intent::Reschedule], "{said}");
        }
    }

    #[test]
    fn one_request_said_in_several_clauses_stays_one() {
        assert_eq!(
            intents("thursday at 10, book the floor please"),
            [Intent::Schedule]
        );
        assert_eq!(
            intents("I'd like to book my flooring, and next tuesday works"),
            [Intent::Schedule]
        );
        assert_eq!(understand("yes", now()).requests().len(), 1);
        assert_eq!(
            intents("i need to move my roof appointment. can you do tuesday dec 2 at 10?"),
            [Intent::Reschedule]
        );
    }

    #[test]
    fn cancel_one_and_book_another() {
        assert_eq!(
            intents("cancel order ZX-999 and book my floor for thursday"),
            [Intent::Cancel, Intent::Schedule]
        );
    }

    #[test]
    fn a_yes_said_before_a_request_answers_first() {
        let u = understand(
            "yes, and leave a note: ring twice, the bell is quiet",
            now(),
        );
        let requests = u.requests();
        assert_eq!(requests.len(), 2, "{:?}", u.commands);
        assert_eq!(requests[0].commands, [Command::Affirm]);
        assert_eq!(requests[1].intent(), Some(Intent::AddNote));
        // One clause: a yes and a new request stay together (never a yes on its own).
        assert_eq!(understand("ok book my flooring", now()).requests().len(), 1);
    }

    #[test]
    fn a_day_said_for_a_project_before_a_question_is_a_booking() {
        assert_eq!(
            intents(
                "could you put my flooring in on nov 14 at 10am? also whats the weather like that day"
            ),
            [Intent::Schedule, Intent::Weather]
        );
    }
}
