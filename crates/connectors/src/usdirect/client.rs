//! The US Direct client: one method per contract operation, each a single call through the
//! shared retry loop, paced per token.

use async_trait::async_trait;
use dealer_core::secret::Sensitive;
use dealer_core::supplier::{
    Authorization, ChangesPage, CreatedOrder, Supplier, SupplierError, SupplierItem, SupplierOrder,
    SupplierOrderRequest,
};
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Client, Method, RequestBuilder, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::policy::{supplier_url, SupplierPolicy};
use super::refusal::{gave_up, refusal, scrub, unreadable};
use super::wire::{
    CancelBody, CreateOrderBody, WireAuthorization, WireChangesPage, WireCreatedOrder, WireItem,
    WireOrder,
};
use crate::http::{Http, RateGate, Reply};

/// `listChanges` returns at most this many per page.
const MAX_CHANGES: u32 = 500;
/// The contract's bound on a cancel's `reason`.
const MAX_REASON_CHARS: usize = 500;
/// The contract's bound on an `Idempotency-Key`.
const MAX_KEY_LEN: usize = 255;

/// US Direct's supplier API (docs/supplier-api.yaml) with a dealer's `X-API-TOKEN`.
///
/// Clones share everything; so do separate clients for the same base URL and token, as far as
/// the rate limit goes: the contract allows 2 requests per second per token, and every client
/// of the process for that token waits its turn at one gate.
#[derive(Debug, Clone)]
pub struct UsDirectClient {
    http: Http,
    base: Url,
    token: Sensitive<String>,
}

/// One call: what to send, and what a 404 would be about.
struct Call<'a> {
    method: Method,
    segments: &'a [&'a str],
    query: Vec<(&'static str, String)>,
    idempotency_key: Option<&'a str>,
    body: Option<Vec<u8>>,
    what: String,
}

impl UsDirectClient {
    /// A client with the default [`SupplierPolicy`] (2 requests per second).
    pub fn new(base_url: &str, token: Sensitive<String>) -> Result<Self, dealer_core::Error> {
        Self::with_policy(base_url, token, SupplierPolicy::default())
    }

    /// `base_url` is the API base, `/v1` included (`https://api.usdirect.example/v1`); HTTPS
    /// is required except on loopback.
    pub fn with_policy(
        base_url: &str,
        token: Sensitive<String>,
        policy: SupplierPolicy,
    ) -> Result<Self, dealer_core::Error> {
        let bad_token = |message: &str| dealer_core::Error::InvalidInput {
            field: "credentials".into(),
            message: message.into(),
        };
        if token.expose().trim().is_empty() {
            return Err(bad_token("the US Direct API token is empty"));
        }
        if HeaderValue::from_str(token.expose()).is_err() {
            return Err(bad_token(
                "the US Direct API token has characters a token cannot hold",
            ));
        }
        let base = supplier_url(base_url)?;
        if base.cannot_be_a_base() {
            return Err(dealer_core::Error::InvalidInput {
                field: "url".into(),
                message: "US Direct's API address cannot take a path".into(),
            });
        }
        let spacing = policy.spacing()?;
        let gate = RateGate::shared(&[base.as_str(), token.expose()]);
        Ok(Self {
            http: Http::paced(policy.http, "US Direct API", gate, spacing)?,
            base,
            token,
        })
    }

    /// The API base this client calls, as validated.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The base URL with `segments` appended, each percent-encoded (a SKU may hold `/`).
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        // `with_policy` checked that the base can take a path.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    fn request(&self, call: &Call<'_>, url: &Url, client: &Client) -> RequestBuilder {
        // Checked in `with_policy`; an empty value would only earn a 401.
        let mut token = HeaderValue::from_str(self.token.expose())
            .unwrap_or_else(|_| HeaderValue::from_static(""));
        token.set_sensitive(true);
        let mut request = client
            .request(call.method.clone(), url.clone())
            .header("X-API-TOKEN", token)
            .header(ACCEPT, "application/json");
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        if let Some(key) = call.idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(body) = &call.body {
            // The same bytes on every attempt: a retry is then the same request, which the
            // supplier answers from its idempotency record instead of acting twice.
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        request
    }

    /// Sends `call` with the retries and pacing, and reads a 2xx answer as `T`.
    async fn call<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T, SupplierError> {
        self.exchange(call)
            .await
            .map_err(|error| scrub(error, self.token.expose()))
    }

