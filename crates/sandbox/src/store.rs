//! `SandboxStore`: start one store server on a loopback port and drive it from the same
//! process (place, edit, cancel orders; change faults; read counters).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::middleware::from_fn_with_state;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::book::OrderBook;
use crate::error::SandboxError;
use crate::fault_layer::inject_faults;
use crate::faults::Faults;
use crate::model::{OrderEdit, PlaceOrder, SandboxOrder, SandboxPayment, StoreKind};
use crate::shopify::ShopifyBucket;
use crate::state::{lock, StoreState};
use crate::stats::Stats;
use crate::{admin, bigcommerce, persist, server, shopify, woocommerce};

/// How to run a store. `Default` is an in-memory, well-behaved store.
#[derive(Clone, Debug, Default)]
pub struct SandboxOptions {
    /// Keep the orders in `<state_dir>/<kind>.json` across restarts.
    pub state_dir: Option<PathBuf>,
    pub faults: Faults,
    /// Shopify's cost bucket (ignored by the other formats).
    pub shopify_bucket: ShopifyBucket,
}

/// A handle on one running store server. Clones share the server; it stops on [`stop`] or
/// when the last handle is dropped.
///
/// [`stop`]: SandboxStore::stop
#[derive(Clone)]
pub struct SandboxStore {
    state: Arc<StoreState>,
    server: Arc<ServerTask>,
}

struct ServerTask {
    /// Dropping the sender (with the last handle) stops the accept loop too.
    shutdown: watch::Sender<bool>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl SandboxStore {
    /// Loads the saved orders (if `state_dir` is set) and serves on `127.0.0.1:<free port>`.
    pub async fn start(
        kind: StoreKind,
        options: SandboxOptions,
    ) -> Result<SandboxStore, SandboxError> {
        let state_file = options
            .state_dir
            .as_deref()
            .map(|dir| persist::state_file(dir, kind));
        let book = match &state_file {
            Some(path) => OrderBook::from_orders(kind, persist::load(path, kind)?),
            None => OrderBook::new(kind),
        };
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(SandboxError::Bind)?;
        let address = listener.local_addr().map_err(SandboxError::Bind)?;
        let state = Arc::new(StoreState::new(
            book,
            format!("http://{address}"),
            state_file,
            options.faults,
            options.shopify_bucket,
        ));
        // Fail now, not on the first order, if the state dir cannot be written.
        state.save_now()?;
        let (shutdown, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, router(&state), stopped));
        tracing::info!(%kind, %address, "sandbox store started");
        Ok(SandboxStore {
            state,
            server: Arc::new(ServerTask {
                shutdown,
                task: Mutex::new(Some(task)),
            }),
        })
    }

    pub fn kind(&self) -> StoreKind {
        self.state.kind
    }

    /// What a dealer would type as the store URL: `http://127.0.0.1:PORT` for Shopify and
    /// WooCommerce, `http://127.0.0.1:PORT/stores/sandbox` for BigCommerce (its API base).
    pub fn base_url(&self) -> String {
        match self.state.kind {
            StoreKind::Shopify | StoreKind::Woocommerce => self.state.origin.clone(),
            StoreKind::Bigcommerce => bigcommerce::base_url(&self.state.origin),
        }
    }

    /// The admin API (no auth, no faults): `{admin_url}/orders`, `/stats`, `/faults`, …
    pub fn admin_url(&self) -> String {
        format!("{}/_sandbox", self.state.origin)
    }

    /// Places an order as a shopper would; returns it with its id and number.
    pub fn place_order(&self, order: PlaceOrder) -> SandboxOrder {
        self.state.place(order)
    }

    /// Places an order whose payment is `payment`: unpaid, or flagged by the store's fraud
    /// checks, as each platform shows it.
    pub fn place_order_with_payment(
        &self,
        order: PlaceOrder,
        payment: SandboxPayment,
    ) -> SandboxOrder {
        self.state.place_with(order, payment)
    }

    /// The payment of an order changes: the shopper paid (or the store cleared the risk).
    pub fn set_payment(
        &self,
        id: u64,
        payment: SandboxPayment,
    ) -> Result<SandboxOrder, SandboxError> {
        self.state.set_payment(id, payment)
    }

    /// Places `count` random valid US orders in one go (one save), e.g. for benchmarks.
    pub fn place_random_orders(&self, count: usize, seed: u64) -> Vec<SandboxOrder> {
        self.state.place_random(count, seed)
    }

    /// Places `count` random orders of a store that sells other brands too: gift-wrap lines
    /// without a SKU, another supplier's items, digital gift cards with no shipping address.
    pub fn place_mixed_orders(&self, count: usize, seed: u64) -> Vec<SandboxOrder> {
        self.state.place_mixed(count, seed)
    }

