//! Appointment reminders by text: scheduled when a turn books or moves an appointment (any
//! channel), voided when one cancels it, and sent by a worker — inside `serve`, or alone as
//! `scheduling-agent worker` — at most once whatever crashes, restarts or replicas happen (the
//! store's claim, intent and settlement; see `store::reminders`).
//!
//! Before a reminder goes, the worker looks again: PF360 must still have the appointment at
//! the same time, the customer must not have opted out, and the local time must be outside
//! quiet hours (a reminder due at 6:30 goes at 8:00 if that is still before the appointment).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use pf360::{Caller, ProjectStatus};
use store::{Appointment, ReminderPlan, ReminderRecord};
use twilio::SendError;

use crate::App;

/// What one pass of the worker did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ReminderReport {
    pub sent: usize,
    pub postponed: usize,
    /// (status, reason) of reminders settled without a text.
    pub settled: Vec<(String, String)>,
}

/// The instant of a wall-clock time in `zone` (the earlier one in a repeated hour).
fn instant(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    zone.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

impl App {
    /// Schedules or voids reminders for the appointments a turn made.
    pub(crate) async fn plan_reminders(&self, appointments: &[Appointment]) {
        let Some(sms) = &self.sms else { return };
        for a in appointments {
            let result = match a.kind.as_str() {
                "cancelled" => self
                    .store
                    .void_reminders(&a.client_id, &a.project_id, "cancelled")
                    .await
                    .map(|n| {
                        metrics::counter!("reminders_settled_total", "status" => "void", "reason" => "cancelled")
                            .increment(n);
                    }),
                _ => {
                    let zone = self.timezone_of(&a.client_id);
                    let local = a.date.as_deref().zip(a.time.as_deref()).and_then(|(d, t)| {
                        NaiveDateTime::parse_from_str(&format!("{d} {t}"), "%Y-%m-%d %H:%M").ok()
                    });
                    let Some((local, at)) = local.and_then(|l| Some((l, instant(zone, l)?))) else {
                        continue;
                    };
                    let local_text = local.format("%Y-%m-%d %H:%M").to_string();
                    let plan = ReminderPlan {
                        client_id: &a.client_id,
                        customer_id: &a.customer_id,
                        project_id: &a.project_id,
                        appointment_at: at.timestamp_millis(),
                        appointment_local: &local_text,
                        timezone: zone.name(),
                        due: sms
                            .reminder_offsets
                            .iter()
                            .map(|(label, before)| {
                                (label.clone(), (at - *before).timestamp_millis())
                            })
                            .collect(),
                    };
                    self.store.schedule_reminders(&plan).await.map(|n| {
                        metrics::counter!("reminders_scheduled_total").increment(n as u64);
                    })
                }
            };
            if let Err(error) = result {
                tracing::error!(project_id = %a.project_id, %error, "reminders not updated");
            }
        }
    }

    /// Sends the reminders due now; `owner` names this worker in the claims.
    pub async fn remind_due(&self, owner: &str) -> ReminderReport {
        let mut report = ReminderReport::default();
        let Some(_) = &self.sms else { return report };
        let now = self.clock.now().timestamp_millis();
        match self.store.settle_interrupted_sends(now).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::warn!(
                    count = n,
                    "reminders interrupted while sending: settled as unknown, not resent"
                );
                metrics::counter!("reminders_settled_total", "status" => "unknown", "reason" => "interrupted_while_sending")
                    .increment(n);
            }
            Err(error) => tracing::error!(%error, "interrupted reminder sends not settled"),
        }
        let lease_ms = 60_000;
        loop {
            let claimed = match self
                .store
                .claim_due_reminders(owner, now, lease_ms, 20)
                .await
            {
                Ok(claimed) => claimed,
                Err(error) => {
                    tracing::error!(%error, "reminders not claimed");
                    break;
                }
            };
            if claimed.is_empty() {
                break;
            }
            for reminder in claimed {
                self.remind(owner, &reminder, &mut report).await;
            }
        }
        if let Ok(backlog) = self.store.reminder_backlog(now).await {
            metrics::gauge!("reminder_backlog").set(backlog as f64);
        }
        report
    }

    async fn remind(&self, owner: &str, r: &ReminderRecord, report: &mut ReminderReport) {
        let settle = |status: &'static str, reason: &'static str| async move {
            metrics::counter!("reminders_settled_total", "status" => status, "reason" => reason)
                .increment(1);
            tracing::info!(reminder = %r.id, project_id = %r.project_id, status, reason, "reminder settled");
            if let Err(error) = self
                .store
                .finish_reminder(&r.id, owner, status, None, Some(reason))
                .await
            {
                tracing::error!(reminder = %r.id, %error, "reminder not settled");
            }
            (status.to_string(), reason.to_string())
        };
        let Some(sms) = &self.sms else { return };
        let zone: Tz = r.timezone.parse().unwrap_or(self.timezone);
        let now = self.clock.now();
        if now.timestamp_millis() >= r.appointment_at {
            report.settled.push(settle("skipped", "too_late").await);
            return;
        }
        let customer = match self.store.customer(&r.client_id, &r.customer_id).await {
            Ok(customer) => customer,
            Err(error) => {
                tracing::error!(%error, "directory unavailable; reminder waits");
                self.postpone(owner, r, now + chrono::Duration::minutes(5), report)
                    .await;
                return;
            }
        };
        let Some((customer, phone)) = customer.and_then(|c| Some((c.clone(), c.phone?))) else {
            report.settled.push(settle("skipped", "no_phone").await);
            return;
        };
        if customer.sms_opt_out {
            report.settled.push(settle("skipped", "opted_out").await);
            return;
        }
        let Some(token) = sms.service_token(&r.client_id) else {
            report
                .settled
                .push(settle("skipped", "no_service_token").await);
            return;
        };
        // Still booked, at the same time?
        let caller = Caller {
            client_id: r.client_id.clone(),
            client_name: sms.client_name(&r.client_id),
            customer_id: r.customer_id.clone(),
            token,
        };
        let project = match self.pf360.projects(&caller).await {
            Ok(projects) => projects.into_iter().find(|p| p.id == r.project_id),
            Err(error) => {
                tracing::warn!(%error, "PF360 unavailable; reminder waits");
                self.postpone(owner, r, now + chrono::Duration::minutes(5), report)
                    .await;
                return;
            }
        };
        let Some(project) = project else {
            report.settled.push(settle("void", "not_found").await);
            return;
        };
        let booked_at = project
            .scheduled
            .as_ref()
            .and_then(|s| s.start)
            .map(|start| start.format("%Y-%m-%d %H:%M").to_string());
        if project.status != ProjectStatus::Scheduled {
            report.settled.push(settle("void", "not_scheduled").await);
            return;
        }
        if booked_at.as_deref() != Some(r.appointment_local.as_str()) {
            report.settled.push(settle("void", "moved").await);
            return;
        }
        // Quiet hours, in the customer's zone.
        let local_now = now.with_timezone(&zone).naive_local();
        if let Some(allowed) = after_quiet_hours(local_now, sms.quiet_hours) {
            match instant(zone, allowed) {
                Some(at) if at.timestamp_millis() < r.appointment_at => {
                    self.postpone(owner, r, at, report).await;
                }
                _ => report.settled.push(settle("skipped", "quiet_hours").await),
            }
            return;
        }
        let Ok(appointment) = NaiveDateTime::parse_from_str(&r.appointment_local, "%Y-%m-%d %H:%M")
        else {
            report.settled.push(settle("skipped", "unreadable").await);
            return;
        };
        let language = match customer.language.as_deref() {
            Some("es") => agent::Language::Spanish,
            _ => agent::Language::English,
        };
        let text = agent::sms::reminder(
            language,
            &sms.business(Some(&r.client_id)),
            &project.title(),
            appointment,
            local_now.date(),
        );
        // The intent is durable before Twilio hears of it.
        match self.store.mark_reminder_sending(&r.id, owner).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => {
                tracing::error!(%error, "reminder intent not recorded; not sent");
                return;
            }
        }
        let who = Some((r.client_id.as_str(), r.customer_id.as_str()));
        match self.send_text(&phone, &text, who, None).await {
            Ok(sid) => {
                if let Err(error) = self
                    .store
                    .finish_reminder(&r.id, owner, "sent", Some(&sid), None)
                    .await
                {
                    tracing::error!(reminder = %r.id, %error, "reminder sent but not settled");
                }
                metrics::counter!("reminders_sent_total", "kind" => r.kind.clone()).increment(1);
                tracing::info!(reminder = %r.id, project_id = %r.project_id, kind = %r.kind, "reminder sent");
                report.sent += 1;
            }
            Err(SendError::Unreachable(_)) => {
                // Provably never accepted: it may go later.
                if let Err(error) = self
                    .store
                    .retry_reminder(
                        &r.id,
                        owner,
                        (now + chrono::Duration::minutes(5)).timestamp_millis(),
                    )
                    .await
                {
                    tracing::error!(%error, "reminder not put back");
                }
                report.postponed += 1;
            }
            Err(SendError::Refused { .. }) => {
                report.settled.push(settle("failed", "refused").await);
            }
            Err(SendError::Unknown(_)) => {
                report.settled.push(settle("unknown", "no_answer").await);
            }
        }
    }

    async fn postpone(
        &self,
        owner: &str,
        r: &ReminderRecord,
        to: DateTime<Utc>,
        report: &mut ReminderReport,
    ) {
        metrics::counter!("reminders_postponed_total").increment(1);
        if let Err(error) = self
            .store
            .postpone_reminder(&r.id, owner, to.timestamp_millis())
            .await
        {
            tracing::error!(reminder = %r.id, %error, "reminder not postponed");
        }
        report.postponed += 1;
    }
}

