//! The JSON of docs/supplier-api.yaml, field for field: camelCase names, money as
//! `{amountMinor, currency}`, statuses spelled as the contract's enums. The sandbox answers with
//! these types and its tests (and any client) can read answers back into them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An amount in integer minor units of an ISO 4217 currency (`1299` USD is $12.99).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    pub amount_minor: i64,
    pub currency: String,
}

impl Money {
    pub fn usd(amount_minor: i64) -> Money {
        Money {
            amount_minor,
            currency: "USD".to_owned(),
        }
    }
}

/// A ship-to address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub first_name: String,
    pub last_name: String,
    pub address_line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<String>,
    pub city: String,
    pub state_code: String,
    pub postal: String,
    pub country_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// One line of an order: a US Direct SKU and how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderItem {
    pub sku: String,
    pub quantity: u32,
}

/// `createOrder`'s body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrderRequest {
    pub order_number: String,
    pub shipping_address: Address,
    pub items: Vec<OrderItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_method: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderStatus {
    Open,
    #[serde(rename = "On Hold")]
    OnHold,
    Processing,
    #[serde(rename = "Partially Shipped")]
    PartiallyShipped,
    Shipped,
    Canceled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentStatus {
    #[serde(rename = "Not Authorized")]
    NotAuthorized,
    Authorized,
    Paid,
    Declined,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invoice {
    pub id: String,
    pub total_product_cost: Money,
    pub total_shipping_cost: Money,
    pub total_cost: Money,
    pub payment_status: PaymentStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShipmentItem {
    pub sku: String,
    pub quantity: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shipment {
    pub id: String,
    pub tracking_number: String,
    pub carrier: String,
    pub method: String,
    pub tracking_url: String,
    #[serde(with = "time")]
    pub shipped_at: DateTime<Utc>,
    pub shipment_items: Vec<ShipmentItem>,
}

/// `createOrder`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedOrder {
    pub id: String,
    pub order_number: String,
    pub status: OrderStatus,
    pub invoice: Invoice,
    #[serde(with = "time")]
    pub created_at: DateTime<Utc>,
}

/// `getOrder`'s and `cancelOrder`'s answer. The sandbox always sends the address, items and
/// method; the contract lets them be absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub id: String,
    pub order_number: String,
    pub status: OrderStatus,
    /// Present only while `On Hold`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_reason: Option<String>,
    pub invoice: Invoice,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<OrderItem>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_method: Option<String>,
    pub shipments: Vec<Shipment>,
    #[serde(with = "time")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "time")]
    pub updated_at: DateTime<Utc>,
}

/// One entry of `listChanges`: the order's full state at `updatedAt`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderChange {
    pub order_id: String,
    pub order_number: String,
    pub status: OrderStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_reason: Option<String>,
    pub invoice: Invoice,
    pub shipments: Vec<Shipment>,
    #[serde(with = "time")]
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangesPage {
    pub changes: Vec<OrderChange>,
    pub next_cursor: String,
    pub has_more: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelOrderRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `authorizePayment`'s answer; a decline is a normal outcome, not an error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationResult {
    pub invoice_id: String,
    pub payment_status: PaymentStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decline_reason: Option<String>,
    #[serde(with = "time")]
    pub authorized_at: DateTime<Utc>,
}

/// `getItem`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    pub sku: String,
    pub title: String,
    pub weight_grams: u32,
    pub available: u32,
}

/// Every error body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// RFC 3339 in UTC with milliseconds (`2024-05-01T14:03:22.125Z`): clients dedupe changes by
/// `orderId` + `updatedAt`, so two changes within one second must not print the same time.
/// Reads any RFC 3339 time.
pub mod time {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn format(at: &DateTime<Utc>) -> String {
        at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    }

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(deserializer)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|at| at.with_timezone(&Utc))
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    //! Every example in the contract reads into these types, and writes back to the same JSON
    //! (times compared as instants), so no field is misnamed, missing or mis-typed.

    use std::path::PathBuf;

    use serde::de::DeserializeOwned;
    use serde_json::Value;

    use super::*;

    fn contract() -> Value {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/supplier-api.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        serde_json::to_value(yaml).unwrap()
    }

    fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.trim_start_matches('#');
                root.pointer(pointer)
                    .unwrap_or_else(|| panic!("no {reference}"))
            }
            None => node,
        }
    }

    fn schema_name(schema: &Value) -> String {
        let reference = schema["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{schema}"));
        reference.rsplit('/').next().unwrap().to_owned()
    }

    /// Equal JSON, except that strings that are both RFC 3339 times compare as instants.
    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
            }
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(v, w)| same(v, w))
            }
            (Value::String(a), Value::String(b)) => {
                let time = |s: &str| DateTime::parse_from_rfc3339(s).ok();
                a == b || matches!((time(a), time(b)), (Some(x), Some(y)) if x == y)
            }
            _ => a == b,
        }
    }

    fn round_trip<T: DeserializeOwned + Serialize>(name: &str, example: &Value) {
        let typed: T = serde_json::from_value(example.clone())
            .unwrap_or_else(|error| panic!("{name}: {error} in {example}"));
        let back = serde_json::to_value(&typed).unwrap();
        assert!(
            same(&back, example),
            "{name}: wrote {back}, example {example}"
        );
    }

    fn check(schema: &str, example: &Value) {
        match schema {
            "CreateOrderRequest" => round_trip::<CreateOrderRequest>(schema, example),
            "CreatedOrder" => round_trip::<CreatedOrder>(schema, example),
            "ChangesPage" => round_trip::<ChangesPage>(schema, example),
            "Order" => round_trip::<Order>(schema, example),
            "CancelOrderRequest" => round_trip::<CancelOrderRequest>(schema, example),
            "AuthorizationResult" => round_trip::<AuthorizationResult>(schema, example),
            "Item" => round_trip::<Item>(schema, example),
            "Error" => round_trip::<ApiError>(schema, example),
            "Money" => round_trip::<Money>(schema, example),
            other => panic!("no wire type for the contract's {other}"),
        }
    }

    /// Every `examples` entry of a JSON content block; returns how many it checked.
    fn check_content(content: &Value) -> usize {
        let Some(json) = content.get("application/json") else {
            return 0;
        };
        let schema = schema_name(&json["schema"]);
        let mut checked = 0;
        for example in json["examples"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            check(&schema, &example["value"]);
            checked += 1;
        }
        checked
    }

    #[test]
    fn every_contract_example_reads_into_the_wire_types() {
        let root = contract();
        let mut checked = 0;
        for path in root["paths"].as_object().unwrap().values() {
            for operation in path.as_object().unwrap().values() {
                if let Some(body) = operation.get("requestBody") {
                    checked += check_content(&body["content"]);
                }
                for response in operation["responses"].as_object().unwrap().values() {
                    let response = resolve(&root, response);
                    if let Some(content) = response.get("content") {
                        checked += check_content(content);
                    }
                }
            }
        }
        check("Money", &root["components"]["schemas"]["Money"]["example"]);
        // 54 today: shared error responses count once per operation that uses them.
        assert!(checked >= 50, "only {checked} examples checked");
    }

    #[test]
    fn enums_are_spelled_as_the_contract() {
        let text = |value: Value| value.as_str().unwrap().to_owned();
        let status = |s: OrderStatus| text(serde_json::to_value(s).unwrap());
        let payment = |s: PaymentStatus| text(serde_json::to_value(s).unwrap());
        assert_eq!(status(OrderStatus::OnHold), "On Hold");
        assert_eq!(status(OrderStatus::PartiallyShipped), "Partially Shipped");
        assert_eq!(payment(PaymentStatus::NotAuthorized), "Not Authorized");
        assert_eq!(payment(PaymentStatus::Declined), "Declined");
    }
}
