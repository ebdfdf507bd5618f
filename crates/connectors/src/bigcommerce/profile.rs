//! What Dealer Portal knows of BigCommerce as a platform: a store is reached at its API base
//! (`https://api.bigcommerce.com/stores/{store hash}`, not the shop's own address) with an API
//! account's access token, and shipments name their carrier by AfterShip courier slug.

use dealer_core::channel::{is_loopback_url, validate_web_url, Credentials, Platform};
use dealer_core::domain::ChannelKind;
use dealer_core::{Error, Result};

pub struct BigCommerce;

impl Platform for BigCommerce {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Bigcommerce
    }

    fn store_url(&self, url: &str) -> Result<String> {
        let url = validate_web_url(url)?;
        let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        if !is_loopback_url(&url) && !rest.contains("/stores/") {
            return Err(Error::invalid(
                "url",
                format!(
                    "{url} is not a BigCommerce API base; use \
                     https://api.bigcommerce.com/stores/{{store hash}}"
                ),
            ));
        }
        Ok(url)
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
}
