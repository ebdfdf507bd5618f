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
//!
//! What a peer decides is bounded: a body is read chunk by chunk and refused past
//! [`MAX_BODY_BYTES`] (never read whole first); the timeout covers the whole answer, body
//! included, and a request that times out twice is given up (a server that drips its answer
//! holds a sync for two timeouts, not six); a wait a peer asks for is clamped to
//! `MAX_RETRY_AFTER` and, with [`HttpPolicy::holds`], kept in the engine's store, so the next
//! process does not call that peer before the time either.

mod gate;
pub(crate) mod retry;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use chrono::Utc;
use dealer_core::channel::ChannelError;
use dealer_core::holds::PeerHolds;
use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{redirect, Client, RequestBuilder, Response, Url};

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
    /// The largest answer read; a larger one is refused while it streams in.
    pub max_body_bytes: usize,
    /// Where the waits peers ask for are kept beyond this process (the engine's store).
    pub holds: Holds,
}

/// The most one answer may weigh: 32 MiB. The largest page the clients ask for is 250 orders
/// (Shopify, BigCommerce; WooCommerce 100). A real order weighs 2 to 20 KB (a WooCommerce
/// order with plugin meta data and 50 lines approaches 60 KB), so a full page of heavy orders
/// stays under 16 MB; twice that leaves room for stores that say more about each order, and
/// holding it is nothing for a desktop. Beyond it the store (or what sits in front of it) is
/// not sending a page of orders.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// Tries that time out before a request is given up, whatever `max_attempts` says: a server
/// that took the whole timeout once (a slow drip, a stuck proxy) mostly takes it again, and
/// six timeouts would hold a sync for three minutes per request.
pub const MAX_TIMEOUTS: u32 = 2;

impl Default for HttpPolicy {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            max_attempts: 6,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(30),
            max_body_bytes: MAX_BODY_BYTES,
            holds: Holds::default(),
        }
    }
}

/// The engine's record of the waits peers asked for ([`PeerHolds`]), or none (the waits then
/// last as long as the process).
#[derive(Clone, Default)]
pub struct Holds(Option<Arc<dyn PeerHolds>>);

impl Holds {
    pub fn new(holds: Arc<dyn PeerHolds>) -> Self {
        Self(Some(holds))
    }

    pub fn is_kept(&self) -> bool {
        self.0.is_some()
    }

    /// How long `origin` is still held, as recorded by any process.
    async fn remaining(&self, origin: &str) -> Duration {
        let Some(holds) = &self.0 else {
            return Duration::ZERO;
        };
        let now = Utc::now();
        match holds.held_until(origin, now).await {
            Ok(Some(until)) => (until - now).to_std().unwrap_or_default(),
            Ok(None) => Duration::ZERO,
            Err(error) => {
                // The store is closing or busy: the in-process gate still holds.
                tracing::debug!(%error, "could not read the peer's hold");
                Duration::ZERO
            }
        }
    }

    async fn keep(&self, origin: &str, wait: Duration) {
        let Some(holds) = &self.0 else {
            return;
        };
        if let Err(error) = holds.hold(origin, Utc::now(), wait).await {
            tracing::warn!(%error, origin, "could not keep the wait the server asked for");
        }
    }
}

impl std::fmt::Debug for Holds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_kept() {
            "Holds(kept)"
        } else {
            "Holds(none)"
        })
    }
}

