//! Whether the store has been paid for an order, in terms common to every platform. Each
//! connector maps its platform's own states here (see their `parse.rs`); the engine holds an
//! order that is not [`StorePayment::Paid`] before it reaches US Direct.

use serde::{Deserialize, Serialize};

use super::ChannelKind;

/// The store's payment state of an order, as its platform reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(tag = "state", rename_all = "snake_case"))]
pub enum StorePayment {
    /// The store has the money (or the order was marked paid).
    Paid,
    /// The store has not been paid yet; `status` is the platform's word for it
    /// (Shopify `PENDING`, WooCommerce `on-hold`, BigCommerce `Awaiting Payment`).
    Unpaid { status: String },
    /// The store's fraud checks flag the order; `detail` is what the platform says.
    HighRisk { detail: String },
}

/// How a [`StorePayment`] is stored (`orders.store_payment`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, Deserialize)]
#[sqlx(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub(crate) enum PaymentState {
    Paid,
    Unpaid,
    HighRisk,
}

impl StorePayment {
    pub fn is_paid(&self) -> bool {
        matches!(self, StorePayment::Paid)
    }

    /// The stored columns: the state and the platform's word.
    pub(crate) fn to_columns(&self) -> (PaymentState, Option<&str>) {
        match self {
            StorePayment::Paid => (PaymentState::Paid, None),
            StorePayment::Unpaid { status } => (PaymentState::Unpaid, Some(status)),
            StorePayment::HighRisk { detail } => (PaymentState::HighRisk, Some(detail)),
        }
    }

    pub(crate) fn from_columns(state: PaymentState, word: Option<String>) -> Self {
        let word = word.unwrap_or_default();
        match state {
            PaymentState::Paid => StorePayment::Paid,
            PaymentState::Unpaid => StorePayment::Unpaid { status: word },
            PaymentState::HighRisk => StorePayment::HighRisk { detail: word },
        }
    }

    /// Why an order with this payment state is held, for the dealer; `None` when it is paid.
    pub fn hold_reason(&self, platform: ChannelKind) -> Option<String> {
        let platform = platform.display_name();
        match self {
            StorePayment::Paid => None,
            StorePayment::Unpaid { status } => Some(format!(
                "The store has not been paid for this order yet ({platform}: {status}). It goes \
                 to US Direct by itself once the store reports it paid, or release it here."
            )),
            StorePayment::HighRisk { detail } => Some(format!(
                "The store flags this order as a high fraud risk ({platform}: {detail}). Check \
                 it in the store: it goes to US Direct by itself once the store clears it, or \
                 release it here."
            )),
        }
    }

    /// A short text for the timeline ("paid", "unpaid (PENDING)", "high risk (risk: CANCEL)").
    pub fn summary(&self) -> String {
        match self {
            StorePayment::Paid => "paid".into(),
            StorePayment::Unpaid { status } => format!("not paid ({status})"),
            StorePayment::HighRisk { detail } => format!("high fraud risk ({detail})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_names_the_platform_and_its_word() {
        let unpaid = StorePayment::Unpaid {
            status: "PENDING".into(),
        };
        assert_eq!(
            unpaid.hold_reason(ChannelKind::Shopify).unwrap(),
            "The store has not been paid for this order yet (Shopify: PENDING). It goes to US \
             Direct by itself once the store reports it paid, or release it here."
        );
        assert_eq!(StorePayment::Paid.hold_reason(ChannelKind::Shopify), None);
        let risky = StorePayment::HighRisk {
            detail: "Manual Verification Required".into(),
        };
        assert!(risky
            .hold_reason(ChannelKind::Bigcommerce)
            .unwrap()
            .contains("(BigCommerce: Manual Verification Required)"));
    }

    #[test]
    fn columns_round_trip() {
        for payment in [
            StorePayment::Paid,
            StorePayment::Unpaid {
                status: "on-hold".into(),
            },
            StorePayment::HighRisk {
                detail: "risk: HIGH".into(),
            },
        ] {
            let (state, word) = payment.to_columns();
            let read = StorePayment::from_columns(state, word.map(str::to_string));
            assert_eq!(read, payment);
        }
    }
}
