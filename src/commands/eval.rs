//! `scheduling-agent eval PATH...`: run scenario files (shared/docs/EVAL.md) and report.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use agent::scenario;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario files (.yaml/.yml) or folders of them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Also print one JSON object per scenario.
    #[arg(long)]
    json: bool,
    /// Print the conversation of every scenario that failed (what was said, what came back).
    #[arg(long)]
    transcript: bool,
    /// How messages are understood: rules, llm or hybrid (a model is configured with LLM_*).
    #[arg(long, default_value = "rules")]
    understanding: agent::understand::Mode,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let understander = agent::understand::Understander::configured(args.understanding, |name| {
        std::env::var(name).ok()
    })?;
    let files = scenario::collect(&args.paths)?;
    if files.is_empty() {
        anyhow::bail!("no scenario files (.yaml, .yml) under {:?}", args.paths);
    }
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let (mut passed, mut failed, mut turns) = (0, 0, 0);
    let mut sms_replies = Vec::new();
    for file in &files {
        let result = run_file(file, &understander).await;
        turns += result.turns;
        sms_replies.extend(result.sms_replies.iter().copied());
        let line = if result.passed {
            passed += 1;
            format!("PASS {}", result.name)
        } else {
            failed += 1;
            format!(
                "FAIL {}: {}",
                result.name,
                result
                    .reasons
                    .first()
                    .map(String::as_str)
                    .unwrap_or("failed")
            )
        };
        match &progress {
            Some(bar) => {
                bar.println(&line);
                bar.inc(1);
            }
            None => say(&line)?,
        }
        if args.json {
            say(&serde_json::to_string(&result)?)?;
        }
        if args.transcript && !result.passed {
            for (user, reply) in &result.transcript {
                say(&format!("  > {user}\n  {}", reply.replace('\n', "\n  ")))?;
            }
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let usage = understander.usage();
    if usage.calls > 0 {
        say(&format!(
            "model: {} calls, {} failed (rules answered), {} input and {} output tokens",
            usage.calls, usage.failures, usage.input_tokens, usage.output_tokens
        ))?;
        say(&format!(
            "turns: {turns}, {:.1}% of them without a model call",
            100.0 * (turns as f64 - usage.calls as f64) / turns.max(1) as f64
        ))?;
    }
    if let Some(line) = sms_summary(&mut sms_replies) {
        say(&line)?;
    }
    say(&format!("{passed} passed, {failed} failed"))?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// "sms: 180 replies, segments median 1, 90th percentile 2, max 4; 93% within 2 segments;
/// 22% UCS-2": the size of what the phones received.
fn sms_summary(replies: &mut [(usize, bool)]) -> Option<String> {
    if replies.is_empty() {
        return None;
    }
    replies.sort_unstable();
    let n = replies.len();
    let at = |q: f64| replies[((n as f64 - 1.0) * q).round() as usize].0;
    let within = replies.iter().filter(|r| r.0 <= 2).count();
    let ucs2 = replies.iter().filter(|r| r.1).count();
    Some(format!(
        "sms: {n} replies, segments median {}, 90th percentile {}, max {}; {:.0}% within 2 segments; {:.0}% UCS-2",
        at(0.5),
        at(0.9),
        replies[n - 1].0,
        100.0 * within as f64 / n as f64,
        100.0 * ucs2 as f64 / n as f64
    ))
}

/// One scenario file, on the channel it names.
async fn run_file(
    file: &std::path::Path,
    understander: &agent::understand::Understander,
) -> scenario::ScenarioResult {
    match scenario::Scenario::load(file) {
        Ok(loaded) if loaded.channel == agent::Channel::Sms => {
            let started = std::time::Instant::now();
            let mut result = match super::eval_sms::run(&loaded, understander).await {
                Ok(result) => result,
                Err(reason) => scenario::ScenarioResult::failure(&loaded.name, reason),
            };
            result.file = file.display().to_string();
            result.wall_ms = started.elapsed().as_millis() as u64;
            result
        }
        _ => scenario::run_file(file, understander).await,
    }
}

/// One line on standard output; a reader that went away (`eval … | head`) ends the run with an
/// error instead of a panic.
fn say(line: &str) -> std::io::Result<()> {
    use std::io::Write;
    writeln!(std::io::stdout(), "{line}")
}
