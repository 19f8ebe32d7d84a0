//! Rule-based understanding: every command one message carries, with no model and no network.
//!
//! Order of work, each step blanking what it consumed so later steps do not read it twice:
//! order numbers and project ids; greetings that look like times ("good morning"); dates and
//! times ([`super::datetime`]); then word tables for intents, answers, picks and projects.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::command::{Command, Intent, ListKind, Pick, ProjectRef, SmallTalk, TimeRule};
use super::constraints;
use super::datetime::{self, CHOICE_NOUNS, When};
use super::guard;
use super::lexicon;
use super::normalise::fold_case;
use super::restated;
use super::tokens::{Tok, tokenize};
use crate::catalogue::Language;

/// What one message was understood to say.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Understanding {
    pub commands: Vec<Command>,
    #[serde(skip)]
    pub when: When,
    /// Prompt-injection signals (logged and counted; never obeyed).
    pub signals: Vec<&'static str>,
    /// The message opened with a yes or no said on its own ("yes, and leave a note …"): the
    /// commands before the first `Start` answer the question on show, as a request of their own.
    #[serde(skip)]
    pub answer_first: bool,
    /// The language the message was written in, when it said enough to tell.
    #[serde(skip)]
    pub language: Option<Language>,
    /// Words of the message no rule read: where a rule-based reading may have missed something.
    #[serde(skip)]
    pub unaccounted: usize,
    /// The message's words, when it is one request: a project is found by its own name ("the
    /// grab bars") where no trade word says it.
    #[serde(skip)]
    pub words: Vec<String>,
}

impl Understanding {
    pub fn has(&self, wanted: impl Fn(&Command) -> bool) -> bool {
        self.commands.iter().any(wanted)
    }

    /// The requests of the message, in the order said: a new one at each `Start` after the
    /// first, and one per project named ("book the pool fence and the gutter repair").
    pub fn requests(&self) -> Vec<Understanding> {
        self.by_intent()
            .into_iter()
            .flat_map(|request| request.by_project())
            .collect()
    }

    /// One request per project a request names. Projects named side by side share what else
    /// was said ("the fence and the gutters, both monday at 12:30"); projects named apart take
    /// what was said with each ("the install at 9 and the repair at 2"), and the request's
    /// intent.
    fn by_project(self) -> Vec<Understanding> {
        let at: Vec<usize> = self
            .commands
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, Command::SetProject { .. }))
            .map(|(i, _)| i)
            .collect();
        if at.len() < 2 {
            return vec![self];
        }
        let part = |commands: Vec<Command>| Understanding {
            commands,
            when: When::default(),
            signals: self.signals.clone(),
            answer_first: false,
            language: self.language,
            unaccounted: 0,
            words: Vec::new(),
        };
        let side_by_side = at.windows(2).all(|w| w[1] == w[0] + 1);
        if side_by_side {
            let shared: Vec<Command> = self
                .commands
                .iter()
                .filter(|c| !matches!(c, Command::SetProject { .. }))
                .cloned()
                .collect();
            return at
                .iter()
                .map(|i| {
                    let mut commands = shared.clone();
                    commands.push(self.commands[*i].clone());
                    part(commands)
                })
                .collect();
        }
        let start = self
            .commands
            .iter()
            .find(|c| matches!(c, Command::Start { .. }))
            .cloned();
        let mut parts: Vec<Vec<Command>> = Vec::new();
        let mut current = Vec::new();
        for (i, command) in self.commands.iter().enumerate() {
            current.push(command.clone());
            if at.contains(&i) {
                parts.push(std::mem::take(&mut current));
            }
        }
        if let Some(last) = parts.last_mut() {
            last.extend(current);
        }
        parts
            .into_iter()
            .map(|mut commands| {
                if let Some(start) = &start
                    && !commands.contains(start)
                {
                    commands.insert(0, start.clone());
                }
                part(commands)
            })
            .collect()
    }

    /// A new request at each `Start` after the first.
    fn by_intent(&self) -> Vec<Understanding> {
        let starts = self
            .commands
            .iter()
            .filter(|c| matches!(c, Command::Start { .. }))
            .count();
        if starts < 2 && !self.answer_first {
            return vec![self.clone()];
        }
        let mut requests: Vec<Understanding> = Vec::new();
        for command in &self.commands {
            let opens = matches!(command, Command::Start { .. });
            match requests.last_mut() {
                Some(last) if !opens => last.commands.push(command.clone()),
                _ => requests.push(Understanding {
                    commands: vec![command.clone()],
                    when: When::default(),
                    signals: self.signals.clone(),
                    answer_first: false,
                    language: self.language,
                    unaccounted: 0,
                    words: Vec::new(),
                }),
            }
        }
        requests
    }

    pub fn intent(&self) -> Option<Intent> {
        self.commands.iter().find_map(|c| match c {
            Command::Start { intent } => Some(*intent),
            _ => None,
        })
    }
}

/// Phrases → intents. Words of a phrase must appear in order, a few words apart at most
/// ("change my appointment" matches "change appointment").
const INTENT_PHRASES: &[(&str, Intent)] = &[
    // "what did i tell the crew": the notes, before "tell" asks for one.
    ("what did i tell", Intent::ViewNotes),
    ("did my note", Intent::ViewNotes),
    ("reschedule", Intent::Reschedule),
    ("re schedule", Intent::Reschedule),
    ("move appointment", Intent::Reschedule),
    ("move installation", Intent::Reschedule),
    ("move it", Intent::Reschedule),
    ("move my", Intent::Reschedule),
    ("move our", Intent::Reschedule),
    ("move the", Intent::Reschedule),
    ("bump", Intent::Reschedule),
    ("change appointment", Intent::Reschedule),
    ("change date", Intent::Reschedule),
    ("change time", Intent::Reschedule),
    ("change day", Intent::Reschedule),
    ("change booking", Intent::Reschedule),
    ("different day", Intent::Reschedule),
    ("different date", Intent::Reschedule),
    ("different time", Intent::Reschedule),
    ("another day", Intent::Reschedule),
    ("another date", Intent::Reschedule),
    ("push back", Intent::Reschedule),
    ("push", Intent::Reschedule),
    ("postpone", Intent::Reschedule),
    ("be moved", Intent::Reschedule),
    ("get started", Intent::Schedule),
    ("cancel appointment", Intent::Cancel),
    ("cancel it", Intent::Cancel),
    ("cancel too", Intent::Cancel),
    ("cancel also", Intent::Cancel),
    ("also cancel", Intent::Cancel),
    ("dont need appointment", Intent::Cancel),
    ("no longer need", Intent::Cancel),
    ("dont need installation", Intent::Cancel),
    ("cancel installation", Intent::Cancel),
    ("cancel booking", Intent::Cancel),
    ("cancel visit", Intent::Cancel),
    ("cancel my", Intent::Cancel),
    ("cancel the", Intent::Cancel),
    ("cancel order", Intent::Cancel),
    ("cancel job", Intent::Cancel),
    ("cancel project", Intent::Cancel),
    ("call off", Intent::Cancel),
    ("kill the", Intent::Cancel),
    // "how many hours will the bathroom take": the job's length, not our hours.
    ("how many hours", Intent::Duration),
    ("business hours", Intent::BusinessHours),
    ("ur open", Intent::BusinessHours),
    ("your open", Intent::BusinessHours),
    ("open saturdays", Intent::BusinessHours),
    ("open sundays", Intent::BusinessHours),
    ("open weekends", Intent::BusinessHours),
    ("work saturdays", Intent::BusinessHours),
    ("work weekends", Intent::BusinessHours),
    ("opening hours", Intent::BusinessHours),
    ("your hours", Intent::BusinessHours),
    ("hours", Intent::BusinessHours),
    ("are you open", Intent::BusinessHours),
    ("you open", Intent::BusinessHours),
    ("working days", Intent::BusinessHours),
    ("days do you work", Intent::BusinessHours),
    ("days you work", Intent::BusinessHours),
    ("open on", Intent::BusinessHours),
    ("u open", Intent::BusinessHours),
    ("do you open", Intent::BusinessHours),
    ("do you close", Intent::BusinessHours),
    ("u close", Intent::BusinessHours),
    ("you close", Intent::BusinessHours),
    ("office close", Intent::BusinessHours),
    ("office open", Intent::BusinessHours),
    ("showroom open", Intent::BusinessHours),
    ("phones open", Intent::BusinessHours),
    ("open late", Intent::BusinessHours),
    ("open today", Intent::BusinessHours),
    ("open now", Intent::BusinessHours),
    // "and what time?", "what time are they coming": when the visit is, asked of the
    // project in focus; "what times do you have", "what time works": what is free.
    ("what times", Intent::Schedule),
    ("what time works", Intent::Schedule),
    ("what time is good", Intent::Schedule),
    ("what time is best", Intent::Schedule),
    ("what time", Intent::Status),
    // "how long does it take?", "how long will they be here": the job's length.
    ("how long does", Intent::Duration),
    ("how long will", Intent::Duration),
    ("how long is", Intent::Duration),
    ("how long it takes", Intent::Duration),
    ("how long it will take", Intent::Duration),
    ("all day", Intent::Duration),
    ("half day", Intent::Duration),
    ("weather", Intent::Weather),
    ("forecast", Intent::Weather),
    ("rain", Intent::Weather),
    ("raining", Intent::Weather),
    ("temperature", Intent::Weather),
    ("snow", Intent::Weather),
    ("storm", Intent::Weather),
    ("too cold", Intent::Weather),
    ("too hot", Intent::Weather),
    ("wind", Intent::Weather),
    ("windy", Intent::Weather),
    ("temp", Intent::Weather),
    ("add note", Intent::AddNote),
    ("leave note", Intent::AddNote),
    ("put note", Intent::AddNote),
    ("make note", Intent::AddNote),
    ("write note", Intent::AddNote),
    ("attach note", Intent::AddNote),
    ("note that", Intent::AddNote),
    ("note to", Intent::AddNote),
    ("note for", Intent::AddNote),
    ("note on", Intent::AddNote),
    ("tell technician", Intent::AddNote),
    ("tell guy", Intent::AddNote),
    ("tell guys", Intent::AddNote),
    ("tell installers", Intent::AddNote),
    ("tell workers", Intent::AddNote),
    ("tell team", Intent::AddNote),
    ("tell whoever", Intent::AddNote),
    ("tell them", Intent::AddNote),
    ("tell him", Intent::AddNote),
    ("tell her", Intent::AddNote),
    ("tell installer", Intent::AddNote),
    ("tell crew", Intent::AddNote),
    ("let them know", Intent::AddNote),
    ("let installer know", Intent::AddNote),
    ("let technician know", Intent::AddNote),
    ("let crew know", Intent::AddNote),
    ("let team know", Intent::AddNote),
    ("let guys know", Intent::AddNote),
    ("should know", Intent::AddNote),
    ("heads up", Intent::AddNote),
    ("whos doing", Intent::Technician),
    ("put a date on", Intent::Schedule),
    ("set a date for", Intent::Schedule),
    // "need to get my fence install scheduled": wanting it scheduled, not asking whether.
    ("get scheduled", Intent::Schedule),
    ("get booked", Intent::Schedule),
    ("want scheduled", Intent::Schedule),
    ("who is working on", Intent::Technician),
    ("whos working on", Intent::Technician),
    ("who is working", Intent::Technician),
    ("guy working on", Intent::Technician),
    ("whos installing", Intent::Technician),
    ("who is installing", Intent::Technician),
    ("techs name", Intent::Technician),
    ("tech name", Intent::Technician),
    ("are you sending", Intent::Technician),
    ("same guy", Intent::Technician),
    ("who am i expecting", Intent::Technician),
    // "when are you coming for the windows": when, not who.
    ("when are you coming", Intent::Status),
    ("coming along", Intent::Status),
    ("technician", Intent::Technician),
    ("technicians", Intent::Technician),
    ("tech", Intent::Technician),
    ("installer", Intent::Technician),
    ("installers", Intent::Technician),
    ("crew", Intent::Technician),
    ("who coming", Intent::Technician),
    ("whos coming", Intent::Technician),
    ("who will", Intent::Technician),
    ("who is doing", Intent::Technician),
    ("my notes", Intent::ViewNotes),
    ("show notes", Intent::ViewNotes),
    ("view notes", Intent::ViewNotes),
    ("see notes", Intent::ViewNotes),
    ("read notes", Intent::ViewNotes),
    ("list notes", Intent::ViewNotes),
    ("what notes", Intent::ViewNotes),
    ("any notes", Intent::ViewNotes),
    // "the note is: …", "note: …".
    ("note", Intent::AddNote),
    ("should say", Intent::AddNote),
    ("change it to say", Intent::AddNote),
    ("make it say", Intent::AddNote),
    ("been scheduled", Intent::Status),
    ("been booked", Intent::Status),
    ("still on", Intent::Status),
    ("still happening", Intent::Status),
    ("on track", Intent::Status),
    ("going on with", Intent::Status),
    ("where are we at", Intent::Status),
    ("come in yet", Intent::Status),
    ("status", Intent::Status),
    ("on hold", Intent::Status),
    ("why is my", Intent::Status),
    ("holdup", Intent::Status),
    ("hold up", Intent::Status),
    ("taking so long", Intent::Status),
    ("whats the delay", Intent::Status),
    ("delayed", Intent::Status),
    ("anyone coming", Intent::Status),
    ("someone coming", Intent::Status),
    ("progress", Intent::Status),
    ("update on", Intent::Status),
    ("details", Intent::Status),
    ("detail", Intent::Status),
    ("whats happening", Intent::Status),
    ("where are we", Intent::Status),
    ("when is", Intent::Status),
    ("when s my", Intent::Status),
    ("whens my", Intent::Status),
    ("when are", Intent::Status),
    ("what time is", Intent::Status),
    ("is scheduled", Intent::Status),
    ("info", Intent::Status),
    ("information", Intent::Status),
    ("projects", Intent::ListProjects),
    ("my orders", Intent::ListProjects),
    ("list", Intent::ListProjects),
    ("what do i have", Intent::ListProjects),
    ("show me everything", Intent::ListProjects),
    ("human", Intent::Handoff),
    ("real person", Intent::Handoff),
    // "a person", but not "a morning person".
    ("to a person", Intent::Handoff),
    ("with a person", Intent::Handoff),
    ("a person please", Intent::Handoff),
    ("need a person", Intent::Handoff),
    ("want a person", Intent::Handoff),
    ("get a person", Intent::Handoff),
    ("me a person", Intent::Handoff),
    ("person please", Intent::Handoff),
    ("a person i can", Intent::Handoff),
    ("is there a person", Intent::Handoff),
    ("agent", Intent::Handoff),
    ("representative", Intent::Handoff),
    ("operator", Intent::Handoff),
    ("speak to someone", Intent::Handoff),
    ("talk to someone", Intent::Handoff),
    ("speak with someone", Intent::Handoff),
    ("call me", Intent::Handoff),
    ("manager", Intent::Handoff),
    ("supervisor", Intent::Handoff),
    ("customer service", Intent::Handoff),
    ("how do i use", Intent::Help),
    ("what can i text", Intent::Help),
    ("times do you have", Intent::Schedule),
    ("what can i ask", Intent::Help),
    ("help", Intent::Help),
    ("what can you do", Intent::Help),
    ("how does this work", Intent::Help),
    ("menu", Intent::Help),
    ("put in", Intent::Schedule),
    ("pencil in", Intent::Schedule),
    ("find a day", Intent::Schedule),
    ("find a time", Intent::Schedule),
    ("find a date", Intent::Schedule),
    ("book", Intent::Schedule),
    ("booked", Intent::Schedule),
    ("schedule", Intent::Schedule),
    ("set up", Intent::Schedule),
    ("make appointment", Intent::Schedule),
    ("an appointment", Intent::Schedule),
    ("availability", Intent::Schedule),
    ("available", Intent::Schedule),
    ("openings", Intent::Schedule),
    ("open slots", Intent::Schedule),
    ("free", Intent::Schedule),
    ("when can", Intent::Schedule),
    ("come out", Intent::Schedule),
    ("installed", Intent::Schedule),
    ("get it done", Intent::Schedule),
    // Last: "move" with nothing more specific ("move ORD-2025-001 to thursday"); "is it
    // still sarah coming?" asks who.
    ("move", Intent::Reschedule),
    ("coming", Intent::Technician),
];

