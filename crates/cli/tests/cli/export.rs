//! `dealer export …` on seeded orders and a sandbox order that US Direct invoiced: the files
//! read back with the `csv` crate, and the errors a dealer meets.

use crate::{dealer, stdout_ok, PASSPHRASE};

fn read(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn exports_orders_the_statement_and_shipments_to_csv_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let run = |args: &[&str]| stdout_ok(dealer(&data, Some(PASSPHRASE), args));
    run(&["sandbox", "place-order"]);
    run(&["sync"]);
    let listed: serde_json::Value = serde_json::from_str(&run(&[
        "orders",
        "list",
        "--json",
        "--status",
        "awaiting_authorization",
    ]))
    .unwrap();
    // The sandbox order came in last, after the seeded ones.
    let placed = listed
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|order| order["id"].as_i64().unwrap())
        .unwrap()
        .clone();
    assert_eq!(placed["customer_name"], "Taylor Tester", "{placed:#}");
    let id = placed["id"].to_string();
    run(&["authorize", &id]);
    let today = chrono::Utc::now().date_naive().to_string();

    // Seeded orders in a store of their own (the seed numbers orders as the sandbox store does).
    let seeded = dir.path().join("seeded");
    stdout_ok(dealer(
        &seeded,
        Some(PASSPHRASE),
        &["dev", "seed", "--orders", "40"],
    ));
    let orders = dir.path().join("orders.csv");
    let out = stdout_ok(dealer(
        &seeded,
        Some(PASSPHRASE),
        &[
            "export",
            "orders",
            "--bom",
            "--output",
            orders.to_str().unwrap(),
        ],
    ));
    assert!(out.contains("wrote 40 orders"), "{out}");
    let bytes = std::fs::read(&orders).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "the BOM asked for"
    );
    let rows = read(&orders);
    assert_eq!(rows.len(), 41, "header and 40 orders");
    assert!(
        rows[0][0].ends_with("Number"),
        "the header after the BOM: {:?}",
        rows[0]
    );

    // Only the authorized order, now processing, with US Direct's cost and a margin.
    let processing = dir.path().join("processing.csv");
    let out = run(&[
        "export",
        "orders",
        "--status",
        "processing",
        "--from",
        &today,
        "--to",
        &today,
        "--output",
        processing.to_str().unwrap(),
    ]);
    assert!(out.contains("wrote 1 order "), "{out}");
    let rows = read(&processing);
    assert_eq!(rows[1][0], placed["number"].as_str().unwrap());
    assert!(!rows[1][8].is_empty(), "US Direct's cost: {:?}", rows[1]);
    assert!(!rows[1][10].is_empty(), "the margin: {:?}", rows[1]);

    let statement = dir.path().join("statement.csv");
    let month = &today[..7];
    let out = run(&[
        "export",
        "statement",
        "--month",
        month,
        "--output",
        statement.to_str().unwrap(),
    ]);
    assert!(out.contains("wrote 1 invoice "), "{out}");
    let rows = read(&statement);
    assert_eq!(
        rows.len(),
        4,
        "header, the invoice, the totals, the charged: {rows:?}"
    );
    assert_eq!(rows[1][8], "authorized");
    assert_eq!(rows[2][0], "Total");
    assert_eq!(rows[2][6], rows[1][6], "the totals are the one invoice");
    assert_eq!(rows[3][0], "Charged");
    assert_eq!(rows[3][6], rows[1][6], "authorized: it hit the card");

    // Nothing shipped yet: a file with its header only.
    let shipments = dir.path().join("shipments.csv");
    let out = run(&[
        "export",
        "shipments",
        "--from",
        &today,
        "--to",
        &today,
        "--output",
        shipments.to_str().unwrap(),
    ]);
    assert!(out.contains("wrote 0 shipments"), "{out}");
    assert_eq!(read(&shipments)[0][1], "Tracking number");
}

