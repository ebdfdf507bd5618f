//! The orders that need the dealer, as the tray and the window's sidebar show them, and the one
//! desktop notification for problems that arrive together.
//!
//! The count is read again when the engine says orders changed (its change events, forwarded by
//! the runtime as [`RuntimeEvent::Changed`](dealer_runtime::RuntimeEvent) and `Problems`), never
//! on a timer: a burst of changes (an import's pages) wakes one read, and an idle app reads
//! nothing. Orders that turn Late or Stuck as time passes come as changes too: the runtime's
//! outbox pass asks the engine, which publishes them.
//!
//! Problems are gathered until none has come for [`GATHER`] (at most [`GATHER_AT_MOST`]), then
//! told in one notification made by [`dealer_core::problems::group_problems`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use dealer_core::problems::{group_problems, Problem};
use dealer_core::store::OrderFlag;
use dealer_core::Engine;
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::{mpsc, watch};
use ts_rs::TS;

use crate::events::{self, AppEvent};
use crate::notify::plain_text;
use crate::tray::TrayMenu;

/// Problems keep arriving while a sync or the outbox works through a batch: told once they have
/// been quiet this long.
const GATHER: Duration = Duration::from_secs(2);
/// ... but never held longer than this, however steadily they come.
const GATHER_AT_MOST: Duration = Duration::from_secs(10);
/// Changes in a burst (each import page is one) are read as one count.
const SETTLE: Duration = Duration::from_millis(200);

/// How many orders need the dealer (each once: needs attention, Late or Stuck).
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct NeedsYou {
    #[ts(type = "number")]
    pub count: i64,
}

impl AppEvent for NeedsYou {
    const NAME: &'static str = "needs-you-changed";
}

/// The window should show the Orders list with this flag (the tray's "Needs attention").
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpenOrders {
    pub flag: OrderFlag,
}

impl AppEvent for OpenOrders {
    const NAME: &'static str = "open-orders";
}

/// The shell's side: wakes the count and hands problems to the notifier. Its tasks end when it
/// is dropped with the runtime's sink.
pub struct Attention {
    /// Marked changed for each change of orders; many marks before the count reads them are one.
    recount: watch::Sender<()>,
    problems: mpsc::UnboundedSender<Vec<Problem>>,
}

impl Attention {
    pub fn start<R: Runtime>(app: AppHandle<R>, engine: Arc<Engine>) -> Self {
        let (recount, changes) = watch::channel(());
        let (problems, incoming) = mpsc::unbounded_channel();
        tauri::async_runtime::spawn(count_on_change(app.clone(), engine.clone(), changes));
        tauri::async_runtime::spawn(notify_problems(app, engine, incoming));
        Self { recount, problems }
    }

    /// Orders changed: the count is read again.
    pub fn orders_changed(&self) {
        self.recount.send_replace(());
    }

    pub fn problems(&self, problems: Vec<Problem>) {
        self.orders_changed();
        if self.problems.send(problems).is_err() {
            tracing::warn!("the problem notifier has stopped");
        }
    }
}

/// Reads the count at start, then after each change; ends when the sink is dropped.
async fn count_on_change<R: Runtime>(
    app: AppHandle<R>,
    engine: Arc<Engine>,
    mut changes: watch::Receiver<()>,
) {
    changes.mark_changed();
    while changes.changed().await.is_ok() {
        tokio::time::sleep(SETTLE).await;
        changes.mark_unchanged();
        match engine.needs_you_count().await {
            Ok(count) => show_count(&app, count),
            Err(err) => tracing::warn!("could not count the orders that need you: {err}"),
        }
    }
}

/// Reads the count once and shows it (the tray, once it is built).
pub async fn show_count_now<R: Runtime>(app: AppHandle<R>) {
    let Some(engine) = app
        .state::<crate::state::AppState<R>>()
        .engine_if_ready()
        .await
    else {
        return;
    };
    match engine.needs_you_count().await {
        Ok(count) => show_count(&app, count),
        Err(err) => tracing::warn!("could not count the orders that need you: {err}"),
    }
}

/// The count in the tray (tooltip and menu item) and the window (its sidebar).
pub fn show_count<R: Runtime>(app: &AppHandle<R>, count: i64) {
    if let Some(tray) = app.try_state::<TrayMenu<R>>() {
        tray.show_needs_you(app, count);
    }
    events::emit(app, NeedsYou { count });
}

async fn notify_problems<R: Runtime>(
    app: AppHandle<R>,
    engine: Arc<Engine>,
    mut incoming: mpsc::UnboundedReceiver<Vec<Problem>>,
) {
    while let Some(mut batch) = incoming.recv().await {
        let started = Instant::now();
        loop {
            let left = GATHER_AT_MOST.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match tokio::time::timeout(GATHER.min(left), incoming.recv()).await {
                Ok(Some(more)) => batch.extend(more),
                Ok(None) | Err(_) => break,
            }
        }
        let wanted = match engine.problem_notifications().await {
            Ok(wanted) => wanted,
            Err(err) => {
                tracing::warn!("notification settings unreadable, telling every problem: {err}");
                Default::default()
            }
        };
        let Some(notice) = group_problems(&batch, &wanted) else {
            continue;
        };
        let shown = app
            .notification()
            .builder()
            .title(plain_text(&notice.title))
            .body(plain_text(&notice.body))
            .show();
        match shown {
            Ok(()) => tracing::info!(
                problems = batch.len(),
                title = %notice.title,
                "problem notification sent"
            ),
            Err(err) => tracing::warn!("the problem notification could not be shown: {err}"),
        }
    }
}

/// Shows the window on the Orders list of the orders that need the dealer.
pub fn open_needs_you<R: Runtime>(app: &AppHandle<R>) {
    crate::actions::show_main_window(app);
    events::emit(
        app,
        OpenOrders {
            flag: OrderFlag::NeedsYou,
        },
    );
}
