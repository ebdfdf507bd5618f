//! The three store clients against the real sandbox stores (`dealer-sandbox`), which speak the
//! same wire formats on loopback: paging, edits, cancellations, quarantines, the connection
//! test, rate limits, Shopify's cost bucket, and injected faults; and the US Direct client
//! against the sandbox supplier (`supplier`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod channels;
mod connection;
mod engine;
mod faults;
mod lifecycle;
mod listing;
mod mixed;
mod payment_hold;
mod shopify;
mod shopify_fulfillment;
mod statement;
mod stock;
mod store_cancel;
mod store_fulfillment;
mod supplier;
mod us_direct_account;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use dealer_connectors::usdirect::SupplierPolicy;
use dealer_connectors::{client_with_policy, Connector, HttpPolicy, PlatformProfiles};
use dealer_core::channel::{
    ChannelOrder, Credentials, Fetched, ListRequest, Malformed, SalesChannel,
};
use dealer_core::domain::ChannelKind;
use dealer_core::keys::{MemoryKeyring, Unlock};
use dealer_core::secret::Sensitive;
use dealer_core::{Engine, OpenRequest};
use dealer_sandbox::{
    Faults, SandboxOptions, SandboxOrder, SandboxPayment, SandboxStore, SandboxSupplier,
    ShopifyBucket, StoreKind, BIGCOMMERCE_TOKEN, CATALOG, SHOPIFY_TOKEN, SUPPLIER_TOKEN,
    WOO_CONSUMER_KEY, WOO_CONSUMER_SECRET,
};

/// A bucket that refills fast, for tests about something other than pacing.
pub fn fast_bucket() -> ShopifyBucket {
    ShopifyBucket {
        maximum_available: 1000.0,
        restore_rate: 10_000.0,
    }
}

pub async fn start(kind: StoreKind, faults: Faults, bucket: ShopifyBucket) -> SandboxStore {
    SandboxStore::start(
        kind,
        SandboxOptions {
            state_dir: None,
            faults,
            shopify_bucket: bucket,
        },
    )
    .await
    .unwrap()
}

pub fn channel_kind(kind: StoreKind) -> ChannelKind {
    match kind {
        StoreKind::Shopify => ChannelKind::Shopify,
        StoreKind::Woocommerce => ChannelKind::Woocommerce,
        StoreKind::Bigcommerce => ChannelKind::Bigcommerce,
    }
}

pub fn credentials(kind: StoreKind) -> Credentials {
    let secret = |text: &str| Sensitive::new(text.to_string());
    match kind {
        StoreKind::Shopify => Credentials::Token(secret(SHOPIFY_TOKEN)),
        StoreKind::Woocommerce => Credentials::KeySecret {
            key: secret(WOO_CONSUMER_KEY),
            secret: secret(WOO_CONSUMER_SECRET),
        },
        StoreKind::Bigcommerce => Credentials::Token(secret(BIGCOMMERCE_TOKEN)),
    }
}

/// A dealer's store as the app opens one (in `dir`, its key in a memory keyring), with `store`
/// added as the channel `name`, the sandbox US Direct connected as the live account, and every
/// catalog SKU mapped to itself: where the tests of the whole chain over loopback start.
pub async fn dealer_store(
    dir: &Path,
    name: &str,
    store: &SandboxStore,
    supplier: &SandboxSupplier,
) -> Engine {
    let engine = Engine::open_with_keyring(
        OpenRequest {
            data_dir: dir.to_path_buf(),
            unlock: Unlock::default(),
        },
        Arc::new(MemoryKeyring::default()),
    )
    .await
    .unwrap();
    let kind = store.kind();
    engine
        .add_channel(
            &PlatformProfiles,
            channel_kind(kind),
            name,
            &store.base_url(),
            &credentials(kind),
        )
        .await
        .unwrap();
    engine
        .connect_supplier(
            &supplier.base_url(),
            &Sensitive::new(SUPPLIER_TOKEN.to_string()),
        )
        .await
        .unwrap();
    let skus: Vec<&str> = CATALOG.iter().map(|item| item.sku).collect();
    engine.store().map_skus_to_themselves(&skus).await.unwrap();
    engine
}

/// The connectors of `engine` with quick retries (up to `max_backoff` apart) and US Direct
/// paced at `requests_per_second`.
pub fn quick_connector(
    engine: &Engine,
    max_backoff: Duration,
    requests_per_second: f64,
) -> Connector {
    let http = HttpPolicy {
        base_backoff: Duration::from_millis(5),
        max_backoff,
        ..HttpPolicy::default()
    };
    Connector::new(engine, "unused")
        .with_policy(http.clone())
        .with_supplier_policy(SupplierPolicy {
            http,
            requests_per_second,
        })
}

/// The default policy with short backoffs (Retry-After is still honoured in full).
pub fn policy() -> HttpPolicy {
    HttpPolicy {
        timeout: Duration::from_secs(10),
        max_attempts: 8,
        base_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_secs(5),
        ..HttpPolicy::default()
    }
}

