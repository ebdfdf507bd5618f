//! CSV exports for a spreadsheet or the dealer's accountant: the Orders list (its filters, its
//! columns, the items, US Direct's cost and the margin), US Direct's statement for a period, and
//! the shipments of a period.
//!
//! Every export streams: orders, invoices and shipments are read a page at a time with a keyset
//! cursor and written as they come, so an export of 100,000 orders holds one page in memory.
//! Rows are RFC 4180 (the `csv` crate quotes commas, quotes and line breaks). A UTF-8 byte order
//! mark may lead the file: Excel reads a CSV without one in the machine's legacy code page and
//! mangles any name that is not ASCII.
//!
//! **Formulas.** A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as
//! a formula by spreadsheet apps (OWASP "CSV injection"): a customer named
//! `=HYPERLINK("http://evil", "click")` would become a live link. Every text that comes from a
//! store, a customer or US Direct (names, order numbers, SKUs, titles, tracking numbers,
//! carriers, invoice numbers) goes through [`text`], which puts a `'` before such a first
//! character; the spreadsheet shows the text as typed. The cells we format ourselves are not
//! touched: amounts (decimal text from integer minor units, [`amount`]; `-12.50` stays a
//! number a spreadsheet can sum), dates (RFC 3339), statuses and counts.

mod file;
mod orders;
mod shipments;
mod statement;

use std::borrow::Cow;
use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::Currency;
use crate::{Error, Result};

pub use file::PartialFile;
pub use statement::Period;

/// Rows read from the store per page. A page of orders with their lines is a few hundred KB;
/// a larger one saves nothing measurable (each page is one indexed range read).
pub(crate) const PAGE: i64 = 500;

/// How the file is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Start with a UTF-8 byte order mark, so Excel reads accents and emoji right.
    pub bom: bool,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportSummary {
    /// Data rows (orders, invoices or shipments), header and totals rows aside.
    pub rows: u64,
}

/// The UTF-8 byte order mark.
pub const BOM: &str = "\u{feff}";

/// A cell holding text from outside (a store, a customer, US Direct), made safe to open in a
/// spreadsheet: a first character that would start a formula gets a `'` before it.
pub fn text(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

/// An amount as decimal text with the currency's digits (`-12.50`, `1500` for JPY), from
/// integer minor units: no float on the way.
pub fn amount(minor: i64, currency: &str) -> String {
    let exponent = Currency::parse(currency).map_or(2, |currency| currency.exponent());
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if exponent == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10_u64.pow(exponent);
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = exponent as usize
    )
}

/// A time as the export writes it: RFC 3339 in UTC, to the second.
pub(crate) fn time(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The start of a day, UTC.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// The CSV writer with the error the dealer sees when the file cannot be written.
pub(crate) struct Sheet<W: Write> {
    csv: csv::Writer<W>,
    pub(crate) rows: u64,
}

impl<W: Write> Sheet<W> {
    pub(crate) fn new(mut out: W, options: ExportOptions, header: &[&str]) -> Result<Self> {
        if options.bom {
            out.write_all(BOM.as_bytes()).map_err(write_error)?;
        }
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        csv.write_record(header).map_err(csv_error)?;
        Ok(Self { csv, rows: 0 })
    }

    /// A data row.
    pub(crate) fn row<I, T>(&mut self, cells: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.csv.write_record(cells).map_err(csv_error)?;
        self.rows += 1;
        Ok(())
    }

    /// A row that is not data (totals).
    pub(crate) fn extra<I, T>(&mut self, cells: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.csv.write_record(cells).map_err(csv_error)
    }

    pub(crate) fn finish(mut self) -> Result<ExportSummary> {
        self.csv.flush().map_err(write_error)?;
        Ok(ExportSummary { rows: self.rows })
    }
}

fn write_error(err: std::io::Error) -> Error {
    Error::io("Could not write the export", err)
}

fn csv_error(err: csv::Error) -> Error {
    write_error(err.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_prefixes_are_neutralised_and_plain_text_is_not() {
        for (raw, safe) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Ann = Bob", "Ann = Bob"),
            ("", ""),
        ] {
            assert_eq!(text(raw), safe, "{raw:?}");
        }
    }

    #[test]
    fn amounts_are_decimal_text_with_the_currency_digits() {
        assert_eq!(amount(-1250, "USD"), "-12.50");
        assert_eq!(amount(5, "USD"), "0.05");
        assert_eq!(amount(1500, "JPY"), "1500");
        assert_eq!(amount(1234, "KWD"), "1.234");
        assert_eq!(amount(i64::MIN, "USD"), "-92233720368547758.08");
    }
}
