//! Order Sync: one import pass over every connected sales channel. Each channel's changes since
//! its cursor (less an overlap window, since some store changes do not bump `updated_at`) are
//! fetched page by page and applied page by page; the cursor moves after each applied page, so
//! an interrupted pass resumes where it stopped. Every pass is recorded in Activity.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::activity::SyncTrigger;
use crate::channel::{Fetched, ListRequest, Page, SalesChannel};
use crate::store::{Channel, TIDY_SEARCH_INDEX_AFTER};
use crate::{Engine, Error, Result};

/// How far before its cursor each channel is read again.
pub const OVERLAP: Duration = Duration::minutes(10);

/// How far back the first import of a channel looks (Shopify shows 60 days without
/// `read_all_orders`).
pub const FIRST_IMPORT_WINDOW: Duration = Duration::days(60);

/// The most pages one channel's import reads in one Order Sync (re-reads included). Pages hold
/// 100 (WooCommerce) to 250 (Shopify, BigCommerce) orders, so this is 200,000 to 500,000 changed
/// orders: the first import of a 100,000-order store fits, read again once. The loops a broken
/// store makes (the same page again, a cursor back, empty pages saying more) are caught sooner
/// by [`PageLoopGuard`]; this bounds a store that invents new orders without end, at about
/// 2,000 requests. Since the cursor moves after each page, the next sync goes on from where
/// this one stopped.
pub const MAX_PAGES_PER_SYNC: u32 = 2_000;

/// Makes the client for a channel, with its credentials. Implemented by `dealer-connectors`;
/// the engine only knows this trait.
pub trait Connect: Send + Sync {
    fn client(&self, channel: &Channel) -> Result<Arc<dyn SalesChannel>>;
}

/// Where a running pass reports its progress (the window shows it live).
pub trait Progress: Send + Sync {
    fn report(&self, progress: &SyncProgress);
}

/// Ignores progress (the CLI prints the summary at the end instead).
pub struct NoProgress;

impl Progress for NoProgress {
    fn report(&self, _: &SyncProgress) {}
}

/// Where a pass is, channel by channel. A pass sends one with `pages: 0` as each channel
/// starts, one after each page, and always a last one with `finished: true`, however it ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncProgress {
    /// The channel being imported (empty in the last event).
    pub channel: String,
    pub pages: u32,
    /// Orders read so far from this channel (new, updated or unchanged).
    pub orders: u32,
    /// The pass is over (for every channel).
    pub finished: bool,
}

/// What one channel's import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChannelReport {
    pub channel: String,
    pub pages: u32,
    pub imported: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub quarantined: u32,
    pub error: Option<String>,
}

/// What one Order Sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncReport {
    pub started_at: DateTime<Utc>,
    pub channels: Vec<ChannelReport>,
    /// One line for the dealer.
    pub message: String,
}

impl SyncReport {
    pub fn imported(&self) -> u32 {
        self.channels.iter().map(|c| c.imported).sum()
    }

    pub fn failed(&self) -> bool {
        self.channels.iter().any(|c| c.error.is_some())
    }
}

/// Releases the running flag and tells the window the pass is over, however it ends.
struct RunningGuard<'a> {
    running: &'a AtomicBool,
    progress: &'a dyn Progress,
}

impl Drop for RunningGuard<'_> {
    fn drop(&mut self) {
        self.running.store(false, Ordering::Release);
        self.progress.report(&SyncProgress {
            channel: String::new(),
            pages: 0,
            orders: 0,
            finished: true,
        });
    }
}

