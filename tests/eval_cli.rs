//! `scheduling-agent eval` and `nlu`, run as processes.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_scheduling-agent");
const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");

fn run(args: &[&str]) -> (bool, String) {
    let output = Command::new(BIN)
        .args(args)
        .output()
        .expect("the binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn every_scenario_in_the_repo_passes() {
    let (ok, stdout) = run(&["eval", SCENARIOS]);
    let failures: Vec<&str> = stdout.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert!(ok && failures.is_empty(), "{}", failures.join("\n"));
    let closing = stdout.lines().last().unwrap_or_default();
    let passed: usize = closing
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(closing.ends_with(" passed, 0 failed"), "{closing}");
    assert!(passed >= 40, "only {passed} scenarios");
}

#[test]
fn a_scenario_whose_booking_does_not_happen_fails() {
    let dir = std::env::temp_dir().join(format!("sa-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("wrong.yaml");
    std::fs::write(
        &file,
        r#"name: expects-a-booking-that-is-never-confirmed
now: 2025-11-03T10:00:00
turns:
  - user: "book my flooring next tuesday at 10am"
  - user: "no"
    expect:
      contains: ["all set"]
expect:
  bookings:
    - {project_id: "90000149", date: "2025-11-11", time: "10:00"}
"#,
    )
    .unwrap();
    let (ok, stdout) = run(&["eval", "--json", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stdout.contains("FAIL expects-a-booking-that-is-never-confirmed: turn 2"),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l == "0 passed, 1 failed"),
        "{stdout}"
    );
    let json: serde_json::Value = stdout
        .lines()
        .find(|l| l.starts_with('{'))
        .and_then(|l| serde_json::from_str(l).ok())
        .expect("a JSON line per scenario");
    assert_eq!(json["passed"], false);
    let reasons = json["reasons"].as_array().unwrap();
    assert!(
        reasons
            .iter()
            .any(|r| r.as_str().unwrap().contains("was not made")),
        "{reasons:?}"
    );
    assert!(
        json["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "get_available_dates")
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_broken_scenario_file_fails_naming_the_file() {
    let dir = std::env::temp_dir().join(format!("sa-eval-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("broken.yaml");
    std::fs::write(&file, "name: x\nnow: yesterday\nturns: []\n").unwrap();
    let (ok, stdout) = run(&["eval", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stdout.contains("broken.yaml") && stdout.contains("now"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn nlu_reports_commands_date_and_time() {
    let (ok, stdout) = run(&[
        "nlu",
        "book the windows for thursday at 8",
        "--now",
        "2025-11-05T10:00:00",
        "--json",
    ]);
    assert!(ok);
    let json: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(json["date"], "2025-11-06");
    assert_eq!(json["time"], "08:00");
    let commands = json["commands"].as_array().unwrap();
    assert!(
        commands
            .iter()
            .any(|c| c["command"] == "start" && c["intent"] == "schedule"),
        "{commands:?}"
    );
    assert!(
        commands.iter().any(|c| c["command"] == "set_project"),
        "{commands:?}"
    );

    let (_, stdout) = run(&["nlu", "yes please", "--json"]);
    let json: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(json["date"], serde_json::Value::Null);
    assert_eq!(json["commands"][0]["command"], "affirm");
}
