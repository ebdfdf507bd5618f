//! The release app's start-up and idle CPU, run by `scripts/bench-startup` inside a session of
//! its own (Xvfb, a D-Bus session bus, gnome-keyring as the Secret Service). Two stores, both
//! past onboarding, their keys in that Secret Service: the Dashboard benchmark's orders spread
//! over a year (100,000 by default), and the floor, the same store with 100 orders. Each start
//! is timed from the launcher's side, from spawning the binary to the app's log line "window
//! interactive after N ms" (the window's first page has its data on screen: see
//! src-tauri/src/startup.rs), with the app's own N beside it; the runs alternate between the
//! two stores. Then idle CPU: the app started on the large store (window shown, then started
//! `--hidden`, tray only) is left to settle, then its CPU time and its WebKit processes' over
//! a span, beside the X server's over the same span.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use dealer_core::keys::OsKeyring;
use dealer_core::{Engine, OpenRequest};

use crate::dashboard::spread_over_a_year;
use crate::orders::build_fixture;

/// The target: launch to an interactive window.
const TARGET: Duration = Duration::from_millis(1500);
/// The target for idle CPU, in percent of one core.
const IDLE_TARGET: f64 = 1.0;
/// The floor store's orders.
const FLOOR_ORDERS: usize = 100;
/// A start that has not reached the mark by then failed.
const START_TIMEOUT: Duration = Duration::from_secs(60);
const MARK: &str = "window interactive after ";
const HIDDEN_MARK: &str = "only the tray shows";

pub struct Options {
    pub app: PathBuf,
    pub orders: usize,
    pub runs: usize,
    pub settle: Duration,
    pub idle: Duration,
}

/// A store in `data_dir` as a working dealer's: `count` orders over a year in a live store,
/// past onboarding (its live test order passed the three checks), the key in the OS keyring.
pub async fn build_store(data_dir: &Path, count: usize) -> Result<()> {
    let engine = Engine::open_with_keyring(
        OpenRequest {
            data_dir: data_dir.to_path_buf(),
            unlock: Default::default(),
        },
        Arc::new(OsKeyring),
    )
    .await
    .context("opening the store with its key in the Secret Service (is one running?)")?;
    build_fixture(engine.store(), count).await?;
    spread_over_a_year(&engine).await?;
    past_onboarding(&engine).await?;
    if !engine.onboarding_complete().await? {
        bail!("the start-up store is not past onboarding");
    }
    // As a working dealer's store is: its orders routed, and the shipments and problems of the
    // past already told (else the first start sends a notification for each).
    engine.route_imported().await?;
    engine.take_unannounced_shipments().await?;
    engine.take_new_problems().await?;
    engine.close().await;
    Ok(())
}

