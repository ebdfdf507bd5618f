//! US Direct's statement for a month: every invoice authorized, paid or declined in it, a line
//! under an invoice for a shipping surcharge or credit US Direct reported, and the totals per
//! currency that are the sum of those lines to the cent.
//!
//! One reader ([`StatementReader`]) walks the month a page at a time; the window's typed
//! [`Statement`] and the CSV export (`crate::export`) are both built from its rows, so the two
//! cannot disagree.
//!
//! **Whose invoices.** The app's mode's: the live US Direct account's once a real store is
//! connected (a rehearsal's sandbox invoices charged no card and would spoil the reconciliation),
//! the sandbox US Direct's before.
//!
//! **Dates.** An invoice authorized or paid is dated by when the dealer authorized it (by when it
//! was seen paid when it has no authorization), so a November invoice US Direct settles on
//! 1 December stays on November's statement. A declined invoice is dated by its decline
//! (`orders.payment_declined_at`): declining clears the authorization.
//!
//! **Surcharge and credit.** US Direct's invoice has items, shipping and a total. A total that
//! differs from items plus shipping (at creation, or when a later change from US Direct reports a
//! new total) is US Direct charging more or less than the invoice's lines: the difference is a
//! line of its own, a "Shipping surcharge" when positive, a "Shipping credit" when negative.

mod reader;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::Environment;
use crate::export::day_start;
use crate::supplier::PaymentStatus;
use crate::{Engine, Error, Mode, Result};

pub(crate) use reader::StatementReader;

/// The invoices the window's statement lists at most; the totals still cover every invoice of
/// the month. 2,000 is more than a month of a busy dealer (60 orders a day), about 600 KB of
/// JSON and a table the window draws without paging; above it the CSV export has every line.
pub const STATEMENT_CAP: usize = 2_000;

/// A statement's period: `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Period {
    /// A calendar month, UTC.
    pub fn month(year: i32, month: u32) -> Result<Self> {
        let bad = || Error::invalid("month", format!("{year}-{month:02} is not a month"));
        let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
        let next = if first.month() == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }
        .ok_or_else(bad)?;
        Ok(Self {
            from: day_start(first),
            to: day_start(next),
        })
    }
}

/// What a line beside an invoice's items and shipping is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum AdjustmentKind {
    /// US Direct charged more than the invoice's items and shipping.
    ShippingSurcharge,
    /// US Direct charged less.
    ShippingCredit,
}

impl AdjustmentKind {
    /// The line's description, as the statement and its CSV show it.
    pub fn description(self) -> &'static str {
        match self {
            AdjustmentKind::ShippingSurcharge => "Shipping surcharge",
            AdjustmentKind::ShippingCredit => "Shipping credit",
        }
    }
}

/// A line under an invoice: what US Direct charged beside its items and shipping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatementAdjustment {
    pub kind: AdjustmentKind,
    pub description: String,
    /// Positive for a surcharge, negative for a credit, in the invoice's currency.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub amount_minor: i64,
}

/// One US Direct invoice of the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatementInvoice {
    /// The dealer's order, for a link to its page.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub order_id: i64,
    pub order_number: String,
    pub invoice_id: String,
    pub currency: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub items_minor: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shipping_minor: i64,
    /// Items plus shipping: the invoice before its adjustments.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total_minor: i64,
    pub status: PaymentStatus,
    /// What puts the invoice in the month: its authorization, or its decline.
    pub dated_at: DateTime<Utc>,
    pub authorized_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub declined_at: Option<DateTime<Utc>>,
    /// A shipping surcharge or credit, when US Direct reported one.
    pub adjustments: Vec<StatementAdjustment>,
}

impl StatementInvoice {
    /// Whether the invoice hits the dealer's card (authorized or paid; a decline does not).
    pub fn charged(&self) -> bool {
        matches!(self.status, PaymentStatus::Authorized | PaymentStatus::Paid)
    }

    /// The invoice's lines together: its total and its adjustments.
    pub fn amount_minor(&self) -> Result<i64> {
        self.adjustments
            .iter()
            .try_fold(self.total_minor, |sum, line| {
                sum.checked_add(line.amount_minor)
            })
            .ok_or_else(overflow)
    }
}

