//! Every answer the assistant gives, worded in one place, with the structured parts beside the
//! text: quick replies (projects, dates, slots, yes/no as buttons) and links. Channels render
//! them as they can: buttons on the web, numbered lines in SMS, prompts in voice.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use pf360::{Pf360Error, Project, ProjectStatus};
use serde::{Deserialize, Serialize};

use crate::journal::WriteKind;
use crate::notes::Note;
use crate::understand::ProjectRef;
use crate::weather::Forecast;

/// A button: what it shows, and the message it sends when pressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub text: String,
    pub quick_replies: Vec<QuickReply>,
    pub links: Vec<Link>,
    /// This reply asks for a yes to a write it just described. A yes confirms only the
    /// summary of the immediately preceding reply: the turn clears any other.
    #[serde(skip)]
    pub asks_yes: bool,
}

impl Reply {
    /// Adds a paragraph.
    pub fn say(&mut self, text: impl AsRef<str>) -> &mut Self {
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        self.text.push_str(text.as_ref());
        self
    }

    /// Ends with the question of a summary: the next plain yes confirms it.
    fn ask_yes(&mut self) -> &mut Self {
        self.asks_yes = true;
        self.buttons(yes_no())
    }

    /// Replaces the buttons.
    pub fn buttons(&mut self, buttons: Vec<QuickReply>) -> &mut Self {
        self.quick_replies = buttons;
        self
    }

