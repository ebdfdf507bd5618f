//! How long the window took to become usable: from the start of `run` (the first thing `main`
//! does) to the window's first page having its data on screen, which the window reports once
//! (`window_interactive`). One log line, so a slow start shows in the dealer's log, and the
//! start-up benchmark (`scripts/bench-startup`) reads it beside its own clock.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Called first thing in `run`, before any thread: the time the start-up is counted from.
/// (WebKit's compositing is left as WebKit chooses: turning it off made starts without a GPU
/// faster, but WebKitWebDriver then hung the end-to-end tests; docs/BENCHMARKS.md.)
pub fn started() {
    STARTED.get_or_init(Instant::now);
}

/// The window's first page is on screen with its data. Only the first report of the process
/// counts: a reload of the page (developer tools) reports again and is ignored.
pub fn window_interactive(page: &str) {
    if REPORTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let after = STARTED.get().map(Instant::elapsed).unwrap_or_default();
    tracing::info!(
        page = page,
        "window interactive after {} ms",
        after.as_millis()
    );
}
