//! Booking and rescheduling: project → offered dates → offered slots → summary → explicit yes.
//!
//! Only dates and slots PF360 offered can be chosen; a date that is not offered gets the nearest
//! offered ones. A correction replaces what it names. A slot taken meanwhile (409) offers the
//! rest of that day. A write that may or may not have happened (timeout, 5xx) is checked on the
//! dashboard before anything else is said or sent, so a booking is never made twice.

use super::ActionName;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use pf360::{Pf360Error, Project, ProjectStatus};

use super::Turn;
use super::projects::picked_index;
use super::runtime::{ProjectSaid, SummaryAnswer, summary_answer};
use super::spec::{FlowSpec, Next};
use super::writes::{PlannedWrite, Written, schedule_key};
use crate::catalogue::{Message, msg};
use crate::journal::WriteKind;
use crate::reply;
use crate::state::{Booking, ConversationState, DaySlots, Flow, Offer, OpenRequest, Summarised};
use crate::understand::constraints;
use crate::understand::{Command, DateRule, Intent, ListKind, Pick, TimeRule, Understanding};

/// How many dates to list at once.
const DATES_SHOWN: usize = 5;
/// Reopen a PF360 request older than this (PF360 expires them at 30 minutes).
const REQUEST_MAX_AGE_MINUTES: i64 = 25;

impl FlowSpec for Booking {
    fn topic(&self) -> Message {
        msg!("topic-booking")
    }

    fn resume_topic(&self) -> Option<Message> {
        Some(msg!("topic-your-booking"))
    }

    fn keeps_waiting(&self) -> &'static [Intent] {
        &[Intent::Cancel, Intent::AddNote]
    }

    fn project(&self) -> Option<&str> {
        self.project.as_deref()
    }

    fn confirming(&self) -> bool {
        self.confirming
    }

    fn forget_summary(&mut self) {
        self.confirming = false;
    }

    fn into_flow(self) -> Flow {
        Flow::Booking(self)
    }

    async fn step(
        &mut self,
        turn: &mut Turn<'_>,
        s: &mut ConversationState,
        u: &Understanding,
        projects: &[Project],
    ) -> Next {
        if u.intent() == Some(Intent::Reschedule) {
            self.wants_reschedule = true;
        }
        turn.booking_step(self, s, u, projects).await
    }
}

