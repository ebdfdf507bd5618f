//! The contract's JSON (docs/supplier-api.yaml, camelCase) and its mapping to and from the
//! engine's supplier types. Unknown fields are ignored, so US Direct may add some; an unknown
//! status is not, because guessing what it means could ship or bill wrongly.

use chrono::{DateTime, Utc};
use dealer_core::supplier::{
    Authorization, ChangesPage, CreatedOrder, Invoice, PaymentStatus, ShipTo, SupplierError,
    SupplierItem, SupplierLine, SupplierOrder, SupplierOrderRequest, SupplierOrderStatus,
    SupplierShipment, UnreadableChange,
};
use serde::{Deserialize, Serialize};

/// `CreateOrderRequest`. `shippingMethod` is left out: US Direct's standard `Ground` applies.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateOrderBody<'a> {
    pub order_number: &'a str,
    pub shipping_address: AddressBody<'a>,
    pub items: Vec<ItemBody<'a>>,
}

/// `Address`. Empty optional fields are left out rather than sent as `""`, which `email`'s
/// format would refuse.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AddressBody<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub address_line1: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<&'a str>,
    pub city: &'a str,
    pub state_code: &'a str,
    pub postal: &'a str,
    pub country_code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
}

/// `OrderItem`.
#[derive(Debug, Serialize)]
pub(crate) struct ItemBody<'a> {
    pub sku: &'a str,
    pub quantity: u32,
}

/// `CancelOrderRequest`.
#[derive(Debug, Serialize)]
pub(crate) struct CancelBody<'a> {
    pub reason: &'a str,
}

impl<'a> CreateOrderBody<'a> {
    pub(crate) fn from_request(request: &'a SupplierOrderRequest) -> Self {
        let to = &request.ship_to;
        Self {
            order_number: &request.order_number,
            shipping_address: AddressBody::from_ship_to(to),
            items: request
                .lines
                .iter()
                .map(|line| ItemBody {
                    sku: &line.sku,
                    quantity: line.quantity,
                })
                .collect(),
        }
    }
}

impl<'a> AddressBody<'a> {
    fn from_ship_to(to: &'a ShipTo) -> Self {
        Self {
            first_name: &to.first_name,
            last_name: &to.last_name,
            address_line1: &to.line1,
            address_line2: given(&to.line2),
            city: &to.city,
            state_code: &to.state_code,
            postal: &to.postal,
            country_code: &to.country_code,
            phone: given(&to.phone),
            email: given(&to.email),
        }
    }
}

fn given(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

/// `Money`: integer minor units and an ISO 4217 code.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireMoney {
    pub amount_minor: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub(crate) enum WireOrderStatus {
    Open,
    #[serde(rename = "On Hold")]
    OnHold,
    Processing,
    #[serde(rename = "Partially Shipped")]
    PartiallyShipped,
    Shipped,
    Canceled,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub(crate) enum WirePaymentStatus {
    #[serde(rename = "Not Authorized")]
    NotAuthorized,
    Authorized,
    Paid,
    Declined,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireInvoice {
    pub id: String,
    pub total_product_cost: WireMoney,
    pub total_shipping_cost: WireMoney,
    pub total_cost: WireMoney,
    pub payment_status: WirePaymentStatus,
}

/// `ShipmentItem`, and `OrderItem` when read back.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WireItemLine {
    pub sku: String,
    pub quantity: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireShipment {
    pub id: String,
    pub tracking_number: String,
    pub carrier: String,
    pub method: String,
    pub tracking_url: String,
    pub shipped_at: DateTime<Utc>,
    pub shipment_items: Vec<WireItemLine>,
}

/// `CreatedOrder`: `createOrder`'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireCreatedOrder {
    pub id: String,
    pub order_number: String,
    pub invoice: WireInvoice,
    pub created_at: DateTime<Utc>,
}

/// `Order`: `getOrder`'s and `cancelOrder`'s answer. The ship-to and items it echoes are what
/// the app sent, so they are not read back.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireOrder {
    pub id: String,
    pub order_number: String,
    pub status: WireOrderStatus,
    #[serde(default)]
    pub hold_reason: Option<String>,
    pub invoice: WireInvoice,
    pub shipments: Vec<WireShipment>,
    pub updated_at: DateTime<Utc>,
}

/// `OrderChange`: the order's full state at `updatedAt`, under `orderId`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireOrderChange {
    pub order_id: String,
    pub order_number: String,
    pub status: WireOrderStatus,
    #[serde(default)]
    pub hold_reason: Option<String>,
    pub invoice: WireInvoice,
    pub shipments: Vec<WireShipment>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireChangesPage {
    pub changes: Vec<WireOrderChange>,
    pub next_cursor: String,
    pub has_more: bool,
}

/// `AuthorizationResult`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireAuthorization {
    pub invoice_id: String,
    pub payment_status: WirePaymentStatus,
    #[serde(default)]
    pub decline_reason: Option<String>,
    pub authorized_at: DateTime<Utc>,
}

