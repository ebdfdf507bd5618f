//! The retry loop against a scripted loopback server.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;
use crate::stub::{Scripted, Stub};

fn quick() -> HttpPolicy {
    HttpPolicy {
        timeout: Duration::from_secs(5),
        max_attempts: 4,
        base_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_secs(3),
        ..HttpPolicy::default()
    }
}

async fn get(http: &Http, url: &str) -> Result<Reply, ChannelError> {
    http.send(|client| client.get(url)).await
}

#[tokio::test]
async fn server_errors_are_retried_until_success() {
    let stub = Stub::scripted(vec![
        Scripted::json(503, "{}"),
        Scripted::json(502, "{}"),
        Scripted::json(200, r#"{"ok":true}"#),
    ])
    .await;
    let http = Http::new(quick(), "read").unwrap();
    let reply = get(&http, &stub.base_url).await.unwrap();
    assert_eq!(reply.body, br#"{"ok":true}"#);
    assert_eq!(stub.seen().len(), 3);
}

#[tokio::test]
async fn too_many_requests_waits_as_long_as_retry_after_says() {
    let stub = Stub::scripted(vec![
        Scripted::json(429, "{}").header("retry-after", "1"),
        Scripted::json(200, "[]"),
    ])
    .await;
    let http = Http::new(quick(), "read").unwrap();
    get(&http, &stub.base_url).await.unwrap();
    let seen = stub.seen();
    assert_eq!(seen.len(), 2);
    let gap = seen[1].at - seen[0].at;
    assert!(gap >= Duration::from_millis(990), "retried after {gap:?}");
    assert!(
        gap < Duration::from_millis(1500),
        "waited too long: {gap:?}"
    );
}

#[tokio::test]
async fn retry_after_as_a_date_is_honoured() {
    let at = SystemTime::now() + Duration::from_secs(2);
    let stub = Stub::scripted(vec![
        Scripted::json(503, "{}").header("retry-after", &httpdate::fmt_http_date(at)),
        Scripted::json(200, "[]"),
    ])
    .await;
    let http = Http::new(quick(), "read").unwrap();
    get(&http, &stub.base_url).await.unwrap();
    let seen = stub.seen();
    // HTTP-dates have whole seconds: the wait is between 1 and 2 s.
    assert!(seen[1].at - seen[0].at >= Duration::from_millis(900));
}

#[tokio::test]
async fn a_pause_longer_than_policy_is_handed_back_to_the_scheduler() {
    let stub = Stub::scripted(vec![Scripted::json(429, "{}").header("retry-after", "120")]).await;
    let http = Http::new(quick(), "read").unwrap();
    let err = get(&http, &stub.base_url).await.unwrap_err();
    assert_eq!(
        err,
        ChannelError::RateLimited {
            retry_after: Duration::from_secs(120)
        }
    );
    assert_eq!(stub.seen().len(), 1);
}

#[tokio::test]
async fn refusals_are_not_retried_and_keep_the_stores_message() {
    let stub = Stub::scripted(vec![
        Scripted::json(401, r#"{"errors":"[API] Invalid API key or access token"}"#),
        Scripted::json(403, r#"[{"status":403,"message":"missing scope"}]"#),
        Scripted::json(404, ""),
        Scripted::json(400, r#"{"message":"bad sort"}"#),
    ])
    .await;
    let http = Http::new(quick(), "read_orders").unwrap();
    let url = format!("{}/admin/x", stub.base_url);
    assert_eq!(
        get(&http, &url).await.unwrap_err(),
        ChannelError::Unauthorized {
            detail: "[API] Invalid API key or access token".into()
        }
    );
    assert_eq!(
        get(&http, &url).await.unwrap_err(),
        ChannelError::MissingScope {
            scope: "read_orders".into(),
            detail: "missing scope".into()
        }
    );
    assert_eq!(
        get(&http, &url).await.unwrap_err(),
        ChannelError::NotFound {
            detail: "HTTP 404 for /admin/x".into()
        }
    );
    assert!(matches!(
        get(&http, &url).await.unwrap_err(),
        ChannelError::Server { status: 400, .. }
    ));
    assert_eq!(stub.seen().len(), 4, "one request each");
}

#[tokio::test]
async fn persistent_failures_end_as_the_last_error() {
    let stub = Stub::handler(|_| Scripted::json(500, r#"{"message":"database down"}"#)).await;
    let http = Http::new(quick(), "read").unwrap();
    let err = get(&http, &stub.base_url).await.unwrap_err();
    assert_eq!(
        err,
        ChannelError::Server {
            status: 500,
            detail: "database down".into()
        }
    );
    assert_eq!(stub.seen().len(), 4);

    let limited = Stub::handler(|_| Scripted::json(429, "{}")).await;
    let err = get(&http, &limited.base_url).await.unwrap_err();
    assert!(matches!(err, ChannelError::RateLimited { .. }), "{err:?}");
    assert_eq!(limited.seen().len(), 4);
}

#[tokio::test]
async fn an_unreachable_store_is_reported_after_the_attempts() {
    // Bind then drop: nothing listens on that port any more.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let http = Http::new(quick(), "read").unwrap();
    let err = get(&http, &format!("http://127.0.0.1:{port}/"))
        .await
        .unwrap_err();
    assert!(matches!(err, ChannelError::Unreachable { .. }), "{err:?}");
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_retried() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        for round in 0..2 {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buffer = [0_u8; 4096];
            let _ = socket.read(&mut buffer).await.unwrap();
            let reply: &[u8] = if round == 0 {
                b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n[{\"id\":"
            } else {
                b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]"
            };
            socket.write_all(reply).await.unwrap();
            socket.shutdown().await.unwrap();
        }
    });
    let http = Http::new(quick(), "read").unwrap();
    let reply = get(&http, &format!("http://{addr}/")).await.unwrap();
    assert_eq!(reply.body, b"[]");
    server.await.unwrap();
}

#[tokio::test]
async fn a_spent_window_pauses_the_next_call() {
    let stub = Stub::scripted(vec![
        Scripted::json(200, "[]")
            .header("x-rate-limit-requests-left", "0")
            .header("x-rate-limit-time-reset-ms", "400"),
        Scripted::json(200, "[]").header("x-rate-limit-requests-left", "149"),
    ])
    .await;
    let http = Http::new(quick(), "read").unwrap();
    let started = Instant::now();
    get(&http, &stub.base_url).await.unwrap();
    get(&http, &stub.base_url).await.unwrap();
    let seen = stub.seen();
    assert!(seen[1].at - seen[0].at >= Duration::from_millis(390));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_bigcommerce_429_waits_for_the_window_reset() {
    let stub = Stub::scripted(vec![
        Scripted::json(429, r#"{"status":429,"title":"Too many requests"}"#)
            .header("x-rate-limit-requests-left", "0")
            .header("x-rate-limit-time-reset-ms", "300"),
        Scripted::json(200, "[]"),
    ])
    .await;
    let http = Http::new(quick(), "read").unwrap();
    get(&http, &stub.base_url).await.unwrap();
    let seen = stub.seen();
    assert!(seen[1].at - seen[0].at >= Duration::from_millis(290));
}

/// A server that answers every connection with `head` and then whatever `body` writes.
async fn raw_server<F, Fut>(body: F) -> (String, Arc<std::sync::atomic::AtomicU32>)
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counted = connections.clone();
    let body = Arc::new(body);
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buffer = [0_u8; 4096];
            let _ = socket.read(&mut buffer).await;
            tokio::spawn(body(socket));
        }
    });
    (format!("http://{addr}/wp-json/wc/v3/orders"), connections)
}

#[tokio::test]
async fn an_answer_past_the_size_limit_is_refused_while_it_streams() {
    // 100 MB, chunked, generated as it goes: never the whole of it in memory on either side.
    let (url, connections) = raw_server(|mut socket| async move {
        let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if socket.write_all(head).await.is_err() {
            return;
        }
        let chunk = vec![b' '; 64 * 1024];
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        for _ in 0..(100 * 1024 * 1024 / chunk.len()) {
            if socket.write_all(&framed).await.is_err() {
                return;
            }
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    })
    .await;
    let policy = HttpPolicy {
        max_body_bytes: 1024 * 1024,
        ..quick()
    };
    let http = Http::new(policy, "read").unwrap();
    let err = get(&http, &url).await.unwrap_err();
    let ChannelError::Protocol { detail } = &err else {
        panic!("{err:?}");
    };
    assert!(detail.contains("larger than 1 MB"), "{detail}");
    assert!(detail.contains("/wp-json/wc/v3/orders"), "{detail}");
    assert_eq!(
        connections.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "not retried"
    );

    // A declared length over the limit is refused before the body is read.
    let (url, connections) = raw_server(|mut socket| async move {
        let head = b"HTTP/1.1 200 OK\r\ncontent-length: 104857600\r\n\r\n[";
        let _ = socket.write_all(head).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let started = Instant::now();
    let err = get(&http, &url).await.unwrap_err();
    assert!(matches!(err, ChannelError::Protocol { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "did not wait for the body"
    );
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_slow_drip_ends_within_the_timeout_and_is_tried_twice_at_most() {
    let (url, connections) = raw_server(|mut socket| async move {
        let head = b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n";
        if socket.write_all(head).await.is_err() {
            return;
        }
        for _ in 0..1000 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if socket.write_all(b" ").await.is_err() {
                return;
            }
        }
    })
    .await;
    let policy = HttpPolicy {
        timeout: Duration::from_millis(600),
        ..quick()
    };
    let http = Http::new(policy, "read").unwrap();
    let err = get(&http, &url).await.unwrap_err();
    let ChannelError::Unreachable { detail } = &err else {
        panic!("{err:?}");
    };
    assert!(detail.contains("no whole answer within 0.6 s"), "{detail}");
    assert_eq!(
        connections.load(std::sync::atomic::Ordering::SeqCst),
        MAX_TIMEOUTS,
        "a server that drips is given up after {MAX_TIMEOUTS} timeouts, not max_attempts"
    );
}

/// The engine's store in miniature: holds by origin, shared by the "processes".
#[derive(Default)]
struct MemoryHolds(std::sync::Mutex<std::collections::HashMap<String, chrono::DateTime<Utc>>>);

#[async_trait::async_trait]
impl PeerHolds for MemoryHolds {
    async fn held_until(
        &self,
        origin: &str,
        now: chrono::DateTime<Utc>,
    ) -> dealer_core::Result<Option<chrono::DateTime<Utc>>> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .get(origin)
            .copied()
            .filter(|until| *until > now))
    }

    async fn hold(
        &self,
        origin: &str,
        now: chrono::DateTime<Utc>,
        wait: Duration,
    ) -> dealer_core::Result<()> {
        let until = dealer_core::holds::hold_end(now, wait);
        self.0.lock().unwrap().insert(origin.to_string(), until);
        Ok(())
    }
}

#[tokio::test]
async fn a_wait_heard_by_one_client_is_honoured_by_the_next_one() {
    let stub =
        Stub::handler(|_| Scripted::json(429, "{}").header("retry-after", "9999999999999")).await;
    let holds: Arc<dyn PeerHolds> = Arc::new(MemoryHolds::default());
    let policy = HttpPolicy {
        holds: Holds::new(holds.clone()),
        ..quick()
    };
    // Two clients with their own gates: two processes, one store.
    let first = Http::new(policy.clone(), "read").unwrap();
    let err = get(&first, &stub.base_url).await.unwrap_err();
    assert_eq!(
        err,
        ChannelError::RateLimited {
            retry_after: dealer_core::outbox::MAX_RETRY_AFTER
        }
    );
    let message = err.to_string();
    assert!(message.contains("(60 min)"), "{message}");
    assert!(!message.contains("9999"), "{message}");
    assert_eq!(stub.seen().len(), 1);

    let next = Http::new(policy, "read").unwrap();
    let err = get(&next, &stub.base_url).await.unwrap_err();
    assert!(
        matches!(err, ChannelError::RateLimited { retry_after } if retry_after > Duration::from_secs(3500)),
        "{err:?}"
    );
    assert_eq!(
        stub.seen().len(),
        1,
        "the next client did not call before the time"
    );
}
