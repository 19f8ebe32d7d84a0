//! `X-Twilio-Signature`: HMAC-SHA1, keyed with the account's auth token, over the full URL
//! Twilio called followed by every POST parameter's name and value, sorted by name, in
//! base64 (<https://www.twilio.com/docs/usage/security#validating-requests>).
//!
//! The URL is the public one Twilio was given, which a TLS-terminating proxy hides from the
//! server: it comes from configuration, never from the request's Host header.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// The text that is signed: the URL, then each parameter's name and value, sorted by name
/// (and by value for repeated names, as Twilio's own libraries do).
fn signed_text(url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut text = url.to_string();
    for (name, value) in sorted {
        text.push_str(name);
        text.push_str(value);
    }
    text
}

fn mac(auth_token: &str, url: &str, params: &[(String, String)]) -> Hmac<Sha1> {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(auth_token.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(signed_text(url, params).as_bytes());
    mac
}

/// The signature Twilio sends with a POST of `params` to `url`.
pub fn sign(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    STANDARD.encode(mac(auth_token, url, params).finalize().into_bytes())
}

/// Whether `header` is the signature of `params` posted to `url`, compared in constant time.
pub fn verify(auth_token: &str, url: &str, params: &[(String, String)], header: &str) -> bool {
    match STANDARD.decode(header.trim()) {
        Ok(given) => mac(auth_token, url, params).verify_slice(&given).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The worked example of Twilio's security documentation.
    #[test]
    fn matches_twilios_documented_example() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        let body = params(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ]);
        let token = "12345";
        assert_eq!(sign(token, url, &body), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assert!(verify(token, url, &body, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    #[test]
    fn any_change_breaks_it() {
        let url = "https://example.com/channels/twilio/sms";
        let body = params(&[("Body", "book my roof"), ("From", "+18135550142")]);
        let good = sign("secret", url, &body);
        assert!(verify("secret", url, &body, &good));
        assert!(!verify("other", url, &body, &good));
        assert!(!verify(
            "secret",
            "http://example.com/channels/twilio/sms",
            &body,
            &good
        ));
        let tampered = params(&[("Body", "cancel my roof"), ("From", "+18135550142")]);
        assert!(!verify("secret", url, &tampered, &good));
        assert!(!verify("secret", url, &body, "not base64!"));
        assert!(!verify("secret", url, &body, ""));
        // Order of the form does not matter; names are sorted.
        let reordered = params(&[("From", "+18135550142"), ("Body", "book my roof")]);
        assert!(verify("secret", url, &reordered, &good));
    }
}
