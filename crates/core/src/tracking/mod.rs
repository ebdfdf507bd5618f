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

mod links;

pub use links::{carrier_of_page, known_carrier_page, safe_tracking_url, MAX_TRACKING_URL_CHARS};

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
mod tests;
