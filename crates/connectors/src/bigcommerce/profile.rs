//! What Dealer Portal knows of BigCommerce as a platform: a store is reached at its API base
//! (`https://api.bigcommerce.com/stores/{store hash}`, not the shop's own address) with an API
//! account's access token, and shipments name their carrier by AfterShip courier slug.

use dealer_core::channel::{is_loopback_url, validate_web_url, Credentials, Platform};
use dealer_core::domain::ChannelKind;
use dealer_core::{Error, Result};

pub struct BigCommerce;

/// Every store's API, before its hash: BigCommerce serves the API on this host only.
const API_BASE: &str = "api.bigcommerce.com/stores/";

impl Platform for BigCommerce {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Bigcommerce
    }

    /// `https://api.bigcommerce.com/stores/{store hash}`; the API path BigCommerce shows with
    /// an API account (`.../stores/{hash}/v3/`) is taken too, without its version (the client
    /// adds `/v2/...`).
    fn store_url(&self, url: &str) -> Result<String> {
        let url = validate_web_url(url)?;
        if is_loopback_url(&url) {
            return Ok(url);
        }
        let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        // The host's case does not matter; the hash is kept as typed.
        let hash = rest
            .get(..API_BASE.len())
            .filter(|head| head.eq_ignore_ascii_case(API_BASE))
            .map(|_| &rest[API_BASE.len()..])
            .map(|tail| {
                tail.strip_suffix("/v3")
                    .or_else(|| tail.strip_suffix("/v2"))
                    .unwrap_or(tail)
            })
            .filter(|hash| !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_alphanumeric()));
        match hash {
            Some(hash) => Ok(format!("https://{API_BASE}{hash}")),
            None => Err(Error::invalid(
                "url",
                format!(
                    "{url} is not a BigCommerce API base; use \
                     https://api.bigcommerce.com/stores/{{store hash}}, the API path shown with \
                     your store-level API account"
                ),
            )),
        }
    }

    fn check_credentials(&self, credentials: &Credentials) -> Result<()> {
        crate::profiles::one_token(credentials)
    }
}

/// The AfterShip courier slug BigCommerce takes as `tracking_carrier`, for the carriers the
/// engine names.
pub(super) fn tracking_carrier(carrier: &str) -> Option<&'static str> {
    match carrier.trim().to_ascii_lowercase().as_str() {
        "ups" => Some("ups"),
        "fedex" => Some("fedex"),
        "usps" => Some("usps"),
        "dhl express" | "dhl" => Some("dhl"),
        "amazon logistics" | "amazon" => Some("amazon"),
        "ontrac" => Some("ontrac"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigcommerce_needs_the_api_base() {
        assert!(BigCommerce
            .store_url("https://api.bigcommerce.com/stores/abc123")
            .is_ok());
        let err = BigCommerce.store_url("https://mystore.com").unwrap_err();
        assert!(err.to_string().contains("/stores/"), "{err}");
        assert!(BigCommerce.store_url("http://127.0.0.1:9/").is_ok());
    }

    #[test]
    fn the_api_path_of_an_api_account_is_taken_without_its_version() {
        for given in [
            "https://api.bigcommerce.com/stores/abc123",
            "https://API.BigCommerce.com/stores/abc123/",
            "https://api.bigcommerce.com/stores/abc123/v3/",
            "https://api.bigcommerce.com/stores/abc123/v2",
        ] {
            assert_eq!(
                BigCommerce.store_url(given).unwrap(),
                "https://api.bigcommerce.com/stores/abc123",
                "{given}"
            );
        }
        for wrong in [
            "https://store-abc123.mybigcommerce.com",
            "https://evil.com/stores/abc123",
            "https://api.bigcommerce.com/stores/",
            "https://api.bigcommerce.com/stores/abc123/v3/orders",
            "https://api.bigcommerce.com.evil.com/stores/abc123",
            "https://api.bigcommerce.com:8443/stores/abc123",
        ] {
            let err = BigCommerce.store_url(wrong).unwrap_err().to_string();
            assert!(err.contains("not a BigCommerce API base"), "{wrong}: {err}");
        }
    }
}
