//! The HTTP edge under hostile or unlucky clients: oversize bodies answered with a 413 the
//! client reads, slow headers cut off, forged key ids that cannot make us hammer the issuer,
//! `nbf` and future `iat`, client addresses behind trusted proxies only, rate limits on every
//! endpoint, JSON errors on every status, and a health check that reports PF360 failing from
//! our own calls without calling it per hit.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends `head`, then `body` in 64 KiB pieces as a client uploading would, then reads
/// whatever comes back until the server closes (or `wait` passes). An error means the
/// connection was reset before the answer could be read.
async fn raw(base: &str, head: &[u8], body: &[u8], wait: Duration) -> std::io::Result<String> {
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.write_all(head).await?;
    for piece in body.chunks(64 * 1024) {
        stream.write_all(piece).await?;
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let mut out = Vec::new();
    let _ = tokio::time::timeout(wait, stream.read_to_end(&mut out)).await?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[tokio::test]
async fn an_oversize_body_gets_a_413_the_client_can_read() {
    let s = start(|_| {}).await;
    // 3 MB declared and sent, the way Python's requests sends it: all of it, then read.
    let body = format!("{{\"message\": \"{}\"}}", "a".repeat(3 * 1024 * 1024));
    let head = format!(
        "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let answer = raw(
        &s.base,
        head.as_bytes(),
        body.as_bytes(),
        Duration::from_secs(5),
    )
    .await
    .expect("the connection was reset before the answer");
    assert!(answer.starts_with("HTTP/1.1 413"), "{:.200}", answer);
    assert!(answer.contains("\"body_too_large\""), "{answer}");

    // Chunked, with no length to refuse it by: the same.
    let (status, body, _) = s
        .post("/api/chat", json!({"message": "x".repeat(40 * 1024)}), None)
        .await;
    assert_error(status, &body, 413, "body_too_large");
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let s = start(|c| c.header_read_timeout_secs = 1).await;
    let started = std::time::Instant::now();
    let answer = raw(
        &s.base,
        b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Ty",
        b"",
        Duration::from_secs(10),
    )
    .await
    .unwrap_or_default();
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(5),
        "a half-sent header held the connection for {took:?}: {answer}"
    );
}

#[tokio::test]
async fn a_client_that_never_finishes_its_body_gets_a_408() {
    let s = start(|c| c.header_read_timeout_secs = 1).await;
    // 100 bytes promised, 16 sent, then silence.
    let answer = raw(
        &s.base,
        b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
        b"{\"message\": \"hel",
        Duration::from_secs(10),
    )
    .await
    .expect("the connection was reset before the answer");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"body_timeout\""), "{answer}");
}

fn rs256(kid: &str, claims: Value) -> String {
    let keys = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/keys");
    let der = std::fs::read(keys.join("test-rsa.der")).unwrap();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(kid.into());
    jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_rsa_der(&der),
    )
    .unwrap()
}

