//! The WooCommerce client: requests, pagination and the connection test; tracking goes back
//! through `fulfillment`.

use async_trait::async_trait;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use dealer_core::channel::{
    CancelRequest, ChannelError, ConnectionCheck, FulfillmentRequest, ListRequest, Page, Platform,
    PushedFulfillment, SalesChannel, StoreCancel,
};
use dealer_core::domain::ChannelKind;
use dealer_core::secret::Sensitive;
use reqwest::{Client, Method, RequestBuilder};
use serde_json::value::RawValue;

use super::parse;
use super::wire::SiteIndex;
use crate::http::{Http, HttpPolicy, Reply};
use crate::paging;

/// Orders per page: the most WooCommerce allows.
const PER_PAGE: u32 = 100;

/// A WooCommerce store. The consumer key needs at least Read permission.
#[derive(Debug)]
pub struct WooClient {
    http: Http,
    base: String,
    key: Sensitive<String>,
    secret: Sensitive<String>,
}

impl WooClient {
    /// `base_url` is the WordPress site's address (`https://shop.example.com`).
    pub fn new(
        base_url: &str,
        key: Sensitive<String>,
        secret: Sensitive<String>,
    ) -> Result<Self, dealer_core::Error> {
        Self::with_policy(base_url, key, secret, HttpPolicy::default())
    }

    pub fn with_policy(
        base_url: &str,
        key: Sensitive<String>,
        secret: Sensitive<String>,
        policy: HttpPolicy,
    ) -> Result<Self, dealer_core::Error> {
        Ok(Self {
            base: super::profile::WooCommerce.store_url(base_url)?,
            // The key's permission in WooCommerce → Settings → Advanced → REST API.
            http: Http::new(policy, "Read")?,
            key,
            secret,
        })
    }

    fn get<'a>(
        &'a self,
        path: &'a str,
        query: &'a [(&'a str, String)],
    ) -> impl Fn(&Client) -> RequestBuilder + 'a {
        move |client| {
            client
                .get(format!("{}{path}", self.base))
                .query(query)
                .basic_auth(self.key.expose(), Some(self.secret.expose()))
                .header(reqwest::header::ACCEPT, "application/json")
        }
    }

    /// A request with a JSON body (`None` for none) to `path` under the site.
    pub(super) fn call<'a>(
        &'a self,
        method: Method,
        path: &'a str,
        body: Option<&'a serde_json::Value>,
    ) -> impl Fn(&Client) -> RequestBuilder + 'a {
        move |client| {
            let request = client
                .request(method.clone(), format!("{}{path}", self.base))
                .basic_auth(self.key.expose(), Some(self.secret.expose()))
                .header(reqwest::header::ACCEPT, "application/json");
            match body {
                Some(body) => request.json(body),
                None => request,
            }
        }
    }

    pub(super) fn http(&self) -> &Http {
        &self.http
    }

    async fn orders(&self, query: &[(&str, String)]) -> Result<Reply, ChannelError> {
        self.http
            .send(self.get("/wp-json/wc/v3/orders", query))
            .await
    }
}

