//! The runtime started for good (the app): its components run until [`Running::stop`].

use std::sync::Arc;
use std::time::Duration;

use dealer_connectors::Connector;
use dealer_core::activity::SyncTrigger;
use dealer_core::scheduler::Plan;
use dealer_core::sync::SyncReport;
use dealer_core::{Engine, Result};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::components::{self, Context, Controls};
use crate::sink::{RuntimeEvent, Sink, SinkProgress};
use crate::supervisor::supervise;
use crate::Runtime;

pub struct Running {
    runtime: Runtime,
    sink: Arc<dyn Sink>,
    controls: Arc<Controls>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Runtime {
    /// Starts the import schedule, the outbox worker, the supplier sync and the change listener,
    /// each supervised; events go to `sink`.
    pub fn start(self, sink: Arc<dyn Sink>) -> Running {
        self.start_with_intervals(sink, Plan::interval)
    }

    /// [`start`](Self::start) with other schedule intervals per plan (tests use milliseconds).
    pub fn start_with_intervals(
        self,
        sink: Arc<dyn Sink>,
        intervals: fn(Plan) -> Duration,
    ) -> Running {
        let controls = Arc::new(Controls::default());
        let (stop, stopped) = watch::channel(false);
        let cx = Context {
            engine: self.engine().clone(),
            connector: self.connector().clone(),
            sink: sink.clone(),
            controls: controls.clone(),
            stop: stopped.clone(),
        };
        let tasks = vec![
            {
                let cx = cx.clone();
                let first = std::sync::Mutex::new(Some(self.engine().subscribe()));
                supervise("changes", sink.clone(), stopped.clone(), move || {
                    let subscribed = first.lock().ok().and_then(|mut first| first.take());
                    components::changes::run(cx.clone(), subscribed)
                })
            },
            {
                let cx = cx.clone();
                supervise("outbox", sink.clone(), stopped.clone(), move || {
                    components::outbox::run(cx.clone())
                })
            },
            {
                let cx = cx.clone();
                supervise("supplier", sink.clone(), stopped.clone(), move || {
                    components::supplier::run(cx.clone())
                })
            },
            {
                let cx = cx.clone();
                supervise("schedule", sink.clone(), stopped.clone(), move || {
                    components::schedule::run(cx.clone(), intervals)
                })
            },
        ];
        Running {
            runtime: self,
            sink,
            controls,
            stop,
            tasks,
        }
    }
}

impl Running {
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    pub fn engine(&self) -> &Arc<Engine> {
        self.runtime.engine()
    }

    pub fn connector(&self) -> &Arc<Connector> {
        self.runtime.connector()
    }

    /// Order Sync on demand (the window, the tray): imports now, then sends what came in to
    /// US Direct and reads US Direct's shipments.
    pub async fn order_sync(&self, trigger: SyncTrigger) -> Result<SyncReport> {
        let report = self
            .engine()
            .order_sync(
                self.connector().as_ref(),
                trigger,
                &SinkProgress(self.sink.as_ref()),
                None,
            )
            .await?;
        self.controls.kick_outbox();
        self.controls.poll_supplier();
        self.sink.send(RuntimeEvent::Changed {
            reason: "order_sync",
        });
        Ok(report)
    }

    /// Stops every component (a pass in progress ends first), then the Sandbox world, then
    /// closes the store.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        self.runtime.stop().await;
    }
}
