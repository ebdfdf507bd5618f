//! One HTTP request with the shared retry policy, for every client.
//!
//! Retried: connection failures, timeouts, connections dropped mid-body, 408, 5xx and 429 —
//! with exponential backoff and full jitter, or exactly as long as the server asks
//! (`Retry-After` in seconds or as an HTTP-date; BigCommerce's `X-Rate-Limit-Time-Reset-Ms`).
//! Not retried: the other 4xx, which [`Http::send`] turns into [`ChannelError`]s carrying the
//! store's own message and [`Http::exchange`] hands back for the caller to read (the supplier's
//! error bodies say more than a message). Redirects are never followed: every request carries a
//! credential, and a 3xx (a moved shop, a proxy, an attacker's answer) would hand it to another
//! host; it becomes [`ChannelError::Redirected`], naming where it pointed, without a retry.
//! Nothing here formats a header value other than that `Location` (its query dropped), so
//! credentials cannot reach an error or a log line.

mod gate;
pub(crate) mod retry;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use dealer_core::channel::ChannelError;
use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{redirect, Client, RequestBuilder, Url};

pub(crate) use gate::RateGate;
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

/// A server's answer, read to the end.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    /// The path that was asked for, for messages.
    pub path: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// The reqwest client of one connected store (or of the supplier), with its policy and its
/// rate-limit gate.
#[derive(Debug, Clone)]
pub(crate) struct Http {
    client: Client,
    policy: HttpPolicy,
    gate: Arc<RateGate>,
    /// Least time between the starts of two requests through `gate`; zero for no pacing.
    spacing: Duration,
    /// The permission named when the store answers 403.
    scope: &'static str,
}

/// How one attempt ended.
enum Attempt {
    /// A success, or a refusal that another try would only repeat.
    Done(Reply),
    Fatal(ChannelError),
    Retry {
        error: ChannelError,
        wait: Wait,
    },
}

enum Wait {
    Backoff,
    /// As the store asked.
    Exactly(Duration),
}

impl Http {
    pub(crate) fn new(policy: HttpPolicy, scope: &'static str) -> Result<Self, dealer_core::Error> {
        Self::paced(policy, scope, Arc::default(), Duration::ZERO)
    }

