//! The supplier boundary: what the engine asks of US Direct (docs/supplier-api.yaml), whatever
//! the wire. The HTTP client lives in `dealer-connectors`; the sandbox supplier in
//! `dealer-sandbox` speaks the same contract on loopback.
//!
//! Every state-changing call carries the caller's idempotency key (the outbox job's), so a
//! retry after a timeout, a dropped connection or a crash never acts twice at the supplier.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Environment;

/// The ship-to sent with a supplier order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipTo {
    pub first_name: String,
    pub last_name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state_code: String,
    pub postal: String,
    pub country_code: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One line of a supplier order: a US Direct SKU (after the dealer's SKU map) and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierLine {
    pub sku: String,
    pub quantity: u32,
}

/// `createOrder`'s request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierOrderRequest {
    /// The dealer's order number, as the store shows it.
    pub order_number: String,
    pub ship_to: ShipTo,
    /// One line per SKU.
    pub lines: Vec<SupplierLine>,
}

/// An invoice's payment status at US Direct. Stored as its snake_case name
/// (`orders.payment_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
#[sqlx(rename_all = "snake_case")]
pub enum PaymentStatus {
    NotAuthorized,
    Authorized,
    Paid,
    Declined,
}

/// Amounts are minor units of `currency` (US Direct invoices in USD).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: String,
    pub currency: String,
    pub product_cost_minor: i64,
    pub shipping_cost_minor: i64,
    pub total_cost_minor: i64,
    pub payment_status: PaymentStatus,
}

/// `createOrder`'s answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedOrder {
    pub id: String,
    pub order_number: String,
    pub invoice: Invoice,
    pub created_at: DateTime<Utc>,
}

/// A supplier order's status, as the contract names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SupplierOrderStatus {
    Open,
    OnHold,
    Processing,
    PartiallyShipped,
    Shipped,
    Canceled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierShipment {
    pub id: String,
    pub tracking_number: String,
    pub carrier: String,
    pub method: String,
    pub tracking_url: String,
    pub shipped_at: DateTime<Utc>,
    pub lines: Vec<SupplierLine>,
}

/// The full current state of one supplier order (`getOrder`, `cancelOrder`, an entry of
/// `listChanges`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierOrder {
    pub id: String,
    pub order_number: String,
    pub status: SupplierOrderStatus,
    pub hold_reason: Option<String>,
    pub invoice: Invoice,
    pub shipments: Vec<SupplierShipment>,
    pub updated_at: DateTime<Utc>,
}

/// A page of `listChanges`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangesPage {
    pub changes: Vec<SupplierOrder>,
    /// Entries of the page that could not be read (a negative or foreign invoice, say): each
    /// costs its own order's change, never the page.
    pub unreadable: Vec<UnreadableChange>,
    pub next_cursor: String,
    pub has_more: bool,
}

/// An entry of US Direct's change log the client could not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableChange {
    /// US Direct's order id, when the entry gave one.
    pub order_id: Option<String>,
    pub reason: String,
}

/// `authorizePayment`'s answer. A decline is an outcome, not an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorization {
    Authorized { at: DateTime<Utc> },
    Declined { reason: String, at: DateTime<Utc> },
}

/// A catalog item (`getItem`), for the SKU map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupplierItem {
    pub sku: String,
    pub title: String,
    pub weight_grams: u32,
    pub available: u32,
}

