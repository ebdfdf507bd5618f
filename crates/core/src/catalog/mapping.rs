//! The SKU map, checked against US Direct's catalog: a mapping is made only to an item US
//! Direct carries; the store SKUs seen in orders that have no mapping are offered, matched in
//! bulk against items US Direct carries under the same SKU, and confirmed in one go. Every
//! mapping made here routes again the orders that waited for it
//! ([`Engine::sku_mappings_changed`]).
//!
//! The catalog asked is the one orders go to: the sandbox US Direct while the app rehearses,
//! the dealer's US Direct account once a real store is connected ([`Engine::catalog_environment`]).

use std::ops::ControlFlow;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{ItemAnswer, ItemLookup, LookupProgress, OnProgress, CATALOG_MAX_AGE};
use crate::domain::Environment;
use crate::store::{clean_sku, SkuMapping};
use crate::supplier::{Supplier, Suppliers};
use crate::{Engine, Error, Mode, Result};

/// A store SKU seen in order lines that has no mapping, with what the app knows of it at US
/// Direct (under the same SKU).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SeenSku {
    pub store_sku: String,
    /// Orders with a line of it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub orders: i64,
    /// Lines holding it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub lines: i64,
    /// Orders in `needs_attention` because it has no mapping.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub waiting_orders: i64,
    /// US Direct's last answer about the same SKU, when it was asked (a match).
    pub us_direct: Option<SeenAnswer>,
}

/// What US Direct last answered about a seen SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SeenAnswer {
    pub carried: bool,
    /// US Direct's title for it, when carried.
    pub title: Option<String>,
    pub checked_at: DateTime<Utc>,
}

/// What a match of the seen SKUs found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MatchReport {
    pub lookups: Vec<ItemLookup>,
    /// SKUs US Direct carries under the same SKU: ready to confirm.
    pub carried: u32,
    pub not_carried: u32,
    /// Not answered (US Direct unreachable, or the match stopped): run the match again.
    pub unanswered: u32,
}

impl Engine {
    /// The environment whose US Direct the SKU map is checked against: Live once a real store
    /// is connected, else the Sandbox.
    pub async fn catalog_environment(&self) -> Result<Environment> {
        Ok(match self.mode().await? {
            Mode::Live => Environment::Live,
            Mode::Sandbox => Environment::Sandbox,
        })
    }

