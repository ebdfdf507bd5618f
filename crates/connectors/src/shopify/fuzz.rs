//! Fuzzing the GraphQL envelope and what the pacer makes of a hostile `extensions.cost` (see
//! `crate::fuzz`): any report leaves a plan of 1 to 250 nodes and a wait of at most an hour.

use std::time::Duration;

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::json;
use tokio::time::Instant;

use super::documents::Doc;
use super::envelope::{Envelope, Failure};
use super::pacing::{Pacer, MAX_FIRST};
use crate::fuzz::{bytes_or_mutation, fail, fuzz, Payload};

/// The longest wait a plan or an estimate may ask for.
const LONGEST_WAIT: Duration = Duration::from_secs(3600);

fn envelopes() -> impl Strategy<Value = serde_json::Value> {
    let cost = json!({ "cost": {
        "requestedQueryCost": 752,
        "actualQueryCost": 312,
        "throttleStatus": { "maximumAvailable": 1000.0, "currentlyAvailable": 291, "restoreRate": 50.0 }
    }});
    select(vec![
        json!({ "data": { "orders": { "nodes": [] } }, "extensions": cost }),
        json!({
            "errors": [{ "message": "Throttled", "extensions": { "code": "THROTTLED" } }],
            "extensions": cost,
        }),
        json!({ "errors": [{
            "message": "Query cost is 2003, which exceeds the single query max cost limit (1000).",
            "extensions": { "code": "MAX_COST_EXCEEDED", "cost": 2003, "maxCost": 1000 }
        }] }),
    ])
}

#[test]
fn fuzz_shopify_cost() {
    fuzz("shopify_cost", || {
        let strategy = (
            envelopes().prop_flat_map(bytes_or_mutation),
            0usize..300,
            any::<u32>(),
        );
        let property = |(body, nodes, most_lines): (Payload, usize, u32)| {
            let Ok(envelope) = Envelope::parse(&body.0) else {
                return Ok(());
            };
            let failure = envelope.failure();
            let cost = envelope.cost();
            let mut pacer = Pacer::default();
            let start = Instant::now();
            for round in 0..4u64 {
                let now = start + Duration::from_secs(round * 7);
                for doc in Doc::ALL {
                    let plan = pacer.plan(now, doc, MAX_FIRST);
                    if !(1..=MAX_FIRST).contains(&plan.first) || plan.wait > LONGEST_WAIT {
                        return Err(fail(format!("after {cost:?}: {plan:?}")));
                    }
                    pacer.observe(now, &cost, &plan);
                    match &failure {
                        Some(Failure::Throttled) => pacer.throttled(now, &cost),
                        Some(Failure::MaxCostExceeded { cost, max_cost }) => {
                            pacer.max_cost_exceeded(&plan, *cost, *max_cost)
                        }
                        _ => {}
                    }
                    let estimate = pacer.refill_estimate(now, doc);
                    if estimate > LONGEST_WAIT {
                        return Err(fail(format!("after {cost:?}: a refill of {estimate:?}")));
                    }
                }
                pacer.orders_served(cost.actual, nodes, most_lines);
            }
            Ok(())
        };
        (strategy, property)
    });
}
