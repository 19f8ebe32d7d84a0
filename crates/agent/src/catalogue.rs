//! Every sentence and button label the assistant says, looked up by key in the Fluent files
//! under `locales/` (one folder per language), which are embedded in the binary at compile
//! time. [`msg!`] names a message and its arguments; [`render`] words it for a language and a
//! channel. Every message receives `$channel` (`web`, `sms` or `voice`), so a translation can
//! word a message differently where a channel needs it (no buttons to press on the phone, no
//! "reply STOP" on SMS).

use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, langid};
use serde::{Deserialize, Serialize};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en-US",
        // Unicode isolation marks around arguments would change every reply's bytes and
        // show up in SMS and voice as stray characters.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Said when a message cannot be rendered in any language: a bug the tests catch, which must
/// never leave the customer with a key name, a half-filled sentence or a crash.
const LAST_RESORT: &str = "Sorry, something went wrong on my side. Please try again.";

/// The language a conversation is held in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    English,
    Spanish,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Spanish];

    /// The folder of its messages under `locales/`.
    pub fn id(self) -> LanguageIdentifier {
        match self {
            Language::English => langid!("en-US"),
            Language::Spanish => langid!("es-US"),
        }
    }
}

/// Where the reply is shown: wording can depend on whether buttons and links exist.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    #[default]
    Web,
    Sms,
    Voice,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Web, Channel::Sms, Channel::Voice];

    /// The channel named `name` (`web`, `sms`, `voice`).
    pub fn parse(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The value of `$channel` in the messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Sms => "sms",
            Channel::Voice => "voice",
        }
    }
}

/// A message key with its named arguments, not yet worded. Built with [`msg!`], so every key
/// is a literal in the source, where the tests find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    key: &'static str,
    args: Vec<(&'static str, String)>,
}

impl Message {
    /// Use [`msg!`], which keeps the key a literal.
    pub(crate) fn new(key: &'static str, args: Vec<(&'static str, String)>) -> Self {
        Message { key, args }
    }

    pub fn key(&self) -> &'static str {
        self.key
    }
}

/// `msg!("offer-dates", project = p.title(), dates = list)`: the message `offer-dates` with
/// `$project` and `$dates`. Arguments are turned into text here; dates, times and lists are
/// formatted before they are passed.
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::catalogue::Message::new(
            $key,
            vec![$((stringify!($name), ::std::string::ToString::to_string(&$value))),*],
        )
    };
}
pub(crate) use msg;

#[derive(Debug, thiserror::Error)]
#[error("message {key:?} in {language:?} for {channel:?}: {detail}")]
pub struct RenderError {
    pub key: &'static str,
    pub language: Language,
    pub channel: Channel,
    pub detail: String,
}

/// The message worded for `language` and `channel`, or why it cannot be: an unknown key, or
/// a variable the message uses that was not passed.
pub fn try_render(
    language: Language,
    channel: Channel,
    message: &Message,
) -> Result<String, RenderError> {
    let mut args: HashMap<&str, FluentValue> = message
        .args
        .iter()
        .map(|(name, value)| (*name, FluentValue::from(value.as_str())))
        .collect();
    args.insert("channel", FluentValue::from(channel.as_str()));
    LOCALES
        .lookup_single_language(&language.id(), message.key, Some(&args))
        .map_err(|error| RenderError {
            key: message.key,
            language,
            channel,
            detail: error.to_string(),
        })
}

