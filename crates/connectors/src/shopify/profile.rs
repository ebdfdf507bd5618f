//! What Dealer Portal knows of Shopify as a platform: a store is `https://{shop}.myshopify.com`,
//! reached with an Admin API access token, and tracking names its carrier as one of Shopify's
//! supported tracking companies.

use dealer_core::channel::{is_loopback_url, validate_web_url, Credentials, Platform};
use dealer_core::domain::ChannelKind;
use dealer_core::tracking::Carrier;
use dealer_core::{Error, Result};

pub struct Shopify;

/// Every shop's own domain ends so, custom domain or not.
const MYSHOPIFY: &str = ".myshopify.com";

/// A shop's handle, as Shopify makes them: one DNS label of letters, digits and hyphens.
fn is_shop_name(shop: &str) -> bool {
    !shop.is_empty()
        && shop.len() <= 63
        && !shop.starts_with('-')
        && !shop.ends_with('-')
        && shop.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Platform for Shopify {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Shopify
    }

    /// The shop's `https://{shop}.myshopify.com` address, without a path (the client adds
    /// `/admin/api/...`). A custom domain is refused: the Admin API answers there only with a
    /// redirect, which the client does not follow with the token.
    fn store_url(&self, url: &str) -> Result<String> {
        let url = validate_web_url(url)?;
        if is_loopback_url(&url) {
            return Ok(url);
        }
        let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        if rest.contains('/') {
            return Err(Error::invalid(
                "url",
                format!("{url} has a path; use https://{{shop}}.myshopify.com"),
            ));
        }
        let host = rest.to_ascii_lowercase();
        match host.strip_suffix(MYSHOPIFY) {
            Some(shop) if is_shop_name(shop) => Ok(format!("https://{host}")),
            _ => Err(Error::invalid(
                "url",
                format!(
                    "{url} is not a myshopify.com address; use https://{{shop}}.myshopify.com, \
                     shown in Shopify admin → Settings → Domains"
                ),
            )),
        }
    }

    fn check_credentials(&self, credentials: &Credentials) -> Result<()> {
        crate::profiles::one_token(credentials)
    }
}

/// The tracking company name Shopify knows (and builds tracking links for), from the
/// "Supported tracking companies" list in the doc of `FulfillmentTrackingInfo.company` in the
/// Admin API schema (the contract tests' version). That list has
/// "Amazon" and "Amazon Logistics UK" but no "Amazon Logistics US": US `TBA` parcels are
/// "Amazon".
fn company(carrier: Carrier) -> &'static str {
    match carrier {
        Carrier::Ups => "UPS",
        Carrier::Fedex => "FedEx",
        Carrier::Usps => "USPS",
        Carrier::DhlExpress => "DHL Express",
        Carrier::AmazonLogistics => "Amazon",
        Carrier::Ontrac => "OnTrac",
    }
}

/// Shopify's tracking company for a carrier's display name, with which Shopify links the number
/// itself. Any other carrier is sent as named: Shopify shows it, linked through the tracking
/// URL.
pub(crate) fn tracking_company(carrier: &str) -> String {
    let carrier = carrier.trim();
    Carrier::from_name(carrier).map_or_else(|| carrier.to_string(), |known| company(known).into())
}

#[cfg(test)]
mod tests {
    use dealer_core::secret::Sensitive;

    use super::*;

    #[test]
    fn a_shop_address_without_a_path() {
        assert_eq!(
            Shopify.store_url("https://acme.myshopify.com/").unwrap(),
            "https://acme.myshopify.com"
        );
        assert!(Shopify
            .store_url("https://acme.myshopify.com/admin")
            .is_err());
        assert!(Shopify.store_url("http://acme.myshopify.com").is_err());
        assert!(Shopify.store_url("http://127.0.0.1:8080/any/path").is_ok());
        assert!(Shopify.store_url("http://localhost:8080").is_ok());
    }

    #[test]
    fn only_the_myshopify_address() {
        assert_eq!(
            Shopify
                .store_url(" https://Acme-Gear.MyShopify.com ")
                .unwrap(),
            "https://acme-gear.myshopify.com"
        );
        for custom in [
            "https://shop.acme.com",
            "https://acme.myshopify.com.evil.com",
            "https://myshopify.com",
            "https://.myshopify.com",
            "https://a.b.myshopify.com",
            "https://acme.myshopify.com:8443",
            "https://acme_gear.myshopify.com",
        ] {
            let err = Shopify.store_url(custom).unwrap_err().to_string();
            assert!(
                err.contains("not a myshopify.com address"),
                "{custom}: {err}"
            );
            assert!(err.contains("Settings → Domains"), "{custom}: {err}");
        }
    }

    #[test]
    fn one_access_token() {
        let token = |text: &str| Credentials::Token(Sensitive::new(text.to_string()));
        assert!(Shopify.check_credentials(&token("shpat_1")).is_ok());
        let blank = Shopify.check_credentials(&token("  ")).unwrap_err();
        assert!(blank.to_string().contains("empty"), "{blank}");
        let pair = Credentials::KeySecret {
            key: Sensitive::new("k".to_string()),
            secret: Sensitive::new("s".to_string()),
        };
        let wrong = Shopify.check_credentials(&pair).unwrap_err();
        assert!(wrong.to_string().contains("access token"), "{wrong}");
    }

    #[test]
    fn carriers_get_shopifys_names() {
        let names: Vec<&str> = Carrier::ALL.iter().map(|c| company(*c)).collect();
        assert_eq!(
            names,
            ["UPS", "FedEx", "USPS", "DHL Express", "Amazon", "OnTrac"]
        );
        assert_eq!(tracking_company("UPS"), "UPS");
        assert_eq!(tracking_company("FedEx"), "FedEx");
        assert_eq!(tracking_company("USPS"), "USPS");
        assert_eq!(tracking_company("DHL Express"), "DHL Express");
        assert_eq!(tracking_company("Amazon Logistics"), "Amazon");
        assert_eq!(tracking_company("OnTrac"), "OnTrac");
        assert_eq!(tracking_company(" fedex "), "FedEx");
        assert_eq!(tracking_company("Pitney Bowes"), "Pitney Bowes");
    }

    /// Every name must be in the schema's list of supported tracking companies, so Shopify links
    /// the number for the merchant and the customer.
    #[test]
    fn the_shopify_names_are_on_the_schemas_list() {
        let sdl = crate::testing::admin_schema::sdl();
        let start = sdl.find("type FulfillmentTrackingInfo {").unwrap();
        let doc = &sdl[start..start + sdl[start..].find("company: String").unwrap()];
        for carrier in Carrier::ALL {
            let shopify = tracking_company(carrier.display_name());
            assert!(doc.contains(&format!("    * {shopify}\n")), "{shopify}");
        }
    }
}
