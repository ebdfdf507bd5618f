//! The BigCommerce client: the order list, each order's sub-resources, the store's weight unit
//! and the connection test; shipments go back through `fulfillment`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dealer_core::channel::{
    CancelRequest, ChannelError, ConnectionCheck, Fetched, FulfillmentRequest, ListRequest,
    Malformed, Page, Platform, PushedFulfillment, SalesChannel, StoreCancel,
};
use dealer_core::domain::ChannelKind;
use dealer_core::secret::Sensitive;
use futures_util::{stream, StreamExt, TryStreamExt};
use reqwest::header::{HeaderValue, ACCEPT};
use reqwest::{Client, RequestBuilder};
use tokio::sync::OnceCell;

use super::parse;
use super::wire::BcStore;
use crate::decimal::WeightUnit;
use crate::http::{Http, HttpPolicy, Reply};
use crate::{paging, quarantine};

/// Orders per page: the most the API returns.
pub(super) const LIMIT: u32 = 250;
/// Orders whose products and addresses are fetched at the same time: quick enough, and well
/// under the request windows of every BigCommerce plan.
const CONCURRENT_ORDERS: usize = 4;
/// An order with more products than this many pages of them is quarantined.
const MAX_PRODUCT_PAGES: u32 = 20;

/// The spec's paths (relative to `/v2`) this client calls; the contract test checks them.
pub(super) const ORDERS_PATH: &str = "/orders";
pub(super) const PRODUCTS_PATH: &str = "/orders/{order_id}/products";
pub(super) const SHIPPING_ADDRESSES_PATH: &str = "/orders/{order_id}/shipping_addresses";
pub(super) const SHIPMENTS_PATH: &str = "/orders/{order_id}/shipments";

/// A BigCommerce store, reached through its API base
/// (`https://api.bigcommerce.com/stores/{store_hash}`). The API account needs Orders read-only;
/// Information & Settings read-only lets the client read the store's weight unit.
#[derive(Debug)]
pub struct BigCommerceClient {
    http: Http,
    base: String,
    token: Sensitive<String>,
    weight_unit: OnceCell<WeightUnit>,
}

impl BigCommerceClient {
    pub fn new(base_url: &str, token: Sensitive<String>) -> Result<Self, dealer_core::Error> {
        Self::with_policy(base_url, token, HttpPolicy::default())
    }

    pub fn with_policy(
        base_url: &str,
        token: Sensitive<String>,
        policy: HttpPolicy,
    ) -> Result<Self, dealer_core::Error> {
        if HeaderValue::from_str(token.expose()).is_err() {
            return Err(dealer_core::Error::InvalidInput {
                field: "credentials".into(),
                message: "the access token has characters a token cannot hold".into(),
            });
        }
        Ok(Self {
            base: super::profile::BigCommerce.store_url(base_url)?,
            http: Http::new(policy, "Orders (read-only)")?,
            token,
            weight_unit: OnceCell::new(),
        })
    }

