//! UPS tracking numbers: `1Z`, a 6-character shipper account, a 2-digit service code, a
//! 7-digit package number and a mod-10 check digit, so a client's tracking-number validation
//! accepts what the sandbox ships.

/// The sandbox's made-up UPS shipper account.
const SHIPPER: &str = "V8A9R2";
/// UPS Ground's service code.
const GROUND: &str = "03";

/// The tracking number of the sandbox's `serial`th shipment. Package numbers are spread over
/// the 7 digits (multiplying by a number coprime to 10^7 is a bijection), so consecutive
/// shipments do not look consecutive, yet never repeat below 10^7 shipments.
pub(crate) fn tracking_number(serial: u64) -> String {
    let package = (serial.wrapping_mul(7_919).wrapping_add(1_234_567)) % 10_000_000;
    let body = format!("{SHIPPER}{GROUND}{package:07}");
    // `body` is ASCII alphanumeric by construction, so a check digit always exists.
    let check = check_digit(&body).unwrap_or(0);
    format!("1Z{body}{check}")
}

/// UPS's check digit over the 15 characters after `1Z`: digits count as themselves, letters
/// as `(letter - 'A' + 2) % 10`; odd positions (1-based) add once, even positions twice; the
/// check digit brings the sum up to a multiple of 10. `None` for anything not alphanumeric.
pub(crate) fn check_digit(body: &str) -> Option<u32> {
    let mut sum = 0;
    for (index, c) in body.chars().enumerate() {
        let value = match c.to_ascii_uppercase() {
            d @ '0'..='9' => d as u32 - '0' as u32,
            l @ 'A'..='Z' => (l as u32 - 'A' as u32 + 2) % 10,
            _ => return None,
        };
        sum += if index % 2 == 0 { value } else { 2 * value };
    }
    Some((10 - sum % 10) % 10)
}

/// Whether `number` is a well-formed UPS `1Z` tracking number with the right check digit.
pub fn is_valid_ups_tracking_number(number: &str) -> bool {
    let Some(rest) = number.strip_prefix("1Z") else {
        return false;
    };
    if rest.len() != 16 || !rest.is_ascii() {
        return false;
    }
    let (body, check) = rest.split_at(15);
    let check = check.chars().next().and_then(|c| c.to_digit(10));
    check.is_some() && check_digit(body) == check
}

/// The page where UPS shows `number`'s progress.
pub(crate) fn tracking_url(number: &str) -> String {
    format!("https://www.ups.com/track?tracknum={number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers() {
        assert!(is_valid_ups_tracking_number("1Z999AA10123456784"));
        assert_eq!(check_digit("999AA1012345678"), Some(4));
        assert!(!is_valid_ups_tracking_number("1Z999AA10123456785"));
        assert!(!is_valid_ups_tracking_number("1Z999AA1012345678"));
        assert!(!is_valid_ups_tracking_number("1Y999AA10123456784"));
        assert!(!is_valid_ups_tracking_number("1Z999AA1012345678-"));
    }

    #[test]
    fn generated_numbers_are_valid_and_distinct() {
        let numbers: Vec<String> = (0..1000).map(tracking_number).collect();
        assert!(numbers.iter().all(|n| is_valid_ups_tracking_number(n)));
        assert!(numbers.iter().all(|n| &n[8..10] == "03" && n.len() == 18));
        let mut unique = numbers.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), numbers.len());
    }
}
