//! Which tracking links Dealer Portal keeps. A supplier's `trackingUrl` is stored, pushed to
//! the store (WooCommerce emails it to the customer in an order note) and opened by the dealer,
//! so only a carrier's own https page passes: anything else (`javascript:`, `file:`, `data:`,
//! plain http, another host, `https://ups.com@evil.example/`, `ups.com.evil.example`) is
//! replaced by the carrier's page built from the tracking number, or dropped when the carrier
//! is not one Dealer Portal knows.

use url::Url;

use super::Carrier;

/// The longest tracking link kept. The carriers' own pages for the longest numbers are under
/// 150 characters; 2,048 is the length browsers and mail clients reliably carry.
pub const MAX_TRACKING_URL_CHARS: usize = 2_048;

/// The longest tracking number a link is built from: the longest carrier format (USPS with a
/// `420` + ZIP+4 routing code) has 34 characters.
const MAX_NUMBER_CHARS: usize = 40;

impl Carrier {
    /// The registrable domains the carrier serves its tracking pages from (the hosts of
    /// [`Carrier::tracking_url`] and their siblings).
    fn domains(self) -> &'static [&'static str] {
        match self {
            Carrier::Ups => &["ups.com"],
            Carrier::Fedex => &["fedex.com"],
            Carrier::Usps => &["usps.com"],
            Carrier::DhlExpress => &["dhl.com"],
            Carrier::AmazonLogistics => &["amazon.com"],
            Carrier::Ontrac => &["ontrac.com"],
        }
    }

    /// Whether `url` is a page of the carrier's own: `https`, on one of its domains or their
    /// subdomains, with no user name or password and the default port. Returns the link as
    /// the URL standard writes it.
    pub fn own_page(self, url: &str) -> Option<String> {
        if url.chars().count() > MAX_TRACKING_URL_CHARS {
            return None;
        }
        let parsed = Url::parse(url.trim()).ok()?;
        if parsed.scheme() != "https"
            || !parsed.username().is_empty()
            || parsed.password().is_some()
            || parsed.port().is_some()
        {
            return None;
        }
        let url::Host::Domain(host) = parsed.host()? else {
            return None;
        };
        let on_domain = self.domains().iter().any(|domain| {
            host == *domain
                || host
                    .strip_suffix(domain)
                    .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1)
        });
        on_domain.then(|| parsed.to_string())
    }
}

/// The carrier whose own page `url` is, if any.
pub fn carrier_of_page(url: &str) -> Option<Carrier> {
    Carrier::ALL
        .into_iter()
        .find(|carrier| carrier.own_page(url).is_some())
}

/// `url` when it is a page of any carrier Dealer Portal knows (for links stored before they
/// were checked, and for a link on its way to a store).
pub fn known_carrier_page(url: &str) -> Option<String> {
    carrier_of_page(url).and_then(|carrier| carrier.own_page(url))
}

/// The link to keep for a shipment the supplier reported: its `url` when that is `carrier`'s
/// own https page; else `carrier`'s page for `number` (letters and digits only); else none.
pub fn safe_tracking_url(url: &str, carrier: Option<Carrier>, number: &str) -> Option<String> {
    let carrier = carrier?;
    if let Some(kept) = carrier.own_page(url) {
        return Some(kept);
    }
    let number = number.trim();
    let buildable = !number.is_empty()
        && number.len() <= MAX_NUMBER_CHARS
        && number.bytes().all(|b| b.is_ascii_alphanumeric());
    buildable.then(|| carrier.tracking_url(number))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBER: &str = "1Z999AA10123456784";

    #[test]
    fn the_carriers_own_https_pages_are_kept() {
        for url in [
            "https://www.ups.com/track?tracknum=1Z999AA10123456784",
            "https://ups.com/track?tracknum=X",
            "HTTPS://WWW.UPS.COM/track?tracknum=X",
        ] {
            let kept = safe_tracking_url(url, Some(Carrier::Ups), NUMBER).unwrap();
            assert!(kept.starts_with("https://"), "{url} -> {kept}");
            assert_eq!(Carrier::Ups.own_page(url), Some(kept));
        }
        for carrier in Carrier::ALL {
            let page = carrier.tracking_url(NUMBER);
            assert_eq!(carrier.own_page(&page).as_deref(), Some(page.as_str()));
            assert_eq!(carrier_of_page(&page), Some(carrier));
        }
    }

    #[test]
    fn anything_else_is_rebuilt_from_the_number() {
        let rebuilt = Carrier::Ups.tracking_url(NUMBER);
        for url in [
            "javascript:alert(document.cookie)",
            "JavaScript:alert(1)//https://www.ups.com/",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "http://www.ups.com/track?tracknum=1",
            "https://evil.example/track",
            "https://ups.com@evil.example/",
            "https://www.ups.com:secret@evil.example/",
            "https://ups.com.evil.example/track",
            "https://evilups.com/track",
            "https://www.ups.com:8443/track",
            "https://evil.example\\@www.ups.com/",
            "https://www.fedex.com/fedextrack/?trknbr=1",
            "https://127.0.0.1/track",
            "//www.ups.com/track",
            "www.ups.com/track",
            "",
        ] {
            assert_eq!(
                safe_tracking_url(url, Some(Carrier::Ups), NUMBER).as_deref(),
                Some(rebuilt.as_str()),
                "{url}"
            );
            assert_eq!(Carrier::Ups.own_page(url), None, "{url}");
        }
        let long = format!("https://www.ups.com/{}", "a".repeat(MAX_TRACKING_URL_CHARS));
        assert_eq!(Carrier::Ups.own_page(&long), None);
    }

    #[test]
    fn without_a_known_carrier_or_a_plain_number_there_is_no_link() {
        assert_eq!(
            safe_tracking_url("https://www.ups.com/track", None, NUMBER),
            None
        );
        for number in ["", "1Z 999", "javascript:alert(1)", &"9".repeat(41)] {
            assert_eq!(
                safe_tracking_url("javascript:alert(1)", Some(Carrier::Ups), number),
                None,
                "{number}"
            );
        }
        assert_eq!(known_carrier_page("javascript:alert(1)"), None);
        assert_eq!(known_carrier_page("https://ups.com.evil.example/"), None);
    }
}
