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
