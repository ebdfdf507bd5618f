//! Connecting real-format stores from the CLI (credentials to the Secret Service), against the
//! sandbox stores run by `dealer sandbox serve`.

use std::process::{Command, Stdio};

use dealer_e2e::{cli_binary, Home, SandboxServe};

#[tokio::test]
async fn channels_are_added_tested_synced_and_removed_from_the_cli() {
    let home = Home::new();
    let serve = SandboxServe::start().unwrap();
    let url = |kind: &str| serve.url(kind);

    let add = |kind: &str, name: &str, env: &[(&str, &str)]| {
        let mut command = Command::new(cli_binary());
        command
            .args(["channel", "add", kind, "--name", name, "--url", &url(kind)])
            .envs(home.env().iter().map(|(k, v)| (k, v)))
            .envs(env.iter().copied())
            .stdin(Stdio::null());
        command.output().unwrap()
    };
    let woo = add(
        "woocommerce",
        "Woo shop",
        &[
            ("DEALER_CHANNEL_KEY", "ck_sandbox"),
            ("DEALER_CHANNEL_SECRET", "cs_sandbox"),
        ],
    );
    assert!(
        woo.status.success(),
        "{}",
        String::from_utf8_lossy(&woo.stderr)
    );
    let bc = add(
        "bigcommerce",
        "BC shop",
        &[("DEALER_CHANNEL_TOKEN", "sandbox_bc_token")],
    );
    assert!(
        bc.status.success(),
        "{}",
        String::from_utf8_lossy(&bc.stderr)
    );
    let wrong = add(
        "shopify",
        "Shopify shop",
        &[("DEALER_CHANNEL_TOKEN", "shpat_wrong")],
    );
    assert!(wrong.status.success(), "adding does not call the store");

    // http:// to a non-loopback host is refused before anything is stored.
    let insecure = Command::new(cli_binary())
        .args([
            "channel",
            "add",
            "shopify",
            "--name",
            "Plain",
            "--url",
            "http://shop.example.com",
        ])
        .envs(home.env().iter().map(|(k, v)| (k, v)))
        .env("DEALER_CHANNEL_TOKEN", "x")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&insecure.stderr).contains("https://"));

    let list = home.cli_ok(&["channel", "list"]);
    assert!(list.contains("Woo shop") && list.contains("BC shop") && list.contains("Shopify shop"));
    assert!(home
        .cli_ok(&["channel", "test", "Woo shop"])
        .contains("connected to"));
    assert!(home
        .cli_ok(&["channel", "test", "BC shop"])
        .contains("connected to"));
    let refused = home.cli(&["channel", "test", "Shopify shop"]);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("refused the credentials"), "{message}");

    // The credentials are in the Secret Service, not in the store's files.
    for (path, bytes) in dealer_e2e::files_under(&home.data_dir()) {
        assert!(
            !dealer_e2e::contains(&bytes, b"cs_sandbox"),
            "secret in {}",
            path.display()
        );
    }

    // Orders placed in the WooCommerce store arrive with `dealer sync --channel`.
    let placed = home.cli_ok(&[
        "sandbox",
        "place-order",
        "--channel-kind",
        "woocommerce",
        "--state-dir",
        serve.state_dir().to_str().unwrap(),
    ]);
    assert!(placed.contains("#1001"), "{placed}");
    let synced = home.cli_ok(&["sync", "--channel", "Woo shop"]);
    assert!(synced.contains("Order Sync: 1 new"), "{synced}");
    let orders: Vec<serde_json::Value> =
        serde_json::from_str(&home.cli_ok(&["orders", "list", "--json"])).unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["channel"], "Woo shop");

    // A full sync reports the refusing store and still imports the others.
    let all = home.cli(&["sync"]);
    let out = String::from_utf8_lossy(&all.stdout);
    assert!(!all.status.success());
    assert!(
        out.contains("Shopify shop") && out.contains("failed"),
        "{out}"
    );

    home.cli_ok(&["channel", "remove", "BC shop"]);
    home.cli_ok(&["channel", "remove", "Woo shop"]);
    let list = home.cli_ok(&["channel", "list"]);
    assert!(
        !list.contains("BC shop") && !list.contains("Woo shop\n"),
        "{list}"
    );
    let orders: Vec<serde_json::Value> =
        serde_json::from_str(&home.cli_ok(&["orders", "list", "--json"])).unwrap();
    assert_eq!(orders.len(), 1, "a removed channel's orders stay");
}
