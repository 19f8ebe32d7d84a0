//! The language and channel of a conversation come from its state and reach every reply: a
//! Spanish SMS conversation is answered in Spanish, worded for SMS, and keeps its language
//! from turn to turn; a customer who writes in the other language is answered in it.

mod common;

use std::sync::Arc;

use agent::{Channel, ConversationState, Language};
use common::{engine, maria, monday, record};
use pf360::FixedClock;
use wiremock::matchers::{path_regex, query_param};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn a_spanish_sms_conversation_is_answered_in_spanish_for_sms() {
    let server = wiremock::MockServer::start().await;
    Mock::given(path_regex("^/dashboard/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(record("Ready to Schedule", None)))
        .mount(&server)
        .await;
    Mock::given(path_regex("get-rescheduler-slots$"))
        .and(query_param("request_id", "req_1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"data": {"slots": ["10:00", "13:00"]}})),
        )
        .mount(&server)
        .await;
    Mock::given(path_regex("get-rescheduler-slots$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"data": {"dates": ["2025-11-11"], "request_id": "req_1"}}),
        ))
        .mount(&server)
        .await;
    let engine = engine(&server.uri(), Arc::new(FixedClock::new(monday())));
    let state = ConversationState {
        language: Language::Spanish,
        channel: Channel::Sms,
        ..ConversationState::default()
    };

    let first = engine
        .turn(state, &maria(), "mis proyectos por favor", monday())
        .await;
    assert!(
        first.reply.text.starts_with("Estos son sus proyectos:"),
        "{}",
        first.reply.text
    );
    assert!(
        first.reply.text.contains("Listo para programar"),
        "{}",
        first.reply.text
    );

    let second = engine
        .turn(
            first.state,
            &maria(),
            "programe mi piso el próximo martes a las 10am",
            monday(),
        )
        .await;
    let text = &second.reply.text;
    assert!(text.starts_with("Para confirmar:"), "{text}");
    assert!(text.contains("123 Main St, Tampa, FL 33601"), "{text}");
    assert!(text.ends_with("Por favor, responda sí o no."), "{text}");
    let labels: Vec<&str> = second
        .reply
        .quick_replies
        .iter()
        .map(|q| q.label.as_str())
        .collect();
    assert_eq!(labels, ["Sí", "No"]);
    // What a button sends is still what understanding reads.
    assert_eq!(second.reply.quick_replies[0].value, "yes");
    assert_eq!(second.state.language, Language::Spanish);
    assert_eq!(second.state.channel, Channel::Sms);
}

#[tokio::test]
async fn a_conversation_with_no_language_set_is_in_english_for_the_web() {
    let server = wiremock::MockServer::start().await;
    let engine = engine(&server.uri(), Arc::new(FixedClock::new(monday())));
    let outcome = engine
        .turn(ConversationState::default(), &maria(), "hello", monday())
        .await;
    assert!(
        outcome
            .reply
            .text
            .starts_with("Hi! I can show your projects"),
        "{}",
        outcome.reply.text
    );
    assert_eq!(outcome.reply.language, Language::English);
    assert_eq!(outcome.reply.channel, Channel::Web);
}

#[tokio::test]
async fn the_reply_follows_the_language_the_customer_writes_in() {
    let server = wiremock::MockServer::start().await;
    Mock::given(path_regex("^/dashboard/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(record("Ready to Schedule", None)))
        .mount(&server)
        .await;
    let engine = engine(&server.uri(), Arc::new(FixedClock::new(monday())));
    let spanish = engine
        .turn(
            ConversationState::default(),
            &maria(),
            "hola, quiero ver mis proyectos",
            monday(),
        )
        .await;
    assert!(
        spanish.reply.text.contains("Estos son sus proyectos:"),
        "{}",
        spanish.reply.text
    );
    // "ok" says nothing of a language: the conversation keeps Spanish.
    let ok = engine.turn(spanish.state, &maria(), "ok", monday()).await;
    assert_eq!(ok.state.language, Language::Spanish, "{}", ok.reply.text);
    let english = engine
        .turn(
            ok.state,
            &maria(),
            "can you show my projects again",
            monday(),
        )
        .await;
    assert!(
        english.reply.text.starts_with("Here are your projects"),
        "{}",
        english.reply.text
    );
    assert_eq!(english.state.language, Language::English);
}