#[test]
fn a_bad_day_or_an_unwritable_path_is_a_clear_error_and_no_file_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    stdout_ok(dealer(
        &data,
        Some(PASSPHRASE),
        &["dev", "seed", "--orders", "3"],
    ));
    let output = dir.path().join("out.csv");

    let bad_day = dealer(
        &data,
        Some(PASSPHRASE),
        &[
            "export",
            "shipments",
            "--from",
            "2026-02-30",
            "--to",
            "2026-03-01",
            "--output",
            output.to_str().unwrap(),
        ],
    );
    assert!(!bad_day.status.success());
    let stderr = String::from_utf8_lossy(&bad_day.stderr);
    assert!(
        stderr.contains("\"2026-02-30\" is not a day; write it as YYYY-MM-DD"),
        "{stderr}"
    );

    let bad_month = dealer(
        &data,
        Some(PASSPHRASE),
        &[
            "export",
            "statement",
            "--month",
            "2026-13",
            "--output",
            output.to_str().unwrap(),
        ],
    );
    assert!(!bad_month.status.success());
    let stderr = String::from_utf8_lossy(&bad_month.stderr);
    assert!(stderr.contains("2026-13 is not a month"), "{stderr}");

    let nowhere = dir.path().join("no such folder").join("orders.csv");
    let unwritable = dealer(
        &data,
        Some(PASSPHRASE),
        &["export", "orders", "--output", nowhere.to_str().unwrap()],
    );
    assert!(!unwritable.status.success());
    let stderr = String::from_utf8_lossy(&unwritable.stderr);
    assert!(stderr.contains("cannot write in"), "{stderr}");
    assert!(stderr.contains("no such folder"), "{stderr}");

    // An export that fails half way (an unknown status is refused before) leaves nothing.
    let refused = dealer(
        &data,
        Some(PASSPHRASE),
        &[
            "export",
            "orders",
            "--status",
            "lost",
            "--output",
            output.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .filter(|name| name != "store")
        .collect();
    assert!(left.is_empty(), "no file written: {left:?}");
}

#[test]
fn the_list_filters_channel_flag_and_environment_narrow_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let run = |args: &[&str]| stdout_ok(dealer(&data, Some(PASSPHRASE), args));
    run(&["dev", "seed", "--orders", "12"]);
    let output = dir.path().join("orders.csv");
    let export = |extra: &[&str]| {
        let mut args = vec!["export", "orders", "--output", output.to_str().unwrap()];
        args.extend_from_slice(extra);
        run(&args)
    };

    // No store is connected: the Sandbox's orders, as the window shows them.
    assert!(export(&[]).contains("wrote 12 orders"));
    assert!(export(&["--environment", "sandbox"]).contains("wrote 12 orders"));
    assert!(export(&["--environment", "live"]).contains("wrote 0 orders"));
    assert_eq!(read(&output).len(), 1, "the header alone");

    // The seeded channel by its name; another name is refused with the names there are.
    assert!(export(&["--channel", "Sandbox Store"]).contains("wrote 12 orders"));
    let unknown = dealer(
        &data,
        Some(PASSPHRASE),
        &[
            "export",
            "orders",
            "--channel",
            "No Such Shop",
            "--output",
            output.to_str().unwrap(),
        ],
    );
    assert!(!unknown.status.success());
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("no channel is called \"No Such Shop\""),
        "{stderr}"
    );

    // Freshly seeded orders are neither late nor stuck; the list and the export agree.
    assert!(export(&["--flag", "stuck"]).contains("wrote 0 orders"));
    let listed: serde_json::Value =
        serde_json::from_str(&run(&["orders", "list", "--json", "--flag", "stuck"])).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "{listed:#}");
    let all: serde_json::Value = serde_json::from_str(&run(&["orders", "list", "--json"])).unwrap();
    assert_eq!(all.as_array().map(Vec::len), Some(12));
}
