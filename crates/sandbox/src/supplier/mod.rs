//! The sandbox US Direct supplier: a loopback HTTP server that implements the supplier
//! contract (docs/supplier-api.yaml) so the app's supplier client, its tests and the Sandbox
//! mode run against the real wire without an account.
//!
//! What a client talks to: `{base_url}` = `http://127.0.0.1:PORT/v1`, with
//! `X-API-TOKEN: `[`SUPPLIER_TOKEN`](crate::SUPPLIER_TOKEN):
//! `POST /orders` (createOrder), `GET /orders/changes` (listChanges), `GET /orders/{id}`
//! (getOrder), `POST /orders/{id}/cancel` (cancelOrder), `POST /invoices/{id}/authorize`
//! (authorizePayment), `GET /items/{sku}` (getItem). The JSON is in [`wire`].
//!
//! How it behaves, as the contract says:
//! - state-changing `POST`s need an `Idempotency-Key`; a replay gets the recorded answer
//!   without acting again (see `idempotency.rs`);
//! - the rate limit per token ([`SupplierSettings::rate_limit_per_sec`], 2/s by default);
//! - an authorized order ships after [`SupplierSettings::ship_delay`] by UPS Ground with a
//!   valid `1Z` tracking number, and every status change lands in the change log
//!   (see `shipping.rs`);
//! - seeded [`Faults`] on `/v1` only: `500`/`503`/`429` before the operation runs, dropped
//!   connections after it ran (the answer is lost, the change is not), see `middleware.rs`;
//! - with a state dir, everything (orders, invoices, idempotency records, change log,
//!   settings) is saved to `<state_dir>/supplier.json` after each change, before answering.
//!
//! The admin API at `{origin}/_sandbox` (no auth, no faults) plays US Direct's staff: see
//! `admin.rs`. [`LocalSupplier`] finds the supplier another process serves for a state dir.

mod address;
mod admin;
mod answer;
mod api;
mod book;
mod idempotency;
mod local;
mod middleware;
mod order;
mod persist;
mod rate_limit;
mod rules;
mod settings;
mod shipping;
mod state;
mod stats;
mod ups;
pub mod wire;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

pub use local::{advertise_supplier, LocalSupplier};
pub use order::SupplierOrder;
pub use settings::SupplierSettings;
pub use stats::SupplierStats;
pub use ups::is_valid_ups_tracking_number;

use self::answer::Answer;
use self::book::SupplierData;
use self::state::SupplierState;
use self::wire::Order;
use crate::error::SandboxError;
use crate::faults::Faults;
use crate::server;
use crate::state::lock;

/// How often the background tick ships what is due when no request comes in.
const TICK: Duration = Duration::from_millis(100);

/// How to run the supplier. `Default` is an in-memory, well-behaved supplier that ships 20 s
/// after authorization and allows 2 requests per second.
///
/// `ship_delay`, `rate_limit_per_sec` and `split_shipments` seed the [`SupplierSettings`] of
/// a new state; a state loaded from `state_dir` keeps its own saved settings (change them
/// with [`SandboxSupplier::set_settings`]).
#[derive(Clone, Debug)]
pub struct SupplierOptions {
    /// Keep everything in `<state_dir>/supplier.json` across restarts.
    pub state_dir: Option<PathBuf>,
    pub faults: Faults,
    pub ship_delay: Duration,
    /// Requests per second per token; `0` turns the limit off.
    pub rate_limit_per_sec: f64,
    pub split_shipments: bool,
}

impl Default for SupplierOptions {
    fn default() -> Self {
        let settings = SupplierSettings::default();
        Self {
            state_dir: None,
            faults: Faults::default(),
            ship_delay: settings.ship_delay,
            rate_limit_per_sec: settings.rate_limit_per_sec,
            split_shipments: settings.split_shipments,
        }
    }
}

/// A handle on the running supplier. Clones share the server; it stops on [`stop`] or when
/// the last handle is dropped.
///
/// [`stop`]: SandboxSupplier::stop
#[derive(Clone)]
pub struct SandboxSupplier {
    state: Arc<SupplierState>,
    tasks: Arc<Tasks>,
}

struct Tasks {
    /// Dropping the sender (with the last handle) stops the server and the tick too.
    shutdown: watch::Sender<bool>,
    handles: Mutex<Vec<JoinHandle<()>>>,
}

