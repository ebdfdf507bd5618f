//! The Shopify client: paced GraphQL calls, the orders page (with the rest of long orders' line
//! items), the connection test, and tracking written back (`push`).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::SecondsFormat;
use dealer_core::channel::{
    CancelRequest, ChannelError, ConnectionCheck, Fetched, FulfillmentRequest, ListRequest, Page,
    Platform, PushedFulfillment, SalesChannel, StoreCancel,
};
use dealer_core::domain::ChannelKind;
use dealer_core::secret::Sensitive;
use reqwest::header::{HeaderValue, ACCEPT};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::documents::Doc;
use super::envelope::{Envelope, Failure};
use super::pacing::{CostReport, Pacer, Plan, MAX_FIRST};
use super::wire::{AppInstallation, LineNode, OrderLinesNode, OrderNode, OrdersPage};
use super::{parse, tracking, API_VERSION};
use crate::http::{retry, Http, HttpPolicy, RateGate};
use crate::quarantine::{self, Reason};

/// Line items one order may have before it is quarantined rather than paged through.
const MAX_ORDER_LINES: usize = 1000;

/// Where Shopify names the Admin API version that served a request.
const VERSION_HEADER: &str = "x-shopify-api-version";

/// A Shopify store's Admin GraphQL API. The app needs the `read_orders` scope, and
/// `write_fulfillments` with `write_merchant_managed_fulfillment_orders` to write tracking back;
/// without `read_all_orders` Shopify shows only the last 60 days of orders.
#[derive(Debug)]
pub struct ShopifyClient {
    http: Http,
    /// For mutations: one attempt per call, since a lost answer may hide a change Shopify made
    /// (the caller looks before trying again). Shares `http`'s rate-limit gate.
    once: Http,
    endpoint: String,
    token: Sensitive<String>,
    /// Shared by every call so that the bucket is known across pages; held for a whole call,
    /// so two calls never spend the same points.
    pacer: Mutex<Pacer>,
    /// The version named in the last answer's `X-Shopify-API-Version`: [`API_VERSION`], or,
    /// once Shopify has retired it, the version it served instead.
    answered_version: std::sync::Mutex<Option<String>>,
}