/// `Item`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireItem {
    pub sku: String,
    pub title: String,
    pub weight_grams: u32,
    pub available: u32,
}

/// `Error`: every error body.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WireError {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub field: Option<String>,
}

fn protocol(detail: impl Into<String>) -> SupplierError {
    SupplierError::Protocol {
        detail: detail.into(),
    }
}

impl From<WireOrderStatus> for SupplierOrderStatus {
    fn from(status: WireOrderStatus) -> Self {
        match status {
            WireOrderStatus::Open => SupplierOrderStatus::Open,
            WireOrderStatus::OnHold => SupplierOrderStatus::OnHold,
            WireOrderStatus::Processing => SupplierOrderStatus::Processing,
            WireOrderStatus::PartiallyShipped => SupplierOrderStatus::PartiallyShipped,
            WireOrderStatus::Shipped => SupplierOrderStatus::Shipped,
            WireOrderStatus::Canceled => SupplierOrderStatus::Canceled,
        }
    }
}

impl From<WirePaymentStatus> for PaymentStatus {
    fn from(status: WirePaymentStatus) -> Self {
        match status {
            WirePaymentStatus::NotAuthorized => PaymentStatus::NotAuthorized,
            WirePaymentStatus::Authorized => PaymentStatus::Authorized,
            WirePaymentStatus::Paid => PaymentStatus::Paid,
            WirePaymentStatus::Declined => PaymentStatus::Declined,
        }
    }
}

/// The largest invoice amount read: $1,000,000,000. No dropship order costs that, and with
/// amounts this size a day's spend (their sum) stays exact for 92 million invoices.
pub(crate) const MAX_INVOICE_MINOR: i64 = 100_000_000_000;

impl WireInvoice {
    /// The engine keeps one currency per invoice; three amounts in different currencies could
    /// not be added up, so such an invoice is not read.
    ///
    /// US Direct bills in US dollars, and an invoice is never a credit: any other currency or a
    /// negative amount is refused with its reason (it would pass Auto Authorize's limits, and a
    /// negative total would lower the day's spend against the cap).
    pub(crate) fn into_invoice(self) -> Result<Invoice, SupplierError> {
        let currency = self.total_cost.currency.clone();
        if currency != "USD" {
            return Err(protocol(format!(
                "invoice {}: totalCost is in {currency:?}, not USD; US Direct bills in US \
                 dollars, so the invoice is not read",
                self.id
            )));
        }
        for (name, money) in [
            ("totalCost", &self.total_cost),
            ("totalProductCost", &self.total_product_cost),
            ("totalShippingCost", &self.total_shipping_cost),
        ] {
            if money.amount_minor < 0 {
                return Err(protocol(format!(
                    "invoice {}: {name} is negative ({} cents); an invoice is never a credit, \
                     so it is not read",
                    self.id, money.amount_minor
                )));
            }
            if money.amount_minor > MAX_INVOICE_MINOR {
                return Err(protocol(format!(
                    "invoice {}: {name} is {} cents, more than any dropship invoice; it is \
                     not read",
                    self.id, money.amount_minor
                )));
            }
        }
        for (name, money) in [
            ("totalProductCost", &self.total_product_cost),
            ("totalShippingCost", &self.total_shipping_cost),
        ] {
            if money.currency != currency {
                return Err(protocol(format!(
                    "invoice {}: {name} is in {} but totalCost in {currency}",
                    self.id, money.currency
                )));
            }
        }
        Ok(Invoice {
            id: self.id,
            currency,
            product_cost_minor: self.total_product_cost.amount_minor,
            shipping_cost_minor: self.total_shipping_cost.amount_minor,
            total_cost_minor: self.total_cost.amount_minor,
            payment_status: self.payment_status.into(),
        })
    }
}

