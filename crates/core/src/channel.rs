//! The sales-channel boundary: what the engine asks of a store (Shopify, WooCommerce,
//! BigCommerce), whatever its wire format. The clients live in `dealer-connectors`; the sandbox
//! stores speak the same wire formats on loopback.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::{ChannelKind, NewOrder};
use crate::secret::Sensitive;
use crate::{Error, Result};

/// An order as the store reports it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelOrder {
    pub order: NewOrder,
    /// The store has cancelled the order.
    pub cancelled: bool,
}

/// An order the client could not turn into a [`ChannelOrder`]: kept aside with the reason and a
/// short excerpt of what the store sent, so it never blocks the rest of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// The store's id for it, when even that could be read.
    pub channel_order_id: Option<String>,
    pub reason: String,
    /// At most [`EXCERPT_LIMIT`] characters of the payload.
    pub excerpt: String,
}

/// How much of a malformed payload is kept.
pub const EXCERPT_LIMIT: usize = 500;

impl Malformed {
    pub fn new(channel_order_id: Option<String>, reason: impl Into<String>, payload: &str) -> Self {
        let excerpt: String = payload.chars().take(EXCERPT_LIMIT).collect();
        Self {
            channel_order_id,
            reason: reason.into(),
            excerpt,
        }
    }
}

/// One entry of a page of orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    Order(Box<ChannelOrder>),
    Malformed(Malformed),
}

/// What to list: orders changed at or after `updated_since`, continuing from `page` (the
/// previous page's `next`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest {
    pub updated_since: DateTime<Utc>,
    pub page: Option<String>,
}

/// One page of changed orders, oldest change first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub items: Vec<Fetched>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<String>,
}

/// What a successful connection test found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConnectionCheck {
    /// The store's own name, to show the dealer they reached the right one.
    pub store_name: String,
    /// The API version the store answered with, where the platform names one (Shopify's
    /// `X-Shopify-API-Version`): the client's own, or the one Shopify served instead once the
    /// client's was retired.
    pub api_version: Option<String>,
}

/// Why a channel call failed, in terms the dealer can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelError {
    #[error("the store refused the credentials ({detail}); check the access token or API keys")]
    Unauthorized { detail: String },
    #[error(
        "the credentials lack the {scope} permission ({detail}); grant it to the app in the \
         store's admin"
    )]
    MissingScope { scope: String, detail: String },
    #[error("no store answers at this URL ({detail}); check the store URL")]
    NotFound { detail: String },
    #[error("the store cannot be reached ({detail}); check the URL and the network")]
    Unreachable { detail: String },
    #[error(
        "the store asked to wait {}; Dealer Portal does not call it before then",
        crate::holds::wait_text(*retry_after)
    )]
    RateLimited { retry_after: Duration },
    #[error("the store failed (HTTP {status}): {detail}")]
    Server { status: u16, detail: String },
    #[error("the store sent something this version cannot read: {detail}")]
    Protocol { detail: String },
    /// A 3xx answer. The clients never follow one: the token would go along to wherever it
    /// points. Not transient: the same request gets the same answer until the address changes.
    #[error(
        "the store answered with a redirect to {location}; check the store's address in \
         Settings — Dealer Portal does not follow redirects with your token"
    )]
    Redirected { location: String },
}

/// A shipment to record in the store: its tracking, and which of the order's lines it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FulfillmentRequest {
    /// The store's id for the order.
    pub channel_order_id: String,
    pub order_number: String,
    /// Normalized (no spaces, upper case).
    pub tracking_number: String,
    /// The carrier as people name it (`UPS`, `FedEx`, `USPS`, `DHL Express`, `Amazon
    /// Logistics`, `OnTrac`); each client maps it to its platform's own name.
    pub carrier: String,
    pub tracking_url: Option<String>,
    /// Store SKUs and how many of each this shipment holds.
    pub lines: Vec<FulfillmentLine>,
    /// With this shipment nothing of the order is left to ship.
    pub completes_order: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FulfillmentLine {
    pub sku: String,
    pub quantity: u32,
}

