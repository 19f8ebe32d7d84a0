//! `scheduling-agent mock-pf360`: the mock PF360 API on its own.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDateTime;
use pf360::SystemClock;
use pf360::mock::{Fixture, MockConfig, MockServer};

#[derive(clap::Args)]
pub struct Args {
    /// Fixture file to serve (format: shared/docs/EVAL.md); default: the built-in demo data.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:4010")]
    addr: SocketAddr,
    /// Pin the mock's clock to this local time, e.g. 2025-11-03T10:00:00; default: real time.
    #[arg(long, value_parser = super::parse_local_time)]
    now: Option<NaiveDateTime>,
    /// Also accept HS256 JWTs signed with this secret (claims customer_id, client_id).
    #[arg(long, env = "MOCK_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
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
    super::shutdown_signal().await;
    server.stop().await;
    Ok(())
}
