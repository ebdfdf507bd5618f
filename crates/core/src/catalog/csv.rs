//! The SKU map as CSV (`store_sku,supplier_sku`), for a spreadsheet: export writes every
//! mapping; import checks every row — its columns, empty or malformed SKUs, a store SKU given
//! twice, and, with US Direct, that each supplier SKU is an item it carries — and saves all
//! rows in one transaction or none, reporting each bad row with its line number.

use std::collections::HashMap;

use serde::Serialize;

use super::mapping::unreachable;
use super::{ItemAnswer, OnProgress, CATALOG_MAX_AGE};
use crate::store::clean_sku;
use crate::supplier::Suppliers;
use crate::{Engine, Error, Result};

/// The header row, in this order.
pub const COLUMNS: [&str; 2] = ["store_sku", "supplier_sku"];

/// What an import saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CsvImport {
    /// Rows mapped.
    pub mapped: u32,
    /// Orders that waited on one of the imported SKUs and were routed again.
    pub routed_again: u32,
}

/// A row that cannot be imported: its line in the file (1 is the header) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub line: u64,
    pub problem: String,
}

/// A row as read, before US Direct is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub line: u64,
    pub store_sku: String,
    pub supplier_sku: String,
}

impl Engine {
    /// The SKU map as CSV text, header first, mappings in store-SKU order; SKUs with commas,
    /// quotes or line breaks are quoted.
    pub async fn export_sku_map_csv(&self) -> Result<String> {
        let mut bytes = Vec::new();
        self.export_sku_map(&mut bytes).await?;
        String::from_utf8(bytes).map_err(|err| Error::invalid("csv", err.to_string()))
    }

    /// The same CSV written to `out` (the window's Export CSV saves it to a file). The cells are
    /// the SKUs as typed, not neutralised for a spreadsheet: the file is for Import CSV.
    pub async fn export_sku_map<W: std::io::Write>(
        &self,
        out: W,
    ) -> Result<crate::export::ExportSummary> {
        let mut writer = ::csv::Writer::from_writer(out);
        let csv_error = |err: ::csv::Error| Error::invalid("csv", err.to_string());
        writer.write_record(COLUMNS).map_err(csv_error)?;
        let mut rows = 0;
        for mapping in self.store().sku_map().await? {
            writer
                .write_record([&mapping.store_sku, &mapping.supplier_sku])
                .map_err(csv_error)?;
            rows += 1;
        }
        writer
            .flush()
            .map_err(|err| Error::io("Could not write the SKU map", err))?;
        Ok(crate::export::ExportSummary { rows })
    }

    /// Imports the SKU map rows of `text` (see the module): every row is checked, and
    /// US Direct asked about each supplier SKU (answers younger than a day come from the item
    /// cache, so a second try after a failed one asks only what was not answered). Any bad row
    /// refuses the whole file with every bad row listed; otherwise all rows are mapped in one
    /// transaction and the orders that waited on them routed again.
    pub async fn import_sku_map_csv(
        &self,
        suppliers: &Suppliers,
        text: &str,
        on_progress: OnProgress<'_>,
    ) -> Result<CsvImport> {
        let rows = parse(text).map_err(refusal)?;
        let (environment, supplier) = self.catalog_for_import(suppliers).await?;
        let skus: Vec<String> = rows.iter().map(|r| r.supplier_sku.clone()).collect();
        let answers: HashMap<String, ItemAnswer> = self
            .look_up_items_with(environment, supplier, &skus, CATALOG_MAX_AGE, on_progress)
            .await?
            .into_iter()
            .map(|l| (l.sku, l.answer))
            .collect();
        let mut bad = Vec::new();
        for row in &rows {
            let problem = match answers.get(&row.supplier_sku) {
                Some(ItemAnswer::Carried { .. }) => continue,
                Some(ItemAnswer::NotCarried { .. }) => format!(
                    "US Direct does not carry {}: check the SKU in US Direct's catalog",
                    row.supplier_sku
                ),
                Some(ItemAnswer::Failed { message } | ItemAnswer::NotAsked { message }) => {
                    unreachable(&row.supplier_sku, message).to_string()
                }
                None => unreachable(&row.supplier_sku, "no answer").to_string(),
            };
            bad.push(BadRow {
                line: row.line,
                problem,
            });
        }
        if !bad.is_empty() {
            return Err(refusal(bad));
        }
        let pairs: Vec<(String, String)> = rows
            .iter()
            .map(|r| (r.store_sku.clone(), r.supplier_sku.clone()))
            .collect();
        let mapped = self.store().set_sku_mappings(&pairs).await?;
        let store_skus: Vec<String> = rows.into_iter().map(|r| r.store_sku).collect();
        let routed_again = self.sku_mappings_changed(&store_skus).await?;
        Ok(CsvImport {
            mapped: u32::try_from(mapped.len()).unwrap_or(u32::MAX),
            routed_again: u32::try_from(routed_again).unwrap_or(u32::MAX),
        })
    }

