//! `dealer supplier …` with a real Secret Service: a private D-Bus session bus and an unlocked
//! gnome-keyring started for the test (as `scripts/e2e-session` does for the app), and US
//! Direct played by the sandbox supplier of a `dealer sandbox serve` of its own (the store's own
//! sandbox supplier is refused as a live account).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::exactly_once::Serve;
use crate::PASSPHRASE;

/// The sandbox supplier's token (`dealer_sandbox::SUPPLIER_TOKEN`).
const SUPPLIER_TOKEN: &str = "usd_sandbox_token";

/// A session bus with gnome-keyring as its Secret Service, stopped on drop.
struct PrivateKeyring {
    bus: Child,
    keyring: Child,
    address: String,
    _home: tempfile::TempDir,
}

impl PrivateKeyring {
    fn start() -> PrivateKeyring {
        let home = tempfile::tempdir().unwrap();
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--print-address=1", "--nofork", "--nopidfile"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon runs these tests' keyring: install dbus (scripts/lib.sh)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_string();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("share"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon is these tests' Secret Service: install gnome-keyring");
        let mut stdin = keyring.stdin.take().unwrap();
        stdin.write_all(b"cli-keyring-password").unwrap();
        drop(stdin);
        let started = Instant::now();
        loop {
            let owned = Command::new("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &address)
                .output()
                .unwrap();
            if String::from_utf8_lossy(&owned.stdout).contains("boolean true") {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "gnome-keyring did not come up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        PrivateKeyring {
            bus,
            keyring,
            address,
            _home: home,
        }
    }

    /// `dealer` on `data_dir` with this keyring; the store itself opens with the passphrase.
    fn dealer(&self, data_dir: &Path, token: Option<&str>, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dealer"));
        command
            .arg("--data-dir")
            .arg(data_dir)
            .args(args)
            .env_remove("DEALER_DATA_DIR")
            .env("DEALER_PASSPHRASE", PASSPHRASE)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stdin(Stdio::null());
        match token {
            Some(token) => command.env("DEALER_SUPPLIER_TOKEN", token),
            None => command.env_remove("DEALER_SUPPLIER_TOKEN"),
        };
        command.output().unwrap()
    }

    fn ok(&self, data_dir: &Path, token: Option<&str>, args: &[&str]) -> String {
        let output = self.dealer(data_dir, token, args);
        assert!(
            output.status.success(),
            "dealer {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn refused(&self, data_dir: &Path, token: Option<&str>, args: &[&str]) -> String {
        let output = self.dealer(data_dir, token, args);
        assert!(!output.status.success(), "dealer {args:?} should fail");
        String::from_utf8(output.stderr).unwrap()
    }

    fn show(&self, data_dir: &Path) -> serde_json::Value {
        serde_json::from_str(&self.ok(data_dir, None, &["supplier", "show", "--json"])).unwrap()
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        for child in [&mut self.keyring, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn the_us_direct_account_is_connected_tested_kept_on_its_host_and_disconnected() {
    let keyring = PrivateKeyring::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let fresh = keyring.show(&data);
    assert_eq!(fresh["url"], serde_json::Value::Null);
    assert_eq!(fresh["has_token"], false);
    assert_eq!(fresh["waiting_live_jobs"], 0);
    let us_direct = dir.path().join("us-direct");
    let serve = Serve::start(&us_direct);
    let addr: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(us_direct.join("sandbox").join("supplier.addr")).unwrap(),
    )
    .unwrap();
    let url = addr["base_url"].as_str().unwrap().to_string();

    // A token US Direct refuses: saved, and Test connection says so with exit code 1.
    let connected = keyring.ok(
        &data,
        Some("usd_not_the_token"),
        &["supplier", "connect", "--url", &url],
    );
    assert!(connected.contains("the token is saved"), "{connected}");
    assert!(!connected.contains("usd_not_the_token"), "{connected}");
    let failed = keyring.refused(&data, None, &["supplier", "test"]);
    assert!(failed.contains("refused the API token"), "{failed}");
    let shown = keyring.show(&data);
    assert!(shown["last_error"]
        .as_str()
        .unwrap()
        .contains("refused the API token"));

    // The right token: the check passes and is kept.
    keyring.ok(
        &data,
        Some(SUPPLIER_TOKEN),
        &["supplier", "connect", "--url", &url],
    );
    let tested: serde_json::Value =
        serde_json::from_str(&keyring.ok(&data, None, &["supplier", "test", "--json"])).unwrap();
    assert!(tested["last_checked_at"].is_string(), "{tested}");
    assert_eq!(tested["last_error"], serde_json::Value::Null);
    assert!(!tested.to_string().contains(SUPPLIER_TOKEN));
    let text = keyring.ok(&data, None, &["supplier", "show"]);
    assert!(text.contains(&format!("connected at {url}")), "{text}");
    assert!(text.contains("last checked:"), "{text}");

    // Without a token: the same server keeps the saved one, a new host is refused.
    let moved = keyring.refused(
        &data,
        None,
        &[
            "supplier",
            "connect",
            "--url",
            "https://api.usdirect.example/v1",
        ],
    );
    assert!(
        moved.contains("the address moved to a new host: enter the API token again"),
        "{moved}"
    );
    let kept = keyring.ok(&data, None, &["supplier", "connect", "--url", &url]);
    assert!(kept.contains("the saved token is kept"), "{kept}");
    assert_eq!(keyring.show(&data)["url"], url.as_str());

    // The token is in the keyring, not in the store's files.
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !crate::contains(&bytes, SUPPLIER_TOKEN.as_bytes()),
                "the token is readable in {}",
                path.display()
            );
        }
    }

    let gone = keyring.ok(&data, None, &["supplier", "disconnect"]);
    assert!(gone.contains("disconnected"), "{gone}");
    let after = keyring.show(&data);
    assert_eq!(after["url"], serde_json::Value::Null);
    assert_eq!(after["has_token"], false);
    let untested = keyring.refused(&data, None, &["supplier", "test"]);
    assert!(
        untested.contains("US Direct is not connected"),
        "{untested}"
    );
    drop(serve);
}