/// The fixture's channels become the dealer's own stores (live, pointing at a port where
/// nothing answers, so a scheduled sync fails at once without leaving the machine) and a
/// completed order the live test order that passed its three checks. The app never turns a
/// channel live nor moves an order between environments (triggers refuse it): the fixture
/// lifts those guards for this one transaction and puts them back as they were.
async fn past_onboarding(engine: &Engine) -> Result<()> {
    let store = engine.store();
    let guards: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN
             ('orders_environment_update', 'outbox_jobs_environment_update',
              'channels_sandbox_fixed')",
    )
    .fetch_all(store.pool())
    .await?;
    if guards.len() != 3 {
        bail!("the store's environment guards are not the three expected");
    }
    let mut tx = store.write_transaction().await?;
    for (name, _) in &guards {
        sqlx::query(&format!("DROP TRIGGER {name}"))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "UPDATE channels SET is_sandbox = 0, base_url = 'http://127.0.0.1:9',
                name = replace(name, 'Sandbox Store', 'Shopify store')",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE orders SET environment = 'live'")
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE outbox_jobs SET environment = 'live'")
        .execute(&mut *tx)
        .await?;
    for (_, sql) in &guards {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    let test_order: i64 = sqlx::query_scalar(
        "SELECT min(order_id) FROM shipments s JOIN orders o ON o.id = s.order_id
         WHERE o.status = 'completed'",
    )
    .fetch_one(&mut *tx)
    .await
    .context("no completed order to be the test order")?;
    sqlx::query(
        "INSERT INTO order_events (order_id, at, from_status, to_status, actor, detail)
         SELECT id, authorized_at, 'authorized', 'processing', 'system', 'US Direct confirmed'
         FROM orders WHERE id = ?",
    )
    .bind(test_order)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE shipments SET pushed_at = shipped_at WHERE order_id = ?")
        .bind(test_order)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT OR REPLACE INTO settings (key, value) VALUES ('test_order_id', ?)")
        .bind(test_order.to_string())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn run(options: Options) -> Result<()> {
    let app = options.app.canonicalize().with_context(|| {
        format!(
            "no app at {}: build it with scripts/package",
            options.app.display()
        )
    })?;
    let dir = tempfile::tempdir()?;
    let floor = Case::new(dir.path(), "floor", FLOOR_ORDERS)?;
    let large = Case::new(dir.path(), "large", options.orders)?;
    for case in [&floor, &large] {
        let started = Instant::now();
        build_store(&case.data_dir, case.orders).await?;
        eprintln!(
            "  (store of {} orders built in {:.1} s)",
            case.orders,
            started.elapsed().as_secs_f64()
        );
    }
    // One start each first, not counted: the web view's caches are made, as on a dealer's
    // machine after the first start.
    for case in [&floor, &large] {
        case.start(&app)?;
    }
    let mut times: HashMap<&str, Vec<(Duration, Duration)>> = HashMap::new();
    for _ in 0..options.runs {
        for case in [&floor, &large] {
            times.entry(case.name).or_default().push(case.start(&app)?);
        }
    }
    println!(
        "start-up of the release app, launch to an interactive window ({} runs each after one \
         warm-up; target ≤ {} ms with {} orders)",
        options.runs,
        TARGET.as_millis(),
        options.orders
    );
    println!(
        "  {:<40} {:>10} {:>10} {:>14}",
        "case", "median ms", "max ms", "app's own ms"
    );
    let mut medians = HashMap::new();
    for case in [&floor, &large] {
        let mut launcher: Vec<Duration> = times[case.name].iter().map(|t| t.0).collect();
        let mut own: Vec<Duration> = times[case.name].iter().map(|t| t.1).collect();
        launcher.sort();
        own.sort();
        let median = launcher[launcher.len() / 2];
        medians.insert(case.name, median);
        println!(
            "  {:<40} {:>10} {:>10} {:>14}",
            format!("{} orders", case.orders),
            median.as_millis(),
            launcher[launcher.len() - 1].as_millis(),
            own[own.len() / 2].as_millis()
        );
    }
    let ratio = medians["large"].as_secs_f64() / medians["floor"].as_secs_f64().max(1e-9);
    let over = times["large"].iter().filter(|t| t.0 > TARGET).count();
    println!(
        "  {} orders / floor: {ratio:.2}×; median {} the target; {over} of {} starts over it",
        options.orders,
        if medians["large"] <= TARGET {
            "within"
        } else {
            "SLOWER than"
        },
        options.runs
    );

    println!(
        "idle CPU with {} orders ({} s to settle, then {} s measured; target < {IDLE_TARGET} % of \
         one core)",
        options.orders,
        options.settle.as_secs(),
        options.idle.as_secs()
    );
    println!(
        "  {:<40} {:>10} {:>10} {:>10}",
        "case", "app %", "WebKit %", "Xvfb %"
    );
    for hidden in [false, true] {
        let idle = large.idle(&app, hidden, options.settle, options.idle)?;
        println!(
            "  {:<40} {:>10.2} {:>10.2} {:>10.2}",
            if hidden {
                "started --hidden (tray only)"
            } else {
                "window shown"
            },
            idle.app,
            idle.webkit,
            idle.xvfb
        );
    }
    Ok(())
}

/// A store and the home the app runs with.
struct Case {
    name: &'static str,
    orders: usize,
    data_dir: PathBuf,
    home: PathBuf,
}

impl Case {
    fn new(dir: &Path, name: &'static str, orders: usize) -> Result<Case> {
        let home = dir.join(format!("{name}-home"));
        for sub in [".config", ".local/share", ".cache"] {
            std::fs::create_dir_all(home.join(sub))?;
        }
        Ok(Case {
            name,
            orders,
            data_dir: dir.join(format!("{name}-data")),
            home,
        })
    }

    fn spawn(&self, app: &Path, hidden: bool) -> Result<Child> {
        // Each start writes a log of its own, so the mark read is this start's.
        let logs = self.data_dir.join("logs");
        if logs.exists() {
            std::fs::remove_dir_all(&logs)?;
        }
        let mut command = Command::new(app);
        if hidden {
            command.arg("--hidden");
        }
        command
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env("DEALER_DATA_DIR", &self.data_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", app.display()))
    }

    /// One start: the launcher's time to the mark, and the app's own figure.
    fn start(&self, app: &Path) -> Result<(Duration, Duration)> {
        let started = Instant::now();
        let mut child = self.spawn(app, false)?;
        let line = wait_for(&mut child, &self.data_dir, MARK);
        let seen = started.elapsed();
        stop(&mut child)?;
        let line = line?;
        let own = line
            .split(MARK)
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|ms| ms.parse::<u64>().ok())
            .with_context(|| format!("no time in the mark: {line}"))?;
        Ok((seen, Duration::from_millis(own)))
    }

    fn idle(&self, app: &Path, hidden: bool, settle: Duration, span: Duration) -> Result<Idle> {
        let mut child = self.spawn(app, hidden)?;
        let measured = (|| {
            wait_for(
                &mut child,
                &self.data_dir,
                if hidden { HIDDEN_MARK } else { MARK },
            )?;
            std::thread::sleep(settle);
            let xvfb = xvfb_pid()?;
            let before = cpu_ticks(child.id(), xvfb)?;
            let started = Instant::now();
            std::thread::sleep(span);
            let after = cpu_ticks(child.id(), xvfb)?;
            let seconds = started.elapsed().as_secs_f64();
            let tick = clock_ticks()?;
            let percent =
                |ticks: u64, was: u64| ticks.saturating_sub(was) as f64 / tick / seconds * 100.0;
            Ok(Idle {
                app: percent(after.app, before.app),
                webkit: percent(after.webkit, before.webkit),
                xvfb: percent(after.xvfb, before.xvfb),
            })
        })();
        stop(&mut child)?;
        measured
    }
}

struct Idle {
    app: f64,
    webkit: f64,
    xvfb: f64,
}

/// Waits for a line holding `mark` in the app's log; an app that exits or takes too long is an
/// error saying what its log says.
fn wait_for(child: &mut Child, data_dir: &Path, mark: &str) -> Result<String> {
    let started = Instant::now();
    loop {
        let log = read_logs(&data_dir.join("logs"));
        if let Some(line) = log.lines().find(|line| line.contains(mark)) {
            return Ok(line.to_string());
        }
        if let Some(status) = child.try_wait()? {
            bail!("the app exited ({status}) before {mark:?}; its log:\n{log}");
        }
        if started.elapsed() > START_TIMEOUT {
            bail!(
                "no {mark:?} in the app's log after {} s; its log:\n{log}",
                START_TIMEOUT.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn read_logs(dir: &Path) -> String {
    let mut text = String::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
    }
    text
}

/// Stops the app (SIGTERM, as a session ending does) and waits until its WebKit processes have
/// gone too, so the next start is a first instance on a quiet machine.
fn stop(child: &mut Child) -> Result<()> {
    let pid = child.id();
    let before = descendants(pid)?;
    Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()?;
    child.wait()?;
    let started = Instant::now();
    while before
        .iter()
        .any(|pid| Path::new(&format!("/proc/{pid}")).exists())
    {
        if started.elapsed() > Duration::from_secs(10) {
            bail!("the app's WebKit processes did not exit after it stopped");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

struct Ticks {
    app: u64,
    webkit: u64,
    xvfb: u64,
}

/// utime + stime of the app, of its descendants (WebKit's web and network processes), and of
/// the X server.
fn cpu_ticks(app: u32, xvfb: u32) -> Result<Ticks> {
    let own = |pid: u32| stat(pid).map(|s| s.utime + s.stime).unwrap_or(0);
    Ok(Ticks {
        app: own(app),
        webkit: descendants(app)?.into_iter().map(own).sum(),
        xvfb: own(xvfb),
    })
}

struct Stat {
    comm: String,
    ppid: u32,
    utime: u64,
    stime: u64,
}

fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text.get(open + 1..close)?.to_string();
    let fields: Vec<&str> = text.get(close + 2..)?.split(' ').collect();
    Some(Stat {
        comm,
        ppid: fields.get(1)?.parse().ok()?,
        utime: fields.get(11)?.parse().ok()?,
        stime: fields.get(12)?.parse().ok()?,
    })
}

fn all_pids() -> Result<Vec<u32>> {
    Ok(std::fs::read_dir("/proc")?
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse().ok())
        .collect())
}

fn descendants(root: u32) -> Result<Vec<u32>> {
    let parents: Vec<(u32, u32)> = all_pids()?
        .into_iter()
        .filter_map(|pid| Some((pid, stat(pid)?.ppid)))
        .collect();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(pid, _)| *pid),
        );
        i += 1;
    }
    found.remove(0);
    Ok(found)
}

/// The X server of this session: the Xvfb serving `$DISPLAY`.
fn xvfb_pid() -> Result<u32> {
    let display = std::env::var("DISPLAY").context("no DISPLAY: run scripts/bench-startup")?;
    for pid in all_pids()? {
        if stat(pid).is_some_and(|s| s.comm == "Xvfb") {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            if cmdline
                .split(|b| *b == 0)
                .any(|arg| arg == display.as_bytes())
            {
                return Ok(pid);
            }
        }
    }
    bail!("no Xvfb serving {display}: run scripts/bench-startup")
}

fn clock_ticks() -> Result<f64> {
    let out = Command::new("getconf").arg("CLK_TCK").output()?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
}
