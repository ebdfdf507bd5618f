//! `createOrder`'s checks, in the contract's order: the request's shape and formats (`400
//! validation_failed`), then US Direct's business rules (`422`: catalog, stock, where it ships,
//! weight). Also what an order costs the dealer.

use serde_json::{Map, Value};

use super::address;
use super::settings::SupplierSettings;
use super::wire::{Address, CreateOrderRequest};
use crate::catalog::{CatalogItem, CATALOG, SUPPLIER_ONLY};
use crate::ids::stable_id;

/// 1 lb in 1e-5 g, so weights compare in integers.
const POUND_CENTIMILLIGRAMS: u64 = 45_359_237;
/// Orders heavier than this are held by US Direct for manual handling.
const MAX_POUNDS: u64 = 30;
/// Flat-rate shipping by total weight: (up to this many pounds, inclusive; price in cents).
const SHIPPING_TIERS: &[(u64, i64)] = &[
    (1, 595),
    (5, 895),
    (10, 1295),
    (20, 1895),
    (30, 2695),
    (40, 3695),
    (50, 4495),
];
const SHIPPING_OVER_50_LB: i64 = 5295;
/// The dealer pays this share (in percent) of the catalog's retail price.
const DEALER_COST_PERCENT: i64 = 60;

/// A refusal: which field (JSON path), why, and the contract's error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub code: &'static str,
    pub field: Option<String>,
    pub message: String,
}

impl Refusal {
    fn invalid(field: impl Into<String>, message: impl Into<String>) -> Refusal {
        Refusal {
            code: "validation_failed",
            field: Some(field.into()),
            message: message.into(),
        }
    }

    fn rule(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            field: Some(field.into()),
            message: message.into(),
        }
    }
}

pub(crate) fn catalog_item(sku: &str) -> Option<&'static CatalogItem> {
    CATALOG
        .iter()
        .chain(SUPPLIER_ONLY)
        .find(|item| item.sku == sku)
}

/// Units in stock: the operator's figure for the SKU (`stock` in the settings), else a fixed
/// figure per SKU (25 to 200), so the sandbox has no stock to keep.
pub(crate) fn available(item: &CatalogItem, settings: &SupplierSettings) -> u32 {
    settings
        .stock
        .get(item.sku)
        .copied()
        .unwrap_or_else(|| 25 + (stable_id(0, item.sku) % 176) as u32)
}

/// What one unit costs the dealer: 60 % of retail, rounded half up to the cent.
pub(crate) fn dealer_cost_minor(item: &CatalogItem) -> i64 {
    (item.unit_price_minor * DEALER_COST_PERCENT + 50) / 100
}

fn within_pounds(grams: u64, pounds: u64) -> bool {
    u128::from(grams) * 100_000 <= u128::from(pounds) * u128::from(POUND_CENTIMILLIGRAMS)
}

/// The flat shipping rate for an order of `grams`.
pub(crate) fn shipping_cost_minor(grams: u64) -> i64 {
    SHIPPING_TIERS
        .iter()
        .find(|(pounds, _)| within_pounds(grams, *pounds))
        .map_or(SHIPPING_OVER_50_LB, |(_, price)| *price)
}

pub(crate) fn is_overweight(grams: u64) -> bool {
    !within_pounds(grams, MAX_POUNDS)
}

