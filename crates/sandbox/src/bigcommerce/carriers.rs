//! Who carries a BigCommerce shipment. `shipping_provider` names one of the store's shipping
//! integrations (the spec's enum, `carrier_{id}` for third-party ones, or another string);
//! `tracking_carrier` is an AfterShip courier slug (or `""`), which the spec refers to
//! AfterShip's list for. The sandbox knows the common slugs and refuses others, so a client
//! sending a display name ("FedEx") instead of a slug finds out here rather than in a live
//! store.

/// The spec's `shipping_provider_standard` values and the names BigCommerce shows for them.
const SHIPPING_PROVIDERS: &[(&str, &str)] = &[
    ("auspost", "Australia Post"),
    ("canadapost", "Canada Post"),
    ("endicia", "Endicia"),
    ("usps", "USPS"),
    ("fedex", "FedEx"),
    ("ups", "UPS"),
    ("upsready", "UPS"),
    ("upsonline", "UPS"),
    ("shipperhq", "ShipperHQ"),
    ("royalmail", "Royal Mail"),
];

/// AfterShip slugs the sandbox accepts as `tracking_carrier`: name and link (`{}` the number).
const TRACKING_CARRIERS: &[(&str, &str, &str)] = &[
    ("ups", "UPS", "https://www.ups.com/track?tracknum={}"),
    (
        "fedex",
        "FedEx",
        "https://www.fedex.com/fedextrack/?trknbr={}",
    ),
    (
        "usps",
        "USPS",
        "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    ),
    (
        "dhl",
        "DHL Express",
        "https://www.dhl.com/us-en/home/tracking/tracking-express.html?submit=1&tracking-id={}",
    ),
    (
        "dhl-global-mail",
        "DHL eCommerce",
        "https://webtrack.dhlecs.com/orders?trackingNumber={}",
    ),
    ("amazon", "Amazon", "https://track.amazon.com/tracking/{}"),
    (
        "ontrac",
        "OnTrac",
        "https://www.ontrac.com/tracking/?number={}",
    ),
    (
        "lasership",
        "LaserShip",
        "https://www.lasership.com/track/{}",
    ),
    (
        "canada-post",
        "Canada Post",
        "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={}",
    ),
    (
        "purolator",
        "Purolator",
        "https://www.purolator.com/en/shipping/tracker?pin={}",
    ),
    (
        "royal-mail",
        "Royal Mail",
        "https://www.royalmail.com/track-your-item#/tracking-results/{}",
    ),
    (
        "australia-post",
        "Australia Post",
        "https://auspost.com.au/mypost/track/#/details/{}",
    ),
];

/// The tracking carrier slugs a shipping provider's links go to.
const PROVIDER_CARRIERS: &[(&str, &str)] = &[
    ("auspost", "australia-post"),
    ("canadapost", "canada-post"),
    ("endicia", "usps"),
    ("usps", "usps"),
    ("fedex", "fedex"),
    ("ups", "ups"),
    ("upsready", "ups"),
    ("upsonline", "ups"),
    ("royalmail", "royal-mail"),
];

/// `""` or a slug the sandbox knows.
pub(crate) fn is_tracking_carrier(slug: &str) -> bool {
    slug.is_empty() || TRACKING_CARRIERS.iter().any(|(known, ..)| *known == slug)
}

/// `shipping_provider_display_name`: the provider's name, or the custom string itself.
pub(crate) fn provider_display_name(provider: &str) -> String {
    SHIPPING_PROVIDERS
        .iter()
        .find(|(code, _)| *code == provider)
        .map_or_else(|| provider.to_owned(), |(_, name)| (*name).to_owned())
}

/// The carrier's name, for the sandbox's own record of the shipment.
pub(crate) fn carrier_name(tracking_carrier: &str, provider: &str, method: &str) -> String {
    TRACKING_CARRIERS
        .iter()
        .find(|(slug, ..)| *slug == tracking_carrier)
        .map(|(_, name, _)| (*name).to_owned())
        .or_else(|| Some(provider_display_name(provider)).filter(|name| !name.is_empty()))
        .unwrap_or_else(|| method.to_owned())
}

/// `generated_tracking_link`: from the tracking carrier, else the shipping provider; empty
/// when a custom `tracking_link` was given or neither is known.
pub(crate) fn generated_link(
    tracking_carrier: &str,
    provider: &str,
    custom_link: &str,
    number: &str,
) -> String {
    if !custom_link.is_empty() {
        return String::new();
    }
    let slug = if tracking_carrier.is_empty() {
        PROVIDER_CARRIERS
            .iter()
            .find(|(code, _)| *code == provider)
            .map_or("", |(_, slug)| *slug)
    } else {
        tracking_carrier
    };
    TRACKING_CARRIERS
        .iter()
        .find(|(known, ..)| *known == slug)
        .map(|(_, _, format)| format.replace("{}", number))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_not_names() {
        assert!(is_tracking_carrier("fedex"));
        assert!(is_tracking_carrier(""));
        assert!(!is_tracking_carrier("FedEx"));
        assert_eq!(
            generated_link("", "usps", "", "EJ958083578US"),
            "https://tools.usps.com/go/TrackConfirmAction?tLabels=EJ958083578US"
        );
        assert_eq!(generated_link("ups", "", "https://x.example/1", "1Z"), "");
        assert_eq!(provider_display_name("carrier_42"), "carrier_42");
        assert_eq!(carrier_name("dhl", "", "None"), "DHL Express");
        assert_eq!(carrier_name("", "", "Courier"), "Courier");
    }
}
