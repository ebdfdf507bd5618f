//! How long the window took to become usable: from the start of `run` (the first thing `main`
//! does) to the window's first page having its data on screen, which the window reports once
//! (`window_interactive`). One log line, so a slow start shows in the dealer's log, and the
//! start-up benchmark (`scripts/bench-startup`) reads it beside its own clock.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();
static REPORTED: AtomicBool = AtomicBool::new(false);

/// WebKitGTK's switch for its GPU compositing (`1`: draw pages on the CPU, as a plain 2D page).
pub const COMPOSITING_ENV: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Called first thing in `run`, before any thread. Also chooses how the web view draws, unless
/// the dealer chose (`WEBKIT_DISABLE_COMPOSITING_MODE=0` gives the GPU compositing back):
/// without a GPU (a VM, a remote desktop, Xvfb) WebKit's compositing runs through Mesa's
/// software OpenGL, which took the window from 0.5 s to 1.8 s to become interactive and 1.8 s
/// of CPU to get there (docs/BENCHMARKS.md, "Start-up and idle CPU"). The window's pages are
/// plain 2D (tables, SVG charts, no WebGL or 3D transforms), which WebKit draws as fast without it.
pub fn started() {
    STARTED.get_or_init(Instant::now);
    if std::env::var_os(COMPOSITING_ENV).is_none() {
        std::env::set_var(COMPOSITING_ENV, "1");
    }
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
