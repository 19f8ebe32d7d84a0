//! Every answer the assistant gives, with the structured parts beside the text: quick replies
//! (projects, dates, slots, yes/no as buttons) and links. Channels render them as they can:
//! buttons on the web, numbered lines in SMS, prompts in voice. The wording itself is in the
//! message catalogue ([`crate::catalogue`]); this module decides which message, with what.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use pf360::project::DurationUnit;
use pf360::{Pf360Error, Project, ProjectStatus};
use serde::{Deserialize, Serialize};

use crate::catalogue::{self, Channel, Language, Message, msg};
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
    /// The language the reply is written in.
    #[serde(skip)]
    pub language: Language,
    /// The channel it is written for.
    #[serde(skip)]
    pub channel: Channel,
}

impl Reply {
    pub fn new(language: Language, channel: Channel) -> Self {
        Reply {
            language,
            channel,
            ..Reply::default()
        }
    }

    /// A message worded for this reply's language and channel.
    pub fn text(&self, message: Message) -> String {
        catalogue::render(self.language, self.channel, &message)
    }

    /// Adds a paragraph saying `message`.
    pub fn say(&mut self, message: Message) -> &mut Self {
        let text = self.text(message);
        self.paragraph(text)
    }

    /// Adds a paragraph of sentences already worded.
    fn paragraph(&mut self, text: impl AsRef<str>) -> &mut Self {
        // Two requests of one message may end on the same question or notice: said once.
        if self.text.split("\n\n").any(|said| said == text.as_ref()) {
            return self;
        }
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        self.text.push_str(text.as_ref());
        self
    }

    /// Ends with the question of a summary: the next plain yes confirms it.
    fn ask_yes(&mut self) -> &mut Self {
        self.asks_yes = true;
        let buttons = yes_no(self);
        self.buttons(buttons)
    }

    /// Replaces the buttons.
    pub fn buttons(&mut self, buttons: Vec<QuickReply>) -> &mut Self {
        self.quick_replies = buttons;
        self
    }

    pub fn link(&mut self, project: &Project) -> &mut Self {
        let label = self.text(msg!("link-view-project", project = project.title()));
        self.links.push(Link {
            label,
            url: project.detail_url.clone(),
        });
        self
    }