/// What customers say when something went wrong.
const COMPLAINTS: &[&str] = &[
    "left dust",
    "left drywall",
    "left debris",
    "left trash",
    "left garbage",
    "not ok",
    "not okay",
    "unacceptable",
    "never showed",
    "never show",
    "didnt show",
    "did not show",
    "no show",
    "nobody came",
    "no one came",
    "nobody showed",
    "no one showed",
    "no1 showed",
    "noone showed",
    "never came",
    "never arrived",
    "didnt come",
    "didnt arrive",
    "left a mess",
    "made a mess",
    "huge mess",
    "scratched",
    "damaged",
    "dented",
    "ruined",
    "rude",
    "unacceptable",
    "ridiculous",
    "worst",
    "terrible",
    "horrible",
    "awful",
    "complaint",
    "complain",
    "disappointed",
    "frustrated",
    "fed up",
    "not happy",
    "unhappy",
    "cancelled on me",
    "canceled on me",
    "rescheduled on me",
    "stood up",
    "still no install",
    "still no date",
    "supposed to come",
    "were supposed to",
    "was supposed to",
    "leaking after",
    "doesnt even",
    "broke my",
    "been on hold",
    // The work itself: "the cabinet door came out crooked and doesn't close right", "is that
    // covered under warranty?".
    "crooked",
    "doesnt close",
    "wont close",
    "doesnt shut",
    "wont shut",
    // Not "doesn't work": "thursday doesn't work" is about a day.
    "not working",
    "stopped working",
    "came loose",
    "coming loose",
    "is loose",
    "are loose",
    "falling off",
    "fell off",
    "cracked",
    "warped",
    "warping",
    "cupping",
    "popped up",
    "peeling",
    "done badly",
    "badly done",
    "still leaks",
    "started leaking",
    "warranty",
];

/// Words that say yes only in a short message ("ok", "great"); with [`STRONG_AFFIRM`], the
/// answers to a yes/no question.
const WEAK_AFFIRM: &[&str] = &[
    "sure", "ok", "okay", "k", "kk", "perfect", "right", "great", "good", "fine", "alright",
];
/// Words that attach a condition to a yes.
const QUALIFIERS: &[&str] = &["but", "except", "however", "although", "unless"];

/// Leading words that say yes whatever follows.
const STRONG_AFFIRM: &[&str] = &[
    "yes",
    "yeah",
    "yea",
    "yep",
    "yup",
    "ya",
    "y",
    "correct",
    "confirm",
    "confirmed",
    "absolutely",
    "definitely",
    "affirmative",
];
const AFFIRM_PHRASES: &[&str] = &[
    "will be fine",
    "would be fine",
    "will be great",
    "would be great",
    "sounds good",
    "sounds great",
    "that works",
    "works for me",
    "book it",
    "book that",
    "confirm it",
    "go ahead",
    "do it",
    "lets do it",
    "lets do that",
    "thats right",
    "looks good",
    "please do",
    "that is right",
    "that one works",
    "yes please",
    "of course",
];
const DENY: &[&str] = &[
    "no",
    "nope",
    "nah",
    "negative",
    "wrong",
    "incorrect",
    "neither",
    "none",
    "dont",
];
const DENY_PHRASES: &[&str] = &[
    "not yet",
    "hold off",
    "hold on",
    "not really",
    "not that",
    "keep it",
    "no thanks",
    "do not",
    "rather not",
    "not quite",
];
const CANCEL_FLOW_PHRASES: &[&str] = &[
    "leave it as is",
    "leave it how it is",
    "leave it the way it is",
    "keep it as is",
    "keep it the way it is",
    "leave it alone",
    "come back later",
    "come back to this",
    "another time",
    "maybe later",
    "not now",
    "not today",
    "never mind",
    "nevermind",
    "forget it",
    "forget about it",
    "stop",
    "cancel that",
    "quit",
    "start over",
    "abort",
    "exit",
    "cancel this",
    "nothing else",
    "thats all",
];
const GREETINGS: &[&str] = &["hi", "hello", "hey", "howdy", "hiya", "greetings", "yo"];
const THANKS: &[&str] = &[
    "thanks",
    "thank",
    "thx",
    "ty",
    "appreciate",
    "appreciated",
    "cheers",
];
const GOODBYES: &[&str] = &["bye", "goodbye", "cya", "goodnight"];

/// Words that fill a sentence without naming anything the flows use; a message made only of
/// these and a number is a pick or an hour.
const FILLER_WORDS: &[&str] = &[
    "make",
    "it",
    "instead",
    "how",
    "about",
    "what",
    "try",
    "at",
    "for",
    "lets",
    "let",
    "s",
    "do",
    "can",
    "we",
    "maybe",
    "ok",
    "okay",
    "no",
    "hmm",
    "hm",
    "um",
    "uh",
    "actually",
    "rather",
    "please",
    "the",
    "then",
    "i",
    "want",
    "would",
    "like",
    "prefer",
    "go",
    "with",
    "one",
    "option",
    "number",
    "choice",
    "pick",
    "take",
    "is",
    "fine",
    "better",
    "works",
    "oh",
    "wait",
    "sorry",
    "good",
    "great",
    "perfect",
    "ideal",
    "best",
    "be",
    "will",
    "that",
    "r",
    "like",
    "around",
    "say",
    "ish",
    "u",
    "but",
    "and",
    "meant",
    "mean",
    "instead",
    "if",
    "you",
    "have",
    "got",
    "possible",
    "available",
    "open",
    "free",
    "thats",
    "still",
    "pls",
    "plz",
    "any",
];

