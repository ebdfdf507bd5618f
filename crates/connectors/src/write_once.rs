//! Writing to a store that takes no idempotency key, at most once. The caller has looked and
//! found nothing; [`write_then_confirm`] sends the write once (no transport retries), and when
//! its outcome is unknown (no answer, a 5xx, a 408 or 429) it looks again before writing again,
//! so a write that landed but whose answer was lost is found rather than repeated.

use std::future::Future;

use dealer_core::channel::{ChannelError, FulfillmentRequest, PushedFulfillment};

use crate::http::{retry, HttpPolicy};

/// `write` returns the store's id for what it wrote; `look` the id of what the store already
/// holds, if anything. Rounds are bounded by the policy's attempts, with its backoff between.
pub(crate) async fn write_then_confirm<Write, Written, Look, Looked>(
    policy: &HttpPolicy,
    mut write: Write,
    mut look: Look,
) -> Result<PushedFulfillment, ChannelError>
where
    Write: FnMut() -> Written,
    Written: Future<Output = Result<String, ChannelError>>,
    Look: FnMut() -> Looked,
    Looked: Future<Output = Result<Option<String>, ChannelError>>,
{
    let rounds = policy.max_attempts.max(1);
    let mut round = 1;
    loop {
        let error = match write().await {
            Ok(id) => {
                return Ok(PushedFulfillment {
                    id,
                    already_there: false,
                })
            }
            Err(error) if outcome_unknown(&error) && round < rounds => error,
            Err(error) => return Err(error),
        };
        tracing::warn!(%error, round, "the store's answer to a write was lost; looking again");
        let wait = retry::backoff(round, policy, &mut rand::thread_rng());
        tokio::time::sleep(wait).await;
        round += 1;
        if let Some(id) = look().await? {
            // The earlier write landed; only its answer went missing.
            return Ok(PushedFulfillment {
                id,
                already_there: false,
            });
        }
    }
}

/// The store may or may not have done the write (or, for 429, certainly did not yet).
fn outcome_unknown(error: &ChannelError) -> bool {
    match error {
        ChannelError::Unreachable { .. } | ChannelError::RateLimited { .. } => true,
        ChannelError::Server { status, .. } => *status == 408 || *status >= 500,
        ChannelError::Unauthorized { .. }
        | ChannelError::MissingScope { .. }
        | ChannelError::NotFound { .. }
        | ChannelError::Protocol { .. }
        // A redirect is answered before the request is acted on.
        | ChannelError::Redirected { .. } => false,
    }
}

/// A tracking number as compared across stores: no spaces, upper case (the engine sends them
/// so; a store or a person may not have).
pub(crate) fn same_tracking(stored: &str, wanted: &str) -> bool {
    let normalized = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect()
    };
    !wanted.trim().is_empty() && normalized(stored) == normalized(wanted)
}

/// A 404 on an order's own routes means the order is gone, not the store.
pub(crate) fn order_missing(error: ChannelError, request: &FulfillmentRequest) -> ChannelError {
    match error {
        ChannelError::NotFound { detail } => ChannelError::NotFound {
            detail: format!(
                "order {} is not in the store any more: {detail}",
                request.order_number
            ),
        },
        other => other,
    }
}

/// A write needs the platform's write permission (`scope`), where the client's own reads name
/// the read one.
pub(crate) fn write_scope(error: ChannelError, scope: &str) -> ChannelError {
    match error {
        ChannelError::MissingScope { detail, .. } => ChannelError::MissingScope {
            scope: scope.into(),
            detail,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    use super::*;

    fn policy() -> HttpPolicy {
        HttpPolicy {
            max_attempts: 3,
            base_backoff: Duration::from_millis(1),
            ..HttpPolicy::default()
        }
    }

    fn lost() -> ChannelError {
        ChannelError::Unreachable {
            detail: "connection closed before message completed".into(),
        }
    }

    #[tokio::test]
    async fn a_lost_answer_is_found_not_written_again() {
        let writes = AtomicU32::new(0);
        let pushed = write_then_confirm(
            &policy(),
            || async {
                writes.fetch_add(1, Ordering::SeqCst);
                Err(lost())
            },
            || async { Ok(Some("77".to_string())) },
        )
        .await
        .unwrap();
        assert_eq!(writes.load(Ordering::SeqCst), 1);
        assert_eq!(
            pushed,
            PushedFulfillment {
                id: "77".into(),
                already_there: false
            }
        );
    }

    #[tokio::test]
    async fn a_write_that_did_not_land_is_sent_again_until_the_rounds_run_out() {
        let writes = AtomicU32::new(0);
        let looks = AtomicU32::new(0);
        let result = write_then_confirm(
            &policy(),
            || async {
                writes.fetch_add(1, Ordering::SeqCst);
                Err(ChannelError::Server {
                    status: 503,
                    detail: "busy".into(),
                })
            },
            || async {
                looks.fetch_add(1, Ordering::SeqCst);
                Ok(None)
            },
        )
        .await;
        assert!(matches!(
            result,
            Err(ChannelError::Server { status: 503, .. })
        ));
        assert_eq!(writes.load(Ordering::SeqCst), 3);
        assert_eq!(looks.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_refusal_is_final() {
        let looks = AtomicU32::new(0);
        let result = write_then_confirm(
            &policy(),
            || async {
                Err(ChannelError::Server {
                    status: 400,
                    detail: "The field 'quantity' is invalid.".into(),
                })
            },
            || async {
                looks.fetch_add(1, Ordering::SeqCst);
                Ok(None)
            },
        )
        .await;
        assert!(matches!(
            result,
            Err(ChannelError::Server { status: 400, .. })
        ));
        assert_eq!(looks.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn tracking_numbers_compare_without_spaces_or_case() {
        assert!(same_tracking("1z 999 aa1 0123456784", "1Z999AA10123456784"));
        assert!(!same_tracking("1Z999AA10123456784", "1Z999AA10123456795"));
        assert!(!same_tracking("", ""));
    }
}
