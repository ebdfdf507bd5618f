//! Fuzzing every parser of outside data on the stable toolchain, with `proptest`.
//!
//! Each target feeds one boundary two kinds of input: structured mutations of a recorded real
//! payload (the platforms' official examples in `shared/specs/`, US Direct's in
//! `docs/supplier-api.yaml`; a leaf replaced by a hostile value, a key deleted or added, an
//! array duplicated, a node nested past the parser's depth limit) and arbitrary bytes. The
//! property is the same everywhere: the parser answers (an order, a quarantine, an error), it
//! never panics and never hangs. The store and supplier targets go through the real clients over
//! loopback HTTP, so paging, headers and error bodies are read exactly as in the app.
//!
//! `cargo test` runs a short seeded pass of every target ([`Budget`]: 256 cases, a fixed seed
//! per target). `scripts/fuzz [target] [--minutes N]` runs each target for N minutes with a
//! fresh seed per round (`FUZZ_MINUTES`), printing cases, cases per second and failures; see
//! docs/BENCHMARKS.md, "Fuzzing".

mod headers;
mod json;
mod numbers;
mod server;
mod stores;
mod supplier;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use proptest::strategy::Strategy;
use proptest::test_runner::{
    Config, RngAlgorithm, TestCaseError, TestCaseResult, TestError, TestRng, TestRunner,
};

pub(crate) use json::{bytes_or_mutation, Payload};

/// Cases per round: the whole short pass of a target.
const CASES: u32 = 256;
/// One case taking this long is a hang: a loop, or a wait a peer chose.
const CASE_LIMIT: Duration = Duration::from_secs(60);

/// How long a target runs: one seeded round by default; rounds with fresh seeds for
/// `FUZZ_MINUTES` minutes when set (`scripts/fuzz`).
#[derive(Debug, Clone, Copy)]
struct Budget {
    cases: u32,
    run_for: Option<Duration>,
    seed: u64,
}

impl Budget {
    fn from_env() -> Self {
        Self {
            cases: number::<u64>("FUZZ_CASES")
                .and_then(|c| u32::try_from(c).ok())
                .unwrap_or(CASES)
                .max(1),
            run_for: number::<f64>("FUZZ_MINUTES")
                .filter(|m: &f64| m.is_finite() && *m > 0.0)
                .map(|m| Duration::from_secs_f64(m * 60.0)),
            seed: number("FUZZ_SEED").unwrap_or(0),
        }
    }
}

fn number<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// The 32-byte ChaCha seed of `round` of `target`: the same for every run of the short pass,
/// so a failure there repeats; `FUZZ_SEED` moves the whole sequence.
fn seed(target: &str, base: u64, round: u64) -> [u8; 32] {
    // FNV-1a over the name: stable across Rust versions, unlike `DefaultHasher`.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in target.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = [0; 32];
    out[..8].copy_from_slice(&hash.to_le_bytes());
    out[8..16].copy_from_slice(&base.to_le_bytes());
    out[16..24].copy_from_slice(&round.to_le_bytes());
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Counts the cases a target ran, and when the last one started (the watchdog's heartbeat).
#[derive(Clone)]
pub(crate) struct Tally {
    cases: Arc<AtomicU64>,
    beat: Arc<AtomicU64>,
    started: Instant,
}

impl Tally {
    fn new() -> Self {
        Self {
            cases: Arc::default(),
            beat: Arc::default(),
            started: Instant::now(),
        }
    }

    fn tick(&self) {
        self.cases.fetch_add(1, Ordering::Relaxed);
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.beat.store(now, Ordering::Relaxed);
    }

    fn silent_for(&self) -> Duration {
        let last = Duration::from_millis(self.beat.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(last)
    }
}

/// Runs one target: `make` builds its strategy and its property on the fuzzing thread (a
/// client, a runtime, a loopback server may live there); the property sees one input per
/// call. Panics, with the seed and the shrunk input, on the first failure; panics too when a
/// single case runs longer than [`CASE_LIMIT`].
pub(crate) fn fuzz<S, F>(target: &'static str, make: impl FnOnce() -> (S, F) + Send + 'static)
where
    S: Strategy,
    S::Value: fmt::Debug,
    F: Fn(S::Value) -> TestCaseResult,
{
    let budget = Budget::from_env();
    let tally = Tally::new();
    let (done, outcome) = mpsc::channel();
    let counting = tally.clone();
    std::thread::Builder::new()
        .name(format!("fuzz {target}"))
        .spawn(move || {
            let result = rounds(target, budget, &counting, make);
            let _ = done.send(result);
        })
        .expect("a thread for the fuzz target");
    let result = loop {
        match outcome.recv_timeout(Duration::from_secs(1)) {
            Ok(result) => break result,
            Err(mpsc::RecvTimeoutError::Timeout) if tally.silent_for() > CASE_LIMIT => {
                break Err(format!(
                    "one case ran for more than {} s: a loop or an unbounded wait",
                    CASE_LIMIT.as_secs()
                ))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                break Err("the fuzzing thread died".into())
            }
        }
    };
    let cases = tally.cases.load(Ordering::Relaxed);
    let seconds = tally.started.elapsed().as_secs_f64();
    let rate = cases as f64 / seconds.max(f64::EPSILON);
    match result {
        Ok(rounds) => eprintln!(
            "fuzz {target}: {cases} cases in {rounds} rounds, {seconds:.1} s ({rate:.0} cases/s), \
             0 panics, 0 failures"
        ),
        Err(failure) => {
            panic!("fuzz {target}: FAILED after {cases} cases ({seconds:.1} s): {failure}")
        }
    }
}

fn rounds<S, F>(
    target: &'static str,
    budget: Budget,
    tally: &Tally,
    make: impl FnOnce() -> (S, F),
) -> Result<u64, String>
where
    S: Strategy,
    S::Value: fmt::Debug,
    F: Fn(S::Value) -> TestCaseResult,
{
    let (strategy, property) = make();
    let deadline = budget.run_for.map(|d| Instant::now() + d);
    let mut round = 0;
    loop {
        let seed = seed(target, budget.seed, round);
        let config = Config {
            cases: budget.cases,
            // Shrunk inputs are printed in the failure, and fixed as regression tests by hand.
            failure_persistence: None,
            max_shrink_time: 60_000,
            rng_algorithm: RngAlgorithm::ChaCha,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
        let outcome = runner.run(&strategy, |input| {
            tally.tick();
            property(input)
        });
        round += 1;
        match outcome {
            Ok(()) => {}
            Err(TestError::Fail(reason, input)) => {
                return Err(format!(
                    "round {} (seed {}): {reason}\nminimal input: {input:#?}",
                    round - 1,
                    hex(&seed)
                ))
            }
            Err(TestError::Abort(reason)) => return Err(format!("aborted: {reason}")),
        }
        match deadline {
            Some(deadline) if Instant::now() < deadline => continue,
            _ => return Ok(round),
        }
    }
}

/// A property failure with `what` in words.
pub(crate) fn fail(what: impl Into<String>) -> TestCaseError {
    TestCaseError::fail(what.into())
}