/// Understands one message. `now` is the client's local time.
/// What `text` (already normalised) says, read as one request: [`super::requests`] normalises
/// the message once and cuts it into requests.
pub(crate) fn understand_text(text: &str, now: NaiveDateTime) -> Understanding {
    let signals = guard::injection_signals(text);
    let mut commands = Vec::new();
    let mut masked: Vec<u8> = text.as_bytes().to_vec();
    let blank = |masked: &mut Vec<u8>, (a, b): (usize, usize)| {
        for byte in &mut masked[a..b] {
            *byte = b' ';
        }
    };

    // Order numbers ("ORD-2025-001", "WC-1001", "order #1001") and project ids (6+ digits).
    let tokens = tokenize(text);
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if let Some((next, reference)) = order_number(text, &tokens, i) {
            commands.push(Command::SetProject {
                project: ProjectRef::OrderNumber(reference),
            });
            blank(&mut masked, (t.start, tokens[next - 1].end));
            i = next;
            continue;
        }
        // "project 71009", "job #4410": an id, whatever its length.
        let named_as_id = t.digits() >= 4
            && i > 0
            && (tokens[i - 1].is_any(&["project", "job", "id"])
                || (tokens[i - 1].is_punct('#')
                    && i > 1
                    && tokens[i - 2].is_any(&["project", "job"])));
        if t.digits() >= 6 || named_as_id {
            commands.push(Command::SetProject {
                project: ProjectRef::Id(text[t.start..t.end].to_string()),
            });
            blank(&mut masked, (t.start, t.end));
        }
        i += 1;
    }
    let after_ids = String::from_utf8_lossy(&masked).into_owned();

    // "good morning" is a greeting, not a part of the day.
    let lower = fold_case(&after_ids);
    for greeting in ["good morning", "good afternoon", "good evening", "good day"] {
        if let Some(at) = lower.find(greeting) {
            commands.push(Command::SmallTalk {
                kind: SmallTalk::Greeting,
            });
            blank(&mut masked, (at, at + greeting.len()));
        }
    }
    let before_rules = String::from_utf8_lossy(&masked).into_owned();

    // What is ruled in or out ("after the 24th", "not monday", "same time"), read before the
    // dates so "the 24th" of "after the 24th" is not taken for the day wanted.
    let ruled = constraints::find(&before_rules, now);
    for span in &ruled.spans {
        blank(&mut masked, *span);
    }
    let rules_said = !ruled.commands.is_empty();
    commands.extend(ruled.commands);
    let before_dates = String::from_utf8_lossy(&masked).into_owned();

    // Dates and times.
    // "at 10:30, no wait, 1:30": the value said last, the one taken back ruled out.
    let (when, taken_back) = restated::when(&before_dates, now);
    commands.extend(taken_back);
    if let Some(date) = when.date {
        commands.push(Command::SetDate { date });
    }
    if let Some(weekday) = when.bare_weekday {
        commands.push(Command::SetWeekday { weekday });
    }
    if let Some(part) = when.part {
        commands.push(Command::SetPart { part });
    }
    if let Some(monday) = when.week.filter(|_| when.date.is_none()) {
        commands.push(Command::SetWeek { monday });
    }
    // The message's words, punctuation and case aside: read once for the checks below.
    let said = words_of(text);
    let says_move = said.iter().any(|w| MOVE_VERBS.contains(&w.as_str()));
    // "move it from 8 to 10": from the old time to the new one, not a window.
    let moves = says_move && said.iter().any(|w| w == "from");
    // "after lunch like 1", "in the afternoon, say 3": the hour said for the window.
    let windowed = commands.iter().any(|c| {
        matches!(
            c,
            Command::TimeRule {
                rule: TimeRule::After(_) | TimeRule::Before(_)
            }
        )
    });
    let hour = if windowed && when.time.is_none() {
        hour_after(&said, &["like", "say", "maybe", "ideally"])
    } else if says_move && when.time.is_none() && when.date.is_none() {
        // "move the appt to 1 same day": a bare hour after "to" when the appointment moves.
        hour_after(&said, &["to"])
    } else {
        None
    };
    if let Some(time) = hour {
        commands.push(Command::SetTime { time });
    }
    match (when.time, when.until) {
        (Some(from), Some(until)) if moves => {
            commands.push(Command::TimeRule {
                rule: TimeRule::Not(from),
            });
            commands.push(Command::SetTime { time: until });
        }
        // "between 10 and 2", "9-11": a window, not a time.
        (Some(from), Some(until)) if until > from => {
            commands.push(Command::TimeRule {
                rule: TimeRule::After(from),
            });
            commands.push(Command::TimeRule {
                rule: TimeRule::Before(until),
            });
        }
        (Some(time), _) => commands.push(Command::SetTime { time }),
        _ => {}
    }
    for span in &when.spans {
        blank(&mut masked, *span);
    }
    let rest = String::from_utf8_lossy(&masked).into_owned();
    let words = words_of(&rest);

    // Flow control and answers.
    // "cancel" alone ends what is under way; "cancel ORD-2025-003" cancels that project.
    let names_project = commands
        .iter()
        .any(|c| matches!(c, Command::SetProject { .. }));
    // "nvm, go back to monday the 24th at 8": a change of mind, not a stop.
    let changes_mind = ["never mind", "nevermind", "nvm"]
        .iter()
        .any(|p| has_phrase(&words, p, 0))
        && (when.date.is_some() || when.time.is_some());
    let cancel_flow = (!changes_mind
        && CANCEL_FLOW_PHRASES.iter().any(|p| has_phrase(&words, p, 0)))
        || (has_phrase(&words, "cancel", 0) && words.len() == 1 && !names_project);
    // A weak leading word ("ok", "so", "right") is a yes only in a short message: "ok so like
    // the thing w the uh" says nothing yet.
    // "ok yes, confirm it": a strong yes after weak ones is still first.
    let weak_lead = words
        .iter()
        .take_while(|w| WEAK_AFFIRM.contains(&w.as_str()))
        .count();
    let affirm = starts_with_any(&words[weak_lead..], STRONG_AFFIRM)
        || AFFIRM_PHRASES.iter().any(|p| has_phrase(&words, p, 0))
        || (words.len() <= 3
            && words
                .iter()
                .any(|w| STRONG_AFFIRM.contains(&w.as_str()) || WEAK_AFFIRM.contains(&w.as_str())))
        || words == ["please"]
        // "👍" alone, or with thanks: "👍 thx".
        || (text.contains(['👍', '👌', '✅', '🆗'])
            && words
                .iter()
                .all(|w| THANKS.contains(&w.as_str()) || WEAK_AFFIRM.contains(&w.as_str())))
        // "ok just the gutters then, yes": a yes said last, on its own.
        || text
            .rsplit([',', '.', ';', '!'])
            .find(|clause| !clause.trim().is_empty())
            .is_some_and(|last| {
                let last = words_of(last);
                last.len() == 1 && STRONG_AFFIRM.contains(&last[0].as_str())
            }) && words.len() > 1;
    // "yeah but make it 1", "ok except not the 4th": a yes with a condition is not a yes.
    let affirm = affirm && !said.iter().any(|w| QUALIFIERS.contains(&w.as_str()));
    // "ok and he gets here at 8, right?": an "ok" that goes on to ask is no yes.
    let weak_then_asks = words
        .first()
        .is_some_and(|w| WEAK_AFFIRM.contains(&w.as_str()))
        && !words.iter().any(|w| STRONG_AFFIRM.contains(&w.as_str()))
        && words.len() > 2
        && text.contains('?');
    let affirm = affirm && !weak_then_asks;
    // "actually wait don't cancel it, just move it": the verb taken back is no request.
    let (words, takes_back) = without_negated_requests(&words);
    let deny = takes_back
        || starts_with_any(&words, DENY)
        || DENY_PHRASES.iter().any(|p| has_phrase(&words, p, 0));
    // "forget the note, just the booking": one request dropped, not everything stopped.
    let dropped = dropped_request(&words);
    if let Some(intent) = dropped {
        commands.push(Command::Drop { intent });
    } else if cancel_flow {
        commands.push(Command::CancelFlow);
    } else if deny {
        commands.push(Command::Deny);
    } else if affirm {
        commands.push(Command::Affirm);
    }

    // Small talk.
    if starts_with_any(&words, GREETINGS) {
        commands.push(Command::SmallTalk {
            kind: SmallTalk::Greeting,
        });
    }
    if words.iter().any(|w| THANKS.contains(&w.as_str())) {
        commands.push(Command::SmallTalk {
            kind: SmallTalk::Thanks,
        });
    }
    if words.iter().any(|w| GOODBYES.contains(&w.as_str())) || has_phrase(&words, "see you", 0) {
        commands.push(Command::SmallTalk {
            kind: SmallTalk::Goodbye,
        });
    }

    // Intents: the first phrase in table order wins, so specific ones come first. "book it" is
    // an answer, not a new booking; "cancel" alone ends the current flow.
    let intent_words: Vec<String> = if affirm {
        strip_phrases(&words, &["book it", "book that", "confirm"])
    } else {
        words.clone()
    };
    // A storm door is a door, not a storm.
    let intent_words = strip_phrases(
        &intent_words,
        &["storm door", "storm doors", "storm window", "storm windows"],
    );
    let intent_words = without_other_moves(&intent_words);
    let intent = INTENT_PHRASES
        .iter()
        .find(|(phrase, _)| has_phrase(&intent_words, phrase, 3))
        .map(|(_, intent)| *intent)
        .filter(|intent| !(cancel_flow && *intent == Intent::Cancel))
        .filter(|intent| {
            dropped.is_none_or(|d| {
                d != *intent && !(d == Intent::Schedule && *intent == Intent::Cancel)
            })
        })
        // "cancel WC-1003": the verb and the project it names.
        .or_else(|| (names_project && has_phrase(&words, "cancel", 0)).then_some(Intent::Cancel));
    // "could the cabinet install happen a week earlier?", "the soonest you can do the window
    // install?": a project with days or times ruled in or out is a booking, whatever the verb.
    let wants_a_slot = commands
        .iter()
        .any(|c| matches!(c, Command::DateRule { .. } | Command::TimeRule { .. }))
        || ["earliest", "soonest", "first available", "next available"]
            .iter()
            .any(|p| has_phrase(&words, p, 0));
    let names_any_project = names_project
        || words
            .iter()
            .any(|w| !INTENT_WORDS.contains(&w.as_str()) && lexicon::trade_word(w).is_some());
    // "can the roof crew come fri the 22nd?": asking for a visit on a day is a booking, not a
    // question about the crew.
    let asks_for_a_visit = ["can", "could"]
        .iter()
        .any(|w| words.contains(&w.to_string()))
        && ["come", "make it", "do it"]
            .iter()
            .any(|p| has_phrase(&words, p, 0))
        && (when.date.is_some() || when.week.is_some() || commands.iter().any(Command::is_when));
    // "my installer never showed up yesterday": a complaint, never a booking or a question
    // about the crew. A note ("tell the crew the dog is unhappy") or a cancellation asked for
    // in the same breath stays what it is.
    let complains = COMPLAINTS.iter().any(|p| has_phrase(&said, p, 1));
    let intent = match intent {
        Some(Intent::AddNote | Intent::Cancel | Intent::Handoff | Intent::ViewNotes) => intent,
        _ if complains => Some(Intent::Complaint),
        None | Some(Intent::Status) if wants_a_slot && names_any_project => Some(Intent::Schedule),
        Some(Intent::Technician) if asks_for_a_visit => Some(Intent::Schedule),
        // "the remodel crew says they'll be out by the 21st, so can we do the laminate monday
        // the 24th? 8am": a project, a day and a time, and no one asked about.
        Some(Intent::Technician)
            if names_any_project
                && when.date.is_some()
                && when.time.is_some()
                && !said
                    .iter()
                    .any(|w| matches!(w.as_str(), "who" | "whos" | "whose")) =>
        {
            Some(Intent::Schedule)
        }
        other => other,
    };
    // "wait its the 4th at 1 right?", "is that still at 7am?": checking the appointment, not
    // asking for that day and time.
    let checks_the_visit = text.trim_end().ends_with('?')
        && (when.date.is_some() || when.time.is_some())
        && matches!(intent, None | Some(Intent::Status))
        && (said
            .last()
            .is_some_and(|w| matches!(w.as_str(), "right" | "correct" | "still"))
            || [
                "is it",
                "is that",
                "its still",
                "is it still",
                "is that still",
                "its the",
                "its at",
                "thats the",
                "thats at",
            ]
            .iter()
            .any(|p| has_phrase(&said, p, 0)));
    let intent = if checks_the_visit {
        commands.retain(|c| !c.is_when() && *c != Command::Affirm);
        Some(Intent::Status)
    } else {
        intent
    };
    // "i won't be home that day": the appointment has to move.
    let intent = match intent {
        None | Some(Intent::Schedule) if sentences(text).into_iter().any(away_that_day) => {
            Some(Intent::Reschedule)
        }
        other => other,
    };
    // Where the note's own words begin: what they name is the note, not the request.
    let mut note_at = None;
    // "fyi the dog will be inside", "please call before you come, gate code is 4412": said
    // for the crew though no one was told to tell them.
    let loose_note = match intent {
        None | Some(Intent::Status | Intent::Technician) => crew_note(text),
        _ => None,
    };
    let intent = if loose_note.is_some() {
        Some(Intent::AddNote)
    } else {
        intent
    };
    if let Some(note) = loose_note {
        commands.retain(|c| !c.is_when());
        commands.push(Command::Start {
            intent: Intent::AddNote,
        });
        commands.push(Command::SetNote { text: note });
    } else if let Some(intent) = intent {
        commands.push(Command::Start { intent });
        if intent == Intent::AddNote
            && let Some(note) = note_text(text)
        {
            note_at = text.find(note.as_str());
            // "tell the crew I'm home after 2": the day and time are the note's words, not a
            // day or time for anything else.
            if let Some(at) = text.find(note.as_str()) {
                let end = at + note.len();
                let spans = when.spans.iter().chain(&ruled.spans);
                if spans.clone().next().is_some()
                    && spans.clone().all(|(a, _)| (at..end).contains(a))
                {
                    commands.retain(|c| !c.is_when());
                }
            }
            commands.push(Command::SetNote { text: note });
        }
    }

    // Picks from the list on offer: "the first one", "the second date", "the earliest",
    // "the last slot", "option 2", a number alone.
    let rest_tokens = tokenize(&rest);
    let list_kind = list_kind_of(&words);
    let mut picked = false;
    // "the second to last", "not the very last one, the one before that".
    if [
        "second to last",
        "next to last",
        "second last",
        "one before last",
        "penultimate",
    ]
    .iter()
    .any(|p| has_phrase(&words, p, 1))
        || (has_phrase(&words, "last", 0)
            && ["before that", "before it", "one before"]
                .iter()
                .any(|p| has_phrase(&words, p, 0)))
    {
        commands.push(Command::Choose {
            pick: Pick::BeforeLast,
            list: list_kind,
        });
        picked = true;
    }
    let scanned = if picked { &[][..] } else { &rest_tokens[..] };
    for (k, t) in scanned.iter().enumerate() {
        let next_is_noun = rest_tokens
            .get(k + 1)
            .is_some_and(|n| n.is_any(CHOICE_NOUNS));
        // "one" is read as the number 1.
        let next_is_one = rest_tokens
            .get(k + 1)
            .is_some_and(|n| n.is_word("one") || (n.num() == Some(1) && n.digits() == 0));
        // "the later of the morning ones".
        let next_is_of = rest_tokens.get(k + 1).is_some_and(|n| n.is_word("of"));
        // "first" is a pick after "the" or before what is picked, not in "drop the kids at
        // school first".
        let first_is_pick = k
            .checked_sub(1)
            .and_then(|p| rest_tokens.get(p))
            .is_some_and(|p| p.is_any(&["the", "your", "ur"]))
            || next_is_noun
            || next_is_one
            || rest_tokens.get(k + 1).is_some_and(|n| {
                n.is_any(&[
                    "available",
                    "possible",
                    "thing",
                    "opening",
                    "come",
                    "day",
                    "time",
                ])
            });
        let pick = match (&t.tok, t.word()) {
            (Tok::Ord(1), _)
                if !first_is_pick && rest[t.start..t.end].eq_ignore_ascii_case("first") =>
            {
                None
            }
            (Tok::Ord(n), _) if *n >= 1 && *n <= 20 => Some(Pick::Nth(*n as usize - 1)),
            (_, Some("earliest" | "soonest")) => Some(Pick::Nth(0)),
            (_, Some("first")) if first_is_pick => Some(Pick::Nth(0)),
            // "the earlier one", "the later one", "the later of the two".
            (_, Some("earlier")) if next_is_one || next_is_of => Some(Pick::Nth(0)),
            (_, Some("later")) if next_is_one || next_is_of => Some(Pick::Last),
            // "the last one", "the latest, please".
            (_, Some("last" | "latest"))
                if next_is_noun
                    || next_is_one
                    || rest_tokens.len() <= 3
                    || rest_tokens.get(k + 1).is_none_or(|n| {
                        n.word().is_none() || n.is_any(&["please", "pls", "thanks"])
                    }) =>
            {
                Some(Pick::Last)
            }
            _ => None,
        };
        if let Some(pick) = pick {
            // The noun the pick is said of ("the first afternoon time"), else any in the message.
            let list = rest_tokens[k + 1..]
                .iter()
                .take(3)
                .find_map(|n| n.word().map(|w| list_kind_of(&[w.to_string()])))
                .filter(|kind| *kind != ListKind::Any)
                .unwrap_or(list_kind);
            // "earliest one after lunch": the first day, and on it the first time that fits.
            let bounded = commands.iter().any(|c| {
                matches!(
                    c,
                    Command::SetPart { .. }
                        | Command::TimeRule {
                            rule: TimeRule::After(_) | TimeRule::Before(_)
                        }
                )
            });
            if bounded && t.is_any(&["earliest", "soonest"]) {
                commands.push(Command::TimeRule {
                    rule: TimeRule::Earliest,
                });
            }
            commands.push(Command::Choose { pick, list });
            picked = true;
            break;
        }
        if (t.is_any(&["option", "number", "choice"]) || t.is_punct('#'))
            && let Some(n) = rest_tokens
                .get(k + 1)
                .and_then(|n| n.num())
                .filter(|n| (1..=20).contains(n))
        {
            commands.push(Command::Choose {
                pick: Pick::Nth(n as usize - 1),
                list: list_kind,
            });
            picked = true;
            break;
        }
    }
    if !picked {
        // "do that one", "the other one": "one" after a determiner is no number.
        let numbers: Vec<u32> = rest_tokens
            .iter()
            .enumerate()
            .filter(|(k, t)| {
                !(t.digits() == 0
                    && t.num() == Some(1)
                    && k.checked_sub(1)
                        .and_then(|k| rest_tokens[k].word())
                        .is_some_and(|w| ONE_DETERMINERS.contains(&w)))
            })
            .filter_map(|(_, t)| t.num())
            .collect();
        // A leading yes is not part of the answer: "yes 2" picks the second, "yeah but make it
        // 1" is an hour.
        let core: &[String] = match words.split_first() {
            Some((first, rest)) if STRONG_AFFIRM.contains(&first.as_str()) => rest,
            _ => &words,
        };
        let only_fillers = core.iter().all(|w| {
            FILLER_WORDS.contains(&w.as_str())
                || w.parse::<u32>().is_ok()
                || lexicon::UNITS.iter().any(|(u, _)| u == w)
        });
        // "the doors, 1030 if u have it": a clock time may come with the project it is for.
        let fillers_and_projects = core.iter().all(|w| {
            FILLER_WORDS.contains(&w.as_str())
                || w.parse::<u32>().is_ok()
                || lexicon::trade_word(w).is_some()
        });
        if numbers.len() == 1
            && fillers_and_projects
            && !only_fillers
            && when.time.is_none()
            && let Some(time) = run_together_time(numbers[0])
        {
            commands.push(Command::SetTime { time });
        }
        if numbers.len() == 1 && only_fillers && when.time.is_none() {
            let value = numbers[0];
            if let Some(time) = run_together_time(value) {
                // "1030", "330 works", "0900": a clock time written without its colon.
                commands.push(Command::SetTime { time });
            } else if core.len() == 1 {
                commands.push(Command::Number { value });
            } else if let Some(time) = constraints::business_hour(value) {
                // "make it 3 instead": an hour, read inside business hours.
                commands.push(Command::SetTime { time });
            }
        }
    }

    // Projects named by their trade ("the windows", "floor instalation"), or "that one".
    let before_note = note_at.map_or(rest.as_str(), |at| &rest[..at]);
    // "what's the weather that day? because we're moving the furniture to the patio": a
    // reason names no project.
    let before_note = because_at(before_note).map_or(before_note, |at| &before_note[..at]);
    let named_words = words_of(before_note);
    let trade = trade_words(&named_words);
    // "my pool fence install and the gutter repair": two projects, each its own words.
    let groups: Vec<Vec<String>> = project_groups(before_note)
        .into_iter()
        .filter(|g| !g.is_empty())
        .collect();
    if groups.len() > 1 {
        for group in groups {
            commands.push(Command::SetProject {
                project: ProjectRef::Words(group),
            });
        }
    } else if !trade.is_empty() {
        commands.push(Command::SetProject {
            project: ProjectRef::Words(trade),
        });
    } else if [
        "that one",
        "this one",
        "that project",
        "this project",
        "same one",
        "same project",
    ]
    .iter()
    .any(|p| has_phrase(&words, p, 0))
        && !picked
    {
        commands.push(Command::SetProject {
            project: ProjectRef::InFocus,
        });
    }

    // "I meant the back door, not the side door": said of words, not of a day or a project.
    // "es la cerca (the fence) no el deck": a gloss in brackets is said beside, not inside.
    let unbracketed = without_brackets(text);
    // "the note: park on the street not in the driveway": a note's own "not" is its words.
    let inside_note = |old: &str| {
        commands.iter().any(
            |c| matches!(c, Command::SetNote { text } if fold_case(text).contains(&fold_case(old))),
        )
    };
    if !rules_said
        && let Some((old, new)) = revision(&unbracketed)
        && !inside_note(&old)
    {
        // "I meant the fence not the deck. the deck can wait": the project taken back is not
        // the one meant, wherever else the message names it.
        let taken_back: Vec<String> = trade_words(&words_of(&old))
            .into_iter()
            .filter(|w| !trade_words(&words_of(&new)).contains(w))
            .collect();
        for command in &mut commands {
            if let Command::SetProject {
                project: ProjectRef::Words(words),
            } = command
                && words.iter().any(|w| !taken_back.contains(w))
            {
                words.retain(|w| !taken_back.contains(w));
            }
        }
        commands.push(Command::Revise { old, new });
    }

    // A complaint carries whom or what it is about, nothing to act on: its day is when it went
    // wrong, its "3rd" how often.
    if intent == Some(Intent::Complaint) {
        commands.retain(|c| {
            matches!(
                c,
                Command::Start { .. } | Command::SetProject { .. } | Command::SmallTalk { .. }
            )
        });
    }
    if commands.is_empty() {
        commands.push(Command::Unclear);
    }
    let unaccounted = unaccounted_words(&rest, &commands);
    Understanding {
        commands,
        when,
        signals,
        answer_first: false,
        language: None,
        unaccounted,
        words: Vec::new(),
    }
}

