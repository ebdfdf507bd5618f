//! A panic in the handling of one order, job or change costs that one item, never the worker
//! that handles the rest: the work runs isolated, and a panic comes back as its message for the
//! caller to record on the item (quarantine, `needs_attention`, a failed job).
//!
//! Panics are bugs (every untrusted value is meant to be refused before it can cause one), so
//! the message is also logged as an error. The release profile unwinds (no `panic = "abort"`),
//! which this relies on.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

/// Runs `work`; a panic inside it becomes `Err` with its message.
///
/// `AssertUnwindSafe` is sound here because the callers drop or roll back whatever `work` was
/// changing (a savepoint, a claimed job) when it panics.
pub(crate) async fn isolate<F: Future>(what: &str, work: F) -> Result<F::Output, String> {
    AssertUnwindSafe(work)
        .catch_unwind()
        .await
        .map_err(|payload| message(what, payload.as_ref()))
}

/// [`isolate`] for work that only computes (a decision about one item, its writes left to the
/// caller): nothing it changed outlives a panic.
pub(crate) fn isolate_sync<T>(what: &str, work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(AssertUnwindSafe(work))
        .map_err(|payload| message(what, payload.as_ref()))
}

/// A panic's message, logged as the error it is.
pub(crate) fn message(what: &str, payload: &(dyn std::any::Any + Send)) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    tracing::error!(what, %message, "internal error (a panic), isolated to this item");
    message
}

/// What the dealer reads about an item whose handling panicked.
pub(crate) fn reason(doing: &str, message: &str) -> String {
    let message: String = message.chars().take(300).collect();
    format!(
        "the app hit an internal error while {doing} ({message}); nothing else was affected. \
         Try again from the order page; if it happens again, report it with the app's log"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_its_message_and_a_value_passes_through() {
        assert_eq!(isolate("test", async { 7 }).await, Ok(7));
        let caught = isolate("test", async {
            let amounts: Vec<u32> = Vec::new();
            amounts[3]
        })
        .await;
        assert!(
            caught
                .as_ref()
                .is_err_and(|m| m.contains("index out of bounds")),
            "{caught:?}"
        );
        let formatted = isolate("test", async { panic!("bad answer {}", 9) }).await;
        assert_eq!(formatted, Err("bad answer 9".into()));
        assert_eq!(isolate_sync("test", || 7), Ok(7));
        assert_eq!(
            isolate_sync("test", || -> u32 { panic!("bad answer {}", 10) }),
            Err("bad answer 10".into())
        );
    }
}
