//! The Shipment Tracking extension's predefined providers (`get_providers()`), grouped by
//! region, each with the link format it fills in (`%1$s` the tracking number, `%2$s` the
//! postcode, `%3$s` the country). The sandbox keeps the US group whole and a few others; a
//! `tracking_provider` matches a name as written or its slug (`sanitize_title`: "fedex").

pub(crate) const PROVIDERS: &[(&str, &[(&str, &str)])] = &[
    (
        "Canada",
        &[
            (
                "Canada Post",
                "https://www.canadapost-postescanada.ca/track-reperage/en#/resultList?searchFor=%1$s",
            ),
            (
                "Purolator",
                "https://www.purolator.com/purolator/ship-track/tracking-summary.page?pin=%1$s",
            ),
        ],
    ),
    (
        "United Kingdom",
        &[
            (
                "DHL",
                "https://www.dhl.com/content/g0/en/express/tracking.shtml?brand=DHL&AWB=%1$s",
            ),
            (
                "Royal Mail",
                "https://www3.royalmail.com/track-your-item#/tracking-results/%1$s",
            ),
        ],
    ),
    (
        "United States",
        &[
            (
                "DHL US",
                "https://www.logistics.dhl/us-en/home/tracking/tracking-ecommerce.html?tracking-id=%1$s",
            ),
            (
                "DHL eCommerce",
                "https://webtrack.dhlecs.com/orders?trackingNumber=%1$s",
            ),
            (
                "Fedex",
                "https://www.fedex.com/apps/fedextrack/?action=track&action=track&tracknumbers=%1$s",
            ),
            (
                "FedEx Sameday",
                "https://www.fedexsameday.com/fdx_dotracking_ua.aspx?tracknum=%1$s",
            ),
            (
                "GlobalPost",
                "https://www.goglobalpost.com/track-detail/?t=%1$s",
            ),
            ("OnTrac", "https://www.ontrac.com/tracking/?number=%1$s"),
            ("UPS", "https://www.ups.com/track?loc=en_US&tracknum=%1$s"),
            (
                "USPS",
                "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=%1$s",
            ),
        ],
    ),
];

/// The provider `name` stands for (its name as the extension prints it) and its link format.
pub(crate) fn find(name: &str) -> Option<(&'static str, &'static str)> {
    PROVIDERS
        .iter()
        .flat_map(|(_, providers)| providers.iter())
        .find(|(provider, _)| *provider == name || slug(provider) == name)
        .copied()
}

/// A link format filled in: `%1$s` number, `%2$s` postcode, `%3$s` country.
pub(crate) fn fill(format: &str, number: &str, postcode: &str, country: &str) -> String {
    format
        .replace("%1$s", number)
        .replace("%2$s", postcode)
        .replace("%3$s", country)
}

/// WordPress's `sanitize_title` for these names: lower case, spaces to dashes, other
/// punctuation dropped.
fn slug(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            ' ' | '-' => Some('-'),
            c if c.is_ascii_alphanumeric() || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_slugs_find_the_provider() {
        assert_eq!(find("Fedex").map(|p| p.0), Some("Fedex"));
        assert_eq!(find("fedex").map(|p| p.0), Some("Fedex"));
        assert_eq!(find("dhl-us").map(|p| p.0), Some("DHL US"));
        assert_eq!(find("FedEx"), None, "the extension's own spelling is Fedex");
        let (_, format) = find("UPS").unwrap();
        assert_eq!(
            fill(format, "1Z999", "78701", "US"),
            "https://www.ups.com/track?loc=en_US&tracknum=1Z999"
        );
    }
}
