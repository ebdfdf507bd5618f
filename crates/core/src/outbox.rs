//! The outbox: every external effect (create the supplier order, authorize its payment, cancel
//! it) is a job row written in the same transaction as the status change that needs it. A
//! worker claims due jobs one at a time under a lease, calls out with the job's idempotency key,
//! and writes the outcome together with the order's next status. A worker that dies leaves its
//! job `running`; the next worker reclaims it (its process is gone, or its lease ran out) and
//! calls again with the same key, so the supplier acts once.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::store::Store;
use crate::{Error, Result};

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename_all = "snake_case")]
pub enum JobKind {
    CreateSupplierOrder,
    AuthorizePayment,
    CancelSupplierOrder,
    /// Write a shipment's tracking to the store.
    PushTracking,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::CreateSupplierOrder => "create_supplier_order",
            JobKind::AuthorizePayment => "authorize_payment",
            JobKind::CancelSupplierOrder => "cancel_supplier_order",
            JobKind::PushTracking => "push_tracking",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            JobKind::CreateSupplierOrder,
            JobKind::AuthorizePayment,
            JobKind::CancelSupplierOrder,
            JobKind::PushTracking,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename_all = "snake_case")]
pub enum JobState {
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Pending => "pending",
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            JobState::Pending,
            JobState::Running,
            JobState::Succeeded,
            JobState::Failed,
            JobState::Cancelled,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }
}

/// A job as Activity and `dealer jobs list` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Job {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: JobKind,
    #[ts(type = "number | null")]
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    pub idempotency_key: String,
    pub state: JobState,
    #[ts(type = "number")]
    pub attempts: i64,
    pub next_run_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A job a worker holds, with what it needs to run.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub kind: JobKind,
    pub order_id: Option<i64>,
    pub idempotency_key: String,
    pub payload: String,
    pub attempts: i64,
}

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

/// How long a claimed job is held before another worker may take it over.
pub const LEASE: Duration = Duration::from_secs(120);

