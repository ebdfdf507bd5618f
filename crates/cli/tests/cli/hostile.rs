//! A hostile store, served by a separate `dealer sandbox serve`: for each way it misbehaves,
//! `dealer sync` ends within a bounded time with a clear message, keeps every good order it
//! read, and the next `dealer sync` runs (nothing stays stuck). A wait the store asked for is
//! honoured by the next process too.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::exactly_once::Serve;
use crate::{dealer, stdout_ok, PASSPHRASE};

/// Orders the store holds: two pages or more of the Shopify client's first page size.
const ORDERS: usize = 20;

/// How long any one `dealer sync` may take before the test calls it stuck: far beyond what a
/// well-behaved run needs (the slow drip costs two 30 s timeouts), far below "forever".
const DEADLINE: Duration = Duration::from_secs(300);

struct World {
    _dir: tempfile::TempDir,
    data: PathBuf,
    _serve: Serve,
}

impl World {
    /// A data dir, its sandbox served by another process, and [`ORDERS`] unpaid orders in the
    /// store (unpaid: they wait for the shopper, so no US Direct work slows the runs).
    fn start() -> World {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("store");
        stdout_ok(dealer(&data, Some(PASSPHRASE), &["status"]));
        let serve = Serve::start(&data);
        let world = World {
            _dir: dir,
            data,
            _serve: serve,
        };
        for n in 0..ORDERS {
            world.place_unpaid_order(n);
        }
        world
    }

    fn admin_url(&self) -> String {
        let addr: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(self.data.join("sandbox").join("shopify.addr")).unwrap(),
        )
        .unwrap();
        addr["admin_url"].as_str().unwrap().to_string()
    }

    fn place_unpaid_order(&self, n: usize) {
        let order = serde_json::json!({
            "customer_first_name": "Robin",
            "customer_last_name": format!("Buyer{n}"),
            "email": format!("robin{n}@example.com"),
            "ship_to": {
                "first_name": "Robin", "last_name": format!("Buyer{n}"),
                "address1": "500 W 2nd St", "city": "Austin", "province_code": "TX",
                "zip": "78701", "country_code": "US"
            },
            "lines": [{ "sku": "USD-TEST-1", "title": "Test item", "quantity": 1,
                        "unit_price_minor": 1999, "grams": 300 }],
            "payment": "unpaid"
        });
        let response = reqwest::blocking::Client::new()
            .post(format!("{}/orders", self.admin_url()))
            .json(&order)
            .send()
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
    }

    /// API requests the store has answered (the admin API not counted).
    fn store_requests(&self) -> u64 {
        let stats: serde_json::Value =
            reqwest::blocking::get(format!("{}/stats", self.admin_url()))
                .unwrap()
                .json()
                .unwrap();
        stats["api_requests"].as_u64().unwrap()
    }

    /// `dealer sandbox hostile <case>`, as a dealer or a test harness runs it.
    fn hostile(&self, case: &str) {
        let said = stdout_ok(dealer(
            &self.data,
            Some(PASSPHRASE),
            &["sandbox", "hostile", case],
        ));
        assert!(said.contains("sandbox store is now"), "{said}");
    }

    /// `dealer sync`, killed (and the test failed) if it outlives [`DEADLINE`].
    fn sync(&self) -> Synced {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dealer"))
            .arg("--data-dir")
            .arg(&self.data)
            .args(["sync", "--json"])
            .env_remove("DEALER_DATA_DIR")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .env("DEALER_PASSPHRASE", PASSPHRASE)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > DEADLINE {
                let _ = child.kill();
                let _ = child.wait();
                panic!("dealer sync still ran after {DEADLINE:?}: the store holds it");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Synced(child.wait_with_output().unwrap())
    }

    fn orders(&self) -> usize {
        let listed = stdout_ok(dealer(
            &self.data,
            Some(PASSPHRASE),
            &["orders", "list", "--json"],
        ));
        serde_json::from_str::<Vec<serde_json::Value>>(&listed)
            .unwrap()
            .len()
    }

    /// The store behaves again: the next sync runs to its end and brings every order in.
    fn recovers(&self) {
        self.hostile("off");
        let synced = self.sync();
        assert!(synced.ok(), "{}", synced.text());
        assert_eq!(self.orders(), ORDERS);
    }
}

