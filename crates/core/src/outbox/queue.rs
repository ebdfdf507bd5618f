//! The job table: enqueue on the caller's transaction, claim the next due job under a lease,
//! put it back for later with backoff, or record how it ended. Every write after the claim is
//! guarded by it (still `running`, `claimed_by` this worker), so a worker that lost its job to
//! another writes nothing.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use sqlx::SqliteConnection;

use super::{Claimed, Job, JobKind, JobState};
use crate::domain::Environment;
use crate::store::Store;
use crate::{Error, Result};

/// Who holds a job: this process, told apart from earlier ones with the same pid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerId(String);

impl WorkerId {
    pub fn for_this_process() -> Self {
        let nonce: u32 = rand::thread_rng().gen();
        WorkerId(format!("pid:{}:{nonce:08x}", std::process::id()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the process that claimed a job as `claimed_by` still runs. Where that cannot be
    /// told (not Linux), only the lease decides.
    fn holder_alive(claimed_by: &str) -> bool {
        let Some(pid) = claimed_by
            .strip_prefix("pid:")
            .and_then(|rest| rest.split(':').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            return false;
        };
        if pid == std::process::id() {
            return true;
        }
        if cfg!(target_os = "linux") {
            std::path::Path::new(&format!("/proc/{pid}")).exists()
        } else {
            true
        }
    }
}

/// Which environments' US Direct a worker can reach now: it claims only jobs it can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reach {
    pub sandbox: bool,
    pub live: bool,
}

impl Reach {
    /// Every environment (tests that hold one supplier per environment).
    pub const ALL: Reach = Reach {
        sandbox: true,
        live: true,
    };

    pub fn has(self, environment: Environment) -> bool {
        match environment {
            Environment::Sandbox => self.sandbox,
            Environment::Live => self.live,
        }
    }
}

/// How long a claimed job is held before another worker may take it over.
pub const LEASE: Duration = Duration::from_secs(120);

/// Writes a job on the caller's connection (inside its transaction), in its order's environment
/// (for good). A job with the same key already there is kept as it is: the key names one
/// effect, and that effect is already queued.
pub(super) async fn enqueue(
    conn: &mut SqliteConnection,
    kind: JobKind,
    order_id: Option<i64>,
    idempotency_key: &str,
    payload: &serde_json::Value,
) -> Result<i64> {
    let now = Utc::now();
    let payload = payload.to_string();
    sqlx::query!(
        "INSERT INTO outbox_jobs (kind, order_id, idempotency_key, payload, state, next_run_at,
                                  created_at, updated_at, environment)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, o.environment FROM orders o WHERE o.id = ?2
         ON CONFLICT (idempotency_key) DO NOTHING",
        kind,
        order_id,
        idempotency_key,
        payload,
        JobState::Pending,
        now,
        now,
        now
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM outbox_jobs WHERE idempotency_key = ?"#,
        idempotency_key
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::NotFound {
        what: format!("order {order_id:?} for the job {idempotency_key}"),
    })
}

/// Queues jobs of one `kind`, one per `(order id, idempotency key, payload JSON)`, in a statement
/// for up to 500 jobs (parameters bound row by row); a key already queued is left as it is (see
/// [`enqueue`]). Each job takes its order's environment.
pub(super) async fn enqueue_many(
    conn: &mut SqliteConnection,
    kind: JobKind,
    jobs: &[(i64, String, String)],
) -> Result<()> {
    let now = Utc::now();
    for chunk in jobs.chunks(500) {
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO outbox_jobs (kind, order_id, idempotency_key, payload, state,
                                      next_run_at, created_at, updated_at, environment)
             SELECT j.column1, j.column2, j.column3, j.column4, j.column5, j.column6,
                    j.column6, j.column6, o.environment
             FROM (",
        );
        insert.push_values(chunk, |mut row, (order_id, key, payload)| {
            row.push_bind(kind)
                .push_bind(*order_id)
                .push_bind(key.as_str())
                .push_bind(payload.as_str())
                .push_bind(JobState::Pending)
                .push_bind(now);
        });
        insert.push(
            ") j JOIN orders o ON o.id = j.column2 WHERE true
             ON CONFLICT (idempotency_key) DO NOTHING",
        );
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// How many jobs of `kind` each of `order_ids` (a JSON array) has had.
pub(crate) async fn tries_of(
    conn: &mut SqliteConnection,
    order_ids: &str,
    kind: JobKind,
) -> Result<std::collections::HashMap<i64, i64>> {
    let rows = sqlx::query!(
        r#"SELECT order_id AS "order_id!", count(*) AS "tries!: i64" FROM outbox_jobs
           WHERE kind = ?1 AND order_id IN (SELECT value FROM json_each(?2))
           GROUP BY order_id"#,
        kind,
        order_ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.order_id, row.tries))
        .collect())
}

/// The longest a peer's `Retry-After` (or rate-limit reset) is waited out: a peer decides the
/// number, and an absurd one must neither overflow a time nor park a job for years. An hour is
/// longer than any platform's documented limit window (Shopify and BigCommerce reset within
/// seconds, US Direct's window is a minute) and short enough that a mistaken answer costs
/// the dealer an hour, not the order.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// Backoff before attempt `attempts + 1`: 2 s doubling to 10 min, with jitter (between half and
/// all of it), and never sooner than the server asked (up to [`MAX_RETRY_AFTER`]).
pub fn backoff(attempts: i64, retry_after: Option<Duration>) -> Duration {
    let exponent = u32::try_from(attempts.clamp(0, 20)).unwrap_or(20);
    let base = Duration::from_secs(2)
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(Duration::from_secs(600));
    let jittered = base.mul_f64(rand::thread_rng().gen_range(0.5..=1.0));
    jittered.max(retry_after.unwrap_or_default().min(MAX_RETRY_AFTER))
}

impl Store {
    /// Claims the next due job for `worker`: a pending one whose time has come, or a running
    /// one whose worker is gone or whose lease ran out (it is run again with the same key).
    ///
    /// Only jobs `reach` can run are claimed: a supplier job only when its own environment's
    /// US Direct is reachable (store jobs, tracking and cancels, go to the order's own store and
    /// are always claimed).
    pub async fn claim_job(&self, worker: &WorkerId, reach: Reach) -> Result<Option<Claimed>> {
        let now = Utc::now();
        let (sandbox, live) = (reach.sandbox, reach.live);
        let mut tx = self.write_transaction().await?;
        let due = sqlx::query!(
            r#"SELECT id AS "id!" FROM outbox_jobs
               WHERE state = ?1 AND next_run_at <= ?2
                 AND (kind IN (?3, ?6) OR (environment = 'sandbox' AND ?4)
                      OR (environment = 'live' AND ?5))
               ORDER BY next_run_at, id LIMIT 1"#,
            JobState::Pending,
            now,
            JobKind::PushTracking,
            sandbox,
            live,
            JobKind::CancelStoreOrder
        )
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| row.id);
        let id = match due {
            Some(id) => Some(id),
            None => {
                let running = sqlx::query!(
                    r#"SELECT id AS "id!", claimed_by, lease_until AS "lease_until: DateTime<Utc>"
                       FROM outbox_jobs
                       WHERE state = ?1 AND (kind IN (?2, ?5) OR (environment = 'sandbox' AND ?3)
                                             OR (environment = 'live' AND ?4))
                       ORDER BY id"#,
                    JobState::Running,
                    JobKind::PushTracking,
                    sandbox,
                    live,
                    JobKind::CancelStoreOrder
                )
                .fetch_all(&mut *tx)
                .await?;
                running
                    .into_iter()
                    .find(|row| {
                        let holder = row.claimed_by.as_deref().unwrap_or_default();
                        let expired = row.lease_until.is_none_or(|until| until < now);
                        holder != worker.as_str() && (expired || !WorkerId::holder_alive(holder))
                    })
                    .map(|row| row.id)
            }
        };
        let Some(id) = id else {
            return Ok(None);
        };
        let lease_until =
            now + chrono::Duration::from_std(LEASE).unwrap_or(chrono::Duration::seconds(120));
        let worker_id = worker.as_str();
        let row = sqlx::query!(
            r#"UPDATE outbox_jobs
               SET state = ?, claimed_by = ?, lease_until = ?, attempts = attempts + 1,
                   updated_at = ?
               WHERE id = ?
               RETURNING id AS "id!", kind AS "kind: JobKind", order_id, idempotency_key,
                         payload, attempts, environment AS "environment: Environment""#,
            JobState::Running,
            worker_id,
            lease_until,
            now,
            id
        )
        .fetch_one(&mut *tx)
        .await?;
        // The order's environment, and its channel's, read beside the job's: the worker
        // refuses a job whose three disagree.
        let order_environment = match row.order_id {
            Some(order_id) => sqlx::query!(
                r#"SELECT o.environment AS "environment: Environment",
                          c.is_sandbox AS "is_sandbox: bool"
                   FROM orders o JOIN channels c ON c.id = o.channel_id WHERE o.id = ?"#,
                order_id
            )
            .fetch_optional(&mut *tx)
            .await?
            .map(|order| {
                (order.environment == Environment::of_channel(order.is_sandbox))
                    .then_some(order.environment)
            }),
            None => None,
        };
        tx.commit().await?;
        Ok(Some(Claimed {
            id: row.id,
            kind: row.kind,
            order_id: row.order_id,
            idempotency_key: row.idempotency_key,
            payload: row.payload,
            attempts: row.attempts,
            environment: row.environment,
            order_environment: order_environment.flatten(),
        }))
    }

