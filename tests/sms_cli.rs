//! The SMS commands as an operator uses them, each a process: `mock-twilio`, `serve` with the
//! Twilio settings, `text` holding a conversation through the signed webhook, and
//! `customers import`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_scheduling-agent");
const AUTH_TOKEN: &str = "cli-test-token";

/// A process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `args` and returns it with the first `http://` address it prints.
fn start(args: &[&str], env: &[(&str, String)]) -> (Running, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address printed: {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (Running(child), url)
}

/// A port free now (the server's public URL must be known before it starts).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn temp_db() -> String {
    let dir = std::env::temp_dir().join(format!("sa-sms-cli-{}", std::process::id()));
    format!("sqlite://{}/{}.db", dir.display(), free_port())
}

#[test]
fn a_terminal_texts_the_demo_through_the_signed_webhook() {
    let (_twilio, twilio_url) = start(&["mock-twilio", "--addr", "127.0.0.1:0"], &[]);
    let addr = format!("127.0.0.1:{}", free_port());
    let (_server, base) = start(
        &["serve", "--addr", &addr],
        &[
            (
                "TWILIO_ACCOUNT_SID",
                "AC00000000000000000000000000000000".into(),
            ),
            ("TWILIO_FROM_NUMBER", "+18135550100".into()),
            ("TWILIO_API_BASE_URL", twilio_url.clone()),
            ("PUBLIC_BASE_URL", format!("http://{addr}")),
            ("DATABASE_URL", temp_db()),
        ],
    );
    let mut phone = Command::new(BIN)
        .args(["text", "--to", &format!("{base}/channels/twilio/sms")])
        .args([
            "--from",
            "+18135550142",
            "--twilio",
            &twilio_url,
            "--wait-secs",
            "2",
        ])
        .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    phone
        .stdin
        .take()
        .unwrap()
        .write_all(b"what projects do i have\nHELP\nSTOP\nbook my flooring\n")
        .unwrap();
    let out = phone.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("Flooring Installation"), "{said}");
    assert!(said.contains("Reply STOP to unsubscribe"), "{said}");
    assert!(said.contains("unsubscribed"), "{said}");
    assert!(
        said.trim_end().ends_with("[no reply]\n> ") || said.contains("[no reply]"),
        "{said}"
    );

    // A wrong auth token signs wrongly: the webhook refuses it.
    let mut forger = Command::new(BIN)
        .args(["text", "--to", &format!("{base}/channels/twilio/sms")])
        .args(["--from", "+18135550142"])
        .env("TWILIO_AUTH_TOKEN", "not-the-token")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    forger.stdin.take().unwrap().write_all(b"START\n").unwrap();
    let out = forger.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("[webhook answered 403"));
}

#[test]
fn customers_import_refuses_a_bad_file_whole_and_takes_a_good_one() {
    let dir =
        std::env::temp_dir().join(format!("sa-import-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}/d.db", dir.display());
    let header = "phone,client_id,customer_id,first_name,last_name,language\n";
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        format!("{header}+15550001111,C1,1,Ann,Lee,en\n5550002222,C1,2,Bo,Ng,xx\n"),
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["customers", "import", bad.to_str().unwrap()])
        .env("DATABASE_URL", &db)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("line 3, phone") && err.contains("line 3, language"),
        "{err}"
    );
    assert!(err.contains("nothing imported"), "{err}");

    let good = dir.join("good.csv");
    std::fs::write(&good, format!("{header}+15550001111,C1,1,Ann,Lee,en\n")).unwrap();
    let out = Command::new(BIN)
        .args(["customers", "import", good.to_str().unwrap()])
        .env("DATABASE_URL", &db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 1 customers"));
}
