//! The chat API over real HTTP, with the real store and the built-in mock PF360.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_booking_over_http_and_a_retry_that_books_nothing_more() {
    let s = start(|_| {}).await;
    let (status, first) = s
        .chat(
            "book my flooring for next tuesday at 10am",
            None,
            Some("m-1"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{first}");
    assert!(
        first["response"]
            .as_str()
            .unwrap()
            .contains("Just to confirm")
    );
    assert_eq!(first["quick_replies"][0]["value"], "yes");
    let tools = first["metadata"]["tools_executed"].as_array().unwrap();
    assert!(tools.iter().any(|t| t == "get_available_dates"));
    let session = first["session_id"].as_str().unwrap().to_string();

    let (status, booked) = s.chat("yes", Some(&session), Some("m-2"), None).await;
    assert_eq!(status, 200);
    assert!(
        booked["response"].as_str().unwrap().contains("all set"),
        "{booked}"
    );
    assert!(
        booked["links"][0]["url"]
            .as_str()
            .unwrap()
            .contains("/details/90000149")
    );
    // A double click: same id, same answer, nothing done again.
    let (status, again) = s.chat("yes", Some(&session), Some("m-2"), None).await;
    assert_eq!(status, 200);
    assert_eq!(again["response"], booked["response"]);
    assert_eq!(again["metadata"]["replayed"], true);
    let writes = s.writes().await;
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert_eq!(writes[0]["date"], "2025-11-11");

    // The transcript has both turns, the replay not twice.
    let (status, transcript) = s
        .get(&format!("/api/sessions/{session}/messages"), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(transcript["messages"].as_array().unwrap().len(), 4);
    let (status, info) = s.get(&format!("/api/sessions/{session}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(info["summary"]["appointment_made"], true);
    assert_eq!(info["summary"]["outcome"], "completed");
}

#[tokio::test]
async fn every_error_has_its_status_and_json_body() {
    let s = start(|c| c.body_limit_bytes = 4096).await;
    let url = format!("{}/api/chat", s.base);
    let raw = |body: &'static str, content_type: &'static str| {
        let http = s.http.clone();
        let url = url.clone();
        async move {
            let r = http
                .post(url)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, body) = raw("{not json", "application/json").await;
    assert_error(status, &body, 400, "malformed_json");
    let (status, body) = raw(r#"{"message": "hi"}"#, "text/plain").await;
    assert_error(status, &body, 415, "unsupported_media_type");
    let (status, body) = raw(r#"{"text": "hi"}"#, "application/json").await;
    assert_error(status, &body, 422, "invalid_body");
    let big = json!({"message": "x".repeat(10_000)});
    let (status, body, _) = s.post("/api/chat", big, None).await;
    assert_error(status, &body, 413, "body_too_large");
    let (status, body) = s.chat("   ", None, None, None).await;
    assert_error(status, &body, 400, "empty_message");
    let (status, body) = s.chat(&"y".repeat(2500), None, None, None).await;
    assert_error(status, &body, 413, "message_too_long");
    let (status, body) = s.chat("hi", Some("no-such-session"), None, None).await;
    assert_error(status, &body, 404, "session_not_found");
    let (status, body) = s.get("/api/nothing-here", None).await;
    assert_error(status, &body, 404, "not_found");
    // Gibberish is not an error: a polite answer.
    let (status, body) = s.chat("asdf qwer zxcv", None, None, None).await;
    assert_eq!(status, 200);
    assert!(body["response"].as_str().unwrap().contains("didn't catch"));
}

#[tokio::test]
async fn with_jwt_auth_every_call_needs_a_valid_token_and_sessions_are_private() {
    let s = start(|c| c.auth.jwt_secret = Some(SECRET.to_string().into())).await;
    let maria = jwt("1645975", 600, SECRET);
    let james = jwt("2231407", 600, SECRET);

    let (status, body) = s.chat("hello", None, None, None).await;
    assert_error(status, &body, 401, "unauthorized");
    let (status, body) = s
        .chat("hello", None, None, Some(&jwt("1645975", -600, SECRET)))
        .await;
    assert_error(status, &body, 401, "unauthorized");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    let (status, body) = s
        .chat("hello", None, None, Some(&jwt("1645975", 600, "forged")))
        .await;
    assert_error(status, &body, 401, "unauthorized");
    let (status, body) = s.chat("hello", None, None, Some("not-a-jwt")).await;
    assert_error(status, &body, 401, "unauthorized");

    // The token is forwarded to PF360: Maria sees her projects.
    let (status, mine) = s.chat("show my projects", None, None, Some(&maria)).await;
    assert_eq!(status, 200, "{mine}");
    assert!(mine["response"].as_str().unwrap().contains("ORD-2025-001"));
    let session = mine["session_id"].as_str().unwrap().to_string();

    // James can neither read nor write Maria's session: 404, exactly like a missing one.
    let (status, body) = s
        .chat("cancel it", Some(&session), None, Some(&james))
        .await;
    assert_error(status, &body, 404, "session_not_found");
    let (status, body) = s
        .get(&format!("/api/sessions/{session}"), Some(&james))
        .await;
    assert_error(status, &body, 404, "session_not_found");
    let (status, body) = s
        .get(&format!("/api/sessions/{session}/messages"), Some(&james))
        .await;
    assert_error(status, &body, 404, "session_not_found");
    let (status, _) = s
        .get(&format!("/api/sessions/{session}/messages"), Some(&maria))
        .await;
    assert_eq!(status, 200);
    let (status, body) = s.get(&format!("/api/sessions/{session}"), None).await;
    assert_error(status, &body, 401, "unauthorized");
    // The page shows no demo label.
    assert_eq!(s.get("/api/config", None).await.1["demo"], false);
}

#[tokio::test]
async fn an_expired_session_starts_over_politely() {
    let s = start(|c| c.session_ttl_secs = 60).await;
    let (_, first) = s.chat("book my flooring", None, None, None).await;
    let session = first["session_id"].as_str().unwrap().to_string();
    s.clock.advance(chrono::Duration::minutes(5));
    let (status, later) = s.chat("the first one", Some(&session), None, None).await;
    assert_eq!(status, 200);
    let text = later["response"].as_str().unwrap();
    assert!(text.starts_with("Welcome back"), "{text}");
    let (_, info) = s.get(&format!("/api/sessions/{session}"), None).await;
    assert_eq!(
        info["expired"], false,
        "the session lives on after the new turn"
    );
}

#[tokio::test]
async fn concurrent_turns_on_one_session_are_all_kept() {
    let s = start(|_| {}).await;
    let (_, first) = s.chat("hello", None, None, None).await;
    let session = first["session_id"].as_str().unwrap().to_string();
    let mut tasks = Vec::new();
    for n in 0..6 {
        let http = s.http.clone();
        let url = format!("{}/api/chat", s.base);
        let body = json!({"message": format!("what are your hours? ({n})"), "session_id": session, "client_message_id": format!("c-{n}")});
        tasks.push(tokio::spawn(async move {
            http.post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    let (_, transcript) = s
        .get(&format!("/api/sessions/{session}/messages"), None)
        .await;
    let messages = transcript["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 14, "one turn was lost");
    let record = s.app.store.session(&session).await.unwrap().unwrap();
    assert_eq!(record.version, 7);
}

#[tokio::test]
async fn too_many_messages_get_429_with_retry_after() {
    let s = start(|c| c.rate_limit_session_per_minute = 3).await;
    let (_, first) = s.chat("hello", None, None, None).await;
    let session = first["session_id"].as_str().unwrap().to_string();
    for _ in 0..2 {
        assert_eq!(s.chat("hello", Some(&session), None, None).await.0, 200);
    }
    let (status, body, headers) = s
        .post(
            "/api/chat",
            json!({"message": "hello", "session_id": session}),
            None,
        )
        .await;
    assert_error(status, &body, 429, "rate_limited");
    let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry >= 1);
}

#[tokio::test]
async fn health_metrics_and_the_page() {
    let s = start(|_| {}).await;
    let (status, health) = s.get("/api/health", None).await;
    assert_eq!(status, 200);
    assert_eq!(health["checks"], json!({"database": "ok", "pf360": "ok"}));
    s.chat(
        "book my flooring for next tuesday at 10am",
        None,
        None,
        None,
    )
    .await;
    let metrics = s
        .http
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for name in [
        "chat_turns_total",
        "chat_turn_duration_seconds",
        "pf360_calls_total",
        "active_sessions",
    ] {
        assert!(metrics.contains(name), "{name} missing from /metrics");
    }
    assert!(
        !metrics.contains("demo-token"),
        "a token reached the metrics"
    );
    let page = s.http.get(format!("{}/", s.base)).send().await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"messages\"") && html.contains("aria-live"));
    let config = s.get("/api/config", None).await.1;
    assert_eq!(config["demo"], true);
    assert_eq!(config["demo_customer"], "Maria Lopez");
}

#[tokio::test]
async fn the_openapi_document_matches_the_api() {
    let s = start(|_| {}).await;
    let (status, doc) = s.get("/api/openapi.json", None).await;
    assert_eq!(status, 200);
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/chat",
        "/api/chat/stream",
        "/api/sessions/{id}",
        "/api/sessions/{id}/messages",
        "/api/health",
        "/api/config",
        "/metrics",
        "/api/openapi.json",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    // Every documented operation exists (no fallback 404).
    for (path, ops) in paths {
        let concrete = path.replace("{id}", "no-such-session");
        for method in ops.as_object().unwrap().keys() {
            let url = format!("{}{concrete}", s.base);
            let request = match method.as_str() {
                "get" => s.http.get(url),
                "post" => s.http.post(url).json(&json!({"message": "hello"})),
                other => panic!("undocumented method {other}"),
            };
            let body = request.send().await.unwrap().text().await.unwrap();
            let code = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .map(|v| v["error"]["code"].clone());
            assert_ne!(
                code,
                Some(json!("not_found")),
                "{method} {path} is documented but not served"
            );
        }
    }
    // The documented required fields are what /api/chat returns.
    let (_, reply) = s.chat("hello", None, None, None).await;
    let schema = &doc["components"]["schemas"]["ChatResponse"];
    for field in schema["required"].as_array().unwrap() {
        assert!(
            reply.get(field.as_str().unwrap()).is_some(),
            "{field} missing"
        );
    }
    for field in schema["properties"]["metadata"]["required"]
        .as_array()
        .unwrap()
    {
        assert!(
            reply["metadata"].get(field.as_str().unwrap()).is_some(),
            "metadata.{field} missing"
        );
    }
}

/// Every metric the alert rules and the dashboard use is one the service exposes.
#[tokio::test]
async fn the_deploy_files_name_only_metrics_the_service_exposes() {
    let s = start(|c| c.rate_limit_session_per_minute = 2).await;
    let (_, first) = s.chat("book my flooring", None, None, None).await;
    let session = first["session_id"].as_str().unwrap().to_string();
    s.chat("the first one", Some(&session), None, None).await;
    let (status, _) = s.chat("hello", Some(&session), None, None).await;
    assert_eq!(status, 429);
    let metrics = s
        .http
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy");
    let text = std::fs::read_to_string(root.join("prometheus-alerts.yml")).unwrap()
        + &std::fs::read_to_string(root.join("grafana-dashboard.json")).unwrap();
    let mut names: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            [
                "_total",
                "_seconds_bucket",
                "_sessions",
                "_up",
                "_connections",
            ]
            .iter()
            .any(|s| w.ends_with(s))
        })
        .map(|w| w.trim_end_matches("_bucket").to_string())
        .collect();
    names.sort();
    names.dedup();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        assert!(
            metrics.contains(&name),
            "{name} is used in deploy/ but not exposed"
        );
    }
}

/// RS256 tokens verified with keys fetched from a JWKS URL; iss and aud checked when set.
#[tokio::test]
async fn rs256_tokens_from_a_jwks_url_with_issuer_and_audience() {
    let keys = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/keys");
    let jwks = std::fs::read_to_string(keys.join("test-jwks.json")).unwrap();
    let issuer = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path("/.well-known/jwks.json"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw(jwks, "application/json"))
        .mount(&issuer)
        .await;
    let jwks_url = format!("{}/.well-known/jwks.json", issuer.uri());
    let s = start(|c| {
        c.auth.jwks_url = Some(jwks_url);
        c.auth.issuer = Some("https://login.example".into());
        c.auth.audience = Some("scheduling-agent".into());
    })
    .await;
    let der = std::fs::read(keys.join("test-rsa.der")).unwrap();
    let key = jsonwebtoken::EncodingKey::from_rsa_der(&der);
    let sign = |iss: &str, aud: &str, kid: &str| {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(kid.into());
        let claims = json!({"customer_id": "1645975", "client_id": "09PF05VD", "client_name": "brightside-home",
                            "iss": iss, "aud": aud, "exp": chrono::Utc::now().timestamp() + 600});
        jsonwebtoken::encode(&header, &claims, &key).unwrap()
    };
    let good = sign("https://login.example", "scheduling-agent", "test-key-1");
    let (status, body) = s.chat("show my projects", None, None, Some(&good)).await;
    assert_eq!(status, 200, "{body}");
    for bad in [
        sign("https://evil.example", "scheduling-agent", "test-key-1"),
        sign("https://login.example", "another-app", "test-key-1"),
        sign("https://login.example", "scheduling-agent", "unknown-key"),
        // An HS256 token cannot pass for RS256.
        jwt("1645975", 600, SECRET),
    ] {
        let (status, body) = s.chat("hello", None, None, Some(&bad)).await;
        assert_error(status, &body, 401, "unauthorized");
    }
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let s = start(|c| c.cors_origins = vec!["https://portal.example".into()]).await;
    let preflight = |origin: &'static str| {
        s.http
            .request(reqwest::Method::OPTIONS, format!("{}/api/chat", s.base))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,authorization",
            )
            .send()
    };
    let allowed = preflight("https://portal.example").await.unwrap();
    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .unwrap(),
        "https://portal.example"
    );
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn messy_unicode_gets_an_answer_and_leaves_the_session_usable() {
    // These panicked inside the turn: no response at all, then 409 on the session for 30 s.
    let s = start(|_| {}).await;
    let (status, first) = s.chat("book my flooring", None, None, None).await;
    assert_eq!(status, 200, "{first}");
    let session = first["session_id"].as_str().unwrap().to_string();
    for message in [
        "The 13th’s fine",
        "İlker here, good morning",
        "ﬁne, the ﬁrst one\u{200B}\u{202E}",
        "👨‍👩‍👧 e\u{301}\u{301} ß İİ",
    ] {
        let (status, body) = s.chat(message, Some(&session), None, None).await;
        assert_eq!(status, 200, "{message:?}: {body}");
        assert!(
            !body["response"].as_str().unwrap().is_empty(),
            "{message:?}"
        );
    }
}

#[tokio::test]
async fn a_retried_first_message_continues_its_conversation_and_tabs_are_spaces() {
    let s = start(|_| {}).await;
    let (_, first) = s
        .chat("book my\tflooring", None, Some("first-1"), None)
        .await;
    let session = first["session_id"].as_str().unwrap().to_string();
    // The answer was lost; the client sends the same first message again.
    let (status, again) = s
        .chat("book my\tflooring", None, Some("first-1"), None)
        .await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(
        again["session_id"],
        session.as_str(),
        "a new session each time"
    );
    assert_eq!(again["metadata"]["replayed"], true);
    let (_, transcript) = s
        .get(&format!("/api/sessions/{session}/messages"), None)
        .await;
    let messages = transcript["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2, "{transcript}");
    assert_eq!(messages[0]["text"], "book my flooring");
}

#[tokio::test]
async fn a_button_of_an_older_reply_is_answered_as_stale_and_never_applied() {
    let s = start(|_| {}).await;
    let (_, summary) = s
        .chat(
            "book my flooring for next tuesday at 10am",
            None,
            Some("s-1"),
            None,
        )
        .await;
    let session = summary["session_id"].as_str().unwrap().to_string();
    let first_turn = summary["turn"].as_u64().unwrap();
    assert!(summary["response"].as_str().unwrap().contains("10:00 AM"));

    // The customer changes the time: a new summary, under a new turn.
    let (_, changed) = s
        .chat(
            "actually make it 1 not 10",
            Some(&session),
            Some("s-2"),
            None,
        )
        .await;
    assert!(
        changed["response"].as_str().unwrap().contains("1:00 PM"),
        "{changed}"
    );
    let second_turn = changed["turn"].as_u64().unwrap();
    assert!(second_turn > first_turn);

    // The old "Yes" under the 10:00 summary arrives late: stale, nothing booked.
    let (status, stale, _) = s
        .post(
            "/api/chat",
            json!({"message": "yes", "session_id": session, "client_message_id": "s-3",
                   "reply_to": first_turn}),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let text = stale["response"].as_str().unwrap();
    assert!(text.contains("earlier question"), "{text}");
    assert!(
        text.contains("1:00 PM"),
        "the open summary is shown again: {text}"
    );
    assert!(s.writes().await.is_empty());

    // A reload restores the buttons of the last reply, with their turn.
    let (_, transcript) = s
        .get(&format!("/api/sessions/{session}/messages"), None)
        .await;
    let last = &transcript["last_reply"];
    assert_eq!(last["quick_replies"][0]["value"], "yes", "{transcript}");
    let current = last["turn"].as_u64().unwrap();
    assert_eq!(current, stale["turn"].as_u64().unwrap());

    // The "Yes" of the reply now shown books 1:00 PM, with a confirmation code we keep.
    let (_, booked, _) = s
        .post(
            "/api/chat",
            json!({"message": "yes", "session_id": session, "client_message_id": "s-4",
                   "reply_to": current}),
            None,
        )
        .await;
    assert!(
        booked["response"].as_str().unwrap().contains("all set"),
        "{booked}"
    );
    let writes = s.writes().await;
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert_eq!(writes[0]["time"], "13:00");
    let code = booked["appointments"][0]["confirmation_code"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 8, "{booked}");
    assert_eq!(booked["appointments"][0]["kind"], "booked");
    let kept = s
        .app
        .store
        .appointments("09PF05VD", "1645975")
        .await
        .unwrap();
    assert!(
        kept.iter().any(|(_, stored)| *stored == code),
        "the code shown is the code stored: {kept:?}"
    );
}
