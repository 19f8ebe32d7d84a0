//! The date/time parser on 363 phrases of the public Duckling corpus (scheduling subset).
//! Run with `--nocapture` to see the figures by grain and every miss.

use agent::Language;
use agent::understand::duckling::{Report, score};

#[test]
fn duckling_scheduling_subset_scores_above_ninety_percent() {
    let corpus = include_str!("data/duckling-en-scheduling.jsonl");
    let report = score(corpus, Language::English).unwrap();
    let total = print(&report);
    assert_eq!(total, 363);
}

/// The Spanish subset (149 phrases of Duckling's Spanish corpus), read as Spanish messages are.
#[test]
fn duckling_spanish_scheduling_subset_scores_above_ninety_percent() {
    let corpus = include_str!("data/duckling-es-scheduling.jsonl");
    let report = score(corpus, Language::Spanish).unwrap();
    let total = print(&report);
    assert_eq!(total, 149);
}

/// Prints the figures by grain and every miss; fails below 90%. Returns the number of phrases.
fn print(report: &Report) -> usize {
    for (grain, (passed, total)) in &report.by_grain {
        println!(
            "{grain:>16}: {passed:>3}/{total:<3} {:5.1}%",
            100.0 * *passed as f64 / *total as f64
        );
    }
    for miss in report.outcomes.iter().filter(|o| !o.passed) {
        println!(
            "MISS {:?} ({} {}): expected {}, got {}",
            miss.text, miss.kind, miss.grain, miss.expected, miss.got
        );
    }
    let (passed, total) = report.total();
    let accuracy = passed as f64 / total as f64;
    println!("total: {passed}/{total} = {:.1}%", 100.0 * accuracy);
    assert!(
        accuracy > 0.90,
        "accuracy {:.1}% is below 90%",
        100.0 * accuracy
    );
    total
}

/// Customer-style Spanish phrases (SMS spellings, no accents, run-together times), written from
/// a brief by someone who had not read the parser, scored the same way.
#[test]
fn customer_style_spanish_dates_score_above_ninety_percent() {
    let corpus = include_str!("data/customer-es-dates.jsonl");
    let report = score(corpus, Language::Spanish).unwrap();
    assert_eq!(print(&report), 150);
}

/// The same for English: 100 phrases as customers type them.
#[test]
fn customer_style_english_dates_score_above_ninety_percent() {
    let corpus = include_str!("data/customer-en-dates.jsonl");
    let report = score(corpus, Language::English).unwrap();
    assert_eq!(print(&report), 100);
}
