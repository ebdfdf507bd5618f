//! How long the window took to become usable: from the start of `run` (the first thing `main`
//! does) to the window's first page having its data on screen, which the window reports once
//! (`window_interactive`). One log line, so a slow start shows in the dealer's log, and the
//! start-up benchmark (`scripts/bench-startup`) reads it beside its own clock. Also how the web
//! view draws, chosen before GTK starts.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();
static REPORTED: AtomicBool = AtomicBool::new(false);
static DRAWING: OnceLock<Drawing> = OnceLock::new();

/// WebKitGTK's switch for its compositing (`1`: pages drawn on the CPU, as plain 2D pages).
pub const COMPOSITING_ENV: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// Where the kernel lists the GPUs a program can render with (`renderD128`, ...).
const RENDER_NODES: &str = "/dev/dri";

/// How the web view draws its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawing {
    /// WebKit's own choice: compositing on the GPU.
    Gpu,
    /// No GPU to render with: compositing off, pages drawn on the CPU.
    Cpu,
    /// `WEBKIT_DISABLE_COMPOSITING_MODE` was set before the app started: left as set.
    AsSet,
}

impl Drawing {
    /// Without a GPU (a VM, a remote desktop) WebKit composites through Mesa's software OpenGL,
    /// which made the window up to twice as slow to become interactive and spent the CPU of a
    /// second core doing it (docs/BENCHMARKS.md, "Start-up and idle CPU"). The pages are plain
    /// 2D (tables, SVG charts; no WebGL, no 3D transforms), which WebKit draws as fast without
    /// compositing. With a GPU, WebKit's compositing is left on: it scrolls long lists on the GPU.
    pub fn choose(already_set: bool, render_nodes: &Path) -> Drawing {
        if already_set {
            return Drawing::AsSet;
        }
        let has_gpu = std::fs::read_dir(render_nodes)
            .map(|entries| {
                entries
                    .flatten()
                    .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
            })
            .unwrap_or(false);
        if has_gpu {
            Drawing::Gpu
        } else {
            Drawing::Cpu
        }
    }

    fn label(self) -> &'static str {
        match self {
            Drawing::Gpu => "gpu",
            Drawing::Cpu => "cpu (no GPU render node)",
            Drawing::AsSet => "as WEBKIT_DISABLE_COMPOSITING_MODE says",
        }
    }
}

/// Called first thing in `run`, before any thread: the time the start-up is counted from, and
/// how the web view will draw (an environment variable WebKit reads when it starts).
pub fn started() {
    STARTED.get_or_init(Instant::now);
    let drawing = Drawing::choose(
        std::env::var_os(COMPOSITING_ENV).is_some(),
        Path::new(RENDER_NODES),
    );
    if drawing == Drawing::Cpu {
        std::env::set_var(COMPOSITING_ENV, "1");
    }
    DRAWING.get_or_init(|| drawing);
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
        drawing = DRAWING
            .get()
            .map(|drawing| drawing.label())
            .unwrap_or("unknown"),
        "window interactive after {} ms",
        after.as_millis()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gpu_render_node_keeps_compositing_and_none_turns_it_off() {
        let dri = tempfile::tempdir().unwrap();
        // A card node alone (a display with no render node) is no GPU to render with.
        std::fs::write(dri.path().join("card0"), "").unwrap();
        assert_eq!(Drawing::choose(false, dri.path()), Drawing::Cpu);
        std::fs::write(dri.path().join("renderD128"), "").unwrap();
        assert_eq!(Drawing::choose(false, dri.path()), Drawing::Gpu);
        // No /dev/dri at all: a VM or a container.
        assert_eq!(
            Drawing::choose(false, &dri.path().join("missing")),
            Drawing::Cpu
        );
        // The dealer's own setting wins, either way.
        assert_eq!(Drawing::choose(true, dri.path()), Drawing::AsSet);
        assert_eq!(
            Drawing::choose(true, &dri.path().join("missing")),
            Drawing::AsSet
        );
    }
}