impl Engine {
    /// Runs one Order Sync pass over every channel (or only `only`), the sandbox store beside
    /// the real ones (its orders are sandbox orders for good). A call while one is running is
    /// refused, not queued.
    pub async fn order_sync(
        &self,
        connect: &dyn Connect,
        trigger: SyncTrigger,
        progress: &dyn Progress,
        only: Option<i64>,
    ) -> Result<SyncReport> {
        if self.sync_running.swap(true, Ordering::AcqRel) {
            return Err(Error::AlreadyRunning {
                what: "Order Sync".into(),
            });
        }
        let _guard = RunningGuard {
            running: &self.sync_running,
            progress,
        };
        let started_at = Utc::now();
        let mut channels = self.store().channels().await?;
        if let Some(id) = only {
            channels.retain(|c| c.id == id);
            if channels.is_empty() {
                return Err(Error::NotFound {
                    what: format!("channel {id}"),
                });
            }
        }
        let mut reports = Vec::with_capacity(channels.len());
        for channel in &channels {
            reports.push(
                self.sync_channel(connect, channel, trigger, progress)
                    .await?,
            );
        }
        if channels.is_empty() {
            self.store()
                .record_sync_run(trigger, None, started_at, &RunCounts::default(), None)
                .await?;
        }
        let message = summary(&reports);
        tracing::info!(trigger = trigger.as_str(), %message, "order sync done");
        Ok(SyncReport {
            started_at,
            channels: reports,
            message,
        })
    }

    /// After a sync that imported [`TIDY_SEARCH_INDEX_AFTER`] orders or more (a big store's
    /// first import), merges the search index ([`crate::store::Store::tidy_search_index`]) so
    /// searches read one segment instead of one per page. A failure is logged, not returned: the
    /// index stays right, only slower to search, and the next big sync tries again.
    pub async fn tidy_after_sync(&self, report: &SyncReport) {
        if i64::from(report.imported()) < TIDY_SEARCH_INDEX_AFTER {
            return;
        }
        match self.store().tidy_search_index().await {
            Ok(steps) => tracing::debug!(steps, "search index merged after a large import"),
            Err(err) => tracing::warn!("merging the search index after the import failed: {err}"),
        }
    }

    async fn sync_channel(
        &self,
        connect: &dyn Connect,
        channel: &Channel,
        trigger: SyncTrigger,
        progress: &dyn Progress,
    ) -> Result<ChannelReport> {
        let started_at = Utc::now();
        let mut counts = RunCounts::default();
        progress.report(&SyncProgress {
            channel: channel.name.clone(),
            pages: 0,
            orders: 0,
            finished: false,
        });
        let since = channel
            .sync_cursor
            .map(|cursor| cursor - OVERLAP)
            .unwrap_or_else(|| started_at - FIRST_IMPORT_WINDOW);
        let error = match connect.client(channel) {
            Ok(client) => self
                .import_pages(&client, channel, since, &mut counts, progress)
                .await
                .err(),
            Err(err) => Some(err.to_string()),
        };
        if let Some(error) = &error {
            tracing::warn!(channel = %channel.name, "import failed: {error}");
        }
        self.store()
            .record_sync_run(
                trigger,
                Some(channel.id),
                started_at,
                &counts,
                error.as_deref(),
            )
            .await?;
        Ok(ChannelReport {
            channel: channel.name.clone(),
            pages: counts.pages,
            imported: counts.imported,
            updated: counts.updated,
            unchanged: counts.unchanged,
            quarantined: counts.quarantined,
            error,
        })
    }

    /// Reads the window from `since` to the end. With numbered pages, a pass that saw an order
    /// changed while it ran may have skipped one at a page boundary, so the window is read
    /// again (a few times at most; what was read is not applied twice).
    async fn import_pages(
        &self,
        client: &Arc<dyn SalesChannel>,
        channel: &Channel,
        since: DateTime<Utc>,
        counts: &mut RunCounts,
        progress: &dyn Progress,
    ) -> std::result::Result<(), String> {
        const MAX_PASSES: u32 = 3;
        for pass in 1..=MAX_PASSES {
            let started = Utc::now();
            let newest = self
                .import_pass(client, channel, since, counts, progress)
                .await?;
            let moved = newest.is_some_and(|newest| newest >= started);
            if !(client.numbered_pages() && moved) || pass == MAX_PASSES {
                break;
            }
            tracing::debug!(channel = %channel.name, pass, "orders changed during the pass; reading again");
        }
        Ok(())
    }

