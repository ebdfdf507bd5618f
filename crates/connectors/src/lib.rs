//! Sales-channel clients: Shopify (Admin GraphQL, [`shopify::API_VERSION`]), WooCommerce
//! (REST v3) and BigCommerce (Orders v2), each behind the engine's [`SalesChannel`] trait, and the US Direct supplier
//! client ([`usdirect`]) behind its `Supplier` trait, over reqwest with rustls.
//!
//! All four share one retry policy ([`HttpPolicy`], `http`): transient failures are retried
//! with backoff and jitter, rate limits are honoured, and refusals (401/403/404) are reported at
//! once in terms the dealer can act on. An order a client cannot read never fails its page: it
//! comes back as [`Fetched::Malformed`](dealer_core::channel::Fetched) with the reason.

pub mod bigcommerce;
mod connector;
mod decimal;
mod fields;
#[cfg(test)]
mod fuzz;
mod http;
mod paging;
mod profiles;
mod quarantine;
#[cfg(test)]
mod redirects;
mod regions;
pub mod shopify;
#[cfg(test)]
mod stub;
#[cfg(test)]
mod testing;
mod text;
pub mod usdirect;
pub mod woocommerce;
mod write_once;

use std::sync::Arc;

use dealer_core::channel::{Credentials, SalesChannel};
use dealer_core::domain::ChannelKind;
use dealer_core::secret::Sensitive;

pub use connector::Connector;
pub use http::{Holds, HttpPolicy, MAX_BODY_BYTES, MAX_TIMEOUTS};
pub use profiles::{platform, PlatformProfiles};
pub use usdirect::{SupplierPolicy, UsDirectClient};

/// The client for a connected store, with the default [`HttpPolicy`]. Checks the URL (HTTPS
/// except on loopback) and that the credentials are the kind the platform uses.
pub fn client_for(
    kind: ChannelKind,
    base_url: &str,
    credentials: Credentials,
) -> Result<Arc<dyn SalesChannel>, dealer_core::Error> {
    client_with_policy(kind, base_url, credentials, HttpPolicy::default())
}

/// [`client_for`] with a chosen policy (tests and benchmarks shorten the waits).
pub fn client_with_policy(
    kind: ChannelKind,
    base_url: &str,
    credentials: Credentials,
    policy: HttpPolicy,
) -> Result<Arc<dyn SalesChannel>, dealer_core::Error> {
    Ok(match (kind, credentials) {
        (ChannelKind::Shopify, Credentials::Token(token)) => Arc::new(
            shopify::ShopifyClient::with_policy(base_url, require(token, "access token")?, policy)?,
        ),
        (ChannelKind::Bigcommerce, Credentials::Token(token)) => {
            Arc::new(bigcommerce::BigCommerceClient::with_policy(
                base_url,
                require(token, "access token")?,
                policy,
            )?)
        }
        (ChannelKind::Woocommerce, Credentials::KeySecret { key, secret }) => {
            Arc::new(woocommerce::WooClient::with_policy(
                base_url,
                require(key, "consumer key")?,
                require(secret, "consumer secret")?,
                policy,
            )?)
        }
        (ChannelKind::Woocommerce, Credentials::Token(_)) => {
            return Err(invalid_credentials(
                "WooCommerce needs a consumer key and a consumer secret, not a single token",
            ))
        }
        (kind, Credentials::KeySecret { .. }) => {
            return Err(invalid_credentials(format!(
                "{} needs an access token, not a key and secret",
                kind_label(kind)
            )))
        }
    })
}

fn require(value: Sensitive<String>, what: &str) -> Result<Sensitive<String>, dealer_core::Error> {
    if value.expose().trim().is_empty() {
        return Err(invalid_credentials(format!("the {what} is empty")));
    }
    Ok(value)
}

fn kind_label(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Shopify => "Shopify",
        ChannelKind::Woocommerce => "WooCommerce",
        ChannelKind::Bigcommerce => "BigCommerce",
    }
}

fn invalid_credentials(message: impl Into<String>) -> dealer_core::Error {
    dealer_core::Error::InvalidInput {
        field: "credentials".into(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(text: &str) -> Credentials {
        Credentials::Token(Sensitive::new(text.to_string()))
    }

    fn key_secret() -> Credentials {
        Credentials::KeySecret {
            key: Sensitive::new("ck_1".to_string()),
            secret: Sensitive::new("cs_1".to_string()),
        }
    }

    #[test]
    fn credentials_must_fit_the_platform() {
        let shop = "https://acme.myshopify.com";
        assert!(client_for(ChannelKind::Shopify, shop, token("shpat_1")).is_ok());
        assert!(client_for(ChannelKind::Shopify, shop, key_secret()).is_err());
        assert!(client_for(ChannelKind::Shopify, shop, token("  ")).is_err());
        let woo = "https://shop.example.com";
        assert!(client_for(ChannelKind::Woocommerce, woo, key_secret()).is_ok());
        let err = client_for(ChannelKind::Woocommerce, woo, token("x"))
            .err()
            .expect("a token is not Woo credentials");
        assert!(err.to_string().contains("consumer key"), "{err}");
        let bc = "https://api.bigcommerce.com/stores/abc123";
        assert!(client_for(ChannelKind::Bigcommerce, bc, token("t")).is_ok());
        assert!(client_for(ChannelKind::Bigcommerce, bc, key_secret()).is_err());
    }

    #[test]
    fn urls_are_checked_and_secrets_stay_out_of_errors() {
        let err = client_for(
            ChannelKind::Shopify,
            "http://acme.myshopify.com",
            token("shpat_x"),
        )
        .err()
        .expect("plain http is refused");
        assert!(err.to_string().contains("https://"), "{err}");
        assert!(!err.to_string().contains("shpat_x"));
        assert!(client_for(ChannelKind::Shopify, "http://127.0.0.1:9", token("t")).is_ok());
        assert!(client_for(ChannelKind::Bigcommerce, "https://mystore.com", token("t")).is_err());
    }
}
