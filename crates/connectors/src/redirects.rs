//! Every client refuses to follow a redirect: the credential it sends would go along to the new
//! address. Each client is pointed at a loopback server that answers 301, 302, 307 or 308 with
//! a `Location` on a second server, which must never be called.

use std::time::Duration;

use dealer_core::channel::{ChannelError, SalesChannel};
use dealer_core::secret::Sensitive;
use dealer_core::supplier::{Supplier, SupplierError};

use crate::bigcommerce::BigCommerceClient;
use crate::shopify::ShopifyClient;
use crate::stub::{Scripted, Stub};
use crate::woocommerce::WooClient;
use crate::{HttpPolicy, SupplierPolicy, UsDirectClient};

const STATUSES: [u16; 4] = [301, 302, 307, 308];

fn policy() -> HttpPolicy {
    HttpPolicy {
        timeout: Duration::from_secs(5),
        max_attempts: 4,
        base_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_secs(1),
        ..HttpPolicy::default()
    }
}

fn token(text: &str) -> Sensitive<String> {
    Sensitive::new(text.to_string())
}

/// The server a redirect points at, which answers anything with 200, and one that redirects
/// every request there. The `Location` carries a query, which the error must not repeat.
async fn servers(status: u16) -> (Stub, Stub) {
    let target = Stub::handler(|_| Scripted::json(200, "{}")).await;
    let location = format!("{}/elsewhere?token=leaked", target.base_url);
    let moved =
        Stub::handler(move |_| Scripted::json(status, "").header("location", &location)).await;
    (moved, target)
}

/// The error names where the store pointed, without its query; the store was asked once and
/// the target never.
fn check(status: u16, location: &str, message: &str, moved: &Stub, target: &Stub) {
    assert_eq!(
        location,
        format!("{}/elsewhere", target.base_url),
        "{status}"
    );
    assert!(
        message.contains(&format!("redirect to {}/elsewhere;", target.base_url)),
        "{status}: {message}"
    );
    assert!(message.contains("does not follow redirects"), "{message}");
    assert!(!message.contains("leaked"), "{message}");
    assert_eq!(moved.seen().len(), 1, "{status}: a redirect is not retried");
    assert!(
        target.seen().is_empty(),
        "{status}: the redirect was followed"
    );
}

async fn channel_error(channel: &dyn SalesChannel) -> ChannelError {
    channel.test_connection().await.unwrap_err()
}

fn redirected(status: u16, error: ChannelError) -> String {
    match error {
        ChannelError::Redirected { location } => location,
        other => panic!("{status}: expected a redirect error, got {other:?}"),
    }
}

#[tokio::test]
async fn shopify_does_not_follow_redirects() {
    for status in STATUSES {
        let (moved, target) = servers(status).await;
        let client =
            ShopifyClient::with_policy(&moved.base_url, token("shpat_x"), policy()).unwrap();
        let error = channel_error(&client).await;
        let message = error.to_string();
        check(
            status,
            &redirected(status, error),
            &message,
            &moved,
            &target,
        );
    }
}

#[tokio::test]
async fn woocommerce_does_not_follow_redirects() {
    for status in STATUSES {
        let (moved, target) = servers(status).await;
        let client =
            WooClient::with_policy(&moved.base_url, token("ck_x"), token("cs_x"), policy())
                .unwrap();
        let error = channel_error(&client).await;
        let message = error.to_string();
        check(
            status,
            &redirected(status, error),
            &message,
            &moved,
            &target,
        );
    }
}

#[tokio::test]
async fn bigcommerce_does_not_follow_redirects() {
    for status in STATUSES {
        let (moved, target) = servers(status).await;
        let base = format!("{}/stores/abc123", moved.base_url);
        let client = BigCommerceClient::with_policy(&base, token("bc_x"), policy()).unwrap();
        let error = channel_error(&client).await;
        let message = error.to_string();
        check(
            status,
            &redirected(status, error),
            &message,
            &moved,
            &target,
        );
    }
}

#[tokio::test]
async fn us_direct_does_not_follow_redirects() {
    for status in STATUSES {
        let (moved, target) = servers(status).await;
        let policy = SupplierPolicy {
            http: policy(),
            requests_per_second: 1000.0,
        };
        let base = format!("{}/v1", moved.base_url);
        let client = UsDirectClient::with_policy(&base, token("usd_x"), policy).unwrap();
        let error = client.get_item("USD-HOSE-25").await.unwrap_err();
        assert!(!error.is_transient(), "{error:?}");
        let message = error.to_string();
        let SupplierError::Redirected { location } = error else {
            panic!("{status}: expected a redirect error, got {error:?}");
        };
        check(status, &location, &message, &moved, &target);
    }
}

/// A relative `Location` is named in full, so the dealer can compare it with the address in
/// Settings.
#[tokio::test]
async fn a_relative_location_is_named_in_full() {
    let moved = Stub::scripted(vec![Scripted::json(301, "").header("location", "/new-home")]).await;
    let client = WooClient::with_policy(&moved.base_url, token("k"), token("s"), policy()).unwrap();
    let location = redirected(301, channel_error(&client).await);
    assert_eq!(location, format!("{}/new-home", moved.base_url));
}
