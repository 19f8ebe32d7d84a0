//! TwiML for messages: the webhook's answer (`<Response><Message>…</Message></Response>`, or an
//! empty `<Response/>` when the reply will follow through the REST API), and reading one back
//! (for the mock and the terminal client, which play the phone).

/// An answer that texts `body` back.
pub fn message(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{}</Message></Response>",
        escape(body)
    )
}

/// An answer that texts nothing (now).
pub fn empty() -> String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>".to_string()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The texts of the `<Message>` elements of a TwiML answer we wrote (plain bodies, no
/// attributes or nested `<Body>`).
pub fn messages(twiml: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = twiml;
    while let Some(start) = rest.find("<Message>") {
        let after = &rest[start + "<Message>".len()..];
        let Some(end) = after.find("</Message>") else {
            break;
        };
        found.push(unescape(&after[..end]));
        rest = &after[end + "</Message>".len()..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_round_trips_escaped() {
        let body = "Reply 1 or 2 <now> & \"quickly\", it's 8:00";
        let xml = message(body);
        assert!(!xml.contains("<now>"));
        assert_eq!(messages(&xml), [body]);
        assert!(messages(&empty()).is_empty());
    }
}
