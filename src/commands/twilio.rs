//! `scheduling-agent mock-twilio` (Twilio's Messages API on its own, recording every text and
//! posting signed delivery statuses) and `scheduling-agent text` (a phone in the terminal:
//! each line is posted to the SMS webhook signed as Twilio signs it).

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use twilio::mock::{MockTwilio, MockTwilioConfig, Phone, Sent};

#[derive(clap::Args)]
pub struct MockArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:4020")]
    addr: SocketAddr,
    /// The account SID clients must authenticate with.
    #[arg(
        long,
        env = "TWILIO_ACCOUNT_SID",
        default_value = "AC00000000000000000000000000000000"
    )]
    account_sid: String,
    /// The auth token clients must authenticate with; it also signs status callbacks.
    #[arg(long, env = "TWILIO_AUTH_TOKEN", hide_env_values = true)]
    auth_token: String,
    /// Texts to these numbers end undelivered (error 30003).
    #[arg(long, value_delimiter = ',')]
    undeliverable: Vec<String>,
}

pub async fn mock(args: MockArgs) -> anyhow::Result<()> {
    let server = MockTwilio::start(
        MockTwilioConfig {
            account_sid: args.account_sid,
            auth_token: args.auth_token,
            undeliverable: args.undeliverable,
        },
        args.addr,
    )
    .await
    .context("starting the mock Twilio server")?;
    println!("mock Twilio listening on {}", server.url());
    super::shutdown_signal().await;
    server.stop().await;
    Ok(())
}

#[derive(clap::Args)]
pub struct TextArgs {
    /// The SMS webhook, as Twilio calls it, e.g. http://127.0.0.1:8080/channels/twilio/sms.
    #[arg(long)]
    to: String,
    /// The phone you text from (E.164), e.g. +18135550142 (a demo customer).
    #[arg(long)]
    from: String,
    /// The number you text (ours).
    #[arg(long, default_value = "+18135550100")]
    number: String,
    #[arg(
        long,
        env = "TWILIO_ACCOUNT_SID",
        default_value = "AC00000000000000000000000000000000"
    )]
    account_sid: String,
    /// Signs each text as Twilio would.
    #[arg(long, env = "TWILIO_AUTH_TOKEN", hide_env_values = true)]
    auth_token: String,
    /// A mock Twilio to watch for replies sent later by the REST API.
    #[arg(long, value_name = "URL")]
    twilio: Option<String>,
    /// How long to watch it for a late reply, in seconds (the service answers by REST once a
    /// turn outlasts its reply budget).
    #[arg(long, default_value_t = 15)]
    wait_secs: u64,
}

pub async fn text(args: TextArgs) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let phone = Phone {
        http: http.clone(),
        account_sid: args.account_sid,
        auth_token: args.auth_token,
        webhook: args.to,
        from: args.from.clone(),
        to: args.number,
    };
    let mut seen = match &args.twilio {
        Some(url) => sent_to(&http, url, &args.from).await?.len(),
        None => 0,
    };
    println!("Texting as {} (Ctrl-D to stop).", args.from);
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    loop {
        let _ = write!(out, "> ");
        let _ = out.flush();
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            break;
        }
        let body = line.trim();
        if body.is_empty() {
            continue;
        }
        let answer = phone
            .text(body, None)
            .await
            .context("posting to the webhook")?;
        if answer.status != 200 {
            println!("[webhook answered {}: {}]", answer.status, answer.twiml);
            continue;
        }
        for message in &answer.messages {
            println!("{message}\n");
        }
        if answer.messages.is_empty() {
            // Answered later by the REST API, or not at all (an opted-out number).
            let Some(url) = &args.twilio else {
                println!("[no reply]");
                continue;
            };
            let mut got = false;
            for _ in 0..args.wait_secs * 4 {
                let sent = sent_to(&http, url, &args.from).await?;
                if sent.len() > seen {
                    for message in &sent[seen..] {
                        println!("{}\n", message.body);
                    }
                    seen = sent.len();
                    got = true;
                    break;
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            if !got {
                println!("[no reply]");
            }
        }
    }
    Ok(())
}

async fn sent_to(http: &reqwest::Client, mock: &str, phone: &str) -> anyhow::Result<Vec<Sent>> {
    let all: Vec<Sent> = http
        .get(format!("{}/__mock/messages", mock.trim_end_matches('/')))
        .send()
        .await
        .context("reading the mock Twilio's messages")?
        .json()
        .await?;
    Ok(all.into_iter().filter(|m| m.to == phone).collect())
}