/// Every word some table of the rules reads, and the little words around them.
static KNOWN_WORDS: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        let phrases = INTENT_PHRASES
            .iter()
            .map(|(p, _)| *p)
            .chain(REQUEST_NOUNS.iter().map(|(p, _)| *p))
            .chain(
                [
                    COMPLAINTS,
                    WEAK_AFFIRM,
                    QUALIFIERS,
                    STRONG_AFFIRM,
                    AFFIRM_PHRASES,
                    DENY,
                    DENY_PHRASES,
                    CANCEL_FLOW_PHRASES,
                    GREETINGS,
                    THANKS,
                    GOODBYES,
                    FILLER_WORDS,
                    CREW_CUES,
                    NOTE_OPENERS,
                    SAID_OF,
                    DROP_WORDS,
                    INTENT_WORDS,
                    WHEN_FILLERS,
                    REVISION_LEADS,
                    PROJECT_FILLERS,
                    WORKER_NOUNS,
                    CHOICE_NOUNS,
                    COMMON_WORDS,
                ]
                .into_iter()
                .flatten()
                .copied(),
            );
        phrases.flat_map(str::split_whitespace).collect()
    });

/// Words before "one" that make it a pronoun: "that one", "the other one".
const ONE_DETERMINERS: &[&str] = &[
    "that", "this", "the", "which", "other", "another", "any", "each", "same", "either", "neither",
    "no", "later", "earlier", "first", "last", "latest", "earliest", "good", "best",
];

