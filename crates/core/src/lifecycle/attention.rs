//! Why an order needs the dealer: the side state of `needs_attention` (its kind, the dealer's
//! message and, for routing, the failed rules). [`super::transition`] writes it with every move
//! into `needs_attention` and clears it with every move out, so it always describes the order's
//! current stay there.

use serde::{Deserialize, Serialize};

use crate::fulfillment::routing::RoutingProblem;
use crate::{Error, Result};

/// What kind of problem put an order in `needs_attention`; it decides the Resolve actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
#[sqlx(rename_all = "snake_case")]
pub enum AttentionKind {
    /// US Direct's rules failed before sending (edit the address, map a SKU, release the hold).
    Routing,
    /// US Direct refused the order (or the request); fix what it says, then route again.
    Refused,
    /// US Direct declined the payment; fix the payment method, then authorize again.
    Declined,
    /// The dealer cancelled a pending step; route or authorize again.
    Stopped,
    /// The store has not been paid for the order yet; it routes by itself once the store
    /// reports it paid, or the dealer releases it.
    Unpaid,
    /// The store's fraud checks flag the order; it routes by itself once the store clears it,
    /// or the dealer releases it.
    FraudRisk,
    /// US Direct has too few of an item; it routes by itself once a stock check finds enough,
    /// or the dealer cancels it.
    OutOfStock,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Attention {
    pub kind: AttentionKind,
    /// What the dealer reads, with what to do.
    pub reason: String,
    /// The failed routing rules (routing problems only).
    pub problems: Vec<RoutingProblem>,
}

impl Attention {
    /// A problem of `kind`, explained by `reason`.
    pub fn new(kind: AttentionKind, reason: impl Into<String>) -> Self {
        Self {
            kind,
            reason: reason.into(),
            problems: Vec::new(),
        }
    }

    /// US Direct's rules failed: every failed rule, and their messages as the reason.
    pub fn routing(problems: Vec<RoutingProblem>) -> Self {
        let reason = problems
            .iter()
            .map(RoutingProblem::message)
            .collect::<Vec<_>>()
            .join(" ");
        Self {
            kind: AttentionKind::Routing,
            reason,
            problems,
        }
    }

    /// The stored columns' `attention_detail`: the failed rules as JSON, or nothing.
    pub(super) fn detail_json(&self) -> Result<Option<String>> {
        if self.problems.is_empty() {
            return Ok(None);
        }
        serde_json::to_string(&self.problems)
            .map(Some)
            .map_err(|err| Error::invalid("attention", err.to_string()))
    }

    /// Reads the stored columns of an order in `needs_attention`. An order moved there without
    /// a kind (by an older version) reads as refused.
    pub(crate) fn from_columns(
        kind: Option<AttentionKind>,
        reason: Option<String>,
        detail: Option<&str>,
    ) -> Self {
        Self {
            kind: kind.unwrap_or(AttentionKind::Refused),
            reason: reason.unwrap_or_default(),
            problems: detail
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default(),
        }
    }
}
