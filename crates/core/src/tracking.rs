//! Tracking numbers: which carrier a number belongs to, whether its check digit holds, and the
//! carrier's page for it. Suppliers send numbers in emails and spreadsheets and dealers paste
//! them by hand, so a typo has to be caught before it goes to the store, where the customer
//! would follow a link to "not found".
//!
//! The formats and check digits are the carriers' published ones as collected, with public
//! example numbers, by jkeen/tracking_number_data (MIT; `couriers/*.json`, the rules behind
//! trackingnumber.fyi and the `tracking_number` libraries); each function below names its
//! source, and the tests run every example through it.
//!
//! A number's shape almost always names its carrier. Where it does not, [`check`] prefers, in
//! this order: a reading whose check digit passes over one whose does not; among those, the
//! carrier the supplier named (the hint); then the order the readings are listed in. Only two
//! shapes are shared:
//! - 22 digits starting 91–95, and the same behind a `420` + ZIP routing code: a USPS IMpb
//!   number, which FedEx also issues for Ground Economy (SmartPost) parcels that USPS
//!   delivers. USPS first.
//! - 20 digits: a USPS number printed without its 2-digit application identifier, or a FedEx
//!   Ground Economy number (which FedEx prints without the `92`). FedEx first when the check
//!   digit only holds with `92` put back, USPS first otherwise.
//!
//! Lengths keep the rest apart: DHL Express waybills have 10 digits, FedEx Express 12, FedEx
//! Ground 15, FedEx Ground "96" barcodes 22.

use serde::{Deserialize, Serialize};

/// A parcel carrier whose tracking numbers Dealer Portal recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum Carrier {
    Ups,
    Fedex,
    Usps,
    DhlExpress,
    AmazonLogistics,
    Ontrac,
}

impl Carrier {
    pub const ALL: [Carrier; 6] = [
        Carrier::Ups,
        Carrier::Fedex,
        Carrier::Usps,
        Carrier::DhlExpress,
        Carrier::AmazonLogistics,
        Carrier::Ontrac,
    ];

    /// The name in JSON (`"ups"`, `"dhl_express"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Carrier::Ups => "ups",
            Carrier::Fedex => "fedex",
            Carrier::Usps => "usps",
            Carrier::DhlExpress => "dhl_express",
            Carrier::AmazonLogistics => "amazon_logistics",
            Carrier::Ontrac => "ontrac",
        }
    }

    /// The carrier's own name, as a dealer reads it.
    pub fn display_name(self) -> &'static str {
        match self {
            Carrier::Ups => "UPS",
            Carrier::Fedex => "FedEx",
            Carrier::Usps => "USPS",
            Carrier::DhlExpress => "DHL Express",
            Carrier::AmazonLogistics => "Amazon Logistics",
            Carrier::Ontrac => "OnTrac",
        }
    }

    /// The carrier's tracking page for `number` (a normalized number: letters and digits only,
    /// so it needs no escaping).
    pub fn tracking_url(self, number: &str) -> String {
        match self {
            Carrier::Ups => format!("https://www.ups.com/track?tracknum={number}"),
            Carrier::Fedex => format!("https://www.fedex.com/fedextrack/?trknbr={number}"),
            Carrier::Usps => {
                format!("https://tools.usps.com/go/TrackConfirmAction?tLabels={number}")
            }
            Carrier::DhlExpress => format!(
                "https://www.dhl.com/us-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}"
            ),
            Carrier::AmazonLogistics => format!("https://track.amazon.com/tracking/{number}"),
            Carrier::Ontrac => format!("https://www.ontrac.com/tracking/?number={number}"),
        }
    }

    /// The carrier a supplier or a dealer means by `name`: "UPS", "FedEx Ground", "fedex",
    /// "U.S.P.S.", "DHL", "dhl_express", "Amazon", "OnTrac", ... `None` for anything else.
    pub fn from_name(name: &str) -> Option<Carrier> {
        let key: String = name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        // By prefix, so a service level after the name ("UPS Ground", "FedEx 2Day") still
        // names the carrier. "usps" does not start with "ups", so the two cannot be confused.
        const NAMES: [(&str, Carrier); 11] = [
            ("ups", Carrier::Ups),
            ("unitedparcel", Carrier::Ups),
            ("fedex", Carrier::Fedex),
            ("federalexpress", Carrier::Fedex),
            ("usps", Carrier::Usps),
            ("unitedstatespostal", Carrier::Usps),
            ("uspostal", Carrier::Usps),
            ("dhl", Carrier::DhlExpress),
            ("amazon", Carrier::AmazonLogistics),
            ("amzl", Carrier::AmazonLogistics),
            ("ontrac", Carrier::Ontrac),
        ];
        NAMES
            .iter()
            .find(|(prefix, _)| key.starts_with(prefix))
            .map(|(_, carrier)| *carrier)
    }
}

