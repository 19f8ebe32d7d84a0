//! What understanding produces: typed commands. Flows act on these and nothing else, whoever
//! produced them (rules today, a language model later).

use chrono::{NaiveDate, NaiveTime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::datetime::PartOfDay;

/// What the customer wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    ListProjects,
    Schedule,
    Reschedule,
    Cancel,
    Status,
    Technician,
    /// "how long does it take?": how long the job lasts.
    Duration,
    BusinessHours,
    Weather,
    AddNote,
    ViewNotes,
    Help,
    Handoff,
    /// "my installer never showed up", "the crew left a mess": an apology and a person.
    Complaint,
}

impl Intent {
    /// Intents answered in one turn; asked in the middle of a booking they are a digression
    /// and the booking resumes.
    pub fn is_question(self) -> bool {
        matches!(
            self,
            Intent::ListProjects
                | Intent::Status
                | Intent::Technician
                | Intent::Duration
                | Intent::BusinessHours
                | Intent::Weather
                | Intent::ViewNotes
                | Intent::Help
        )
    }
}

/// How the customer named a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectRef {
    /// A project id as typed; it may not be theirs.
    Id(String),
    /// An order number, upper-cased: `ORD-2025-001`.
    OrderNumber(String),
    /// Words that may name a category or type ("windows", "floor instalation").
    Words(Vec<String>),
    /// "it", "that one": the project being talked about.
    InFocus,
}

/// A pick from the list just shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Pick {
    /// 0-based position.
    Nth(usize),
    Last,
    /// "The second to last", "not the last one, the one before that".
    BeforeLast,
}

/// Which list a pick names, when the customer said so ("the second date").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    Any,
    Projects,
    Dates,
    Slots,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmallTalk {
    Greeting,
    Thanks,
    Goodbye,
}

/// One thing a message says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    Start {
        intent: Intent,
    },
    SetProject {
        project: ProjectRef,
    },
    SetDate {
        date: NaiveDate,
    },
    SetPart {
        part: PartOfDay,
    },
    /// The date above came from a weekday alone ("thursday").
    SetWeekday {
        #[schemars(with = "WeekdayName")]
        weekday: chrono::Weekday,
    },
    /// A week as a whole, by its Monday: "anything next week?"
    SetWeek {
        monday: NaiveDate,
    },
    SetTime {
        time: NaiveTime,
    },
    /// A condition on the day rather than one day: "after the 24th", "not monday", "a week
    /// later". The runtime applies it to the dates PF360 offered.
    DateRule {
        rule: DateRule,
    },
    /// A condition on the time: "before noon", "first thing", "same time".
    TimeRule {
        rule: TimeRule,
    },
    Choose {
        pick: Pick,
        list: ListKind,
    },
    /// A number alone: a position in the list on offer, or an hour. Rules only: a model's
    /// number is never trusted to mean a position (see `model::validate`).
    #[schemars(skip)]
    Number {
        value: u32,
    },
    SetNote {
        text: String,
    },
    /// "I meant the back door, not the side door": words said before, replaced.
    Revise {
        old: String,
        new: String,
    },
    Affirm,
    Deny,
    CancelFlow,
    /// "forget the note, just the booking": that request is dropped, and only that one.
    Drop {
        intent: Intent,
    },
    SmallTalk {
        kind: SmallTalk,
    },
    Unclear,
}

impl Command {
    /// A command about the day or the time.
    pub fn is_when(&self) -> bool {
        matches!(
            self,
            Command::SetDate { .. }
                | Command::SetTime { .. }
                | Command::SetPart { .. }
                | Command::SetWeek { .. }
                | Command::SetWeekday { .. }
                | Command::DateRule { .. }
                | Command::TimeRule { .. }
        )
    }
}

/// A condition on the day, evaluated against the dates offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "rule", content = "value", rename_all = "snake_case")]
pub enum DateRule {
    /// Strictly after this day: "any day after the 24th".
    After(NaiveDate),
    /// Strictly before this day.
    Before(NaiveDate),
    /// Not this day: "the 27th doesn't work".
    Not(NaiveDate),
    /// Not this weekday: "not monday", "tuesday is bad".
    NotWeekday(#[schemars(with = "WeekdayName")] chrono::Weekday),
    /// Only this weekday: "I can only do saturdays", "the first saturday you have".
    Weekday(#[schemars(with = "WeekdayName")] chrono::Weekday),
    /// Saturday or Sunday: "weekends only", "weekdays are impossible".
    Weekend,
    /// The first day that fits: "the first day you have", "the soonest".
    First,
    /// The last day that fits.
    Last,
    /// The day in play (the one being booked, else the current appointment's) moved by this
    /// many days: "the next day" is 1, "a week later" 7, "a week earlier" -7.
    Shift(i64),
    /// The first such weekday after the day in play (a day just refused, the one being booked,
    /// else the current appointment's): "the tuesday after". With no day in play, the one
    /// after the coming one.
    WeekdayAfter(#[schemars(with = "WeekdayName")] chrono::Weekday),
    /// The day in play: "same day", "keep the day".
    SameDay,
}

/// A condition on the time, evaluated against the slots offered on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "rule", content = "value", rename_all = "snake_case")]
pub enum TimeRule {
    /// At or after: "anytime after 2", "after lunch".
    After(NaiveTime),
    /// Strictly before: "before noon".
    Before(NaiveTime),
    /// Not this time: "1 not 8".
    Not(NaiveTime),
    /// The first slot that fits: "first thing", "the earliest time".
    Earliest,
    /// The last slot that fits: "the latest you have".
    Latest,
    /// The time in play (the one being booked, else the current appointment's).
    Same,
    /// Later than the time in play: "later in the day".
    Later,
    /// Earlier than the time in play.
    Earlier,
}

/// A weekday as commands spell it (chrono's serde form), for the schema.
#[derive(JsonSchema)]
#[allow(dead_code)]
enum WeekdayName {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}