/// Words that carry no request of their own.
const COMMON_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "my",
    "our",
    "your",
    "ur",
    "to",
    "for",
    "on",
    "at",
    "in",
    "of",
    "and",
    "or",
    "is",
    "it",
    "its",
    "i",
    "im",
    "me",
    "we",
    "us",
    "you",
    "u",
    "can",
    "could",
    "would",
    "will",
    "do",
    "does",
    "did",
    "be",
    "are",
    "r",
    "was",
    "have",
    "has",
    "had",
    "get",
    "got",
    "need",
    "want",
    "wanna",
    "like",
    "just",
    "so",
    "if",
    "with",
    "from",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "what",
    "when",
    "who",
    "how",
    "which",
    "where",
    "why",
    "all",
    "any",
    "some",
    "one",
    "two",
    "too",
    "also",
    "then",
    "now",
    "again",
    "still",
    "yet",
    "please",
    "pls",
    "up",
    "out",
    "by",
    "about",
    "as",
    "not",
    "no",
    "yes",
    "ok",
    "okay",
    "appointment",
    "appt",
    "project",
    "job",
    "order",
    "day",
    "date",
    "time",
    "week",
    "month",
    "am",
    "pm",
    "hey",
    "hi",
];

/// How many words of what is left of the message (days, times and rules taken out) no table
/// reads: the words a rule-based reading may have missed. A note's words are its own.
fn unaccounted_words(rest: &str, commands: &[Command]) -> usize {
    let note: Vec<String> = commands
        .iter()
        .filter_map(|c| match c {
            Command::SetNote { text } => Some(words_of(text)),
            _ => None,
        })
        .flatten()
        .collect();
    words_of(rest)
        .iter()
        .filter(|w| {
            !KNOWN_WORDS.contains(w.as_str())
                && !note.contains(w)
                && w.parse::<u32>().is_err()
                && lexicon::trade_word(w).is_none()
                && lexicon::weekday(w).is_none()
                && lexicon::month(w).is_none()
        })
        .count()
}

/// What is only ever said for the crew.
const CREW_CUES: &[&str] = &[
    "fyi",
    "gate code",
    "door code",
    "garage code",
    "lockbox",
    "lock box",
    "code is",
    "call before",
    "call me before",
    "text before",
    "text me before",
    "call when",
    "text when",
    "call ahead",
    "park in",
    "park on",
    "the dog",
    "my dog",
    "our dog",
    "the dogs",
    "the cat",
    "our cats",
    "pets",
    "knock",
    "doorbell",
    "ring the bell",
    "use the side",
    "use the back",
    "side gate",
    "back gate",
    "key under",
    "will be home",
    "wont be home",
    "not be home",
    "the gate",
    "baby",
    "use the back door",
    "use the side door",
    "park",
    "call my",
    "text my",
    "phonenumber",
];
/// Words that open a note said in passing and are not part of it.
const NOTE_OPENERS: &[&str] = &[
    "fyi",
    "btw",
    "also",
    "just so you know",
    "heads up",
    "oh and",
];

/// A note for the crew said without asking to leave one: the message, less "fyi" and "for
/// the front door appt —" before it.
fn crew_note(text: &str) -> Option<String> {
    let words = words_of(text);
    if !CREW_CUES.iter().any(|cue| has_phrase(&words, cue, 0)) && !tells_the_crew(&words) {
        return None;
    }
    // "what time do they show up? do i need to be home or can i just leave the side gate
    // open?": questions for us to answer, not words for the crew. The note is what is said,
    // not asked.
    let said: Vec<&str> = sentences(text)
        .into_iter()
        .filter(|s| !asks_us(s) && !away_that_day(s))
        .collect();
    let said_words = words_of(&said.join(" "));
    if !CREW_CUES.iter().any(|cue| has_phrase(&said_words, cue, 0)) && !tells_the_crew(&said_words)
    {
        return None;
    }
    let joined = said.join(" ");
    let text = joined.trim();
    let lower = fold_case(text);
    let mut start = 0;
    // "for the front door appt - …", "re the roof job: …": which project, then the note.
    if ["for ", "re ", "about "]
        .iter()
        .any(|w| lower.starts_with(w))
        && let Some(at) = lower.find(['-', ':', ','])
    {
        start = at + 1;
    }
    let mut note = text[start..].trim_start_matches([' ', ',', '-', ':']);
    for opener in NOTE_OPENERS {
        let lowered = fold_case(note);
        if lowered.starts_with(opener) && lowered[opener.len()..].starts_with([' ', ',', ':']) {
            note = note[opener.len()..].trim_start_matches([' ', ',', ':', '-']);
        }
    }
    let note = note.trim();
    (note.chars().filter(|c| c.is_alphanumeric()).count() >= 4).then(|| note.to_string())
}

/// Whether a sentence is a question for us to answer — "what time do they show up?", "do i
/// need to be home?", "should we move the cars?" — rather than a request of the crew ("can the
/// guys call before they come?").
fn asks_us(sentence: &str) -> bool {
    let words = words_of(sentence);
    sentence.trim_end().ends_with('?')
        && match words.as_slice() {
            [first, ..]
                if [
                    "what", "when", "how", "who", "where", "why", "which", "whats",
                ]
                .contains(&first.as_str()) =>
            {
                true
            }
            [aux, who, ..] => {
                [
                    "do", "should", "can", "could", "will", "would", "am", "must", "need", "shall",
                    "is", "are", "does",
                ]
                .contains(&aux.as_str())
                    && ["i", "we", "it", "there"].contains(&who.as_str())
            }
            _ => false,
        }
}

/// Whether a sentence says the customer cannot be there on the appointment's day — "i won't
/// be home that day", "we can't make it then", "not available that day" — a reason to move
/// it, not words for the crew ("i won't be home, the key is under the mat" is a note).
pub(crate) fn away_that_day(sentence: &str) -> bool {
    let words = words_of(sentence);
    let cannot = [
        "wont be",
        "not be",
        "cant be",
        "not available",
        "not going to be",
        "not gonna be",
        "cant make",
        "cannot make",
        "wont make",
        "unavailable",
        "out of town",
        "away",
    ]
    .iter()
    .any(|p| has_phrase(&words, p, 1));
    let that_day = ["that day", "that date", "that week", "then", "that morning"]
        .iter()
        .any(|p| has_phrase(&words, p, 0));
    let for_the_crew = ["key", "code", "gate", "door", "leave", "unlocked", "open"]
        .iter()
        .any(|w| words.iter().any(|x| x == w));
    cannot && that_day && !for_the_crew
}

/// Where a reason begins ("because", "cause", "since"), when something comes before it.
fn because_at(text: &str) -> Option<usize> {
    let lower = fold_case(text);
    [" because ", " cause ", " cuz ", " bc ", " since "]
        .iter()
        .filter_map(|m| lower.find(m))
        .filter(|at| lower[..*at].chars().any(char::is_alphanumeric))
        .min()
}

/// `text` without what it says in round brackets.
fn without_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The sentences of `text`, each with its closing mark.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if matches!(c, '?' | '!' | '.')
            && text[at + c.len_utf8()..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        {
            out.push(&text[start..at + c.len_utf8()]);
            start = at + c.len_utf8();
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(&text[start..]);
    }
    out
}

/// "should i move the cars out of the driveway": a "move" whose object is not an appointment,
/// a project or a day is not a reschedule. The words with such a "move" taken out.
fn without_other_moves(words: &[String]) -> Vec<String> {
    const DETERMINERS: &[&str] = &["the", "my", "our", "your", "his", "her", "their", "all"];
    const OURS: &[&str] = &[
        "appointment",
        "appointments",
        "appt",
        "installation",
        "install",
        "job",
        "visit",
        "it",
        "that",
        "this",
        "date",
        "day",
        "time",
        "booking",
        "them",
        "to",
        "up",
        "back",
        "forward",
        "earlier",
        "later",
        "a",
        "one",
        "out",
        "over",
        "everything",
    ];
    let mut out = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        if w == "move" {
            let object = words[i + 1..]
                .iter()
                .find(|x| !DETERMINERS.contains(&x.as_str()));
            let ours = object.is_none_or(|x| {
                OURS.contains(&x.as_str())
                    || lexicon::trade_word(x).is_some()
                    || lexicon::weekday(x).is_some()
                    || x.chars().all(|c| c.is_ascii_digit())
            });
            if !ours {
                continue;
            }
        }
        out.push(w.clone());
    }
    out
}

/// Verbs that move an appointment.
const MOVE_VERBS: &[&str] = &[
    "move",
    "change",
    "switch",
    "push",
    "bump",
    "reschedule",
    "resched",
];

/// A bare hour (1 to 12, read in business hours) said right after one of `words`.
fn hour_after(said: &[String], words: &[&str]) -> Option<chrono::NaiveTime> {
    said.windows(2)
        .find(|w| words.contains(&w[0].as_str()))
        .and_then(|w| constraints::bare_hour(&w[1]))
}

/// The words without a request taken back ("don't cancel it", "I do not want to book that",
/// "no need to move it"), and whether there was one: a "no" to that request, never the request.
fn without_negated_requests(words: &[String]) -> (Vec<String>, bool) {
    const VERBS: &[&str] = &[
        "cancel",
        "book",
        "schedule",
        "move",
        "reschedule",
        "change",
        "add",
        "push",
        "resched",
    ];
    const BETWEEN: &[&str] = &[
        "want", "wanna", "need", "to", "please", "pls", "go", "ahead", "and",
    ];
    let mut out = Vec::with_capacity(words.len());
    let mut found = false;
    let mut i = 0;
    while i < words.len() {
        let negation = match words[i].as_str() {
            "dont" | "didnt" => 1,
            "do" | "did" if words.get(i + 1).is_some_and(|w| w == "not") => 2,
            "no" if words.get(i + 1).is_some_and(|w| w == "need") => 1,
            _ => 0,
        };
        if negation > 0 {
            let mut j = i + negation;
            while j < words.len() && j - i < negation + 4 && BETWEEN.contains(&words[j].as_str()) {
                j += 1;
            }
            if words.get(j).is_some_and(|w| VERBS.contains(&w.as_str())) {
                found = true;
                i = j + 1;
                continue;
            }
        }
        out.push(words[i].clone());
        i += 1;
    }
    (out, found)
}