    /// Spreads the orders' times evenly over `period`, the last change `ago` before now: a
    /// store with history (for benchmarks of an import with nothing new).
    pub fn spread_order_times(&self, period: std::time::Duration, ago: std::time::Duration) {
        let delta = |d: std::time::Duration| {
            chrono::TimeDelta::from_std(d).unwrap_or(chrono::TimeDelta::zero())
        };
        self.state.spread_times(delta(period), delta(ago));
    }

    pub fn edit_order(&self, id: u64, edit: OrderEdit) -> Result<SandboxOrder, SandboxError> {
        self.state.edit(id, edit)
    }

    pub fn cancel_order(&self, id: u64) -> Result<SandboxOrder, SandboxError> {
        self.state.cancel(id)
    }

    /// Marks the order done, as the store's owner does once it shipped (WooCommerce's
    /// `completed`).
    pub fn complete_order(&self, id: u64) -> Result<SandboxOrder, SandboxError> {
        self.state.complete(id)
    }

    /// Records a fulfillment as the store's API would (tests and the admin API use it).
    pub fn fulfill(
        &self,
        id: u64,
        new: crate::model::NewFulfillment,
    ) -> Result<crate::model::SandboxFulfillment, SandboxError> {
        self.state
            .fulfill(id, new)
            .map(|(_, fulfillment)| fulfillment)
    }

    /// WooCommerce: whether the store has the Shipment Tracking extension (on by default). Off,
    /// its `wc-shipment-tracking/v3` routes answer 404 `rest_no_route`, as on a store without it.
    pub fn set_shipment_tracking(&self, installed: bool) {
        self.state.set_shipment_tracking(installed);
    }

    /// The next `count` writes (WooCommerce shipment trackings, notes and order updates;
    /// BigCommerce shipments and order cancels; Shopify `orderCancel`) are applied, then their connection is dropped without an
    /// answer: the client cannot tell whether the write happened.
    pub fn lose_next_write_answers(&self, count: u32) {
        self.state.lose_answers(count);
    }

    /// From now on the order is served with broken fields (an unparseable total and prices;
    /// for WooCommerce and BigCommerce also a line without quantity), so a client must
    /// quarantine it. Its page stays valid JSON.
    pub fn make_malformed(&self, id: u64) -> Result<(), SandboxError> {
        self.state.make_malformed(id).map(|_| ())
    }

    /// Replaces the faults and restarts their RNG from `faults.seed`.
    pub fn set_faults(&self, faults: Faults) {
        self.state.set_faults(faults);
    }

    /// Makes the store hostile in one way (or well-behaved again with `Hostility::Off`).
    pub fn set_hostility(&self, case: crate::Hostility) {
        self.state.set_hostility(case);
    }

    pub fn faults(&self) -> Faults {
        self.state.faults()
    }

    pub fn stats(&self) -> Stats {
        self.state.stats.snapshot()
    }

    /// Every order, by id.
    pub fn orders(&self) -> Vec<SandboxOrder> {
        self.state.read(|book| book.iter().cloned().collect())
    }

    /// Stops serving and waits until the port is closed and open connections are cut.
    pub async fn stop(self) {
        self.server.shutdown.send_replace(true);
        let task = lock(&self.server.task).take();
        if let Some(task) = task {
            if let Err(error) = task.await {
                tracing::warn!(%error, "sandbox store task failed");
            }
        }
    }
}

impl std::fmt::Debug for SandboxStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxStore")
            .field("kind", &self.state.kind)
            .field("origin", &self.state.origin)
            .finish_non_exhaustive()
    }
}

fn router(state: &Arc<StoreState>) -> Router {
    let api = match state.kind {
        StoreKind::Shopify => shopify::router(),
        StoreKind::Woocommerce => woocommerce::router(),
        StoreKind::Bigcommerce => bigcommerce::router(),
    }
    .layer(from_fn_with_state(state.clone(), inject_faults));
    let api = match state.kind {
        // Outside the fault layer, so injected 429s carry the rate-limit headers too.
        StoreKind::Bigcommerce => api.layer(from_fn_with_state(
            state.clone(),
            bigcommerce::rate_limit_headers,
        )),
        StoreKind::Shopify | StoreKind::Woocommerce => api,
    };
    let mut app = Router::new().nest("/_sandbox", admin::router()).merge(api);
    if state.kind == StoreKind::Bigcommerce {
        // So `{base_url}/_sandbox` works for every kind.
        app = app.nest(
            &format!("{}/_sandbox", bigcommerce::BASE_PATH),
            admin::router(),
        );
    }
    app.with_state(state.clone())
}
