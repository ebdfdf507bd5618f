//! What one running store shares between its request handlers and its `SandboxStore` handles:
//! the order book (saved after each change when a state dir is set), the fault injector, the
//! counters and each format's rate-limit state.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::bigcommerce::RateWindow;
use crate::book::OrderBook;
use crate::error::SandboxError;
use crate::faults::{Fault, FaultInjector, Faults};
use crate::hostile::{HostileState, Hostility};
use crate::model::{OrderEdit, PlaceOrder, SandboxOrder, StoreKind};
use crate::persist;
use crate::random_orders::{mixed_orders, random_orders};
use crate::shopify::{CostBucket, ShopifyBucket};
use crate::stats::StatsCounters;

pub(crate) struct StoreState {
    pub kind: StoreKind,
    /// `http://127.0.0.1:PORT`, for links the formats put in their answers.
    pub origin: String,
    pub stats: StatsCounters,
    pub cost_bucket: Mutex<CostBucket>,
    pub rate_window: Mutex<RateWindow>,
    /// WooCommerce: the Shipment Tracking extension is installed (its routes answer).
    shipment_tracking: AtomicBool,
    /// Writes still to apply and then answer with a dropped connection, as when the client
    /// dies (or the network fails) after the store did the work.
    answers_to_lose: AtomicU32,
    book: Mutex<OrderBook>,
    /// Bumped at every change of the book (under its lock).
    generation: AtomicU64,
    /// The last list query's orders in its order, until the book changes.
    listed: Mutex<Option<Listed>>,
    state_file: Option<PathBuf>,
    faults: Mutex<FaultInjector>,
    hostile: Mutex<HostileState>,
    /// Hostile numbers in the order JSON (`crate::poison`).
    poison: Mutex<Option<crate::poison::Poison>>,
}

/// The ids a list query matched, in the query's order, as of one generation of the book. A
/// client reading 10,000 orders a page of 100 at a time asks for the same list 100 times;
/// filtering and ordering the whole book for each page made the sandbox, which shares the
/// bench's cores with the app it serves, cost more than the app reading the pages.
struct Listed {
    generation: u64,
    query: String,
    ids: Arc<Vec<u64>>,
}