impl Turn<'_> {
    async fn booking_step(
        &mut self,
        b: &mut Booking,
        s: &mut ConversationState,
        u: &Understanding,
        projects: &[Project],
    ) -> Next {
        // What this message says about date and time, including picks from the list shown.
        let mut date = u.commands.iter().find_map(|c| match c {
            Command::SetDate { date } => Some(*date),
            _ => None,
        });
        let mut time = u.commands.iter().find_map(|c| match c {
            Command::SetTime { time } => Some(*time),
            _ => None,
        });
        let part = u.commands.iter().find_map(|c| match c {
            Command::SetPart { part } => Some(*part),
            _ => None,
        });
        let week = u.commands.iter().find_map(|c| match c {
            Command::SetWeek { monday } => Some(*monday),
            _ => None,
        });
        let mut date_rules: Vec<DateRule> = u
            .commands
            .iter()
            .filter_map(|c| match c {
                Command::DateRule { rule } => Some(*rule),
                _ => None,
            })
            .collect();
        let mut time_rules: Vec<TimeRule> = u
            .commands
            .iter()
            .filter_map(|c| match c {
                Command::TimeRule { rule } => Some(*rule),
                _ => None,
            })
            .collect();
        // "Make it wednesday" while Tuesday the 28th is in play: the Wednesday of that week.
        let bare_weekday = u.commands.iter().find_map(|c| match c {
            Command::SetWeekday { weekday } => Some(*weekday),
            _ => None,
        });
        if let (Some(w), Some(in_play)) = (bare_weekday, b.date)
            && !matches!(s.offer, Some(Offer::Dates(_)))
        {
            let monday =
                in_play - Duration::days(i64::from(in_play.weekday().num_days_from_monday()));
            let same_week = monday + Duration::days(i64::from(w.num_days_from_monday()));
            if same_week >= self.today {
                date = Some(same_week);
            }
        }
        // A pick applies to the list on show; "the latest slot" with another day named, or
        // "the earliest" before any list, is a rule for the dates or times to come.
        let mut pick_used = false;
        match &s.offer {
            // "wed the 15th, the earlier one": the day is named, so the pick is for its times.
            Some(Offer::Dates(dates)) => {
                if date.is_none_or(|d| !constraints::day_fits(&date_rules, d))
                    && let Some(i) = picked_index(u, dates.len(), ListKind::Dates)
                {
                    date = Some(dates[i]);
                    pick_used = true;
                }
                // "Thursday" with a list on show: the Thursday on the list.
                let weekday = u.commands.iter().find_map(|c| match c {
                    Command::SetWeekday { weekday } => Some(*weekday),
                    _ => None,
                });
                if let ([only], None, true) = (dates.as_slice(), date, yes_alone(u)) {
                    date = Some(*only);
                    pick_used = true;
                }
                // "the first slot you have" with days on show: the first of them, its first time.
                let first_slot = u.has(|c| {
                    matches!(
                        c,
                        Command::Choose {
                            pick: Pick::Nth(0),
                            list: ListKind::Slots
                        }
                    )
                });
                if date.is_none() && !pick_used && first_slot {
                    date = dates.first().copied();
                }
                if let Some(w) = weekday
                    && let [one] = dates
                        .iter()
                        .filter(|d| d.weekday() == w)
                        .collect::<Vec<_>>()
                        .as_slice()
                {
                    date = Some(**one);
                }
            }
            Some(Offer::Slots(slots)) if date.is_none_or(|d| Some(d) == b.date) => {
                if let Some(i) = picked_index(u, slots.len(), ListKind::Slots) {
                    time = Some(slots[i]);
                    pick_used = true;
                } else if time.is_none() {
                    time = bare_hour(u);
                }
                // "sí" to a list of one: that one.
                if let ([only], None, true) = (slots.as_slice(), time, yes_alone(u)) {
                    time = Some(*only);
                    pick_used = true;
                }
            }
            _ => {}
        }
        if !pick_used && !matches!(s.offer, Some(Offer::Projects(_))) {
            // A day the same message rules out ("not a friday tho, i work fridays") is not one.
            let day_named = date.is_some_and(|d| constraints::day_fits(&date_rules, d));
            for c in &u.commands {
                match c {
                    Command::Choose { pick, list } => match (list, pick) {
                        (ListKind::Slots, Pick::Last) => time_rules.push(TimeRule::Latest),
                        (ListKind::Slots, Pick::Nth(0)) => time_rules.push(TimeRule::Earliest),
                        (ListKind::Any, Pick::Last) if day_named => {
                            time_rules.push(TimeRule::Latest)
                        }
                        (ListKind::Any, Pick::Nth(0)) if day_named => {
                            time_rules.push(TimeRule::Earliest)
                        }
                        (ListKind::Dates | ListKind::Any, Pick::Last) => {
                            date_rules.push(DateRule::Last)
                        }
                        (ListKind::Dates, Pick::Nth(0)) => date_rules.push(DateRule::First),
                        // "earliest possible", no list on show: the first time of the first day.
                        (ListKind::Any, Pick::Nth(0)) => {
                            date_rules.push(DateRule::First);
                            if time.is_none() && b.time.is_none() {
                                time_rules.push(TimeRule::Earliest);
                            }
                        }
                        _ => {}
                    },
                    _ => continue,
                }
            }
        }
        // "the 7am is fine" under the summary for 7:00: the value shown, said back with a yes,
        // changes nothing.
        let restates_summary = b.summarised.as_ref().is_some_and(|shown| {
            (date.is_some() || time.is_some())
                && date.is_none_or(|d| d == shown.date)
                && time.is_none_or(|t| t == shown.time)
                && u.has(|c| *c == Command::Affirm)
        });
        let corrected = !restates_summary
            && (date.is_some()
                || time.is_some()
                || part.is_some()
                || week.is_some()
                || !date_rules.is_empty()
                || !time_rules.is_empty());
        let was_confirming = b.confirming;

        // Which project.
        let mut named_unschedulable = None;
        let current = b.project.clone();
        // A booking acts on a project without an appointment, a reschedule on one with.
        let moves = b.wants_reschedule;
        let acts_on = move |p: &Project| {
            p.can_be_scheduled() && (p.status == ProjectStatus::Scheduled) == moves
        };
        let said = self.project_said(s, u, projects, current.as_deref(), purpose(b), &acts_on);
        let same_project = matches!(&said, ProjectSaid::One(id) if current.as_ref() == Some(id));
        match said {
            ProjectSaid::One(id) => {
                if b.project.as_deref() != Some(&id) {
                    // "I meant the gutters, not the roof": another project, the same when; said
                    // here unless the summary will say what changed.
                    if b.project.is_some()
                        && b.summarised.is_none()
                        && let Some(p) =
                            projects.iter().find(|p| p.id == id && p.can_be_scheduled())
                    {
                        reply::switched_project(&mut self.reply, p);
                    }
                    let kept = std::mem::take(b);
                    *b = Booking {
                        wants_reschedule: kept.wants_reschedule,
                        project: Some(id.clone()),
                        date: kept.date,
                        week: kept.week,
                        part: kept.part,
                        time: kept.time,
                        date_rules: kept.date_rules,
                        time_rules: kept.time_rules,
                        summarised: kept.summarised,
                        ..Booking::default()
                    };
                }
                named_unschedulable = projects
                    .iter()
                    .find(|p| p.id == id && !p.can_be_scheduled())
                    .cloned();
            }
            ProjectSaid::AskedWhich => {
                // What else was said is kept for the project the customer will choose; until
                // they choose, the one talked about before is not taken in its place.
                b.project = None;
                b.confirming = false;
                b.asked_project = true;
                self.remember(b, date, time, part);
                b.keep_rules(
                    date_rules,
                    time_rules,
                    date.is_some() || week.is_some(),
                    time.is_some(),
                );
                return Next::Keep;
            }
            ProjectSaid::NotTheirs => return Next::Keep,
            ProjectSaid::Nothing => {}
        }
        let (prior_date, prior_time) = (b.date, b.time);
        self.remember(b, date, time, part);
        b.keep_rules(
            date_rules,
            time_rules,
            date.is_some() || week.is_some(),
            time.is_some(),
        );
        if let Some(monday) = week.filter(|_| date.is_none()) {
            // "Anything next week?": a new look at the calendar.
            b.week = Some(monday);
            b.date = None;
        }
        if corrected {
            b.confirming = false;
        }

        // An answer to the summary.
        let answer = if was_confirming && restates_summary && part.is_none() {
            SummaryAnswer::Yes
        } else {
            summary_answer(was_confirming && !corrected, u, same_project)
        };
        match answer {
            SummaryAnswer::Yes => return self.write_booking(b, s, projects).await,
            SummaryAnswer::No => {
                reply::not_booked(&mut self.reply);
                b.confirming = false;
                b.time = None;
                b.date = None;
            }
            SummaryAnswer::Neither => {}
        }

        if let Some(p) = named_unschedulable {
            reply::cannot_schedule(&mut self.reply, &p, self.today);
            s.offer = None;
            return Next::End;
        }

        // Choose the project when only one fits; otherwise ask.
        if b.project.is_none() {
            let schedulable: Vec<&Project> =
                projects.iter().filter(|p| p.can_be_scheduled()).collect();
            let preferred: Vec<&Project> = schedulable
                .iter()
                .copied()
                .filter(|p| (p.status == ProjectStatus::Scheduled) == b.wants_reschedule)
                .collect();
            let candidates = if preferred.is_empty() {
                schedulable
            } else {
                preferred
            };
            // The project just talked about ("reschedule that", "what about friday at 10"),
            // unless the customer asks to book and that one is already booked.
            let asks_to_book = u.intent() == Some(Intent::Schedule) && !b.wants_reschedule;
            let focused: Vec<&Project> = schedulable_focus(s, projects)
                .filter(|p| !(asks_to_book && p.status == ProjectStatus::Scheduled))
                .filter(|_| !b.asked_project)
                .into_iter()
                .collect();
            let candidates = if focused.is_empty() {
                candidates
            } else {
                focused
            };
            if candidates.is_empty() {
                reply::nothing_to_schedule(&mut self.reply, b.wants_reschedule);
                s.offer = None;
                return Next::End;
            }
            match self.project_among(s, &candidates, purpose(b)) {
                Some(id) => b.project = Some(id),
                None => {
                    b.asked_project = true;
                    return Next::Keep;
                }
            }
        }
        let Some(project) = b
            .project
            .as_ref()
            .and_then(|id| projects.iter().find(|p| &p.id == id))
            .cloned()
        else {
            reply::project_not_found(&mut self.reply);
            return Next::End;
        };
        s.focus = Some(project.id.clone());
        let reschedule = project.status == ProjectStatus::Scheduled;

        // The dates PF360 offers (opening a scheduling request when none is open).
        if !self.request_is_fresh(b, &project.id) && !self.open_request(b, &project).await {
            return Next::Keep;
        }
        let dates = b
            .request
            .as_ref()
            .map(|r| r.dates.clone())
            .unwrap_or_default();
        if dates.is_empty() {
            reply::no_dates(&mut self.reply, &project);
            s.offer = None;
            return Next::End;
        }

        // "The next day", "same time", "a week later": from the day and time in play, else
        // from the current appointment; then what no longer fits the rules is chosen again.
        resolve_relative(b, &project, (prior_date, prior_time), s.freed, self.today);
        if b.date
            .is_some_and(|d| !constraints::day_fits(&b.date_rules, d))
        {
            b.date = None;
        }
        if let Some(at) = b.time
            && !constraints::time_fits(&b.time_rules, at)
        {
            b.time = None;
        }

        // The date: the first or last that fits, the only one, or a list of those that do.
        if b.date.is_none() && !b.date_rules.is_empty() {
            let fitting: Vec<NaiveDate> = dates
                .iter()
                .copied()
                .filter(|d| constraints::day_fits(&b.date_rules, *d))
                .filter(|d| {
                    b.week
                        .is_none_or(|monday| *d >= monday && *d < monday + Duration::days(7))
                })
                .collect();
            let first = b.date_rules.contains(&DateRule::First);
            let last = b.date_rules.contains(&DateRule::Last);
            match fitting.as_slice() {
                [] => {
                    let near = b
                        .week
                        .or_else(|| constraints::anchor(&b.date_rules))
                        .unwrap_or(self.today);
                    let alternatives = nearest(&dates, near, 3);
                    reply::no_day_fits(&mut self.reply, &alternatives, self.today);
                    b.date_rules.clear();
                    b.week = None;
                    s.offer = Some(Offer::Dates(alternatives));
                    return Next::Keep;
                }
                [only, ..] if first => {
                    b.date = Some(*only);
                    b.day_by_rule = true;
                }
                [.., only] if last => b.date = Some(*only),
                [only] => b.date = Some(*only),
                several => {
                    let shown: Vec<NaiveDate> = several.iter().copied().take(DATES_SHOWN).collect();
                    reply::offer_dates(&mut self.reply, &project, &shown, self.today, reschedule);
                    s.offer = Some(Offer::Dates(shown));
                    return Next::Keep;
                }
            }
        }
        let Some(day) = b.date else {
            let shown: Vec<NaiveDate> = match b.week {
                Some(monday) => {
                    let in_week: Vec<NaiveDate> = dates
                        .iter()
                        .copied()
                        .filter(|d| *d >= monday && *d < monday + Duration::days(7))
                        .collect();
                    if in_week.is_empty() {
                        let nearest = nearest(&dates, monday, 3);
                        reply::no_dates_that_week(&mut self.reply, monday, &nearest, self.today);
                        s.offer = Some(Offer::Dates(nearest));
                        return Next::Keep;
                    }
                    reply::offer_week(&mut self.reply, &project, monday, &in_week, self.today);
                    s.offer = Some(Offer::Dates(in_week));
                    return Next::Keep;
                }
                None => dates.iter().copied().take(DATES_SHOWN).collect(),
            };
            reply::offer_dates(&mut self.reply, &project, &shown, self.today, reschedule);
            s.offer = Some(Offer::Dates(shown));
            return Next::Keep;
        };
        // "Saturday" again, just after this Saturday was refused: the next Saturday offered.
        let bare_weekday = u.commands.iter().find_map(|c| match c {
            Command::SetWeekday { weekday } => Some(*weekday),
            _ => None,
        });
        let day = match bare_weekday {
            Some(w) if !dates.contains(&day) && day.weekday() == w && b.refused == Some(day) => {
                match dates.iter().find(|d| d.weekday() == w && **d > day) {
                    Some(next) => {
                        b.date = Some(*next);
                        *next
                    }
                    None => day,
                }
            }
            _ => day,
        };
        if !dates.contains(&day) {
            let alternatives = nearest(&dates, day, 3);
            match dates.last() {
                Some(last) if day > *last => {
                    reply::date_too_far(&mut self.reply, day, *last, &alternatives, self.today)
                }
                _ => reply::date_unavailable(&mut self.reply, day, &alternatives, self.today),
            }
            b.refused = Some(day);
            b.date = None;
            s.offer = Some(Offer::Dates(alternatives));
            return Next::Keep;
        }

        // The slots of that date.
        if b.slots.as_ref().is_none_or(|slots| slots.date != day) {
            match self.load_slots(b, &project, day).await {
                Some(times) => b.slots = Some(DaySlots { date: day, times }),
                None => return Next::Keep,
            }
        }
        let times = b
            .slots
            .as_ref()
            .map(|slots| slots.times.clone())
            .unwrap_or_default();
        if times.is_empty() {
            let others: Vec<NaiveDate> = dates.iter().copied().filter(|d| *d != day).collect();
            let alternatives = nearest(&others, day, 3);
            reply::date_unavailable(&mut self.reply, day, &alternatives, self.today);
            b.date = None;
            s.offer = Some(Offer::Dates(alternatives));
            return Next::Keep;
        }

        // The time: the earliest or latest that fits, the only one, or the list of those that
        // do. A day with a single slot needs no question: straight to the summary.
        if b.time.is_none() && !b.time_rules.is_empty() {
            let fitting: Vec<NaiveTime> = times
                .iter()
                .copied()
                .filter(|t| constraints::time_fits(&b.time_rules, *t))
                .filter(|t| b.part.is_none_or(|p| p.contains(*t)))
                .collect();
            let earliest = b.time_rules.contains(&TimeRule::Earliest);
            let latest = b.time_rules.contains(&TimeRule::Latest);
            match fitting.as_slice() {
                [] => {
                    // "The first morning you have": the next day that fits, if its times do.
                    let later = dates.iter().copied().find(|d| {
                        *d > day
                            && constraints::day_fits(&b.date_rules, *d)
                            && b.week.is_none_or(|monday| {
                                *d >= monday && *d < monday + Duration::days(7)
                            })
                    });
                    if b.day_by_rule
                        && let Some(next) = later
                    {
                        b.date = Some(next);
                        b.slots = None;
                        return Box::pin(self.booking_step(
                            b,
                            s,
                            &Understanding::default(),
                            projects,
                        ))
                        .await;
                    }
                    b.day_by_rule = false;
                    reply::no_time_fits(&mut self.reply, day, &times, self.today);
                    b.time_rules.clear();
                    b.part = None;
                    s.offer = Some(Offer::Slots(times));
                    return Next::Keep;
                }
                [only, ..] if earliest => b.time = Some(*only),
                [.., only] if latest => b.time = Some(*only),
                [only] => b.time = Some(*only),
                several => {
                    reply::offer_slots(&mut self.reply, day, several, self.today);
                    s.offer = Some(Offer::Slots(several.to_vec()));
                    return Next::Keep;
                }
            }
        }
        if b.time.is_none()
            && let [only] = times.as_slice()
        {
            b.time = Some(*only);
            reply::only_slot(&mut self.reply, *only, day, self.today);
        }
        // "in the afternoon" when one afternoon time is open: that one, read back in the
        // summary like a time picked by a rule.
        if b.time.is_none()
            && let Some(part) = b.part
            && let [only] = times
                .iter()
                .filter(|t| part.contains(**t))
                .collect::<Vec<_>>()
                .as_slice()
        {
            b.time = Some(**only);
        }
        let Some(at) = b.time else {
            let in_part: Vec<NaiveTime> = match b.part {
                Some(part) => times
                    .iter()
                    .copied()
                    .filter(|t| part.contains(*t))
                    .collect(),
                None => Vec::new(),
            };
            let shown = if in_part.is_empty() { times } else { in_part };
            reply::offer_slots(&mut self.reply, day, &shown, self.today);
            s.offer = Some(Offer::Slots(shown));
            return Next::Keep;
        };
        // "7:30" is read as an afternoon hour when nothing says which; a company that starts
        // at 7:30 in the morning offers that one.
        let morning = at - Duration::hours(12);
        let at =
            if !times.contains(&at) && (13..=19).contains(&at.hour()) && times.contains(&morning) {
                b.time = Some(morning);
                morning
            } else {
                at
            };
        if !times.contains(&at) {
            reply::time_unavailable(&mut self.reply, at, day, &times, self.today);
            b.time = None;
            s.offer = Some(Offer::Slots(times));
            return Next::Keep;
        }

        // Moving an appointment to where it already is would be a write nobody asked for.
        let already_there = project
            .scheduled
            .as_ref()
            .and_then(|w| w.start)
            .is_some_and(|start| start.date() == day && start.time() == at);
        if reschedule && already_there {
            let others: Vec<NaiveTime> = times.iter().copied().filter(|t| *t != at).collect();
            reply::already_there(&mut self.reply, &project, day, at, &others, self.today);
            b.time = None;
            if others.is_empty() {
                b.date = None;
                s.offer = None;
            } else {
                s.offer = Some(Offer::Slots(others));
            }
            return Next::Keep;
        }

        // Everything is chosen: the summary, and wait for a yes.
        self.summarise(b, s, &project, day, at, reschedule);
        Next::Keep
    }

    /// Keeps this message's date, time and part of the day in the booking.
    fn remember(
        &self,
        b: &mut Booking,
        date: Option<NaiveDate>,
        time: Option<NaiveTime>,
        part: Option<crate::understand::datetime::PartOfDay>,
    ) {
        if let Some(d) = date {
            b.date = Some(d);
            b.day_by_rule = false;
        }
        if let Some(t) = time {
            b.time = Some(t);
        }
        if let Some(p) = part {
            b.part = Some(p);
            if time.is_none() && b.time.is_some_and(|t| !p.contains(t)) {
                b.time = None;
            }
        }
    }

    fn request_is_fresh(&self, b: &Booking, project_id: &str) -> bool {
        b.request.as_ref().is_some_and(|r| {
            r.project == project_id
                && self.now - r.opened_at < Duration::minutes(REQUEST_MAX_AGE_MINUTES)
        })
    }

    /// Asks PF360 for dates, keeping the request in the booking. False when the reply already
    /// explains a failure.
    async fn open_request(&mut self, b: &mut Booking, project: &Project) -> bool {
        let result = self
            .engine
            .pf360
            .available_dates(self.caller(), &project.id, self.today)
            .await;
        self.record_result(ActionName::GetAvailableDates, Some(&project.id), &result);
        match result {
            Ok(offered) => {
                b.request = Some(OpenRequest {
                    request_id: offered.request_id,
                    project: project.id.clone(),
                    dates: offered.dates,
                    opened_at: self.now,
                });
                b.slots = None;
                true
            }
            Err(Pf360Error::Invalid(_)) => {
                reply::cannot_schedule(&mut self.reply, project, self.today);
                false
            }
            Err(error) => {
                reply::pf360_error(&mut self.reply, &error);
                false
            }
        }
    }

    /// The slots of `day`; a refused request is renewed once.
    async fn load_slots(
        &mut self,
        b: &mut Booking,
        project: &Project,
        day: NaiveDate,
    ) -> Option<Vec<NaiveTime>> {
        for attempt in 0..2 {
            let request_id = b.request.as_ref()?.request_id.clone();
            let result = self
                .engine
                .pf360
                .time_slots(self.caller(), &project.id, day, &request_id)
                .await;
            self.record_result(ActionName::GetTimeSlots, Some(&project.id), &result);
            match result {
                Ok(times) => return Some(times),
                Err(Pf360Error::Invalid(_)) if attempt == 0 => {
                    if !self.open_request(b, project).await {
                        return None;
                    }
                    if !b.request.as_ref().is_some_and(|r| r.dates.contains(&day)) {
                        return Some(Vec::new());
                    }
                }
                Err(error) => {
                    reply::pf360_error(&mut self.reply, &error);
                    return None;
                }
            }
        }
        None
    }

    async fn write_booking(
        &mut self,
        b: &mut Booking,
        s: &mut ConversationState,
        projects: &[Project],
    ) -> Next {
        let (Some(id), Some(day), Some(at)) = (b.project.clone(), b.date, b.time) else {
            b.confirming = false;
            return Next::Keep;
        };
        let Some(project) = projects.iter().find(|p| p.id == id).cloned() else {
            reply::project_not_found(&mut self.reply);
            return Next::End;
        };
        // The customer agreed to this project, day, time and address; PF360's request is an
        // internal detail. If it has aged out, renew it first and go on only if the very same
        // slot is still offered.
        if !self.request_is_fresh(b, &id) {
            if !self.open_request(b, &project).await {
                return Next::Keep;
            }
            let offered = b.request.as_ref().is_some_and(|r| r.dates.contains(&day))
                && self
                    .load_slots(b, &project, day)
                    .await
                    .is_some_and(|times| times.contains(&at));
            if !offered {
                b.confirming = false;
                b.time = None;
                b.slots = None;
                reply::request_renewed(&mut self.reply);
                return Box::pin(self.booking_step(b, s, &Understanding::default(), projects))
                    .await;
            }
        }
        let Some(request) = b.request.clone() else {
            b.confirming = false;
            return Next::Keep;
        };
        let reschedule = project.status == ProjectStatus::Scheduled;
        let shown = b.shown.clone();
        let written = self
            .guarded_write(PlannedWrite {
                project: &project,
                kind: if reschedule {
                    WriteKind::Reschedule
                } else {
                    WriteKind::Book
                },
                slot: Some((day, at)),
                request_id: Some(&request.request_id),
                shown: &shown,
            })
            .await;
        match written {
            Written::Done => {
                reply::booked(&mut self.reply, &project, day, at, self.today, reschedule);
                s.offer = None;
                if let Some(text) = b.with_note.take()
                    && take_note_said_with_booking(s, &text)
                {
                    self.send_note(&project, &text).await;
                }
                Next::End
            }
            Written::TestMode => {
                reply::booked_test_mode(&mut self.reply, &project, day, at, self.today);
                s.offer = None;
                Next::End
            }
            Written::Uncertain => {
                s.offer = None;
                Next::End
            }
            Written::Held | Written::NotSent => Next::Keep,
            Written::Changed(now) => {
                // Agreed on a schedule that no longer is: say so, and ask again on the new one.
                reply::project_changed(&mut self.reply, &now, self.today);
                b.confirming = false;
                if !now.can_be_scheduled() {
                    s.offer = None;
                    return Next::End;
                }
                let fresh = [*now];
                Box::pin(self.booking_step(b, s, &Understanding::default(), &fresh)).await
            }
            Written::Refused(Pf360Error::Conflict(_)) => {
                b.confirming = false;
                b.time = None;
                let remaining = self
                    .load_slots(b, &project, day)
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|t| *t != at)
                    .collect::<Vec<_>>();
                b.slots = Some(DaySlots {
                    date: day,
                    times: remaining.clone(),
                });
                if remaining.is_empty() {
                    reply::slot_taken_day_full(&mut self.reply);
                    let others: Vec<NaiveDate> = request
                        .dates
                        .iter()
                        .copied()
                        .filter(|d| *d != day)
                        .collect();
                    let alternatives = nearest(&others, day, 3);
                    reply::date_unavailable(&mut self.reply, day, &alternatives, self.today);
                    b.date = None;
                    s.offer = Some(Offer::Dates(alternatives));
                } else {
                    reply::slot_taken(&mut self.reply, day, &remaining, self.today);
                    s.offer = Some(Offer::Slots(remaining));
                }
                Next::Keep
            }
            Written::Refused(Pf360Error::Invalid(_)) => {
                // The request expired or was spent: ask PF360 again and re-confirm if the
                // choice still stands.
                b.confirming = false;
                if !self.open_request(b, &project).await {
                    return Next::Keep;
                }
                let still = b.request.as_ref().is_some_and(|r| r.dates.contains(&day));
                let slots = if still {
                    self.load_slots(b, &project, day).await.unwrap_or_default()
                } else {
                    Vec::new()
                };
                reply::request_renewed(&mut self.reply);
                if slots.contains(&at) {
                    b.slots = Some(DaySlots {
                        date: day,
                        times: slots,
                    });
                    self.summarise(b, s, &project, day, at, reschedule);
                } else {
                    b.time = None;
                    b.date = None;
                    let dates = b
                        .request
                        .as_ref()
                        .map(|r| r.dates.clone())
                        .unwrap_or_default();
                    let alternatives = nearest(&dates, day, 3);
                    reply::date_unavailable(&mut self.reply, day, &alternatives, self.today);
                    s.offer = Some(Offer::Dates(alternatives));
                }
                Next::Keep
            }
            Written::Refused(error) => {
                // PF360 said no (and why): nothing was booked.
                reply::pf360_error(&mut self.reply, &error);
                b.confirming = false;
                if matches!(error, Pf360Error::Unauthorized(_)) {
                    return Next::End;
                }
                Next::Keep
            }
        }
    }

    /// Shows the summary of what a yes would book, on the project as it is now.
    fn summarise(
        &mut self,
        b: &mut Booking,
        s: &mut ConversationState,
        project: &Project,
        day: NaiveDate,
        at: NaiveTime,
        reschedule: bool,
    ) {
        let now = Summarised {
            project: project.id.clone(),
            date: day,
            time: at,
        };
        if let Some(before) = b.summarised.as_ref().filter(|before| **before != now) {
            reply::summary_changed(&mut self.reply, before, &now, self.today);
        }
        // "book the bathroom wednesday, and tell the crew about the dog": the note said with
        // the booking is read back with it, and one yes does both.
        b.with_note = note_said_with_booking(s);
        if let Some(text) = &b.with_note {
            reply::note_with_booking(&mut self.reply, text);
        }
        reply::confirm_booking(&mut self.reply, project, day, at, self.today, reschedule);
        b.summarised = Some(now);
        b.refused = None;
        b.confirming = true;
        b.shown = schedule_key(project);
        s.offer = None;
    }
}

