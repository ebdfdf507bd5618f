//! The connection test on each store: the store's name, or the reason it failed.

use std::time::Duration;

use dealer_connectors::shopify::API_VERSION;
use dealer_connectors::{client_with_policy, HttpPolicy};
use dealer_core::channel::{ChannelError, Credentials};
use dealer_core::secret::Sensitive;
use dealer_sandbox::{Faults, StoreKind, SHOPIFY_TOKEN_NO_ORDERS_SCOPE};

use crate::{channel_kind, client, credentials, fast_bucket, policy, start};

fn wrong_credentials(kind: StoreKind) -> Credentials {
    let secret = |text: &str| Sensitive::new(text.to_string());
    match kind {
        StoreKind::Woocommerce => Credentials::KeySecret {
            key: secret("ck_wrong"),
            secret: secret("cs_wrong"),
        },
        StoreKind::Shopify | StoreKind::Bigcommerce => Credentials::Token(secret("wrong-token")),
    }
}

#[tokio::test]
async fn each_store_names_itself_and_refuses_wrong_credentials() {
    for kind in StoreKind::ALL {
        let store = start(kind, Faults::default(), fast_bucket()).await;
        let check = client(&store).test_connection().await.unwrap();
        assert!(!check.store_name.is_empty(), "{kind}");
        // Only Shopify versions its API per request, and says which version answered.
        let version = (kind == StoreKind::Shopify).then(|| API_VERSION.to_string());
        assert_eq!(check.api_version, version, "{kind}");

        let wrong = client_with_policy(
            channel_kind(kind),
            &store.base_url(),
            wrong_credentials(kind),
            policy(),
        )
        .unwrap();
        let err = wrong.test_connection().await.unwrap_err();
        assert!(
            matches!(err, ChannelError::Unauthorized { .. }),
            "{kind}: {err:?}"
        );
        for secret in ["wrong-token", "ck_wrong", "cs_wrong"] {
            assert!(
                !err.to_string().contains(secret),
                "{kind}: a secret in {err}"
            );
        }
        // The right credentials were never needed to say so.
        assert!(!format!("{:?}", credentials(kind)).contains("sandbox"));
    }
}

#[tokio::test]
async fn a_shopify_token_without_read_orders_is_named() {
    let store = start(StoreKind::Shopify, Faults::default(), fast_bucket()).await;
    let token = Credentials::Token(Sensitive::new(SHOPIFY_TOKEN_NO_ORDERS_SCOPE.to_string()));
    let client = client_with_policy(
        channel_kind(StoreKind::Shopify),
        &store.base_url(),
        token,
        policy(),
    )
    .unwrap();
    let err = client.test_connection().await.unwrap_err();
    assert!(
        matches!(&err, ChannelError::MissingScope { scope, .. } if scope == "read_orders"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_store_that_is_gone_is_unreachable() {
    let url = {
        let store = start(StoreKind::Woocommerce, Faults::default(), fast_bucket()).await;
        let url = store.base_url();
        store.stop().await;
        url
    };
    let quick = HttpPolicy {
        max_attempts: 2,
        base_backoff: Duration::from_millis(10),
        ..policy()
    };
    let client = client_with_policy(
        channel_kind(StoreKind::Woocommerce),
        &url,
        credentials(StoreKind::Woocommerce),
        quick,
    )
    .unwrap();
    let err = client.test_connection().await.unwrap_err();
    assert!(matches!(err, ChannelError::Unreachable { .. }), "{err:?}");
}
