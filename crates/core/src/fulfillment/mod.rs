//! From an imported order to US Direct: routing (US Direct's rules checked first, then the
//! supplier order through the outbox), Authorize Order for Payment (by the dealer or the Auto
//! Authorize rules), the Resolve actions of `needs_attention`, and Retry and Cancel of jobs.
//!
//! Every step that needs the supplier writes the order's change and its outbox job in one
//! transaction; the outbox worker ([`crate::outbox`]) writes the supplier's answer and the
//! order's next status in another. Idempotency keys name the effect
//! (`<store>:create:<order>:<n>`, `<store>:authorize:<order>:<n>`), so however often a job
//! runs, US Direct acts once.

mod authorize;
mod auto_authorize;
mod cancel;
mod jobs;
mod payment_hold;
mod resolve;
pub mod routing;
mod sku_mapped;
mod stock;
mod supplier_connection;

use sqlx::SqliteConnection;

pub use authorize::{AuthorizeOutcome, AuthorizeResult};
pub(crate) use auto_authorize::apply_auto_authorize;
pub use auto_authorize::{AutoAuthorize, AutoAuthorizeStatus};
pub use cancel::{cancel_blocked, CancelOutcome, CancelResult, MAX_CANCEL_REASON};
pub(crate) use payment_hold::{hold_if_unpaid, payment_changed, update_store_payment};
pub use resolve::ShipToInput;
pub use stock::{StockCheck, STOCK_MAX_AGE};
pub use supplier_connection::{SupplierCheckOutcome, SupplierConnection};

use crate::domain::{Currency, Money};
use crate::outbox;
use crate::{Error, Result};

/// The store cancelled the order: steps not yet taken stop, and an order US Direct has is
/// cancelled there too. Never the store's own cancellation (`cancel_store_order`): the store
/// has done it already.
pub(crate) async fn cancelled_in_store(conn: &mut SqliteConnection, order_id: i64) -> Result<()> {
    outbox::stop_pending_steps(conn, order_id).await?;
    outbox::enqueue_cancel_supplier_order(conn, order_id).await
}

fn not_found(order_id: i64) -> Error {
    Error::NotFound {
        what: format!("order {order_id}"),
    }
}

/// An amount for a timeline note ("12.34 USD").
pub(crate) fn money_text(minor: i64, currency: &str) -> String {
    match Currency::parse(currency) {
        Ok(currency) => Money::new(minor, currency).to_string(),
        Err(_) => format!("{minor} {currency} minor units"),
    }
}