    /// When the next pending job that `reach` can run is due (or a running one's lease ends),
    /// if any.
    pub async fn next_job_due(&self, reach: Reach) -> Result<Option<DateTime<Utc>>> {
        let (sandbox, live) = (reach.sandbox, reach.live);
        Ok(sqlx::query_scalar!(
            r#"SELECT min(CASE state WHEN ?1 THEN next_run_at ELSE lease_until END)
                      AS "at: DateTime<Utc>"
               FROM outbox_jobs
               WHERE state IN (?1, ?2) AND (kind IN (?3, ?6) OR (environment = 'sandbox' AND ?4)
                                            OR (environment = 'live' AND ?5))"#,
            JobState::Pending,
            JobState::Running,
            JobKind::PushTracking,
            sandbox,
            live,
            JobKind::CancelStoreOrder
        )
        .fetch_one(self.pool())
        .await?)
    }

    /// Jobs, newest first (at most `limit`), optionally only one order's. Three queries, not
    /// one with `(? IS NULL OR ...)`: SQLite cannot use an index through that, and one old
    /// order's jobs cost a scan of every job (~0.1 s with 100,000 orders, at each start, as
    /// the onboarding check reads the test order's page).
    pub async fn list_jobs(&self, order_id: Option<i64>, limit: u32) -> Result<Vec<Job>> {
        let limit = i64::from(limit.clamp(1, 1000));
        Ok(match order_id {
            Some(order_id) => {
                sqlx::query_as!(
                    Job,
                    r#"SELECT j.id AS "id!", j.kind AS "kind: JobKind", j.order_id,
                              o.number AS "order_number?", j.idempotency_key,
                              j.state AS "state: JobState", j.attempts,
                              j.next_run_at AS "next_run_at: DateTime<Utc>", j.last_error,
                              j.created_at AS "created_at: DateTime<Utc>",
                              j.updated_at AS "updated_at: DateTime<Utc>",
                              j.finished_at AS "finished_at: DateTime<Utc>",
                              j.environment AS "environment: Environment"
                       FROM outbox_jobs j LEFT JOIN orders o ON o.id = j.order_id
                       WHERE j.order_id = ? ORDER BY j.id DESC LIMIT ?"#,
                    order_id,
                    limit
                )
                .fetch_all(self.pool())
                .await?
            }
            None => {
                sqlx::query_as!(
                    Job,
                    r#"SELECT j.id AS "id!", j.kind AS "kind: JobKind", j.order_id,
                              o.number AS "order_number?", j.idempotency_key,
                              j.state AS "state: JobState", j.attempts,
                              j.next_run_at AS "next_run_at: DateTime<Utc>", j.last_error,
                              j.created_at AS "created_at: DateTime<Utc>",
                              j.updated_at AS "updated_at: DateTime<Utc>",
                              j.finished_at AS "finished_at: DateTime<Utc>",
                              j.environment AS "environment: Environment"
                       FROM outbox_jobs j LEFT JOIN orders o ON o.id = j.order_id
                       ORDER BY j.id DESC LIMIT ?"#,
                    limit
                )
                .fetch_all(self.pool())
                .await?
            }
        })
    }