/// `34.2`: pounds to one decimal, rounded half up, for messages.
fn pounds_text(grams: u64) -> String {
    let tenths = (u128::from(grams) * 1_000_000 + u128::from(POUND_CENTIMILLIGRAMS) / 2)
        / u128::from(POUND_CENTIMILLIGRAMS);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The body as a `CreateOrderRequest`, or the first thing wrong with its shape or formats.
pub(crate) fn parse_create(body: &[u8]) -> Result<CreateOrderRequest, Refusal> {
    let value: Value = serde_json::from_slice(body).map_err(|error| Refusal {
        code: "validation_failed",
        field: None,
        message: format!("The request body is not valid JSON: {error}."),
    })?;
    let Some(root) = value.as_object() else {
        return Err(Refusal {
            code: "validation_failed",
            field: None,
            message: "The request body must be a JSON object.".to_owned(),
        });
    };
    required_text(root, "orderNumber", "orderNumber", 64)?;
    let address = root
        .get("shippingAddress")
        .filter(|v| !v.is_null())
        .ok_or_else(|| Refusal::invalid("shippingAddress", "shippingAddress is required."))?
        .as_object()
        .ok_or_else(|| Refusal::invalid("shippingAddress", "shippingAddress must be an object."))?;
    check_address(address)?;
    check_items(root.get("items"))?;
    optional_text(root, "shippingMethod", "shippingMethod", 64)?;
    let request: CreateOrderRequest = serde_json::from_value(value).map_err(|error| Refusal {
        code: "validation_failed",
        field: None,
        message: error.to_string(),
    })?;
    check_formats(&request.shipping_address)?;
    Ok(request)
}

/// The body of `cancelOrder` (optional): its reason, if any.
pub(crate) fn parse_cancel(body: &[u8]) -> Result<Option<String>, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let value: Value = serde_json::from_slice(body).map_err(|error| Refusal {
        code: "validation_failed",
        field: None,
        message: format!("The request body is not valid JSON: {error}."),
    })?;
    match value {
        Value::Null => Ok(None),
        Value::Object(object) => {
            optional_text(&object, "reason", "reason", 500)?;
            Ok(object
                .get("reason")
                .and_then(Value::as_str)
                .map(str::to_owned))
        }
        _ => Err(Refusal {
            code: "validation_failed",
            field: None,
            message: "The request body must be a JSON object.".to_owned(),
        }),
    }
}

fn required_text(
    object: &Map<String, Value>,
    key: &str,
    path: &str,
    max: usize,
) -> Result<(), Refusal> {
    match object.get(key) {
        None | Some(Value::Null) => Err(Refusal::invalid(path, format!("{key} is required."))),
        Some(Value::String(text)) if text.trim().is_empty() => {
            Err(Refusal::invalid(path, format!("{key} must not be empty.")))
        }
        Some(Value::String(text)) => at_most(text, path, key, max),
        Some(_) => Err(Refusal::invalid(path, format!("{key} must be a string."))),
    }
}

fn optional_text(
    object: &Map<String, Value>,
    key: &str,
    path: &str,
    max: usize,
) -> Result<(), Refusal> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(text)) => at_most(text, path, key, max),
        Some(_) => Err(Refusal::invalid(path, format!("{key} must be a string."))),
    }
}

fn at_most(text: &str, path: &str, key: &str, max: usize) -> Result<(), Refusal> {
    if text.chars().count() > max {
        Err(Refusal::invalid(
            path,
            format!("{key} must be at most {max} characters."),
        ))
    } else {
        Ok(())
    }
}

fn check_address(address: &Map<String, Value>) -> Result<(), Refusal> {
    for (key, max) in [
        ("firstName", 100),
        ("lastName", 100),
        ("addressLine1", 200),
        ("city", 100),
        ("stateCode", 2),
        ("postal", 10),
        ("countryCode", 2),
    ] {
        required_text(address, key, &format!("shippingAddress.{key}"), max)?;
    }
    for (key, max) in [("addressLine2", 200), ("phone", 30), ("email", 254)] {
        optional_text(address, key, &format!("shippingAddress.{key}"), max)?;
    }
    Ok(())
}

/// Formats of fields already known to be present strings.
fn check_formats(address: &Address) -> Result<(), Refusal> {
    let two_capitals = |text: &str| text.len() == 2 && text.chars().all(|c| c.is_ascii_uppercase());
    if !two_capitals(&address.state_code) {
        return Err(Refusal::invalid(
            "shippingAddress.stateCode",
            "stateCode must be a 2-letter code.",
        ));
    }
    if !two_capitals(&address.country_code) {
        return Err(Refusal::invalid(
            "shippingAddress.countryCode",
            "countryCode must be an ISO 3166-1 alpha-2 code.",
        ));
    }
    if address.country_code == "US" {
        if !address::is_usps_code(&address.state_code) {
            return Err(Refusal::invalid(
                "shippingAddress.stateCode",
                format!("{} is not a USPS state code.", address.state_code),
            ));
        }
        if !is_zip(&address.postal) {
            return Err(Refusal::invalid(
                "shippingAddress.postal",
                "postal must be a ZIP (12345) or ZIP+4 (12345-6789) code.",
            ));
        }
    }
    if let Some(email) = &address.email {
        if !looks_like_email(email) {
            return Err(Refusal::invalid(
                "shippingAddress.email",
                "email must be an email address.",
            ));
        }
    }
    Ok(())
}