/// What the store holds for a shipment after a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedFulfillment {
    /// The store's id for the fulfillment / shipment / tracking entry.
    pub id: String,
    /// It was already there (an earlier push whose answer was lost): nothing new was written.
    pub already_there: bool,
}

/// An order to cancel in the store (the dealer cancelled it in Dealer Portal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelRequest {
    /// The store's id for the order.
    pub channel_order_id: String,
    pub order_number: String,
    /// The dealer's reason, for the store's staff note where the platform keeps one.
    pub reason: String,
}

/// What the store holds after a cancel: each client looks at the order before it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreCancel {
    /// The store cancelled the order now.
    Cancelled,
    /// It was already cancelled there (by the store itself, or by an earlier try whose answer
    /// was lost): nothing was written.
    AlreadyCancelled,
    /// The store has shipped (or closed) the order: it was not cancelled there. `status` is
    /// how the store shows it, for the dealer.
    NotCancellable { status: String },
}

#[async_trait]
pub trait SalesChannel: Send + Sync {
    fn kind(&self) -> ChannelKind;

    /// One page of orders changed since `request.updated_since`. Orders the client cannot read
    /// come back as [`Fetched::Malformed`], never as an error for the whole page.
    async fn list_orders(&self, request: &ListRequest) -> Result<Page, ChannelError>;

    /// Checks the URL, the credentials and the permissions the app needs.
    async fn test_connection(&self) -> Result<ConnectionCheck, ChannelError>;

    /// Records a shipment's tracking in the store. Looks before it writes: when the store
    /// already has a fulfillment with this tracking number for the order, it returns that one
    /// (`already_there`) and writes nothing, so a push retried after a crash never makes two.
    async fn push_fulfillment(
        &self,
        request: &FulfillmentRequest,
    ) -> Result<PushedFulfillment, ChannelError> {
        Err(ChannelError::Protocol {
            detail: format!(
                "this store's client cannot record tracking yet (order {})",
                request.order_number
            ),
        })
    }

    /// Cancels the order in the store, once. Looks before it writes: an order the store has
    /// already cancelled is [`StoreCancel::AlreadyCancelled`] (nothing written), one it has
    /// shipped is [`StoreCancel::NotCancellable`]. The write is sent once (no transport
    /// retries); when its outcome is unknown the error comes back and the outbox tries again
    /// later, looking first, so however many tries it takes the store cancels once.
    async fn cancel_order(&self, request: &CancelRequest) -> Result<StoreCancel, ChannelError> {
        Err(ChannelError::Protocol {
            detail: format!(
                "this store's client cannot cancel orders (order {})",
                request.order_number
            ),
        })
    }

    /// Pages are numbered (WooCommerce, BigCommerce): an order changed during a pass moves to
    /// the end of the list and shifts the rest back, so the engine reads the window again when
    /// that happened. Cursor-paged stores (Shopify) are not affected.
    fn numbered_pages(&self) -> bool {
        false
    }
}

/// A channel's credentials: kept in the OS keyring, never in the database or config.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// Shopify's Admin API access token, BigCommerce's `X-Auth-Token`.
    Token(Sensitive<String>),
    /// WooCommerce's consumer key and secret.
    KeySecret {
        key: Sensitive<String>,
        secret: Sensitive<String>,
    },
}

/// What the engine needs to know of a store platform before it talks to a store: the shape of
/// its store URL and of its credentials. `dealer-connectors` holds a profile per platform;
/// the engine reaches them through [`Platforms`].
pub trait Platform: Send + Sync {
    fn kind(&self) -> ChannelKind;

    /// The store URL as this platform's clients take it (no trailing slash), or what is wrong
    /// with it: [`validate_web_url`], and the platform's own rule for its address.
    fn store_url(&self, url: &str) -> Result<String>;

    /// Checks that `credentials` are the kind this platform uses and are not blank.
    fn check_credentials(&self, credentials: &Credentials) -> Result<()>;
}

/// The profile of each platform (implemented by `dealer-connectors`).
pub trait Platforms: Send + Sync {
    fn platform(&self, kind: ChannelKind) -> &dyn Platform;
}