/// "1030" is 10:30, "330" 3:30 (in business hours: 15:30), "1400" 14:00; a number that cannot
/// be a clock time is none.
fn run_together_time(value: u32) -> Option<chrono::NaiveTime> {
    if !(100..=2359).contains(&value) {
        return None;
    }
    let (hour, minute) = (value / 100, value % 100);
    if minute >= 60 {
        return None;
    }
    // 7:30 is a morning start; 1 to 6 are afternoon hours in business time.
    let hour = if (1..=6).contains(&hour) {
        hour + 12
    } else {
        hour
    };
    chrono::NaiveTime::from_hms_opt(hour, minute, 0)
}

/// The trade words of each project named apart ("the pool fence install and the gutter
/// repair"): the text cut at "and", "&" and "plus", each part's trade words. A comma does not
/// part them: "reschedule my windows, the floor is fine" asks nothing of the floor.
fn project_groups(text: &str) -> Vec<Vec<String>> {
    let lower = fold_case(text);
    lower
        .split('&')
        .flat_map(|part| part.split(" and "))
        .flat_map(|part| part.split(" plus "))
        .map(|part| {
            let words = words_of(part);
            // "… and the floor is fine": said of a project, not asked for it.
            if words.iter().any(|w| SAID_OF.contains(&w.as_str())) {
                return Vec::new();
            }
            trade_words(&words)
        })
        .collect()
}

/// The trade words of `words`, each once, in order: typos tolerated, but never in a word that
/// names an action; "the new gutters" is an installation; "front door" a door ("door" alone
/// is too often the house's own: "use the back door").
fn trade_words(words: &[String]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).map(String::as_str);
        let word = match w.as_str() {
            "new" if next.and_then(lexicon::trade_word).is_some() => Some("installation"),
            // "the sliding door": a door, and which one.
            "front" | "entry" | "storm" | "sliding" | "french"
                if matches!(next, Some("door" | "doors")) =>
            {
                // ("storm" and "front" alone name nothing: "in a storm", "park in front".)
                let which = if w == "front" {
                    Some("entry")
                } else {
                    lexicon::trade_word(w)
                };
                for word in [which, Some("doors")].into_iter().flatten() {
                    if !found.iter().any(|f| f == word) {
                        found.push(word.to_string());
                    }
                }
                None
            }
            // "the door install", "door repair": the project, not the house's door.
            "door"
                if matches!(
                    next,
                    Some(
                        "install"
                            | "installation"
                            | "instal"
                            | "repair"
                            | "replacement"
                            | "job"
                            | "project"
                            | "measurement"
                            | "measure"
                    )
                ) =>
            {
                Some("doors")
            }
            _ if INTENT_WORDS.contains(&w.as_str()) => None,
            _ => lexicon::trade_word(w),
        };
        if let Some(word) = word
            && !found.iter().any(|f| f == word)
        {
            found.push(word.to_string());
        }
    }
    found
}

/// Words that say something of a project rather than ask for it.
const SAID_OF: &[&str] = &[
    "is", "are", "fine", "ok", "okay", "good", "wait", "stays", "alone",
];

/// Verbs that drop a request: "forget the note", "skip the note", "no note".
const DROP_WORDS: &[&str] = &["forget", "skip", "drop", "scrap", "scratch"];
/// What a dropped request is called: "the note", "the booking".
const REQUEST_NOUNS: &[(&str, Intent)] = &[
    ("note", Intent::AddNote),
    ("notes", Intent::AddNote),
    ("booking", Intent::Schedule),
    ("appointment", Intent::Schedule),
    ("cancellation", Intent::Cancel),
    ("cancelling", Intent::Cancel),
    ("canceling", Intent::Cancel),
];

/// The kind of request a message drops: "forget the note", "never mind the booking", "don't
/// add the note", "no note".
fn dropped_request(words: &[String]) -> Option<Intent> {
    let verb_at = words.iter().enumerate().find_map(|(i, w)| {
        let two = words.get(i + 1).map(|n| format!("{w} {n}"));
        if ["no", "without"].contains(&w.as_str()) {
            // "no note", never "no, the note is fine".
            words
                .get(i + 1)
                .is_some_and(|n| REQUEST_NOUNS.iter().any(|(noun, _)| noun == n))
                .then_some(i + 1)
        } else if DROP_WORDS.contains(&w.as_str()) {
            Some(i + 1)
        } else if two
            .as_deref()
            .is_some_and(|t| ["never mind", "dont add", "dont leave", "dont put"].contains(&t))
        {
            Some(i + 2)
        } else {
            None
        }
    })?;
    words[verb_at..].iter().take(3).find_map(|w| {
        REQUEST_NOUNS
            .iter()
            .find(|(noun, _)| noun == w)
            .map(|(_, intent)| *intent)
    })
}

/// Words that name an action; never read as a typo of a trade word ("book" is not "roof").
const INTENT_WORDS: &[&str] = &[
    "both",
    "book",
    "schedule",
    "cancel",
    "help",
    "note",
    "notes",
    "hours",
    "open",
    "status",
    "move",
    "change",
    "time",
    "date",
    "please",
    "thanks",
    "today",
    "agent",
    "human",
    "soon",
    "week",
    "weeks",
    "days",
    "would",
    "could",
    "should",
    "which",
    "when",
    "where",
    "there",
    "their",
    "these",
    "those",
    "about",
    "other",
    "first",
    "second",
    "third",
    "last",
    "next",
    "this",
    "that",
    "what",
    "have",
    "need",
    "want",
    "like",
    "know",
    "with",
    "your",
    "mine",
    "also",
    "just",
    "instead",
    "appointment",
    "project",
    "projects",
    "slot",
    "slots",
    "earliest",
    "latest",
    "done",
    "good",
    "great",
    "sure",
    "okay",
    "fine",
    "then",
    "them",
    "they",
    "still",
    "does",
    "morning",
    "afternoon",
    "evening",
    "tell",
    "show",
    "give",
    "make",
    "take",
    "more",
    "less",
    "list",
    "view",
    "find",
    "look",
    "info",
    "installer",
    "installers",
    "technicians",
    "techs",
    "guys",
    "technician",
    "tech",
    "crew",
    "weather",
    "rain",
    "forecast",
    "details",
    "detail",
    "status",
    "someone",
    "person",
    "call",
    "door",
];

/// An order number at token `i`: letters joined to numbers by a dash or '#' ("WC-1001",
/// "ORD-2025-001"), or "ord"/"order" followed by a number ("ord 40113", "order #1001", which
/// gives just the number). Returns the token after it and the reference.
fn order_number(
    text: &str,
    tokens: &[crate::understand::tokens::Token],
    i: usize,
) -> Option<(usize, String)> {
    let t = tokens.get(i)?;
    let word = t.word()?;
    let joined = word.len() <= 5
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && tokens
            .get(i + 1)
            .is_some_and(|n| (n.is_punct('-') || n.is_punct('#')) && n.start == t.end)
        && tokens
            .get(i + 2)
            .is_some_and(|n| n.digits() > 0 && n.start == tokens[i + 1].end);
    let prefixed = matches!(word, "ord" | "order");
    if !joined && !prefixed {
        return None;
    }
    let mut j = i + 1;
    while tokens
        .get(j)
        .is_some_and(|n| n.is_any(&["number", "no", "num"]) || n.is_punct('#') || n.is_punct('.'))
    {
        j += 1;
    }
    let mut parts = Vec::new();
    while let Some(n) = tokens.get(j) {
        if n.digits() > 0 {
            parts.push(&text[n.start..n.end]);
            j += 1;
        } else if (n.is_punct('-') || n.is_punct('#'))
            && tokens.get(j + 1).is_some_and(|d| d.digits() > 0)
        {
            j += 1;
        } else {
            break;
        }
    }
    if parts.is_empty() {
        return None;
    }
    let reference = if joined || word == "ord" {
        format!("{}-{}", word.to_ascii_uppercase(), parts.join("-"))
    } else {
        parts.join("-")
    };
    Some((j, reference))
}

fn list_kind_of(words: &[String]) -> ListKind {
    for w in words {
        match w.as_str() {
            "date" | "dates" | "day" | "days" => return ListKind::Dates,
            "slot" | "slots" | "time" | "times" => return ListKind::Slots,
            "project" | "projects" => return ListKind::Projects,
            _ => {}
        }
    }
    ListKind::Any
}

/// Lower-case words, apostrophes dropped ("don't" → "dont").
pub(crate) fn words_of(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['\'', '’'], "")
        .split(|c: char| !c.is_alphanumeric() && c != '#')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether the first word that is not an interjection ("hmm", "oh", "well") is in `set`.
fn starts_with_any(words: &[String], set: &[&str]) -> bool {
    const INTERJECTIONS: &[&str] = &[
        "hmm", "hm", "mmm", "mm", "um", "uh", "oh", "well", "ah", "so", "actually", "oops",
    ];
    words
        .iter()
        .find(|w| !INTERJECTIONS.contains(&w.as_str()))
        .is_some_and(|w| set.contains(&w.as_str()))
}

/// Whether the words of `phrase` appear in order, at most `gap` other words between each.
fn has_phrase(words: &[String], phrase: &str, gap: usize) -> bool {
    let wanted: Vec<&str> = phrase.split(' ').collect();
    (0..words.len()).any(|start| {
        if words[start] != wanted[0] {
            return false;
        }
        let mut at = start;
        wanted[1..].iter().all(|w| {
            let window = words.iter().enumerate().skip(at + 1).take(gap + 1);
            match window.clone().find(|(_, x)| x == w) {
                Some((found, _)) => {
                    at = found;
                    true
                }
                None => false,
            }
        })
    })
}

fn strip_phrases(words: &[String], phrases: &[&str]) -> Vec<String> {
    let mut out = words.to_vec();
    for phrase in phrases {
        let parts: Vec<&str> = phrase.split(' ').collect();
        if let Some(at) = out
            .windows(parts.len())
            .position(|w| w.iter().zip(&parts).all(|(a, b)| a == b))
        {
            out.drain(at..at + parts.len());
        }
    }
    out
}

/// The text of a note, when the message carries it: after a colon, or after "that", "saying",
/// "to" in "add a note that …", "tell the installer to …".
/// Who a note is for, as in "tell the crew …".
/// Words that may sit around a day or time said for the booking: "and 10am for the time".
const WHEN_FILLERS: &[&str] = &[
    "and",
    "for",
    "the",
    "time",
    "at",
    "on",
    "is",
    "fine",
    "works",
    "please",
    "pls",
    "that",
    "day",
    "booking",
    "appointment",
    "make",
    "it",
    "also",
    "then",
    "date",
    "good",
];