fn is_zip(postal: &str) -> bool {
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    match postal.split_once('-') {
        None => postal.len() == 5 && digits(postal),
        Some((zip, plus4)) => zip.len() == 5 && plus4.len() == 4 && digits(zip) && digits(plus4),
    }
}

fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn check_items(items: Option<&Value>) -> Result<(), Refusal> {
    let items = match items {
        None | Some(Value::Null) => return Err(Refusal::invalid("items", "items is required.")),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(Refusal::invalid("items", "items must be an array.")),
    };
    if items.is_empty() || items.len() > 100 {
        return Err(Refusal::invalid("items", "items must have 1 to 100 lines."));
    }
    let mut seen: Vec<&str> = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let path = format!("items[{index}]");
        let item = item
            .as_object()
            .ok_or_else(|| Refusal::invalid(&path, format!("{path} must be an object.")))?;
        required_text(item, "sku", &format!("{path}.sku"), 64)?;
        let quantity = item.get("quantity");
        let valid = quantity
            .and_then(Value::as_u64)
            .is_some_and(|q| q >= 1 && q <= u64::from(u32::MAX));
        if !valid {
            return Err(Refusal::invalid(
                format!("{path}.quantity"),
                "quantity must be a whole number of at least 1.",
            ));
        }
        let sku = item.get("sku").and_then(Value::as_str).unwrap_or_default();
        if seen.contains(&sku) {
            return Err(Refusal::invalid(
                format!("{path}.sku"),
                format!("SKU {sku} is repeated; send one line per SKU."),
            ));
        }
        seen.push(sku);
    }
    Ok(())
}

/// What US Direct's business rules say about a well-formed order (`422` codes), else its
/// total weight in grams.
pub(crate) fn check_business_rules(
    request: &CreateOrderRequest,
    settings: &SupplierSettings,
) -> Result<u64, Refusal> {
    let mut grams = 0_u64;
    for (index, line) in request.items.iter().enumerate() {
        let item = catalog_item(&line.sku).ok_or_else(|| {
            Refusal::rule(
                "unknown_sku",
                format!("items[{index}].sku"),
                format!("SKU {} is not in the catalog.", line.sku),
            )
        })?;
        let in_stock = available(item, settings);
        if line.quantity > in_stock {
            return Err(Refusal::rule(
                "out_of_stock",
                format!("items[{index}].quantity"),
                format!("Only {in_stock} of {} available.", item.sku),
            ));
        }
        grams += u64::from(item.grams) * u64::from(line.quantity);
    }
    if let Some((field, message)) = address::not_serviceable(&request.shipping_address) {
        return Err(Refusal::rule("address_not_serviceable", field, message));
    }
    if is_overweight(grams) {
        return Err(Refusal::rule(
            "order_overweight_held",
            "items",
            format!(
                "Order weighs {} lb; orders over {MAX_POUNDS} lb are held.",
                pounds_text(grams)
            ),
        ));
    }
    Ok(grams)
}

/// The dealer's cost of the items (every SKU is known: the rules passed).
pub(crate) fn product_cost_minor(request: &CreateOrderRequest) -> i64 {
    request
        .items
        .iter()
        .filter_map(|line| {
            catalog_item(&line.sku).map(|item| dealer_cost_minor(item) * i64::from(line.quantity))
        })
        .sum()
}

