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
        let sink: Arc<dyn Sink> = Arc::new(RecordingSink {
            engine: self.engine().clone(),
            inner: sink,
        });
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
        // A big import's search index is merged behind the window's back.
        let (engine, imported) = (self.engine().clone(), report.clone());
        tokio::spawn(async move { engine.tidy_after_sync(&imported).await });
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

/// Keeps a record, for Activity, of every component that stopped and was started again, then
/// passes each event on to the front end's sink.
struct RecordingSink {
    engine: Arc<Engine>,
    inner: Arc<dyn Sink>,
}

impl Sink for RecordingSink {
    fn send(&self, event: RuntimeEvent) {
        if let RuntimeEvent::ComponentRestarted { component, why } = &event {
            let component: &'static str = component;
            let engine = self.engine.clone();
            let detail = restart_detail(component, why);
            tokio::spawn(async move {
                if let Err(err) = engine.store().record_incident(component, &detail).await {
                    tracing::warn!("could not record the restart for Activity: {err}");
                }
            });
        }
        self.inner.send(event);
    }
}

/// What Activity says of a component that stopped and was started again.
pub fn restart_detail(component: &str, why: &str) -> String {
    let work = match component {
        "outbox" => "The worker that sends orders to US Direct and tracking to the store",
        "supplier" => "The reading of US Direct's shipments",
        "schedule" => "The Order Sync schedule",
        "changes" => "The window's live updates",
        _ => "Background work",
    };
    format!("{work} stopped ({why}) and was started again; nothing is lost, it picks up where it stopped")
}

#[cfg(test)]
mod tests {
    use dealer_core::activity::ActivityEntry;
    use dealer_core::keys::{MemoryKeyring, Unlock};
    use dealer_core::OpenRequest;

    use super::*;
    use crate::sink::NoSink;

    #[tokio::test]
    async fn a_restarted_component_is_kept_for_activity() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open_with_keyring(
            OpenRequest {
                data_dir: dir.path().join("store"),
                unlock: Unlock::default(),
            },
            Arc::new(MemoryKeyring::default()),
        )
        .await
        .expect("the store opens");
        let engine = Arc::new(engine);
        let sink = RecordingSink {
            engine: engine.clone(),
            inner: Arc::new(NoSink),
        };
        sink.send(RuntimeEvent::ComponentRestarted {
            component: "outbox",
            why: "panicked: bad answer".into(),
        });
        let mut found = None;
        for _ in 0..100 {
            let entries = engine.store().recent_activity(10).await.unwrap();
            found = entries.into_iter().find_map(|entry| match entry {
                ActivityEntry::Incident { source, detail, .. } => Some((source, detail)),
                _ => None,
            });
            if found.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let (source, detail) = found.expect("an incident in Activity");
        assert_eq!(source, "outbox");
        assert!(detail.contains("sends orders to US Direct"), "{detail}");
        assert!(detail.contains("panicked: bad answer"), "{detail}");
        assert!(detail.contains("started again"), "{detail}");
    }
}
