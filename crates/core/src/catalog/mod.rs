//! US Direct's catalog as the app sees it: [`Engine::look_up_items`] answers "does US Direct
//! carry this SKU, what does it weigh, how many are in stock" from the item cache
//! (`supplier_items`) when the answer is fresh enough, and otherwise asks US Direct's
//! `getItem`, no faster than the contract's 2 requests per second, keeping each answer.
//!
//! Built on it: the SKU map's checks ([`mapping`]: a mapping to an item US Direct does not
//! carry is refused), the seen SKUs and their bulk match, and the CSV import and export
//! ([`csv`]).

pub mod csv;
pub mod mapping;
mod pace;

use std::ops::ControlFlow;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use pace::{Pacer, ITEM_LOOKUPS_PER_SECOND};

use crate::domain::Environment;
use crate::supplier::{Supplier, SupplierError, SupplierItem};
use crate::{Engine, Result};

/// How long an answer about whether US Direct carries a SKU is trusted for the SKU map: a
/// catalog changes over weeks, and a day-old answer lets a dealer re-run a match or an import
/// without waiting minutes for US Direct again.
pub const CATALOG_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// What the app knows of one SKU at US Direct after a look-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(tag = "state", rename_all = "snake_case"))]
pub enum ItemAnswer {
    /// US Direct carries it (as of `checked_at`).
    Carried {
        item: SupplierItem,
        checked_at: DateTime<Utc>,
    },
    /// US Direct answered that it has no such item.
    NotCarried { checked_at: DateTime<Utc> },
    /// US Direct could not be asked (unreachable, busy, an answer this version cannot read):
    /// nothing was stored; asking again later may answer.
    Failed { message: String },
    /// The look-up stopped before this SKU (cancelled, or US Direct refused the token).
    NotAsked { message: String },
}

impl ItemAnswer {
    pub fn is_carried(&self) -> bool {
        matches!(self, ItemAnswer::Carried { .. })
    }

    /// The item, when US Direct carries it.
    pub fn item(&self) -> Option<&SupplierItem> {
        match self {
            ItemAnswer::Carried { item, .. } => Some(item),
            _ => None,
        }
    }
}

/// One SKU's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemLookup {
    pub sku: String,
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub answer: ItemAnswer,
    /// Answered from the item cache, without asking US Direct.
    pub cached: bool,
}

/// Where a look-up stands, after each SKU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LookupProgress {
    /// SKUs answered so far (from the cache or from US Direct).
    pub done: u32,
    pub total: u32,
    /// Requests sent to US Direct so far.
    pub asked: u32,
}

/// Hears each step of a look-up; `ControlFlow::Break` stops it (the answers so far are kept).
pub type OnProgress<'a> = &'a mut (dyn FnMut(LookupProgress) -> ControlFlow<()> + Send);

impl Engine {
    /// US Direct's answer for each of `skus` in `environment` (in the order given, each SKU
    /// once): from the item cache when it was checked less than `max_age` ago, else from
    /// `supplier` — one request at a time, at most [`ITEM_LOOKUPS_PER_SECOND`] for this
    /// environment across the whole engine (the SKU map, the stock check, a match running in
    /// the window) — and kept in the cache, "no such item" included.
    ///
    /// A transient failure (US Direct down, busy) is that SKU's [`ItemAnswer::Failed`] and the
    /// batch goes on; a refused token or a redirect would answer the same for every SKU, so the
    /// rest are [`ItemAnswer::NotAsked`] rather than asked in vain. Only the store failing is an
    /// error.
    pub async fn look_up_items(
        &self,
        environment: Environment,
        supplier: &dyn Supplier,
        skus: &[String],
        max_age: Duration,
    ) -> Result<Vec<ItemLookup>> {
        self.look_up_items_with(environment, supplier, skus, max_age, &mut |_| {
            ControlFlow::Continue(())
        })
        .await
    }

    /// [`look_up_items`](Self::look_up_items), telling `on_progress` after each SKU; when it
    /// answers `Break` the look-up stops and the SKUs not reached are `NotAsked` (the answers
    /// kept so far make the next run start where this one stopped).
    pub async fn look_up_items_with(
        &self,
        environment: Environment,
        supplier: &dyn Supplier,
        skus: &[String],
        max_age: Duration,
        on_progress: OnProgress<'_>,
    ) -> Result<Vec<ItemLookup>> {
        let mut unique: Vec<String> = Vec::with_capacity(skus.len());
        for sku in skus {
            if !unique.contains(sku) {
                unique.push(sku.clone());
            }
        }
        let cached = self.store().cached_items(environment, &unique).await?;
        let oldest = Utc::now() - chrono::Duration::from_std(max_age).unwrap_or_default();
        let total = u32::try_from(unique.len()).unwrap_or(u32::MAX);
        let mut progress = LookupProgress {
            done: 0,
            total,
            asked: 0,
        };
        let mut stopped: Option<String> = None;
        let mut answers = Vec::with_capacity(unique.len());
        for sku in unique {
            if let Some(why) = &stopped {
                answers.push(ItemLookup {
                    sku,
                    answer: ItemAnswer::NotAsked {
                        message: why.clone(),
                    },
                    cached: false,
                });
                continue;
            }
            let fresh = cached
                .iter()
                .find(|c| c.sku == sku && c.checked_at >= oldest);
            let lookup = match fresh {
                Some(hit) => ItemLookup {
                    answer: match &hit.item {
                        Some(item) => ItemAnswer::Carried {
                            item: item.clone(),
                            checked_at: hit.checked_at,
                        },
                        None => ItemAnswer::NotCarried {
                            checked_at: hit.checked_at,
                        },
                    },
                    sku,
                    cached: true,
                },
                None => {
                    self.item_pace.wait(environment).await;
                    progress.asked += 1;
                    let answer = self.ask_item(environment, supplier, &sku).await?;
                    if let Err(err) = &answer {
                        if let Some(wait) = err.retry_after() {
                            self.item_pace.defer(environment, wait);
                        }
                        if !err.is_transient() && stops_the_batch(err) {
                            stopped = Some(format!("not asked: {err}"));
                        }
                    }
                    ItemLookup {
                        answer: match answer {
                            Ok(answer) => answer,
                            Err(err) => ItemAnswer::Failed {
                                message: err.to_string(),
                            },
                        },
                        sku,
                        cached: false,
                    }
                }
            };
            answers.push(lookup);
            progress.done += 1;
            if stopped.is_none() && on_progress(progress).is_break() {
                stopped = Some("not asked: the look-up was stopped".into());
            }
        }
        Ok(answers)
    }

    /// One `getItem`, its answer kept. `Err` is US Direct's failure (not stored); the store
    /// failing is the outer error.
    async fn ask_item(
        &self,
        environment: Environment,
        supplier: &dyn Supplier,
        sku: &str,
    ) -> Result<std::result::Result<ItemAnswer, SupplierError>> {
        let answer = supplier.get_item(sku).await;
        let checked_at = Utc::now();
        Ok(match answer {
            Ok(item) => {
                self.store()
                    .cache_item(environment, sku, item.as_ref(), checked_at)
                    .await?;
                Ok(match item {
                    Some(item) => ItemAnswer::Carried { item, checked_at },
                    None => ItemAnswer::NotCarried { checked_at },
                })
            }
            Err(err) => Err(err),
        })
    }
}

/// A failure that would be the same for every SKU: asking the others would only repeat it.
fn stops_the_batch(err: &SupplierError) -> bool {
    matches!(
        err,
        SupplierError::Unauthorized | SupplierError::Redirected { .. }
    )
}