/// Checks a web address the engine will send credentials to (a store, US Direct): HTTPS, except
/// on loopback (the sandbox and tests); no credentials, query or fragment in it. Returns it
/// without a trailing slash.
pub fn validate_web_url(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let bad = |message: String| Error::invalid("url", message);
    let (scheme, rest) = url.split_once("://").ok_or_else(|| {
        bad(format!(
            "{url:?} is not a URL; it should start with https://"
        ))
    })?;
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') || url.contains(['?', '#', ' ']) {
        return Err(bad(format!(
            "{url:?} should be just the store's address, without credentials or a query"
        )));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" if is_loopback_url(url) => {}
        "http" => {
            return Err(bad(format!(
                "{url} uses http://; a store must be reached over https:// (plain http is only \
                 accepted on this machine's loopback address)"
            )))
        }
        other => {
            return Err(bad(format!(
                "{other}:// is not a web address; use https://"
            )))
        }
    }
    Ok(url.to_string())
}

/// The URL's host is this machine's loopback address (`localhost`, `127.0.0.1`, `[::1]`): the
/// sandbox stores and the tests' stub servers, which the platforms' address rules do not bind.
pub fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or_default();
    is_loopback(host_of(authority))
}

/// Whether two addresses reach the same server: the same scheme, host and port (a default port
/// written out or left off is the same). A saved credential is only ever sent where it was
/// entered for; a path may change, the server may not.
pub fn same_origin(a: &str, b: &str) -> bool {
    origin(a) == origin(b)
}

fn origin(url: &str) -> (String, String, Option<u16>) {
    let (scheme, rest) = url.trim().split_once("://").unwrap_or(("", url));
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split('/').next().unwrap_or_default();
    let host = host_of(authority).to_ascii_lowercase();
    let after_host = match authority.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or("", |(_, after)| after),
        None => authority.split_once(':').map_or("", |(_, port)| port),
    };
    let port = after_host
        .trim_start_matches(':')
        .parse::<u16>()
        .ok()
        .or(match scheme.as_str() {
            "https" => Some(443),
            "http" => Some(80),
            _ => None,
        });
    (scheme, host, port)
}

fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_everywhere_but_loopback() {
        assert_eq!(
            validate_web_url("https://acme.myshopify.com/").unwrap(),
            "https://acme.myshopify.com"
        );
        assert!(validate_web_url("http://acme.myshopify.com").is_err());
        assert!(validate_web_url("http://127.0.0.1:8080").is_ok());
        assert!(validate_web_url("http://localhost:8080").is_ok());
        assert!(validate_web_url("http://[::1]:8080").is_ok());
        assert!(validate_web_url("http://10.0.0.5").is_err());
        assert!(validate_web_url("ftp://acme.myshopify.com").is_err());
        assert!(validate_web_url("acme.myshopify.com").is_err());
        assert!(validate_web_url("https://user:pw@acme.myshopify.com").is_err());
        assert!(validate_web_url("https://shop.example.com/?key=1").is_err());
        assert!(is_loopback_url("http://127.0.0.1:8080/stores/x"));
        assert!(!is_loopback_url("https://api.bigcommerce.com/stores/x"));
    }

    #[test]
    fn the_same_server_is_the_same_scheme_host_and_port() {
        assert!(same_origin(
            "https://api.example.com/v1",
            "https://API.example.com/v2"
        ));
        assert!(same_origin(
            "https://api.example.com",
            "https://api.example.com:443/v1"
        ));
        assert!(same_origin(
            "http://127.0.0.1:8080/v1",
            "http://127.0.0.1:8080"
        ));
        assert!(!same_origin(
            "https://api.example.com",
            "https://evil.example.com"
        ));
        assert!(!same_origin(
            "https://api.example.com",
            "http://api.example.com"
        ));
        assert!(!same_origin(
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8081"
        ));
        assert!(!same_origin("http://[::1]:8080", "http://[::1]:9090"));
    }

    #[test]
    fn malformed_keeps_a_short_excerpt() {
        let payload = "x".repeat(2000);
        let malformed = Malformed::new(Some("42".into()), "bad total", &payload);
        assert_eq!(malformed.excerpt.len(), EXCERPT_LIMIT);
    }
}
