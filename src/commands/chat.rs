//! `scheduling-agent chat`: talk to the engine in a terminal, against the in-process mock.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use agent::notes::MemoryNoteBook;
use agent::scenario::{customer_of, find_customer};
use agent::weather::FixtureForecaster;
use agent::{ConversationState, Engine};
use anyhow::Context;
use chrono::NaiveDateTime;
use pf360::mock::{Fixture, MockConfig, MockServer, demo, local_to_utc};
use pf360::{ClientConfig, Clock, Environment, FixedClock, Pf360Client, SystemClock};
use tokio::io::{AsyncBufReadExt, BufReader};

#[derive(clap::Args)]
pub struct Args {
    /// Fixture file for the mock PF360; default: the built-in demo data.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    /// Chat as this customer; default: the first customer in the fixtures.
    #[arg(long, value_name = "ID")]
    customer: Option<String>,
    /// Pin "now" to this local time, e.g. 2025-11-03T10:00:00; default: real time.
    #[arg(long, value_parser = super::parse_local_time)]
    now: Option<NaiveDateTime>,
    /// Walk writes through without sending them (test mode).
    #[arg(long)]
    test_mode: bool,
    /// How messages are understood: rules, llm or hybrid (a model is configured with LLM_*).
    #[arg(long, default_value = "rules")]
    understanding: agent::understand::Mode,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let fixture = args.fixtures.as_deref().map(Fixture::load).transpose()?;
    let zone = fixture
        .as_ref()
        .and_then(|f| f.clients.first())
        .map_or(demo::DEMO_TIMEZONE, |c| c.timezone);
    let clock: Arc<dyn Clock> = match args.now {
        Some(now) => Arc::new(FixedClock::new(
            local_to_utc(zone, now).map_err(anyhow::Error::msg)?,
        )),
        None => Arc::new(SystemClock),
    };
    let served = fixture
        .unwrap_or_else(|| demo::demo_fixture(clock.now().with_timezone(&zone).date_naive()));
    let mock = MockServer::start(
        MockConfig {
            fixture: Some(served.clone()),
            now: None,
            jwt_secret: None,
        },
        clock.clone(),
        "127.0.0.1:0".parse()?,
    )
    .await
    .context("starting the in-process mock PF360")?;
    let (client, customer) =
        find_customer(&served, args.customer.as_deref()).map_err(anyhow::Error::msg)?;
    let who = customer_of(client, customer);
    let mut config = ClientConfig::new(mock.url(), Environment::Dev);
    config.real_confirm = !args.test_mode;
    config.real_cancel = !args.test_mode;
    let engine = Engine::new(
        Pf360Client::new(config, clock.clone())?,
        Arc::new(MemoryNoteBook::default()),
        Arc::new(FixtureForecaster::default()),
    )
    .with_understander(agent::understand::Understander::configured(
        args.understanding,
        |name| std::env::var(name).ok(),
    )?);

    let name = customer
        .first_name
        .clone()
        .unwrap_or_else(|| customer.customer_id.clone());
    println!(
        "Chatting as {name} (customer {}) of {}. Type /quit to leave.",
        customer.customer_id, client.client_name
    );
    let mut state = ConversationState::default();
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    loop {
        print!("you> ");
        std::io::stdout().flush()?;
        let Some(line) = lines.next_line().await? else {
            break;
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line == "/quit" || line == "/exit" {
            break;
        }
        let outcome = engine.turn(state, &who, line, clock.now()).await;
        state = outcome.state;
        println!(
            "assistant> {}",
            outcome.reply.text.replace('\n', "\n           ")
        );
        if !outcome.reply.quick_replies.is_empty() {
            let buttons: Vec<String> = outcome
                .reply
                .quick_replies
                .iter()
                .map(|q| format!("[{}]", q.label))
                .collect();
            println!("           {}", buttons.join(" "));
        }
        for link in &outcome.reply.links {
            println!("           {}: {}", link.label, link.url);
        }
    }
    mock.stop().await;
    Ok(())
}