pub fn client(store: &SandboxStore) -> Arc<dyn SalesChannel> {
    let kind = store.kind();
    client_with_policy(
        channel_kind(kind),
        &store.base_url(),
        credentials(kind),
        policy(),
    )
    .unwrap()
}

/// Long before any sandbox order.
pub fn epoch() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2000-01-01T00:00:00Z")
        .unwrap()
        .to_utc()
}

/// One import pass: every page from `since`, as the engine walks them.
#[derive(Debug, Default)]
pub struct Pass {
    pub orders: BTreeMap<String, ChannelOrder>,
    pub malformed: Vec<Malformed>,
    pub pages: usize,
}

pub async fn pass(client: &dyn SalesChannel, since: DateTime<Utc>) -> Pass {
    let mut pass = Pass::default();
    let mut request = ListRequest {
        updated_since: since,
        page: None,
    };
    loop {
        let page = client.list_orders(&request).await.unwrap();
        pass.pages += 1;
        for item in page.items {
            match item {
                Fetched::Order(order) => {
                    let id = order.order.channel_order_id.to_string();
                    assert!(
                        pass.orders.insert(id.clone(), *order).is_none(),
                        "{id} arrived twice in one pass"
                    );
                }
                Fetched::Malformed(malformed) => pass.malformed.push(malformed),
            }
        }
        match page.next {
            Some(next) => request.page = Some(next),
            None => return pass,
        }
    }
}

/// The id the client reports for a sandbox order.
pub fn channel_id(kind: StoreKind, order: &SandboxOrder) -> String {
    match kind {
        StoreKind::Shopify => format!("gid://shopify/Order/{}", order.id),
        StoreKind::Woocommerce | StoreKind::Bigcommerce => order.id.to_string(),
    }
}

/// Field by field: what the store holds is what the client read.
pub fn assert_same(kind: StoreKind, read: &ChannelOrder, held: &SandboxOrder) {
    let order = &read.order;
    let label = format!("{kind} order {}", held.id);
    assert_eq!(
        order.channel_order_id.as_str(),
        channel_id(kind, held),
        "{label}"
    );
    assert_eq!(order.number, format!("#{}", held.number), "{label}");
    assert_eq!(read.cancelled, held.is_cancelled(), "{label}");
    assert_eq!(
        order.store_payment.is_paid(),
        held.payment == SandboxPayment::Paid,
        "{label}: {:?}",
        order.store_payment
    );
    assert_eq!(
        order
            .customer_email
            .as_ref()
            .map(|e| e.as_str().to_string()),
        Some(held.email.to_lowercase()),
        "{label}"
    );
    let (ship, to) = (&order.ship_to, &held.ship_to);
    assert_eq!(
        ship.name,
        format!("{} {}", to.first_name, to.last_name),
        "{label}"
    );
    assert_eq!(ship.line1, to.address1, "{label}");
    assert_eq!(ship.line2, to.address2, "{label}");
    assert_eq!(ship.city, to.city, "{label}");
    assert_eq!(ship.state_code, to.province_code, "{label}");
    assert_eq!(ship.postal_code, to.zip, "{label}");
    assert_eq!(ship.country_code, to.country_code, "{label}");
    assert_eq!(order.lines.len(), held.lines.len(), "{label}");
    for (line, want) in order.lines.iter().zip(&held.lines) {
        assert_eq!(
            line.sku.as_ref().map(|sku| sku.as_str()),
            want.sku.as_deref(),
            "{label}"
        );
        assert_eq!(line.quantity, want.quantity, "{label}");
        assert_eq!(line.unit_price.minor, want.unit_price_minor, "{label}");
        let grams = match kind {
            // WooCommerce orders carry no weight.
            StoreKind::Woocommerce => 0,
            StoreKind::Shopify | StoreKind::Bigcommerce => want.grams,
        };
        assert_eq!(line.unit_weight_grams, grams, "{label} {}", want.title);
    }
    assert_eq!(order.shipping.minor, held.shipping_minor, "{label}");
    assert_eq!(order.tax.minor, held.tax_minor, "{label}");
    assert_eq!(order.total.minor, held.total_minor(), "{label}");
    assert_eq!(order.total.currency.as_str(), held.currency, "{label}");
    assert_eq!(order.placed_at, held.created_at.trunc_subsecs(0), "{label}");
    assert_eq!(
        order.channel_updated_at,
        held.updated_at.trunc_subsecs(0),
        "{label}"
    );
}

/// Every order of the store arrived once and reads as the store holds it.
pub fn assert_complete(kind: StoreKind, pass: &Pass, held: &[SandboxOrder]) {
    assert_eq!(pass.orders.len(), held.len(), "{kind}: orders in the pass");
    for order in held {
        let read = pass
            .orders
            .get(&channel_id(kind, order))
            .unwrap_or_else(|| panic!("{kind}: order {} is missing", order.id));
        assert_same(kind, read, order);
    }
}