struct Synced(Output);

impl Synced {
    fn ok(&self) -> bool {
        self.0.status.success()
    }

    fn text(&self) -> String {
        format!(
            "{}{}",
            String::from_utf8_lossy(&self.0.stdout),
            String::from_utf8_lossy(&self.0.stderr)
        )
    }

    /// The channel's error, as the report gives it (and Activity records it).
    fn channel_error(&self) -> String {
        let report: serde_json::Value = serde_json::from_slice(&self.0.stdout)
            .unwrap_or_else(|_| panic!("no report: {}", self.text()));
        report["channels"][0]["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no error in {report:#}"))
            .to_string()
    }
}

/// Runs `case` and returns the failed sync's channel error, after checking what every case
/// shares: the sync ends, says what failed, and keeps the orders it read.
fn hostile_sync(world: &World, case: &str) -> String {
    world.hostile(case);
    let synced = world.sync();
    assert!(!synced.ok(), "{case}: {}", synced.text());
    assert!(!synced.text().contains("panicked"), "{}", synced.text());
    let error = synced.channel_error();
    assert!(
        world.orders() >= 1,
        "{case}: the first page's good orders are imported"
    );
    error
}

#[test]
fn a_page_count_that_never_ends_stops_the_pass_with_every_order_imported() {
    let world = World::start();
    let error = hostile_sync(&world, "endless_pages");
    assert!(error.contains("already sent"), "{error}");
    assert_eq!(world.orders(), ORDERS);
    world.recovers();
}

#[test]
fn a_cursor_that_comes_back_stops_the_pass() {
    let world = World::start();
    let error = hostile_sync(&world, "repeated_cursor");
    assert!(error.contains("cursor repeats"), "{error}");
    assert_eq!(world.orders(), ORDERS);
    world.recovers();
}

#[test]
fn an_empty_page_that_says_more_stops_the_pass() {
    let world = World::start();
    let error = hostile_sync(&world, "empty_page");
    assert!(error.contains("empty page"), "{error}");
    assert_eq!(world.orders(), ORDERS);
    world.recovers();
}

#[test]
fn a_hundred_megabyte_answer_is_refused_without_being_read() {
    let world = World::start();
    let error = hostile_sync(&world, "huge_body");
    assert!(error.contains("larger than 32 MB"), "{error}");
    assert!(error.contains("graphql.json"), "names the path: {error}");
    world.recovers();
}

#[test]
fn a_slow_drip_ends_within_the_timeouts() {
    let world = World::start();
    let error = hostile_sync(&world, "slow_drip");
    assert!(error.contains("no whole answer within 30 s"), "{error}");
    world.recovers();
}

#[test]
fn a_redirect_to_another_host_is_reported_as_one() {
    let world = World::start();
    let error = hostile_sync(&world, "cross_host_redirect");
    assert!(
        error.contains("redirect to https://collector.attacker.example/"),
        "{error}"
    );
    assert!(!error.contains("credentials"), "{error}");
    world.recovers();
}

#[test]
fn a_malformed_retry_after_is_retried_with_backoff() {
    let world = World::start();
    world.hostile("malformed_retry_after");
    let synced = world.sync();
    assert!(synced.ok(), "{}", synced.text());
    assert_eq!(world.orders(), ORDERS);
}

/// The store answers 429 with `Retry-After: 9999999999999`: the dealer reads the clamped wait
/// as a time, and the next `dealer sync` (a new process) does not call the store before it.
#[test]
fn a_huge_retry_after_is_an_hour_and_outlives_the_process_that_heard_it() {
    let world = World::start();
    let error = hostile_sync(&world, "huge_retry_after");
    assert!(error.contains("asked to wait until"), "{error}");
    assert!(error.contains("(60 min)"), "{error}");
    assert!(!error.contains("9999999999999"), "{error}");

    // The store behaves again, but it asked for an hour: the next process keeps away.
    world.hostile("off");
    let before = world.store_requests();
    let next = world.sync();
    assert_eq!(
        world.store_requests(),
        before,
        "no call before the time it was told"
    );
    assert!(!next.ok(), "{}", next.text());
    let error = next.channel_error();
    assert!(error.contains("asked to wait until"), "{error}");
}