    async fn exchange<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T, SupplierError> {
        if let Some(key) = call.idempotency_key {
            check_key(key)?;
        }
        let url = self.url(call.segments);
        let reply: Reply = self
            .http
            .exchange(|client| self.request(&call, &url, client))
            .await
            .map_err(gave_up)?;
        if !(200..300).contains(&reply.status) {
            return Err(refusal(&reply, &call.what));
        }
        serde_json::from_slice(&reply.body).map_err(|e| unreadable(&reply.path, &e))
    }
}

fn check_key(key: &str) -> Result<(), SupplierError> {
    let invalid = |message: &str| SupplierError::Invalid {
        message: message.into(),
        field: Some("Idempotency-Key".into()),
    };
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return Err(invalid("an idempotency key has 1 to 255 characters"));
    }
    if HeaderValue::from_str(key).is_err() {
        return Err(invalid(
            "an idempotency key must be printable ASCII, e.g. a UUID",
        ));
    }
    Ok(())
}

fn json(body: &impl Serialize) -> Result<Vec<u8>, SupplierError> {
    serde_json::to_vec(body).map_err(|e| SupplierError::Invalid {
        message: format!("the request could not be written as JSON: {e}"),
        field: None,
    })
}

#[async_trait]
impl Supplier for UsDirectClient {
    async fn create_order(
        &self,
        idempotency_key: &str,
        request: &SupplierOrderRequest,
    ) -> Result<CreatedOrder, SupplierError> {
        let body = json(&CreateOrderBody::from_request(request))?;
        let created: WireCreatedOrder = self
            .call(Call {
                method: Method::POST,
                segments: &["orders"],
                query: Vec::new(),
                idempotency_key: Some(idempotency_key),
                body: Some(body),
                what: "the orders resource".into(),
            })
            .await?;
        created.into_created()
    }

    async fn authorize_payment(
        &self,
        idempotency_key: &str,
        invoice_id: &str,
    ) -> Result<Authorization, SupplierError> {
        let result: WireAuthorization = self
            .call(Call {
                method: Method::POST,
                segments: &["invoices", invoice_id, "authorize"],
                query: Vec::new(),
                idempotency_key: Some(idempotency_key),
                body: None,
                what: format!("invoice {invoice_id}"),
            })
            .await?;
        result.into_authorization()
    }

    async fn list_changes(
        &self,
        since: Option<&str>,
        limit: u32,
    ) -> Result<ChangesPage, SupplierError> {
        let mut query = Vec::new();
        if let Some(since) = since {
            query.push(("since", since.to_string()));
        }
        query.push(("limit", limit.clamp(1, MAX_CHANGES).to_string()));
        let page: WireChangesPage = self
            .call(Call {
                method: Method::GET,
                segments: &["orders", "changes"],
                query,
                idempotency_key: None,
                body: None,
                what: "the order changes".into(),
            })
            .await?;
        page.into_page()
    }

    async fn get_order(&self, order_id: &str) -> Result<SupplierOrder, SupplierError> {
        let order: WireOrder = self
            .call(Call {
                method: Method::GET,
                segments: &["orders", order_id],
                query: Vec::new(),
                idempotency_key: None,
                body: None,
                what: format!("order {order_id}"),
            })
            .await?;
        order.into_order()
    }

    async fn cancel_order(
        &self,
        idempotency_key: &str,
        order_id: &str,
        reason: &str,
    ) -> Result<SupplierOrder, SupplierError> {
        // The contract keeps 500 characters; a longer reason would turn the cancel into a 400.
        let reason: String = reason.chars().take(MAX_REASON_CHARS).collect();
        let body = json(&CancelBody { reason: &reason })?;
        let order: WireOrder = self
            .call(Call {
                method: Method::POST,
                segments: &["orders", order_id, "cancel"],
                query: Vec::new(),
                idempotency_key: Some(idempotency_key),
                body: Some(body),
                what: format!("order {order_id}"),
            })
            .await?;
        order.into_order()
    }

    async fn get_item(&self, sku: &str) -> Result<Option<SupplierItem>, SupplierError> {
        let item = self
            .call::<WireItem>(Call {
                method: Method::GET,
                segments: &["items", sku],
                query: Vec::new(),
                idempotency_key: None,
                body: None,
                what: format!("item {sku}"),
            })
            .await;
        match item {
            Ok(item) => Ok(Some(item.into())),
            Err(SupplierError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
