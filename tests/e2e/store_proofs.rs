//! What lands on disk and in the logs: no customer data in the clear, no key anywhere; another
//! key in the keyring is refused in the window with a clear message and changes nothing.

use std::path::PathBuf;

use dealer_e2e::{contains, files_under, keyring_store_key, replace_keyring_store_key, Home};

fn digest(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

#[tokio::test]
async fn store_files_and_logs_keep_customers_and_keys_out() {
    let home = Home::new();
    home.cli_ok(&["dev", "seed", "--orders", "200"]);
    let listed: Vec<serde_json::Value> =
        serde_json::from_str(&home.cli_ok(&["orders", "list", "--json"])).unwrap();
    let app = home.launch().await.unwrap();
    // The window opens on the onboarding guide; the orders are one click away.
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.wait_for("[data-testid=order-row]").await.unwrap();
    app.click("[data-testid=nav-activity]").await.unwrap();
    app.wait_for("[data-testid=activity-row]").await.unwrap();
    // Files as they are while the app has the store open, then after it quits.
    let open_files = files_under(&home.data_dir());
    app.quit().await.unwrap();
    let closed_files = files_under(&home.data_dir());

    let key_hex = keyring_store_key(&home.data_dir()).unwrap();
    assert_eq!(key_hex.len(), 64, "a 256-bit key");
    let mut names: Vec<String> = listed
        .iter()
        .map(|o| o["customer_name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names.dedup();
    let db_files: Vec<_> = open_files
        .iter()
        .chain(closed_files.iter())
        .filter(|(path, _)| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("dealer.db")
        })
        .collect();
    assert!(
        db_files.iter().any(|(p, _)| p.ends_with("dealer.db-wal")),
        "WAL checked"
    );
    // Every file in the data dir but the sandbox store's own (its shoppers are test data): the
    // database, the logs, and the webview's caches.
    let sandbox = home.data_dir().join("sandbox");
    let scanned: Vec<_> = open_files
        .iter()
        .chain(closed_files.iter())
        .filter(|(path, _)| !path.starts_with(&sandbox))
        .collect();
    assert!(
        scanned.len() > db_files.len(),
        "more than the database is scanned"
    );
    for (path, bytes) in &scanned {
        for name in &names {
            assert!(
                !contains(bytes, name.as_bytes()),
                "{name} readable in {}",
                path.display()
            );
        }
        assert!(
            !contains(bytes, b"@example.com"),
            "an email is readable in {}",
            path.display()
        );
    }

    let logs = files_under(&home.log_dir());
    assert!(
        !logs.is_empty(),
        "the app wrote a log file in {}",
        home.log_dir().display()
    );
    let log_text: String = logs
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b))
        .collect();
    assert!(
        log_text.contains("store open"),
        "the log is the app's: {log_text}"
    );
    // The data dir and its logs are the dealer's alone, every file in them too.
    for dir in [home.data_dir(), home.log_dir()] {
        assert_eq!(mode_of(&dir), 0o700, "{}", dir.display());
    }
    for (path, _) in files_under(&home.data_dir()).iter().chain(logs.iter()) {
        assert_eq!(
            mode_of(path) & 0o077,
            0,
            "{} is readable by others",
            path.display()
        );
    }
    for (path, bytes) in files_under(&home.data_dir()).iter().chain(logs.iter()) {
        for needle in [key_hex.to_lowercase(), key_hex.to_uppercase()] {
            assert!(
                !contains(bytes, needle.as_bytes()),
                "the key is in {}",
                path.display()
            );
        }
    }
}

#[tokio::test]
async fn another_key_in_the_keyring_shows_a_clear_error_and_changes_nothing() {
    let home = Home::new();
    home.cli_ok(&["dev", "seed", "--orders", "5"]);
    let before = files_under(&home.data_dir());
    let original = replace_keyring_store_key(&home.data_dir(), &"ab".repeat(32)).unwrap();

    let app = home.launch().await.unwrap();
    let message = app.text("[data-testid=unlock-message]").await.unwrap();
    assert!(message.contains("does not unlock"), "{message}");
    assert!(message.contains("Nothing was changed"), "{message}");
    assert!(app.all("[data-testid=order-row]").await.unwrap().is_empty());
    app.screenshot("wrong-key").await.unwrap();
    app.quit().await.unwrap();
    let after = files_under(&home.data_dir());
    // The store's own files (the database and its manifest), not the logs or the webview's.
    let store_files = |files: &[(PathBuf, Vec<u8>)]| -> Vec<(PathBuf, u64)> {
        files
            .iter()
            .filter(|(path, _)| {
                let name = path.file_name().unwrap().to_string_lossy();
                path.parent() == Some(home.data_dir().as_path())
                    && (name.starts_with("dealer.db") || name == "store.json")
            })
            .map(|(path, bytes)| (path.clone(), digest(bytes)))
            .collect()
    };
    assert!(store_files(&before)
        .iter()
        .any(|(p, _)| p.ends_with("dealer.db")));
    assert_eq!(
        store_files(&after),
        store_files(&before),
        "the store files are untouched"
    );

    // The CLI says the same; with the right key back, the orders are all there.
    let refused = home.cli(&["orders", "list"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("[wrong_key]"));
    replace_keyring_store_key(&home.data_dir(), &original).unwrap();
    let listed: Vec<serde_json::Value> =
        serde_json::from_str(&home.cli_ok(&["orders", "list", "--json"])).unwrap();
    assert_eq!(listed.len(), 5);
}

fn mode_of(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("the path exists")
        .permissions()
        .mode()
        & 0o777
}
