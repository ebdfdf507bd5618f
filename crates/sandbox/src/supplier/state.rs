//! What the running supplier shares between its request handlers, its background tick and its
//! `SandboxSupplier` handles: the books (saved after each change, before the answer goes out),
//! the fault injector, the rate limiter and the counters.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::answer::Answer;
use super::book::{SupplierBook, SupplierData};
use super::idempotency::Fingerprint;
use super::persist;
use super::rate_limit::{RateLimiter, Verdict};
use super::settings::SupplierSettings;
use super::stats::SupplierStats;
use crate::error::SandboxError;
use crate::faults::{Fault, FaultInjector, Faults};
use crate::state::lock;

pub(crate) struct SupplierState {
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
    book: Mutex<SupplierBook>,
    state_file: Option<PathBuf>,
    faults: Mutex<FaultInjector>,
    limiter: Mutex<RateLimiter>,
    stats: Mutex<SupplierStats>,
    /// The one API token it accepts (the sandbox's own unless told otherwise).
    token: Mutex<String>,
    /// Hostile invoices and shipments in the answers (`crate::poison`).
    poison: Mutex<Option<crate::poison::Poison>>,
}

/// Now, to the millisecond (the precision of the times the supplier prints).
fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

impl SupplierState {
    pub(crate) fn new(
        data: SupplierData,
        origin: String,
        state_file: Option<PathBuf>,
        faults: Faults,
    ) -> Self {
        let limiter = RateLimiter::new(data.settings.rate_limit_per_sec);
        Self {
            origin,
            book: Mutex::new(SupplierBook::new(data)),
            state_file,
            faults: Mutex::new(FaultInjector::new(faults)),
            limiter: Mutex::new(limiter),
            stats: Mutex::new(SupplierStats::default()),
            token: Mutex::new(crate::SUPPLIER_TOKEN.to_string()),
            poison: Mutex::new(None),
        }
    }

    pub(crate) fn poison(&self) -> Option<crate::poison::Poison> {
        *lock(&self.poison)
    }

    pub(crate) fn set_poison(&self, poison: Option<crate::poison::Poison>) {
        *lock(&self.poison) = poison;
    }

    /// Whether `token` is the one this supplier accepts.
    pub(crate) fn accepts(&self, token: &str) -> bool {
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) == token
    }

    pub(crate) fn set_token(&self, token: &str) {
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) = token.to_string();
    }

    /// Runs `work` on the books, caught up with the clock first (orders due to ship have
    /// shipped), and saves them if anything changed before returning, i.e. before any answer
    /// built from the result is sent. Keep `work` short: every request waits on this lock.
    pub(crate) fn with_book<T>(
        &self,
        work: impl FnOnce(&mut SupplierBook, DateTime<Utc>) -> T,
    ) -> T {
        let mut book = lock(&self.book);
        let now = now();
        book.advance(now);
        let result = work(&mut book, now);
        if book.take_dirty() {
            // A failed save is logged, not answered: the change is live either way and the
            // start-up save already proved the directory writable.
            if let Err(error) = self.save(&book) {
                tracing::warn!(%error, "could not save the sandbox supplier");
            }
        }
        result
    }

    /// A state-changing request under `key`: the recorded answer if `request` was seen under
    /// it, `409` if another request was, else `act`'s answer, recorded and saved together with
    /// what `act` changed.
    pub(crate) fn idempotent(
        &self,
        key: String,
        request: Fingerprint,
        act: impl FnOnce(&mut SupplierBook, DateTime<Utc>) -> Answer,
    ) -> Answer {
        self.with_book(|book, now| {
            if let Some(record) = book.recorded(&key) {
                let answer = record.replay(&request);
                self.count(|stats| {
                    if answer.replayed {
                        stats.replays += 1;
                    } else {
                        stats.key_reuses += 1;
                    }
                });
                return answer;
            }
            let answer = act(book, now);
            book.record(key, request, &answer, now);
            answer
        })
    }

    /// Ships what is due; the background tick's work.
    pub(crate) fn tick(&self) {
        self.with_book(|_, _| ());
    }

    pub(crate) fn save_now(&self) -> Result<(), SandboxError> {
        self.save(&lock(&self.book))
    }

    fn save(&self, book: &SupplierBook) -> Result<(), SandboxError> {
        match &self.state_file {
            Some(path) => persist::save(path, book.data()),
            None => Ok(()),
        }
    }

    pub(crate) fn count(&self, bump: impl FnOnce(&mut SupplierStats)) {
        bump(&mut lock(&self.stats));
    }

    pub(crate) fn stats(&self) -> SupplierStats {
        lock(&self.stats).clone()
    }

    pub(crate) fn settings(&self) -> SupplierSettings {
        lock(&self.book).settings().clone()
    }

    pub(crate) fn set_settings(&self, settings: SupplierSettings) {
        lock(&self.limiter).set_rate(settings.rate_limit_per_sec);
        self.with_book(|book, _| book.set_settings(settings));
    }

    pub(crate) fn check_rate(&self, token: &str) -> Verdict {
        lock(&self.limiter).check(token, Instant::now())
    }

    pub(crate) fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = FaultInjector::new(faults);
    }

    pub(crate) fn faults(&self) -> Faults {
        lock(&self.faults).faults().clone()
    }

    pub(crate) fn draw_fault(&self) -> (Duration, Fault) {
        lock(&self.faults).draw()
    }
}
