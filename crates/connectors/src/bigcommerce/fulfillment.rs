//! Tracking back to a BigCommerce store as an order shipment, `POST /v2/orders/{id}/shipments`:
//! the order's shipping address (`order_address_id` from `/shipping_addresses`), each line's
//! order product (`items[].order_product_id` from `/products`, by SKU), the tracking number,
//! and the carrier as an AfterShip courier slug in `tracking_carrier`, from which BigCommerce
//! builds the link. A carrier without a slug goes as `shipping_method` with our own
//! `tracking_link`. BigCommerce moves the order to Partially Shipped or Shipped itself.
//!
//! Looks before it writes: a shipment of the order with the tracking number is the one an
//! earlier push made (whose answer was lost), and nothing is written again.

use dealer_core::channel::{ChannelError, FulfillmentRequest, PushedFulfillment};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::client::{sub_path, BigCommerceClient, LIMIT, SHIPMENTS_PATH, SHIPPING_ADDRESSES_PATH};
use super::profile::tracking_carrier;
use super::wire::{BcAddressId, BcShipProduct, BcShipment};
use crate::write_once::{order_missing, same_tracking, write_scope, write_then_confirm};

/// The API account scope a shipment needs.
const WRITE_SCOPE: &str = "Orders (modify)";
/// An order with more shipments than these pages hold is not searched further.
const MAX_SHIPMENT_PAGES: u32 = 20;
/// The spec's `maxLength` of `tracking_link`.
const MAX_TRACKING_LINK: usize = 500;

/// A line of the shipment: which order product (index into the products) and how many.
type Item = (usize, u32);

impl BigCommerceClient {
    pub(super) async fn push(
        &self,
        request: &FulfillmentRequest,
    ) -> Result<PushedFulfillment, ChannelError> {
        let order = request
            .channel_order_id
            .trim()
            .parse::<u64>()
            .map_err(|_| ChannelError::Protocol {
                detail: format!(
                    "{:?} is not a BigCommerce order id (order {})",
                    request.channel_order_id, request.order_number
                ),
            })?;
        if let Some(id) = self.find_shipment(order, request).await? {
            return Ok(PushedFulfillment {
                id,
                already_there: true,
            });
        }
        let body = self.shipment_body(order, request).await?;
        let path = sub_path(SHIPMENTS_PATH, order);
        let (writer, path, body) = (&self.http().without_retries(), path.as_str(), &body);
        write_then_confirm(
            self.http().policy(),
            move || async move {
                let reply = writer
                    .send(self.post(path, body))
                    .await
                    .map_err(|e| write_scope(order_missing(e, request), WRITE_SCOPE))?;
                let shipment: BcShipment = read(&reply.body, "the new shipment")?;
                Ok(shipment.id.to_string())
            },
            move || async move { self.find_shipment(order, request).await },
        )
        .await
    }

    /// The id of the order's shipment with the request's tracking number, if there is one.
    async fn find_shipment(
        &self,
        order: u64,
        request: &FulfillmentRequest,
    ) -> Result<Option<String>, ChannelError> {
        for page in 1..=MAX_SHIPMENT_PAGES {
            let query = vec![("page", page.to_string()), ("limit", LIMIT.to_string())];
            let batch = self
                .list(sub_path(SHIPMENTS_PATH, order), query)
                .await
                .map_err(|e| order_missing(e, request))?;
            let full = batch.len() >= LIMIT as usize;
            for raw in batch {
                let shipment: BcShipment = from_value(raw, "a shipment")?;
                let number = shipment.tracking_number.unwrap_or_default();
                if same_tracking(&number, &request.tracking_number) {
                    return Ok(Some(shipment.id.to_string()));
                }
            }
            if !full {
                break;
            }
        }
        Ok(None)
    }

    async fn shipment_body(
        &self,
        order: u64,
        request: &FulfillmentRequest,
    ) -> Result<Value, ChannelError> {
        let products = self
            .products(order)
            .await
            .map_err(|e| order_missing(e, request))?
            .ok_or_else(|| ChannelError::Protocol {
                detail: format!(
                    "order {} has too many products to read",
                    request.order_number
                ),
            })?
            .into_iter()
            .map(|raw| from_value::<BcShipProduct>(raw, "an order product"))
            .collect::<Result<Vec<_>, _>>()?;
        let items = items_for(&products, request)?;
        let addresses = self
            .list(sub_path(SHIPPING_ADDRESSES_PATH, order), Vec::new())
            .await
            .map_err(|e| order_missing(e, request))?
            .into_iter()
            .map(|raw| from_value::<BcAddressId>(raw, "a shipping address"))
            .collect::<Result<Vec<_>, _>>()?;
        let address = address_for(&addresses, &products, &items, request)?;
        Ok(body(request, address, &products, &items))
    }
}