/// Writes a job on the caller's connection (inside its transaction). A job with the same key
/// already there is kept as it is: the key names one effect, and that effect is already queued.
pub(crate) async fn enqueue(
    conn: &mut SqliteConnection,
    kind: JobKind,
    order_id: Option<i64>,
    idempotency_key: &str,
    payload: &serde_json::Value,
) -> Result<i64> {
    let now = Utc::now();
    let kind = kind.as_str();
    let payload = payload.to_string();
    sqlx::query!(
        "INSERT INTO outbox_jobs (kind, order_id, idempotency_key, payload, state, next_run_at,
                                  created_at, updated_at)
         VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)
         ON CONFLICT (idempotency_key) DO NOTHING",
        kind,
        order_id,
        idempotency_key,
        payload,
        now,
        now,
        now
    )
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM outbox_jobs WHERE idempotency_key = ?"#,
        idempotency_key
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Backoff before attempt `attempts + 1`: 2 s doubling to 10 min, with jitter (between half and
/// all of it), and never sooner than the server asked.
pub fn backoff(attempts: i64, retry_after: Option<Duration>) -> Duration {
    let exponent = u32::try_from(attempts.clamp(0, 20)).unwrap_or(20);
    let base = Duration::from_secs(2)
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(Duration::from_secs(600));
    let jittered = base.mul_f64(rand::thread_rng().gen_range(0.5..=1.0));
    jittered.max(retry_after.unwrap_or_default())
}

impl Store {
    /// Claims the next due job for `worker`: a pending one whose time has come, or a running
    /// one whose worker is gone or whose lease ran out (it is run again with the same key).
    pub async fn claim_job(&self, worker: &WorkerId) -> Result<Option<Claimed>> {
        let now = Utc::now();
        let mut tx = self.write_transaction().await?;
        let due = sqlx::query!(
            r#"SELECT id AS "id!" FROM outbox_jobs
               WHERE state = 'pending' AND next_run_at <= ?
               ORDER BY next_run_at, id LIMIT 1"#,
            now
        )
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| row.id);
        let id = match due {
            Some(id) => Some(id),
            None => {
                let running = sqlx::query!(
                    r#"SELECT id AS "id!", claimed_by, lease_until AS "lease_until: DateTime<Utc>"
                       FROM outbox_jobs WHERE state = 'running' ORDER BY id"#
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
               SET state = 'running', claimed_by = ?, lease_until = ?, attempts = attempts + 1,
                   updated_at = ?
               WHERE id = ?
               RETURNING id AS "id!", kind, order_id, idempotency_key, payload, attempts"#,
            worker_id,
            lease_until,
            now,
            id
        )
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        let kind = JobKind::parse(&row.kind).ok_or_else(|| {
            Error::invalid(
                "job",
                format!("job {id} has a kind this version does not know"),
            )
        })?;
        Ok(Some(Claimed {
            id: row.id,
            kind,
            order_id: row.order_id,
            idempotency_key: row.idempotency_key,
            payload: row.payload,
            attempts: row.attempts,
        }))
    }

    /// When the next pending job is due (or a running one's lease ends), if any.
    pub async fn next_job_due(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(sqlx::query_scalar!(
            r#"SELECT min(CASE state WHEN 'pending' THEN next_run_at ELSE lease_until END)
                      AS "at: DateTime<Utc>"
               FROM outbox_jobs WHERE state IN ('pending', 'running')"#
        )
        .fetch_one(self.pool())
        .await?)
    }

    /// Jobs, newest first (at most `limit`), optionally only one order's.
    pub async fn list_jobs(&self, order_id: Option<i64>, limit: u32) -> Result<Vec<Job>> {
        self.query_jobs(order_id, None, limit).await
    }

    pub async fn job(&self, id: i64) -> Result<Job> {
        self.query_jobs(None, Some(id), 1)
            .await?
            .pop()
            .ok_or_else(|| Error::NotFound {
                what: format!("job {id}"),
            })
    }

    async fn query_jobs(
        &self,
        order_id: Option<i64>,
        job_id: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Job>> {
        let limit = i64::from(limit.clamp(1, 1000));
        let rows = sqlx::query!(
            r#"SELECT j.id AS "id!", j.kind, j.order_id, o.number AS "order_number?",
                      j.idempotency_key, j.state, j.attempts,
                      j.next_run_at AS "next_run_at: DateTime<Utc>", j.last_error,
                      j.created_at AS "created_at: DateTime<Utc>",
                      j.updated_at AS "updated_at: DateTime<Utc>",
                      j.finished_at AS "finished_at: DateTime<Utc>"
               FROM outbox_jobs j LEFT JOIN orders o ON o.id = j.order_id
               WHERE (?1 IS NULL OR j.order_id = ?1) AND (?2 IS NULL OR j.id = ?2)
               ORDER BY j.id DESC LIMIT ?3"#,
            order_id,
            job_id,
            limit
        )
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(Job {
                    id: row.id,
                    kind: JobKind::parse(&row.kind).ok_or_else(|| {
                        Error::invalid("job", format!("job {} has an unknown kind", row.id))
                    })?,
                    order_id: row.order_id,
                    order_number: row.order_number,
                    idempotency_key: row.idempotency_key,
                    state: JobState::parse(&row.state).unwrap_or(JobState::Failed),
                    attempts: row.attempts,
                    next_run_at: row.next_run_at,
                    last_error: row.last_error,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                    finished_at: row.finished_at,
                })
            })
            .collect()
    }
}

/// Puts a claimed job back for a later attempt (a transient failure).
pub(crate) async fn reschedule(
    conn: &mut SqliteConnection,
    job: &Claimed,
    worker: &WorkerId,
    delay: Duration,
    error: &str,
) -> Result<bool> {
    let now = Utc::now();
    let next = now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::seconds(600));
    let worker = worker.as_str();
    let updated = sqlx::query!(
        "UPDATE outbox_jobs
         SET state = 'pending', next_run_at = ?, last_error = ?, claimed_by = NULL,
             lease_until = NULL, updated_at = ?
         WHERE id = ? AND state = 'running' AND claimed_by = ?",
        next,
        error,
        now,
        job.id,
        worker
    )
    .execute(&mut *conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Records a claimed job's final outcome. False when the job is no longer this worker's (it
/// was taken over after the lease ran out): the caller then drops its own writes.
pub(crate) async fn finish(
    conn: &mut SqliteConnection,
    job: &Claimed,
    worker: &WorkerId,
    state: JobState,
    error: Option<&str>,
) -> Result<bool> {
    let now = Utc::now();
    let state = state.as_str();
    let worker = worker.as_str();
    let updated = sqlx::query!(
        "UPDATE outbox_jobs
         SET state = ?, last_error = ?, claimed_by = NULL, lease_until = NULL, updated_at = ?,
             finished_at = ?
         WHERE id = ? AND state = 'running' AND claimed_by = ?",
        state,
        error,
        now,
        now,
        job.id,
        worker
    )
    .execute(&mut *conn)
    .await?;
    Ok(updated.rows_affected() == 1)
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
    fn kinds_and_states_round_trip() {
        for kind in [
            JobKind::CreateSupplierOrder,
            JobKind::AuthorizePayment,
            JobKind::CancelSupplierOrder,
        ] {
            assert_eq!(JobKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(JobState::parse("running"), Some(JobState::Running));
        assert_eq!(JobState::parse("nope"), None);
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