    pub fn link(&mut self, project: &Project) -> &mut Self {
        self.links.push(Link {
            label: format!("View your {}", project.title()),
            url: project.detail_url.clone(),
        });
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Formatting

/// "Tuesday, November 11", with the year when it is not this year's.
pub fn date(d: NaiveDate, today: NaiveDate) -> String {
    if d.year() == today.year() {
        d.format("%A, %B %-d").to_string()
    } else {
        d.format("%A, %B %-d, %Y").to_string()
    }
}

/// "Tue, Nov 11" for buttons.
pub fn short_date(d: NaiveDate) -> String {
    d.format("%a, %b %-d").to_string()
}

/// "10:00 AM".
pub fn time(t: NaiveTime) -> String {
    t.format("%-I:%M %p").to_string()
}

/// "Flooring Installation (ORD-2025-001)".
pub fn project_label(p: &Project) -> String {
    match &p.order_number {
        Some(order) => format!("{} ({order})", p.title()),
        None => p.title(),
    }
}

fn address(p: &Project) -> String {
    p.address
        .as_ref()
        .map_or_else(|| "the address on file".to_string(), |a| a.full.clone())
}

fn numbered(items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| format!("{}. {item}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

fn yes_no() -> Vec<QuickReply> {
    vec![
        QuickReply {
            label: "Yes".into(),
            value: "yes".into(),
        },
        QuickReply {
            label: "No".into(),
            value: "no".into(),
        },
    ]
}

/// The button value for a project: its order number, which understanding reads back.
fn project_value(p: &Project) -> String {
    p.order_number.clone().unwrap_or_else(|| p.id.clone())
}

fn project_buttons(projects: &[&Project]) -> Vec<QuickReply> {
    projects
        .iter()
        .map(|p| QuickReply {
            label: p.title(),
            value: project_value(p),
        })
        .collect()
}

/// What a project's appointment looks like: "Monday, November 10 from 10:00 AM to 4:00 PM".
fn window(p: &Project, today: NaiveDate) -> Option<String> {
    let w = p.scheduled.as_ref()?;
    Some(match (w.start, w.end) {
        (Some(s), Some(e)) if e > s => format!(
            "{} from {} to {}",
            date(w.date, today),
            time(s.time()),
            time(e.time())
        ),
        (Some(s), _) => format!("{} at {}", date(w.date, today), time(s.time())),
        _ => date(w.date, today),
    })
}

// ---------------------------------------------------------------------------------------------
// Conversation

pub fn greeting(reply: &mut Reply) {
    reply.say("Hi! I can show your projects, book, reschedule or cancel an installation appointment, tell you who your technician is, and add notes for the crew. What can I do for you?");
    reply.buttons(menu());
}

pub fn menu() -> Vec<QuickReply> {
    [
        ("Schedule appointment", "I want to schedule an appointment"),
        ("View projects", "show my projects"),
        ("Check availability", "what dates are available?"),
    ]
    .into_iter()
    .map(|(label, value)| QuickReply {
        label: label.into(),
        value: value.into(),
    })
    .collect()
}

pub fn thanks(reply: &mut Reply) {
    reply.say("You're welcome! Anything else I can help with?");
}

pub fn goodbye(reply: &mut Reply) {
    reply.say("Goodbye, and thanks for choosing us!");
}

pub fn help(reply: &mut Reply) {
    reply.say("Here's what I can do:\n- show your projects and their status\n- find a free date and time and book your appointment\n- reschedule or cancel an appointment\n- tell you who your technician is\n- share our working days and the weather forecast for your appointment\n- add a note for the crew, and show the notes added here\nJust tell me in your own words, for example \"book my flooring for next Tuesday morning\".");
    reply.buttons(menu());
}

pub fn anything_else(reply: &mut Reply) {
    reply.say("What can I help you with?");
    reply.buttons(menu());
}

pub fn unclear(reply: &mut Reply, streak: u32) {
    if streak >= 2 {
        reply.say("I'm sorry, I'm still not following. I can connect you with a person, or you can try one of these:");
    } else {
        reply.say("Sorry, I didn't catch that. I can help you schedule, reschedule or cancel an appointment, check a project's status, or add a note.");
    }
    let mut buttons = menu();
    if streak >= 2 {
        buttons.push(QuickReply {
            label: "Talk to a person".into(),
            value: "I want to talk to a person".into(),
        });
    }
    reply.buttons(buttons);
}

/// A message not understood while a summary waited for a yes: the summary is not repeated as
/// if nothing had been said, and nothing was done.
pub fn change_not_understood(reply: &mut Reply, what: &str) {
    reply.say(format!(
        "I didn't catch that change, so I haven't done anything with {what} yet. Tell me what you'd like to change, say yes to go over it again, or say stop."
    ));
    reply.buttons(vec![
        QuickReply {
            label: "Go over it again".into(),
            value: "yes".into(),
        },
        QuickReply {
            label: "Stop".into(),
            value: "stop".into(),
        },
    ]);
}

pub fn handoff(reply: &mut Reply) {
    reply.say("I'll pass this conversation to our customer care team; someone will contact you shortly. If it's urgent, call us during business hours and mention your order number.");
}

pub fn stopped(reply: &mut Reply, what: &str) {
    reply.say(format!(
        "No problem, I've stopped {what}. Nothing was changed. Anything else?"
    ));
    reply.buttons(menu());
}

pub fn injection(reply: &mut Reply) {
    reply.say("I can only help with your own projects and appointments.");
}

pub fn pf360_error(reply: &mut Reply, error: &Pf360Error) {
    reply.say(error.customer_message());
}

// ---------------------------------------------------------------------------------------------
// Projects

pub fn project_list(reply: &mut Reply, projects: &[Project], today: NaiveDate) {
    if projects.is_empty() {
        reply.say("I don't see any projects on your account yet.");
        return;
    }
    let lines = projects.iter().map(|p| {
        let mut line = format!("{} — {}", project_label(p), p.status);
        if let (ProjectStatus::Scheduled | ProjectStatus::InProgress, Some(w)) =
            (&p.status, window(p, today))
        {
            line.push_str(&format!(", {w}"));
        }
        line
    });
    reply.say(format!("Here are your projects:\n{}", numbered(lines)));
    let refs: Vec<&Project> = projects.iter().collect();
    reply.buttons(project_buttons(&refs));
}

pub fn which_project(reply: &mut Reply, purpose: &str, projects: &[&Project]) {
    let lines = projects
        .iter()
        .map(|p| format!("{} — {}", project_label(p), p.status));
    reply.say(format!(
        "Which project would you like to {purpose}?\n{}",
        numbered(lines)
    ));
    reply.buttons(project_buttons(projects));
}

/// A project named in a request that is not on the account (or not the customer's): said,
/// and nothing done with any other project instead.
pub fn project_not_found_named(reply: &mut Reply, reference: &ProjectRef) {
    let what = match reference {
        ProjectRef::OrderNumber(order) => format!("order {order}"),
        ProjectRef::Id(id) => format!("project {id}"),
        ProjectRef::Words(words) => words.join(" "),
        ProjectRef::InFocus => String::new(),
    };
    let what = if what.is_empty() {
        what
    } else {
        format!(" ({what})")
    };
    reply.say(format!(
        "I couldn't find that project{what} on your account, so I haven't done anything with it."
    ));
}

/// A request kept until the one under way is finished.
pub fn queued(reply: &mut Reply, what: &str) {
    reply.say(format!("I'll take care of {what} right after this."));
}

/// The next request kept for later.
pub fn next_request(reply: &mut Reply, what: &str) {
    reply.say(format!("Now, {what}."));
}

pub fn project_not_found(reply: &mut Reply) {
    reply.say("I couldn't find that project on your account.");
}

/// Why a project cannot be booked, in the customer's terms.
pub fn cannot_schedule(reply: &mut Reply, p: &Project, today: NaiveDate) {
    let name = format!("Your {}", p.title());
    let why = match &p.status {
        ProjectStatus::Completed => match p.completed_on {
            Some(d) => format!(
                "{name} was completed on {}, so there's nothing to schedule.",
                date(d, today)
            ),
            None => format!("{name} is already completed, so there's nothing to schedule."),
        },
        ProjectStatus::InProgress => {
            format!("{name} is already in progress, so it can't be rescheduled here.")
        }
        ProjectStatus::Cancelled => format!(
            "{name} was cancelled, so it can't be scheduled. A person from our team can help reopen it."
        ),
        other => format!("{name} is currently \"{other}\", so it can't be scheduled yet."),
    };
    reply.say(why);
}

pub fn nothing_to_schedule(reply: &mut Reply, reschedule: bool) {
    if reschedule {
        reply.say("You don't have any scheduled appointments to move right now.");
    } else {
        reply.say("None of your projects needs an appointment right now.");
    }
}

pub fn status(reply: &mut Reply, p: &Project, today: NaiveDate) {
    let mut text = format!("Your {} is {}.", project_label(p), p.status);
    match (&p.status, window(p, today)) {
        (ProjectStatus::Scheduled, Some(w)) => {
            text.push_str(&format!(" The appointment is on {w} at {}.", address(p)))
        }
        (ProjectStatus::InProgress, Some(w)) => text.push_str(&format!(" Work started on {w}.")),
        (ProjectStatus::ReadyToSchedule, _) => {
            text.push_str(" It's ready to be scheduled whenever you are.")
        }
        _ => {}
    }
    if let (ProjectStatus::Completed, Some(d)) = (&p.status, p.completed_on) {
        text.push_str(&format!(" It was completed on {}.", date(d, today)));
    }
    if let Some(d) = &p.duration {
        text.push_str(&format!(" The job takes about {d}."));
    }
    if let Some(t) = p.technician.as_ref().filter(|t| !t.full_name().is_empty()) {
        text.push_str(&format!(" Your technician is {}.", t.full_name()));
    }
    reply.say(text);
    reply.link(p);
}

pub fn technician(reply: &mut Reply, p: &Project, today: NaiveDate) {
    match p.technician.as_ref().filter(|t| !t.full_name().is_empty()) {
        Some(t) => {
            let when = window(p, today)
                .map(|w| format!(" on {w}"))
                .unwrap_or_default();
            reply.say(format!(
                "{} is your technician for the {}{when}.",
                t.full_name(),
                p.title()
            ))
        }
        None => reply.say(format!(
            "A technician hasn't been assigned to your {} yet; you'll be told as soon as one is.",
            p.title()
        )),
    };
    reply.link(p);
}

pub fn business_hours(reply: &mut Reply, days: &[pf360::models::WorkDay]) {
    let working: Vec<&str> = days
        .iter()
        .filter(|d| d.is_working)
        .map(|d| d.day.as_str())
        .collect();
    let closed: Vec<&str> = days
        .iter()
        .filter(|d| !d.is_working)
        .map(|d| d.day.as_str())
        .collect();
    let mut text = if working.is_empty() {
        "We don't have working days listed right now.".to_string()
    } else {
        format!("We schedule installations on {}.", join_and(&working))
    };
    if !closed.is_empty() {
        text.push_str(&format!(" We're closed on {}.", join_and(&closed)));
    }
    reply.say(text);
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub fn weather(
    reply: &mut Reply,
    place: &str,
    day: NaiveDate,
    today: NaiveDate,
    forecast: Option<&Forecast>,
) {
    match forecast {
        Some(f) => reply.say(format!(
            "The forecast for {place} on {}: {}, high {}°F, low {}°F, {}% chance of rain.",
            date(day, today),
            f.summary,
            f.high_f,
            f.low_f,
            f.precipitation_chance
        )),
        None => reply.say(format!(
            "I don't have a forecast for {place} on {} yet; forecasts cover the next 10 days.",
            date(day, today)
        )),
    };
}

pub fn weather_needs_date(reply: &mut Reply) {
    reply.say("Which day would you like the forecast for?");
}

// ---------------------------------------------------------------------------------------------
// Booking

pub fn offer_dates(
    reply: &mut Reply,
    p: &Project,
    dates: &[NaiveDate],
    today: NaiveDate,
    reschedule: bool,
) {
    let verb = if reschedule {
        "move your appointment for"
    } else {
        "book"
    };
    reply.say(format!(
        "Here are the next available dates to {verb} your {}:\n{}\nWhich date works for you?",
        p.title(),
        numbered(dates.iter().map(|d| date(*d, today)))
    ));
    reply.buttons(date_buttons(dates));
}

fn date_buttons(dates: &[NaiveDate]) -> Vec<QuickReply> {
    dates
        .iter()
        .map(|d| QuickReply {
            label: short_date(*d),
            value: d.format("%A, %B %-d %Y").to_string(),
        })
        .collect()
}

pub fn offer_week(
    reply: &mut Reply,
    p: &Project,
    monday: NaiveDate,
    dates: &[NaiveDate],
    today: NaiveDate,
) {
    reply.say(format!(
        "In the week of {} I can book your {} on:\n{}\nWhich date works for you?",
        date(monday, today),
        p.title(),
        numbered(dates.iter().map(|d| date(*d, today)))
    ));
    reply.buttons(date_buttons(dates));
}

pub fn no_dates_that_week(
    reply: &mut Reply,
    monday: NaiveDate,
    nearest: &[NaiveDate],
    today: NaiveDate,
) {
    reply.say(format!(
        "There are no open dates in the week of {}. The closest I have are:\n{}\nWould one of these work?",
        date(monday, today),
        numbered(nearest.iter().map(|d| date(*d, today)))
    ));
    reply.buttons(date_buttons(nearest));
}

pub fn only_slot(reply: &mut Reply, at: NaiveTime, day: NaiveDate, today: NaiveDate) {
    reply.say(format!(
        "{} is the only time open on {}.",
        time(at),
        date(day, today)
    ));
}

/// No offered day fits what the customer ruled in or out.
pub fn no_day_fits(reply: &mut Reply, alternatives: &[NaiveDate], today: NaiveDate) {
    if alternatives.is_empty() {
        reply.say("Sorry, none of the dates I have fit that.");
        return;
    }
    let list = numbered(alternatives.iter().map(|d| date(*d, today)));
    reply
        .say(format!(
            "Sorry, none of the dates I have fit that. The closest I can offer are:\n{list}\nWould one of these work?"
        ))
        .buttons(date_buttons(alternatives));
}

/// No slot of the day fits what the customer ruled in or out.
pub fn no_time_fits(reply: &mut Reply, day: NaiveDate, slots: &[NaiveTime], today: NaiveDate) {
    let list = numbered(slots.iter().map(|t| time(*t)));
    reply
        .say(format!(
            "Sorry, no time on {} fits that. That day I can do:\n{list}\nWould one of these work, or would you like another day?",
            date(day, today)
        ))
        .buttons(slot_buttons(slots));
}

/// What a new summary changes from the one shown before it.
pub fn summary_changed(
    reply: &mut Reply,
    before: &crate::state::Summarised,
    now: &crate::state::Summarised,
    today: NaiveDate,
) {
    let mut changes = Vec::new();
    if before.date != now.date {
        changes.push(format!(
            "{} instead of {}",
            date(now.date, today),
            date(before.date, today)
        ));
    }
    if before.time != now.time {
        changes.push(format!(
            "{} instead of {}",
            time(now.time),
            time(before.time)
        ));
    }
    if before.project != now.project {
        changes.push("a different project".to_string());
    }
    reply.say(format!("Changed: {}.", changes.join(", ")));
}

pub fn date_unavailable(
    reply: &mut Reply,
    wanted: NaiveDate,
    alternatives: &[NaiveDate],
    today: NaiveDate,
) {
    reply.say(format!(
        "Sorry, {} isn't available. The closest dates I have are:\n{}\nWould one of these work?",
        date(wanted, today),
        numbered(alternatives.iter().map(|d| date(*d, today)))
    ));
    reply.buttons(date_buttons(alternatives));
}

pub fn no_dates(reply: &mut Reply, p: &Project) {
    reply.say(format!(
        "There are no open dates for your {} in the coming weeks. Would you like me to connect you with a person?",
        p.title()
    ));
    reply.buttons(vec![QuickReply {
        label: "Talk to a person".into(),
        value: "I want to talk to a person".into(),
    }]);
}

pub fn offer_slots(reply: &mut Reply, day: NaiveDate, slots: &[NaiveTime], today: NaiveDate) {
    reply.say(format!(
        "On {} I can do:\n{}\nWhich time works best?",
        date(day, today),
        numbered(slots.iter().map(|t| time(*t)))
    ));
    reply.buttons(slot_buttons(slots));
}

fn slot_buttons(slots: &[NaiveTime]) -> Vec<QuickReply> {
    slots
        .iter()
        .map(|t| QuickReply {
            label: time(*t),
            value: time(*t),
        })
        .collect()
}

pub fn time_unavailable(
    reply: &mut Reply,
    wanted: NaiveTime,
    day: NaiveDate,
    slots: &[NaiveTime],
    today: NaiveDate,
) {
    reply.say(format!(
        "{} isn't available on {}. I can do:\n{}\nWhich time works best?",
        time(wanted),
        date(day, today),
        numbered(slots.iter().map(|t| time(*t)))
    ));
    reply.buttons(slot_buttons(slots));
}

pub fn confirm_booking(
    reply: &mut Reply,
    p: &Project,
    day: NaiveDate,
    at: NaiveTime,
    today: NaiveDate,
    reschedule: bool,
) {
    let text = if reschedule {
        let from = window(p, today)
            .map(|w| format!(", now on {w},"))
            .unwrap_or_default();
        format!(
            "Just to confirm: move your {}{from} to {} at {}, at {}? Please reply yes or no.",
            project_label(p),
            date(day, today),
            time(at),
            address(p)
        )
    } else {
        format!(
            "Just to confirm: book your {} on {} at {}, at {}? Please reply yes or no.",
            project_label(p),
            date(day, today),
            time(at),
            address(p)
        )
    };
    reply.say(text);
    reply.ask_yes();
}

pub fn booked(
    reply: &mut Reply,
    p: &Project,
    day: NaiveDate,
    at: NaiveTime,
    today: NaiveDate,
    reschedule: bool,
) {
    let verb = if reschedule { "rescheduled" } else { "booked" };
    let tech = p
        .technician
        .as_ref()
        .filter(|t| !t.full_name().is_empty())
        .map(|t| format!(" {} will be your technician.", t.full_name()))
        .unwrap_or_default();
    reply.say(format!(
        "You're all set! Your {} is {verb} for {} at {}.{tech} You can see the details on your project page.",
        project_label(p), date(day, today), time(at)
    ));
    reply.link(p);
}

pub fn booked_test_mode(
    reply: &mut Reply,
    p: &Project,
    day: NaiveDate,
    at: NaiveTime,
    today: NaiveDate,
) {
    reply.say(format!(
        "This was a test: nothing was booked. In live mode your {} would now be scheduled for {} at {}.",
        project_label(p), date(day, today), time(at)
    ));
    reply.link(p);
}

pub fn slot_taken(reply: &mut Reply, day: NaiveDate, remaining: &[NaiveTime], today: NaiveDate) {
    reply.say(format!(
        "Sorry, that time was just taken by someone else. On {} I still have:\n{}\nWhich one would you like?",
        date(day, today),
        numbered(remaining.iter().map(|t| time(*t)))
    ));
    reply.buttons(slot_buttons(remaining));
}

pub fn slot_taken_day_full(reply: &mut Reply) {
    reply.say("Sorry, that time was just taken, and that day is now full.");
}

// ---------------------------------------------------------------------------------------------
// Writes whose outcome is not a plain yes or no

fn write_what(
    p: &Project,
    kind: WriteKind,
    slot: Option<NaiveDateTime>,
    today: NaiveDate,
) -> String {
    let at = slot
        .map(|at| format!(" for {} at {}", date(at.date(), today), time(at.time())))
        .unwrap_or_default();
    match kind {
        WriteKind::Book => format!("booking of your {}{at}", project_label(p)),
        WriteKind::Reschedule => format!("move of your {}{at}", project_label(p)),
        WriteKind::Cancel => format!("cancellation of your {}", project_label(p)),
    }
}

/// Sent, and neither PF360 nor the dashboard has said whether it happened.
pub fn write_uncertain(
    reply: &mut Reply,
    p: &Project,
    kind: WriteKind,
    slot: Option<NaiveDateTime>,
    today: NaiveDate,
) {
    reply.say(format!(
        "The scheduling system hasn't confirmed the {} yet, so I can't tell you whether it went through. I'll check again with your next message (or ask me \"is it booked?\"); please don't book it again meanwhile.",
        write_what(p, kind, slot, today)
    ));
    reply.link(p);
}

/// Long enough after it was sent, the dashboard still does not show it.
pub fn write_did_not_happen(
    reply: &mut Reply,
    p: &Project,
    kind: WriteKind,
    slot: Option<NaiveDateTime>,
    today: NaiveDate,
) {
    reply.say(format!(
        "I checked: the {} didn't go through; the schedule doesn't show it. Would you like to try again?",
        write_what(p, kind, slot, today)
    ));
    reply.link(p);
}

/// Another conversation is changing the same project right now.
pub fn write_in_progress(reply: &mut Reply, p: &Project) {
    reply.say(format!(
        "Another change to your {} is being made right now (maybe in another window). Give it a moment, then say yes again, and I'll check the schedule first.",
        project_label(p)
    ));
    reply.ask_yes();
}

/// The journal could not record the write, so it was not sent.
pub fn write_not_recorded(reply: &mut Reply) {
    reply.say("Sorry, I can't make changes right now because of a problem on our side. Nothing was changed; please say yes again in a minute.");
    reply.ask_yes();
}

/// The project changed (elsewhere) after the summary was shown.
pub fn project_changed(reply: &mut Reply, p: &Project, today: NaiveDate) {
    let now = window(p, today)
        .map(|w| format!(" It's now scheduled for {w}."))
        .unwrap_or_else(|| format!(" It's now {}.", p.status));
    reply.say(format!(
        "Your {} was just changed (maybe in another window), so I didn't go ahead.{now}",
        project_label(p)
    ));
}

pub fn request_renewed(reply: &mut Reply) {
    reply.say("That took a little while, so I checked the calendar again.");
}

pub fn not_booked(reply: &mut Reply) {
    reply.say("Okay, I haven't booked anything. Which other date or time would you prefer?");
}

// ---------------------------------------------------------------------------------------------
// Cancelling

pub fn confirm_cancel(reply: &mut Reply, p: &Project, today: NaiveDate) {
    let when = window(p, today)
        .map(|w| format!(" on {w}"))
        .unwrap_or_default();
    reply.say(format!(
        "Just to confirm: cancel the appointment for your {}{when}, at {}? Please reply yes or no.",
        project_label(p),
        address(p)
    ));
    reply.ask_yes();
}

pub fn cancelled(reply: &mut Reply, p: &Project) {
    reply.say(format!(
        "Your appointment for the {} is cancelled. The project is ready to be scheduled again whenever you like.",
        project_label(p)
    ));
    reply.link(p);
    reply.buttons(vec![QuickReply {
        label: "Pick a new date".into(),
        value: format!("schedule {}", project_value(p)),
    }]);
}

pub fn cancelled_test_mode(reply: &mut Reply, p: &Project) {
    reply.say(format!(
        "This was a test: nothing was cancelled. In live mode the appointment for your {} would now be cancelled.",
        project_label(p)
    ));
    reply.link(p);
}

pub fn cancel_kept(reply: &mut Reply) {
    reply.say("Okay, I've kept your appointment as it is.");
}

pub fn not_scheduled(reply: &mut Reply, p: &Project) {
    reply.say(format!(
        "Your {} doesn't have an appointment to cancel; it's {}.",
        p.title(),
        p.status
    ));
}

pub fn nothing_to_cancel(reply: &mut Reply) {
    reply.say("You don't have any scheduled appointments to cancel.");
}

// ---------------------------------------------------------------------------------------------
// Notes

pub fn ask_note_text(reply: &mut Reply, p: &Project) {
    reply.say(format!(
        "What would you like the note on your {} to say?",
        p.title()
    ));
}

pub fn confirm_note(reply: &mut Reply, p: &Project, text: &str) {
    reply.say(format!(
        "Just to confirm: add this note for the crew to your {}: \"{text}\"? Please reply yes or no.",
        project_label(p)
    ));
    reply.ask_yes();
}

pub fn note_dropped(reply: &mut Reply) {
    reply.say("OK, I won't add that note. Anything else?");
    reply.buttons(menu());
}

pub fn note_added(reply: &mut Reply, p: &Project, text: &str) {
    reply.say(format!(
        "I've added this note to your {}: \"{text}\". The crew will see it.",
        p.title()
    ));
    reply.link(p);
}

pub fn notes(reply: &mut Reply, notes: &[Note], projects: &[Project]) {
    if notes.is_empty() {
        reply.say("There are no notes added here yet. You can say \"add a note\" to leave one for the crew.");
        return;
    }
    let name = |id: &str| {
        projects
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| format!("project {id}"), Project::title)
    };
    let lines = notes
        .iter()
        .map(|n| format!("{}: \"{}\"", name(&n.project_id), n.text));
    reply.say(format!(
        "Here are the notes added here:\n{}",
        numbered(lines)
    ));
}

// ---------------------------------------------------------------------------------------------
// Resuming

/// After a digression, the question the flow is waiting on.
pub fn resume(reply: &mut Reply, what: &str) {
    reply.say(format!("Now, back to {what}."));
}

/// A button pressed under an older reply: it answers a question no longer asked.
pub fn stale_answer(reply: &mut Reply) {
    reply.say("That button was for an earlier question, so I haven't acted on it. Here's where we are now:");
}
