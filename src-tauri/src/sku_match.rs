//! "Match with US Direct" in the window: one match at a time, its progress sent to the window
//! after each SKU, and a Stop that ends it after the SKU under way (the answers so far are kept
//! in the item cache, so the next match resumes there).

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};

use dealer_core::catalog::LookupProgress;

use crate::events::AppEvent;

/// Where a match stands, after each SKU.
impl AppEvent for LookupProgress {
    const NAME: &'static str = "sku-match-progress";
}

/// Whether a match runs, and whether the dealer asked it to stop. Managed from `setup`.
#[derive(Debug, Default)]
pub struct SkuMatches {
    running: AtomicBool,
    stop: AtomicBool,
}

impl SkuMatches {
    /// Claims the one match slot; `None` when a match already runs.
    pub fn begin(&self) -> Option<MatchGuard<'_>> {
        if self.running.swap(true, Ordering::SeqCst) {
            return None;
        }
        self.stop.store(false, Ordering::SeqCst);
        Some(MatchGuard(self))
    }

    /// Asks the running match to stop after the SKU under way.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// The running match; dropping it frees the slot.
pub struct MatchGuard<'a>(&'a SkuMatches);

impl MatchGuard<'_> {
    /// Continue unless Stop was asked.
    pub fn next(&self) -> ControlFlow<()> {
        if self.0.stop.load(Ordering::SeqCst) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
}

impl Drop for MatchGuard<'_> {
    fn drop(&mut self) {
        self.0.running.store(false, Ordering::SeqCst);
    }
}
