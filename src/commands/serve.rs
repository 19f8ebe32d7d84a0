//! `scheduling-agent serve`, `config` and `migrate`.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use pf360::SystemClock;
use server::{App, Config};

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on (default 127.0.0.1:8080, or SERVER_ADDR).
    #[arg(long)]
    addr: Option<SocketAddr>,
    /// A TOML configuration file.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Fixture file for the built-in mock PF360; default: the demo data.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    /// How messages are understood: rules, llm or hybrid (a model is configured with LLM_*).
    #[arg(long)]
    understanding: Option<agent::understand::Mode>,
}

#[derive(clap::Args)]
pub struct ConfigArgs {
    /// A TOML configuration file.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

fn load(file: Option<&std::path::Path>) -> anyhow::Result<Config> {
    Ok(Config::load(file, |name| std::env::var(name).ok())?)
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    // The flag wins over the file and the environment.
    let mode = args.understanding.map(|m| format!("{m:?}").to_lowercase());
    let mut config = Config::load(args.config.as_deref(), |name| match (name, &mode) {
        ("UNDERSTANDING", Some(mode)) => Some(mode.clone()),
        _ => std::env::var(name).ok(),
    })?;
    if let Some(addr) = args.addr {
        config.addr = addr;
    }
    if args.fixtures.is_some() {
        config.fixtures = args.fixtures;
    }
    let addr = config.addr;
    let demo = config.demo_mode();
    let app = App::build(config, Arc::new(SystemClock))
        .await
        .context("starting the service")?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let bound = listener.local_addr()?;
    // A closed stdout (a supervisor that stopped reading) must not stop the server.
    let mut out = std::io::stdout();
    let _ = writeln!(out, "scheduling-agent listening on http://{bound}");
    if demo {
        let _ = writeln!(
            out,
            "demo mode: the page chats as the demo customer against the built-in mock PF360"
        );
    }
    let _ = out.flush();
    tracing::info!(addr = %bound, demo, "serving");
    // Reminders go out from every process that has SMS; the store makes each go once.
    let worker = server::reminders::spawn_worker(app.clone());
    server::serve(app, listener, super::shutdown_signal()).await?;
    if let Some(worker) = worker {
        worker.abort();
    }
    tracing::info!("stopped");
    Ok(())
}

/// `scheduling-agent worker`: sends due reminders, without serving HTTP (a separate deployment
/// of the same configuration; any number may run beside the servers).
pub async fn worker(args: ConfigArgs) -> anyhow::Result<()> {
    let config = load(args.config.as_deref())?;
    if !config.sms.enabled() {
        anyhow::bail!("reminders are sent by text: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
    }
    let app = App::build(config, Arc::new(SystemClock))
        .await
        .context("starting the worker")?;
    let worker =
        server::reminders::spawn_worker(app).context("the SMS channel is not configured")?;
    tracing::info!("reminder worker running");
    super::shutdown_signal().await;
    worker.abort();
    tracing::info!("stopped");
    Ok(())
}

/// Prints the effective configuration, secrets redacted.
pub fn print_config(args: ConfigArgs) -> anyhow::Result<()> {
    println!("{}", load(args.config.as_deref())?.redacted());
    Ok(())
}

/// Applies the database migrations.
pub async fn migrate(args: ConfigArgs) -> anyhow::Result<()> {
    let config = load(args.config.as_deref())?;
    let store = store::Store::connect(&config.database_url, store::system_now()).await?;
    store.migrate().await?;
    println!("migrations applied ({:?})", store.backend());
    Ok(())
}
