//! US Direct's statement for a period as CSV: the rows of [`crate::statement`]'s reader, an
//! invoice row and a row for each surcharge or credit under it, then per currency a `Total` row
//! (every invoice) and a `Charged` row (authorized and paid: what hit the card). Each column of
//! a totals row is the sum of that column's rows to the cent.

use std::io::Write;

use super::{amount, text, time, ExportOptions, ExportSummary, Sheet};
use crate::statement::{StatementReader, StatementSums, TotalsBuilder};
use crate::supplier::PaymentStatus;
use crate::{Engine, Result};

pub use crate::statement::Period;

const HEADER: [&str; 14] = [
    "Order",
    "Invoice",
    "Line",
    "Items cost",
    "Shipping",
    "Adjustment",
    "Total",
    "Currency",
    "Status",
    "Dated",
    "Authorized at",
    "Paid at",
    "Declined at",
    "Invoices",
];

impl Engine {
    /// Writes every US Direct invoice authorized, paid or declined in `period`, by date, each
    /// followed by its surcharge or credit, then the totals rows per currency, to `out` as CSV.
    /// The invoices (the mode's environment's) are dated as [`crate::statement`] says.
    pub async fn export_statement<W: Write + Send>(
        &self,
        period: Period,
        out: W,
        options: ExportOptions,
    ) -> Result<ExportSummary> {
        let mut sheet = Sheet::new(out, options, &HEADER)?;
        let environment = self.statement_environment().await?;
        let mut reader = StatementReader::new(self.store().pool(), period, environment);
        let mut totals = TotalsBuilder::default();
        while let Some(page) = reader.next_page().await? {
            for invoice in &page {
                totals.add(invoice)?;
                let currency = &invoice.currency;
                let order = text(&invoice.order_number);
                let id = text(&invoice.invoice_id);
                sheet.row([
                    order.as_ref(),
                    id.as_ref(),
                    "Invoice",
                    &amount(invoice.items_minor, currency),
                    &amount(invoice.shipping_minor, currency),
                    "",
                    &amount(invoice.total_minor, currency),
                    text(currency).as_ref(),
                    status_name(invoice.status),
                    &time(&invoice.dated_at),
                    &invoice.authorized_at.as_ref().map(time).unwrap_or_default(),
                    &invoice.paid_at.as_ref().map(time).unwrap_or_default(),
                    &invoice.declined_at.as_ref().map(time).unwrap_or_default(),
                    "",
                ])?;
                for line in &invoice.adjustments {
                    sheet.extra([
                        order.as_ref(),
                        id.as_ref(),
                        line.kind.description(),
                        "",
                        "",
                        &amount(line.amount_minor, currency),
                        &amount(line.amount_minor, currency),
                        text(currency).as_ref(),
                        status_name(invoice.status),
                        &time(&invoice.dated_at),
                        "",
                        "",
                        "",
                        "",
                    ])?;
                }
            }
        }
        for currency in totals.finish() {
            for (label, sums) in [("Total", &currency.all), ("Charged", &currency.charged)] {
                totals_row(&mut sheet, label, &currency.currency, sums)?;
            }
        }
        sheet.finish()
    }
}

fn totals_row<W: Write>(
    sheet: &mut Sheet<W>,
    label: &str,
    currency: &str,
    sums: &StatementSums,
) -> Result<()> {
    sheet.extra([
        label,
        "",
        "",
        &amount(sums.items_minor, currency),
        &amount(sums.shipping_minor, currency),
        &amount(sums.adjustments_minor, currency),
        &amount(sums.total_minor, currency),
        text(currency).as_ref(),
        "",
        "",
        "",
        "",
        "",
        &sums.invoices.to_string(),
    ])
}

pub(crate) fn status_name(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::NotAuthorized => "not_authorized",
        PaymentStatus::Authorized => "authorized",
        PaymentStatus::Paid => "paid",
        PaymentStatus::Declined => "declined",
    }
}
