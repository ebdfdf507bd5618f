//! A loopback HTTP server whose answers the current case decides: any bytes as the body (not
//! only UTF-8), any status, any header value the HTTP layer lets through.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request, Response, StatusCode};
use axum::Router;

/// One answer.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub(crate) fn json(body: Vec<u8>) -> Self {
        Self {
            status: 200,
            headers: vec![("content-type", "application/json".into())],
            body,
        }
    }

    pub(crate) fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }
}

type Route = dyn Fn(&str, &str) -> Answer + Send + Sync;

/// The server; [`Server::answer`] sets how the next requests are answered, by method and path.
pub(crate) struct Server {
    pub base_url: String,
    route: Arc<Mutex<Arc<Route>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts on the current runtime.
    pub(crate) async fn start() -> Self {
        let empty: Arc<Route> = Arc::new(|_: &str, _: &str| Answer::json(b"{}".to_vec()));
        let route = Arc::new(Mutex::new(empty));
        let shared = route.clone();
        let app = Router::new().fallback(move |request: Request<Body>| {
            let route = shared.lock().ok().map(|r| r.clone());
            async move {
                let answer = match route {
                    Some(route) => route(request.method().as_str(), request.uri().path()),
                    None => Answer::json(Vec::new()),
                };
                respond(answer)
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let base_url = format!("http://{}", listener.local_addr().expect("its address"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url,
            route,
            task,
        }
    }

    pub(crate) fn answer(&self, route: impl Fn(&str, &str) -> Answer + Send + Sync + 'static) {
        if let Ok(mut current) = self.route.lock() {
            *current = Arc::new(route);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn respond(answer: Answer) -> Response<Body> {
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    for (name, value) in answer.headers {
        // A value HTTP cannot carry never reaches a client either: leave it out.
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers_mut()
                .append(HeaderName::from_static(name), value);
        }
    }
    response
}

/// A current-thread runtime for one target's cases.
pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A header value a peer might send for a number.
pub(crate) fn number_header() -> impl proptest::strategy::Strategy<Value = String> + Clone {
    use proptest::prelude::*;
    prop_oneof![
        3 => "[0-9]{0,25}",
        1 => "-[0-9]{1,20}",
        2 => proptest::sample::select(&[
            "0", "1", "2", "3", " 3 ", "4294967295", "4294967296", "18446744073709551615",
            "18446744073709551616", "9999999999999", "-1", "3.5", "1e3", "NaN", "", "+5",
            "Fri, 31 Dec 9999 23:59:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT",
        ][..])
        .prop_map(str::to_string),
        1 => "[ -~]{0,30}",
    ]
}
