//! `scheduling-agent loadtest`: whole booking conversations against a running server; prints
//! turn latency percentiles, turns per second and the error rate.
//!
//! Two shapes of load:
//! - closed loop (default): `--concurrency` conversations at a time, each turn sent as soon as
//!   the last was answered — how many turns per second the server can take;
//! - open loop (`--rate N`): N new conversations a second arrive at random (Poisson) moments,
//!   whatever the server is doing, and a customer thinks `--think-ms` between turns — the
//!   latency real traffic sees at that offered load.
//!
//! Requests go only to the URL given (a server on this machine). The run is bounded.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::Semaphore;

#[derive(clap::Args)]
pub struct Args {
    /// The server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    url: String,
    /// How many conversations in all.
    #[arg(long, default_value_t = 100)]
    sessions: usize,
    /// How many at the same time (closed loop).
    #[arg(long, default_value_t = 10)]
    concurrency: usize,
    /// Open loop: new conversations per second, arriving at random moments; `--sessions` of
    /// them in all.
    #[arg(long)]
    rate: Option<f64>,
    /// Open loop: a customer's pause between reading a reply and sending the next message.
    #[arg(long, default_value_t = 1000)]
    think_ms: u64,
    /// Sign JWTs with this HS256 secret (for a server with AUTH_JWT_SECRET); default: demo mode.
    #[arg(long, env = "LOADTEST_TOKEN_SECRET", hide_env_values = true)]
    token_secret: Option<String>,
    /// The customer the tokens name.
    #[arg(long, default_value = "1645975")]
    customer: String,
    /// The client the tokens name.
    #[arg(long, default_value = "09PF05VD")]
    client: String,
}