/// Sums of some invoices' lines in one currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatementSums {
    pub invoices: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub items_minor: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shipping_minor: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub adjustments_minor: i64,
    /// Items, shipping and adjustments: the sum of every line.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total_minor: i64,
}

impl StatementSums {
    fn add(&mut self, invoice: &StatementInvoice) -> Result<()> {
        let adjustments = invoice
            .adjustments
            .iter()
            .try_fold(0_i64, |sum, line| sum.checked_add(line.amount_minor))
            .ok_or_else(overflow)?;
        self.invoices = self.invoices.saturating_add(1);
        for (sum, value) in [
            (&mut self.items_minor, invoice.items_minor),
            (&mut self.shipping_minor, invoice.shipping_minor),
            (&mut self.adjustments_minor, adjustments),
            (&mut self.total_minor, invoice.amount_minor()?),
        ] {
            *sum = sum.checked_add(value).ok_or_else(overflow)?;
        }
        Ok(())
    }
}

/// The totals of one currency: every invoice of the month, and those that hit the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatementTotals {
    pub currency: String,
    /// Authorized, paid and declined.
    pub all: StatementSums,
    /// Authorized and paid: what US Direct charged the card.
    pub charged: StatementSums,
}

/// The totals of a statement, one per currency, built as its invoices are read.
#[derive(Debug, Default)]
pub(crate) struct TotalsBuilder(BTreeMap<String, StatementTotals>);

impl TotalsBuilder {
    pub(crate) fn add(&mut self, invoice: &StatementInvoice) -> Result<()> {
        let totals = self
            .0
            .entry(invoice.currency.clone())
            .or_insert_with(|| StatementTotals {
                currency: invoice.currency.clone(),
                all: StatementSums::default(),
                charged: StatementSums::default(),
            });
        totals.all.add(invoice)?;
        if invoice.charged() {
            totals.charged.add(invoice)?;
        }
        Ok(())
    }

    /// Per currency, in the currency codes' order.
    pub(crate) fn finish(self) -> Vec<StatementTotals> {
        self.0.into_values().collect()
    }
}

/// US Direct's statement for a month, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Statement {
    /// Whose invoices: the live US Direct account's, or the sandbox's before a real store.
    pub environment: Environment,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The month's invoices by date, at most [`STATEMENT_CAP`].
    pub invoices: Vec<StatementInvoice>,
    /// Every invoice of the month: more than `invoices` holds when the month passed the cap.
    pub invoice_count: u32,
    /// The most invoices listed; the totals cover them all.
    pub cap: u32,
    /// Per currency, summing every invoice of the month (those past the cap too).
    pub totals: Vec<StatementTotals>,
}

pub(crate) fn overflow() -> Error {
    Error::invalid("statement", "the statement's totals overflow")
}

impl Engine {
    /// US Direct's statement for `period`: its invoices by date (the first [`STATEMENT_CAP`])
    /// with their surcharges and credits, and the totals per currency of every invoice.
    pub async fn statement(&self, period: Period) -> Result<Statement> {
        let environment = self.statement_environment().await?;
        let mut reader = StatementReader::new(self.store().pool(), period, environment);
        let mut invoices = Vec::new();
        let mut totals = TotalsBuilder::default();
        let mut count = 0_u32;
        while let Some(page) = reader.next_page().await? {
            for invoice in page {
                totals.add(&invoice)?;
                count = count.saturating_add(1);
                if invoices.len() < STATEMENT_CAP {
                    invoices.push(invoice);
                }
            }
        }
        Ok(Statement {
            environment,
            from: period.from,
            to: period.to,
            invoices,
            invoice_count: count,
            cap: u32::try_from(STATEMENT_CAP).unwrap_or(u32::MAX),
            totals: totals.finish(),
        })
    }

    /// The environment the window shows, and whose invoices the statement lists: the mode's
    /// (Live once a real store is connected).
    pub async fn statement_environment(&self) -> Result<Environment> {
        Ok(match self.mode().await? {
            Mode::Live => Environment::Live,
            Mode::Sandbox => Environment::Sandbox,
        })
    }
}