/// A note's text without a last clause that is only a day or a time ("tell the crew to call
/// first, and 10am for the time": the note is "to call first").
fn without_trailing_when(note: &str) -> &str {
    let cuts = note
        .match_indices([',', ';'])
        .map(|(at, _)| at)
        .chain(note.match_indices(" and ").map(|(at, _)| at));
    let Some(cut) = cuts
        .filter(|at| {
            let tail = &note[*at..];
            let when = datetime::parse(tail, chrono::NaiveDateTime::MIN);
            let mut rest = tail.as_bytes().to_vec();
            for (a, b) in &when.spans {
                rest[*a..*b].fill(b' ');
            }
            !when.is_empty()
                && words_of(&String::from_utf8_lossy(&rest))
                    .iter()
                    .all(|w| WHEN_FILLERS.contains(&w.as_str()))
        })
        .min()
    else {
        return note;
    };
    note[..cut].trim_end()
}

/// Words that lead into a replacement ("oops, I meant …, not …").
const REVISION_LEADS: &[&str] = &[
    "oops",
    "sorry",
    "no",
    "wait",
    "actually",
    "i meant",
    "i mean",
    "meant",
    "it should be",
    "should be",
    "it should say",
    "should say",
    "make it",
    "make that",
    "change it to",
    "change that to",
    "change the note to",
    "change the note to say",
    "it's",
    "its",
    "please",
    "say",
    "to",
];

/// "X, not Y" and "X instead of Y": the words Y replaced by X.
fn revision(text: &str) -> Option<(String, String)> {
    let lower = fold_case(text);
    let (cut, skip) = [", not ", " not ", " instead of ", ", instead of "]
        .iter()
        .filter_map(|m| lower.find(m).map(|at| (at, m.len())))
        .min()?;
    // "i'm not available", "it's not working", "park on the street not in the driveway" is
    // a note's own words when the verb comes before "not": a "not" after a verb says no,
    // it does not put one thing in the place of another.
    let before = words_of(&lower[..cut]);
    if before
        .last()
        .is_some_and(|w| NOT_AFTER_VERB.contains(&w.as_str()))
    {
        return None;
    }
    let trim = |s: &str| {
        s.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '!' | '?' | '"'))
            .to_string()
    };
    // Only the sentence holding "not": "i meant the garage door not the front door. 830 on
    // the 16th" revises the door, and the time is read on its own.
    let sentence_end = |s: &str| {
        s.char_indices()
            .find(|(at, c)| {
                matches!(c, '.' | '!' | '?' | ';')
                    && s[at + c.len_utf8()..].starts_with(char::is_whitespace)
            })
            .map(|(at, _)| at)
    };
    let starts = text[..cut]
        .char_indices()
        .rfind(|(at, c)| {
            matches!(c, '.' | '!' | '?' | ';')
                && text[at + c.len_utf8()..cut].starts_with(char::is_whitespace)
        })
        .map_or(0, |(at, c)| at + c.len_utf8());
    let mut new = trim(&text[starts..cut]);
    loop {
        let folded = fold_case(&new);
        let Some(lead) = REVISION_LEADS
            .iter()
            .filter(|l| {
                folded.starts_with(*l)
                    && folded[l.len()..].starts_with(|c: char| !c.is_alphanumeric())
            })
            .max_by_key(|l| l.len())
        else {
            break;
        };
        new = trim(&new[lead.len()..]);
    }
    let rest = &text[cut + skip..];
    let old = trim(&rest[..sentence_end(rest).unwrap_or(rest.len())]);
    let short = |s: &str| (1..=8).contains(&s.split_whitespace().count());
    (short(&new) && short(&old)).then_some((old, new))
}

/// Words after which "not" negates a verb rather than taking one thing back for another.
const NOT_AFTER_VERB: &[&str] = &[
    "im", "is", "are", "was", "were", "will", "would", "do", "does", "did", "can", "could",
    "should", "be", "am", "its", "if", "or", "why", "whether", "have", "has", "had", "may",
    "might", "must", "thats", "were", "theyre", "youre", "hes", "shes", "isnt", "dont", "just",
    "probably", "still",
];

/// Words around a project's name: "my cabinet job", "the window install".
const PROJECT_FILLERS: &[&str] = &[
    "my",
    "the",
    "our",
    "job",
    "project",
    "order",
    "work",
    "appointment",
    "install",
    "please",
];

const NOTE_ADDRESSEES: &[&str] = &[
    " the crew ",
    " your crew ",
    " crew ",
    " them ",
    " the installer ",
    " the installers ",
    " the tech ",
    " the techs ",
    " the technician ",
    " the guys ",
    " the team ",
];

/// Nouns for whoever does the work.
const WORKER_NOUNS: &[&str] = &[
    "guy",
    "guys",
    "crew",
    "installer",
    "installers",
    "tech",
    "techs",
    "technician",
    "technicians",
    "team",
    "workers",
    "worker",
    "people",
    "folks",
];

/// What a crew is asked to do in a note said in passing.
const CREW_VERBS: &[&str] = &[
    "call", "text", "ring", "knock", "park", "use", "bring", "wear", "remove", "avoid", "close",
    "lock", "wait", "ask",
];

/// "have the workers call my daughter", "tell the guys to park on the street", "the crew
/// should knock": the crew asked to do something, which is a note for them.
fn tells_the_crew(words: &[String]) -> bool {
    words.iter().enumerate().any(|(k, word)| {
        if !WORKER_NOUNS.contains(&word.as_str()) {
            return false;
        }
        let asked_before = words[k.saturating_sub(3)..k]
            .iter()
            .any(|w| matches!(w.as_str(), "have" | "tell" | "ask" | "make" | "that"));
        let modal = words
            .get(k + 1)
            .is_some_and(|w| matches!(w.as_str(), "to" | "should" | "must" | "need" | "needs"));
        (asked_before || modal)
            && words
                .iter()
                .skip(k + 1)
                .take(3)
                .any(|w| CREW_VERBS.contains(&w.as_str()))
    })
}

/// Where "the window repair guy " ends in `after` (lower-case, after "tell"): a worker noun
/// within the next few words.
fn addressee_end(after: &str) -> Option<usize> {
    let mut at = 0;
    for word in after.split_inclusive(' ').take(6) {
        at += word.len();
        if WORKER_NOUNS.contains(&word.trim()) {
            return Some(at);
        }
    }
    None
}

fn note_text(text: &str) -> Option<String> {
    let lower = fold_case(text);
    // A colon that is not inside a time ("11:30").
    let colon = text.char_indices().find(|(at, c)| {
        *c == ':'
            && !(text[..*at].ends_with(|c: char| c.is_ascii_digit())
                && text[at + 1..].starts_with(|c: char| c.is_ascii_digit()))
    });
    // "change it to say …", "it should say …": what follows is the whole note.
    let said = ["should say ", "to say ", "make it say ", "have it say "]
        .iter()
        .filter_map(|m| lower.find(m).map(|at| at + m.len()))
        .min();
    let start = if let Some((colon, _)) = colon {
        colon + 1
    } else if let Some(at) = said {
        at
    } else {
        let (anchor, word) = ["note", "tell", "let them know", "know", "heads up"]
            .iter()
            .filter_map(|a| lower.find(a).map(|at| (at + a.len(), *a)))
            .min()?;
        let after = &lower[anchor..];
        // A marker leads to the note only after words that name whom or what it is for: in
        // "tell the crew its the upstairs windows that leak", "that" is inside the note.
        // "can you add a note for the crew? the gate code is 2580": after the sentence that
        // asks for it.
        let mut markers: Vec<(usize, usize)> = [
            " that ", " saying ", " says ", " to ", ": ", " - ", "? ", ". ", "! ",
        ]
        .iter()
        .filter_map(|m| after.find(m).map(|at| (at, m.len())))
        .filter(|(at, _)| {
            let before: Vec<&str> = after[..*at].split_whitespace().collect();
            before.len() <= 3
                        // "on the shower glass job that …": which project, then the note.
                        || (before.len() <= 6
                            && before
                                .first()
                                .is_some_and(|w| ["on", "for", "to", "about"].contains(w)))
                        || names_only_whom_or_what(&after[..*at])
        })
        .collect();
        markers.sort();
        // "a note to my flooring that the door sticks": "to" leads to the project, and the
        // note starts at the next marker.
        while let [(at, len), (next, _), ..] = markers.as_slice()
            && names_only_a_project(&after[at + len..*next])
        {
            markers.remove(0);
        }
        let marker = markers.first().copied();
        match marker {
            Some((at, len)) => anchor + at + len,
            // "tell the crew the dog is friendly", "tell the window repair guy the latch is
            // broken": what follows whoever is told.
            None => {
                let told = NOTE_ADDRESSEES
                    .iter()
                    .filter(|a| after.starts_with(*a))
                    .map(|a| a.len())
                    .max()
                    .or_else(|| addressee_end(after));
                match told {
                    Some(told) => anchor + told,
                    // "the crew should know its the upstairs windows": what they should know.
                    None if matches!(word, "know" | "heads up") => anchor,
                    None => return None,
                }
            }
        }
    };
    let note = text[start..]
        .trim_start_matches([',', ';', ' '])
        .trim()
        .trim_matches(|c: char| c == '"' || c == '\'' || c == '“' || c == '”')
        .trim();
    let note = without_trailing_when(note)
        .trim_end_matches([',', ';'])
        .trim_end();
    // "add a note to my cabinet job": what follows names the project, not the note.
    (note.chars().filter(|c| c.is_alphanumeric()).count() >= 2 && !tells_the_crew_nothing(note))
        .then(|| note.to_string())
}

/// Whether `text` only says whom a note is for and on what: "for the crew on the cabinet
/// job, tell them".
fn names_only_whom_or_what(text: &str) -> bool {
    words_of(text).iter().all(|w| {
        PROJECT_FILLERS.contains(&w.as_str())
            || WORKER_NOUNS.contains(&w.as_str())
            || ["for", "on", "to", "a", "tell", "them", "let", "know", "and"].contains(&w.as_str())
            || lexicon::trade_word(w).is_some()
    })
}

/// Words around a note that are not the note: whom it is for, where, "too".
const NOT_THE_NOTE: &[&str] = &[
    "on", "at", "for", "to", "in", "about", "too", "also", "as", "well", "pls", "the", "a", "crew",
    "guys", "guy", "team", "thing", "place", "house", "home", "rental", "property",
];

/// Whether what follows "note" only says which project, whom or where ("on the deck job",
/// "at the rental", "too"): the note's own words are still to come.
fn tells_the_crew_nothing(text: &str) -> bool {
    words_of(text).iter().all(|w| {
        PROJECT_FILLERS.contains(&w.as_str())
            || NOT_THE_NOTE.contains(&w.as_str())
            || lexicon::trade_word(w).is_some()
    })
}

