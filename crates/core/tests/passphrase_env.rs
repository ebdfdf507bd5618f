//! `DEALER_PASSPHRASE` is read once and leaves the environment, so no process the app or the CLI
//! starts inherits it. In a test binary of its own: changing the environment while other
//! threads read it is not safe, and this binary has one test and no other thread.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dealer_core::keys::{Unlock, PASSPHRASE_ENV};

#[test]
fn the_passphrase_leaves_the_environment_when_it_is_read() {
    std::env::set_var(PASSPHRASE_ENV, "from the environment");
    let unlock = Unlock::take_from_env();
    assert_eq!(
        unlock.passphrase.map(|p| p.expose().clone()).as_deref(),
        Some("from the environment")
    );
    assert!(std::env::var_os(PASSPHRASE_ENV).is_none());
    // A child process started now does not see it.
    let child = std::process::Command::new("sh")
        .args(["-c", "echo \"[${DEALER_PASSPHRASE-unset}]\""])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&child.stdout).trim(), "[unset]");
    assert!(Unlock::take_from_env().passphrase.is_none());
}