    /// One pass over the pages; returns the newest change it saw. The next page is read while
    /// the one before it is written, so the store's answer and the disk overlap. Every page
    /// read is applied before the store's next step is judged, so a pass that a hostile or
    /// broken store ends early keeps every good order it read. It ends with an error when the
    /// store announces more but sends an empty page, points back to a page cursor it already
    /// gave, sends a page of only orders it already sent in this pass, or has sent
    /// [`MAX_PAGES_PER_SYNC`].
    async fn import_pass(
        &self,
        client: &Arc<dyn SalesChannel>,
        channel: &Channel,
        since: DateTime<Utc>,
        counts: &mut RunCounts,
        progress: &dyn Progress,
    ) -> std::result::Result<Option<DateTime<Utc>>, String> {
        if counts.pages >= MAX_PAGES_PER_SYNC {
            return Err(PageLoop::TooManyPages.explain(counts));
        }
        let request = |page| ListRequest {
            updated_since: since,
            page,
        };
        let mut page = client
            .list_orders(&request(None))
            .await
            .map_err(|err| err.to_string())?;
        let mut newest_seen: Option<DateTime<Utc>> = None;
        let mut loop_guard = PageLoopGuard::default();
        let mut shown = ShowImported::default();
        loop {
            let looping = loop_guard.check(&page);
            // The page after this one, unless the pass ends here.
            let next = match (&looping, &page.next) {
                (None, Some(next)) if counts.pages + 1 < MAX_PAGES_PER_SYNC => {
                    Some(request(Some(next.clone())))
                }
                _ => None,
            };
            // The next page is read by a task of its own: reading and parsing it then never
            // delays the statements that write this one.
            let reading = next.map(|next| NextPage::read(client, next));
            let outcome = self
                .store()
                .apply_page(channel, &page.items)
                .await
                .map_err(|err| err.to_string())?;
            let next_page = match reading {
                Some(reading) => Some(reading.page().await),
                None => None,
            };
            newest_seen = newest_seen.max(outcome.newest_change);
            shown.page_applied(self, &outcome);
            counts.pages += 1;
            counts.imported += outcome.imported;
            counts.updated += outcome.updated;
            counts.unchanged += outcome.unchanged;
            counts.quarantined += outcome.quarantined;
            progress.report(&SyncProgress {
                channel: channel.name.clone(),
                pages: counts.pages,
                orders: counts.imported + counts.updated + counts.unchanged,
                finished: false,
            });
            if let Some(looping) = looping {
                return Err(looping.explain(counts));
            }
            if page.next.is_none() {
                return Ok(newest_seen);
            }
            page = match next_page {
                Some(read) => read?,
                None => return Err(PageLoop::TooManyPages.explain(counts)),
            };
        }
    }
}

/// The next page of a pass, read while the one before it is written; dropped unread (the pass
/// ended with an error), the read is stopped.
struct NextPage(tokio::task::JoinHandle<std::result::Result<Page, String>>);

impl NextPage {
    fn read(client: &Arc<dyn SalesChannel>, request: ListRequest) -> Self {
        let client = Arc::clone(client);
        NextPage(tokio::spawn(async move {
            client
                .list_orders(&request)
                .await
                .map_err(|err| err.to_string())
        }))
    }

    async fn page(mut self) -> std::result::Result<Page, String> {
        match (&mut self.0).await {
            Ok(read) => read,
            Err(failed) => {
                let what = "reading the store's next page of orders";
                let message = match failed.try_into_panic() {
                    Ok(panic) => crate::panics::message(what, panic.as_ref()),
                    Err(_) => "the read was stopped".into(),
                };
                let message: String = message.chars().take(300).collect();
                Err(format!(
                    "the app hit an internal error while {what} ({message}); the pages before \
                     it are imported. Run Order Sync again; if it happens again, report it with \
                     the app's log"
                ))
            }
        }
    }
}

impl Drop for NextPage {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Tells the window that orders came in while a long import still runs, so a big store's first
/// sync shows its orders as they arrive: after the first page that brought any, then at most
/// once a [`ShowImported::EVERY`] (each time the window reloads what it shows).
#[derive(Default)]
struct ShowImported {
    last: Option<std::time::Instant>,
}

impl ShowImported {
    const EVERY: std::time::Duration = std::time::Duration::from_secs(1);

    fn page_applied(&mut self, engine: &Engine, outcome: &crate::store::PageOutcome) {
        if outcome.imported + outcome.updated == 0 {
            return;
        }
        if self.last.is_some_and(|last| last.elapsed() < Self::EVERY) {
            return;
        }
        self.last = Some(std::time::Instant::now());
        engine.publish(crate::changes::Change::Orders { reason: "imported" });
    }
}

/// How a store's paging went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PageLoop {
    EmptyPage,
    RepeatedCursor,
    RepeatedOrders,
    TooManyPages,
}

