//! `dealer tracking check` as a script calls it: JSON on stdout, exit 0 for a valid number and
//! 1 for an invalid one, and no store needed (nor created).

use std::path::Path;
use std::process::{Command, Output};

use dealer_core::tracking::{self, Carrier};

/// `dealer tracking check ARGS`, with a data dir that does not exist and no way to unlock one.
fn tracking_check(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dealer"))
        .args(["tracking", "check"])
        .args(args)
        .env("DEALER_DATA_DIR", data_dir)
        .env_remove("DEALER_PASSPHRASE")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .expect("run dealer")
}

fn json_of(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "not JSON ({err}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn a_valid_number_prints_its_carrier_and_page_and_exits_0_without_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("no-store-here");
    for (number, carrier, url) in [
        (
            "1Z999AA10123456784",
            "ups",
            "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        ),
        (
            "9400 1112 0620 6406 2607 87",
            "usps",
            "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111206206406260787",
        ),
        (
            "986578788855",
            "fedex",
            "https://www.fedex.com/fedextrack/?trknbr=986578788855",
        ),
        (
            "tba000000000000",
            "amazon_logistics",
            "https://track.amazon.com/tracking/TBA000000000000",
        ),
    ] {
        let output = tracking_check(&data, &[number, "--json"]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{number}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let json = json_of(&output);
        assert_eq!(json["valid"], true, "{json}");
        assert_eq!(json["carrier"], carrier, "{json}");
        assert_eq!(json["url"], url, "{json}");
        assert!(json["reason"].is_null(), "{json}");
    }
    assert!(!data.exists(), "checking a number must not create a store");
}

#[test]
fn an_invalid_number_prints_why_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("no-store-here");

    let typo = tracking_check(&data, &["1Z999AA10123456785", "--json"]);
    assert_eq!(typo.status.code(), Some(1));
    let json = json_of(&typo);
    assert_eq!(json["valid"], false, "{json}");
    assert_eq!(
        json["carrier"], "ups",
        "the format still says whose it looks like"
    );
    assert!(json["url"].is_null(), "{json}");
    let reason = json["reason"].as_str().unwrap();
    assert!(reason.contains("probably a typo"), "{reason}");

    let garbage = tracking_check(&data, &["not-a-number", "--json"]);
    assert_eq!(garbage.status.code(), Some(1));
    let json = json_of(&garbage);
    assert_eq!(json["valid"], false);
    assert!(json["carrier"].is_null(), "{json}");
    assert!(json["url"].is_null(), "{json}");
    assert!(json["reason"]
        .as_str()
        .unwrap()
        .contains("not a tracking number format"));
    assert!(!data.exists());
}

#[test]
fn text_mode_prints_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("no-store-here");
    let valid = tracking_check(&data, &["3318810025"]);
    assert_eq!(valid.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(valid.stdout).unwrap(),
        "DHL Express 3318810025: valid; track it at \
         https://www.dhl.com/us-en/home/tracking/tracking-express.html?submit=1&tracking-id=3318810025\n"
    );
    let invalid = tracking_check(&data, &["3318810026"]);
    assert_eq!(invalid.status.code(), Some(1));
    let line = String::from_utf8(invalid.stdout).unwrap();
    assert!(line.starts_with("3318810026: not valid: "), "{line}");
    assert!(line.contains("DHL Express"), "{line}");
    assert_eq!(line.lines().count(), 1);
}

#[test]
fn the_carrier_option_decides_a_shared_format_and_rejects_unknown_names() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("no-store-here");
    let impb = "9205590164917312751089";
    assert_eq!(
        json_of(&tracking_check(&data, &[impb, "--json"]))["carrier"],
        "usps"
    );
    let fedex = tracking_check(&data, &[impb, "--carrier", "FedEx", "--json"]);
    assert_eq!(fedex.status.code(), Some(0));
    let json = json_of(&fedex);
    assert_eq!(json["carrier"], "fedex");
    assert_eq!(
        json["url"],
        format!("https://www.fedex.com/fedextrack/?trknbr={impb}")
    );

    let unknown = tracking_check(&data, &[impb, "--carrier", "pony-express"]);
    assert_eq!(
        unknown.status.code(),
        Some(2),
        "a usage error, not a verdict"
    );
    let message = String::from_utf8_lossy(&unknown.stderr);
    assert!(message.contains("unknown carrier"), "{message}");
}

/// The sandbox supplier ships UPS numbers `1Z` + its shipper `V8A9R2` + Ground `03` + a
/// 7-digit package number + its check digit: for every package number, the core must accept
/// exactly the check digit the sandbox's own validator (which its generator is tested
/// against) accepts, so the sandbox's shipments never look like typos.
#[test]
fn the_core_agrees_with_the_sandbox_suppliers_ups_numbers() {
    let mut accepted = 0;
    for package in (0..10_000_000u64).step_by(9_973) {
        for check in 0..10 {
            let number = format!("1ZV8A9R203{package:07}{check}");
            let sandbox = dealer_sandbox::is_valid_ups_tracking_number(&number);
            let core = tracking::check(&number, Some("UPS"));
            assert_eq!(core.valid, sandbox, "{number}");
            assert_eq!(core.carrier, Some(Carrier::Ups));
            accepted += usize::from(core.valid);
        }
    }
    assert_eq!(accepted, (0..10_000_000u64).step_by(9_973).count());
}