/// Whether `text` only names a project: "my cabinet job", "the window install".
fn names_only_a_project(text: &str) -> bool {
    words_of(text)
        .iter()
        .all(|w| PROJECT_FILLERS.contains(&w.as_str()) || lexicon::trade_word(w).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::understand;
    use chrono::{NaiveDate, NaiveTime};

    fn now() -> NaiveDateTime {
        NaiveDateTime::parse_from_str("2025-11-05 10:00", "%Y-%m-%d %H:%M").unwrap()
    }

    fn commands(text: &str) -> Vec<Command> {
        understand(text, now()).commands
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    fn start(intent: Intent) -> Command {
        Command::Start { intent }
    }

    fn words(w: &[&str]) -> Command {
        Command::SetProject {
            project: ProjectRef::Words(w.iter().map(|s| s.to_string()).collect()),
        }
    }

    #[test]
    fn one_message_many_commands() {
        let got = commands("book the windows for thursday at 8");
        assert!(got.contains(&start(Intent::Schedule)), "{got:?}");
        assert!(got.contains(&words(&["windows"])), "{got:?}");
        assert!(
            got.contains(&Command::SetDate {
                date: d("2025-11-06")
            }),
            "{got:?}"
        );
        assert!(
            got.contains(&Command::SetTime { time: t("08:00") }),
            "{got:?}"
        );

        let got = commands("hmm no, make it 3 instead");
        assert!(got.contains(&Command::Deny), "{got:?}");
        assert!(
            got.contains(&Command::SetTime { time: t("15:00") }),
            "{got:?}"
        );
    }

    #[test]
    fn intents() {
        let table = [
            ("show me my projects", Intent::ListProjects),
            ("I'd like to get my flooring installed", Intent::Schedule),
            ("can I reschedule my windows?", Intent::Reschedule),
            ("I need to move my appointment", Intent::Reschedule),
            ("please cancel my appointment", Intent::Cancel),
            ("what's the status of my roof repair", Intent::Status),
            ("who is the technician?", Intent::Technician),
            ("what are your hours?", Intent::BusinessHours),
            ("will it rain that day?", Intent::Weather),
            ("add a note: call before arriving", Intent::AddNote),
            ("show my notes", Intent::ViewNotes),
            ("help", Intent::Help),
            ("I want to talk to a real person", Intent::Handoff),
            ("what dates are available?", Intent::Schedule),
            ("Cancel it please", Intent::Cancel),
            ("I don't need the appointment anymore", Intent::Cancel),
            ("is anyone coming tomorrow?", Intent::Status),
            (
                "hey need to get my fence install scheduled",
                Intent::Schedule,
            ),
            ("has my fence been scheduled yet?", Intent::Status),
            ("and what time?", Intent::Status),
            ("what time are they coming", Intent::Status),
            ("what times do you have on friday", Intent::Schedule),
            ("what time do you open", Intent::BusinessHours),
            ("before I pick, how long does it take?", Intent::Duration),
            (
                "the cabinet door came out crooked and doesn't close right, what do i do?",
                Intent::Complaint,
            ),
            ("is that covered under warranty??", Intent::Complaint),
            (
                "how long will the guys be here for the siding",
                Intent::Duration,
            ),
            ("can you move my appointment to friday", Intent::Reschedule),
            ("move the cabinets to next week", Intent::Reschedule),
        ];
        for (text, intent) in table {
            let u = understand(text, now());
            assert_eq!(u.intent(), Some(intent), "{text}: {:?}", u.commands);
        }
    }

    #[test]
    fn answers() {
        for yes in [
            "yes please",
            "yep, book it",
            "sounds good",
            "correct",
            "ok",
            "Yes!",
            "sure thing",
            "confirm",
        ] {
            let got = commands(yes);
            assert!(got.contains(&Command::Affirm), "{yes}: {got:?}");
            assert!(!got.contains(&start(Intent::Schedule)), "{yes}: {got:?}");
        }
        for no in ["no", "no, keep it", "nope", "not really", "no thanks"] {
            assert!(commands(no).contains(&Command::Deny), "{no}");
        }
        assert!(!commands("please reschedule to a later date").contains(&Command::Affirm));
        assert!(
            !commands("please reschedule to a later date")
                .iter()
                .any(|c| matches!(c, Command::SmallTalk { .. }))
        );
        for stop in ["never mind", "forget it", "cancel", "stop"] {
            let got = commands(stop);
            assert!(got.contains(&Command::CancelFlow), "{stop}: {got:?}");
            assert!(!got.contains(&start(Intent::Cancel)), "{stop}: {got:?}");
        }
        // Not a yes: a condition, or a weak word leading nothing understood.
        for not_yes in [
            "yeah but make it 1",
            "yes but what are your hours",
            "ok except not the 4th",
            "ok so like the thing w the uh",
        ] {
            let got = commands(not_yes);
            assert!(!got.contains(&Command::Affirm), "{not_yes}: {got:?}");
        }
        assert!(commands("yeah but make it 1").contains(&Command::SetTime { time: t("13:00") }));
        assert_eq!(
            commands("yes 2"),
            [Command::Affirm, Command::Number { value: 2 }]
        );
    }

    #[test]
    fn picks_from_lists() {
        assert!(commands("the first one").contains(&Command::Choose {
            pick: Pick::Nth(0),
            list: ListKind::Any
        }));
        assert!(commands("the second date").contains(&Command::Choose {
            pick: Pick::Nth(1),
            list: ListKind::Dates
        }));
        assert!(commands("the earliest").contains(&Command::Choose {
            pick: Pick::Nth(0),
            list: ListKind::Any
        }));
        assert!(commands("the last slot").contains(&Command::Choose {
            pick: Pick::Last,
            list: ListKind::Slots
        }));
        assert!(commands("option 2").contains(&Command::Choose {
            pick: Pick::Nth(1),
            list: ListKind::Any
        }));
        for said in [
            "not the very last one, the one before that",
            "the second to last one",
        ] {
            assert!(
                commands(said).contains(&Command::Choose {
                    pick: Pick::BeforeLast,
                    list: ListKind::Any
                }),
                "{said}"
            );
        }
        assert_eq!(commands("2"), [Command::Number { value: 2 }]);
        assert_eq!(
            commands("the 2nd one"),
            [Command::Choose {
                pick: Pick::Nth(1),
                list: ListKind::Any
            }]
        );
    }

    #[test]
    fn projects_by_trade_order_number_or_id() {
        // "front door" is a door project, the entry one; "the back door" of a note is the
        // house's.
        assert!(
            commands("book the front door for sat").contains(&Command::SetProject {
                project: ProjectRef::Words(vec!["entry".into(), "doors".into()])
            })
        );
        assert!(
            commands("who is working on the sliding door").contains(&Command::SetProject {
                project: ProjectRef::Words(vec!["sliding".into(), "doors".into()])
            })
        );
        assert!(
            commands("i meant the window replacement").contains(&Command::SetProject {
                project: ProjectRef::Words(vec!["windows".into(), "replacement".into()])
            })
        );
        // "New" before a trade says which job: the installation.
        assert!(
            commands("the new gutters at the house").contains(&Command::SetProject {
                project: ProjectRef::Words(vec!["installation".into(), "gutters".into()])
            })
        );
        assert!(commands("windo instalation").contains(&words(&["windows", "installation"])));
        assert!(
            commands("status of ORD-2025-001").contains(&Command::SetProject {
                project: ProjectRef::OrderNumber("ORD-2025-001".into())
            })
        );
        assert!(
            commands("what about ord 40113").contains(&Command::SetProject {
                project: ProjectRef::OrderNumber("ORD-40113".into())
            })
        );
        assert!(
            commands("book project 90000200").contains(&Command::SetProject {
                project: ProjectRef::Id("90000200".into())
            })
        );
        // "book" is not a typo of "roof".
        assert!(
            !commands("book it")
                .iter()
                .any(|c| matches!(c, Command::SetProject { .. }))
        );
    }

    #[test]
    fn a_note_said_without_the_word_note_keeps_all_its_words() {
        for (said, note) in [
            (
                "the crew should know its the upstairs windows that leak",
                "its the upstairs windows that leak",
            ),
            (
                "tell the crew its the upstairs windows that leak",
                "its the upstairs windows that leak",
            ),
            ("heads up, the driveway is steep", "the driveway is steep"),
            (
                "put a note on the shower glass job that the bathroom fan is broken",
                "the bathroom fan is broken",
            ),
            (
                "i want to leave a note for the crew on the deck job: the side gate sticks",
                "the side gate sticks",
            ),
            (
                "let the crew know there's parking out back",
                "there's parking out back",
            ),
            (
                "leave a note for the crew on the cabinet job, tell them to call first",
                "call first",
            ),
            (
                "can you add a note for the crew? the gate code is 2580 and ring the bell",
                "the gate code is 2580 and ring the bell",
            ),
        ] {
            let got = commands(said);
            assert!(
                got.contains(&start(Intent::AddNote))
                    && got.contains(&Command::SetNote { text: note.into() }),
                "{said}: {got:?}"
            );
        }
    }

    #[test]
    fn one_request_can_be_dropped_without_stopping_the_rest() {
        for (said, intent) in [
            (
                "actually forget the note, just the booking",
                Intent::AddNote,
            ),
            ("never mind the note", Intent::AddNote),
            ("no note", Intent::AddNote),
            ("skip the booking", Intent::Schedule),
        ] {
            let got = commands(said);
            assert!(got.contains(&Command::Drop { intent }), "{said}: {got:?}");
            assert!(!got.contains(&start(intent)), "{said}: {got:?}");
            assert!(!got.contains(&Command::CancelFlow), "{said}: {got:?}");
        }
        assert!(
            !commands("no the note is fine")
                .iter()
                .any(|c| matches!(c, Command::Drop { .. }))
        );
        assert!(commands("forget it").contains(&Command::CancelFlow));
        assert_eq!(commands("👍"), [Command::Affirm]);
        assert_eq!(commands("👍🏽 "), [Command::Affirm]);
        assert!(!commands("👍 but make it 2").contains(&Command::Affirm));
    }

    #[test]
    fn asking_the_crew_to_come_on_a_day_is_a_booking() {
        assert!(
            commands("can the roof crew come fri the 22nd before lunch?")
                .contains(&start(Intent::Schedule))
        );
        assert!(commands("who is the crew coming friday?").contains(&start(Intent::Technician)));
        // "first" said of the customer's morning is not a pick.
        assert!(
            !commands("friday works, gotta drop the kids at school first")
                .iter()
                .any(|c| matches!(c, Command::Choose { .. }))
        );
        assert!(
            commands("the later of the morning ones").contains(&Command::Choose {
                pick: Pick::Last,
                list: ListKind::Any
            })
        );
    }

    #[test]
    fn words_saying_whom_or_where_are_not_a_note() {
        for said in [
            "i want to leave a note for the crew on the deck job",
            "can u leave a note for the gutter guys at the rental",
            "and pls put it in as a note for the crew too",
        ] {
            let got = commands(said);
            assert!(
                got.contains(&start(Intent::AddNote))
                    && !got.iter().any(|c| matches!(c, Command::SetNote { .. })),
                "{said}: {got:?}"
            );
        }
    }

    #[test]
    fn notes_carry_their_text() {
        let got = commands("add a note: please call before arriving");
        assert!(
            got.contains(&Command::SetNote {
                text: "please call before arriving".into()
            }),
            "{got:?}"
        );
        let got = commands("tell the installer that the gate code is 4321");
        assert!(
            got.contains(&Command::SetNote {
                text: "the gate code is 4321".into()
            }),
            "{got:?}"
        );
    }

    #[test]
    fn small_talk_and_nonsense() {
        assert!(commands("hi there").contains(&Command::SmallTalk {
            kind: SmallTalk::Greeting
        }));
        assert!(commands("good morning!").contains(&Command::SmallTalk {
            kind: SmallTalk::Greeting
        }));
        assert!(
            !commands("good morning!")
                .iter()
                .any(|c| matches!(c, Command::SetPart { .. }))
        );
        assert!(commands("thank you so much").contains(&Command::SmallTalk {
            kind: SmallTalk::Thanks
        }));
        assert_eq!(commands("asdkjh qwpoe"), [Command::Unclear]);
    }
}
