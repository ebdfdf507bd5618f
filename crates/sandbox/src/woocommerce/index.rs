//! The discovery documents: `GET /wp-json/` (the site and its namespaces) and
//! `GET /wp-json/wc/v3` (the namespace's routes and their arguments). Both are public, as on
//! WordPress. They list only what the sandbox serves, so a client that probes for a namespace
//! (e.g. the Shipment Tracking extension's, listed only while it is switched on) learns the
//! truth.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{GMT_OFFSET_HOURS, SITE_NAME};
use crate::state::StoreState;

pub(crate) async fn site_index(State(state): State<Arc<StoreState>>) -> Response {
    let origin = &state.origin;
    let mut namespaces = vec!["wc/v3"];
    if state.shipment_tracking() {
        namespaces.push(super::tracking::NAMESPACE);
    }
    Json(json!({
        "name": SITE_NAME,
        "description": "A WooCommerce sandbox for Dealer Portal",
        "url": origin,
        "home": origin,
        "gmt_offset": GMT_OFFSET_HOURS,
        "timezone_string": "",
        "namespaces": namespaces,
        "authentication": [],
        "routes": {
            "/wc/v3": route(origin, "/wc/v3", json!({
                "namespace": { "required": false, "default": "wc/v3" },
                "context": { "required": false, "default": "view" },
            })),
        },
        "_links": { "help": [{ "href": "https://developer.wordpress.org/rest-api/" }] },
    }))
    .into_response()
}

pub(crate) async fn wc_v3_index(State(state): State<Arc<StoreState>>) -> Response {
    let origin = &state.origin;
    Json(json!({
        "namespace": "wc/v3",
        "routes": {
            "/wc/v3": route(origin, "/wc/v3", json!({
                "namespace": { "required": false, "default": "wc/v3" },
                "context": { "required": false, "default": "view" },
            })),
            "/wc/v3/orders": route(origin, "/wc/v3/orders", list_args()),
            "/wc/v3/orders/(?P<id>[\\d]+)": json!({
                "namespace": "wc/v3",
                "methods": ["GET", "POST", "PUT", "PATCH"],
                "endpoints": [
                    {
                        "methods": ["GET"],
                        "args": {
                            "id": arg("integer", "Unique identifier for the resource."),
                            "context": context_arg(),
                        },
                    },
                    {
                        "methods": ["POST", "PUT", "PATCH"],
                        "args": {
                            "id": arg("integer", "Unique identifier for the resource."),
                            "status": with_enum(
                                arg("string", "Order status."),
                                json!("pending"),
                                &[
                                    "pending",
                                    "processing",
                                    "on-hold",
                                    "completed",
                                    "cancelled",
                                    "refunded",
                                    "failed",
                                ],
                            ),
                        },
                    },
                ],
            }),
            "/wc/v3/orders/(?P<order_id>[\\d]+)/notes": json!({
                "namespace": "wc/v3",
                "methods": ["GET", "POST"],
                "endpoints": [
                    {
                        "methods": ["GET"],
                        "args": {
                            "order_id": arg("integer", "The order ID."),
                            "context": context_arg(),
                            "type": with_enum(
                                arg("string", "Limit result to customers or internal notes."),
                                json!("any"),
                                &["any", "customer", "internal"],
                            ),
                        },
                    },
                    {
                        "methods": ["POST"],
                        "args": {
                            "order_id": arg("integer", "The order ID."),
                            "note": required(arg("string", "Order note content.")),
                            "customer_note": with_default(
                                arg(
                                    "boolean",
                                    "If true, the note will be shown to customers and they \
                                     will be notified. If false, the note will be for admin \
                                     reference only.",
                                ),
                                json!(false),
                            ),
                        },
                    },
                ],
            }),
        },
        "_links": { "up": [{ "href": format!("{origin}/wp-json/") }] },
    }))
    .into_response()
}

fn route(origin: &str, path: &str, args: Value) -> Value {
    json!({
        "namespace": "wc/v3",
        "methods": ["GET"],
        "endpoints": [{ "methods": ["GET"], "args": args }],
        "_links": { "self": format!("{origin}/wp-json{path}") },
    })
}

fn list_args() -> Value {
    let statuses = [
        "any",
        "pending",
        "processing",
        "on-hold",
        "completed",
        "cancelled",
        "refunded",
        "failed",
        "trash",
    ];
    let orderby = ["date", "id", "include", "title", "slug", "modified"];
    json!({
        "context": context_arg(),
        "page": with_default(arg("integer", "Current page of the collection."), json!(1)),
        "per_page": with_default(
            arg("integer", "Maximum number of items to be returned in result set."),
            json!(10),
        ),
        "after": arg("string", &date_limit("published after")),
        "before": arg("string", &date_limit("published before")),
        "modified_after": arg("string", &date_limit("modified after")),
        "modified_before": arg("string", &date_limit("modified before")),
        "dates_are_gmt": with_default(
            arg(
                "boolean",
                "Whether to consider GMT post dates when limiting response by published or \
                 modified date.",
            ),
            json!(false),
        ),
        "include": with_default(
            json!({
                "required": false,
                "description": "Limit result set to specific ids.",
                "type": "array",
                "items": { "type": "integer" },
            }),
            json!([]),
        ),
        "order": with_enum(
            arg("string", "Order sort attribute ascending or descending."),
            json!("desc"),
            &["asc", "desc"],
        ),
        "orderby": with_enum(
            arg("string", "Sort collection by object attribute."),
            json!("date"),
            &orderby,
        ),
        "status": with_default(
            json!({
                "required": false,
                "description": "Limit result set to orders assigned a specific status.",
                "type": "array",
                "items": { "enum": statuses, "type": "string" },
            }),
            json!("any"),
        ),
    })
}

fn date_limit(what: &str) -> String {
    format!("Limit response to resources {what} a given ISO8601 compliant date.")
}

fn context_arg() -> Value {
    with_enum(
        arg(
            "string",
            "Scope under which the request is made; determines fields present in response.",
        ),
        json!("view"),
        &["view", "edit"],
    )
}

fn arg(kind: &str, description: &str) -> Value {
    json!({ "required": false, "description": description, "type": kind })
}

fn required(mut arg: Value) -> Value {
    if let Some(fields) = arg.as_object_mut() {
        fields.insert("required".to_owned(), json!(true));
    }
    arg
}

fn with_default(mut arg: Value, default: Value) -> Value {
    if let Some(fields) = arg.as_object_mut() {
        fields.insert("default".to_owned(), default);
    }
    arg
}

fn with_enum(arg: Value, default: Value, values: &[&str]) -> Value {
    let mut arg = with_default(arg, default);
    if let Some(fields) = arg.as_object_mut() {
        fields.insert("enum".to_owned(), json!(values));
    }
    arg
}