/// Why a supplier call failed. `Refused` and `Conflict` are final answers about this request;
/// `Unavailable` and `RateLimited` are worth retrying with the same idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupplierError {
    /// A business rule refused it (422): `unknown_sku`, `address_not_serviceable`, …
    #[error("US Direct refused it: {message} ({code})")]
    Refused {
        code: String,
        message: String,
        field: Option<String>,
    },
    /// 409: `already_authorized`, `already_shipped`, `idempotency_key_reused`,
    /// `duplicate_order_number`.
    #[error("US Direct reports a conflict: {message} ({code})")]
    Conflict { code: String, message: String },
    /// 400: the request does not follow the contract (a bug on our side, or bad data).
    #[error("US Direct rejected the request as invalid: {message}")]
    Invalid {
        message: String,
        field: Option<String>,
    },
    #[error("US Direct refused the API token; check it in Settings → US Direct account")]
    Unauthorized,
    #[error("US Direct does not know {what}")]
    NotFound { what: String },
    #[error(
        "US Direct asked to wait {}; Dealer Portal does not call it before then",
        crate::holds::wait_text(*retry_after)
    )]
    RateLimited { retry_after: Duration },
    /// 5xx, a timeout or a dropped connection.
    #[error("US Direct cannot be reached right now ({detail})")]
    Unavailable {
        detail: String,
        retry_after: Option<Duration>,
    },
    #[error("US Direct sent something this version cannot read: {detail}")]
    Protocol { detail: String },
    /// A 3xx answer, never followed (the token would go along). Not transient: fixing the
    /// supplier's address lets the request through.
    #[error(
        "US Direct answered with a redirect to {location}; check the US Direct API address \
         the supplier was connected with — Dealer Portal does not follow redirects with your \
         token"
    )]
    Redirected { location: String },
}

impl SupplierError {
    /// Worth trying again later with the same idempotency key.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            SupplierError::RateLimited { .. } | SupplierError::Unavailable { .. }
        )
    }

    /// How long the supplier asked us to wait, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SupplierError::RateLimited { retry_after } => Some(*retry_after),
            SupplierError::Unavailable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

#[async_trait]
pub trait Supplier: Send + Sync {
    /// `createOrder`, with the caller's idempotency key.
    async fn create_order(
        &self,
        idempotency_key: &str,
        request: &SupplierOrderRequest,
    ) -> Result<CreatedOrder, SupplierError>;

    /// `authorizePayment` of an invoice, with the caller's idempotency key.
    async fn authorize_payment(
        &self,
        idempotency_key: &str,
        invoice_id: &str,
    ) -> Result<Authorization, SupplierError>;

    /// `listChanges` after `since` (`None`: from the oldest retained change).
    async fn list_changes(
        &self,
        since: Option<&str>,
        limit: u32,
    ) -> Result<ChangesPage, SupplierError>;

    async fn get_order(&self, order_id: &str) -> Result<SupplierOrder, SupplierError>;

    async fn cancel_order(
        &self,
        idempotency_key: &str,
        order_id: &str,
        reason: &str,
    ) -> Result<SupplierOrder, SupplierError>;

    /// `getItem`; `Ok(None)` when US Direct has no such SKU.
    async fn get_item(&self, sku: &str) -> Result<Option<SupplierItem>, SupplierError>;
}

/// The US Direct of each environment that answers now: the sandbox supplier on loopback, the
/// dealer's account for live orders. A job goes only to its own environment's.
#[derive(Clone, Default)]
pub struct Suppliers {
    sandbox: Option<std::sync::Arc<dyn Supplier>>,
    live: Option<std::sync::Arc<dyn Supplier>>,
}

impl Suppliers {
    /// `supplier` serves `environment`'s jobs.
    pub fn with(
        mut self,
        environment: Environment,
        supplier: std::sync::Arc<dyn Supplier>,
    ) -> Self {
        match environment {
            Environment::Sandbox => self.sandbox = Some(supplier),
            Environment::Live => self.live = Some(supplier),
        }
        self
    }

    /// `environment`'s US Direct, when it is reachable.
    pub fn get(&self, environment: Environment) -> Option<&dyn Supplier> {
        match environment {
            Environment::Sandbox => self.sandbox.as_deref(),
            Environment::Live => self.live.as_deref(),
        }
    }

    /// The environments whose jobs can run now.
    pub fn reach(&self) -> crate::outbox::Reach {
        crate::outbox::Reach {
            sandbox: self.sandbox.is_some(),
            live: self.live.is_some(),
        }
    }

    /// Each reachable environment with its US Direct.
    pub fn each(&self) -> impl Iterator<Item = (Environment, &dyn Supplier)> {
        Environment::ALL
            .into_iter()
            .filter_map(|environment| self.get(environment).map(|s| (environment, s)))
    }
}
