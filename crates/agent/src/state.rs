//! The conversation state: one serializable value, persisted between turns by whoever hosts
//! the engine. The engine keeps no state of its own.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use pf360::RequestId;
use serde::{Deserialize, Serialize};

use crate::catalogue::{Channel, Language};
use crate::understand::datetime::PartOfDay;
use crate::understand::{Command, DateRule, Intent, TimeRule};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversationState {
    /// What the customer is in the middle of, if anything.
    pub flow: Option<Flow>,
    /// The project being talked about ("it", "that one").
    pub focus: Option<String>,
    /// The numbered list last shown, which "the second one" and "2" refer to.
    pub offer: Option<Offer>,
    /// Messages in a row that were not understood.
    pub unclear_streak: u32,
    /// The customer asked for a person.
    pub handed_off: bool,
    /// Requests of earlier messages waiting for the flow under way to finish, in the order
    /// said ("book the floor and tell the crew the dog is friendly": the note waits for the
    /// booking).
    #[serde(default)]
    pub pending: Vec<Vec<Command>>,
    /// How many turns this conversation has had: the number of the last reply, which its
    /// buttons answer. A button of an older reply is stale.
    #[serde(default)]
    pub turn: u64,
    /// The language replies are written in, chosen by the host; states saved before there
    /// was a choice are English.
    #[serde(default)]
    pub language: Language,
    /// Where the conversation takes place, chosen by the host: some wording depends on it.
    #[serde(default)]
    pub channel: Channel,
    /// The turn in which the customer last named a project that is not on their account
    /// ("status of SHP-71-0102 … it's my aunt's, move it to friday"): for that turn and the
    /// next, "it" is never taken to be one of their own projects.
    #[serde(default)]
    pub named_unknown_at: Option<u64>,
    /// The slot of an appointment cancelled in this conversation: "put the garage door in that
    /// spot instead" books there.
    #[serde(default)]
    pub freed: Option<chrono::NaiveDateTime>,
    /// On SMS, the choices the last reply showed as numbered lines: a bare number picks one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sms_choices: Vec<crate::reply::QuickReply>,
}

impl ConversationState {
    /// Whether a project not on the account was named in this turn or the one before.
    pub fn named_unknown_lately(&self) -> bool {
        self.named_unknown_at.is_some_and(|at| at + 1 >= self.turn)
    }
}

// One flow per conversation, loaded and saved once a turn: boxing the booking would save no
// memory worth an indirection at every use.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Flow {
    Booking(Booking),
    Cancelling(Cancelling),
    Noting(Noting),
    /// A question (status, technician, weather) waiting for the customer to say which project.
    Asking(Asking),
}

/// Booking a date, or moving one (a reschedule is a booking of a scheduled project).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Booking {
    /// The customer asked to move an appointment (rather than book one).
    pub wants_reschedule: bool,
    pub project: Option<String>,
    /// The open PF360 scheduling request: kept here, never shown in text.
    pub request: Option<OpenRequest>,
    pub date: Option<NaiveDate>,
    /// The week the customer asked about, by its Monday, while no date is chosen.
    pub week: Option<NaiveDate>,
    /// The last date refused as not offered: naming its weekday again means "a later one".
    pub refused: Option<NaiveDate>,
    pub part: Option<PartOfDay>,
    /// The slots PF360 offered for `date`.
    pub slots: Option<DaySlots>,
    pub time: Option<NaiveTime>,
    /// The summary was shown; an explicit yes books.
    pub confirming: bool,
    /// The project's schedule when the summary was shown: a yes agrees to it on that one.
    #[serde(default)]
    pub shown: String,
    /// What the customer ruled in or out about the day ("after the 24th", "not monday").
    #[serde(default)]
    pub date_rules: Vec<DateRule>,
    /// ... and about the time ("before noon", "the latest").
    #[serde(default)]
    pub time_rules: Vec<TimeRule>,
    /// "Which project?" was asked: only an answer chooses, not a project another question
    /// brought into focus meanwhile.
    #[serde(default)]
    pub asked_project: bool,
    /// The day was chosen by a rule ("the first morning you have next week"), not named: when
    /// none of its times fits, the next day that fits is tried.
    #[serde(default)]
    pub day_by_rule: bool,
    /// The last summary shown, so the next one can say what changed.
    #[serde(default)]
    pub summarised: Option<Summarised>,
    /// A note for the crew said with the booking, read back in its summary: the same yes
    /// sends it once the booking is made.
    #[serde(default)]
    pub with_note: Option<String>,
}

/// What a booking summary offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summarised {
    pub project: String,
    pub date: NaiveDate,
    pub time: NaiveTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenRequest {
    pub request_id: RequestId,
    pub project: String,
    pub dates: Vec<NaiveDate>,
    pub opened_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DaySlots {
    pub date: NaiveDate,
    pub times: Vec<NaiveTime>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cancelling {
    pub project: Option<String>,
    pub confirming: bool,
    /// The project's schedule when the summary was shown.
    #[serde(default)]
    pub shown: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Noting {
    pub project: Option<String>,
    pub text: Option<String>,
    /// The question "what should the note say?" was asked: the next message is the note.
    pub awaiting_text: bool,
    /// The note was read back; an explicit yes sends it.
    #[serde(default)]
    pub confirming: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asking {
    pub intent: Intent,
    pub date: Option<NaiveDate>,
}

/// A numbered list shown to the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "items", rename_all = "snake_case")]
pub enum Offer {
    Projects(Vec<String>),
    Dates(Vec<NaiveDate>),
    Slots(Vec<NaiveTime>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_through_json() {
        let state = ConversationState {
            flow: Some(Flow::Booking(Booking {
                project: Some("90000149".into()),
                request: Some(OpenRequest {
                    request_id: RequestId("req_x".into()),
                    project: "90000149".into(),
                    dates: vec!["2025-11-11".parse().unwrap()],
                    opened_at: "2025-11-05T15:00:00Z".parse().unwrap(),
                }),
                date: Some("2025-11-11".parse().unwrap()),
                confirming: true,
                ..Booking::default()
            })),
            focus: Some("90000149".into()),
            offer: Some(Offer::Dates(vec!["2025-11-11".parse().unwrap()])),
            unclear_streak: 1,
            handed_off: false,
            pending: vec![vec![Command::Start {
                intent: Intent::AddNote,
            }]],
            turn: 3,
            language: Language::Spanish,
            channel: Channel::Sms,
            named_unknown_at: Some(2),
            freed: "2025-11-12T08:00:00".parse().ok(),
            sms_choices: vec![crate::reply::QuickReply {
                label: "Yes".into(),
                value: "yes".into(),
            }],
        };
        let json = serde_json::to_string(&state).unwrap();
        let back: ConversationState = serde_json::from_str(&json).unwrap();
        assert_eq!(back, state);
    }

    #[test]
    fn a_state_saved_before_languages_is_english_on_the_web() {
        let state: ConversationState = serde_json::from_str(
            r#"{"flow": null, "focus": null, "offer": null, "unclear_streak": 0, "handed_off": false}"#,
        )
        .unwrap();
        assert_eq!(state.language, Language::English);
        assert_eq!(state.channel, Channel::Web);
        let spanish: ConversationState =
            serde_json::from_str(r#"{"flow": null, "focus": null, "offer": null, "unclear_streak": 0, "handed_off": false, "language": "spanish", "channel": "sms"}"#)
                .unwrap();
        assert_eq!(
            (spanish.language, spanish.channel),
            (Language::Spanish, Channel::Sms)
        );
    }
}
