//! `scheduling-agent mock-pf360 --fixtures F --now T`, run as a process and spoken to with a
//! plain HTTP client (not ours), so the wire format itself is what is checked.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_scheduling-agent");
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/acme.json");
const CLIENT: &str = "09PF05VD";

/// The running mock; killed when dropped.
struct Mock {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(extra: &[&str]) -> Mock {
    let mut child = Command::new(BIN)
        .args(["mock-pf360", "--fixtures", FIXTURE, "--addr", "127.0.0.1:0"])
        .args(["--now", "2025-10-20T09:15:00"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address printed: {line:?}"))
        .to_string();
    Mock {
        child,
        base,
        http: reqwest::Client::new(),
    }
}

impl Mock {
    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let mut request = self.http.request(method.parse().unwrap(), url);
        if let Some(token) = token {
            request = request
                .header("authorization", format!("Bearer {token}"))
                .header("client_id", CLIENT);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn as_maria(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.call(method, path, Some("demo-token-1645975"), body)
            .await
    }
}

fn dates_path(project: &str) -> String {
    format!(
        "/scheduler/client/{CLIENT}/project/{project}/date/2025-10-20/selected/2025-10-20/get-rescheduler-slots"
    )
}

fn slots_path(project: &str, date: &str, request_id: &str) -> String {
    format!(
        "/scheduler/client/{CLIENT}/project/{project}/date/{date}/selected/{date}/get-rescheduler-slots?request_id={request_id}"
    )
}

fn confirm_body(date: &str, time: &str, request_id: &str) -> Value {
    json!({"created_at": "10-20-2025 18:45:00", "date": date, "time": time,
           "request_id": request_id, "is_chatbot": "true"})
}

#[tokio::test]
async fn the_mock_process_serves_a_fixture_as_the_contract_says() {
    let mock = start(&[]);

    // 1 — dashboard: records served as they are, availability block withheld.
    let (status, body) = mock
        .as_maria("GET", &format!("/dashboard/get/{CLIENT}/1645975"), None)
        .await;
    assert_eq!(status, 200);
    let records = body["data"].as_array().unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["project_project_id"], "90000149");
    assert_eq!(records[0]["crm_sync_flags"], json!({"legacy": true}));
    assert!(records[0].get("availability").is_none());
    assert_eq!(records[2]["project_project_id"], 90000151);

    // 2 — business hours.
    let (status, body) = mock
        .as_maria(
            "GET",
            &format!("/scheduler/client/{CLIENT}/business-hours"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["workHours"][0],
        json!({"day": "Monday", "is_working": true})
    );
    assert_eq!(
        body["data"]["workHours"][6],
        json!({"day": "Sunday", "is_working": false})
    );

    // 3 — dates with a request_id.
    let (status, body) = mock.as_maria("GET", &dates_path("90000149"), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["dates"][0], "2025-10-21");
    assert_eq!(body["data"]["dates"][1], "2025-10-23");
    assert_eq!(body["data"]["dates"].as_array().unwrap().len(), 13);
    let rid = body["data"]["request_id"].as_str().unwrap().to_string();

    // 4 — slots, with the per-date override.
    let (status, body) = mock
        .as_maria("GET", &slots_path("90000149", "2025-10-23", &rid), None)
        .await;
    assert_eq!((status, body), (200, json!({"data": {"slots": ["13:00"]}})));
    let (status, body) = mock
        .as_maria("GET", &slots_path("90000149", "2025-10-22", &rid), None)
        .await;
    assert_eq!(status, 422);
    assert!(body["message"].as_str().unwrap().contains("2025-10-22"));

    // 5 — confirm: 409 for the vanishing slot, then a real booking.
    let confirm = format!("/scheduler/client/{CLIENT}/project/90000149/schedule");
    let (status, body) = mock
        .as_maria(
            "POST",
            &confirm,
            Some(confirm_body("2025-10-24", "08:00", &rid)),
        )
        .await;
    assert_eq!(
        (status, body),
        (409, json!({"message": "Slot no longer available"}))
    );
    let (status, body) = mock
        .as_maria(
            "POST",
            &confirm,
            Some(confirm_body("2025-10-28", "10:00", &rid)),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            200,
            json!({"message": "Appointment scheduled successfully", "status": "success"})
        )
    );
    let (_, body) = mock
        .as_maria("GET", &format!("/dashboard/get/{CLIENT}/1645975"), None)
        .await;
    let flooring = &body["data"][0];
    assert_eq!(flooring["status_info_status"], "Scheduled");
    assert_eq!(flooring["project_date_scheduled_date"], "2025-10-28");
    assert_eq!(
        flooring["convertedProjectStartScheduledDate"],
        "2025-10-28 10:00:00"
    );
    assert_eq!(
        flooring["convertedProjectEndScheduledDate"],
        "2025-10-28 14:00:00"
    );

    // A boolean is_chatbot or a malformed body is refused.
    let (rid2_status, body) = mock.as_maria("GET", &dates_path("90000150"), None).await;
    assert_eq!(rid2_status, 200);
    let rid2 = body["data"]["request_id"].as_str().unwrap().to_string();
    let windows_confirm = format!("/scheduler/client/{CLIENT}/project/90000150/schedule");
    let mut bad = confirm_body("2025-10-29", "10:00", &rid2);
    bad["is_chatbot"] = json!(true);
    assert_eq!(
        mock.as_maria("POST", &windows_confirm, Some(bad)).await.0,
        422
    );

    // 6 — cancel.
    let (status, body) = mock
        .as_maria(
            "GET",
            &format!("/scheduler/client/{CLIENT}/project/90000150/cancel-reschedule"),
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (
            200,
            json!({"message": "Appointment cancelled successfully"})
        )
    );

    // 7 — note.
    let (status, body) = mock
        .as_maria(
            "POST",
            &format!("/project-notes/add/{CLIENT}/90000149"),
            Some(json!({"note_text": "Call before arriving"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["message"], "Note added successfully");
    assert!(body["note_id"].as_str().unwrap().starts_with("note_"));

    // The writes log, in order.
    let (status, writes) = mock.call("GET", "/__mock/writes", None, None).await;
    assert_eq!(status, 200);
    let kinds: Vec<&str> = writes
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["schedule", "cancel", "note"]);
    assert_eq!(writes[0]["project_id"], "90000149");
    assert_eq!(writes[0]["date"], "2025-10-28");
    assert_eq!(writes[0]["time"], "10:00");
    assert_eq!(writes[0]["at"], "2025-10-20T09:15:00");
    assert_eq!(writes[1]["project_id"], "90000150");
    assert_eq!(writes[2]["note_text"], "Call before arriving");

    // Reset: back to the fixture.
    let (status, _) = mock.call("POST", "/__mock/reset", None, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        mock.call("GET", "/__mock/writes", None, None).await.1,
        json!([])
    );
    let (_, body) = mock
        .as_maria("GET", &format!("/dashboard/get/{CLIENT}/1645975"), None)
        .await;
    assert_eq!(body["data"][0]["status_info_status"], "Ready to Schedule");
    assert_eq!(body["data"][1]["status_info_status"], "Scheduled");
}

#[tokio::test]
async fn the_mock_process_enforces_auth_and_request_id_expiry() {
    let mock = start(&["--jwt-secret", "cli-secret"]);
    let dashboard = format!("/dashboard/get/{CLIENT}/1645975");

    assert_eq!(mock.call("GET", &dashboard, None, None).await.0, 401);
    assert_eq!(
        mock.call("GET", &dashboard, Some("nope"), None).await.0,
        401
    );
    assert_eq!(
        mock.call("GET", &dashboard, Some("token-tom"), None)
            .await
            .0,
        403
    );
    assert_eq!(
        mock.call("GET", &dashboard, Some("token-other-client"), None)
            .await
            .0,
        403
    );
    let (status, body) = mock.as_maria("GET", &dates_path("90000200"), None).await;
    assert_eq!(
        (status, body),
        (404, json!({"message": "Project not found"}))
    );
    assert_eq!(
        mock.as_maria("GET", &dates_path("90000151"), None).await.0,
        422
    );

    let claims = json!({"customer_id": "1645975", "client_id": CLIENT,
                        "exp": chrono::Utc::now().timestamp() + 600});
    let jwt = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"cli-secret"),
    )
    .unwrap();
    assert_eq!(mock.call("GET", &dashboard, Some(&jwt), None).await.0, 200);

    // request_id expiry follows the mock clock.
    let (_, body) = mock.as_maria("GET", &dates_path("90000149"), None).await;
    let rid = body["data"]["request_id"].as_str().unwrap().to_string();
    let (status, body) = mock
        .call(
            "PUT",
            "/__mock/clock",
            None,
            Some(json!({"now": "2025-10-20T09:50:00"})),
        )
        .await;
    assert_eq!((status, body), (200, json!({"now": "2025-10-20T09:50:00"})));
    let (status, body) = mock
        .as_maria("GET", &slots_path("90000149", "2025-10-21", &rid), None)
        .await;
    assert_eq!(status, 422);
    assert!(body["message"].as_str().unwrap().contains("expired"));
    let (status, _) = mock
        .as_maria(
            "POST",
            &format!("/scheduler/client/{CLIENT}/project/90000149/schedule"),
            Some(confirm_body("2025-10-21", "10:00", &rid)),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        mock.call("GET", "/__mock/writes", None, None).await.1,
        json!([])
    );

    // Moving the clock moves the offered dates.
    mock.call(
        "PUT",
        "/__mock/clock",
        None,
        Some(json!({"now": "2025-10-24T12:00:00"})),
    )
    .await;
    let (_, body) = mock.as_maria("GET", &dates_path("90000149"), None).await;
    assert_eq!(body["data"]["dates"][0], "2025-10-27");
    assert_eq!(
        mock.call(
            "PUT",
            "/__mock/clock",
            None,
            Some(json!({"now": "yesterday"}))
        )
        .await
        .0,
        422
    );
}

#[test]
fn a_bad_fixture_is_refused_naming_the_file_and_the_field() {
    let dir = std::env::temp_dir().join(format!("sa-bad-fixture-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("broken.json");
    let text = std::fs::read_to_string(FIXTURE)
        .unwrap()
        .replace("\"lead_days\": 1", "\"lead_days\": \"one\"");
    std::fs::write(&file, text).unwrap();
    let output = Command::new(BIN)
        .args(["mock-pf360", "--addr", "127.0.0.1:0", "--fixtures"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.json"), "{stderr}");
    assert!(stderr.contains("clients[0].lead_days"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}
