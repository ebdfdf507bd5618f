//! US Direct's answers (created orders, orders, the change log, authorizations, items, and the
//! error bodies of every refusal), through the real client over loopback HTTP. The seeds are
//! the response examples of the contract, `docs/supplier-api.yaml`, each with its status.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use dealer_core::secret::Sensitive;
use dealer_core::supplier::{ShipTo, Supplier, SupplierError, SupplierLine, SupplierOrderRequest};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::Value;

use super::json::{bytes_or_mutation, Payload};
use super::server::{number_header, runtime, Answer, Server};
use super::{fail, fuzz};
use crate::testing::project_doc;
use crate::{HttpPolicy, SupplierPolicy, UsDirectClient};

/// The client call that reads an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    CreateOrder,
    ListChanges,
    GetOrder,
    CancelOrder,
    Authorize,
    GetItem,
}

impl Call {
    fn of(path: &str, method: &str) -> Option<Call> {
        Some(match (path, method) {
            ("/orders", "post") => Call::CreateOrder,
            ("/orders/changes", "get") => Call::ListChanges,
            ("/orders/{orderId}", "get") => Call::GetOrder,
            ("/orders/{orderId}/cancel", "post") => Call::CancelOrder,
            ("/invoices/{invoiceId}/authorize", "post") => Call::Authorize,
            ("/items/{sku}", "get") => Call::GetItem,
            _ => return None,
        })
    }
}

/// A recorded answer: the call, the status and the example body.
#[derive(Debug, Clone)]
struct Seed {
    call: Call,
    status: u16,
    body: Value,
}

/// Every response example of the contract, the shared error responses included.
fn seeds() -> Vec<Seed> {
    let contract: serde_yaml::Value =
        serde_yaml::from_str(&project_doc("supplier-api.yaml")).unwrap_or_default();
    let examples = |response: &serde_yaml::Value| -> Vec<Value> {
        let response = match response.get("$ref").and_then(|r| r.as_str()) {
            Some(reference) => {
                let name = reference.rsplit('/').next().unwrap_or_default();
                &contract["components"]["responses"][name]
            }
            None => response,
        };
        let Some(examples) = response["content"]["application/json"]["examples"].as_mapping()
        else {
            return Vec::new();
        };
        examples
            .values()
            .filter_map(|example| serde_json::to_value(&example["value"]).ok())
            .collect()
    };
    let mut seeds = Vec::new();
    let Some(paths) = contract["paths"].as_mapping() else {
        return seeds;
    };
    for (path, operations) in paths {
        let Some(operations) = operations.as_mapping() else {
            continue;
        };
        for (method, operation) in operations {
            let (Some(path), Some(method)) = (path.as_str(), method.as_str()) else {
                continue;
            };
            let Some(call) = Call::of(path, method) else {
                continue;
            };
            let Some(responses) = operation["responses"].as_mapping() else {
                continue;
            };
            for (status, response) in responses {
                let status = status
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .or_else(|| status.as_u64().and_then(|s| u16::try_from(s).ok()))
                    .unwrap_or(200);
                for body in examples(response) {
                    seeds.push(Seed { call, status, body });
                }
            }
        }
    }
    seeds
}

fn order_request() -> SupplierOrderRequest {
    SupplierOrderRequest {
        order_number: "#1042".into(),
        ship_to: ShipTo {
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            line1: "123 Main St".into(),
            line2: None,
            city: "Springfield".into(),
            state_code: "IL".into(),
            postal: "62701".into(),
            country_code: "US".into(),
            phone: None,
            email: None,
        },
        lines: vec![SupplierLine {
            sku: "USD-HOSE-25".into(),
            quantity: 2,
        }],
    }
}

/// Each client gets its own token: the client's rate gate is shared by base URL and token, and
/// one case's `Retry-After` must not decide the next case's answer.
static TOKENS: AtomicU64 = AtomicU64::new(0);