    pub(super) fn get<'a>(
        &'a self,
        path: String,
        query: Vec<(&'static str, String)>,
    ) -> impl Fn(&Client) -> RequestBuilder + 'a {
        move |client| {
            client
                .get(format!("{}/v2{path}", self.base))
                .query(&query)
                .header("X-Auth-Token", self.token_header())
                .header(ACCEPT, "application/json")
        }
    }

    fn token_header(&self) -> HeaderValue {
        // Checked in `with_policy`; an empty value would only earn a 401.
        let mut token = HeaderValue::from_str(self.token.expose())
            .unwrap_or_else(|_| HeaderValue::from_static(""));
        token.set_sensitive(true);
        token
    }

    /// `POST {base}/v2{path}` with a JSON body.
    pub(super) fn post<'a>(
        &'a self,
        path: &'a str,
        body: &'a serde_json::Value,
    ) -> impl Fn(&Client) -> RequestBuilder + 'a {
        move |client| {
            client
                .post(format!("{}/v2{path}", self.base))
                .header("X-Auth-Token", self.token_header())
                .header(ACCEPT, "application/json")
                .json(body)
        }
    }

    /// `PUT {base}/v2{path}` with a JSON body.
    pub(super) fn put<'a>(
        &'a self,
        path: &'a str,
        body: &'a serde_json::Value,
    ) -> impl Fn(&Client) -> RequestBuilder + 'a {
        move |client| {
            client
                .put(format!("{}/v2{path}", self.base))
                .header("X-Auth-Token", self.token_header())
                .header(ACCEPT, "application/json")
                .json(body)
        }
    }

    pub(super) fn http(&self) -> &Http {
        &self.http
    }

    /// A JSON array, where 204 (and an empty body) means none.
    pub(super) async fn list(
        &self,
        path: String,
        query: Vec<(&'static str, String)>,
    ) -> Result<Vec<serde_json::Value>, ChannelError> {
        let reply = self.http.send(self.get(path, query)).await?;
        json_list(&reply)
    }

    async fn store(&self) -> Result<BcStore, ChannelError> {
        let reply = match self.http.send(self.get("/store".into(), Vec::new())).await {
            // Store Information has its own scope; name it rather than the orders one.
            Err(ChannelError::MissingScope { detail, .. }) => {
                return Err(ChannelError::MissingScope {
                    scope: "Information & Settings (read-only)".into(),
                    detail,
                })
            }
            other => other?,
        };
        serde_json::from_slice(&reply.body).map_err(|e| ChannelError::Protocol {
            detail: format!("GET /v2/store did not describe a store: {e}"),
        })
    }

    /// The unit product weights are in, read once per client. BigCommerce stores default to
    /// pounds, which is also assumed when the token may not read the store's settings.
    async fn weight_unit(&self) -> Result<WeightUnit, ChannelError> {
        self.weight_unit
            .get_or_try_init(|| async {
                match self.store().await {
                    Ok(store) => Ok(known_unit_or_pounds(store.weight_units.as_deref())),
                    Err(ChannelError::MissingScope { .. } | ChannelError::NotFound { .. }) => {
                        tracing::warn!("cannot read the store's weight unit; assuming pounds");
                        Ok(WeightUnit::Pounds)
                    }
                    Err(e) => Err(e),
                }
            })
            .await
            .copied()
    }

    /// The page entry for one listed order: fetches its products and shipping addresses.
    async fn entry(
        &self,
        raw: &serde_json::Value,
        weight_unit: WeightUnit,
    ) -> Result<Fetched, ChannelError> {
        let Some(id) = raw.get("id").and_then(serde_json::Value::as_u64) else {
            return Ok(quarantine::entry(raw, || {
                Err("the order has no numeric id".into())
            }));
        };
        // An order whose own fields are unreadable is not worth two more requests.
        if let Err(reason) = quarantine::shape::<super::wire::BcOrder>(raw) {
            return Ok(quarantine::entry(raw, || Err(reason)));
        }
        let details = async {
            let products = self.products(id).await?;
            let addresses = self
                .list(sub_path(SHIPPING_ADDRESSES_PATH, id), Vec::new())
                .await?;
            Ok::<_, ChannelError>((products, addresses))
        };
        match details.await {
            Ok((Some(products), addresses)) => Ok(quarantine::entry(raw, || {
                parse::map(raw, &products, &addresses, weight_unit)
            })),
            Ok((None, _)) => Ok(quarantine::entry(raw, || {
                Err(format!(
                    "the order has more than {} products",
                    LIMIT * MAX_PRODUCT_PAGES
                ))
            })),
            // Deleted between the list and the details: nothing to import.
            Err(ChannelError::NotFound { detail }) => Ok(Fetched::Malformed(Malformed::new(
                Some(id.to_string()),
                format!("the order disappeared while it was read ({detail})"),
                &raw.to_string(),
            ))),
            Err(e) => Err(e),
        }
    }

    /// All of an order's products, page by page; `None` past [`MAX_PRODUCT_PAGES`].
    pub(super) async fn products(
        &self,
        id: u64,
    ) -> Result<Option<Vec<serde_json::Value>>, ChannelError> {
        let mut products = Vec::new();
        for page in 1..=MAX_PRODUCT_PAGES {
            let batch = self
                .list(sub_path(PRODUCTS_PATH, id), products_query(page))
                .await?;
            let full = batch.len() >= LIMIT as usize;
            products.extend(batch);
            if !full {
                return Ok(Some(products));
            }
        }
        Ok(None)
    }
}

