//! Supervision: a component runs in a task of its own; when it panics or ends while the
//! runtime is not stopping, the failure is logged and reported, and the component is started
//! again after a growing pause. A bad answer from a peer thus costs one pass, never the app's
//! background work.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::{JoinError, JoinHandle};
use tokio::time::Instant;

use crate::sink::{RuntimeEvent, Sink};

const FIRST_PAUSE: Duration = Duration::from_secs(1);
const LONGEST_PAUSE: Duration = Duration::from_secs(60);
/// A component that ran this long before failing starts again at once-a-second pauses.
const HEALTHY_RUN: Duration = Duration::from_secs(60);

/// Starts `component` (a fresh future from `make` for every start) under supervision until
/// `stop` turns true. Components watch `stop` themselves and end their loop on it.
pub(crate) fn supervise<F, Fut>(
    name: &'static str,
    sink: Arc<dyn Sink>,
    mut stop: watch::Receiver<bool>,
    make: F,
) -> JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        let mut pause = FIRST_PAUSE;
        loop {
            let started = Instant::now();
            let mut run = tokio::spawn(make());
            let ended = tokio::select! {
                ended = &mut run => ended,
                _ = stop.changed() => {
                    // The component sees the same signal and ends its loop.
                    let _ = run.await;
                    return;
                }
            };
            if *stop.borrow() {
                return;
            }
            let why = describe(ended);
            tracing::error!(component = name, %why, "component stopped; starting it again");
            sink.send(RuntimeEvent::ComponentRestarted {
                component: name,
                why,
            });
            if started.elapsed() >= HEALTHY_RUN {
                pause = FIRST_PAUSE;
            }
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                _ = stop.changed() => return,
            }
            pause = (pause * 2).min(LONGEST_PAUSE);
        }
    })
}

fn describe(ended: Result<(), JoinError>) -> String {
    match ended {
        Ok(()) => "it ended on its own".into(),
        Err(err) if err.is_panic() => {
            let payload = err.into_panic();
            let message = payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".into());
            format!("panicked: {message}")
        }
        Err(err) => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct Events(Mutex<Vec<RuntimeEvent>>);

    impl Sink for Events {
        fn send(&self, event: RuntimeEvent) {
            if let Ok(mut events) = self.0.lock() {
                events.push(event);
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_component_that_panics_is_started_again_and_reported() {
        let events = Arc::new(Events::default());
        let (stop, stopped) = watch::channel(false);
        let starts = Arc::new(AtomicU32::new(0));
        let counted = starts.clone();
        let component_stop = stopped.clone();
        let task = supervise("test", events.clone(), stopped, move || {
            let n = counted.fetch_add(1, Ordering::SeqCst);
            let mut stop = component_stop.clone();
            async move {
                if n < 2 {
                    panic!("bad answer {n}");
                }
                let _ = stop.changed().await;
            }
        });
        tokio::time::sleep(Duration::from_secs(10)).await;
        assert_eq!(starts.load(Ordering::SeqCst), 3);
        let _ = stop.send(true);
        task.await.ok();
        let events = events.0.lock().map(|e| e.clone()).unwrap_or_default();
        assert_eq!(events.len(), 2);
        assert!(matches!(
            &events[0],
            RuntimeEvent::ComponentRestarted { component: "test", why } if why.contains("bad answer 0")
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn stopping_ends_the_component_without_a_restart() {
        let events = Arc::new(Events::default());
        let (stop, stopped) = watch::channel(false);
        let starts = Arc::new(AtomicU32::new(0));
        let counted = starts.clone();
        let component_stop = stopped.clone();
        let task = supervise("test", events.clone(), stopped, move || {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut stop = component_stop.clone();
            async move {
                let _ = stop.changed().await;
            }
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        let _ = stop.send(true);
        task.await.ok();
        assert_eq!(starts.load(Ordering::SeqCst), 1);
        assert!(events.0.lock().map(|e| e.is_empty()).unwrap_or(false));
    }
}
