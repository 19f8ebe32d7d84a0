//! The model modes as processes: `serve --understanding llm` against an OpenAI-compatible
//! server (a local fake), and against one that is down or hangs, where conversations still
//! complete on rules; `eval --understanding llm --json` counting model calls and tokens.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const BIN: &str = env!("CARGO_BIN_EXE_scheduling-agent");

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tool_call(commands: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "choices": [{"message": {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
            "function": {"name": "submit_commands", "arguments": json!({"commands": commands}).to_string()}}]}}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 10}
    }))
}

fn serve(llm_url: &str, dir: &std::path::Path) -> (Process, String) {
    serve_with("openai", llm_url, dir)
}

fn serve_with(provider: &str, llm_url: &str, dir: &std::path::Path) -> (Process, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--understanding", "llm"])
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/llm-{provider}.db", dir.display()),
        )
        .env("LLM_PROVIDER", provider)
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "secret-test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("LLM_BASE_URL", llm_url)
        .env("LLM_API_KEY", "sk-never-logged")
        .env("LLM_TIMEOUT_MS", "700")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .to_string();
    (Process(child), url)
}

/// The fifth working day from today in the demo client's zone: one the demo data always
/// offers (the nearer ones may be closed or partly taken, by design), whatever day the test
/// runs.
fn offered_day() -> chrono::NaiveDate {
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::New_York)
        .date_naive();
    (1..=14)
        .map(|n| today + chrono::Duration::days(n))
        .filter(|d| {
            !matches!(
                chrono::Datelike::weekday(d),
                chrono::Weekday::Sat | chrono::Weekday::Sun
            )
        })
        .nth(4)
        .expect("five working days in two weeks")
}

async fn book(base: &str) -> String {
    let http = reqwest::Client::new();
    let mut session: Option<String> = None;
    let mut last = String::new();
    // A third "yes" covers a flow that went on to another time instead of booking.
    let opening = format!(
        "book my flooring for {} at 10am",
        offered_day().format("%B %-d")
    );
    for (n, message) in [opening.as_str(), "yes", "yes"].into_iter().enumerate() {
        if n == 2 && !last.contains("Just to confirm") {
            break;
        }
        let mut body = json!({"message": message});
        if let Some(s) = &session {
            body["session_id"] = json!(s);
        }
        let reply: Value = http
            .post(format!("{base}/api/chat"))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        session = reply["session_id"].as_str().map(str::to_string);
        last = reply["response"].as_str().unwrap_or_default().to_string();
    }
    last
}

#[tokio::test]
async fn serve_with_a_model_and_without_one_that_answers() {
    let dir = std::env::temp_dir().join(format!("sa-llm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // A working model: it understands both turns.
    let day = offered_day().to_string();
    let llm = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(move |request: &wiremock::Request| {
            let body = String::from_utf8_lossy(&request.body);
            if body.contains("at 10am") {
                tool_call(json!([{"command": "start", "intent": "schedule"}, {"command": "set_project", "project": {"words": ["flooring"]}},
                                 {"command": "set_date", "date": day}, {"command": "set_time", "time": "10:00"}]))
            } else {
                tool_call(json!([{"command": "affirm"}]))
            }
        })
        .mount(&llm)
        .await;
    {
        let (_server, base) = serve(&format!("{}/v1", llm.uri()), &dir);
        let reply = book(&base).await;
        // Which slots the demo offers that Tuesday depends on the day the test runs: the
        // booking is made, or the flow goes on to the nearest offered time.
        assert!(
            reply.contains("all set") || reply.contains("isn't available"),
            "{reply}"
        );
        assert!(llm.received_requests().await.unwrap().len() >= 2);
    }

    // A model that hangs, and one that is down: the booking completes on rules.
    let hanging = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(tool_call(json!([])).set_delay(Duration::from_secs(30)))
        .mount(&hanging)
        .await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/v1", listener.local_addr().unwrap())
    };
    for url in [format!("{}/v1", hanging.uri()), closed.clone()] {
        let (_server, base) = serve(&url, &dir);
        let reply = book(&base).await;
        assert!(reply.contains("all set"), "{url}: {reply}");
    }
    // The same with the other providers' servers down.
    let down = closed.trim_end_matches("/v1").to_string();
    for provider in ["anthropic", "bedrock"] {
        let (_server, base) = serve_with(provider, &down, &dir);
        let reply = book(&base).await;
        assert!(reply.contains("all set"), "{provider}: {reply}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn eval_with_a_model_reports_calls_and_tokens() {
    let llm = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|request: &wiremock::Request| {
            let body = String::from_utf8_lossy(&request.body);
            if body.contains("<message>\\nyes\\n</message>") {
                tool_call(json!([{"command": "affirm"}]))
            } else {
                tool_call(json!([{"command": "start", "intent": "schedule"}, {"command": "set_project", "project": {"words": ["flooring"]}},
                                 {"command": "set_date", "date": "2025-11-11"}, {"command": "set_time", "time": "10:00"}]))
            }
        })
        .mount(&llm)
        .await;
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/book-date-and-time-in-one-message.yaml"
    );
    let output = tokio::task::spawn_blocking({
        let url = format!("{}/v1", llm.uri());
        move || {
            Command::new(BIN)
                .args(["eval", "--json", "--understanding", "llm", scenario])
                .env("LLM_PROVIDER", "openai")
                .env("LLM_BASE_URL", url)
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let json: Value =
        serde_json::from_str(stdout.lines().find(|l| l.starts_with('{')).unwrap()).unwrap();
    assert_eq!(json["passed"], true);
    assert_eq!(json["model_calls"], 2);
    assert_eq!(
        (
            json["input_tokens"].as_u64(),
            json["output_tokens"].as_u64()
        ),
        (Some(200), Some(20))
    );
    assert!(stdout.contains("model: 2 calls, 0 failed"), "{stdout}");
}