#[tokio::test]
async fn forged_key_ids_cannot_make_us_hammer_the_issuer() {
    let keys = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/keys");
    let jwks = std::fs::read_to_string(keys.join("test-jwks.json")).unwrap();
    let issuer = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path("/jwks.json"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw(jwks, "application/json"))
        .mount(&issuer)
        .await;
    let url = format!("{}/jwks.json", issuer.uri());
    let s = start(|c| {
        c.auth.jwks_url = Some(url);
        c.rate_limit_ip_per_minute = 1000;
    })
    .await;
    let exp = chrono::Utc::now().timestamp() + 600;
    for n in 0..50 {
        let token = rs256(
            &format!("forged-{n}"),
            json!({"customer_id": "1645975", "client_id": "09PF05VD", "exp": exp}),
        );
        let (status, body) = s.chat("hi", None, None, Some(&token)).await;
        assert_error(status, &body, 401, "unauthorized");
    }
    let fetches = issuer.received_requests().await.unwrap().len();
    // One at start, at most one more for all fifty forged ids.
    assert!(fetches <= 2, "{fetches} JWKS fetches");
    // A real token still works.
    let good = rs256(
        "test-key-1",
        json!({"customer_id": "1645975", "client_id": "09PF05VD", "exp": exp}),
    );
    let (status, body) = s.chat("hi", None, None, Some(&good)).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn tokens_not_yet_valid_or_issued_in_the_future_are_refused() {
    let s = start(|c| {
        c.auth.jwt_secret = Some(SECRET.to_string().into());
        c.auth.leeway_secs = 30;
    })
    .await;
    let now = chrono::Utc::now().timestamp();
    let sign = |claims: Value| {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::default(),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap()
    };
    let base = json!({"customer_id": "1645975", "client_id": "09PF05VD", "exp": now + 600});
    let with = |key: &str, value: i64| {
        let mut claims = base.clone();
        claims[key] = json!(value);
        sign(claims)
    };
    for bad in [with("nbf", now + 300), with("iat", now + 300)] {
        let (status, body) = s.chat("hi", None, None, Some(&bad)).await;
        assert_error(status, &body, 401, "unauthorized");
    }
    // Within the leeway (clocks differ a little): accepted.
    for fine in [
        with("nbf", now + 10),
        with("iat", now + 10),
        with("iat", now - 60),
    ] {
        let (status, body) = s.chat("hi", None, None, Some(&fine)).await;
        assert_eq!(status, 200, "{body}");
    }
}

async fn from(s: &Running, forwarded_for: &str) -> u16 {
    s.http
        .get(format!("{}/api/config", s.base))
        .header("x-forwarded-for", forwarded_for)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_rate_limit() {
    let s = start(|c| {
        c.rate_limit_ip_per_minute = 3;
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    for _ in 0..3 {
        assert_eq!(from(&s, "203.0.113.1").await, 200);
    }
    assert_eq!(from(&s, "203.0.113.1").await, 429);
    // Another customer behind the same balancer is not refused for the first one.
    assert_eq!(from(&s, "203.0.113.2").await, 200);
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_headers_are_ignored_and_every_endpoint_is_limited() {
    let s = start(|c| c.rate_limit_ip_per_minute = 4).await;
    // Claiming other addresses does not buy more requests.
    for n in 0..4 {
        assert_eq!(from(&s, &format!("203.0.113.{n}")).await, 200);
    }
    assert_eq!(from(&s, "203.0.113.99").await, 429);
    for path in ["/api/health", "/api/sessions/abc", "/metrics", "/"] {
        let (status, body) = s.get(path, None).await;
        assert_error(status, &body, 429, "rate_limited");
    }
}

#[tokio::test]
async fn every_error_status_has_the_json_envelope() {
    let s = start(|_| {}).await;
    // A method the endpoint does not take.
    let r = s
        .http
        .delete(format!("{}/api/chat", s.base))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_error(status, &body, 405, "method_not_allowed");
    // The streaming GET without its message.
    let (status, body) = s.get("/api/chat/stream", None).await;
    assert_error(status, &body, 400, "invalid_query");
    let (status, body) = s.get("/no/such/thing", None).await;
    assert_error(status, &body, 404, "not_found");
}

#[tokio::test]
async fn health_reports_pf360_failing_from_recent_calls_without_calling_it_per_hit() {
    let pf360 = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&pf360)
        .await;
    let url = pf360.uri();
    let s = start(|c| {
        c.use_mock_api = false;
        c.pf360_base_url = Some(url);
        c.auth.jwt_secret = Some(SECRET.to_string().into());
        c.rate_limit_ip_per_minute = 1000;
    })
    .await;
    let token = jwt("1645975", 600, SECRET);
    // Before any call: reachable (any HTTP answer), probed once.
    let (status, body) = s.get("/api/health", None).await;
    assert_eq!(status, 200, "{body}");
    // Customers' turns fail on PF360's side...
    for _ in 0..2 {
        let (status, body) = s.chat("show my projects", None, None, Some(&token)).await;
        assert_eq!(status, 200, "{body}");
    }
    // ...so health says so, and asking it often costs PF360 nothing.
    let before = pf360.received_requests().await.unwrap().len();
    for _ in 0..20 {
        let (status, body) = s.get("/api/health", None).await;
        assert_eq!(status, 503, "{body}");
        assert_eq!(body["checks"]["pf360"], "failing", "{body}");
    }
    assert_eq!(pf360.received_requests().await.unwrap().len(), before);
}
