//! One HTTP request with the shared retry policy, for every client.
//!
//! Retried: connection failures, timeouts, connections dropped mid-body, 408, 5xx and 429 —
//! with exponential backoff and full jitter, or exactly as long as the store asks (`Retry-After`
//! in seconds or as an HTTP-date; BigCommerce's `X-Rate-Limit-Time-Reset-Ms`). Not retried:
//! 401, 403 and 404, which become [`ChannelError`]s carrying the store's own message. Nothing
//! here ever formats a header value, so credentials cannot reach an error or a log line.

mod gate;
pub(crate) mod retry;

use std::time::{Duration, SystemTime};

use dealer_core::channel::ChannelError;
use reqwest::header::HeaderMap;
use reqwest::{Client, RequestBuilder};

use gate::RateGate;
use retry::Verdict;

/// How patient the clients are with a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpPolicy {
    /// For one request, from connecting to the last byte of the body.
    pub timeout: Duration,
    /// Tries per request, the first included.
    pub max_attempts: u32,
    /// The first backoff's upper bound; it doubles with each attempt.
    pub base_backoff: Duration,
    /// No single wait is longer. A store that asks for a longer pause gets a
    /// [`ChannelError::RateLimited`] right away, for the scheduler to come back later.
    pub max_backoff: Duration,
}

impl Default for HttpPolicy {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            max_attempts: 6,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(30),
        }
    }
}

const USER_AGENT: &str = concat!("DealerPortal/", env!("CARGO_PKG_VERSION"));

/// A store's answer, read to the end.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// The reqwest client of one connected store, with its policy and its rate-limit gate.
#[derive(Debug)]
pub(crate) struct Http {
    client: Client,
    policy: HttpPolicy,
    gate: RateGate,
    /// The permission named when the store answers 403.
    scope: &'static str,
}

/// How one attempt ended.
enum Attempt {
    Done(Reply),
    Fatal(ChannelError),
    Retry { error: ChannelError, wait: Wait },
}

enum Wait {
    Backoff,
    /// As the store asked.
    Exactly(Duration),
}

impl Http {
    pub(crate) fn new(policy: HttpPolicy, scope: &'static str) -> Result<Self, dealer_core::Error> {
        let client = Client::builder()
            .use_rustls_tls()
            .user_agent(USER_AGENT)
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| dealer_core::Error::Io {
                context: "The HTTP client could not start".into(),
                source: std::io::Error::other(e),
            })?;
        Ok(Self {
            client,
            policy,
            gate: RateGate::default(),
            scope,
        })
    }

    pub(crate) fn policy(&self) -> &HttpPolicy {
        &self.policy
    }

    /// Sends the request `build` makes (once per attempt) until it succeeds, is refused, or the
    /// attempts run out.
    pub(crate) async fn send<F>(&self, build: F) -> Result<Reply, ChannelError>
    where
        F: Fn(&Client) -> RequestBuilder,
    {
        let attempts = self.policy.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            self.gate.pass().await;
            let (error, wait) = match self.attempt(&build).await {
                Attempt::Done(reply) => return Ok(reply),
                Attempt::Fatal(error) => return Err(error),
                Attempt::Retry { error, wait } => (error, wait),
            };
            if attempt >= attempts {
                tracing::warn!(attempts, %error, "giving up on the store");
                return Err(error);
            }
            match wait {
                Wait::Exactly(wait) if wait > self.policy.max_backoff => {
                    return Err(ChannelError::RateLimited { retry_after: wait })
                }
                Wait::Exactly(wait) => {
                    tracing::debug!(attempt, ?wait, %error, "store asked to wait");
                    self.gate.hold(wait);
                }
                Wait::Backoff => {
                    let wait = retry::backoff(attempt, &self.policy, &mut rand::thread_rng());
                    tracing::debug!(attempt, ?wait, %error, "retrying after backoff");
                    tokio::time::sleep(wait).await;
                }
            }
            attempt += 1;
        }
    }

    async fn attempt<F>(&self, build: &F) -> Attempt
    where
        F: Fn(&Client) -> RequestBuilder,
    {
        let response = match build(&self.client).send().await {
            Ok(response) => response,
            Err(e) if e.is_builder() => {
                return Attempt::Fatal(ChannelError::Protocol {
                    detail: format!("the request could not be built: {}", describe(&e)),
                })
            }
            Err(e) => return transient(&e, self.policy.timeout),
        };
        let status = response.status().as_u16();
        let path = response.url().path().to_string();
        let headers = response.headers().clone();
        if let Some(reset) = retry::window_reset(&headers) {
            // The window is spent: pause everyone before the next call rather than earn a 429.
            self.gate.hold(reset);
        }
        let body = match response.bytes().await {
            Ok(body) => body.to_vec(),
            // The connection dropped mid-body, or the body timed out.
            Err(e) => return transient(&e, self.policy.timeout),
        };
        let detail = || {
            let message = retry::store_message(&body);
            if message.is_empty() {
                format!("HTTP {status} for {path}")
            } else {
                message
            }
        };
        match retry::classify(status) {
            Verdict::Success => Attempt::Done(Reply {
                status,
                headers,
                body,
            }),
            Verdict::RateLimited => {
                let asked = retry::retry_after(&headers, SystemTime::now())
                    .or_else(|| retry::reset_after(&headers));
                let error = ChannelError::RateLimited {
                    retry_after: asked.unwrap_or(self.policy.base_backoff),
                };
                let wait = asked.map_or(Wait::Backoff, Wait::Exactly);
                Attempt::Retry { error, wait }
            }
            Verdict::Retry => Attempt::Retry {
                error: ChannelError::Server {
                    status,
                    detail: detail(),
                },
                // A 503 may say when to come back.
                wait: retry::retry_after(&headers, SystemTime::now())
                    .map_or(Wait::Backoff, Wait::Exactly),
            },
            Verdict::Unauthorized => {
                Attempt::Fatal(ChannelError::Unauthorized { detail: detail() })
            }
            Verdict::Forbidden => Attempt::Fatal(ChannelError::MissingScope {
                scope: self.scope.to_string(),
                detail: detail(),
            }),
            Verdict::NotFound => Attempt::Fatal(ChannelError::NotFound { detail: detail() }),
            Verdict::Refused => Attempt::Fatal(ChannelError::Server {
                status,
                detail: detail(),
            }),
        }
    }
}

fn transient(error: &reqwest::Error, timeout: Duration) -> Attempt {
    let detail = if error.is_timeout() {
        format!("no answer within {} s", timeout.as_secs_f32())
    } else {
        describe(error)
    };
    Attempt::Retry {
        error: ChannelError::Unreachable { detail },
        wait: Wait::Backoff,
    }
}

/// The error and its causes ("connection refused" hides in the source chain).
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests;