/// One conversation: its turns, and what the last reply must say.
/// What the assistant says when the slot asked for is the one the appointment already has.
const ALREADY_THERE: &str = "is already on";
const SCRIPT: &[&str] = &["book my flooring", "the first one", "the first one", "yes"];
/// At most this many more yeses when the booking was held up by another conversation's.
const MAX_FOLLOW_UPS: usize = 20;

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: usize,
    incomplete: usize,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.sessions > 0 && args.concurrency > 0,
        "--sessions and --concurrency must be positive"
    );
    anyhow::ensure!(
        args.rate.is_none_or(|r| r.is_finite() && r > 0.0),
        "--rate must be a positive number of conversations per second"
    );
    let base = args.url.trim_end_matches('/').to_string();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let token = match &args.token_secret {
        Some(secret) => {
            let claims = json!({"customer_id": args.customer, "client_id": args.client, "client_name": "loadtest",
                                "exp": chrono::Utc::now().timestamp() + 3600});
            Some(jsonwebtoken::encode(
                &jsonwebtoken::Header::default(),
                &claims,
                &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
            )?)
        }
        None => None,
    };
    let tally = Arc::new(Mutex::new(Tally::default()));
    // Closed loop: a fixed number in flight. Open loop: no limit; arrivals keep their pace.
    let gate = Arc::new(Semaphore::new(if args.rate.is_some() {
        Semaphore::MAX_PERMITS
    } else {
        args.concurrency
    }));
    let think = args
        .rate
        .map(|_| Duration::from_millis(args.think_ms))
        .unwrap_or_default();
    let mut next_arrival = Instant::now();
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(args.sessions as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} conversations {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    // Message ids unique to this run: the server answers a repeated id from its record
    // without a turn, so a second run reusing ids would measure replays.
    let run: u64 = rand::random();
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(args.sessions);
    for n in 0..args.sessions {
        if let Some(rate) = args.rate {
            // Exponential gaps: arrivals independent of each other and of the server.
            let uniform: f64 = rand::random::<f64>().max(f64::MIN_POSITIVE);
            next_arrival += Duration::from_secs_f64(-uniform.ln() / rate);
            tokio::time::sleep_until(next_arrival.into()).await;
        }
        let permit = gate.clone().acquire_owned().await?;
        let (http, base, token, tally, bar) = (
            http.clone(),
            base.clone(),
            token.clone(),
            tally.clone(),
            bar.clone(),
        );
        tasks.push(tokio::spawn(async move {
            conversation(&http, &base, token.as_deref(), (run, n), think, &tally).await;
            if let Some(bar) = bar {
                bar.inc(1);
            }
            drop(permit);
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let wall = started.elapsed();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let tally = tally
        .lock()
        .map_err(|_| anyhow::anyhow!("tally poisoned"))?;
    report(&args, &tally, wall);
    Ok(())
}

async fn conversation(
    http: &reqwest::Client,
    base: &str,
    token: Option<&str>,
    (run, n): (u64, usize),
    think: Duration,
    tally: &Mutex<Tally>,
) {
    let mut session: Option<String> = None;
    let mut last = String::new();
    // After the script, a customer answers what they are told: a summary made anew (another
    // conversation of theirs changed the project meanwhile) gets another yes, and so does
    // "another change is being made right now", after a moment.
    let follow_ups = std::iter::repeat_n("yes", MAX_FOLLOW_UPS);
    for (turn, message) in SCRIPT.iter().copied().chain(follow_ups).enumerate() {
        if turn > 0 && !think.is_zero() {
            tokio::time::sleep(think).await;
        }
        // The slot picked is the one the appointment already has (another conversation booked
        // it): a customer takes another of the times offered instead.
        let another_time = last.contains(ALREADY_THERE);
        let message = if another_time {
            "the first one"
        } else {
            message
        };
        if turn >= SCRIPT.len() && !another_time {
            if last.contains("being made right now") {
                tokio::time::sleep(Duration::from_millis(50)).await;
            } else if !last.contains("Just to confirm") {
                break;
            }
        }
        let mut body =
            json!({"message": message, "client_message_id": format!("load-{run:016x}-{n}-{turn}")});
        if let Some(s) = &session {
            body["session_id"] = json!(s);
        }
        let mut request = http.post(format!("{base}/api/chat")).json(&body);
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let sent = Instant::now();
        let result = request.send().await;
        let elapsed = sent.elapsed();
        let reply = match result {
            Ok(r) if r.status().is_success() => r.json::<Value>().await.ok(),
            _ => None,
        };
        let mut t = match tally.lock() {
            Ok(t) => t,
            Err(_) => return,
        };
        t.latencies.push(elapsed);
        match reply {
            Some(reply) => {
                session = reply["session_id"].as_str().map(str::to_string);
                last = reply["response"].as_str().unwrap_or_default().to_string();
            }
            None => {
                t.errors += 1;
                return;
            }
        }
    }
    let done = last.contains("all set") || last.contains("rescheduled");
    if !done && let Ok(mut t) = tally.lock() {
        t.incomplete += 1;
    }
}

fn report(args: &Args, tally: &Tally, wall: Duration) {
    let mut sorted = tally.latencies.clone();
    sorted.sort();
    let pct = |p: f64| -> f64 {
        if sorted.is_empty() {
            return 0.0;
        }
        let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
        sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
    };
    let turns = sorted.len();
    match args.rate {
        Some(rate) => println!(
            "conversations: {} (open loop: {rate} a second, {} ms think time), turns: {turns}, wall time: {:.2} s",
            args.sessions,
            args.think_ms,
            wall.as_secs_f64()
        ),
        None => println!(
            "conversations: {} ({} at a time), turns: {turns}, wall time: {:.2} s",
            args.sessions,
            args.concurrency,
            wall.as_secs_f64()
        ),
    }
    println!(
        "turn latency: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        pct(50.0),
        pct(95.0),
        pct(99.0),
        pct(100.0)
    );
    println!(
        "throughput: {:.1} turns/s",
        turns as f64 / wall.as_secs_f64().max(1e-9)
    );
    let error_rate = if turns == 0 {
        0.0
    } else {
        100.0 * tally.errors as f64 / turns as f64
    };
    println!(
        "errors: {} ({error_rate:.2} %), conversations not ending in a booking: {}",
        tally.errors, tally.incomplete
    );
}