impl ShopifyClient {
    /// `base_url` is the shop's address, `https://{shop}.myshopify.com`.
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
        let base = super::profile::Shopify.store_url(base_url)?;
        let gate = Arc::new(RateGate::default());
        let single = HttpPolicy {
            max_attempts: 1,
            ..policy.clone()
        };
        Ok(Self {
            endpoint: format!("{base}/admin/api/{API_VERSION}/graphql.json"),
            once: Http::paced(single, "write_fulfillments", gate.clone(), Duration::ZERO)?,
            http: Http::paced(policy, "read_orders", gate, Duration::ZERO)?,
            token,
            pacer: Mutex::new(Pacer::default()),
            answered_version: std::sync::Mutex::new(None),
        })
    }

    /// One POST of `doc` (with the shared HTTP retries) and its parsed envelope.
    async fn post(&self, doc: Doc, variables: &Value) -> Result<Envelope, ChannelError> {
        let body = self.send(&self.http, doc, variables).await?;
        Envelope::parse(&body)
    }

    /// The body of Shopify's answer to `doc`, sent through `http` (retried as its policy says).
    async fn send(
        &self,
        http: &Http,
        doc: Doc,
        variables: &Value,
    ) -> Result<Vec<u8>, ChannelError> {
        let body = json!({ "query": doc.text(), "variables": variables });
        let reply = http
            .send(|client| {
                // Checked in `with_policy`.
                let mut token = HeaderValue::from_str(self.token.expose())
                    .unwrap_or_else(|_| HeaderValue::from_static(""));
                token.set_sensitive(true);
                client
                    .post(&self.endpoint)
                    .header("X-Shopify-Access-Token", token)
                    .header(ACCEPT, "application/json")
                    .json(&body)
            })
            .await?;
        if let Some(version) = reply
            .headers
            .get(VERSION_HEADER)
            .and_then(|value| value.to_str().ok())
        {
            if version != API_VERSION {
                tracing::warn!(
                    asked = API_VERSION,
                    answered = version,
                    "Shopify served another Admin API version"
                );
            }
            if let Ok(mut answered) = self.answered_version.lock() {
                *answered = Some(version.to_string());
            }
        }
        Ok(reply.body)
    }

    /// Sends `doc` when the bucket can pay for it, as large as the bucket allows (at most
    /// `wanted` nodes), until Shopify answers with data. THROTTLED waits for the refill and
    /// MAX_COST_EXCEEDED shrinks the page; each counts as an attempt.
    async fn paced(
        &self,
        pacer: &mut Pacer,
        doc: Doc,
        wanted: u32,
        variables: impl Fn(&Plan) -> Value,
    ) -> Result<(Value, CostReport), ChannelError> {
        let policy = self.http.policy();
        let mut last = None;
        for attempt in 1..=policy.max_attempts.max(1) {
            let plan = pacer.plan(Instant::now(), doc, wanted);
            if !plan.wait.is_zero() {
                let (wait, first) = (plan.wait, plan.first);
                tracing::debug!(
                    doc = doc.name(),
                    ?wait,
                    first,
                    "waiting for the cost bucket"
                );
                tokio::time::sleep(plan.wait).await;
            }
            let envelope = self.post(doc, &variables(&plan)).await?;
            let now = Instant::now();
            let cost = envelope.cost();
            pacer.observe(now, &cost, &plan);
            let error = match envelope.failure() {
                None => return Ok((envelope.data, cost)),
                Some(Failure::Throttled) => {
                    tracing::warn!(doc = doc.name(), "throttled by Shopify despite pacing");
                    pacer.throttled(now, &cost);
                    ChannelError::RateLimited {
                        retry_after: pacer.refill_estimate(now, doc),
                    }
                }
                Some(Failure::MaxCostExceeded { cost, max_cost }) => {
                    tracing::warn!(doc = doc.name(), first = plan.first, "query too expensive");
                    pacer.max_cost_exceeded(&plan, cost, max_cost);
                    ChannelError::Protocol {
                        detail: "Shopify refused even the smallest page as too expensive".into(),
                    }
                }
                Some(Failure::AccessDenied(detail)) => {
                    return Err(ChannelError::MissingScope {
                        scope: doc.scope().into(),
                        detail,
                    })
                }
                Some(Failure::Internal(detail)) => {
                    let wait = retry::backoff(attempt, policy, &mut rand::thread_rng());
                    tokio::time::sleep(wait).await;
                    ChannelError::Server {
                        status: 500,
                        detail,
                    }
                }
                Some(Failure::Other(detail)) => return Err(ChannelError::Protocol { detail }),
            };
            last = Some(error);
        }
        Err(last.unwrap_or(ChannelError::Protocol {
            detail: "no attempt was made".into(),
        }))
    }

    /// The line items of `order` past the first page, or why the order cannot be read.
    async fn rest_of_lines(
        &self,
        pacer: &mut Pacer,
        order: &OrderNode,
    ) -> Result<Result<Vec<LineNode>, Reason>, ChannelError> {
        let mut lines = Vec::new();
        let mut page_info = order.line_items.page_info.clone();
        let mut count = order.line_items.nodes.len();
        while page_info.has_next_page {
            if count >= MAX_ORDER_LINES {
                return Ok(Err(format!(
                    "the order has more than {MAX_ORDER_LINES} line items"
                )));
            }
            let Some(after) = page_info.end_cursor.clone() else {
                return Ok(Err(
                    "Shopify gave no cursor for the order's next line items".into(),
                ));
            };
            let (data, _) = self
                .paced(
                    pacer,
                    Doc::OrderLines,
                    MAX_FIRST,
                    |plan| json!({ "id": order.id, "first": plan.first, "after": after }),
                )
                .await?;
            let node = match Option::<OrderLinesNode>::deserialize(&data["order"]) {
                Ok(Some(node)) => node,
                Ok(None) => return Ok(Err("the order disappeared while it was read".into())),
                Err(e) => return Ok(Err(format!("unexpected line items shape: {e}"))),
            };
            count += node.line_items.nodes.len();
            page_info = node.line_items.page_info;
            lines.extend(node.line_items.nodes);
        }
        Ok(Ok(lines))
    }

    /// The page entry for one order node.
    async fn entry(&self, pacer: &mut Pacer, raw: &Value) -> Result<Fetched, ChannelError> {
        let order: OrderNode = match quarantine::shape(raw) {
            Ok(order) => order,
            Err(reason) => return Ok(quarantine::entry(raw, || Err(reason))),
        };
        Ok(match self.rest_of_lines(pacer, &order).await? {
            Ok(rest) => {
                let mut order = order;
                let mut lines = std::mem::take(&mut order.line_items.nodes);
                lines.extend(rest);
                quarantine::entry(raw, || parse::map(&order, &lines))
            }
            Err(reason) => quarantine::entry(raw, || Err(reason)),
        })
    }
}

