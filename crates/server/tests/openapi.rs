//! The OpenAPI document is true to the server: real responses, for every operation and the
//! statuses a client can provoke, are documented for that operation, and their JSON bodies
//! validate against the documented schemas (JSON Schema, through the `jsonschema` crate).

mod common;

use common::*;
use serde_json::{Value, json};

/// The documented response for `method path status`, with `$ref`s to shared responses
/// followed.
fn documented<'a>(doc: &'a Value, path: &str, method: &str, status: u16) -> Option<&'a Value> {
    let response = &doc["paths"][path][method]["responses"][status.to_string()];
    if response.is_null() {
        return None;
    }
    match response["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/responses/");
            Some(&doc["components"]["responses"][name])
        }
        None => Some(response),
    }
}

/// Checks one real response against the document.
fn conforms(doc: &Value, path: &str, method: &str, status: u16, content_type: &str, body: &str) {
    let what = format!("{} {path} → {status}", method.to_uppercase());
    let response = documented(doc, path, method, status)
        .unwrap_or_else(|| panic!("{what} is not documented: {body}"));
    let media = content_type.split(';').next().unwrap_or_default().trim();
    let content = &response["content"][media];
    assert!(
        !content.is_null(),
        "{what}: {media} is not a documented content type"
    );
    let Some(schema) = content.get("schema") else {
        return;
    };
    // The schema, with the document's components beside it so `#/components/…` resolves.
    let root = json!({"allOf": [schema], "components": doc["components"]});
    let validator = jsonschema::validator_for(&root).expect("the documented schema compiles");
    let value: Value = serde_json::from_str(body)
        .unwrap_or_else(|e| panic!("{what}: the body is not JSON ({e}): {body}"));
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:?}\n{body}");
}

#[tokio::test]
async fn real_responses_conform_to_the_openapi_document() {
    let s = start(|_| {}).await;
    let (_, doc) = s.get("/api/openapi.json", None).await;
    let (_, first) = s.chat("book my flooring", None, None, None).await;
    let session = first["session_id"].as_str().unwrap().to_string();

    let post = |path: &str| s.http.post(format!("{}{path}", s.base));
    let get = |path: &str| s.http.get(format!("{}{path}", s.base));
    let cases: Vec<(&str, &str, reqwest::RequestBuilder, u16)> = vec![
        // Without Twilio or an admin token these do not exist, and say so in the usual shape.
        (
            "/channels/twilio/sms",
            "post",
            post("/channels/twilio/sms").form(&[("MessageSid", "SM1"), ("Body", "hi")]),
            404,
        ),
        (
            "/admin/customers",
            "post",
            post("/admin/customers").body("phone,client_id"),
            404,
        ),
        (
            "/api/chat",
            "post",
            post("/api/chat").json(&json!({"message": "hello"})),
            200,
        ),
        (
            "/api/chat",
            "post",
            post("/api/chat").json(&json!({"message": "  "})),
            400,
        ),
        (
            "/api/chat",
            "post",
            post("/api/chat")
                .header("content-type", "application/json")
                .body("{"),
            400,
        ),
        (
            "/api/chat",
            "post",
            post("/api/chat").json(&json!({"message": "hi", "client_message_id": ""})),
            400,
        ),
        (
            "/api/chat",
            "post",
            post("/api/chat").json(&json!({"message": "hi", "session_id": "nope"})),
            404,
        ),
        (
            "/api/chat",
            "post",
            post("/api/chat").json(&json!({"message": "x".repeat(40_000)})),
            413,
        ),
        (
            "/api/chat",
            "post",
            post("/api/chat").json(&json!({"message": "x".repeat(3000)})),
            413,
        ),
        ("/api/chat", "post", post("/api/chat").body("hello"), 415),
        (
            "/api/chat",
            "post",
            post("/api/chat").json(&json!({"message": 5})),
            422,
        ),
        // A method the path does not serve: documented on the path's operation.
        (
            "/api/chat",
            "post",
            s.http.delete(format!("{}/api/chat", s.base)),
            405,
        ),
        (
            "/api/chat/stream",
            "post",
            post("/api/chat/stream").json(&json!({"message": "hello"})),
            200,
        ),
        (
            "/api/chat/stream",
            "post",
            post("/api/chat/stream").json(&json!({"nothing": 1})),
            422,
        ),
        (
            "/api/chat/stream",
            "post",
            post("/api/chat/stream").body("hello"),
            415,
        ),
        (
            "/api/chat/stream",
            "get",
            get("/api/chat/stream?message=hello"),
            200,
        ),
        ("/api/chat/stream", "get", get("/api/chat/stream"), 400),
        (
            "/api/chat/stream",
            "get",
            get("/api/chat/stream?message=hi&session_id=nope"),
            404,
        ),
        (
            "/api/sessions/{id}",
            "get",
            get(&format!("/api/sessions/{session}")),
            200,
        ),
        ("/api/sessions/{id}", "get", get("/api/sessions/nope"), 404),
        (
            "/api/sessions/{id}/messages",
            "get",
            get(&format!("/api/sessions/{session}/messages")),
            200,
        ),
        (
            "/api/sessions/{id}/messages",
            "get",
            get("/api/sessions/nope/messages"),
            404,
        ),
        ("/api/health", "get", get("/api/health"), 200),
        ("/api/config", "get", get("/api/config"), 200),
        ("/metrics", "get", get("/metrics"), 200),
        ("/api/openapi.json", "get", get("/api/openapi.json"), 200),
    ];
    for (path, method, request, want) in cases {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = response.text().await.unwrap();
        assert_eq!(status, want, "{method} {path}: {body}");
        conforms(&doc, path, method, status, &content_type, &body);
    }
}

#[tokio::test]
async fn the_documented_request_rules_are_the_server_s() {
    // What the document allows, the server accepts; what it forbids, the server refuses.
    let s = start(|_| {}).await;
    let (_, doc) = s.get("/api/openapi.json", None).await;
    let request = json!({"allOf": [{"$ref": "#/components/schemas/ChatRequest"}], "components": doc["components"]});
    let validator = jsonschema::validator_for(&request).unwrap();
    for (body, accepted) in [
        (json!({"message": "hello"}), true),
        (json!({"message": "hello", "client_message_id": "a"}), true),
        (json!({"message": ""}), false),
        (json!({"message": "hello", "client_message_id": ""}), false),
        (json!({"message": "x".repeat(2001)}), false),
        (
            json!({"message": "hi", "client_message_id": "x".repeat(129)}),
            false,
        ),
    ] {
        assert_eq!(validator.is_valid(&body), accepted, "document on {body}");
        let (status, reply, _) = s.post("/api/chat", body.clone(), None).await;
        assert_eq!(
            status == 200,
            accepted,
            "server on {body}: {status} {reply}"
        );
    }
}