    pub async fn job(&self, id: i64) -> Result<Job> {
        sqlx::query_as!(
            Job,
            r#"SELECT j.id AS "id!", j.kind AS "kind: JobKind", j.order_id,
                      o.number AS "order_number?", j.idempotency_key,
                      j.state AS "state: JobState", j.attempts,
                      j.next_run_at AS "next_run_at: DateTime<Utc>", j.last_error,
                      j.created_at AS "created_at: DateTime<Utc>",
                      j.updated_at AS "updated_at: DateTime<Utc>",
                      j.finished_at AS "finished_at: DateTime<Utc>",
                      j.environment AS "environment: Environment"
               FROM outbox_jobs j LEFT JOIN orders o ON o.id = j.order_id
               WHERE j.id = ?"#,
            id
        )
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("job {id}"),
        })
    }
}

/// Puts a claimed job back for a later attempt (a transient failure).
pub(super) async fn reschedule(
    conn: &mut SqliteConnection,
    job: &Claimed,
    worker: &WorkerId,
    delay: Duration,
    error: &str,
) -> Result<bool> {
    let now = Utc::now();
    // Checked: the delay may come from a peer's number.
    let next = chrono::Duration::from_std(delay.min(MAX_RETRY_AFTER))
        .ok()
        .and_then(|delay| now.checked_add_signed(delay))
        .unwrap_or(now + chrono::Duration::seconds(600));
    let worker = worker.as_str();
    let updated = sqlx::query!(
        "UPDATE outbox_jobs
         SET state = ?, next_run_at = ?, last_error = ?, claimed_by = NULL,
             lease_until = NULL, updated_at = ?, failing_since = coalesce(failing_since, ?)
         WHERE id = ? AND state = ? AND claimed_by = ?",
        JobState::Pending,
        next,
        error,
        now,
        now,
        job.id,
        JobState::Running,
        worker
    )
    .execute(&mut *conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Records a claimed job's final outcome. False when the job is no longer this worker's (it
/// was taken over after the lease ran out): the caller then drops its own writes. A failure
/// keeps the time its failing began (or starts it); any other end clears it.
pub(super) async fn finish(
    conn: &mut SqliteConnection,
    job: &Claimed,
    worker: &WorkerId,
    state: JobState,
    error: Option<&str>,
) -> Result<bool> {
    let now = Utc::now();
    let worker = worker.as_str();
    let failed = state == JobState::Failed;
    let updated = sqlx::query!(
        "UPDATE outbox_jobs
         SET state = ?, last_error = ?, claimed_by = NULL, lease_until = NULL, updated_at = ?,
             finished_at = ?,
             failing_since = CASE WHEN ? THEN coalesce(failing_since, ?) END
         WHERE id = ? AND state = ? AND claimed_by = ?",
        state,
        error,
        now,
        now,
        failed,
        now,
        job.id,
        JobState::Running,
        worker
    )
    .execute(&mut *conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// How many jobs of `kind` the order has had: the next try's number is one more.
pub(crate) async fn tries(
    conn: &mut SqliteConnection,
    order_id: i64,
    kind: JobKind,
) -> Result<i64> {
    Ok(sqlx::query_scalar!(
        "SELECT count(*) FROM outbox_jobs WHERE order_id = ? AND kind = ?",
        order_id,
        kind
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// A job's state, kind and order, for Retry and Cancel.
pub(crate) struct JobRow {
    pub state: JobState,
    pub kind: JobKind,
    pub order_id: Option<i64>,
}

pub(crate) async fn job_row(conn: &mut SqliteConnection, job_id: i64) -> Result<JobRow> {
    let row = sqlx::query!(
        r#"SELECT state AS "state: JobState", kind AS "kind: JobKind", order_id
           FROM outbox_jobs WHERE id = ?"#,
        job_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::NotFound {
        what: format!("job {job_id}"),
    })?;
    Ok(JobRow {
        state: row.state,
        kind: row.kind,
        order_id: row.order_id,
    })
}

/// Makes a waiting job due now, with its key (Retry in Activity).
pub(crate) async fn run_now(conn: &mut SqliteConnection, job_id: i64) -> Result<()> {
    let now = Utc::now();
    sqlx::query!(
        "UPDATE outbox_jobs SET state = ?, next_run_at = ?, updated_at = ?, finished_at = NULL
         WHERE id = ?",
        JobState::Pending,
        now,
        now,
        job_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Stops a job that has not run to its end (Cancel in Activity).
pub(crate) async fn cancel(conn: &mut SqliteConnection, job_id: i64) -> Result<()> {
    let now = Utc::now();
    sqlx::query!(
        "UPDATE outbox_jobs SET state = ?, updated_at = ?, finished_at = ?, failing_since = NULL
         WHERE id = ?",
        JobState::Cancelled,
        now,
        now,
        job_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// When a cancelled order had steps queued that have not run, they stop.
pub(crate) async fn stop_pending_steps(conn: &mut SqliteConnection, order_id: i64) -> Result<()> {
    let now = Utc::now();
    sqlx::query!(
        "UPDATE outbox_jobs SET state = ?, updated_at = ?, finished_at = ?,
                last_error = 'the order was cancelled', failing_since = NULL
         WHERE order_id = ? AND state = ? AND kind IN (?, ?)",
        JobState::Cancelled,
        now,
        now,
        order_id,
        JobState::Pending,
        JobKind::CreateSupplierOrder,
        JobKind::AuthorizePayment
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter_and_honours_retry_after() {
        for attempts in 0..12 {
            let wait = backoff(attempts, None);
            let base = Duration::from_secs(2)
                .saturating_mul(2u32.pow(attempts as u32))
                .min(Duration::from_secs(600));
            assert!(wait >= base / 2 && wait <= base, "{attempts}: {wait:?}");
        }
        assert!(backoff(0, Some(Duration::from_secs(30))) >= Duration::from_secs(30));
    }

    #[test]
    fn an_absurd_retry_after_waits_an_hour_at_most() {
        for asked in [
            Duration::from_secs(9_999_999_999_999),
            Duration::MAX,
            MAX_RETRY_AFTER + Duration::from_secs(1),
        ] {
            assert_eq!(backoff(3, Some(asked)), MAX_RETRY_AFTER, "{asked:?}");
        }
        // And the time it gives is a time: `now + delay` never overflows.
        let next = Utc::now().checked_add_signed(
            chrono::Duration::from_std(backoff(0, Some(Duration::MAX))).unwrap(),
        );
        assert!(next.is_some());
    }

    #[test]
    fn a_worker_of_a_gone_process_is_not_alive() {
        let me = WorkerId::for_this_process();
        assert!(WorkerId::holder_alive(me.as_str()));
        assert!(!WorkerId::holder_alive("garbage"));
        if cfg!(target_os = "linux") {
            // Pids are below 2^22 on Linux.
            assert!(!WorkerId::holder_alive("pid:99999999:00000000"));
        }
    }
}
