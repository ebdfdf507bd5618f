//! The sandbox admin's view of the WooCommerce site's plugins: `GET|PUT /_sandbox/plugins`
//! with `{"shipment_tracking": bool}`, so another process can take the Shipment Tracking
//! extension away (or put it back). Other kinds of store have no plugins: 404.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::model::StoreKind;
use crate::state::StoreState;

#[derive(Serialize, Deserialize)]
struct Plugins {
    shipment_tracking: bool,
}

pub(crate) async fn get_plugins(State(state): State<Arc<StoreState>>) -> Response {
    if state.kind != StoreKind::Woocommerce {
        return no_plugins();
    }
    Json(Plugins {
        shipment_tracking: state.shipment_tracking(),
    })
    .into_response()
}

pub(crate) async fn put_plugins(State(state): State<Arc<StoreState>>, body: Bytes) -> Response {
    if state.kind != StoreKind::Woocommerce {
        return no_plugins();
    }
    match serde_json::from_slice::<Plugins>(&body) {
        Ok(plugins) => {
            state.set_shipment_tracking(plugins.shipment_tracking);
            Json(plugins).into_response()
        }
        Err(error) => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "code": "invalid_body", "message": error.to_string() })),
        )
            .into_response(),
    }
}

fn no_plugins() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({
            "code": "not_found",
            "message": "only the WooCommerce store has plugins",
        })),
    )
        .into_response()
}