    /// A client whose requests pass `gate`, which other clients may share, and start at least
    /// `spacing` apart from every other request through it.
    pub(crate) fn paced(
        policy: HttpPolicy,
        scope: &'static str,
        gate: Arc<RateGate>,
        spacing: Duration,
    ) -> Result<Self, dealer_core::Error> {
        let client = Client::builder()
            .use_rustls_tls()
            .user_agent(USER_AGENT)
            .redirect(redirect::Policy::none())
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
            gate,
            spacing,
            scope,
        })
    }

    pub(crate) fn policy(&self) -> &HttpPolicy {
        &self.policy
    }

    /// Sends the request `build` makes (once per attempt) until it succeeds, is refused, or the
    /// attempts run out; a refusal becomes the [`ChannelError`] that says what to check.
    pub(crate) async fn send<F>(&self, build: F) -> Result<Reply, ChannelError>
    where
        F: Fn(&Client) -> RequestBuilder,
    {
        let reply = self.exchange(build).await?;
        self.check(reply)
    }

    /// A reply from [`Http::exchange`] as [`Http::send`] returns it: a refusal becomes its
    /// [`ChannelError`].
    pub(crate) fn check(&self, reply: Reply) -> Result<Reply, ChannelError> {
        match retry::classify(reply.status) {
            Verdict::Success => Ok(reply),
            verdict => Err(self.refusal(verdict, &reply)),
        }
    }

    /// The same client, sharing its gate, that sends each request once: for a write without an
    /// idempotency key, whose caller looks at the store again before repeating it.
    pub(crate) fn without_retries(&self) -> Self {
        Self {
            policy: HttpPolicy {
                max_attempts: 1,
                ..self.policy.clone()
            },
            ..self.clone()
        }
    }

    /// Like [`Http::send`], but a refusal (a 4xx other than 408 and 429) comes back as the
    /// reply, for a caller that reads the server's error body itself.
    pub(crate) async fn exchange<F>(&self, build: F) -> Result<Reply, ChannelError>
    where
        F: Fn(&Client) -> RequestBuilder,
    {
        let attempts = self.policy.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            // Another caller was told to stay away longer than this policy waits: hand the
            // pause to the scheduler without sending anything.
            let held = self.gate.remaining();
            if held > self.policy.max_backoff {
                return Err(ChannelError::RateLimited { retry_after: held });
            }
            self.gate.pass(self.spacing).await;
            let (error, wait) = match self.attempt(&build).await {
                Attempt::Done(reply) => return Ok(reply),
                Attempt::Fatal(error) => return Err(error),
                Attempt::Retry { error, wait } => (error, wait),
            };
            if let Wait::Exactly(wait) = wait {
                // Nobody sharing the gate calls before the server said, retrying or not.
                self.gate.hold(wait);
            }
            if attempt >= attempts {
                tracing::warn!(attempts, %error, "giving up on the server");
                return Err(error);
            }
            match wait {
                Wait::Exactly(wait) if wait > self.policy.max_backoff => {
                    return Err(ChannelError::RateLimited { retry_after: wait })
                }
                Wait::Exactly(wait) => {
                    tracing::debug!(attempt, ?wait, %error, "server asked to wait");
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

    fn refusal(&self, verdict: Verdict, reply: &Reply) -> ChannelError {
        let message = retry::store_message(&reply.body);
        let detail = if message.is_empty() {
            format!("HTTP {} for {}", reply.status, reply.path)
        } else {
            message
        };
        match verdict {
            Verdict::Unauthorized => ChannelError::Unauthorized { detail },
            Verdict::Forbidden => ChannelError::MissingScope {
                scope: self.scope.to_string(),
                detail,
            },
            Verdict::NotFound => ChannelError::NotFound { detail },
            // `attempt` answers a redirect itself; a caller's reply cannot hold one.
            Verdict::Redirect => ChannelError::Redirected {
                location: format!(
                    "an address not given (HTTP {} for {})",
                    reply.status, reply.path
                ),
            },
            Verdict::Success | Verdict::Retry | Verdict::RateLimited | Verdict::Refused => {
                ChannelError::Server {
                    status: reply.status,
                    detail,
                }
            }
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
        if retry::classify(status) == Verdict::Redirect {
            return Attempt::Fatal(ChannelError::Redirected {
                location: redirect_target(response.url(), &headers, status),
            });
        }
        if let Some(reset) = retry::window_reset(&headers) {
            // The window is spent: pause everyone before the next call rather than earn a 429.
            self.gate.hold(reset);
        }
        let body = match response.bytes().await {
            Ok(body) => body.to_vec(),
            // The connection dropped mid-body, or the body timed out.
            Err(e) => return transient(&e, self.policy.timeout),
        };
        match retry::classify(status) {
            Verdict::RateLimited => {
                let asked = retry::retry_after(&headers, SystemTime::now())
                    .or_else(|| retry::reset_after(&headers));
                let error = ChannelError::RateLimited {
                    retry_after: asked.unwrap_or(self.policy.base_backoff),
                };
                let wait = asked.map_or(Wait::Backoff, Wait::Exactly);
                Attempt::Retry { error, wait }
            }
            Verdict::Retry => {
                let message = retry::store_message(&body);
                Attempt::Retry {
                    error: ChannelError::Server {
                        status,
                        detail: if message.is_empty() {
                            format!("HTTP {status} for {path}")
                        } else {
                            message
                        },
                    },
                    // A 503 may say when to come back.
                    wait: retry::retry_after(&headers, SystemTime::now())
                        .map_or(Wait::Backoff, Wait::Exactly),
                }
            }
            Verdict::Success
            | Verdict::Unauthorized
            | Verdict::Forbidden
            | Verdict::NotFound
            | Verdict::Refused
            // Answered above.
            | Verdict::Redirect => Attempt::Done(Reply {
                status,
                path,
                headers,
                body,
            }),
        }
    }
}

/// Where a 3xx pointed, for the dealer to compare with the address in Settings: the `Location`
/// resolved against the request's URL, without user info, query or fragment (a server could
/// echo a credential there).
fn redirect_target(from: &Url, headers: &HeaderMap, status: u16) -> String {
    let Some(location) = headers.get(LOCATION) else {
        return format!("an address not given (HTTP {status} without a Location)");
    };
    let Some(mut target) = location.to_str().ok().and_then(|text| from.join(text).ok()) else {
        return format!("an address that does not read as a URL (HTTP {status})");
    };
    target.set_query(None);
    target.set_fragment(None);
    // Fails only for URLs that cannot have user info, which then have none.
    let _ = target.set_username("");
    let _ = target.set_password(None);
    target.to_string()
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
