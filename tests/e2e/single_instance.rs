//! A second launch hands over to the running app: one window, and the second process exits.

use std::process::Command;
use std::time::Duration;

use dealer_e2e::{app_binary, count_windows, wait_until, Home};

#[tokio::test]
async fn a_second_launch_focuses_the_running_window() {
    let home = Home::new();
    let app = home.launch().await.unwrap();
    app.wait_for("[data-testid=page-title]").await.unwrap();
    assert!(
        wait_until(Duration::from_secs(10), || count_windows("^Dealer Portal$")
            == 1),
        "the first launch shows one window"
    );

    let mut second = Command::new(app_binary())
        .envs(home.env().iter().map(|(k, v)| (k, v)))
        .spawn()
        .unwrap();
    let mut status = None;
    assert!(
        wait_until(Duration::from_secs(20), || {
            status = second.try_wait().unwrap();
            status.is_some()
        }),
        "the second launch should hand over and exit"
    );
    assert!(status.unwrap().success());
    assert_eq!(
        count_windows("^Dealer Portal$"),
        1,
        "still exactly one window"
    );
    assert_eq!(app.client().windows().await.unwrap().len(), 1);
    // The first app is alive and answering.
    app.click("[data-testid=nav-settings]").await.unwrap();
    app.wait_for_text("[data-testid=page-title]", "Settings")
        .await
        .unwrap();
    app.screenshot("single-instance").await.unwrap();
    app.quit().await.unwrap();
}
