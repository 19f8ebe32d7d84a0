//! Prometheus metrics. The recorder is process-wide (the `metrics` facade has one), installed
//! once however many apps a process builds (tests build several).

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

pub fn handle() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Suffix("duration_seconds".into()),
                    &[
                        0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                    ],
                )
                .unwrap_or_else(|_| PrometheusBuilder::new());
            match builder.install_recorder() {
                Ok(handle) => handle,
                // Another recorder is installed (not ours): render nothing rather than fail.
                Err(_) => PrometheusBuilder::new().build_recorder().handle(),
            }
        })
        .clone()
}

/// Series that alerts and the dashboard use start at zero, not absent: `rate()` over a series
/// that does not exist yet gives no data, and an alert on it could never fire.
pub fn register_series() {
    metrics::describe_counter!(
        "chat_turns_total",
        "Customer messages answered, by channel and outcome"
    );
    metrics::describe_histogram!(
        "chat_turn_duration_seconds",
        "Time to answer one customer message"
    );
    metrics::describe_counter!("pf360_calls_total", "PF360 calls by endpoint and status");
    metrics::describe_histogram!(
        "pf360_call_duration_seconds",
        "PF360 call latency by endpoint"
    );
    metrics::describe_counter!(
        "appointments_total",
        "Appointments booked, rescheduled and cancelled"
    );
    metrics::describe_counter!(
        "http_errors_total",
        "Refused or failed requests by error code"
    );
    metrics::describe_counter!(
        "rate_limited_total",
        "Requests refused by a rate limit, by scope"
    );
    metrics::describe_counter!(
        "injection_signals_total",
        "Prompt-injection signals seen, by kind"
    );
    metrics::describe_gauge!("active_sessions", "Sessions that have not expired");
    metrics::describe_counter!(
        "turn_panics_total",
        "Turns that panicked (answered as internal errors, lease released)"
    );
    metrics::counter!("turn_panics_total").increment(0);
    for kind in ["booked", "rescheduled", "cancelled"] {
        metrics::counter!("appointments_total", "kind" => kind).increment(0);
    }
    for scope in ["ip", "session"] {
        metrics::counter!("rate_limited_total", "scope" => scope).increment(0);
    }
    for code in ["internal", "session_busy", "unauthorized", "rate_limited"] {
        metrics::counter!("http_errors_total", "code" => code).increment(0);
    }
    metrics::counter!("chat_turns_total", "channel" => "web", "outcome" => "ok").increment(0);
    metrics::describe_counter!(
        "sms_inbound_total",
        "Texts received, by outcome (answered, deferred to REST, retry, help, opted_out, unknown_number)"
    );
    metrics::describe_counter!(
        "sms_outbound_total",
        "Texts handed to Twilio's REST API, by outcome (accepted, failed)"
    );
    metrics::describe_histogram!("sms_segments", "Segments per text sent, by encoding");
    metrics::describe_counter!(
        "sms_signature_failures_total",
        "Webhooks refused for a bad or missing X-Twilio-Signature"
    );
    metrics::describe_counter!(
        "sms_opt_outs_total",
        "Numbers that opted out (STOP and kin)"
    );
    metrics::describe_counter!(
        "sms_opt_ins_total",
        "Numbers that opted back in (START and kin)"
    );
    metrics::describe_counter!(
        "sms_delivery_status_total",
        "Delivery statuses reported by Twilio, by status"
    );
    for counter in [
        "sms_signature_failures_total",
        "sms_opt_outs_total",
        "sms_opt_ins_total",
    ] {
        metrics::counter!(counter).increment(0);
    }
    for outcome in ["answered", "deferred"] {
        metrics::counter!("sms_inbound_total", "outcome" => outcome).increment(0);
    }
    for outcome in ["accepted", "failed"] {
        metrics::counter!("sms_outbound_total", "outcome" => outcome).increment(0);
    }
    for status in ["delivered", "undelivered", "failed"] {
        metrics::counter!("sms_delivery_status_total", "status" => status).increment(0);
    }
    metrics::describe_counter!(
        "reminders_scheduled_total",
        "Reminders scheduled for appointments booked or moved here"
    );
    metrics::describe_counter!(
        "reminders_sent_total",
        "Reminders texted, by kind (24h, 2h)"
    );
    metrics::describe_counter!(
        "reminders_settled_total",
        "Reminders settled without a text, by status (void, skipped, failed, unknown) and reason"
    );
    metrics::describe_counter!(
        "reminders_postponed_total",
        "Reminders put off (quiet hours, PF360 or Twilio unavailable)"
    );
    metrics::describe_gauge!(
        "reminder_backlog",
        "Reminders due and not yet sent or settled"
    );
    metrics::counter!("reminders_scheduled_total").increment(0);
    for kind in ["24h", "2h"] {
        metrics::counter!("reminders_sent_total", "kind" => kind).increment(0);
    }
    metrics::counter!("reminders_settled_total", "status" => "void", "reason" => "cancelled")
        .increment(0);
    metrics::gauge!("reminder_backlog").set(0.0);
    for kind in [
        "override",
        "prompt_probe",
        "role_play",
        "jailbreak",
        "identity_tamper",
        "credential_probe",
    ] {
        metrics::counter!("injection_signals_total", "kind" => kind).increment(0);
    }
}