/// The surcharges (credits when negative) the operator set for the order's SKUs, once per line.
pub(crate) fn shipping_adjustment_minor(
    request: &CreateOrderRequest,
    settings: &SupplierSettings,
) -> i64 {
    request
        .items
        .iter()
        .filter_map(|line| settings.shipping_adjustment_minor.get(&line.sku))
        .fold(0_i64, |sum, minor| sum.saturating_add(*minor))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn shipping_tiers_with_inclusive_bounds() {
        assert_eq!(shipping_cost_minor(0), 595);
        assert_eq!(shipping_cost_minor(453), 595); // 0.9987 lb
        assert_eq!(shipping_cost_minor(454), 895); // 1.0009 lb
        assert_eq!(shipping_cost_minor(2267), 895); // 4.9979 lb
        assert_eq!(shipping_cost_minor(2268), 1295); // 5.0001 lb
        assert_eq!(shipping_cost_minor(4535), 1295);
        assert_eq!(shipping_cost_minor(4536), 1895);
        assert_eq!(shipping_cost_minor(9071), 1895);
        assert_eq!(shipping_cost_minor(9072), 2695);
        assert_eq!(shipping_cost_minor(13_607), 2695);
        assert_eq!(shipping_cost_minor(13_608), 3695);
        assert_eq!(shipping_cost_minor(22_679), 4495);
        assert_eq!(shipping_cost_minor(22_680), 5295);
    }

    #[test]
    fn thirty_pounds_is_the_hold_line() {
        assert!(!is_overweight(13_607));
        assert!(is_overweight(13_608));
        assert_eq!(pounds_text(15_513), "34.2");
    }

    #[test]
    fn dealer_cost_rounds_half_up() {
        let item = |price| CatalogItem {
            sku: "X",
            title: "X",
            unit_price_minor: price,
            grams: 1,
        };
        assert_eq!(dealer_cost_minor(&item(499)), 299); // 299.4
        assert_eq!(dealer_cost_minor(&item(2450)), 1470);
        assert_eq!(dealer_cost_minor(&item(1299)), 779); // 779.4
        assert_eq!(dealer_cost_minor(&item(1899)), 1139); // 1139.4
        assert_eq!(dealer_cost_minor(&item(1450)), 870);
        assert_eq!(dealer_cost_minor(&item(3299)), 1979); // 1979.4
        assert_eq!(dealer_cost_minor(&item(1)), 1); // 0.6
    }

    fn order() -> serde_json::Value {
        json!({
            "orderNumber": "#1042",
            "shippingAddress": {
                "firstName": "Jane", "lastName": "Doe", "addressLine1": "123 Main St",
                "city": "Springfield", "stateCode": "IL", "postal": "62701", "countryCode": "US"
            },
            "items": [{ "sku": "USD-1003", "quantity": 2 }]
        })
    }

    fn refusal(body: serde_json::Value) -> Refusal {
        parse_create(body.to_string().as_bytes()).unwrap_err()
    }

    #[test]
    fn shape_and_format_errors_name_the_field() {
        assert!(parse_create(order().to_string().as_bytes()).is_ok());
        let repeated =
            json!([{"sku": "USD-1003", "quantity": 1}, {"sku": "USD-1003", "quantity": 1}]);
        // (field named in the answer, JSON pointer to change, its new value)
        let cases = [
            ("orderNumber", "/orderNumber", json!("")),
            ("shippingAddress", "/shippingAddress", json!(null)),
            (
                "shippingAddress.stateCode",
                "/shippingAddress/stateCode",
                json!("Illinois"),
            ),
            (
                "shippingAddress.stateCode",
                "/shippingAddress/stateCode",
                json!("ZZ"),
            ),
            (
                "shippingAddress.postal",
                "/shippingAddress/postal",
                json!("6270"),
            ),
            (
                "shippingAddress.email",
                "/shippingAddress/email",
                json!("jane at example"),
            ),
            ("shippingAddress.city", "/shippingAddress/city", json!(12)),
            ("items", "/items", json!([])),
            ("items[0].quantity", "/items/0/quantity", json!(0)),
            ("items[0].quantity", "/items/0/quantity", json!(1.5)),
            ("items[1].sku", "/items", repeated),
        ];
        for (field, pointer, value) in cases {
            let mut body = order();
            match body.pointer_mut(pointer) {
                Some(slot) => *slot = value,
                None => {
                    let (parent, key) = pointer.rsplit_once('/').unwrap();
                    body.pointer_mut(parent).unwrap()[key] = value;
                }
            }
            let refused = refusal(body);
            assert_eq!(refused.code, "validation_failed");
            assert_eq!(refused.field.as_deref(), Some(field), "{}", refused.message);
        }
        assert_eq!(
            parse_create(b"{not json").unwrap_err().code,
            "validation_failed"
        );
    }
}
