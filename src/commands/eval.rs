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
    for file in &files {
        let result = run_file(file, &understander).await;
        turns += result.turns;
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
    say(&format!("{passed} passed, {failed} failed"))?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
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
