//! Where no keyring answers, the window says so and a passphrase makes and opens the store.

use dealer_e2e::{contains, files_under, Home};

const PASSPHRASE: &str = "plum-orchard-42-lantern";

#[tokio::test]
async fn without_a_keyring_the_window_takes_a_passphrase() {
    let home = Home::new();
    // A session bus address that leads nowhere: no Secret Service for the app.
    let no_bus = [("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")];
    let app = home.launch_with(&no_bus, &[]).await.unwrap();
    let message = app.text("[data-testid=unlock-message]").await.unwrap();
    assert!(message.contains("No OS keyring is reachable"), "{message}");
    app.screenshot("no-keyring").await.unwrap();

    // Mismatched confirmation is caught before anything is made.
    app.wait_for("[data-testid=unlock-passphrase]")
        .await
        .unwrap()
        .send_keys(PASSPHRASE)
        .await
        .unwrap();
    app.wait_for("[data-testid=unlock-confirm]")
        .await
        .unwrap()
        .send_keys("something else")
        .await
        .unwrap();
    app.click("[data-testid=unlock-submit]").await.unwrap();
    app.wait_for("[data-testid=unlock-error]").await.unwrap();
    assert!(!home.data_dir().join("dealer.db").exists());

    let confirm = app.wait_for("[data-testid=unlock-confirm]").await.unwrap();
    confirm.clear().await.unwrap();
    confirm.send_keys(PASSPHRASE).await.unwrap();
    app.click("[data-testid=unlock-submit]").await.unwrap();
    // The new store opens on the onboarding guide; its Orders list is empty.
    app.wait_for_text("[data-testid=page-title]", "Onboarding")
        .await
        .unwrap();
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.wait_for("[data-testid=orders-empty]").await.unwrap();
    app.screenshot("passphrase-store-created").await.unwrap();
    app.quit().await.unwrap();

    let manifest = std::fs::read_to_string(home.data_dir().join("store.json")).unwrap();
    assert!(manifest.contains("\"passphrase\""), "{manifest}");
    // The CLI opens the same store with the passphrase, and refuses without it.
    let locked = home.cli(&["orders", "list"]);
    assert!(String::from_utf8_lossy(&locked.stderr).contains("DEALER_PASSPHRASE"));
    let output = std::process::Command::new(dealer_e2e::cli_binary())
        .args(["status", "--json"])
        .envs(home.env().iter().map(|(k, v)| (k, v)))
        .env("DEALER_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"passphrase\""));

    for (path, bytes) in files_under(&home.data_dir()) {
        assert!(
            !contains(&bytes, PASSPHRASE.as_bytes()),
            "the passphrase is in {}",
            path.display()
        );
    }
}

/// The pids whose parent is `parent`.
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/status"))
                .ok()
                .and_then(|status| {
                    status
                        .lines()
                        .find_map(|line| line.strip_prefix("PPid:"))
                        .map(|ppid| ppid.trim() == parent.to_string())
                })
                .unwrap_or(false)
        })
        .collect()
}

/// The pid of the running app (`dealer-portal`), if any.
fn app_pid() -> Option<u32> {
    let binary = dealer_e2e::app_binary();
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary))
}

#[tokio::test]
async fn a_passphrase_from_the_environment_reaches_no_process_the_app_starts() {
    let home = Home::new();
    let no_bus = ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    let made = std::process::Command::new(dealer_e2e::cli_binary())
        .args(["dev", "seed", "--orders", "2"])
        .envs(home.env().iter().map(|(k, v)| (k, v)))
        .env(no_bus.0, no_bus.1)
        .env("DEALER_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let app = home
        .launch_with(&[no_bus, ("DEALER_PASSPHRASE", PASSPHRASE)], &[])
        .await
        .unwrap();
    // Opened with the passphrase from the environment: no unlock screen.
    app.wait_for("[data-testid=page-title]").await.unwrap();
    assert!(app
        .all("[data-testid=unlock-passphrase]")
        .await
        .unwrap()
        .is_empty());

    let pid = app_pid().expect("the app is running");
    let children = children_of(pid);
    assert!(
        !children.is_empty(),
        "the app has started its web view's processes"
    );
    for child in children {
        let environ = std::fs::read(format!("/proc/{child}/environ")).unwrap_or_default();
        assert!(
            !contains(&environ, b"DEALER_PASSPHRASE"),
            "process {child} inherited the passphrase"
        );
        assert!(!contains(&environ, PASSPHRASE.as_bytes()));
    }
    app.quit().await.unwrap();
}