/// `modified_after` is exclusive and compared in whole seconds, so asking from one second
/// earlier returns everything changed at or after `since` (the engine ignores repeats).
fn modified_after(since: DateTime<Utc>) -> String {
    (since.trunc_subsecs(0) - Duration::seconds(1))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

pub(super) fn list_query(since: DateTime<Utc>, page: u32) -> Vec<(&'static str, String)> {
    vec![
        ("modified_after", modified_after(since)),
        ("dates_are_gmt", "true".into()),
        ("orderby", "modified".into()),
        ("order", "asc".into()),
        ("per_page", PER_PAGE.to_string()),
        ("page", page.to_string()),
    ]
}

/// The page's orders, each as its text: read into its typed shape one by one.
fn json_array(reply: &Reply) -> Result<Vec<&RawValue>, ChannelError> {
    serde_json::from_slice(&reply.body).map_err(|e| ChannelError::Protocol {
        detail: format!("the orders list is not a JSON array of orders: {e}"),
    })
}

#[async_trait]
impl SalesChannel for WooClient {
    fn numbered_pages(&self) -> bool {
        true
    }

    fn kind(&self) -> ChannelKind {
        ChannelKind::Woocommerce
    }

    async fn list_orders(&self, request: &ListRequest) -> Result<Page, ChannelError> {
        let page = paging::page_number(request.page.as_deref())?;
        let reply = self
            .orders(&list_query(request.updated_since, page))
            .await?;
        let raw = json_array(&reply)?;
        let total_pages = reply
            .headers
            .get("x-wp-totalpages")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u32>().ok());
        let more = match total_pages {
            Some(total) => page < total,
            // Without the header a full page is the only hint that another follows.
            None => raw.len() >= PER_PAGE as usize,
        };
        Ok(Page {
            items: raw.iter().map(|order| parse::order(*order)).collect(),
            next: more.then(|| paging::cursor(page + 1)),
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
        let not_woo = || ChannelError::NotFound {
            detail: "WooCommerce REST API not found".into(),
        };
        let index = match self.http.send(self.get("/wp-json/", &[])).await {
            Ok(reply) => reply,
            Err(ChannelError::NotFound { .. }) => return Err(not_woo()),
            Err(e) => return Err(e),
        };
        let index: SiteIndex = serde_json::from_slice(&index.body).map_err(|_| not_woo())?;
        if !index.namespaces.iter().any(|ns| ns == "wc/v3") {
            return Err(not_woo());
        }
        // The index is public: only an orders call proves the keys and their permission.
        self.orders(&[("per_page", "1".into())]).await?;
        Ok(ConnectionCheck {
            store_name: index.name.unwrap_or_default(),
            api_version: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stub::{Scripted, Stub};
    use dealer_core::channel::Fetched;

    fn client(base: &str) -> WooClient {
        let policy = HttpPolicy {
            max_attempts: 2,
            base_backoff: std::time::Duration::from_millis(5),
            ..HttpPolicy::default()
        };
        let key = Sensitive::new("ck_test".to_string());
        let secret = Sensitive::new("cs_test".to_string());
        WooClient::with_policy(base, key, secret, policy).unwrap()
    }

    #[test]
    fn modified_after_is_utc_without_offset_and_a_second_early() {
        let since = DateTime::parse_from_rfc3339("2025-03-04T05:06:07.890Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(modified_after(since), "2025-03-04T05:06:06");
    }

    #[tokio::test]
    async fn lists_a_page_with_the_documented_query_and_basic_auth() {
        let order = crate::testing::spec("woocommerce/order.example.json");
        let stub = Stub::scripted(vec![
            Scripted::json(200, format!("[{order}]")).header("x-wp-totalpages", "3")
        ])
        .await;
        let since = DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let page = client(&stub.base_url)
            .list_orders(&ListRequest {
                updated_since: since,
                page: Some(paging::cursor(2)),
            })
            .await
            .unwrap();
        assert_eq!(page.next, Some(paging::cursor(3)));
        // The official example's first line has no SKU: the order imports, that line is not
        // for US Direct.
        assert!(matches!(&page.items[..], [Fetched::Order(_)]));
        let seen = &stub.seen()[0];
        assert_eq!(
            seen.target,
            "/wp-json/wc/v3/orders?modified_after=2024-12-31T23%3A59%3A59&dates_are_gmt=true\
             &orderby=modified&order=asc&per_page=100&page=2"
        );
        // base64("ck_test:cs_test")
        assert_eq!(seen.headers["authorization"], "Basic Y2tfdGVzdDpjc190ZXN0");
    }

    #[tokio::test]
    async fn the_last_page_has_no_next_and_garbage_is_a_protocol_error() {
        let stub = Stub::scripted(vec![
            Scripted::json(200, "[]").header("x-wp-totalpages", "1"),
            Scripted::json(200, r#"{"orders":[]}"#),
        ])
        .await;
        let woo = client(&stub.base_url);
        let request = ListRequest {
            updated_since: Utc::now(),
            page: None,
        };
        let page = woo.list_orders(&request).await.unwrap();
        assert_eq!(page.next, None);
        assert!(page.items.is_empty());
        let err = woo.list_orders(&request).await.unwrap_err();
        assert!(matches!(err, ChannelError::Protocol { .. }), "{err:?}");
    }

    #[tokio::test]
    async fn connection_test_needs_the_wc_namespace_and_working_keys() {
        let stub = Stub::scripted(vec![
            Scripted::json(200, r#"{"name":"Acme Shop","namespaces":["wp/v2","wc/v3"]}"#),
            Scripted::json(200, "[]"),
            Scripted::json(200, r#"{"name":"A blog","namespaces":["wp/v2"]}"#),
            Scripted::json(200, r#"{"name":"Acme Shop","namespaces":["wc/v3"]}"#),
            Scripted::json(
                401,
                r#"{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}"#,
            ),
        ])
        .await;
        let woo = client(&stub.base_url);
        assert_eq!(woo.test_connection().await.unwrap().store_name, "Acme Shop");
        assert_eq!(
            woo.test_connection().await.unwrap_err(),
            ChannelError::NotFound {
                detail: "WooCommerce REST API not found".into()
            }
        );
        assert_eq!(
            woo.test_connection().await.unwrap_err(),
            ChannelError::Unauthorized {
                detail: "Sorry, you cannot list resources.".into()
            }
        );
        let targets: Vec<String> = stub.seen().into_iter().map(|s| s.target).collect();
        assert_eq!(targets[0], "/wp-json/");
        assert_eq!(targets[1], "/wp-json/wc/v3/orders?per_page=1");
    }
}
