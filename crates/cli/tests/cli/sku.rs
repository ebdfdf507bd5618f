//! The SKU map from the command line, against the sandbox US Direct: a mapping to an item it
//! does not carry is refused; the SKUs seen in orders are matched, confirmed in bulk and the
//! orders that waited route again; the map goes out and back as CSV, all rows or none.

use crate::exactly_once::Serve;
use crate::{dealer, stdout_ok, PASSPHRASE};

fn run(data: &std::path::Path, args: &[&str]) -> String {
    stdout_ok(dealer(data, Some(PASSPHRASE), args))
}

fn fails(data: &std::path::Path, args: &[&str]) -> String {
    let output = dealer(data, Some(PASSPHRASE), args);
    assert!(!output.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn status_of(data: &std::path::Path, number: &str) -> String {
    let list: serde_json::Value =
        serde_json::from_str(&run(data, &["orders", "list", "--json"])).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .find(|o| o["number"] == number)
        .unwrap_or_else(|| panic!("{number} in {list:#}"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

fn mapped(data: &std::path::Path) -> Vec<(String, String)> {
    let list: serde_json::Value =
        serde_json::from_str(&run(data, &["sku", "list", "--json"])).unwrap();
    list["mappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["store_sku"].as_str().unwrap().to_string(),
                m["supplier_sku"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(store, _)| !store.starts_with("USD-10"))
        .collect()
}

#[test]
fn seen_skus_are_matched_with_us_direct_confirmed_and_their_orders_route() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    // #1001 sells a US Direct item the app has not mapped and one of the dealer's own;
    // #1002 only the US Direct item.
    run(
        &data,
        &[
            "sandbox",
            "place-order",
            "--sku",
            "USD-2001",
            "--sku",
            "OWN-7",
        ],
    );
    run(
        &data,
        &[
            "sandbox",
            "place-order",
            "--sku",
            "USD-2001",
            "--sku",
            "USD-2002",
        ],
    );
    // #1003 sells only another brand's item.
    run(&data, &["sandbox", "place-order", "--sku", "OWN-5"]);
    run(&data, &["sync"]);
    // No line of theirs is mapped: not for US Direct, none held.
    for number in ["#1001", "#1002", "#1003"] {
        assert_eq!(status_of(&data, number), "not_for_us_direct", "{number}");
    }

    let refused = fails(&data, &["sku", "map", "OWN-7", "UD-NOPE"]);
    assert!(
        refused.contains("US Direct does not carry UD-NOPE: check the SKU in US Direct's catalog"),
        "{refused}"
    );
    assert!(mapped(&data).is_empty());

    let seen: serde_json::Value =
        serde_json::from_str(&run(&data, &["sku", "seen", "--json"])).unwrap();
    let seen = seen.as_array().unwrap();
    assert_eq!(seen[0]["store_sku"], "USD-2001", "{seen:#?}");
    assert_eq!(seen[0]["orders"], 2);
    assert_eq!(seen[0]["waiting_orders"], 2);
    assert_eq!(seen.len(), 4);

    let matched = run(&data, &["sku", "match"]);
    assert!(
        matched.contains("USD-2001                 carried: Garden Kneeler Pad"),
        "{matched}"
    );
    assert!(
        matched.contains("OWN-7                    not carried by US Direct"),
        "{matched}"
    );
    assert!(
        matched.contains("US Direct carries 2 of 4 seen SKUs"),
        "{matched}"
    );
    assert!(mapped(&data).is_empty(), "a match maps nothing");

    let wrong = fails(&data, &["sku", "confirm", "OWN-7"]);
    assert!(wrong.contains("no match to confirm for OWN-7"), "{wrong}");
    let confirmed = run(&data, &["sku", "confirm", "--all"]);
    assert!(confirmed.contains("mapped 2 SKUs"), "{confirmed}");
    assert_eq!(
        mapped(&data),
        vec![
            ("USD-2001".to_string(), "USD-2001".to_string()),
            ("USD-2002".to_string(), "USD-2002".to_string())
        ]
    );
    // Both orders with a US Direct item are routed at once (#1001 without OWN-7); #1003 is
    // still not for US Direct.
    assert_eq!(status_of(&data, "#1002"), "imported");
    assert_eq!(status_of(&data, "#1001"), "imported");
    assert_eq!(status_of(&data, "#1003"), "not_for_us_direct");

    // CSV: a file with bad rows maps nothing and names each; a good one maps and routes.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "store_sku,supplier_sku\nOWN-7,UD-NOPE\nOWN-8,\nOWN-9,USD-2003\n",
    )
    .unwrap();
    let refused = fails(&data, &["sku", "import", bad.to_str().unwrap()]);
    assert!(
        refused.contains("line 3: supplier_sku: is empty"),
        "{refused}"
    );
    let bad2 = dir.path().join("bad2.csv");
    std::fs::write(
        &bad2,
        "store_sku,supplier_sku\nOWN-7,UD-NOPE\nOWN-9,USD-2003\n",
    )
    .unwrap();
    let refused = fails(&data, &["sku", "import", bad2.to_str().unwrap()]);
    assert!(
        refused.contains(
            "line 2: US Direct does not carry UD-NOPE: check the SKU in US Direct's catalog"
        ),
        "{refused}"
    );
    assert_eq!(mapped(&data).len(), 2, "nothing of the bad files was saved");

    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "store_sku,supplier_sku\n\"OWN-7\",USD-2003\nOWN-5,USD-2003\n",
    )
    .unwrap();
    let imported = run(&data, &["sku", "import", good.to_str().unwrap()]);
    assert!(imported.contains("mapped 2 rows"), "{imported}");
    assert!(
        imported.contains("1 waiting orders routed again"),
        "{imported}"
    );
    assert_eq!(status_of(&data, "#1003"), "imported");

    let out = dir.path().join("map.csv");
    run(&data, &["sku", "export", out.to_str().unwrap()]);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("store_sku,supplier_sku\n"), "{csv}");
    assert!(csv.contains("OWN-7,USD-2003\n"), "{csv}");
}

#[test]
fn a_match_against_a_separate_sandbox_keeps_to_the_rate_limit_and_asks_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let serve = Serve::start(&data);
    run(
        &data,
        &[
            "sandbox",
            "place-order",
            "--sku",
            "USD-2001",
            "--sku",
            "USD-2002",
            "--sku",
            "USD-2003",
            "--sku",
            "OWN-1",
            "--sku",
            "OWN-2",
        ],
    );
    run(&data, &["sync"]);
    let before = serve.supplier_admin("/stats");
    let asked_before = before["requests"]["getItem"].as_u64().unwrap_or(0);

    let matched = run(&data, &["sku", "match"]);
    assert!(
        matched.contains("US Direct carries 3 of 5 seen SKUs"),
        "{matched}"
    );
    let after = serve.supplier_admin("/stats");
    assert_eq!(
        after["requests"]["getItem"].as_u64().unwrap() - asked_before,
        5
    );
    assert_eq!(
        after["rate_limited"], before["rate_limited"],
        "no 429 from US Direct"
    );

    // Asked again within the day: answered from the item cache, nothing sent.
    let again = run(&data, &["sku", "match"]);
    assert!(
        again.contains("US Direct carries 3 of 5 seen SKUs"),
        "{again}"
    );
    let last = serve.supplier_admin("/stats");
    assert_eq!(last["requests"]["getItem"], after["requests"]["getItem"]);
}