    async fn catalog_for_import<'s>(
        &self,
        suppliers: &'s Suppliers,
    ) -> Result<(
        crate::domain::Environment,
        &'s dyn crate::supplier::Supplier,
    )> {
        let environment = self.catalog_environment().await?;
        suppliers
            .get(environment)
            .map(|supplier| (environment, supplier))
            .ok_or_else(|| {
                Error::invalid(
                    "supplier",
                    "US Direct cannot be reached to check the SKUs: connect your US Direct \
                     account in Settings → US Direct account; nothing was imported",
                )
            })
    }
}

/// Reads every row of `text`, checking what needs no US Direct: the header, each row's two
/// SKUs, a store SKU given twice. Every bad row is reported, not only the first.
pub fn parse(text: &str) -> std::result::Result<Vec<CsvRow>, Vec<BadRow>> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(::csv::Trim::None)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut bad = Vec::new();
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(|h| h.trim().to_string()).collect(),
        Err(err) => {
            return Err(vec![BadRow {
                line: 1,
                problem: format!("the header cannot be read: {err}"),
            }])
        }
    };
    if header != COLUMNS {
        let unknown: Vec<&str> = header
            .iter()
            .map(String::as_str)
            .filter(|h| !COLUMNS.contains(h))
            .collect();
        let problem = if unknown.is_empty() {
            format!(
                "the header is {:?}; write exactly {}",
                header.join(","),
                COLUMNS.join(",")
            )
        } else {
            format!(
                "unknown column {}: the columns are {}",
                unknown
                    .iter()
                    .map(|c| format!("{c:?}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                COLUMNS.join(",")
            )
        };
        return Err(vec![BadRow { line: 1, problem }]);
    }
    let mut rows: Vec<CsvRow> = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                bad.push(BadRow {
                    line: err.position().map_or(0, |p| p.line()),
                    problem: format!("cannot be read: {err}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        if record.len() != COLUMNS.len() {
            bad.push(BadRow {
                line,
                problem: format!(
                    "has {} fields; write two: {}",
                    record.len(),
                    COLUMNS.join(",")
                ),
            });
            continue;
        }
        let store = clean_sku("store_sku", &record[0]);
        let supplier = clean_sku("supplier_sku", &record[1]);
        match (store, supplier) {
            (Ok(store_sku), Ok(supplier_sku)) => {
                if let Some(first) = first_line.get(&store_sku) {
                    bad.push(BadRow {
                        line,
                        problem: format!(
                            "store SKU {store_sku} is already mapped on line {first}; keep one row \
                             per store SKU"
                        ),
                    });
                    continue;
                }
                first_line.insert(store_sku.clone(), line);
                rows.push(CsvRow {
                    line,
                    store_sku,
                    supplier_sku,
                });
            }
            (store, supplier) => {
                for err in [store.err(), supplier.err()].into_iter().flatten() {
                    bad.push(BadRow {
                        line,
                        problem: err.to_string(),
                    });
                }
            }
        }
    }
    if bad.is_empty() {
        Ok(rows)
    } else {
        Err(bad)
    }
}

/// The whole file refused, every bad row on a line of its own.
fn refusal(bad: Vec<BadRow>) -> Error {
    let rows = bad
        .iter()
        .map(|b| format!("line {}: {}", b.line, b.problem))
        .collect::<Vec<_>>()
        .join("\n");
    Error::invalid(
        "csv",
        format!(
            "{} row{} cannot be imported, so nothing was saved; fix {} and import the file \
             again:\n{rows}",
            bad.len(),
            if bad.len() == 1 { "" } else { "s" },
            if bad.len() == 1 { "it" } else { "them" },
        ),
    )
}