/// Locks a mutex, recovering from poisoning: a panicked handler leaves the book consistent
/// (every change is applied in one step), so the store keeps serving.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl StoreState {
    pub(crate) fn new(
        book: OrderBook,
        origin: String,
        state_file: Option<PathBuf>,
        faults: Faults,
        bucket: ShopifyBucket,
    ) -> Self {
        Self {
            kind: book.kind(),
            origin,
            stats: StatsCounters::default(),
            cost_bucket: Mutex::new(CostBucket::new(bucket)),
            rate_window: Mutex::new(RateWindow::default()),
            shipment_tracking: AtomicBool::new(true),
            answers_to_lose: AtomicU32::new(0),
            book: Mutex::new(book),
            generation: AtomicU64::new(0),
            listed: Mutex::new(None),
            state_file,
            faults: Mutex::new(FaultInjector::new(faults)),
            hostile: Mutex::new(HostileState::default()),
            poison: Mutex::new(None),
        }
    }

    pub(crate) fn poison(&self) -> Option<crate::poison::Poison> {
        *lock(&self.poison)
    }

    pub(crate) fn set_poison(&self, poison: Option<crate::poison::Poison>) {
        *lock(&self.poison) = poison;
    }

    /// Reads the book under its lock; keep `read` short, handlers wait on it.
    pub(crate) fn read<T>(&self, read: impl FnOnce(&OrderBook) -> T) -> T {
        read(&lock(&self.book))
    }

    /// Reads the book with the ids of the orders a list query matches, in its order: `list`
    /// makes them, unless the same `query` (everything but the page) was listed since the book
    /// last changed.
    pub(crate) fn read_listed<T>(
        &self,
        query: String,
        list: impl FnOnce(&OrderBook) -> Vec<u64>,
        read: impl FnOnce(&OrderBook, &[u64]) -> T,
    ) -> T {
        let book = lock(&self.book);
        let generation = self.generation.load(Ordering::SeqCst);
        let cached = lock(&self.listed)
            .as_ref()
            .filter(|listed| listed.generation == generation && listed.query == query)
            .map(|listed| Arc::clone(&listed.ids));
        let ids = cached.unwrap_or_else(|| {
            let ids = Arc::new(list(&book));
            *lock(&self.listed) = Some(Listed {
                generation,
                query,
                ids: Arc::clone(&ids),
            });
            ids
        });
        read(&book, &ids)
    }

    pub(crate) fn place(&self, order: PlaceOrder) -> SandboxOrder {
        self.write(|book| book.place(order))
    }

    pub(crate) fn place_with(
        &self,
        order: PlaceOrder,
        payment: crate::model::SandboxPayment,
    ) -> SandboxOrder {
        self.write(|book| book.place_with(order, payment))
    }

    pub(crate) fn set_payment(
        &self,
        id: u64,
        payment: crate::model::SandboxPayment,
    ) -> Result<SandboxOrder, SandboxError> {
        self.write(|book| book.set_payment(id, payment))
    }

    pub(crate) fn place_random(&self, count: usize, seed: u64) -> Vec<SandboxOrder> {
        let orders = random_orders(count, seed);
        self.write(|book| orders.into_iter().map(|order| book.place(order)).collect())
    }

    pub(crate) fn place_mixed(&self, count: usize, seed: u64) -> Vec<SandboxOrder> {
        let orders = mixed_orders(count, seed);
        self.write(|book| orders.into_iter().map(|order| book.place(order)).collect())
    }

    pub(crate) fn spread_times(&self, period: chrono::TimeDelta, ago: chrono::TimeDelta) {
        self.write(|book| book.spread_times(period, ago));
    }

    pub(crate) fn edit(&self, id: u64, edit: OrderEdit) -> Result<SandboxOrder, SandboxError> {
        self.write(|book| book.edit(id, edit))
    }

    pub(crate) fn cancel(&self, id: u64) -> Result<SandboxOrder, SandboxError> {
        self.write(|book| book.cancel(id))
    }

    /// A cancel asked through the store's API, keeping `note`. The route counts the request
    /// ([`StoreState::count_api_cancel`]) whether or not the order was open.
    pub(crate) fn cancel_through_api(
        &self,
        id: u64,
        note: String,
    ) -> Result<SandboxOrder, SandboxError> {
        self.write(|book| book.cancel_with_note(id, note))
    }

    /// One more cancel write received through the API (`Stats::api_cancels`).
    pub(crate) fn count_api_cancel(&self) {
        crate::stats::StatsCounters::bump(&self.stats.api_cancels);
    }

    pub(crate) fn fulfill(
        &self,
        id: u64,
        new: crate::model::NewFulfillment,
    ) -> Result<(SandboxOrder, crate::model::SandboxFulfillment), SandboxError> {
        self.write(|book| book.fulfill(id, new))
    }

    pub(crate) fn fulfill_with(
        &self,
        id: u64,
        new: crate::model::NewFulfillment,
        details: BTreeMap<String, String>,
    ) -> Result<(SandboxOrder, crate::model::SandboxFulfillment), SandboxError> {
        self.write(|book| book.fulfill_with(id, new, details))
    }

    pub(crate) fn fulfill_remaining(
        &self,
        id: u64,
        new: crate::model::NewFulfillment,
        details: BTreeMap<String, String>,
    ) -> Result<(SandboxOrder, crate::model::SandboxFulfillment), SandboxError> {
        self.write(|book| book.fulfill_remaining(id, new, details))
    }

    pub(crate) fn add_note(
        &self,
        id: u64,
        note: String,
        customer_note: bool,
    ) -> Result<(SandboxOrder, crate::model::SandboxNote), SandboxError> {
        self.write(|book| book.add_note(id, note, customer_note))
    }

    pub(crate) fn complete(&self, id: u64) -> Result<SandboxOrder, SandboxError> {
        self.write(|book| book.complete(id))
    }

    pub(crate) fn make_malformed(&self, id: u64) -> Result<SandboxOrder, SandboxError> {
        self.write(|book| book.make_malformed(id))
    }

    /// Changes the book and saves it before anyone else can change it, so the file never goes
    /// back in time. A failed save is logged, not returned: the change is live either way and
    /// the start-up save already proved the directory writable.
    fn write<T>(&self, change: impl FnOnce(&mut OrderBook) -> T) -> T {
        let mut book = lock(&self.book);
        let changed = change(&mut book);
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Err(error) = self.save(&book) {
            tracing::warn!(%error, "could not save the sandbox store");
        }
        changed
    }

    /// Writes the state file, if this store has one.
    pub(crate) fn save_now(&self) -> Result<(), SandboxError> {
        self.save(&lock(&self.book))
    }

    fn save(&self, book: &OrderBook) -> Result<(), SandboxError> {
        match &self.state_file {
            Some(path) => persist::save(path, self.kind, book.iter()),
            None => Ok(()),
        }
    }

    pub(crate) fn shipment_tracking(&self) -> bool {
        self.shipment_tracking.load(Ordering::SeqCst)
    }

    pub(crate) fn set_shipment_tracking(&self, installed: bool) {
        self.shipment_tracking.store(installed, Ordering::SeqCst);
    }

    pub(crate) fn lose_answers(&self, count: u32) {
        self.answers_to_lose.store(count, Ordering::SeqCst);
    }

    /// Whether the answer to the write just applied is to be lost (counts it).
    pub(crate) fn take_lost_answer(&self) -> bool {
        self.answers_to_lose
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(1)
            })
            .is_ok()
    }

    pub(crate) fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = FaultInjector::new(faults);
    }

    pub(crate) fn faults(&self) -> Faults {
        lock(&self.faults).faults().clone()
    }

    pub(crate) fn draw_fault(&self) -> (std::time::Duration, Fault) {
        lock(&self.faults).draw()
    }

    /// Sets the hostile case; its count of requests starts again.
    pub(crate) fn set_hostility(&self, case: Hostility) {
        *lock(&self.hostile) = HostileState { case, requests: 0 };
    }

    pub(crate) fn hostility(&self) -> Hostility {
        lock(&self.hostile).case
    }

    /// Counts an API request: the case, and which request this is since it was set (from 1).
    pub(crate) fn hostile_request(&self) -> (Hostility, u64) {
        let mut hostile = lock(&self.hostile);
        hostile.requests = hostile.requests.saturating_add(1);
        (hostile.case, hostile.requests)
    }
}
