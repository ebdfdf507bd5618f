//! What Dealer Portal knows of WooCommerce as a platform: a store is the WordPress site's own
//! address, reached with a REST API consumer key and secret, and tracking names its carrier in
//! the Shipment Tracking extension's spelling.

use dealer_core::channel::{validate_web_url, Credentials, Platform};
use dealer_core::domain::ChannelKind;
use dealer_core::secret::Sensitive;
use dealer_core::{Error, Result};

pub struct WooCommerce;

impl Platform for WooCommerce {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Woocommerce
    }

    /// Any site address: WordPress runs anywhere.
    fn store_url(&self, url: &str) -> Result<String> {
        validate_web_url(url)
    }

    fn check_credentials(&self, credentials: &Credentials) -> Result<()> {
        let blank = |s: &Sensitive<String>| s.expose().trim().is_empty();
        match credentials {
            Credentials::KeySecret { key, secret } if blank(key) || blank(secret) => {
                Err(Error::invalid(
                    "credentials",
                    "WooCommerce needs both the consumer key and the consumer secret",
                ))
            }
            Credentials::KeySecret { .. } => Ok(()),
            Credentials::Token(_) => Err(Error::invalid(
                "credentials",
                "WooCommerce uses a consumer key and secret, not a token",
            )),
        }
    }
}

/// The Shipment Tracking extension's provider for a carrier, in the extension's own spelling,
/// or `None` for one it does not list.
pub(super) fn provider(carrier: &str) -> Option<&'static str> {
    match carrier.trim().to_ascii_lowercase().as_str() {
        "ups" => Some("UPS"),
        "fedex" => Some("Fedex"),
        "usps" => Some("USPS"),
        "dhl express" | "dhl" => Some("DHL US"),
        "ontrac" => Some("OnTrac"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_secret(key: &str, secret: &str) -> Credentials {
        Credentials::KeySecret {
            key: Sensitive::new(key.to_string()),
            secret: Sensitive::new(secret.to_string()),
        }
    }

    #[test]
    fn a_key_and_secret_both_given() {
        assert!(WooCommerce
            .check_credentials(&key_secret("ck_1", "cs_1"))
            .is_ok());
        let blank = WooCommerce
            .check_credentials(&key_secret("ck_1", " "))
            .unwrap_err();
        assert!(blank.to_string().contains("both"), "{blank}");
        let token = Credentials::Token(Sensitive::new("t".to_string()));
        let wrong = WooCommerce.check_credentials(&token).unwrap_err();
        assert!(wrong.to_string().contains("not a token"), "{wrong}");
    }

    #[test]
    fn any_https_site_is_a_store() {
        assert_eq!(
            WooCommerce.store_url("https://shop.example.com/").unwrap(),
            "https://shop.example.com"
        );
        assert!(WooCommerce.store_url("https://example.com/shop").is_ok());
        assert!(WooCommerce.store_url("http://shop.example.com").is_err());
    }
}
