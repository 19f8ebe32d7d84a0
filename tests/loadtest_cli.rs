//! `loadtest` against a real `serve` (demo mode, SQLite in a temporary folder): whole booking
//! conversations complete with no errors, and the figures are printed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_scheduling-agent");

#[test]
fn loadtest_runs_whole_conversations_without_errors() {
    let dir = std::env::temp_dir().join(format!("sa-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut server = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/load.db", dir.display()),
        )
        .env("RATE_LIMIT_IP_PER_MINUTE", "100000")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .to_string();
    let output = Command::new(BIN)
        .args([
            "loadtest",
            "--url",
            &url,
            "--sessions",
            "8",
            "--concurrency",
            "4",
        ])
        .output()
        .unwrap();
    // Open loop: arrivals at a fixed average rate, with think time between turns.
    let open = Command::new(BIN)
        .args([
            "loadtest",
            "--url",
            &url,
            "--sessions",
            "6",
            "--rate",
            "20",
            "--think-ms",
            "20",
        ])
        .output()
        .unwrap();
    let _ = server.kill();
    let _ = server.wait();
    let open_out = String::from_utf8_lossy(&open.stdout);
    assert!(open.status.success(), "{open_out}");
    assert!(
        open_out.contains("open loop: 20 a second, 20 ms think time"),
        "{open_out}"
    );
    assert!(
        open_out.contains("errors: 0 (0.00 %), conversations not ending in a booking: 0"),
        "{open_out}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("conversations: 8"), "{stdout}");
    assert!(
        stdout.contains("errors: 0 (0.00 %), conversations not ending in a booking: 0"),
        "{stdout}"
    );
    assert!(stdout.contains("turn latency: p50"), "{stdout}");
    // Every conversation of both runs booked for real: none was answered as a replay of the
    // other run's messages.
    assert_eq!(done_writes(&dir.join("load.db")), 8 + 6);
    let _ = std::fs::remove_dir_all(dir);
}

fn done_writes(db: &std::path::Path) -> i64 {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        sqlx::query_scalar("SELECT count(*) FROM write_intents WHERE status = 'done'")
            .fetch_one(&mut conn)
            .await
            .unwrap()
    })
}
