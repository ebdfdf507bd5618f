//! Poison data: a store or US Direct answering well-formed requests with hostile numbers and
//! text, so each case a real peer could send is a test (`dealer sandbox poison <case>|off`, or
//! `PUT /_sandbox/poison {"case": …}` on the store's or the supplier's admin API).
//!
//! Store cases change the order JSON as it is served, never the book: the sandbox's own sums
//! stay sane. `bad_amounts` poisons orders by their number ((number − 1000) % 16 from 1 to 7;
//! the sandbox numbers orders from 1001, so 1001–1007 are poisoned and 1008–1016 good):
//! - 1: a total with a non-ASCII character, `"1.aé"`;
//! - 2: an absurd total, `"99999999999999999999.99"`;
//! - 3: a line quantity of 4294967296 (one past `u32::MAX`);
//! - 4: a line quantity of `i64::MAX`;
//! - 5: a line whose total is `i64::MAX` minor units for 2 units (WooCommerce: its subtotal;
//!   Shopify: a unit price of half that, so the product does not fit);
//! - 6: two lines of `i64::MAX` minor units each: each fits, their sum does not;
//! - 7: an absurd weight (Shopify: two lines of `u32::MAX` units weighing 4,294,967 kg each, a
//!   sum past `u64`; WooCommerce orders carry no weight, so this one stays good there).
//!
//! Supplier cases change US Direct's answers as they are sent (the idempotency record keeps the
//! true one): every invoice negative or in CAD, every shipment's tracking link
//! `javascript:`, `file:` or on another host, or its carrier name markup and terminal escapes.
//! A poisoned shipment's tracking number is one no carrier format matches, so the link cannot
//! be rebuilt from a recognised number and the supplier's link or carrier is all there is.

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::SandboxError;
use crate::local::{running_at, Address};
use crate::model::StoreKind;

/// A poison case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Poison {
    BadAmounts,
    NegativeInvoice,
    ForeignInvoice,
    TrackingUrlJavascript,
    TrackingUrlFile,
    TrackingUrlOtherHost,
    CarrierMarkup,
}

/// The body of `PUT /_sandbox/poison`: a case, or `null` for none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoisonSetting {
    pub case: Option<Poison>,
}

impl Poison {
    pub const ALL: [Poison; 7] = [
        Poison::BadAmounts,
        Poison::NegativeInvoice,
        Poison::ForeignInvoice,
        Poison::TrackingUrlJavascript,
        Poison::TrackingUrlFile,
        Poison::TrackingUrlOtherHost,
        Poison::CarrierMarkup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Poison::BadAmounts => "bad_amounts",
            Poison::NegativeInvoice => "negative_invoice",
            Poison::ForeignInvoice => "foreign_invoice",
            Poison::TrackingUrlJavascript => "tracking_url_javascript",
            Poison::TrackingUrlFile => "tracking_url_file",
            Poison::TrackingUrlOtherHost => "tracking_url_other_host",
            Poison::CarrierMarkup => "carrier_markup",
        }
    }

    pub fn parse(name: &str) -> Option<Poison> {
        Poison::ALL.into_iter().find(|p| p.as_str() == name.trim())
    }

    /// A case of the stores' order JSON (else of US Direct's answers).
    pub fn is_store(self) -> bool {
        self == Poison::BadAmounts
    }
}

/// The largest amount a store can write in minor units: `i64::MAX` cents.
const MAX_AMOUNT: &str = "92233720368547758.07";
/// Half of it, rounded up: two units do not fit.
const HALF_MAX_AMOUNT: &str = "46116860184273879.04";
/// A tracking number no carrier issues.
const UNRECOGNISED_NUMBER: &str = "USD00000000TRK1";
/// The carrier name of `carrier_markup`: markup, a terminal escape that clears the screen, a
/// bidi override, and length.
pub const CARRIER_MARKUP: &str =
    "<b>UPS</b><img src=x onerror=alert(1)>\u{1b}[2J\u{1b}[31m\u{202e}dnuorG\u{7} padding padding padding padding padding padding padding padding";

/// Orders 1001–1007, 1017–1023, … get cases 1–7; the other half stay good.
fn case_of(number: u64) -> u64 {
    match number.wrapping_sub(1000) % 16 {
        case @ 1..=7 => case,
        _ => 0,
    }
}

