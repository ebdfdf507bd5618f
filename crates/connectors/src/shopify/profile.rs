//! What Dealer Portal knows of Shopify as a platform: a store is `https://{shop}.myshopify.com`,
//! reached with an Admin API access token, and tracking names its carrier as one of Shopify's
//! supported tracking companies.

use dealer_core::channel::{is_loopback_url, validate_web_url, Credentials, Platform};
use dealer_core::domain::ChannelKind;
use dealer_core::tracking::Carrier;
use dealer_core::{Error, Result};

pub struct Shopify;

impl Platform for Shopify {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Shopify
    }

    /// The shop's own address, without a path (the client adds `/admin/api/...`).
    fn store_url(&self, url: &str) -> Result<String> {
        let url = validate_web_url(url)?;
        let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        if !is_loopback_url(&url) && rest.contains('/') {
            return Err(Error::invalid(
                "url",
                format!("{url} has a path; use https://{{shop}}.myshopify.com"),
            ));
        }
        Ok(url)
    }

    fn check_credentials(&self, credentials: &Credentials) -> Result<()> {
        crate::profiles::one_token(credentials)
    }
}

/// The tracking company name Shopify knows (and builds tracking links for), from the
/// "Supported tracking companies" list in the doc of `FulfillmentTrackingInfo.company` in the
/// Admin API 2025-01 schema (shared/specs/shopify/admin_2025-01.sdl.graphql). That list has
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
        let sdl = crate::testing::spec("shopify/admin_2025-01.sdl.graphql");
        let start = sdl.find("type FulfillmentTrackingInfo {").unwrap();
        let doc = &sdl[start..start + sdl[start..].find("company: String").unwrap()];
        for carrier in Carrier::ALL {
            let shopify = tracking_company(carrier.display_name());
            assert!(doc.contains(&format!("    * {shopify}\n")), "{shopify}");
        }
    }
}