impl PartialEq for Holds {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl Eq for Holds {}

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
        /// The server did not answer whole within the timeout.
        timed_out: bool,
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
        // The peer the waits are about: the request's origin (scheme, host and port).
        let origin = build(&self.client)
            .build()
            .ok()
            .map(|request| request.url().origin().ascii_serialization());
        let mut attempt = 1;
        let mut timeouts = 0;
        loop {
            // The peer asked an earlier process (or another client here) to stay away: wait
            // a short hold out, hand a long one to the scheduler without sending anything.
            if let Some(origin) = &origin {
                let kept = self.policy.holds.remaining(origin).await;
                if kept > self.policy.max_backoff {
                    return Err(ChannelError::RateLimited { retry_after: kept });
                }
                if !kept.is_zero() {
                    self.gate.hold(kept);
                }
            }
            let held = self.gate.remaining();
            if held > self.policy.max_backoff {
                return Err(ChannelError::RateLimited { retry_after: held });
            }
            self.gate.pass(self.spacing).await;
            let (error, wait, timed_out) = match self.attempt(&build, origin.as_deref()).await {
                Attempt::Done(reply) => return Ok(reply),
                Attempt::Fatal(error) => return Err(error),
                Attempt::Retry {
                    error,
                    wait,
                    timed_out,
                } => (error, wait, timed_out),
            };
            if let Wait::Exactly(wait) = wait {
                // Nobody sharing the gate calls before the server said, retrying or not; nor
                // does the next process.
                self.gate.hold(wait);
                if let Some(origin) = &origin {
                    self.policy.holds.keep(origin, wait).await;
                }
            }
            if timed_out {
                timeouts += 1;
            }
            if attempt >= attempts || timeouts >= MAX_TIMEOUTS {
                tracing::warn!(attempt, timeouts, %error, "giving up on the server");
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

    async fn attempt<F>(&self, build: &F, origin: Option<&str>) -> Attempt
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
            if let Some(origin) = origin {
                self.policy.holds.keep(origin, reset).await;
            }
        }
        let body = match read_body(response, self.policy.max_body_bytes).await {
            Ok(body) => body,
            Err(BodyFailure::TooLarge) => {
                return Attempt::Fatal(ChannelError::Protocol {
                    detail: too_large(&path, self.policy.max_body_bytes),
                })
            }
            // The connection dropped mid-body, or the body timed out.
            Err(BodyFailure::Transport(e)) => return transient(&e, self.policy.timeout),
        };
        match retry::classify(status) {
            Verdict::RateLimited => {
                let asked = retry::retry_after(&headers, SystemTime::now())
                    .or_else(|| retry::reset_after(&headers));
                let error = ChannelError::RateLimited {
                    retry_after: asked.unwrap_or(self.policy.base_backoff),
                };
                let wait = asked.map_or(Wait::Backoff, Wait::Exactly);
                Attempt::Retry {
                    error,
                    wait,
                    timed_out: false,
                }
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
                    timed_out: false,
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
    let timed_out = error.is_timeout();
    let detail = if timed_out {
        format!(
            "no whole answer within {} s, {MAX_TIMEOUTS} tries at most",
            timeout.as_secs_f32()
        )
    } else {
        describe(error)
    };
    Attempt::Retry {
        error: ChannelError::Unreachable { detail },
        wait: Wait::Backoff,
        timed_out,
    }
}

enum BodyFailure {
    TooLarge,
    Transport(reqwest::Error),
}

/// The body, chunk by chunk, refused as soon as it passes `limit` (a declared length over it is
/// refused before a byte is read). The client's timeout covers this read too.
async fn read_body(mut response: Response, limit: usize) -> Result<Vec<u8>, BodyFailure> {
    let declared = response.content_length().unwrap_or(0);
    if declared > u64::try_from(limit).unwrap_or(u64::MAX) {
        return Err(BodyFailure::TooLarge);
    }
    // The declared length is only a hint for the first allocation, never more than 1 MiB.
    let hint = usize::try_from(declared).unwrap_or(0).min(1 << 20);
    let mut body = Vec::with_capacity(hint);
    while let Some(chunk) = response.chunk().await.map_err(BodyFailure::Transport)? {
        if body.len().saturating_add(chunk.len()) > limit {
            return Err(BodyFailure::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn too_large(path: &str, limit: usize) -> String {
    format!(
        "the answer to {path} is larger than {} MB, the most Dealer Portal reads in one answer \
         (a full page of orders weighs far less), so it was not read; the store, a plugin or a \
         proxy in front of it is sending something other than orders: ask its developer to \
         check that address",
        limit / (1024 * 1024)
    )
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