/// A WooCommerce order object as `bad_amounts` serves order `number`.
pub(crate) fn woocommerce_order(poison: Option<Poison>, number: u64, order: &mut Value) {
    if poison != Some(Poison::BadAmounts) {
        return;
    }
    match case_of(number) {
        1 => order["total"] = json!("1.a\u{e9}"),
        2 => order["total"] = json!("99999999999999999999.99"),
        3 => order["line_items"][0]["quantity"] = json!(4_294_967_296_i64),
        4 => order["line_items"][0]["quantity"] = json!(i64::MAX),
        5 => {
            order["line_items"][0]["subtotal"] = json!(MAX_AMOUNT);
            order["line_items"][0]["quantity"] = json!(2);
        }
        6 => {
            let mut line = order["line_items"][0].clone();
            line["subtotal"] = json!(MAX_AMOUNT);
            line["quantity"] = json!(1);
            order["line_items"] = json!([line.clone(), line]);
        }
        _ => {}
    }
}

/// A Shopify `Order` object (before the query's projection) as `bad_amounts` serves it.
pub(crate) fn shopify_order(poison: Option<Poison>, order: &mut Value) {
    if poison != Some(Poison::BadAmounts) {
        return;
    }
    let Some(number) = order["name"]
        .as_str()
        .and_then(|name| name.trim_start_matches('#').parse::<u64>().ok())
    else {
        return;
    };
    let amount = |text: &str| json!({ "shopMoney": { "amount": text, "currencyCode": "USD" }, "presentmentMoney": { "amount": text, "currencyCode": "USD" } });
    let quantity = |order: &mut Value, n: Value| {
        order["lineItems"][0]["quantity"] = n.clone();
        order["lineItems"][0]["currentQuantity"] = n;
    };
    match case_of(number) {
        1 => order["currentTotalPriceSet"] = amount("1.a\u{e9}"),
        2 => order["currentTotalPriceSet"] = amount("99999999999999999999.99"),
        3 => quantity(order, json!(4_294_967_296_i64)),
        4 => quantity(order, json!(i64::MAX)),
        5 => {
            order["lineItems"][0]["originalUnitPriceSet"] = amount(HALF_MAX_AMOUNT);
            quantity(order, json!(2));
        }
        6 => {
            let mut line = order["lineItems"][0].clone();
            line["originalUnitPriceSet"] = amount(MAX_AMOUNT);
            line["quantity"] = json!(1);
            line["currentQuantity"] = json!(1);
            order["lineItems"] = json!([line.clone(), line]);
        }
        7 => {
            let mut line = order["lineItems"][0].clone();
            line["variant"]["inventoryItem"]["measurement"]["weight"] =
                json!({ "unit": "KILOGRAMS", "value": 4_294_967 });
            line["originalUnitPriceSet"] = amount("0.00");
            line["quantity"] = json!(u32::MAX);
            line["currentQuantity"] = json!(u32::MAX);
            order["lineItems"] = json!([line.clone(), line]);
        }
        _ => {}
    }
}

/// US Direct's answer `body` as a supplier case sends it: every invoice and shipment in it.
pub(crate) fn supplier_answer(poison: Option<Poison>, body: &mut Value) {
    let Some(poison) = poison.filter(|p| !p.is_store()) else {
        return;
    };
    match body {
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| supplier_answer(Some(poison), item)),
        Value::Object(fields) => {
            if fields.contains_key("totalCost") {
                invoice(poison, fields);
            }
            if fields.contains_key("trackingUrl") {
                shipment(poison, fields);
            }
            fields
                .values_mut()
                .for_each(|value| supplier_answer(Some(poison), value));
        }
        _ => {}
    }
}

fn invoice(poison: Poison, fields: &mut serde_json::Map<String, Value>) {
    for name in ["totalCost", "totalProductCost", "totalShippingCost"] {
        let Some(money) = fields.get_mut(name) else {
            continue;
        };
        match poison {
            Poison::NegativeInvoice => {
                let minor = money["amountMinor"].as_i64().unwrap_or(0);
                money["amountMinor"] = json!(-minor.saturating_abs().max(1));
            }
            Poison::ForeignInvoice => money["currency"] = json!("CAD"),
            _ => {}
        }
    }
}

