//! The `dealer` binary as a user runs it: real processes, a real SQLCipher store in a temp dir.
//! A passphrase stands in for the keyring here; the keyring path is proven end to end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cancel;
mod exactly_once;
mod export;
mod hostile;
mod journey;
mod mixed;
mod payment;
mod poison;
mod sku;
mod supplier;
mod tracking;

use std::path::Path;
use std::process::{Command, Output};

const PASSPHRASE: &str = "cli tests passphrase";

fn dealer(data_dir: &Path, passphrase: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dealer"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DEALER_DATA_DIR")
        // No session bus: the keyring is out of reach, as on a headless server.
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    match passphrase {
        Some(p) => command.env("DEALER_PASSPHRASE", p),
        None => command.env_remove("DEALER_PASSPHRASE"),
    };
    command.output().expect("run dealer")
}

fn stdout_ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "dealer failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[test]
fn seeds_a_thousand_orders_and_lists_them_as_json_with_nothing_readable_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let seeded = stdout_ok(dealer(
        &data,
        Some(PASSPHRASE),
        &["dev", "seed", "--orders", "1000"],
    ));
    assert!(
        seeded.contains("seeded 1000 orders; the store holds 1000"),
        "{seeded}"
    );

    let json = stdout_ok(dealer(
        &data,
        Some(PASSPHRASE),
        &["orders", "list", "--json"],
    ));
    let orders: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(orders.len(), 1000);
    for field in [
        "id",
        "channel",
        "number",
        "status",
        "customer_name",
        "total_minor",
        "currency",
        "placed_at",
    ] {
        assert!(
            orders[0].get(field).is_some(),
            "{field} missing from {}",
            orders[0]
        );
    }
    assert_eq!(orders[0]["number"], "#2000", "newest first");
    assert_eq!(orders[0]["status"], "imported");
    assert!(orders
        .iter()
        .all(|o| o["total_minor"].as_i64().unwrap() > 0));

    let mut words: Vec<String> = orders
        .iter()
        .flat_map(|o| {
            o["customer_name"]
                .as_str()
                .unwrap()
                .split(' ')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    words.sort();
    words.dedup();
    let mut files = 0;
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        files += 1;
        for word in &words {
            assert!(
                !contains(&bytes, word.as_bytes()),
                "{word} readable in {}",
                path.display()
            );
        }
    }
    assert!(files >= 2, "the database and its manifest");

    let table = stdout_ok(dealer(
        &data,
        Some(PASSPHRASE),
        &["orders", "list", "--limit", "5"],
    ));
    assert!(table.contains("5 orders"), "{table}");
    assert!(table.contains("USD"), "{table}");
}

#[test]
fn says_what_to_do_when_the_key_is_missing_or_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");

    let no_keyring = dealer(&data, None, &["orders", "list"]);
    assert!(!no_keyring.status.success());
    let message = String::from_utf8_lossy(&no_keyring.stderr);
    assert!(message.contains("[keyring_unavailable]"), "{message}");
    assert!(message.contains("DEALER_PASSPHRASE"), "{message}");

    stdout_ok(dealer(
        &data,
        Some(PASSPHRASE),
        &["dev", "seed", "--orders", "3"],
    ));
    let wrong = dealer(&data, Some("not the passphrase"), &["orders", "list"]);
    assert!(!wrong.status.success());
    let message = String::from_utf8_lossy(&wrong.stderr);
    assert!(message.contains("[wrong_key]"), "{message}");
    assert!(message.contains("Nothing was changed"), "{message}");

    let locked = dealer(&data, None, &["orders", "list"]);
    assert!(String::from_utf8_lossy(&locked.stderr).contains("[passphrase_required]"));

    let status = stdout_ok(dealer(&data, Some(PASSPHRASE), &["status", "--json"]));
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["orders"], 3);
    assert_eq!(status["key_source"], "passphrase");
    assert_eq!(status["mode"], "sandbox");
}

/// A store address a platform does not serve its API at is refused with where to find the
/// right one, before anything is sent to it.
#[test]
fn a_store_address_of_the_wrong_shape_says_which_to_use() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    for (kind, url, hint) in [
        (
            "shopify",
            "https://shop.acme.com",
            "Shopify admin → Settings → Domains",
        ),
        (
            "bigcommerce",
            "https://store-abc123.mybigcommerce.com",
            "https://api.bigcommerce.com/stores/{store hash}",
        ),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_dealer"))
            .arg("--data-dir")
            .arg(&data)
            .args(["channel", "add", kind, "--name", "Main store", "--url", url])
            .env_remove("DEALER_DATA_DIR")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .env("DEALER_PASSPHRASE", PASSPHRASE)
            .env("DEALER_CHANNEL_TOKEN", "token-1")
            .output()
            .unwrap();
        assert!(!output.status.success(), "{kind}: accepted {url}");
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains(url), "{kind}: {message}");
        assert!(message.contains(hint), "{kind}: {message}");
    }
}