/// The most line items an order of the page has, as far as the page shows: one more than it
/// brought when it has more.
fn most_lines(nodes: &[Value]) -> u32 {
    nodes
        .iter()
        .map(|node| {
            let lines = &node["lineItems"];
            let brought = lines["nodes"].as_array().map_or(0, Vec::len);
            let more = lines["pageInfo"]["hasNextPage"].as_bool() == Some(true);
            u32::try_from(brought + usize::from(more)).unwrap_or(u32::MAX)
        })
        .max()
        .unwrap_or(0)
}

/// Shopify search syntax for "changed at or after `since`", in whole seconds rounded down.
fn updated_since(since: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "updated_at:>='{}'",
        since.to_rfc3339_opts(SecondsFormat::Secs, true)
    )
}

#[async_trait]
impl SalesChannel for ShopifyClient {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Shopify
    }

    async fn list_orders(&self, request: &ListRequest) -> Result<Page, ChannelError> {
        let mut pacer = self.pacer.lock().await;
        let query = updated_since(request.updated_since);
        let (data, cost) = self
            .paced(&mut pacer, Doc::Orders, MAX_FIRST, |plan| {
                json!({
                    "first": plan.first,
                    "after": request.page,
                    "query": query,
                    "lines": plan.lines,
                })
            })
            .await?;
        let page =
            OrdersPage::deserialize(&data["orders"]).map_err(|e| ChannelError::Protocol {
                detail: format!("data.orders is not an order connection: {e}"),
            })?;
        pacer.orders_served(cost.actual, page.nodes.len(), most_lines(&page.nodes));
        let mut items = Vec::with_capacity(page.nodes.len());
        for raw in &page.nodes {
            items.push(self.entry(&mut pacer, raw).await?);
        }
        let next = match (page.page_info.has_next_page, page.page_info.end_cursor) {
            (false, _) => None,
            (true, Some(cursor)) => Some(cursor),
            (true, None) => {
                return Err(ChannelError::Protocol {
                    detail: "Shopify said more orders follow but sent a page without a \
                             cursor to them (an empty page); Order Sync stopped there and the \
                             orders before it are imported. If this repeats, ask the store's \
                             developer to check its orders pagination"
                        .into(),
                })
            }
        };
        Ok(Page { items, next })
    }

    async fn test_connection(&self) -> Result<ConnectionCheck, ChannelError> {
        let mut pacer = self.pacer.lock().await;
        let (data, _) = self
            .paced(&mut pacer, Doc::ShopName, 1, |_| json!({}))
            .await?;
        let store_name = data["shop"]["name"]
            .as_str()
            .ok_or_else(|| ChannelError::Protocol {
                detail: "the shop has no name in the answer".into(),
            })?
            .to_string();
        // Reading the shop needs no scope; listing one order proves `read_orders`.
        self.paced(&mut pacer, Doc::OrdersScope, 1, |_| json!({}))
            .await?;
        // Writing tracking back needs two more, which only the app's own scopes tell.
        let (data, _) = self
            .paced(&mut pacer, Doc::AppScopes, 1, |_| json!({}))
            .await?;
        let app = AppInstallation::deserialize(&data["currentAppInstallation"]).map_err(|e| {
            ChannelError::Protocol {
                detail: format!("data.currentAppInstallation has no access scopes: {e}"),
            }
        })?;
        let granted = app.access_scopes.iter().map(|scope| scope.handle.as_str());
        let missing = tracking::missing_tracking_scopes(granted);
        if !missing.is_empty() {
            return Err(ChannelError::MissingScope {
                scope: missing.join(" and "),
                detail: "needed to write tracking back to the store's orders".into(),
            });
        }
        let api_version = self
            .answered_version
            .lock()
            .ok()
            .and_then(|answered| answered.clone());
        Ok(ConnectionCheck {
            store_name,
            api_version,
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
}

mod cancel;
mod push;
#[cfg(test)]
mod tests;