#[test]
fn fuzz_usdirect() {
    let seeds = seeds();
    assert!(
        seeds.len() >= 20,
        "the contract's examples: {}",
        seeds.len()
    );
    for call in [
        Call::CreateOrder,
        Call::ListChanges,
        Call::GetOrder,
        Call::CancelOrder,
        Call::Authorize,
        Call::GetItem,
    ] {
        assert!(
            seeds.iter().any(|s| s.call == call && s.status < 300),
            "no success example for {call:?}"
        );
    }
    fuzz("usdirect", move || {
        let rt = runtime();
        let server = rt.block_on(Server::start());
        let strategy = select(seeds).prop_flat_map(|seed| {
            (
                Just(seed.call),
                prop_oneof![
                    6 => Just(seed.status),
                    1 => select(&[200u16, 201, 204, 302, 400, 401, 404, 409, 418, 422, 429, 500, 503][..]),
                ],
                bytes_or_mutation(seed.body),
                option::of(number_header()),
            )
        });
        let property =
            move |(call, status, body, retry_after): (Call, u16, Payload, Option<String>)| {
                let mut answer = Answer::json(body.0);
                answer.status = status;
                if let Some(retry_after) = retry_after {
                    answer = answer.header("retry-after", retry_after);
                }
                server.answer(move |_, _| answer.clone());
                // The rate gate's clock is tokio's.
                let _entered = rt.enter();
                let client = client(&server).map_err(|e| fail(e.to_string()))?;
                let outcome = rt.block_on(tokio::time::timeout(
                    Duration::from_secs(20),
                    refused(&client, call),
                ));
                match outcome {
                    Err(_) => Err(fail("the call ran past 20 s")),
                    Ok(Some(error)) => check_error(&error),
                    Ok(None) => Ok(()),
                }
            };
        (strategy, property)
    });
}

fn client(server: &Server) -> Result<UsDirectClient, dealer_core::Error> {
    let token = format!("usd-fuzz-{}", TOKENS.fetch_add(1, Ordering::Relaxed));
    UsDirectClient::with_policy(
        &format!("{}/v1", server.base_url),
        Sensitive::new(token),
        SupplierPolicy {
            http: HttpPolicy {
                timeout: Duration::from_secs(5),
                max_attempts: 2,
                base_backoff: Duration::from_millis(2),
                max_backoff: Duration::from_millis(20),
                ..HttpPolicy::default()
            },
            requests_per_second: 1000.0,
        },
    )
}

/// Makes `call`; the error, if it failed.
async fn refused(client: &UsDirectClient, call: Call) -> Option<SupplierError> {
    match call {
        Call::CreateOrder => client.create_order("key-1", &order_request()).await.err(),
        Call::ListChanges => client.list_changes(Some("eyJzZXEiOjF9"), 50).await.err(),
        Call::GetOrder => client.get_order("USD-ORD-1").await.err(),
        Call::CancelOrder => client.cancel_order("key-2", "USD-ORD-1", "no").await.err(),
        Call::Authorize => client.authorize_payment("key-3", "INV-1").await.err(),
        Call::GetItem => client.get_item("USD-HOSE-25").await.err(),
    }
}

#[test]
fn the_contracts_successes_read_and_its_refusals_are_errors() {
    let rt = runtime();
    let server = rt.block_on(Server::start());
    let _entered = rt.enter();
    for seed in seeds() {
        let body = serde_json::to_vec(&seed.body).unwrap();
        let mut answer = Answer::json(body);
        answer.status = seed.status;
        server.answer(move |_, _| answer.clone());
        let client = client(&server).unwrap();
        let error = rt.block_on(refused(&client, seed.call));
        // An unknown SKU is an answer too: no such item.
        let answered = seed.status < 300 || (seed.call == Call::GetItem && seed.status == 404);
        assert_eq!(
            error.is_none(),
            answered,
            "{:?} {}: {error:?}",
            seed.call,
            seed.status
        );
    }
}

/// An error says something (the dealer reads it in Activity and on the job).
fn check_error(error: &SupplierError) -> Result<(), TestCaseError> {
    if error.to_string().trim().is_empty() {
        return Err(fail(format!("an error without words: {error:?}")));
    }
    Ok(())
}