impl PageLoop {
    /// What the store did, what was kept, and what to do.
    fn explain(self, counts: &RunCounts) -> String {
        let kept = format!(
            "what its {} pages held is imported: {} new and {} updated orders; the next sync \
             starts again from the last of them",
            counts.pages, counts.imported, counts.updated
        );
        match self {
            Self::EmptyPage => format!(
                "the store said more orders follow but sent an empty page; Order Sync stopped \
                 there ({kept}). If this repeats, the store or a plugin changing its API \
                 answers is broken: ask its developer to check the orders list"
            ),
            Self::RepeatedCursor => format!(
                "the store pointed back to a page it had already sent (its next-page cursor \
                 repeats), which would loop forever; Order Sync stopped there ({kept}). If \
                 this repeats, ask the store's developer to check its orders pagination"
            ),
            Self::RepeatedOrders => format!(
                "the store sent again a page of orders it had already sent while still \
                 announcing more pages (a page count that never ends), which would loop \
                 forever; Order Sync stopped there ({kept}). If this repeats, a plugin or a \
                 cache in front of the store is answering every page the same: ask its \
                 developer to check the orders list"
            ),
            Self::TooManyPages => format!(
                "the store announced more than {MAX_PAGES_PER_SYNC} pages, the most one sync \
                 reads; Order Sync stopped there ({kept}). A store that says this at every \
                 sync announces pages it does not have: ask its developer to check the \
                 orders list"
            ),
        }
    }
}

/// What one pass has seen of the store's paging, to tell a store that loops from one that has
/// many orders.
#[derive(Default)]
struct PageLoopGuard {
    cursors: HashSet<String>,
    orders: HashSet<String>,
}

impl PageLoopGuard {
    /// After a page is applied: whether following its `next` would go round in circles.
    fn check(&mut self, page: &Page) -> Option<PageLoop> {
        let next = page.next.as_ref()?;
        if page.items.is_empty() {
            return Some(PageLoop::EmptyPage);
        }
        if !self.cursors.insert(next.clone()) {
            return Some(PageLoop::RepeatedCursor);
        }
        let ids: Vec<String> = page.items.iter().filter_map(order_key).collect();
        // A page only of orders already read, that still says more: an order changed during
        // the pass moves one order along, never a whole page.
        let all_seen = !ids.is_empty() && ids.iter().all(|id| self.orders.contains(id));
        self.orders.extend(ids);
        all_seen.then_some(PageLoop::RepeatedOrders)
    }
}

/// An order's identity on its page: the store's id, and the change it carries (the same order
/// changed again is news, not a repeat).
fn order_key(item: &Fetched) -> Option<String> {
    match item {
        Fetched::Order(order) => Some(format!(
            "{}@{}",
            order.order.channel_order_id.as_str(),
            order.order.channel_updated_at.timestamp_micros()
        )),
        Fetched::Malformed(malformed) => malformed.channel_order_id.clone(),
    }
}

/// Counts of one channel's run, as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub pages: u32,
    pub imported: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub quarantined: u32,
}

fn summary(reports: &[ChannelReport]) -> String {
    if reports.is_empty() {
        return "No sales channel is connected: add one in Settings.".into();
    }
    let imported: u32 = reports.iter().map(|r| r.imported).sum();
    let updated: u32 = reports.iter().map(|r| r.updated).sum();
    let quarantined: u32 = reports.iter().map(|r| r.quarantined).sum();
    let mut parts = vec![format!("{imported} new"), format!("{updated} updated")];
    if quarantined > 0 {
        parts.push(format!("{quarantined} could not be read (see Activity)"));
    }
    let failed: Vec<String> = reports
        .iter()
        .filter_map(|r| r.error.as_ref().map(|e| format!("{}: {e}", r.channel)))
        .collect();
    let mut message = format!("Order Sync: {}.", parts.join(", "));
    if !failed.is_empty() {
        message.push_str(&format!(" Failed: {}.", failed.join("; ")));
    }
    message
}