impl Booking {
    /// This message's rules replace the earlier ones of the same kind; a day or time named
    /// outright replaces them too ("after the 24th", then "the 28th" is simply the 28th).
    fn keep_rules(
        &mut self,
        date_rules: Vec<DateRule>,
        time_rules: Vec<TimeRule>,
        date_named: bool,
        time_named: bool,
    ) {
        if !date_rules.is_empty() || date_named {
            if !date_named && date_rules.iter().any(|r| picks_a_day(*r)) {
                self.date = None;
            }
            // "not before the 15th … the first day you have": a pick among the days ruled in.
            let only_picks = !date_named
                && date_rules
                    .iter()
                    .all(|r| matches!(r, DateRule::First | DateRule::Last));
            let kept: Vec<DateRule> = if only_picks {
                self.date_rules
                    .iter()
                    .copied()
                    .filter(|r| {
                        matches!(
                            r,
                            DateRule::After(_)
                                | DateRule::Before(_)
                                | DateRule::Not(_)
                                | DateRule::NotWeekday(_)
                                | DateRule::Weekday(_)
                                | DateRule::Weekend
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            };
            self.date_rules = kept.into_iter().chain(date_rules).collect();
        }
        if !time_rules.is_empty() || time_named {
            if !time_named && time_rules.iter().any(|r| picks_a_time(*r)) {
                self.time = None;
            }
            // "before noon … the later one": a pick among what was ruled in, not instead of it.
            let only_picks = !time_named
                && time_rules
                    .iter()
                    .all(|r| matches!(r, TimeRule::Earliest | TimeRule::Latest));
            let kept: Vec<TimeRule> = if only_picks {
                self.time_rules
                    .iter()
                    .copied()
                    .filter(|r| {
                        matches!(
                            r,
                            TimeRule::After(_) | TimeRule::Before(_) | TimeRule::Not(_)
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            };
            self.time_rules = kept.into_iter().chain(time_rules).collect();
        }
    }
}

/// A rule that asks for another choice among the days, not a filter on the one chosen.
fn picks_a_day(rule: DateRule) -> bool {
    matches!(
        rule,
        DateRule::First
            | DateRule::Last
            | DateRule::After(_)
            | DateRule::Before(_)
            | DateRule::Weekday(_)
            | DateRule::Weekend
    )
}

fn picks_a_time(rule: TimeRule) -> bool {
    matches!(
        rule,
        TimeRule::Earliest
            | TimeRule::Latest
            | TimeRule::After(_)
            | TimeRule::Before(_)
            | TimeRule::Later
            | TimeRule::Earlier
    )
}

/// Turns "the next day", "same day", "same time", "later in the day" into a day or time, or a
/// bound, from what is in play.
fn resolve_relative(
    b: &mut Booking,
    project: &Project,
    (prior_date, prior_time): (Option<NaiveDate>, Option<NaiveTime>),
    freed: Option<NaiveDateTime>,
    today: NaiveDate,
) {
    // In play: the day and time chosen so far, else the day just asked for and refused ("push
    // it back a week" → not offered → "the next day, same time" is the day after that one),
    // else those of the last summary ("no… book the repair at that time instead"), else the
    // current appointment, else the one just cancelled ("…and put the garage door in that
    // spot").
    let booked = project.scheduled.as_ref();
    let shown = b.summarised.as_ref();
    let base_date = prior_date
        .or(b.refused)
        .or(shown.map(|w| w.date))
        .or(booked.map(|w| w.date))
        .or(freed.map(|f| f.date()));
    let base_time = prior_time
        .or(shown.map(|w| w.time))
        .or(booked.and_then(|w| w.start).map(|s| s.time()))
        .or(freed.map(|f| f.time()));
    let time_said = b.time.is_some() || !b.time_rules.is_empty();
    b.date_rules.retain(|rule| match *rule {
        DateRule::Shift(days) => {
            if let Some(base) = base_date {
                b.date = Some(base + Duration::days(days));
                // "Push it back a week": the day moves, the time of day stays.
                if !time_said {
                    b.time = base_time;
                }
            }
            false
        }
        DateRule::SameDay => {
            if b.date.is_none() {
                b.date = base_date;
            }
            false
        }
        DateRule::WeekdayAfter(weekday) => {
            let from = base_date.unwrap_or(today + Duration::days(7));
            b.date = (1..=7)
                .map(|n| from + Duration::days(n))
                .find(|d| d.weekday() == weekday);
            false
        }
        _ => true,
    });
    b.time_rules = b
        .time_rules
        .iter()
        .filter_map(|rule| match *rule {
            TimeRule::Same => {
                if b.time.is_none() || b.time == prior_time {
                    b.time = base_time;
                }
                None
            }
            TimeRule::Later => base_time.map(|t| TimeRule::After(t + Duration::minutes(1))),
            TimeRule::Earlier => base_time.map(TimeRule::Before),
            other => Some(other),
        })
        .collect();
}

/// The text of a note kept for later that names no other project: said with the booking.
fn note_said_with_booking(s: &ConversationState) -> Option<String> {
    s.pending.iter().find_map(|waiting| {
        let is_note = waiting.iter().any(|c| {
            matches!(
                c,
                Command::Start {
                    intent: Intent::AddNote
                }
            )
        });
        let names_project = waiting
            .iter()
            .any(|c| matches!(c, Command::SetProject { .. }));
        let text = waiting.iter().find_map(|c| match c {
            Command::SetNote { text } => Some(text.clone()),
            _ => None,
        });
        // A word or two is too little to send on the booking's yes: it gets its own summary.
        text.filter(|t| is_note && !names_project && t.split_whitespace().count() >= 3)
    })
}

/// Takes the note read back with the booking out of what waits, so it is not asked again;
/// false when it is no longer waiting (dropped meanwhile).
fn take_note_said_with_booking(s: &mut ConversationState, text: &str) -> bool {
    let at = s.pending.iter().position(|waiting| {
        waiting
            .iter()
            .any(|c| matches!(c, Command::SetNote { text: t } if t == text))
    });
    match at {
        Some(at) => {
            s.pending.remove(at);
            true
        }
        None => false,
    }
}

/// A yes and nothing more ("sí", "ok 👍"): said to a list of one, it takes that one.
fn yes_alone(u: &Understanding) -> bool {
    u.has(|c| *c == Command::Affirm)
        && u.commands
            .iter()
            .all(|c| matches!(c, Command::Affirm | Command::SmallTalk { .. }))
}

/// The project in focus, if it can be scheduled.
fn schedulable_focus<'a>(s: &ConversationState, projects: &'a [Project]) -> Option<&'a Project> {
    let id = s.focus.as_deref()?;
    projects.iter().find(|p| p.id == id && p.can_be_scheduled())
}

fn purpose(b: &Booking) -> Message {
    if b.wants_reschedule {
        msg!("purpose-reschedule")
    } else {
        msg!("purpose-schedule")
    }
}

/// A number said while times are on offer and not a position in the list: an hour.
fn bare_hour(u: &Understanding) -> Option<NaiveTime> {
    u.commands.iter().find_map(|c| match c {
        Command::Number { value } if (1..=12).contains(value) => {
            let hour = if *value <= 7 { value + 12 } else { *value };
            NaiveTime::from_hms_opt(hour, 0, 0)
        }
        _ => None,
    })
}

/// The `n` offered dates closest to `wanted`, in calendar order (on a tie, the later one).
pub(super) fn nearest(dates: &[NaiveDate], wanted: NaiveDate, n: usize) -> Vec<NaiveDate> {
    let mut by_distance: Vec<NaiveDate> = dates.to_vec();
    by_distance.sort_by_key(|d| ((*d - wanted).num_days().abs(), *d < wanted));
    let mut chosen: Vec<NaiveDate> = by_distance.into_iter().take(n).collect();
    chosen.sort();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_dates_surround_the_wanted_one() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let offered = [
            d("2025-11-10"),
            d("2025-11-11"),
            d("2025-11-13"),
            d("2025-11-17"),
        ];
        assert_eq!(
            nearest(&offered, d("2025-11-12"), 3),
            [d("2025-11-10"), d("2025-11-11"), d("2025-11-13")]
        );
        assert_eq!(
            nearest(&offered, d("2025-11-30"), 2),
            [d("2025-11-13"), d("2025-11-17")]
        );
    }
}