    /// A button showing `label` that sends `value`, which understanding reads (in English).
    fn button(&self, label: Message, value: impl Into<String>) -> QuickReply {
        QuickReply {
            label: self.text(label),
            value: value.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Formatting

/// "Tuesday, November 11" / "martes 11 de noviembre", with the year when it is not this
/// year's.
pub fn date(d: NaiveDate, today: NaiveDate, language: Language) -> String {
    let this_year = d.year() == today.year();
    match language {
        Language::English if this_year => d.format("%A, %B %-d").to_string(),
        Language::English => d.format("%A, %B %-d, %Y").to_string(),
        Language::Spanish => {
            let day = format!(
                "{} {} de {}",
                SPANISH_WEEKDAYS[d.weekday().num_days_from_monday() as usize],
                d.day(),
                SPANISH_MONTHS[d.month0() as usize]
            );
            if this_year {
                day
            } else {
                format!("{day} de {}", d.year())
            }
        }
    }
}

const SPANISH_WEEKDAYS: [&str; 7] = [
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
];
const SPANISH_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// "Tue, Nov 11" / "mar 11 nov" for buttons.
pub fn short_date(d: NaiveDate, language: Language) -> String {
    match language {
        Language::English => d.format("%a, %b %-d").to_string(),
        Language::Spanish => {
            let weekday = SPANISH_WEEKDAYS[d.weekday().num_days_from_monday() as usize];
            let month = SPANISH_MONTHS[d.month0() as usize];
            format!(
                "{} {} {}",
                weekday.chars().take(3).collect::<String>(),
                d.day(),
                month.chars().take(3).collect::<String>()
            )
        }
    }
}

/// "10:00 AM" / "10:00 a. m.".
pub fn time(t: NaiveTime, language: Language) -> String {
    match language {
        Language::English => t.format("%-I:%M %p").to_string(),
        Language::Spanish => {
            let half = if chrono::Timelike::hour(&t) < 12 {
                "a. m."
            } else {
                "p. m."
            };
            format!("{} {half}", t.format("%-I:%M"))
        }
    }
}

/// "Flooring Installation (ORD-2025-001)".
pub fn project_label(p: &Project) -> String {
    match &p.order_number {
        Some(order) => format!("{} ({order})", p.title()),
        None => p.title(),
    }
}

fn address(reply: &Reply, p: &Project) -> String {
    p.address
        .as_ref()
        .map_or_else(|| reply.text(msg!("address-on-file")), |a| a.full.clone())
}

/// The status in the customer's language; one PF360 has no name for is shown as it came.
fn status_label(reply: &Reply, status: &ProjectStatus) -> String {
    let message = match status {
        ProjectStatus::ReadyToSchedule => msg!("status-ready-to-schedule"),
        ProjectStatus::Scheduled => msg!("status-scheduled"),
        ProjectStatus::InProgress => msg!("status-in-progress"),
        ProjectStatus::Completed => msg!("status-completed"),
        ProjectStatus::Cancelled => msg!("status-cancelled"),
        ProjectStatus::OnHold => msg!("status-on-hold"),
        ProjectStatus::Other(raw) => return raw.clone(),
    };
    reply.text(message)
}

/// "4 hours", "1 day".
fn duration(reply: &Reply, d: &pf360::project::ServiceDuration) -> String {
    let value = d.value.to_string();
    let one = d.value == 1.0;
    reply.text(match (d.unit, one) {
        (DurationUnit::Minutes, true) => msg!("duration-minute", value = value),
        (DurationUnit::Minutes, false) => msg!("duration-minutes", value = value),
        (DurationUnit::Hours, true) => msg!("duration-hour", value = value),
        (DurationUnit::Hours, false) => msg!("duration-hours", value = value),
        (DurationUnit::Days, true) => msg!("duration-day", value = value),
        (DurationUnit::Days, false) => msg!("duration-days", value = value),
    })
}

fn numbered(items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| format!("{}. {item}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

fn dates_list(dates: &[NaiveDate], today: NaiveDate, language: Language) -> String {
    numbered(dates.iter().map(|d| date(*d, today, language)))
}

fn times_list(times: &[NaiveTime], language: Language) -> String {
    numbered(times.iter().map(|t| time(*t, language)))
}

/// Sentences of one paragraph.
fn sentences(parts: Vec<String>) -> String {
    parts.join(" ")
}

fn yes_no(reply: &Reply) -> Vec<QuickReply> {
    vec![
        reply.button(msg!("button-yes"), "yes"),
        reply.button(msg!("button-no"), "no"),
    ]
}

fn talk_to_person(reply: &Reply) -> QuickReply {
    reply.button(msg!("button-talk-to-person"), "I want to talk to a person")
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
fn window(reply: &Reply, p: &Project, today: NaiveDate) -> Option<String> {
    let w = p.scheduled.as_ref()?;
    let day = date(w.date, today, reply.language);
    Some(match (w.start, w.end) {
        (Some(s), Some(e)) if e > s => reply.text(msg!(
            "window-from-to",
            date = day,
            start = time(s.time(), reply.language),
            end = time(e.time(), reply.language),
        )),
        (Some(s), _) => reply.text(msg!(
            "window-at",
            date = day,
            time = time(s.time(), reply.language)
        )),
        _ => day,
    })
}

// ---------------------------------------------------------------------------------------------
// Conversation

pub fn greeting(reply: &mut Reply) {
    reply.say(msg!("greeting"));
    let buttons = menu(reply);
    reply.buttons(buttons);
}

pub fn menu(reply: &Reply) -> Vec<QuickReply> {
    vec![
        reply.button(
            msg!("button-schedule-appointment"),
            "I want to schedule an appointment",
        ),
        reply.button(msg!("button-view-projects"), "show my projects"),
        reply.button(
            msg!("button-check-availability"),
            "what dates are available?",
        ),
    ]
}

pub fn hello(reply: &mut Reply) {
    reply.say(msg!("hi"));
}

pub fn thanks(reply: &mut Reply) {
    reply.say(msg!("thanks"));
}

pub fn goodbye(reply: &mut Reply) {
    reply.say(msg!("goodbye"));
}

pub fn help(reply: &mut Reply) {
    reply.say(msg!("help"));
    let buttons = menu(reply);
    reply.buttons(buttons);
}

pub fn anything_else(reply: &mut Reply) {
    reply.say(msg!("anything-else"));
    let buttons = menu(reply);
    reply.buttons(buttons);
}

pub fn unclear(reply: &mut Reply, streak: u32) {
    if streak >= 2 {
        reply.say(msg!("unclear-again"));
    } else {
        reply.say(msg!("unclear"));
    }
    let mut buttons = menu(reply);
    if streak >= 2 {
        buttons.push(talk_to_person(reply));
    }
    reply.buttons(buttons);
}

/// A message not understood while a summary waited for a yes: the summary is not repeated as
/// if nothing had been said, and nothing was done.
pub fn change_not_understood(reply: &mut Reply, what: Message) {
    let what = reply.text(what);
    reply.say(msg!("change-not-understood", what = what));
    let buttons = vec![
        reply.button(msg!("button-go-over-again"), "yes"),
        reply.button(msg!("button-stop"), "stop"),
    ];
    reply.buttons(buttons);
}

/// Before a complaint is handed to a person.
pub fn apology(reply: &mut Reply) {
    reply.say(msg!("complaint-apology"));
}

pub fn handoff(reply: &mut Reply) {
    reply.say(msg!("handoff"));
}

/// One request dropped ("forget the note"); whatever else is under way goes on.
pub fn dropped(reply: &mut Reply, what: Message) {
    let what = reply.text(what);
    reply.say(msg!("dropped", what = what));
}

pub fn stopped(reply: &mut Reply, what: Message) {
    let what = reply.text(what);
    reply.say(msg!("stopped", what = what));
    let buttons = menu(reply);
    reply.buttons(buttons);
}

pub fn injection(reply: &mut Reply) {
    reply.say(msg!("injection"));
}

pub fn pf360_error(reply: &mut Reply, error: &Pf360Error) {
    // What the customer is told of each failure, with no codes or internals.
    reply.say(match error {
        Pf360Error::Timeout(_) | Pf360Error::Network(_) => msg!("error-unreachable"),
        Pf360Error::RateLimited { .. } => msg!("error-busy"),
        Pf360Error::Unauthorized(_) => msg!("error-session-expired"),
        Pf360Error::Forbidden(_) | Pf360Error::NotFound(_) => msg!("project-not-found"),
        Pf360Error::Conflict(_) => msg!("error-slot-taken"),
        Pf360Error::Invalid(_) => msg!("error-request-refused"),
        Pf360Error::Server { .. } | Pf360Error::Decode(_) => msg!("error-system-problem"),
    });
}

// ---------------------------------------------------------------------------------------------
// Projects

pub fn project_list(reply: &mut Reply, projects: &[Project], today: NaiveDate) {
    if projects.is_empty() {
        reply.say(msg!("no-projects"));
        return;
    }
    let lines: Vec<String> = projects
        .iter()
        .map(|p| {
            let status = status_label(reply, &p.status);
            match (&p.status, window(reply, p, today)) {
                (ProjectStatus::Scheduled | ProjectStatus::InProgress, Some(w)) => {
                    reply.text(msg!(
                        "project-line-with-window",
                        project = project_label(p),
                        status = status,
                        window = w,
                    ))
                }
                _ => reply.text(msg!(
                    "project-line",
                    project = project_label(p),
                    status = status
                )),
            }
        })
        .collect();
    reply.say(msg!("project-list", list = numbered(lines)));
    let refs: Vec<&Project> = projects.iter().collect();
    reply.buttons(project_buttons(&refs));
}

/// "Which project would you like to {purpose}?", `purpose` being one of the `purpose-*`
/// messages.
pub fn which_project(reply: &mut Reply, purpose: Message, projects: &[&Project]) {
    let lines: Vec<String> = projects
        .iter()
        .map(|p| {
            let status = status_label(reply, &p.status);
            reply.text(msg!(
                "project-line",
                project = project_label(p),
                status = status
            ))
        })
        .collect();
    let purpose = reply.text(purpose);
    reply.say(msg!(
        "which-project",
        purpose = purpose,
        list = numbered(lines)
    ));
    reply.buttons(project_buttons(projects));
}

/// A project named in a request that is not on the account (or not the customer's): said,
/// and nothing done with any other project instead.
pub fn project_not_found_named(reply: &mut Reply, reference: &ProjectRef) {
    let what = match reference {
        ProjectRef::OrderNumber(order) => reply.text(msg!("order-reference", order = order)),
        ProjectRef::Id(id) => reply.text(msg!("project-reference", id = id)),
        ProjectRef::Words(words) => words.join(" "),
        ProjectRef::InFocus => String::new(),
    };
    if what.is_empty() {
        reply.say(msg!("project-not-found-unnamed"));
    } else {
        reply.say(msg!("project-not-found-named", reference = what));
    }
}

/// A request kept until the one under way is finished; `what` is one of the `topic-*`
/// messages.
pub fn queued(reply: &mut Reply, what: Message) {
    let what = reply.text(what);
    reply.say(msg!("queued", what = what));
}

/// The next request kept for later.
pub fn next_request(reply: &mut Reply, what: Message) {
    let what = reply.text(what);
    reply.say(msg!("next-request", what = what));
}

pub fn project_not_found(reply: &mut Reply) {
    reply.say(msg!("project-not-found"));
}

/// Why a project cannot be booked, in the customer's terms.
/// "I meant the countertops, not the cabinets" before any summary: which project it is now.
pub fn switched_project(reply: &mut Reply, p: &Project) {
    reply.say(msg!("switched-project", project = p.title()));
}

pub fn cannot_schedule(reply: &mut Reply, p: &Project, today: NaiveDate) {
    let project = p.title();
    let why = match &p.status {
        ProjectStatus::Completed => match p.completed_on {
            Some(d) => msg!(
                "cannot-schedule-completed-on",
                project = project,
                date = date(d, today, reply.language)
            ),
            None => msg!("cannot-schedule-completed", project = project),
        },
        ProjectStatus::InProgress => msg!("cannot-schedule-in-progress", project = project),
        ProjectStatus::Cancelled => msg!("cannot-schedule-cancelled", project = project),
        other => msg!(
            "cannot-schedule-status",
            project = project,
            status = status_label(reply, other)
        ),
    };
    reply.say(why);
}

pub fn nothing_to_schedule(reply: &mut Reply, reschedule: bool) {
    if reschedule {
        reply.say(msg!("nothing-to-reschedule"));
    } else {
        reply.say(msg!("nothing-to-schedule"));
    }
}

pub fn status(reply: &mut Reply, p: &Project, today: NaiveDate) {
    let mut text = vec![reply.text(msg!(
        "status-is",
        project = project_label(p),
        status = status_label(reply, &p.status)
    ))];
    match (&p.status, window(reply, p, today)) {
        (ProjectStatus::Scheduled, Some(w)) => text.push(reply.text(msg!(
            "status-appointment-on",
            window = w,
            address = address(reply, p)
        ))),
        (ProjectStatus::InProgress, Some(w)) => {
            text.push(reply.text(msg!("status-work-started", window = w)))
        }
        (ProjectStatus::ReadyToSchedule, _) => text.push(reply.text(msg!("status-ready"))),
        _ => {}
    }
    if let (ProjectStatus::Completed, Some(d)) = (&p.status, p.completed_on) {
        text.push(reply.text(msg!(
            "status-completed-on",
            date = date(d, today, reply.language)
        )));
    }
    if let Some(d) = &p.duration {
        text.push(reply.text(msg!("status-duration", duration = duration(reply, d))));
    }
    if let Some(t) = p.technician.as_ref().filter(|t| !t.full_name().is_empty()) {
        text.push(reply.text(msg!("status-technician", technician = t.full_name())));
    }
    reply.paragraph(sentences(text));
    reply.link(p);
    // The next step, one tap away.
    if p.can_be_scheduled() && p.status != ProjectStatus::Scheduled {
        let buttons = vec![reply.button(
            msg!("button-schedule-it"),
            format!("schedule {}", project_value(p)),
        )];
        reply.buttons(buttons);
    }
}

pub fn technician(reply: &mut Reply, p: &Project, today: NaiveDate) {
    match p.technician.as_ref().filter(|t| !t.full_name().is_empty()) {
        Some(t) => match window(reply, p, today) {
            Some(w) => reply.say(msg!(
                "technician-assigned-on",
                technician = t.full_name(),
                project = p.title(),
                window = w
            )),
            None => reply.say(msg!(
                "technician-assigned",
                technician = t.full_name(),
                project = p.title()
            )),
        },
        None => reply.say(msg!("technician-not-assigned", project = p.title())),
    };
    reply.link(p);
}

/// How long the job takes, as PF360 says.
pub fn how_long(reply: &mut Reply, p: &Project) {
    match &p.duration {
        Some(d) => {
            let duration = duration(reply, d);
            reply.say(msg!(
                "duration-answer",
                project = p.title(),
                duration = duration
            ))
        }
        None => reply.say(msg!("duration-unknown", project = p.title())),
    };
}

pub fn business_hours(reply: &mut Reply, days: &[pf360::models::WorkDay]) {
    let named = |working: bool| -> Vec<&str> {
        days.iter()
            .filter(|d| d.is_working == working)
            .map(|d| weekday_name(&d.day, reply.language))
            .collect()
    };
    let (working, closed) = (named(true), named(false));
    let mut text = vec![if working.is_empty() {
        reply.text(msg!("no-working-days"))
    } else {
        reply.text(msg!("working-days", days = join_and(reply, &working)))
    }];
    if !closed.is_empty() {
        text.push(reply.text(msg!("closed-days", days = join_and(reply, &closed))));
    }
    reply.paragraph(sentences(text));
}

/// A weekday as PF360 names it ("Monday"), in the reply's language.
fn weekday_name(day: &str, language: Language) -> &str {
    match (language, day.parse::<chrono::Weekday>()) {
        (Language::Spanish, Ok(w)) => SPANISH_WEEKDAYS[w.num_days_from_monday() as usize],
        _ => day,
    }
}

/// "Monday, Tuesday and Wednesday".
fn join_and(reply: &Reply, items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => reply.text(msg!("list-and", init = init.join(", "), last = last)),
    }
}

/// The forecast for `place` (a city or an address; none when the project has no address).
pub fn weather(
    reply: &mut Reply,
    place: Option<&str>,
    day: NaiveDate,
    today: NaiveDate,
    forecast: Option<&Forecast>,
) {
    let place = place.map_or_else(|| reply.text(msg!("your-area")), str::to_string);
    match forecast {
        Some(f) => reply.say(msg!(
            "weather-forecast",
            place = place,
            date = date(day, today, reply.language),
            summary = f.summary,
            high = f.high_f,
            low = f.low_f,
            rain = f.precipitation_chance,
        )),
        None => reply.say(msg!(
            "weather-no-forecast",
            place = place,
            date = date(day, today, reply.language)
        )),
    };
}

pub fn weather_needs_date(reply: &mut Reply) {
    reply.say(msg!("weather-needs-date"));
}

pub fn notes_unavailable(reply: &mut Reply) {
    reply.say(msg!("notes-unavailable"));
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
    let list = dates_list(dates, today, reply.language);
    if reschedule {
        reply.say(msg!(
            "offer-dates-reschedule",
            project = p.title(),
            dates = list
        ));
    } else {
        reply.say(msg!("offer-dates", project = p.title(), dates = list));
    }
    reply.buttons(date_buttons(dates, reply.language));
}

fn date_buttons(dates: &[NaiveDate], language: Language) -> Vec<QuickReply> {
    dates
        .iter()
        .map(|d| QuickReply {
            label: short_date(*d, language),
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
    reply.say(msg!(
        "offer-week",
        week = date(monday, today, reply.language),
        project = p.title(),
        dates = dates_list(dates, today, reply.language)
    ));
    reply.buttons(date_buttons(dates, reply.language));
}

pub fn no_dates_that_week(
    reply: &mut Reply,
    monday: NaiveDate,
    nearest: &[NaiveDate],
    today: NaiveDate,
) {
    reply.say(msg!(
        "no-dates-that-week",
        week = date(monday, today, reply.language),
        dates = dates_list(nearest, today, reply.language)
    ));
    reply.buttons(date_buttons(nearest, reply.language));
}

pub fn only_slot(reply: &mut Reply, at: NaiveTime, day: NaiveDate, today: NaiveDate) {
    reply.say(msg!(
        "only-slot",
        time = time(at, reply.language),
        date = date(day, today, reply.language)
    ));
}

/// No offered day fits what the customer ruled in or out.
pub fn no_day_fits(reply: &mut Reply, alternatives: &[NaiveDate], today: NaiveDate) {
    if alternatives.is_empty() {
        reply.say(msg!("no-day-fits"));
        return;
    }
    let buttons = date_buttons(alternatives, reply.language);
    reply
        .say(msg!(
            "no-day-fits-alternatives",
            dates = dates_list(alternatives, today, reply.language)
        ))
        .buttons(buttons);
}

/// No slot of the day fits what the customer ruled in or out.
pub fn no_time_fits(reply: &mut Reply, day: NaiveDate, slots: &[NaiveTime], today: NaiveDate) {
    let buttons = slot_buttons(slots, reply.language);
    reply
        .say(msg!(
            "no-time-fits",
            date = date(day, today, reply.language),
            times = times_list(slots, reply.language)
        ))
        .buttons(buttons);
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
        changes.push(reply.text(msg!(
            "changed-instead-of",
            now = date(now.date, today, reply.language),
            before = date(before.date, today, reply.language)
        )));
    }
    if before.time != now.time {
        changes.push(reply.text(msg!(
            "changed-instead-of",
            now = time(now.time, reply.language),
            before = time(before.time, reply.language)
        )));
    }
    if before.project != now.project {
        changes.push(reply.text(msg!("changed-project")));
    }
    reply.say(msg!("summary-changed", changes = changes.join(", ")));
}

pub fn date_unavailable(
    reply: &mut Reply,
    wanted: NaiveDate,
    alternatives: &[NaiveDate],
    today: NaiveDate,
) {
    reply.say(msg!(
        "date-unavailable",
        date = date(wanted, today, reply.language),
        dates = dates_list(alternatives, today, reply.language)
    ));
    reply.buttons(date_buttons(alternatives, reply.language));
}

/// The note said with a booking, read back before the booking's summary.
pub fn note_with_booking(reply: &mut Reply, text: &str) {
    reply.say(msg!("note-with-booking", text = text));
}

/// A day past the last one PF360 offers: said so, with the last bookable day.
pub fn date_too_far(
    reply: &mut Reply,
    wanted: NaiveDate,
    last: NaiveDate,
    alternatives: &[NaiveDate],
    today: NaiveDate,
) {
    reply.say(msg!(
        "date-too-far",
        date = date(wanted, today, reply.language),
        last = date(last, today, reply.language),
        dates = dates_list(alternatives, today, reply.language)
    ));
    reply.buttons(date_buttons(alternatives, reply.language));
}

pub fn no_dates(reply: &mut Reply, p: &Project) {
    reply.say(msg!("no-dates", project = p.title()));
    let buttons = vec![talk_to_person(reply)];
    reply.buttons(buttons);
}

pub fn offer_slots(reply: &mut Reply, day: NaiveDate, slots: &[NaiveTime], today: NaiveDate) {
    reply.say(msg!(
        "offer-slots",
        date = date(day, today, reply.language),
        times = times_list(slots, reply.language)
    ));
    reply.buttons(slot_buttons(slots, reply.language));
}

fn slot_buttons(slots: &[NaiveTime], language: Language) -> Vec<QuickReply> {
    slots
        .iter()
        .map(|t| QuickReply {
            label: time(*t, language),
            // What the button sends is read by the understanding, in English.
            value: time(*t, Language::English),
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
    reply.say(msg!(
        "time-unavailable",
        time = time(wanted, reply.language),
        date = date(day, today, reply.language),
        times = times_list(slots, reply.language)
    ));
    reply.buttons(slot_buttons(slots, reply.language));
}

/// A reschedule that would land where the appointment already is.
pub fn already_there(
    reply: &mut Reply,
    p: &Project,
    day: NaiveDate,
    at: NaiveTime,
    others: &[NaiveTime],
    today: NaiveDate,
) {
    if others.is_empty() {
        reply.say(msg!(
            "reschedule-already-there-only",
            project = project_label(p),
            time = time(at, reply.language),
            date = date(day, today, reply.language)
        ));
        return;
    }
    reply.say(msg!(
        "reschedule-already-there",
        project = project_label(p),
        time = time(at, reply.language),
        date = date(day, today, reply.language),
        times = times_list(others, reply.language)
    ));
    reply.buttons(slot_buttons(others, reply.language));
}

pub fn confirm_booking(
    reply: &mut Reply,
    p: &Project,
    day: NaiveDate,
    at: NaiveTime,
    today: NaiveDate,
    reschedule: bool,
) {
    let (project, day, at, place) = (
        project_label(p),
        date(day, today, reply.language),
        time(at, reply.language),
        address(reply, p),
    );
    let question = match (reschedule, window(reply, p, today)) {
        (true, Some(w)) => msg!(
            "confirm-reschedule-from",
            project = project,
            window = w,
            date = day,
            time = at,
            address = place,
        ),
        (true, None) => msg!(
            "confirm-reschedule",
            project = project,
            date = day,
            time = at,
            address = place,
        ),
        (false, _) => msg!(
            "confirm-booking",
            project = project,
            date = day,
            time = at,
            address = place,
        ),
    };
    reply.say(question);
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
    let (project, day, at) = (
        project_label(p),
        date(day, today, reply.language),
        time(at, reply.language),
    );
    let mut text = vec![reply.text(if reschedule {
        msg!("rescheduled", project = project, date = day, time = at)
    } else {
        msg!("booked", project = project, date = day, time = at)
    })];
    if let Some(t) = p.technician.as_ref().filter(|t| !t.full_name().is_empty()) {
        text.push(reply.text(msg!("booked-technician", technician = t.full_name())));
    }
    text.push(reply.text(msg!("details-on-project-page")));
    reply.paragraph(sentences(text));
    reply.link(p);
}

pub fn booked_test_mode(
    reply: &mut Reply,
    p: &Project,
    day: NaiveDate,
    at: NaiveTime,
    today: NaiveDate,
) {
    reply.say(msg!(
        "booked-test-mode",
        project = project_label(p),
        date = date(day, today, reply.language),
        time = time(at, reply.language)
    ));
    reply.link(p);
}

pub fn slot_taken(reply: &mut Reply, day: NaiveDate, remaining: &[NaiveTime], today: NaiveDate) {
    reply.say(msg!(
        "slot-taken",
        date = date(day, today, reply.language),
        times = times_list(remaining, reply.language)
    ));
    reply.buttons(slot_buttons(remaining, reply.language));
}

pub fn slot_taken_day_full(reply: &mut Reply) {
    reply.say(msg!("slot-taken-day-full"));
}

// ---------------------------------------------------------------------------------------------
// Writes whose outcome is not a plain yes or no

fn write_what(
    reply: &Reply,
    p: &Project,
    kind: WriteKind,
    slot: Option<NaiveDateTime>,
    today: NaiveDate,
) -> String {
    let project = project_label(p);
    reply.text(match (kind, slot) {
        (WriteKind::Book, Some(at)) => msg!(
            "write-booking-at",
            project = project,
            date = date(at.date(), today, reply.language),
            time = time(at.time(), reply.language)
        ),
        (WriteKind::Book, None) => msg!("write-booking", project = project),
        (WriteKind::Reschedule, Some(at)) => msg!(
            "write-move-at",
            project = project,
            date = date(at.date(), today, reply.language),
            time = time(at.time(), reply.language)
        ),
        (WriteKind::Reschedule, None) => msg!("write-move", project = project),
        (WriteKind::Cancel, _) => msg!("write-cancellation", project = project),
    })
}

/// Sent, and neither PF360 nor the dashboard has said whether it happened.
pub fn write_uncertain(
    reply: &mut Reply,
    p: &Project,
    kind: WriteKind,
    slot: Option<NaiveDateTime>,
    today: NaiveDate,
) {
    let write = write_what(reply, p, kind, slot, today);
    reply.say(msg!("write-uncertain", write = write));
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
    let write = write_what(reply, p, kind, slot, today);
    reply.say(msg!("write-did-not-happen", write = write));
    reply.link(p);
}

/// Another conversation is changing the same project right now.
pub fn write_in_progress(reply: &mut Reply, p: &Project) {
    reply.say(msg!("write-in-progress", project = project_label(p)));
    reply.ask_yes();
}

/// The journal could not record the write, so it was not sent.
pub fn write_not_recorded(reply: &mut Reply) {
    reply.say(msg!("write-not-recorded"));
    reply.ask_yes();
}

/// The project changed (elsewhere) after the summary was shown.
pub fn project_changed(reply: &mut Reply, p: &Project, today: NaiveDate) {
    let now = match window(reply, p, today) {
        Some(w) => msg!("project-now-scheduled", window = w),
        None => msg!(
            "project-now-status",
            status = status_label(reply, &p.status)
        ),
    };
    let text = vec![
        reply.text(msg!("project-changed", project = project_label(p))),
        reply.text(now),
    ];
    reply.paragraph(sentences(text));
}

pub fn request_renewed(reply: &mut Reply) {
    reply.say(msg!("request-renewed"));
}

pub fn not_booked(reply: &mut Reply) {
    reply.say(msg!("not-booked"));
}

// ---------------------------------------------------------------------------------------------
// Cancelling

pub fn confirm_cancel(reply: &mut Reply, p: &Project, today: NaiveDate) {
    let (project, place) = (project_label(p), address(reply, p));
    let question = match window(reply, p, today) {
        Some(w) => msg!(
            "confirm-cancel-on",
            project = project,
            window = w,
            address = place
        ),
        None => msg!("confirm-cancel", project = project, address = place),
    };
    reply.say(question);
    reply.ask_yes();
}

pub fn cancelled(reply: &mut Reply, p: &Project) {
    reply.say(msg!("cancelled", project = project_label(p)));
    reply.link(p);
    let buttons = vec![reply.button(
        msg!("button-pick-new-date"),
        format!("schedule {}", project_value(p)),
    )];
    reply.buttons(buttons);
}

pub fn cancelled_test_mode(reply: &mut Reply, p: &Project) {
    reply.say(msg!("cancelled-test-mode", project = project_label(p)));
    reply.link(p);
}

pub fn cancel_kept(reply: &mut Reply) {
    reply.say(msg!("cancel-kept"));
}

pub fn not_scheduled(reply: &mut Reply, p: &Project) {
    let status = status_label(reply, &p.status);
    reply.say(msg!("not-scheduled", project = p.title(), status = status));
}

pub fn nothing_to_cancel(reply: &mut Reply) {
    reply.say(msg!("nothing-to-cancel"));
}

// ---------------------------------------------------------------------------------------------
// Notes

pub fn ask_note_text(reply: &mut Reply, p: &Project) {
    reply.say(msg!("ask-note-text", project = p.title()));
}

pub fn confirm_note(reply: &mut Reply, p: &Project, text: &str) {
    reply.say(msg!(
        "confirm-note",
        project = project_label(p),
        text = text
    ));
    reply.ask_yes();
}

pub fn note_dropped(reply: &mut Reply) {
    reply.say(msg!("note-dropped"));
    let buttons = menu(reply);
    reply.buttons(buttons);
}

pub fn note_added(reply: &mut Reply, p: &Project, text: &str) {
    reply.say(msg!("note-added", project = p.title(), text = text));
    reply.link(p);
}

pub fn notes(reply: &mut Reply, notes: &[Note], projects: &[Project]) {
    if notes.is_empty() {
        reply.say(msg!("no-notes"));
        return;
    }
    let name = |id: &str| {
        projects.iter().find(|p| p.id == id).map_or_else(
            || reply.text(msg!("project-reference", id = id)),
            Project::title,
        )
    };
    let lines: Vec<String> = notes
        .iter()
        .map(|n| {
            reply.text(msg!(
                "note-line",
                project = name(&n.project_id),
                text = n.text
            ))
        })
        .collect();
    reply.say(msg!("notes-list", list = numbered(lines)));
}

// ---------------------------------------------------------------------------------------------
// Resuming

/// After a digression, the question the flow is waiting on; `what` is one of the `topic-*`
/// messages.
pub fn resume(reply: &mut Reply, what: Message) {
    let what = reply.text(what);
    reply.say(msg!("resume", what = what));
}

/// A button pressed under an older reply: it answers a question no longer asked.
pub fn stale_answer(reply: &mut Reply) {
    reply.say(msg!("stale-answer"));
}