impl SandboxSupplier {
    /// Loads the saved state (if `state_dir` is set) and serves on `127.0.0.1:<free port>`.
    pub async fn start(options: SupplierOptions) -> Result<SandboxSupplier, SandboxError> {
        let state_file = options.state_dir.as_deref().map(persist::state_file);
        let saved = match &state_file {
            Some(path) => persist::load(path)?,
            None => None,
        };
        let data = saved.unwrap_or_else(|| SupplierData {
            settings: SupplierSettings {
                ship_delay: options.ship_delay,
                decline_reason: None,
                split_shipments: options.split_shipments,
                rate_limit_per_sec: options.rate_limit_per_sec,
                answer_delay: std::time::Duration::ZERO,
                stock: Default::default(),
                shipping_adjustment_minor: Default::default(),
            },
            ..SupplierData::default()
        });
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(SandboxError::Bind)?;
        let address = listener.local_addr().map_err(SandboxError::Bind)?;
        let state = Arc::new(SupplierState::new(
            data,
            format!("http://{address}"),
            state_file,
            options.faults,
        ));
        // Fail now, not on the first order, if the state dir cannot be written.
        state.save_now()?;
        let (shutdown, stopped) = watch::channel(false);
        let server = tokio::spawn(server::serve(listener, router(&state), stopped.clone()));
        let ticker = tokio::spawn(tick(state.clone(), stopped));
        tracing::info!(%address, "sandbox supplier started");
        Ok(SandboxSupplier {
            state,
            tasks: Arc::new(Tasks {
                shutdown,
                handles: Mutex::new(vec![server, ticker]),
            }),
        })
    }

    /// Accepts `token` instead of the sandbox's own from now on: a supplier started on its own
    /// (`dealer sandbox serve --supplier-token`) plays a dealer's real account, whose token is
    /// a secret the tests look for on disk.
    pub fn set_token(&self, token: &str) {
        self.state.set_token(token);
    }

    /// The contract's base URL: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.state.origin)
    }

    /// The admin API (no auth, no faults): `http://127.0.0.1:PORT/_sandbox`.
    pub fn admin_url(&self) -> String {
        format!("{}/_sandbox", self.state.origin)
    }

    /// Every order, oldest first, with its counters.
    pub fn orders(&self) -> Vec<SupplierOrder> {
        self.state.with_book(|book, _| book.summaries())
    }

    pub fn order(&self, id: &str) -> Option<SupplierOrder> {
        self.state.with_book(|book, _| book.summary(id))
    }

    pub fn stats(&self) -> SupplierStats {
        self.state.stats()
    }

    pub fn faults(&self) -> Faults {
        self.state.faults()
    }

    /// Replaces the faults and restarts their RNG from `faults.seed`.
    pub fn set_faults(&self, faults: Faults) {
        self.state.set_faults(faults);
    }

    pub fn settings(&self) -> SupplierSettings {
        self.state.settings()
    }

    /// Replaces the settings (saved with the state).
    pub fn set_settings(&self, settings: SupplierSettings) {
        self.state.set_settings(settings);
    }

    /// Puts an unshipped order `On Hold` with `reason`, as US Direct's staff would.
    pub fn hold_order(&self, id: &str, reason: &str) -> Result<Order, SandboxError> {
        self.state
            .with_book(|book, now| book.hold(id, reason.to_owned(), now))
    }

    /// Releases a held order; if authorized, its ship delay starts again.
    pub fn release_order(&self, id: &str) -> Result<Order, SandboxError> {
        self.state.with_book(|book, now| book.release(id, now))
    }

    /// Ships what is left of an authorized order now.
    pub fn ship_order(&self, id: &str) -> Result<Order, SandboxError> {
        self.state.with_book(|book, now| book.ship_now(id, now))
    }

    /// Stops serving and waits until the port is closed and open connections are cut.
    pub async fn stop(self) {
        self.tasks.shutdown.send_replace(true);
        let handles = std::mem::take(&mut *lock(&self.tasks.handles));
        for handle in handles {
            if let Err(error) = handle.await {
                tracing::warn!(%error, "sandbox supplier task failed");
            }
        }
    }
}

impl std::fmt::Debug for SandboxSupplier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxSupplier")
            .field("origin", &self.state.origin)
            .finish_non_exhaustive()
    }
}

async fn tick(state: Arc<SupplierState>, mut shutdown: watch::Receiver<bool>) {
    let mut interval = tokio::time::interval(TICK);
    interval.set_missed_tick_behavior(MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => break,
            _ = interval.tick() => state.tick(),
        }
    }
}

fn router(state: &Arc<SupplierState>) -> Router {
    // The last layer added runs first: rate limit, then faults, then the token check.
    let api = api::router()
        .layer(from_fn_with_state(state.clone(), middleware::require_token))
        .layer(from_fn_with_state(state.clone(), middleware::inject_faults))
        .layer(from_fn_with_state(state.clone(), middleware::rate_limit));
    Router::new()
        .nest("/_sandbox", admin::router())
        .nest("/v1", api)
        .fallback(not_found)
        .with_state(state.clone())
}

async fn not_found() -> Response {
    Answer::not_found("No such resource; the API is under /v1.").into_response()
}