#[test]
fn a_typo_in_an_argument_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    stdout_ok(dealer(
        &data,
        Some(PASSPHRASE),
        &["dev", "seed", "--orders", "1"],
    ));
    let typo = dealer(
        &data,
        Some(PASSPHRASE),
        &["orders", "list", "--status", "shiped"],
    );
    assert!(!typo.status.success());
    let message = String::from_utf8_lossy(&typo.stderr);
    assert!(message.contains("unknown status \"shiped\""), "{message}");
    assert!(
        message.contains("shipped"),
        "lists the valid ones: {message}"
    );
}

#[test]
fn in_a_fresh_data_dir_a_sandbox_order_is_placed_and_imported_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let placed = stdout_ok(dealer(&data, Some(PASSPHRASE), &["sandbox", "place-order"]));
    assert!(placed.contains("placed sandbox order #1001"), "{placed}");

    let synced = stdout_ok(dealer(&data, Some(PASSPHRASE), &["sync"]));
    assert!(synced.contains("Sandbox Store"), "{synced}");
    assert!(synced.contains("Order Sync: 1 new, 0 updated."), "{synced}");
    let orders: Vec<serde_json::Value> = serde_json::from_str(&stdout_ok(dealer(
        &data,
        Some(PASSPHRASE),
        &["orders", "list", "--json"],
    )))
    .unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["number"], "#1001");
    assert_eq!(orders[0]["channel"], "Sandbox Store");

    // A second order, then sync again: one new, the first unchanged.
    stdout_ok(dealer(&data, Some(PASSPHRASE), &["sandbox", "place-order"]));
    let again = stdout_ok(dealer(&data, Some(PASSPHRASE), &["sync", "--json"]));
    let report: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(report["channels"][0]["imported"], 1, "{report}");
    assert_eq!(report["channels"][0]["unchanged"], 1, "{report}");
    let listed = stdout_ok(dealer(&data, Some(PASSPHRASE), &["orders", "list"]));
    assert!(listed.contains("2 orders"), "{listed}");

    let plan = stdout_ok(dealer(
        &data,
        Some(PASSPHRASE),
        &["settings", "plan", "basic"],
    ));
    assert!(plan.contains("every 60 minutes"), "{plan}");
    let bad = dealer(&data, Some(PASSPHRASE), &["settings", "plan", "gold"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("basic, plus or vip"));

    let late = stdout_ok(dealer(&data, Some(PASSPHRASE), &["settings", "late-after"]));
    assert!(late.contains("late after: 4 business days"), "{late}");
    let late = stdout_ok(dealer(
        &data,
        Some(PASSPHRASE),
        &["settings", "late-after", "2"],
    ));
    assert!(late.contains("late after: 2 business days"), "{late}");
    let bad = dealer(&data, Some(PASSPHRASE), &["settings", "late-after", "40"]);
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("choose 1 to 20 business days"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn output_into_a_reader_that_stops_early_ends_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    stdout_ok(dealer(
        &data,
        Some(PASSPHRASE),
        &["dev", "seed", "--orders", "2000"],
    ));
    // `dealer orders list --json | head -c 10`: the reader takes ten bytes and goes away.
    let mut child = Command::new(env!("CARGO_BIN_EXE_dealer"))
        .arg("--data-dir")
        .arg(&data)
        .args(["orders", "list", "--json"])
        .env_remove("DEALER_DATA_DIR")
        .env("DEALER_PASSPHRASE", PASSPHRASE)
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(head[0], b'[');
}

/// Mode bits of `path`.
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_store_is_the_dealers_alone_and_a_looser_one_is_tightened() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    // A data dir made beforehand by someone else's habits: world-readable.
    std::fs::create_dir(&data).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    stdout_ok(dealer(
        &data,
        Some(PASSPHRASE),
        &["dev", "seed", "--orders", "3"],
    ));
    assert_eq!(mode(&data), 0o700);
    let files: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    assert!(files.iter().any(|p| p.ends_with("dealer.db")), "{files:?}");
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }

    // A store file left readable by an older version is made private at the next open.
    let db = data.join("dealer.db");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    stdout_ok(dealer(&data, Some(PASSPHRASE), &["status"]));
    assert_eq!(mode(&db), 0o600);
}