fn body(
    request: &FulfillmentRequest,
    address: u64,
    products: &[BcShipProduct],
    items: &[Item],
) -> Value {
    let items: Vec<Value> = items
        .iter()
        .filter_map(|(index, quantity)| {
            let product = products.get(*index)?;
            Some(json!({ "order_product_id": product.id, "quantity": quantity }))
        })
        .collect();
    let slug = tracking_carrier(&request.carrier);
    let mut body = json!({
        "order_address_id": address,
        "tracking_number": request.tracking_number.trim(),
        "tracking_carrier": slug.unwrap_or(""),
        // The spec: "If different from `shipping_provider`, `shipping_method` should
        // correspond to `tracking_carrier`."
        "shipping_method": request.carrier.trim(),
        "items": items,
    });
    let link = crate::fields::tracking_link(request.tracking_url.as_deref())
        .filter(|url| url.len() <= MAX_TRACKING_LINK);
    if let (None, Some(link), Some(fields)) = (slug, link, body.as_object_mut()) {
        // No slug, so BigCommerce cannot build a link: give it ours.
        fields.insert("tracking_link".into(), json!(link));
    }
    body
}

/// Each line's units spread over the order products with its SKU (exact, else ignoring case),
/// in order, within what each has left to ship. A request without lines ships all that is
/// left.
fn items_for(
    products: &[BcShipProduct],
    request: &FulfillmentRequest,
) -> Result<Vec<Item>, ChannelError> {
    let left = |product: &BcShipProduct| {
        u32::try_from((product.quantity - product.quantity_shipped).max(0)).unwrap_or(0)
    };
    let mut taken = vec![0_u32; products.len()];
    if request.lines.is_empty() {
        for (index, product) in products.iter().enumerate() {
            taken[index] = left(product);
        }
    }
    for line in &request.lines {
        let sku = line.sku.trim();
        let sku_at = |index: usize| products[index].sku.as_deref().unwrap_or("").trim();
        let mut candidates: Vec<usize> =
            (0..products.len()).filter(|i| sku_at(*i) == sku).collect();
        if candidates.is_empty() {
            candidates = (0..products.len())
                .filter(|i| sku_at(*i).eq_ignore_ascii_case(sku))
                .collect();
        }
        if candidates.is_empty() {
            return Err(ChannelError::Protocol {
                detail: format!(
                    "order {} in the store has no line with SKU {sku}",
                    request.order_number
                ),
            });
        }
        let mut wanted = line.quantity;
        for index in &candidates {
            let free = left(&products[*index]).saturating_sub(taken[*index]);
            let take = free.min(wanted);
            taken[*index] += take;
            wanted -= take;
        }
        if wanted > 0 {
            return Err(ChannelError::Protocol {
                detail: format!(
                    "order {} in the store has {} of SKU {sku} left to ship; the shipment holds {}",
                    request.order_number,
                    line.quantity - wanted,
                    line.quantity
                ),
            });
        }
    }
    let items: Vec<Item> = taken
        .into_iter()
        .enumerate()
        .filter(|(_, quantity)| *quantity > 0)
        .collect();
    if items.is_empty() {
        return Err(ChannelError::Protocol {
            detail: format!(
                "order {} has nothing left to ship in the store",
                request.order_number
            ),
        });
    }
    Ok(items)
}

/// The order's shipping address; with several, the one the shipped products go to.
fn address_for(
    addresses: &[BcAddressId],
    products: &[BcShipProduct],
    items: &[Item],
    request: &FulfillmentRequest,
) -> Result<u64, ChannelError> {
    if let [only] = addresses {
        return Ok(only.id);
    }
    let mut targets = items
        .iter()
        .filter_map(|(index, _)| products.get(*index)?.order_address_id);
    let first = targets.next();
    match first {
        Some(id) if targets.all(|other| other == id) && addresses.iter().any(|a| a.id == id) => {
            Ok(id)
        }
        _ => Err(ChannelError::Protocol {
            detail: format!(
                "order {} has {} shipping addresses and the shipment's lines do not name one",
                request.order_number,
                addresses.len()
            ),
        }),
    }
}

fn from_value<T: DeserializeOwned>(raw: Value, what: &str) -> Result<T, ChannelError> {
    serde_json::from_value(raw).map_err(|e| ChannelError::Protocol {
        detail: format!("{what} could not be read: {e}"),
    })
}

fn read<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, ChannelError> {
    serde_json::from_slice(body).map_err(|e| ChannelError::Protocol {
        detail: format!("{what} could not be read: {e}"),
    })
}