/// When texting may resume, if `now` is inside the quiet window (which may span midnight).
fn after_quiet_hours(
    now: NaiveDateTime,
    (start, end): (chrono::NaiveTime, chrono::NaiveTime),
) -> Option<NaiveDateTime> {
    let t = now.time();
    let quiet = if start <= end {
        t >= start && t < end
    } else {
        t >= start || t < end
    };
    if !quiet {
        return None;
    }
    let today_end = now.date().and_time(end);
    Some(if today_end > now {
        today_end
    } else {
        today_end + chrono::Duration::days(1)
    })
}

/// Runs `remind_due` every poll interval until the app stops; one per process.
pub fn spawn_worker(app: Arc<App>) -> Option<tokio::task::JoinHandle<()>> {
    let every = Duration::from_secs(app.sms.as_ref()?.reminder_poll_secs);
    let owner = format!("worker-{}", store::new_id());
    Some(tokio::spawn(async move {
        loop {
            let report = app.remind_due(&owner).await;
            if report != ReminderReport::default() {
                tracing::info!(
                    sent = report.sent,
                    postponed = report.postponed,
                    settled = report.settled.len(),
                    "reminders"
                );
            }
            tokio::time::sleep(every).await;
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn quiet_hours_span_midnight() {
        let window = (
            chrono::NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
            chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
        );
        assert_eq!(
            after_quiet_hours(at("2025-11-10 06:30"), window),
            Some(at("2025-11-10 08:00"))
        );
        assert_eq!(
            after_quiet_hours(at("2025-11-10 21:30"), window),
            Some(at("2025-11-11 08:00"))
        );
        assert_eq!(after_quiet_hours(at("2025-11-10 08:00"), window), None);
        assert_eq!(after_quiet_hours(at("2025-11-10 20:59"), window), None);
    }
}