fn known_unit_or_pounds(units: Option<&str>) -> WeightUnit {
    parse::weight_unit(units).unwrap_or_else(|| {
        tracing::warn!(?units, "unknown weight unit; assuming pounds");
        WeightUnit::Pounds
    })
}

pub(super) fn sub_path(template: &str, id: u64) -> String {
    template.replace("{order_id}", &id.to_string())
}

/// `min_date_modified` in RFC 2822 (the spec also takes ISO 8601), in whole seconds rounded
/// down so nothing changed within `since`'s second is missed.
pub(super) fn list_query(since: DateTime<Utc>, page: u32) -> Vec<(&'static str, String)> {
    vec![
        (
            "min_date_modified",
            since.format("%a, %d %b %Y %H:%M:%S +0000").to_string(),
        ),
        ("sort", "date_modified:asc".into()),
        ("page", page.to_string()),
        ("limit", LIMIT.to_string()),
    ]
}

pub(super) fn products_query(page: u32) -> Vec<(&'static str, String)> {
    vec![("page", page.to_string()), ("limit", LIMIT.to_string())]
}

fn json_list(reply: &Reply) -> Result<Vec<serde_json::Value>, ChannelError> {
    if reply.status == 204 || reply.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    serde_json::from_slice(&reply.body).map_err(|e| ChannelError::Protocol {
        detail: format!("expected a JSON array: {e}"),
    })
}

#[async_trait]
impl SalesChannel for BigCommerceClient {
    fn numbered_pages(&self) -> bool {
        true
    }

    fn kind(&self) -> ChannelKind {
        ChannelKind::Bigcommerce
    }

    async fn list_orders(&self, request: &ListRequest) -> Result<Page, ChannelError> {
        let page = paging::page_number(request.page.as_deref())?;
        let raw = self
            .list(ORDERS_PATH.into(), list_query(request.updated_since, page))
            .await?;
        if raw.is_empty() {
            return Ok(Page {
                items: Vec::new(),
                next: None,
            });
        }
        let weight_unit = self.weight_unit().await?;
        // By index: a closure over `&Value` trips the `Send` check of `async_trait` futures.
        let items: Vec<Fetched> = stream::iter(0..raw.len())
            .map(|i| self.entry(&raw[i], weight_unit))
            .buffered(CONCURRENT_ORDERS)
            .try_collect()
            .await?;
        Ok(Page {
            items,
            // v2 sends no page count: a full page may have a successor.
            next: (raw.len() >= LIMIT as usize).then(|| paging::cursor(page + 1)),
        })
    }

    async fn push_fulfillment(
        &self,
        request: &FulfillmentRequest,
    ) -> Result<PushedFulfillment, ChannelError> {
        self.push(request).await
    }

    async fn cancel_order(&self, request: &CancelRequest) -> Result<StoreCancel, ChannelError> {
        self.cancel(request).await
    }

    async fn test_connection(&self) -> Result<ConnectionCheck, ChannelError> {
        let store = self.store().await?;
        // The store's name is readable with other scopes: prove the orders one too.
        self.list(ORDERS_PATH.into(), vec![("limit", "1".into())])
            .await?;
        if let Some(unit) = parse::weight_unit(store.weight_units.as_deref()) {
            let _ = self.weight_unit.set(unit);
        }
        Ok(ConnectionCheck {
            store_name: store.name,
            api_version: None,
        })
    }
}
