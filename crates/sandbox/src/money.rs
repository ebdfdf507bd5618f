//! Rendering integer minor units as each wire format writes money: never through floats.

/// Decimal places of a currency's minor unit (ISO 4217).
pub(crate) fn minor_digits(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" | "PYG" => 0,
        "BHD" | "KWD" | "JOD" | "OMR" | "TND" | "LYD" | "IQD" => 3,
        _ => 2,
    }
}

/// `minor` with exactly `places` decimals (at least the currency's own): Woo's `"29.35"`,
/// BigCommerce's `"29.3500"`.
pub(crate) fn fixed(minor: i64, currency: &str, places: u32) -> String {
    let digits = minor_digits(currency);
    let places = places.max(digits);
    let scale = 10_i64.pow(digits);
    let sign = if minor < 0 { "-" } else { "" };
    let magnitude = minor.unsigned_abs();
    let whole = magnitude / scale.unsigned_abs();
    let fraction = magnitude % scale.unsigned_abs();
    if places == 0 {
        return format!("{sign}{whole}");
    }
    let padding = (places - digits) as usize;
    let fraction = if digits == 0 {
        String::new()
    } else {
        format!("{fraction:0width$}", width = digits as usize)
    };
    format!("{sign}{whole}.{fraction}{:0<padding$}", "")
}

/// Shopify's `Decimal` as it prints money amounts: trailing zeros dropped but one decimal kept
/// (`"29.35"`, `"10.5"`, `"10.0"`), so clients cannot assume two decimals.
pub(crate) fn shopify_decimal(minor: i64, currency: &str) -> String {
    let text = fixed(minor, currency, 0);
    match text.split_once('.') {
        None => format!("{text}.0"),
        Some((whole, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            let fraction = if fraction.is_empty() { "0" } else { fraction };
            format!("{whole}.{fraction}")
        }
    }
}

/// A JSON number for formats that send some money as numbers (Woo's line `price`): parsed from
/// the exact decimal text, whole amounts as integers like WooCommerce prints them.
pub(crate) fn json_number(minor: i64, currency: &str) -> serde_json::Value {
    let text = shopify_decimal(minor, currency);
    let text = text.strip_suffix(".0").unwrap_or(&text);
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

/// Splits `total` over parts in proportion to `weights`, exactly (the remainder goes to the
/// first parts), e.g. an order's tax over its lines.
pub(crate) fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i64 = weights.iter().sum();
    if weights.is_empty() {
        return Vec::new();
    }
    if sum == 0 {
        let mut shares = vec![0; weights.len()];
        shares[0] = total;
        return shares;
    }
    let mut shares: Vec<i64> = weights
        .iter()
        .map(|w| (i128::from(total) * i128::from(*w) / i128::from(sum)) as i64)
        .collect();
    let mut rest = total - shares.iter().sum::<i64>();
    let step = rest.signum();
    let len = shares.len();
    let mut index = 0;
    while rest != 0 {
        shares[index % len] += step;
        rest -= step;
        index += 1;
    }
    shares
}

/// Grams as pounds with four decimals (BigCommerce's `"1.0000"`), rounded half up.
pub(crate) fn grams_as_pounds(grams: u64) -> String {
    // 1 lb = 453.59237 g exactly; work in 1e-5 g to stay in integers.
    let ten_thousandths = (u128::from(grams) * 10_000 * 100_000 + 45_359_237 / 2) / 45_359_237;
    format!(
        "{}.{:04}",
        ten_thousandths / 10_000,
        ten_thousandths % 10_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_places() {
        assert_eq!(fixed(2935, "USD", 2), "29.35");
        assert_eq!(fixed(2935, "USD", 4), "29.3500");
        assert_eq!(fixed(5, "USD", 2), "0.05");
        assert_eq!(fixed(-150, "USD", 2), "-1.50");
        assert_eq!(fixed(1200, "JPY", 0), "1200");
        assert_eq!(fixed(1200, "JPY", 4), "1200.0000");
        assert_eq!(fixed(1234, "KWD", 2), "1.234");
    }

    #[test]
    fn shopify_amounts() {
        assert_eq!(shopify_decimal(2935, "USD"), "29.35");
        assert_eq!(shopify_decimal(1050, "USD"), "10.5");
        assert_eq!(shopify_decimal(1000, "USD"), "10.0");
        assert_eq!(shopify_decimal(0, "USD"), "0.0");
        assert_eq!(shopify_decimal(500, "JPY"), "500.0");
    }

    #[test]
    fn woo_price_numbers() {
        assert_eq!(json_number(300, "USD").to_string(), "3");
        assert_eq!(json_number(1299, "USD").to_string(), "12.99");
        assert_eq!(json_number(1250, "USD").to_string(), "12.5");
    }

    #[test]
    fn allocation_is_exact() {
        assert_eq!(allocate(135, &[600, 1200]), vec![45, 90]);
        assert_eq!(allocate(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(allocate(7, &[0, 0]), vec![7, 0]);
        assert_eq!(allocate(-5, &[1, 1]), vec![-3, -2]);
        assert!(allocate(5, &[]).is_empty());
    }

    #[test]
    fn pounds() {
        assert_eq!(grams_as_pounds(0), "0.0000");
        assert_eq!(grams_as_pounds(454), "1.0009");
        assert_eq!(grams_as_pounds(13_608), "30.0005");
    }
}