impl From<WireShipment> for SupplierShipment {
    fn from(shipment: WireShipment) -> Self {
        SupplierShipment {
            id: shipment.id,
            tracking_number: shipment.tracking_number,
            carrier: shipment.carrier,
            method: shipment.method,
            tracking_url: shipment.tracking_url,
            shipped_at: shipment.shipped_at,
            lines: shipment
                .shipment_items
                .into_iter()
                .map(|line| SupplierLine {
                    sku: line.sku,
                    quantity: line.quantity,
                })
                .collect(),
        }
    }
}

impl WireCreatedOrder {
    pub(crate) fn into_created(self) -> Result<CreatedOrder, SupplierError> {
        Ok(CreatedOrder {
            id: self.id,
            order_number: self.order_number,
            invoice: self.invoice.into_invoice()?,
            created_at: self.created_at,
        })
    }
}

impl WireOrder {
    pub(crate) fn into_order(self) -> Result<SupplierOrder, SupplierError> {
        WireOrderChange {
            order_id: self.id,
            order_number: self.order_number,
            status: self.status,
            hold_reason: self.hold_reason,
            invoice: self.invoice,
            shipments: self.shipments,
            updated_at: self.updated_at,
        }
        .into_order()
    }
}

impl WireOrderChange {
    pub(crate) fn into_order(self) -> Result<SupplierOrder, SupplierError> {
        Ok(SupplierOrder {
            id: self.order_id,
            order_number: self.order_number,
            status: self.status.into(),
            hold_reason: self.hold_reason,
            invoice: self.invoice.into_invoice()?,
            shipments: self.shipments.into_iter().map(Into::into).collect(),
            updated_at: self.updated_at,
        })
    }
}

impl WireChangesPage {
    /// The page, each entry read on its own: one US Direct cannot stand behind (a negative or
    /// foreign invoice) is set aside with its reason, and the others are applied.
    pub(crate) fn into_page(self) -> Result<ChangesPage, SupplierError> {
        let mut changes = Vec::with_capacity(self.changes.len());
        let mut unreadable = Vec::new();
        for change in self.changes {
            let order_id = change.order_id.clone();
            match change.into_order() {
                Ok(order) => changes.push(order),
                Err(error) => unreadable.push(UnreadableChange {
                    order_id: Some(order_id),
                    reason: error.to_string(),
                }),
            }
        }
        Ok(ChangesPage {
            changes,
            unreadable,
            next_cursor: self.next_cursor,
            has_more: self.has_more,
        })
    }
}

impl WireAuthorization {
    /// A 200 is `Authorized` or `Declined`; anything else there breaks the contract.
    pub(crate) fn into_authorization(self) -> Result<Authorization, SupplierError> {
        let at = self.authorized_at;
        match self.payment_status {
            WirePaymentStatus::Authorized => Ok(Authorization::Authorized { at }),
            WirePaymentStatus::Declined => Ok(Authorization::Declined {
                reason: self
                    .decline_reason
                    .filter(|reason| !reason.trim().is_empty())
                    .unwrap_or_else(|| "US Direct gave no reason".into()),
                at,
            }),
            other => Err(protocol(format!(
                "authorizing invoice {} answered {other:?}, not Authorized or Declined",
                self.invoice_id
            ))),
        }
    }
}

