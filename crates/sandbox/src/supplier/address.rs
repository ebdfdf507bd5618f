//! Where US Direct ships: the lower 48 states and DC, to street addresses. Not abroad, not to
//! Alaska, Hawaii or the territories, not to PO boxes (in the many ways people spell them) and
//! not to APO/FPO/DPO military mail.

use super::wire::Address;

/// USPS codes of the states US Direct serves (the lower 48 and DC).
const LOWER_48_AND_DC: &[&str] = &[
    "AL", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
    "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI",
    "WY",
];
const NON_CONTIGUOUS: &[&str] = &["AK", "HI"];
const TERRITORIES: &[&str] = &["PR", "GU", "VI", "AS", "MP", "UM", "FM", "MH", "PW"];
/// Armed Forces Americas, Europe, Pacific: the "states" of APO/FPO/DPO mail.
const MILITARY_STATES: &[&str] = &["AA", "AE", "AP"];

/// Whether `code` is a USPS state, district, territory or military code at all (else the
/// address is malformed, a `400`, rather than unserviceable).
pub(crate) fn is_usps_code(code: &str) -> bool {
    [
        LOWER_48_AND_DC,
        NON_CONTIGUOUS,
        TERRITORIES,
        MILITARY_STATES,
    ]
    .iter()
    .any(|codes| codes.contains(&code))
}

/// Why US Direct cannot ship to `address`: (JSON path of the field, message), or `None`.
pub(crate) fn not_serviceable(address: &Address) -> Option<(&'static str, String)> {
    const MILITARY: &str = "APO/FPO/DPO military addresses are not serviceable.";
    let state = address.state_code.as_str();
    if address.country_code != "US" {
        return Some((
            "shippingAddress.countryCode",
            format!(
                "US Direct ships only within the lower 48 US states, not to {}.",
                address.country_code
            ),
        ));
    }
    if MILITARY_STATES.contains(&state) {
        return Some(("shippingAddress.stateCode", MILITARY.to_owned()));
    }
    if NON_CONTIGUOUS.contains(&state) || TERRITORIES.contains(&state) {
        return Some((
            "shippingAddress.stateCode",
            format!("{state} is not serviceable: US Direct ships only to the lower 48 states."),
        ));
    }
    if is_military_city(&address.city) {
        return Some(("shippingAddress.city", MILITARY.to_owned()));
    }
    let lines = [
        ("shippingAddress.addressLine1", Some(&address.address_line1)),
        (
            "shippingAddress.addressLine2",
            address.address_line2.as_ref(),
        ),
    ];
    for (field, line) in lines {
        let Some(line) = line else { continue };
        if is_military_line(line) {
            return Some((field, MILITARY.to_owned()));
        }
        if is_po_box(line) {
            return Some((field, "PO boxes are not serviceable.".to_owned()));
        }
    }
    None
}

/// Lower-case words of `text` with dots dropped first, so `P.O.` reads as `po`.
fn words(text: &str) -> Vec<String> {
    text.chars()
        .filter(|c| *c != '.')
        .collect::<String>()
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

fn is_number(word: Option<&String>) -> bool {
    word.is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()))
}

fn is_military_city(city: &str) -> bool {
    matches!(words(city).as_slice(), [only] if matches!(only.as_str(), "apo" | "fpo" | "dpo"))
}

/// `PSC 802 Box 74`, `CMR 450 Box 1`, `Unit 2050 Box 4190`: military mail stops.
fn is_military_line(line: &str) -> bool {
    let words = words(line);
    let starts_stop = words
        .first()
        .is_some_and(|w| matches!(w.as_str(), "psc" | "cmr"))
        && is_number(words.get(1));
    let unit_box = words.windows(4).any(|w| {
        w[0] == "unit" && is_number(Some(&w[1])) && w[2] == "box" && is_number(Some(&w[3]))
    });
    starts_stop || unit_box
}

/// PO boxes as people write them: `PO Box 12`, `P.O. Box`, `P. O. Box`, `POBox12`, `P0 Box`,
/// `PO Bx`, `POB 12`, `P.O.B. 12`, `Post Office Box`, `Postal Box`, `Box 12` at the start of
/// the line. Street names with "Box" in them (`12 Box Elder Rd`) are not boxes.
fn is_po_box(line: &str) -> bool {
    let words = words(line);
    let word = |i: usize| words.get(i).map(String::as_str);
    let is_box = |w: Option<&str>| matches!(w, Some("box" | "bx"));
    (0..words.len()).any(|i| {
        let here = words[i].as_str();
        let po = matches!(here, "po" | "p0");
        here.starts_with("pobox")
            || here.starts_with("p0box")
            || (po && is_box(word(i + 1)))
            || (po && word(i + 1) == Some("b") && is_number(words.get(i + 2)))
            || (here == "p" && word(i + 1) == Some("o") && is_box(word(i + 2)))
            || (here == "p"
                && word(i + 1) == Some("o")
                && word(i + 2) == Some("b")
                && is_number(words.get(i + 3)))
            || (here == "pob" && is_number(words.get(i + 1)))
            || (here == "post" && word(i + 1) == Some("office") && is_box(word(i + 2)))
            || (matches!(here, "postoffice" | "postal" | "post") && is_box(word(i + 1)))
            || (i == 0 && here == "box" && is_number(words.get(1)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn po_boxes_in_their_spellings() {
        for line in [
            "PO Box 1234",
            "P.O. Box 1234",
            "P. O. Box 77",
            "p.o.box 5",
            "POBox 12",
            "Pobox12",
            "PO-Box 9",
            "P0 Box 3",
            "PO BX 8",
            "POB 112",
            "P.O.B. 44",
            "P O B 44",
            "Post Office Box 310",
            "Postal Box 1",
            "Box 123",
            "BOX #45",
            "Apt 4, PO Box 12",
        ] {
            assert!(is_po_box(line), "{line}");
        }
        for line in [
            "123 Main St",
            "12 Box Elder Rd",
            "400 Post Rd",
            "55 Pobrook Ln",
            "PMB 220, 8 Market St",
            "9 Boxwood Ct",
            "1 Post Office Sq",
            "Suite 1900",
        ] {
            assert!(!is_po_box(line), "{line}");
        }
    }

    #[test]
    fn military_mail() {
        assert!(is_military_city("APO"));
        assert!(is_military_city("F.P.O."));
        assert!(is_military_city("dpo"));
        assert!(!is_military_city("Apopka"));
        assert!(is_military_line("PSC 802 Box 74"));
        assert!(is_military_line("Unit 2050 Box 4190"));
        assert!(is_military_line("CMR 450 Box 1"));
        assert!(!is_military_line("Unit 4B"));
    }

    #[test]
    fn codes() {
        assert!(is_usps_code("TX") && is_usps_code("AK") && is_usps_code("AE"));
        assert!(!is_usps_code("ZZ"));
        assert_eq!(LOWER_48_AND_DC.len(), 49);
    }
}