/// The message worded for `language` and `channel`. A message that cannot be rendered is
/// logged and replaced (by its English wording, else a generic apology), never a panic.
pub fn render(language: Language, channel: Channel, message: &Message) -> String {
    match try_render(language, channel, message) {
        Ok(text) => return text,
        Err(error) => tracing::error!(%error, "message not rendered"),
    }
    if language != Language::English {
        match try_render(Language::English, channel, message) {
            Ok(text) => return text,
            Err(error) => tracing::error!(%error, "message not rendered in English either"),
        }
    }
    LAST_RESORT.to_string()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    use fluent_syntax::ast::Entry;

    use super::*;

    /// A place in the source that renders a message: its key and the arguments it passes.
    #[derive(Debug)]
    struct Use {
        place: String,
        key: String,
        args: Vec<String>,
    }

    fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir).expect("the source folder is readable");
        for entry in entries {
            let path = entry.expect("a source folder entry").path();
            if path.is_dir() {
                rust_files(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }

    /// The text of a `msg!` call's parentheses, from just after `(` to its matching `)`,
    /// skipping parentheses inside string literals.
    fn call_body(text: &str) -> &str {
        let mut depth = 1;
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in text.char_indices() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return &text[..i];
                    }
                }
                _ => {}
            }
        }
        panic!("an unclosed msg! call: {text:.80}");
    }

    /// The top-level comma-separated parts of a call body.
    fn top_level_parts(body: &str) -> Vec<&str> {
        let mut parts = Vec::new();
        let (mut depth, mut in_string, mut escaped, mut start) = (0, false, false, 0);
        for (i, c) in body.char_indices() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(body[start..i].trim());
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(body[start..].trim());
        parts.retain(|p| !p.is_empty());
        parts
    }

    /// How a call of the macro starts (spelt in two so that this line is not one).
    const CALL: &str = concat!("msg", "!(");

    /// Every `msg!("key", name = value, …)` in the crate's source (comments left out).
    fn uses_in_source() -> Vec<Use> {
        let mut files = Vec::new();
        rust_files(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut uses = Vec::new();
        for file in files {
            let source = std::fs::read_to_string(&file).expect("a source file is readable");
            let code: String = source
                .lines()
                .map(|line| match line.trim_start().starts_with("//") {
                    true => "",
                    false => line,
                })
                .collect::<Vec<_>>()
                .join("\n");
            for (at, _) in code.match_indices(CALL) {
                let place = format!("{}:{}", file.display(), code[..at].lines().count());
                let parts = top_level_parts(call_body(&code[at + CALL.len()..]));
                let Some(key) = parts
                    .first()
                    .and_then(|k| k.strip_prefix('"'))
                    .and_then(|k| k.strip_suffix('"'))
                else {
                    panic!("{place}: the key of msg! is not a string literal");
                };
                let args = parts[1..]
                    .iter()
                    .map(|part| match part.split_once('=') {
                        Some((name, _)) => name.trim().to_string(),
                        None => panic!("{place}: argument {part:?} is not `name = value`"),
                    })
                    .collect();
                uses.push(Use {
                    place,
                    key: key.to_string(),
                    args,
                });
            }
        }
        assert!(
            uses.len() > 100,
            "the source scan found only {} msg! calls",
            uses.len()
        );
        uses
    }

    fn locales_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("locales")
    }

    /// The message ids of every language folder, parsed strictly (the runtime loader would
    /// panic on a file with a syntax error or a repeated id).
    fn keys_by_language() -> BTreeMap<String, BTreeSet<String>> {
        let mut languages = BTreeMap::new();
        for entry in std::fs::read_dir(locales_dir()).expect("locales/ is readable") {
            let dir = entry.expect("a locales/ entry").path();
            let language = dir
                .file_name()
                .and_then(|n| n.to_str())
                .expect("a language folder name")
                .to_string();
            let mut keys = BTreeSet::new();
            let mut files = std::fs::read_dir(&dir)
                .expect("a language folder is readable")
                .map(|e| e.expect("a language folder entry").path())
                .collect::<Vec<_>>();
            files.sort();
            for file in files {
                let text = std::fs::read_to_string(&file).expect("an .ftl file is readable");
                let resource = fluent_syntax::parser::parse(text.as_str())
                    .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", file.display()));
                for entry in resource.body {
                    match entry {
                        Entry::Message(m) => {
                            let id = m.id.name.to_string();
                            assert!(
                                keys.insert(id.clone()),
                                "{}: {id} is defined twice",
                                file.display()
                            );
                        }
                        Entry::Term(t) => {
                            panic!("{}: term -{} is not used", file.display(), t.id.name)
                        }
                        Entry::Junk { content } => {
                            panic!("{}: unreadable: {content}", file.display())
                        }
                        _ => {}
                    }
                }
            }
            languages.insert(language, keys);
        }
        languages
    }

    #[test]
    fn every_language_has_a_folder_and_every_folder_a_language() {
        let folders: BTreeSet<String> = keys_by_language().into_keys().collect();
        let languages: BTreeSet<String> =
            Language::ALL.iter().map(|l| l.id().to_string()).collect();
        assert_eq!(folders, languages);
    }

    #[test]
    fn every_key_in_the_source_exists_in_every_language() {
        let languages = keys_by_language();
        let mut missing = Vec::new();
        for used in uses_in_source() {
            for (language, keys) in &languages {
                if !keys.contains(&used.key) {
                    missing.push(format!("{} ({}): {}", used.key, language, used.place));
                }
            }
        }
        assert!(missing.is_empty(), "keys missing:\n{}", missing.join("\n"));
    }

    #[test]
    fn every_key_in_the_files_is_used_in_the_source() {
        let used: BTreeSet<String> = uses_in_source().into_iter().map(|u| u.key).collect();
        for (language, keys) in keys_by_language() {
            let unused: Vec<&String> = keys.difference(&used).collect();
            assert!(unused.is_empty(), "{language}: never rendered: {unused:?}");
        }
    }

    #[test]
    fn every_language_file_has_the_same_keys() {
        let languages = keys_by_language();
        let (first, first_keys) = languages.iter().next().expect("at least one language");
        for (language, keys) in &languages {
            let only_first: Vec<_> = first_keys.difference(keys).collect();
            let only_this: Vec<_> = keys.difference(first_keys).collect();
            assert!(
                only_first.is_empty() && only_this.is_empty(),
                "only in {first}: {only_first:?}; only in {language}: {only_this:?}"
            );
        }
    }

    #[test]
    fn every_message_renders_for_every_language_and_channel_with_the_arguments_passed() {
        let mut failures = Vec::new();
        for used in uses_in_source() {
            let args = used
                .args
                .iter()
                .map(|name| {
                    let name: &'static str = Box::leak(name.clone().into_boxed_str());
                    (name, format!("<{name}>"))
                })
                .collect();
            let key: &'static str = Box::leak(used.key.clone().into_boxed_str());
            let message = Message::new(key, args);
            for language in Language::ALL {
                for channel in Channel::ALL {
                    match try_render(language, channel, &message) {
                        Ok(text) if text.trim().is_empty() => {
                            failures.push(format!("{}: {key} is empty", used.place))
                        }
                        Ok(_) => {}
                        Err(error) => failures.push(format!("{}: {error}", used.place)),
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn spanish_confirm_booking_fills_its_placeholders() {
        let message = msg!(
            "confirm-booking",
            project = "Flooring Installation (ORD-2025-001)",
            date = "Tuesday, November 11",
            time = "10:00 AM",
            address = "12 Main St, Tampa, FL",
        );
        for channel in Channel::ALL {
            let text = try_render(Language::Spanish, channel, &message).expect("renders");
            for filled in [
                "Flooring Installation (ORD-2025-001)",
                "Tuesday, November 11",
                "10:00 AM",
                "12 Main St, Tampa, FL",
            ] {
                assert!(text.contains(filled), "{channel:?}: {text}");
            }
            assert!(text.starts_with("Para confirmar"), "{channel:?}: {text}");
            assert!(!text.contains('{') && !text.contains('$'), "{text}");
        }
    }

    #[test]
    fn english_is_worded_as_written_without_isolation_marks() {
        let message = msg!("project-reference", id = "P1");
        assert_eq!(
            render(Language::English, Channel::Web, &message),
            "project P1"
        );
    }

    #[test]
    fn sms_never_asks_for_a_reply_of_stop_or_cancel() {
        // Carriers treat a lone STOP or CANCEL as an opt-out.
        for used in uses_in_source() {
            let key: &'static str = Box::leak(used.key.clone().into_boxed_str());
            let args = used
                .args
                .iter()
                .map(|name| {
                    (
                        Box::leak(name.clone().into_boxed_str()) as &str,
                        String::new(),
                    )
                })
                .collect();
            let message = Message::new(key, args);
            for language in Language::ALL {
                let text = render(language, Channel::Sms, &message).to_lowercase();
                for keyword in ["stop", "cancel"] {
                    // The carrier's own answers (HELP, opt-out) must say how to stop.
                    if key.starts_with("sms-") && keyword == "stop" {
                        continue;
                    }
                    for asking in ["reply", "say", "text", "responda", "diga"] {
                        assert!(
                            !text.contains(&format!("{asking} {keyword}"))
                                && !text.contains(&format!("{asking} \"{keyword}")),
                            "{key} ({language:?}) asks for {keyword} on SMS: {text}"
                        );
                    }
                }
                if key == "button-stop" {
                    assert!(!["stop", "cancel"].contains(&text.trim()), "{text}");
                }
            }
        }
    }

    #[test]
    fn an_unknown_key_is_logged_and_replaced_not_a_panic() {
        let message = Message::new("no-such-message", Vec::new());
        assert!(try_render(Language::English, Channel::Web, &message).is_err());
        assert_eq!(
            render(Language::Spanish, Channel::Sms, &message),
            LAST_RESORT
        );
    }

    #[test]
    fn a_missing_argument_is_an_error_and_never_shown_half_filled() {
        let message = Message::new("project-reference", Vec::new());
        for language in Language::ALL {
            assert!(try_render(language, Channel::Web, &message).is_err());
            assert_eq!(render(language, Channel::Web, &message), LAST_RESORT);
        }
    }

    #[test]
    fn the_source_scan_reads_keys_and_argument_names() {
        let parts = top_level_parts(call_body(
            r#""offer-dates", project = p.title(), dates = numbered(v.iter().map(|d| f(d, "x,)"))))"#,
        ));
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0], "\"offer-dates\"");
        assert!(parts[1].starts_with("project ="));
        assert!(parts[2].starts_with("dates ="));
    }
}