fn shipment(poison: Poison, fields: &mut serde_json::Map<String, Value>) {
    let (url, carrier) = match poison {
        Poison::TrackingUrlJavascript => ("javascript:alert(document.cookie)", None),
        Poison::TrackingUrlFile => ("file:///etc/passwd", None),
        Poison::TrackingUrlOtherHost => ("https://ups.com.evil.example/track?n=1", None),
        Poison::CarrierMarkup => ("https://www.ups.com/track", Some(CARRIER_MARKUP)),
        _ => return,
    };
    fields.insert("trackingUrl".into(), json!(url));
    fields.insert("trackingNumber".into(), json!(UNRECOGNISED_NUMBER));
    if let Some(carrier) = carrier {
        fields.insert("carrier".into(), json!(carrier));
    }
}

/// Sets `poison` (or none) on the sandbox servers running for `state_dir` (`dealer sandbox
/// serve`, or the app's own): a store case on every store there, a supplier case on the
/// supplier, `None` on all of them. Returns what was changed, one line each.
pub async fn set_poison(
    state_dir: &Path,
    poison: Option<Poison>,
) -> Result<Vec<String>, SandboxError> {
    let mut targets: Vec<(String, String)> = Vec::new();
    let stores = poison.is_none_or(Poison::is_store);
    let supplier = poison.is_none_or(|p| !p.is_store());
    if stores {
        for kind in StoreKind::ALL {
            if let Some(Address { admin_url, .. }) =
                running_at(&state_dir.join(format!("{}.addr", kind.as_str()))).await
            {
                targets.push((format!("the {} store", kind.as_str()), admin_url));
            }
        }
    }
    if supplier {
        if let Some(Address { admin_url, .. }) = running_at(&state_dir.join("supplier.addr")).await
        {
            targets.push(("US Direct".into(), admin_url));
        }
    }
    if targets.is_empty() {
        return Err(SandboxError::Remote {
            url: state_dir.display().to_string(),
            detail: "no sandbox is running for this state dir; start `dealer sandbox serve \
                     --state-dir DIR` (or the app) first"
                .into(),
        });
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap_or_default();
    let mut done = Vec::new();
    for (name, admin_url) in targets {
        let response = client
            .put(format!("{admin_url}/poison"))
            .json(&PoisonSetting { case: poison })
            .send()
            .await
            .map_err(|e| SandboxError::Remote {
                url: admin_url.clone(),
                detail: format!("{name}: {e}"),
            })?;
        if !response.status().is_success() {
            return Err(SandboxError::Remote {
                url: admin_url,
                detail: format!("{name} answered {}", response.status()),
            });
        }
        done.push(match poison {
            Some(case) => format!("{name}: poison {}", case.as_str()),
            None => format!("{name}: no poison"),
        });
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for case in Poison::ALL {
            assert_eq!(Poison::parse(case.as_str()), Some(case));
            assert_eq!(
                serde_json::to_value(case).unwrap(),
                json!(case.as_str()),
                "the admin API and the CLI use the same names"
            );
        }
        assert_eq!(Poison::parse("slow_drip"), None);
    }

    #[test]
    fn supplier_cases_reach_nested_invoices_and_shipments() {
        let mut body = json!({
            "changes": [{
                "invoice": {
                    "totalCost": { "amountMinor": 695, "currency": "USD" },
                    "totalProductCost": { "amountMinor": 100, "currency": "USD" },
                    "totalShippingCost": { "amountMinor": 595, "currency": "USD" }
                },
                "shipments": [{ "trackingUrl": "https://www.ups.com/x", "carrier": "UPS",
                                "trackingNumber": "1Z999AA10123456784" }]
            }]
        });
        let mut negative = body.clone();
        supplier_answer(Some(Poison::NegativeInvoice), &mut negative);
        assert_eq!(
            negative["changes"][0]["invoice"]["totalCost"]["amountMinor"],
            -695
        );
        supplier_answer(Some(Poison::CarrierMarkup), &mut body);
        let shipment = &body["changes"][0]["shipments"][0];
        assert_eq!(shipment["carrier"], CARRIER_MARKUP);
        assert_eq!(shipment["trackingNumber"], UNRECOGNISED_NUMBER);
        assert_eq!(
            body["changes"][0]["invoice"]["totalCost"]["amountMinor"],
            695
        );
    }
}