/// What [`check`] found out about a tracking number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TrackingCheck {
    /// The number has a supported carrier's format and its check digit (where the format has
    /// one) holds.
    pub valid: bool,
    /// The carrier whose format the number has, also when its check digit does not hold;
    /// `None` when no supported carrier uses its format.
    pub carrier: Option<Carrier>,
    /// The carrier's tracking page; only for a valid number.
    pub url: Option<String>,
    /// The number as carriers print and track it: no spaces or dashes, upper case, and for a
    /// USPS number without the `420` + ZIP routing code in front.
    pub normalized: String,
    /// For an invalid number, what is wrong with it, in words for the dealer.
    pub reason: Option<String>,
}

/// Checks a tracking number: its carrier, its check digit, its tracking page. `carrier_hint`
/// is whatever the supplier said the carrier was ("UPS", "FedEx Ground", ...); it only decides
/// between carriers whose formats the number fits equally well (see the module doc), so a
/// wrong hint never makes a number valid or invalid.
pub fn check(number: &str, carrier_hint: Option<&str>) -> TrackingCheck {
    check_with_carrier(number, carrier_hint.and_then(Carrier::from_name))
}

/// [`check`] with the hint already resolved to a carrier.
pub fn check_with_carrier(number: &str, hint: Option<Carrier>) -> TrackingCheck {
    let normalized = normalize(number);
    let Some(reading) = choose(readings(&normalized), hint) else {
        return TrackingCheck {
            valid: false,
            carrier: None,
            url: None,
            reason: Some(unrecognised(&normalized)),
            normalized,
        };
    };
    if reading.valid {
        TrackingCheck {
            valid: true,
            carrier: Some(reading.carrier),
            url: Some(reading.carrier.tracking_url(&reading.number)),
            normalized: reading.number,
            reason: None,
        }
    } else {
        TrackingCheck {
            valid: false,
            carrier: Some(reading.carrier),
            url: None,
            reason: Some(format!(
                "looks like a {} tracking number, but the check digit does not match: \
                 probably a typo",
                reading.carrier.display_name()
            )),
            normalized: reading.number,
        }
    }
}

