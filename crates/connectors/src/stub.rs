//! A scripted loopback HTTP server for unit tests: it answers each request with the next
//! scripted reply (or with a handler) and records what it was sent. Integration tests use the
//! real sandbox instead; this only pins down one piece at a time.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::{to_bytes, Body};
use axum::http::{HeaderMap, Request, Response, StatusCode};
use axum::Router;

/// One scripted answer.
#[derive(Debug, Clone)]
pub(crate) struct Scripted {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Scripted {
    pub(crate) fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// What the stub was sent.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub at: Instant,
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: HeaderMap,
    pub body: String,
}

type Handler = dyn Fn(&Seen) -> Scripted + Send + Sync;

#[derive(Clone)]
struct State {
    script: Arc<Mutex<VecDeque<Scripted>>>,
    handler: Option<Arc<Handler>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

pub(crate) struct Stub {
    pub base_url: String,
    state: State,
    task: tokio::task::JoinHandle<()>,
}

impl Stub {
    /// Answers requests in order from `script`; 500 once it runs out.
    pub(crate) async fn scripted(script: Vec<Scripted>) -> Self {
        Self::start(script, None).await
    }

    /// Answers every request with `handler`.
    pub(crate) async fn handler(
        handler: impl Fn(&Seen) -> Scripted + Send + Sync + 'static,
    ) -> Self {
        Self::start(Vec::new(), Some(Arc::new(handler))).await
    }

    async fn start(script: Vec<Scripted>, handler: Option<Arc<Handler>>) -> Self {
        let state = State {
            script: Arc::new(Mutex::new(script.into())),
            handler,
            seen: Arc::new(Mutex::new(Vec::new())),
        };
        let app = Router::new().fallback(answer).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            base_url,
            state,
            task,
        }
    }

    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer(
    axum::extract::State(state): axum::extract::State<State>,
    request: Request<Body>,
) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let seen = Seen {
        at: Instant::now(),
        method: parts.method.to_string(),
        target: parts
            .uri
            .path_and_query()
            .map(|pq| pq.as_str().to_string())
            .unwrap_or_default(),
        headers: parts.headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let reply = match &state.handler {
        Some(handler) => handler(&seen),
        None => state
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| Scripted::json(500, r#"{"message":"script ran out"}"#)),
    };
    state.seen.lock().unwrap().push(seen);
    let mut response = Response::builder().status(StatusCode::from_u16(reply.status).unwrap());
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    response.body(Body::from(reply.body)).unwrap()
}
