//! `scheduling-agent`: the command line. It parses arguments and wires the crates together;
//! the behaviour lives in the crates.

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
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
    /// Run the chat service: web page and API (demo mode by default).
    Serve(commands::serve::Args),
    /// Print the effective configuration, secrets redacted.
    Config(commands::serve::ConfigArgs),
    /// Apply the database migrations.
    Migrate(commands::serve::ConfigArgs),
    /// Talk to the assistant in a terminal, against the in-process mock PF360.
    Chat(commands::chat::Args),
    /// Show what understanding extracts from one message.
    Nlu(commands::nlu::Args),
    /// Run scenario files and report PASS/FAIL.
    Eval(commands::eval::Args),
    /// Drive whole booking conversations against a running server and report latency.
    Loadtest(commands::loadtest::Args),
    /// Run the mock PF360 Customer Scheduler API on its own.
    #[command(name = "mock-pf360")]
    MockPf360(commands::mock::Args),
    /// Run a mock of Twilio's Messages API (records texts, posts signed delivery statuses).
    #[command(name = "mock-twilio")]
    MockTwilio(commands::twilio::MockArgs),
    /// Hold an SMS conversation from the terminal through the signed webhook.
    Text(commands::twilio::TextArgs),
    /// The SMS customer directory.
    Customers(commands::customers::Args),
    /// Send due appointment reminders (also done inside `serve`); any number may run.
    Worker(commands::serve::ConfigArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // Servers log what they do; the interactive commands keep the terminal for the conversation.
    let default_level = match cli.command {
        Command::MockPf360(_)
        | Command::MockTwilio(_)
        | Command::Serve(_)
        | Command::Worker(_)
        | Command::Migrate(_) => "info",
        _ => "error",
    };
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    // The service logs JSON lines for collectors; LOG_FORMAT=text for reading by eye.
    let json = matches!(cli.command, Command::Serve(_))
        && std::env::var("LOG_FORMAT").map_or(true, |f| f != "text");
    if json {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    } else {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    }
    let outcome = match cli.command {
        Command::Serve(args) => commands::serve::run(args).await.map(|()| ExitCode::SUCCESS),
        Command::Config(args) => commands::serve::print_config(args).map(|()| ExitCode::SUCCESS),
        Command::Migrate(args) => commands::serve::migrate(args)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Chat(args) => commands::chat::run(args).await.map(|()| ExitCode::SUCCESS),
        Command::Nlu(args) => commands::nlu::run(args).map(|()| ExitCode::SUCCESS),
        Command::Eval(args) => commands::eval::run(args).await,
        Command::Loadtest(args) => commands::loadtest::run(args)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::MockPf360(args) => commands::mock::run(args).await.map(|()| ExitCode::SUCCESS),
        Command::MockTwilio(args) => commands::twilio::mock(args)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Text(args) => commands::twilio::text(args)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Customers(args) => commands::customers::run(args)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Worker(args) => commands::serve::worker(args)
            .await
            .map(|()| ExitCode::SUCCESS),
    };
    outcome.unwrap_or_else(|error| {
        // `{:#}` prints the causes on one line; no backtrace for a user's mistake.
        eprintln!("error: {error:#}");
        ExitCode::FAILURE
    })
}
