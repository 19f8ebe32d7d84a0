//! One module per command.

pub mod chat;
pub mod customers;
pub mod eval;
mod eval_sms;
pub mod loadtest;
pub mod mock;
pub mod nlu;
pub mod serve;
pub mod twilio;

use chrono::NaiveDateTime;

/// `--now` values: a local time like 2025-11-03T10:00:00.
pub fn parse_local_time(raw: &str) -> Result<NaiveDateTime, String> {
    pf360::clock::parse_local(raw)
        .ok_or_else(|| format!("{raw:?} is not a local time like 2025-11-03T10:00:00"))
}

/// Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