    /// The US Direct the SKU map is checked against, and its environment; an error that says
    /// what to do when it cannot be reached.
    async fn catalog<'s>(
        &self,
        suppliers: &'s Suppliers,
    ) -> Result<(Environment, &'s dyn Supplier)> {
        let environment = self.catalog_environment().await?;
        match suppliers.get(environment) {
            Some(supplier) => Ok((environment, supplier)),
            None => Err(Error::invalid(
                "supplier",
                match environment {
                    Environment::Live => {
                        "US Direct cannot be reached to check the SKU: connect your US Direct \
                         account in Settings → US Direct account (or `dealer supplier connect`); \
                         nothing was saved"
                    }
                    Environment::Sandbox => {
                        "the sandbox US Direct is not running to check the SKU; nothing was saved"
                    }
                },
            )),
        }
    }

    /// Maps `store_sku` to `supplier_sku` after US Direct confirms it carries `supplier_sku`.
    /// Refused, and nothing saved, when US Direct does not carry it or cannot be asked now.
    /// Orders that waited on `store_sku` are routed again.
    pub async fn map_sku(
        &self,
        suppliers: &Suppliers,
        store_sku: &str,
        supplier_sku: &str,
    ) -> Result<SkuMapping> {
        let store_sku = clean_sku("store_sku", store_sku)?;
        let supplier_sku = clean_sku("supplier_sku", supplier_sku)?;
        let (environment, supplier) = self.catalog(suppliers).await?;
        let lookup = self
            .look_up_items(
                environment,
                supplier,
                std::slice::from_ref(&supplier_sku),
                CATALOG_MAX_AGE,
            )
            .await?;
        match lookup.first().map(|l| &l.answer) {
            Some(ItemAnswer::Carried { .. }) => {}
            Some(ItemAnswer::NotCarried { .. }) => return Err(not_carried(&supplier_sku)),
            Some(ItemAnswer::Failed { message } | ItemAnswer::NotAsked { message }) => {
                return Err(unreachable(&supplier_sku, message))
            }
            None => return Err(unreachable(&supplier_sku, "no answer")),
        }
        let mapping = self
            .store()
            .set_sku_mapping(&store_sku, &supplier_sku)
            .await?;
        self.sku_mappings_changed(std::slice::from_ref(&store_sku))
            .await?;
        Ok(mapping)
    }

    /// Store SKUs seen in order lines without a mapping, most orders first, with US Direct's
    /// last answer about each (same SKU) in the catalog's environment.
    pub async fn seen_skus(&self) -> Result<Vec<SeenSku>> {
        let environment = self.catalog_environment().await?;
        self.store().seen_unmapped_skus(environment).await
    }

    /// Asks US Direct about every seen SKU under the same SKU (answers younger than a day come
    /// from the cache, so a stopped match resumes where it stopped). Maps nothing: the dealer
    /// confirms with [`confirm_sku_matches`](Self::confirm_sku_matches).
    pub async fn match_seen_skus(
        &self,
        suppliers: &Suppliers,
        on_progress: OnProgress<'_>,
    ) -> Result<MatchReport> {
        let (environment, supplier) = self.catalog(suppliers).await?;
        let skus: Vec<String> = self
            .store()
            .seen_unmapped_skus(environment)
            .await?
            .into_iter()
            .map(|seen| seen.store_sku)
            .collect();
        let lookups = self
            .look_up_items_with(environment, supplier, &skus, CATALOG_MAX_AGE, on_progress)
            .await?;
        let count = |f: fn(&ItemAnswer) -> bool| {
            u32::try_from(lookups.iter().filter(|l| f(&l.answer)).count()).unwrap_or(u32::MAX)
        };
        Ok(MatchReport {
            carried: count(|a| matches!(a, ItemAnswer::Carried { .. })),
            not_carried: count(|a| matches!(a, ItemAnswer::NotCarried { .. })),
            unanswered: count(|a| {
                matches!(a, ItemAnswer::Failed { .. } | ItemAnswer::NotAsked { .. })
            }),
            lookups,
        })
    }

    /// Maps each of `skus` (`None`: every seen SKU a match found US Direct carries) to the
    /// same SKU at US Direct, in one transaction, then routes again the orders that waited.
    /// Every SKU must be seen without a mapping and found carried by a match less than a day
    /// old; otherwise nothing is mapped and the error names them.
    pub async fn confirm_sku_matches(&self, skus: Option<&[String]>) -> Result<Vec<SkuMapping>> {
        let environment = self.catalog_environment().await?;
        let seen = self.store().seen_unmapped_skus(environment).await?;
        let oldest = Utc::now() - chrono::Duration::from_std(CATALOG_MAX_AGE).unwrap_or_default();
        let matched = |s: &SeenSku| {
            s.us_direct
                .as_ref()
                .is_some_and(|a| a.carried && a.checked_at >= oldest)
        };
        let chosen: Vec<String> = match skus {
            None => seen
                .iter()
                .filter(|s| matched(s))
                .map(|s| s.store_sku.clone())
                .collect(),
            Some(skus) => {
                let unmatched: Vec<&str> = skus
                    .iter()
                    .filter(|sku| !seen.iter().any(|s| &s.store_sku == *sku && matched(s)))
                    .map(String::as_str)
                    .collect();
                if !unmatched.is_empty() {
                    return Err(Error::invalid(
                        "skus",
                        format!(
                            "no match to confirm for {}: confirm only seen SKUs without a \
                             mapping that \"Match with US Direct\" (`dealer sku match`) found \
                             US Direct carries; nothing was mapped",
                            unmatched.join(", ")
                        ),
                    ));
                }
                skus.to_vec()
            }
        };
        let pairs: Vec<(String, String)> = chosen.iter().map(|s| (s.clone(), s.clone())).collect();
        let mappings = self.store().set_sku_mappings(&pairs).await?;
        self.sku_mappings_changed(&chosen).await?;
        Ok(mappings)
    }
}

/// Stops nothing: for callers with no progress to show.
pub fn no_progress(_: LookupProgress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

pub(crate) fn not_carried(sku: &str) -> Error {
    Error::invalid(
        "supplier_sku",
        format!("US Direct does not carry {sku}: check the SKU in US Direct's catalog"),
    )
}

pub(crate) fn unreachable(sku: &str, why: &str) -> Error {
    Error::invalid(
        "supplier",
        format!(
            "US Direct could not be asked whether it carries {sku} ({why}); nothing was saved: \
             try again when US Direct answers"
        ),
    )
}
