//! `scheduling-agent nlu "TEXT"`: what understanding extracts from one message.

use std::io::Write;

use agent::Language;
use chrono::{NaiveDateTime, Utc};
use serde_json::json;

#[derive(clap::Args)]
pub struct Args {
    /// The message to understand.
    text: String,
    /// "Now" as a local time, e.g. 2025-11-03T10:00:00; default: the current time in the
    /// demo client's zone.
    #[arg(long, value_parser = super::parse_local_time)]
    now: Option<NaiveDateTime>,
    /// Print JSON: {commands, date, time, signals}.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let now = args.now.unwrap_or_else(|| {
        Utc::now()
            .with_timezone(&pf360::mock::demo::DEMO_TIMEZONE)
            .naive_local()
    });
    let understood = agent::understand::understand_in(&args.text, now, Language::English);
    let date = understood
        .when
        .date
        .map(|d| d.format("%Y-%m-%d").to_string());
    let time = understood.when.time.map(|t| t.format("%H:%M").to_string());
    // A reader that stops early (`| head`) is not an error.
    // What the rules read: the Spanish rewritten into English, SMS spellings into plain words.
    let normalised = agent::understand::normalise::normalise(&args.text);
    let rewritten = match understood.language {
        Some(Language::Spanish) => agent::understand::spanish::to_english(&normalised).text,
        _ => agent::understand::shorthand::to_plain(&normalised).text,
    };
    let english = (rewritten != normalised).then_some(rewritten);
    match print(&understood, date, time, english, args.json) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn print(
    understood: &agent::understand::Understanding,
    date: Option<String>,
    time: Option<String>,
    english: Option<String>,
    as_json: bool,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    if as_json {
        let json = json!({
            "commands": understood.commands,
            "date": date,
            "time": time,
            "signals": understood.signals,
            "language": understood.language,
            "read_as": english,
            "unaccounted": understood.unaccounted,
        });
        writeln!(out, "{json}")?;
    } else {
        for command in &understood.commands {
            writeln!(
                out,
                "{}",
                serde_json::to_string(command).map_err(std::io::Error::other)?
            )?;
        }
        writeln!(out, "date: {}", date.as_deref().unwrap_or("-"))?;
        writeln!(out, "time: {}", time.as_deref().unwrap_or("-"))?;
        if let Some(language) = understood.language {
            writeln!(out, "language: {language:?}")?;
        }
        if let Some(english) = english {
            writeln!(out, "read as: {english}")?;
        }
        writeln!(out, "words no rule read: {}", understood.unaccounted)?;
        if !understood.signals.is_empty() {
            writeln!(out, "injection signals: {}", understood.signals.join(", "))?;
        }
    }
    Ok(())
}