impl From<WireItem> for SupplierItem {
    fn from(item: WireItem) -> Self {
        SupplierItem {
            sku: item.sku,
            title: item.title,
            weight_grams: item.weight_grams,
            available: item.available,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ship_to() -> ShipTo {
        ShipTo {
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            line1: "123 Main St".into(),
            line2: Some("  ".into()),
            city: "Springfield".into(),
            state_code: "IL".into(),
            postal: "62701".into(),
            country_code: "US".into(),
            phone: Some("+12175550123".into()),
            email: None,
        }
    }

    #[test]
    fn create_order_speaks_the_contracts_names() {
        let request = SupplierOrderRequest {
            order_number: "#1042".into(),
            ship_to: ship_to(),
            lines: vec![SupplierLine {
                sku: "USD-HOSE-25".into(),
                quantity: 2,
            }],
        };
        let body = serde_json::to_value(CreateOrderBody::from_request(&request)).unwrap();
        assert_eq!(
            body,
            json!({
                "orderNumber": "#1042",
                "shippingAddress": {
                    "firstName": "Jane", "lastName": "Doe", "addressLine1": "123 Main St",
                    "city": "Springfield", "stateCode": "IL", "postal": "62701",
                    "countryCode": "US", "phone": "+12175550123"
                },
                "items": [{ "sku": "USD-HOSE-25", "quantity": 2 }]
            })
        );
    }

    #[test]
    fn statuses_read_with_their_spaces() {
        let status: WireOrderStatus = serde_json::from_value(json!("Partially Shipped")).unwrap();
        assert_eq!(
            SupplierOrderStatus::from(status),
            SupplierOrderStatus::PartiallyShipped
        );
        let status: WireOrderStatus = serde_json::from_value(json!("On Hold")).unwrap();
        assert_eq!(
            SupplierOrderStatus::from(status),
            SupplierOrderStatus::OnHold
        );
        let paid: WirePaymentStatus = serde_json::from_value(json!("Not Authorized")).unwrap();
        assert_eq!(PaymentStatus::from(paid), PaymentStatus::NotAuthorized);
        assert!(serde_json::from_value::<WireOrderStatus>(json!("OnHold")).is_err());
        assert!(serde_json::from_value::<WireOrderStatus>(json!("Lost")).is_err());
    }

    #[test]
    fn an_invoice_in_two_currencies_is_not_read() {
        let invoice: WireInvoice = serde_json::from_value(json!({
            "id": "INV-1",
            "totalProductCost": { "amountMinor": 100, "currency": "USD" },
            "totalShippingCost": { "amountMinor": 595, "currency": "CAD" },
            "totalCost": { "amountMinor": 695, "currency": "USD" },
            "paymentStatus": "Authorized"
        }))
        .unwrap();
        let err = invoice.into_invoice().unwrap_err();
        assert!(matches!(err, SupplierError::Protocol { .. }), "{err:?}");
    }

    #[test]
    fn an_absurd_invoice_is_not_read() {
        let invoice = |minor: i64| -> WireInvoice {
            serde_json::from_value(json!({
                "id": "INV-1",
                "totalProductCost": { "amountMinor": minor, "currency": "USD" },
                "totalShippingCost": { "amountMinor": 0, "currency": "USD" },
                "totalCost": { "amountMinor": minor, "currency": "USD" },
                "paymentStatus": "Not Authorized"
            }))
            .unwrap()
        };
        assert!(invoice(MAX_INVOICE_MINOR).into_invoice().is_ok());
        for minor in [MAX_INVOICE_MINOR + 1, i64::MAX] {
            let err = invoice(minor).into_invoice().unwrap_err();
            assert!(err.to_string().contains("more than any"), "{err}");
        }
    }

    #[test]
    fn a_decline_keeps_its_reason_and_a_paid_answer_is_a_protocol_error() {
        let declined: WireAuthorization = serde_json::from_value(json!({
            "invoiceId": "INV-1", "paymentStatus": "Declined",
            "declineReason": "Card on file expired", "authorizedAt": "2024-05-01T14:05:10Z"
        }))
        .unwrap();
        assert!(matches!(
            declined.into_authorization().unwrap(),
            Authorization::Declined { reason, .. } if reason == "Card on file expired"
        ));
        let paid: WireAuthorization = serde_json::from_value(json!({
            "invoiceId": "INV-1", "paymentStatus": "Paid", "authorizedAt": "2024-05-01T14:05:10Z"
        }))
        .unwrap();
        assert!(matches!(
            paid.into_authorization(),
            Err(SupplierError::Protocol { .. })
        ));
    }
}