/// Trimmed, without the spaces and dashes numbers are often grouped with, upper case.
fn normalize(number: &str) -> String {
    number
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

fn unrecognised(normalized: &str) -> String {
    if normalized.is_empty() {
        "no tracking number was given".to_owned()
    } else if !normalized.chars().all(|c| c.is_ascii_alphanumeric()) {
        "has characters tracking numbers never contain: only letters and digits belong in one"
            .to_owned()
    } else {
        "not a tracking number format any supported carrier uses (UPS, FedEx, USPS, DHL \
         Express, Amazon Logistics, OnTrac)"
            .to_owned()
    }
}

/// One way to read a number: a carrier whose format it has.
#[derive(Debug)]
struct Reading {
    carrier: Carrier,
    /// The tracking number proper (a USPS routing code dropped).
    number: String,
    /// Its check digit holds, or its format has none.
    valid: bool,
}

impl Reading {
    fn new(carrier: Carrier, number: &str, valid: bool) -> Reading {
        Reading {
            carrier,
            number: number.to_owned(),
            valid,
        }
    }
}

/// Valid readings before invalid ones; the hinted carrier first within each; else list order.
fn choose(mut readings: Vec<Reading>, hint: Option<Carrier>) -> Option<Reading> {
    let position = |valid: bool| {
        readings
            .iter()
            .position(|r| r.valid == valid && Some(r.carrier) == hint)
            .or_else(|| readings.iter().position(|r| r.valid == valid))
    };
    let index = position(true).or_else(|| position(false))?;
    Some(readings.swap_remove(index))
}

/// Every carrier format `number` (normalized) fits, most likely first.
fn readings(number: &str) -> Vec<Reading> {
    let bytes = number.as_bytes();
    if !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return Vec::new();
    }
    if let Some(rest) = number.strip_prefix("1Z") {
        if rest.len() == 16 {
            return vec![Reading::new(Carrier::Ups, number, ups_valid(rest))];
        }
    }
    if bytes.len() == 15
        && matches!(&number[..3], "TBA" | "TBC" | "TBM")
        && digits(&number[3..]).is_some()
    {
        return vec![Reading::new(Carrier::AmazonLogistics, number, true)];
    }
    if bytes.len() == 15 && matches!(bytes[0], b'C' | b'D') && digits(&number[1..]).is_some() {
        return vec![Reading::new(
            Carrier::Ontrac,
            number,
            ups_check_digit(&bytes[..14]) == digit(bytes[14]),
        )];
    }
    if let Some(rest) = number.strip_prefix("JJD") {
        // DHL's "Tracking ID labels" page: Express piece IDs start "JJD00" or "JJD01" (its
        // example: JJD0099999999). DHL publishes no check digit for them: format only.
        let piece_id = rest.starts_with("00") || rest.starts_with("01");
        if piece_id && (10..=20).contains(&rest.len()) && digits(rest).is_some() {
            return vec![Reading::new(Carrier::DhlExpress, number, true)];
        }
    }
    let Some(values) = digits(number) else {
        return Vec::new();
    };
    match values.len() {
        10 => vec![Reading::new(
            Carrier::DhlExpress,
            number,
            dhl_valid(&values),
        )],
        12 => vec![Reading::new(
            Carrier::Fedex,
            number,
            fedex_express_valid(&values),
        )],
        // FedEx Ground (tracking_number_data `fedex.json`, "FedEx Ground").
        15 => vec![Reading::new(
            Carrier::Fedex,
            number,
            mod10_3_1_valid(&values),
        )],
        20 => twenty_digit_readings(number, &values),
        22 if number.starts_with("96") => vec![Reading::new(
            Carrier::Fedex,
            number,
            fedex_ground_96_valid(&values),
        )],
        22 if is_impb(number) => impb_readings(number, &values),
        // `420` + a 5- or 9-digit ZIP in front of a 22- or 20-digit number.
        28 | 30 | 32 | 34 if number.starts_with("420") => {
            let zip = if matches!(values.len(), 28 | 30) {
                5
            } else {
                9
            };
            let rest = &number[3 + zip..];
            match rest.len() {
                22 if is_impb(rest) => impb_readings(rest, &values[3 + zip..]),
                20 => twenty_digit_readings(rest, &values[3 + zip..]),
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// A 22-digit USPS IMpb number starts with its application identifier, 91 to 95.
fn is_impb(number: &str) -> bool {
    matches!(&number[..2], "91" | "92" | "93" | "94" | "95")
}

/// USPS IMpb (22 digits): the Mod 10 over every digit before the check digit, weights 3, 1
/// from the right (tracking_number_data `usps.json`: "USPS IMpb N", "USPS IMpb C", "USPS
/// Legacy"). FedEx Ground Economy (SmartPost) numbers are IMpb numbers too.
fn impb_readings(number: &str, values: &[u32]) -> Vec<Reading> {
    let valid = mod10_3_1_valid(values);
    vec![
        Reading::new(Carrier::Usps, number, valid),
        Reading::new(Carrier::Fedex, number, valid),
    ]
}

/// 20 digits are an IMpb-style number printed without its application identifier, and the
/// check digit covers the identifier, so it has to be put back first. Which one depends on
/// who printed it: USPS's 20-digit numbers check as printed (tracking_number_data "USPS 20")
/// or with `91` (its "USPS Legacy"); FedEx prints Ground Economy (SmartPost) numbers without
/// the `92` (or the older `91`), per FedEx's SmartPost job aid as quoted on Stack Overflow
/// ("How to calculate a FedEx SmartPost tracking number check digit"). As `91` and `92` add 8
/// and 9 to the weighted sum, a check digit off by one or two can pass under another
/// identifier: 20-digit numbers catch fewer typos than the other formats.
fn twenty_digit_readings(number: &str, values: &[u32]) -> Vec<Reading> {
    let with = |identifier: [u32; 2]| {
        let mut full = identifier.to_vec();
        full.extend_from_slice(values);
        mod10_3_1_valid(&full)
    };
    let usps = mod10_3_1_valid(values) || with([9, 1]);
    let fedex = with([9, 2]);
    let valid = usps || fedex;
    let mut readings = vec![
        Reading::new(Carrier::Usps, number, valid),
        Reading::new(Carrier::Fedex, number, valid),
    ];
    if fedex && !usps {
        readings.reverse();
    }
    readings
}

/// The digit values of `text`, if it is all ASCII digits.
fn digits(text: &str) -> Option<Vec<u32>> {
    text.chars().map(|c| c.to_digit(10)).collect()
}

fn digit(byte: u8) -> Option<u32> {
    char::from(byte).to_digit(10)
}

/// UPS: `1Z`, a 6-character shipper account, a 2-character service, a 7-character package
/// number and a check digit over those 15 characters.
fn ups_valid(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    bytes.len() == 16 && ups_check_digit(&bytes[..15]).is_some_and(|c| Some(c) == digit(bytes[15]))
}

/// UPS's modified Mod 10, as UPS described it to developers (quoted in Google Answers thread
/// 207899, "UPS ... 1Z tracking numbers utilize a modified MOD 10") and in
/// tracking_number_data `ups.json`: letters count as `(letter - 'A' + 2) % 10` (A=2 … H=9,
/// I=0, …, Z=7); characters in odd positions (from 1, left) add once, in even positions
/// twice; the check digit brings the sum up to a multiple of 10. UPS's own test number
/// 1Z999AA10123456784 and the sandbox supplier's generator agree. OnTrac's `C`/`D` numbers use
/// the same sum over the letter and the 13 digits after it (tracking_number_data `ontrac.json`
/// writes it as `4`/`5` put in front of the digits: C and D count 4 and 5 here); OnTrac does
/// not publish it, but every public example checks.
fn ups_check_digit(body: &[u8]) -> Option<u32> {
    let mut sum = 0;
    for (index, byte) in body.iter().enumerate() {
        let value = match byte {
            b'0'..=b'9' => u32::from(byte - b'0'),
            b'A'..=b'Z' => (u32::from(byte - b'A') + 2) % 10,
            _ => return None,
        };
        sum += if index % 2 == 0 { value } else { 2 * value };
    }
    Some((10 - sum % 10) % 10)
}

/// The GS1-style Mod 10 of USPS IMpb numbers and FedEx Ground: from the right, the digits
/// before the check digit weigh 3, 1, 3, 1, ...; the check digit brings the sum up to a
/// multiple of 10.
fn mod10_3_1_valid(values: &[u32]) -> bool {
    let Some((check, body)) = values.split_last() else {
        return false;
    };
    let sum: u32 = body
        .iter()
        .rev()
        .zip([3, 1].into_iter().cycle())
        .map(|(value, weight)| value * weight)
        .sum();
    (10 - sum % 10) % 10 == *check
}

/// FedEx Express (12 digits): from the right, the 11 digits before the check digit weigh 1, 3,
/// 7, 1, 3, 7, ...; the sum's remainder modulo 11 is the check digit, 10 counting as 0. FedEx's
/// description as quoted in Google Answers thread 207899 ("Starting with the 11th position,
/// take the digits 1, 3, and 7"), and tracking_number_data `fedex.json` ("FedEx Express (12)":
/// weights 3,1,7,... from the left, mod 11, mod 10).
fn fedex_express_valid(values: &[u32]) -> bool {
    let Some((check, body)) = values.split_last() else {
        return false;
    };
    let sum: u32 = body
        .iter()
        .rev()
        .zip([1, 3, 7].into_iter().cycle())
        .map(|(value, weight)| value * weight)
        .sum();
    sum % 11 % 10 == *check
}

/// FedEx Ground "96" barcodes (22 digits): `96`, a 2-digit SCNC, a 3-digit service code, and
/// the 15-digit FedEx Ground tracking number, whose Mod 10 covers only itself (FedEx Ground
/// Label Layout Specification, "Check Digit Calculation Algorithms"; tracking_number_data
/// `fedex.json`, "FedEx Ground 96 (22)"). A typo in the first 7 digits goes unseen.
fn fedex_ground_96_valid(values: &[u32]) -> bool {
    values.len() == 22 && mod10_3_1_valid(&values[7..])
}

/// DHL Express waybills (10 digits): the first 9 digits, read as a number, modulo 7 give the
/// last (tracking_number_data `dhl.json`, "DHL Express").
fn dhl_valid(values: &[u32]) -> bool {
    let Some((check, body)) = values.split_last() else {
        return false;
    };
    let number = body
        .iter()
        .fold(0u64, |number, value| number * 10 + u64::from(*value));
    number % 7 == u64::from(*check)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Public example numbers: UPS's developer-kit test number; the rest from
    /// tracking_number_data's `test_numbers` and the brief's USPS example.
    const VALID: &[(&str, Carrier)] = &[
        ("1Z999AA10123456784", Carrier::Ups),
        ("1Z5R89390357567127", Carrier::Ups),
        ("1Z879E930346834440", Carrier::Ups),
        ("1Z410E7W0392751591", Carrier::Ups),
        ("1Z8V92A70367203024", Carrier::Ups),
        ("1ZXX3150YW44070023", Carrier::Ups),
        ("986578788855", Carrier::Fedex),
        ("477179081230", Carrier::Fedex),
        ("799531274483", Carrier::Fedex),
        ("790535312317", Carrier::Fedex),
        ("974367662710", Carrier::Fedex),
        ("041441760228964", Carrier::Fedex),
        ("568283610012000", Carrier::Fedex),
        ("568283610012734", Carrier::Fedex),
        ("9611020987654312345672", Carrier::Fedex),
        ("61292700768711948021", Carrier::Fedex),
        ("9205590164917312751089", Carrier::Usps),
        ("9400111206206406260787", Carrier::Usps),
        ("9400111201080805483016", Carrier::Usps),
        ("9405803699300124287899", Carrier::Usps),
        ("9434611206206406227577", Carrier::Usps),
        ("9101123456789000000013", Carrier::Usps),
        ("9505511069605048600624", Carrier::Usps),
        ("9361289878700317633795", Carrier::Usps),
        ("9261292700768711948021", Carrier::Usps),
        ("03071790000523483741", Carrier::Usps),
        ("71969010756003077385", Carrier::Usps),
        ("3318810025", Carrier::DhlExpress),
        ("8487135506", Carrier::DhlExpress),
        ("1099255990", Carrier::DhlExpress),
        ("3821724944", Carrier::DhlExpress),
        ("TBA000000000000", Carrier::AmazonLogistics),
        ("TBA010000000000", Carrier::AmazonLogistics),
        ("TBM502887274000", Carrier::AmazonLogistics),
        ("C11031500001879", Carrier::Ontrac),
        ("C10999911320231", Carrier::Ontrac),
        ("C11121552953069", Carrier::Ontrac),
        ("C11121553156000", Carrier::Ontrac),
        ("C11121552829468", Carrier::Ontrac),
        ("D10011354453707", Carrier::Ontrac),
        ("D10011345983010", Carrier::Ontrac),
        ("D10011342332145", Carrier::Ontrac),
    ];

    fn replace(number: &str, index: usize, with: char) -> String {
        number
            .char_indices()
            .map(|(i, c)| if i == index { with } else { c })
            .collect()
    }

    #[test]
    fn public_examples_are_valid_with_their_carrier_and_page() {
        for (number, carrier) in VALID {
            let checked = check(number, None);
            assert!(checked.valid, "{number}: {:?}", checked.reason);
            assert_eq!(checked.carrier, Some(*carrier), "{number}");
            assert_eq!(checked.normalized, *number);
            assert_eq!(checked.url, Some(carrier.tracking_url(number)), "{number}");
            assert_eq!(checked.reason, None);
        }
    }

    #[test]
    fn a_changed_check_digit_is_caught() {
        for (number, carrier) in VALID {
            if number.len() == 20 || *carrier == Carrier::AmazonLogistics {
                continue; // below; Amazon's numbers have no check digit
            }
            let last = number.len() - 1;
            let Some(right) = number[last..].parse::<u32>().ok() else {
                panic!("{number}");
            };
            for wrong in (0..10).filter(|d| *d != right) {
                let typo = replace(number, last, char::from_digit(wrong, 10).unwrap());
                let checked = check(&typo, None);
                assert!(!checked.valid, "{typo}");
                assert_eq!(checked.carrier, Some(*carrier), "{typo}");
                assert_eq!(checked.url, None);
                let reason = checked.reason.unwrap();
                assert!(reason.contains("check digit does not match"), "{reason}");
                assert!(reason.contains(carrier.display_name()), "{reason}");
            }
        }
    }

    #[test]
    fn a_changed_digit_before_the_check_digit_is_caught() {
        for (number, carrier) in VALID {
            // 20 digits: below; Amazon: no check digit; FedEx Express: its own test.
            if number.len() == 20 || number.len() == 12 || *carrier == Carrier::AmazonLogistics {
                continue;
            }
            let index = number.len() - 2;
            let Some(right) = number[index..=index].parse::<u32>().ok() else {
                panic!("{number}");
            };
            let typo = replace(
                number,
                index,
                char::from_digit((right + 1) % 10, 10).unwrap(),
            );
            assert!(!check(&typo, None).valid, "{typo}");
        }
    }

    #[test]
    fn fedex_express_cannot_tell_remainder_10_from_0() {
        // FedEx counts a remainder of 10 as check digit 0, so a typo that moves the weighted
        // sum from remainder 10 to 0 (or back) goes unseen: 974367662710 has remainder 10,
        // and with its 11th digit one higher, 0. Other typos are caught.
        assert!(check("974367662710", None).valid);
        assert!(check("974367662720", None).valid);
        assert!(!check("974367662700", None).valid);
        assert!(!check("986578788865", None).valid);
        assert!(!check("799531274493", None).valid);
    }

    #[test]
    fn each_single_digit_typo_in_a_mod_10_number_is_caught() {
        // With weights 3 and 1 every substituted digit changes the sum modulo 10, so USPS
        // IMpb and FedEx Ground numbers catch every single-digit typo.
        for number in ["9205590164917312751089", "041441760228964"] {
            for index in 0..number.len() {
                for digit in '0'..='9' {
                    let typo = replace(number, index, digit);
                    if typo != number {
                        assert!(!check(&typo, None).valid, "{typo}");
                    }
                }
            }
        }
    }

    #[test]
    fn twenty_digit_numbers_check_with_the_identifier_put_back() {
        // Valid as printed, with 91, with 92.
        for (number, carrier) in [
            ("03071790000523483741", Carrier::Usps),
            ("71969010756003077385", Carrier::Usps),
            ("61292700768711948021", Carrier::Fedex),
            ("61299998820821171811", Carrier::Fedex),
        ] {
            assert_eq!(check(number, None).carrier, Some(carrier), "{number}");
            assert!(check(number, None).valid, "{number}");
        }
        // A check digit off by 5 passes under none of the three.
        for typo in [
            "03071790000523483746",
            "71969010756003077380",
            "61292700768711948026",
        ] {
            let checked = check(typo, None);
            assert!(!checked.valid, "{typo}");
            assert_eq!(checked.carrier, Some(Carrier::Usps));
        }
    }

    #[test]
    fn usps_routing_code_is_dropped_before_checking() {
        for (with_zip, number) in [
            // 420 + ZIP, 420 + ZIP+4, in front of 22 digits.
            ("420787459400111206206406260787", "9400111206206406260787"),
            (
                "4201002334249200190132607600833457",
                "9200190132607600833457",
            ),
            ("420902459261290336128704042634", "9261290336128704042634"),
        ] {
            let checked = check(with_zip, None);
            assert!(checked.valid, "{with_zip}");
            assert_eq!(checked.carrier, Some(Carrier::Usps));
            assert_eq!(checked.normalized, number);
            assert_eq!(
                checked.url.as_deref(),
                Some(
                    format!("https://tools.usps.com/go/TrackConfirmAction?tLabels={number}")
                        .as_str()
                )
            );
        }
        let legacy = check("420221539101026837331000039521", None);
        assert!(legacy.valid);
        assert_eq!(legacy.normalized, "9101026837331000039521");
        let with_zip4 = check("42022153123403071790000523483741", None);
        assert!(with_zip4.valid, "420 + ZIP+4 + 20 digits");
        assert_eq!(with_zip4.normalized, "03071790000523483741");
        assert!(!check("420787459400111206206406260788", None).valid);
        // A routing code in front of something that is not a USPS number.
        assert!(!check("420787459611020987654312345672", None).valid);
    }

    #[test]
    fn spaces_dashes_and_lower_case_are_accepted() {
        for (typed, number) in [
            (" 1z 999 aa1 01234 5678 4 ", "1Z999AA10123456784"),
            ("9400-1112-0620-6406-2607-87", "9400111206206406260787"),
            ("9205 5901 6491 7312 7510 89\n", "9205590164917312751089"),
            ("tba000000000000", "TBA000000000000"),
            ("c 110 31 500 00187 9", "C11031500001879"),
            ("\t3318810025", "3318810025"),
        ] {
            let checked = check(typed, None);
            assert!(checked.valid, "{typed:?}");
            assert_eq!(checked.normalized, number);
        }
    }

    #[test]
    fn garbage_is_rejected_with_a_reason() {
        for (typed, says) in [
            ("", "no tracking number"),
            ("   ", "no tracking number"),
            ("1Z999AA1012345678", "not a tracking number format"),
            ("1Z999AA101234567844", "not a tracking number format"),
            ("2Z5R89390357567127", "not a tracking number format"),
            ("hello world", "not a tracking number format"),
            ("12345", "not a tracking number format"),
            ("TBB000000000000", "not a tracking number format"),
            ("TBA50288727400A", "not a tracking number format"),
            ("E10011354453707", "not a tracking number format"),
            ("9900111206206406260787", "not a tracking number format"),
            (
                "123456789012345678901234567890",
                "not a tracking number format",
            ),
            (
                "1Z999AA1/0123456784",
                "characters tracking numbers never contain",
            ),
            (
                "1Z999AA10123456784é",
                "characters tracking numbers never contain",
            ),
        ] {
            let checked = check(typed, None);
            assert!(!checked.valid, "{typed:?}");
            assert_eq!(checked.carrier, None, "{typed:?}");
            assert_eq!(checked.url, None);
            let reason = checked.reason.unwrap();
            assert!(reason.contains(says), "{typed:?}: {reason}");
        }
    }

    #[test]
    fn the_hint_decides_between_carriers_that_share_a_format() {
        // A 22-digit IMpb number: USPS, or FedEx Ground Economy when the supplier says FedEx.
        let impb = "9205590164917312751089";
        assert_eq!(check(impb, None).carrier, Some(Carrier::Usps));
        assert_eq!(check(impb, Some("USPS")).carrier, Some(Carrier::Usps));
        let fedex = check(impb, Some("FedEx Ground Economy"));
        assert_eq!(fedex.carrier, Some(Carrier::Fedex));
        assert!(fedex.valid);
        assert_eq!(
            fedex.url.as_deref(),
            Some("https://www.fedex.com/fedextrack/?trknbr=9205590164917312751089")
        );
        // 20 digits: the identifier that makes it check decides, unless the supplier said.
        assert_eq!(
            check("61292700768711948021", None).carrier,
            Some(Carrier::Fedex)
        );
        assert_eq!(
            check("61292700768711948021", Some("usps")).carrier,
            Some(Carrier::Usps)
        );
        assert_eq!(
            check("03071790000523483741", Some("fedex")).carrier,
            Some(Carrier::Fedex)
        );
        // Behind a routing code too.
        assert_eq!(
            check("420787459400111206206406260787", Some("FedEx")).carrier,
            Some(Carrier::Fedex)
        );
    }

    #[test]
    fn a_hint_never_overrides_an_unambiguous_format_or_a_check_digit() {
        let ups = check("1Z999AA10123456784", Some("FedEx"));
        assert_eq!(ups.carrier, Some(Carrier::Ups));
        assert!(ups.valid);
        assert!(!check("1Z999AA10123456785", Some("UPS")).valid);
        assert!(!check("hello", Some("UPS")).valid);
        // An unknown hint is ignored.
        assert_eq!(
            check("9205590164917312751089", Some("Pony Express")).carrier,
            Some(Carrier::Usps)
        );
    }

    #[test]
    fn carrier_names_from_suppliers() {
        for (name, carrier) in [
            ("UPS", Some(Carrier::Ups)),
            ("ups ground", Some(Carrier::Ups)),
            ("United Parcel Service", Some(Carrier::Ups)),
            ("FedEx", Some(Carrier::Fedex)),
            ("Fed-Ex 2Day", Some(Carrier::Fedex)),
            ("Federal Express", Some(Carrier::Fedex)),
            ("USPS", Some(Carrier::Usps)),
            ("U.S.P.S. Priority Mail", Some(Carrier::Usps)),
            ("United States Postal Service", Some(Carrier::Usps)),
            ("DHL", Some(Carrier::DhlExpress)),
            ("dhl_express", Some(Carrier::DhlExpress)),
            ("Amazon Logistics", Some(Carrier::AmazonLogistics)),
            ("amazon_logistics", Some(Carrier::AmazonLogistics)),
            ("OnTrac", Some(Carrier::Ontrac)),
            ("", None),
            ("Pony Express", None),
        ] {
            assert_eq!(Carrier::from_name(name), carrier, "{name:?}");
        }
        for carrier in Carrier::ALL {
            assert_eq!(Carrier::from_name(carrier.as_str()), Some(carrier));
            assert_eq!(Carrier::from_name(carrier.display_name()), Some(carrier));
            assert_eq!(
                serde_json::to_value(carrier).unwrap(),
                serde_json::Value::String(carrier.as_str().to_owned())
            );
        }
    }

    #[test]
    fn tracking_pages() {
        let pages: Vec<String> = Carrier::ALL.iter().map(|c| c.tracking_url("N1")).collect();
        assert_eq!(
            pages,
            [
                "https://www.ups.com/track?tracknum=N1",
                "https://www.fedex.com/fedextrack/?trknbr=N1",
                "https://tools.usps.com/go/TrackConfirmAction?tLabels=N1",
                "https://www.dhl.com/us-en/home/tracking/tracking-express.html?submit=1&tracking-id=N1",
                "https://track.amazon.com/tracking/N1",
                "https://www.ontrac.com/tracking/?number=N1",
            ]
        );
    }

    #[test]
    fn the_json_a_script_reads() {
        let json = serde_json::to_value(check("1Z999AA10123456784", None)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "valid": true,
                "carrier": "ups",
                "url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
                "normalized": "1Z999AA10123456784",
                "reason": null,
            })
        );
    }

    #[test]
    fn dhl_jjd_piece_ids_are_format_only() {
        let checked = check("JJD0099999999", None);
        assert!(checked.valid);
        assert_eq!(checked.carrier, Some(Carrier::DhlExpress));
        assert!(!check("JJD12345", None).valid);
        assert!(!check("XJD0099999998", None).valid);
    }

    #[test]
    fn illustrative_numbers_that_fail_their_check_digit() {
        // Two numbers often shown as format examples have wrong check digits (UPS's would be
        // 6, USPS's 3): flagged like any typo.
        let ups = check("1Z12345E0205271688", None);
        assert!(!ups.valid);
        assert_eq!(ups.carrier, Some(Carrier::Ups));
        assert!(check("1Z12345E0205271686", None).valid);
        let usps = check("9400111899223397623910", None);
        assert!(!usps.valid);
        assert!(check("9400111899223397623913", None).valid);
    }
}
