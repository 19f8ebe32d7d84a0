//! `scheduling-agent`: the command line. It parses arguments and wires the crates together;
//! the behaviour lives in the crates.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDateTime;
use clap::{Parser, Subcommand};
use pf360::SystemClock;
use pf360::mock::{Fixture, MockConfig, MockServer};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "scheduling-agent",
    version,
    about = "Scheduling assistant for PF360 installation projects"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the mock PF360 Customer Scheduler API on its own.
    #[command(name = "mock-pf360")]
    MockPf360(MockArgs),
}

#[derive(clap::Args)]
struct MockArgs {
    /// Fixture file to serve (format: shared/docs/EVAL.md); default: the built-in demo data.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:4010")]
    addr: SocketAddr,
    /// Pin the mock's clock to this local time, e.g. 2025-11-03T10:00:00; default: real time.
    #[arg(long, value_parser = parse_local_time)]
    now: Option<NaiveDateTime>,
    /// Also accept HS256 JWTs signed with this secret (claims customer_id, client_id).
    #[arg(long, env = "MOCK_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
}

fn parse_local_time(raw: &str) -> Result<NaiveDateTime, String> {
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(raw.trim(), format).ok())
    .ok_or_else(|| format!("{raw:?} is not a local time like 2025-11-03T10:00:00"))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let outcome = match Cli::parse().command {
        Command::MockPf360(args) => mock_pf360(args).await,
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}` prints the causes on one line; no backtrace for a user's mistake.
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn mock_pf360(args: MockArgs) -> anyhow::Result<()> {
    let fixture = args.fixtures.as_deref().map(Fixture::load).transpose()?;
    let config = MockConfig {
        fixture,
        now: args.now,
        jwt_secret: args.jwt_secret,
    };
    let server = MockServer::start(config, Arc::new(SystemClock), args.addr)
        .await
        .context("starting the mock PF360 server")?;
    println!("mock PF360 listening on http://{}", server.addr());
    shutdown_signal().await;
    server.stop().await;
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
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
