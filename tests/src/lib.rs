//! Harness for the end-to-end tests: a private home for each test, the real `dealer-portal`
//! binary started by tauri-driver over WebKitWebDriver, and the `dealer` CLI on the same store.
//!
//! The tests expect to run inside `xvfb-run dbus-run-session` with gnome-keyring serving the
//! Secret Service on that bus: `scripts/test` sets that up (see `scripts/e2e-session`).
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

/// The app identifier: Tauri's data and log dirs and the keyring service are named after it.
pub const APP_IDENTIFIER: &str = "com.dealerportal.desktop";

/// One app at a time: a second one on the same session bus would hand over to the first.
static ONE_APP: Mutex<()> = Mutex::new(());

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

fn built(name: &str) -> PathBuf {
    let path = target_dir().join("debug").join(name);
    assert!(
        path.exists(),
        "{} is not built: run scripts/test (it builds the app before the end-to-end tests)",
        path.display()
    );
    path
}

/// Overrides the app under test (`scripts/test-installed` names the installed one).
pub const APP_ENV: &str = "DEALER_E2E_APP";
/// Overrides the CLI under test (`scripts/test-installed`: `/usr/bin/dealer`).
pub const CLI_ENV: &str = "DEALER_E2E_CLI";

/// The binary `env` names, else the debug build of `name`.
fn under_test(env: &str, name: &str) -> PathBuf {
    match std::env::var_os(env) {
        Some(path) => {
            let path = PathBuf::from(path);
            assert!(
                path.is_file(),
                "{env} names {}, which is not a file",
                path.display()
            );
            path
        }
        None => built(name),
    }
}

/// The `dealer-portal` binary the tests drive: `DEALER_E2E_APP`, else `target/debug`'s.
pub fn app_binary() -> PathBuf {
    under_test(APP_ENV, "dealer-portal")
}

/// The `dealer` CLI the tests run: `DEALER_E2E_CLI`, else `target/debug`'s.
pub fn cli_binary() -> PathBuf {
    under_test(CLI_ENV, "dealer")
}

fn tauri_driver() -> PathBuf {
    let path = std::env::var_os("TAURI_DRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".tools/bin/tauri-driver"));
    assert!(
        path.exists(),
        "tauri-driver not found at {}: run scripts/test",
        path.display()
    );
    path
}

/// Where screenshots go: `target/e2e/`.
pub fn artifacts_dir() -> PathBuf {
    let dir = target_dir().join("e2e");
    std::fs::create_dir_all(&dir).expect("create target/e2e");
    dir
}

/// A private home (HOME and XDG dirs) so each test starts from a first run.
pub struct Home {
    root: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Home {
    pub fn new() -> Self {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
                && std::env::var_os("DISPLAY").is_some(),
            "the end-to-end tests need an X display and a D-Bus session with a Secret Service: \
             run them through scripts/test"
        );
        let root = tempfile::tempdir().expect("temp home");
        let path = |sub: &str| {
            let dir = root.path().join(sub);
            std::fs::create_dir_all(&dir).expect("create home dir");
            dir.display().to_string()
        };
        let env = vec![
            ("HOME".to_string(), path("home")),
            ("XDG_DATA_HOME".to_string(), path("home/.local/share")),
            ("XDG_CONFIG_HOME".to_string(), path("home/.config")),
            ("XDG_CACHE_HOME".to_string(), path("home/.cache")),
            ("DEALER_LOG".to_string(), "debug".to_string()),
            ("LANG".to_string(), "en_US.UTF-8".to_string()),
        ];
        Self { root, env }
    }

    pub fn env(&self) -> &[(String, String)] {
        &self.env
    }

    /// Everything this home holds: HOME, the XDG dirs, the data dir and its logs.
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    fn xdg_data_home(&self) -> PathBuf {
        self.root.path().join("home/.local/share")
    }

    /// The per-user data dir the app and the CLI use when no `--data-dir` is given.
    pub fn data_dir(&self) -> PathBuf {
        self.xdg_data_home().join(APP_IDENTIFIER)
    }

    /// Tauri's log dir on Linux.
    pub fn log_dir(&self) -> PathBuf {
        self.data_dir().join("logs")
    }

    /// The admin API of the app's sandbox store of `kind` (`{base}/_sandbox`), from the
    /// address file the running sandbox writes.
    pub fn sandbox_admin_url(&self, kind: &str) -> String {
        let path = self.data_dir().join("sandbox").join(format!("{kind}.addr"));
        let text = std::fs::read_to_string(&path).expect("the sandbox address file");
        let address: serde_json::Value = serde_json::from_str(&text).expect("address JSON");
        address["admin_url"]
            .as_str()
            .expect("admin_url")
            .to_string()
    }

    /// Runs the `dealer` CLI with this home's environment.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(cli_binary())
            .args(args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env_remove("DEALER_PASSPHRASE")
            .output()
            .expect("run dealer")
    }

    /// Runs the CLI and returns its stdout, failing with its stderr.
    pub fn cli_ok(&self, args: &[&str]) -> String {
        let output = self.cli(args);
        assert!(
            output.status.success(),
            "dealer {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8 output")
    }

    /// Starts the app in this home, driven over WebDriver.
    pub async fn launch(&self) -> Result<App> {
        self.launch_with(&[], &[]).await
    }

    /// Starts the app with extra environment and arguments.
    pub async fn launch_with(&self, env: &[(&str, &str)], args: &[&str]) -> Result<App> {
        let guard = ONE_APP
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Said, so a run against another binary (scripts/test-installed) can be checked.
        eprintln!("app under test: {}", app_binary().display());
        let port = free_port();
        let native_port = free_port();
        let mut command = Command::new(tauri_driver());
        command
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // Its own process group, so the driver, WebKitWebDriver and the app stop together.
            command.process_group(0);
        }
        let driver = command.spawn().context("start tauri-driver")?;
        let mut app = App {
            client: None,
            driver,
            _guard: guard,
        };
        wait_for_port(port, Duration::from_secs(20))?;
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "wry".into());
        capabilities.insert(
            "tauri:options".into(),
            serde_json::json!({
                "application": app_binary(),
                "args": args,
            }),
        );
        let client = ClientBuilder::rustls()
            .context("TLS setup")?
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context("open a WebDriver session on the app")?;
        app.client = Some(client);
        Ok(app)
    }
}

impl Default for Home {
    fn default() -> Self {
        Self::new()
    }
}

/// The running app and its WebDriver session.
pub struct App {
    client: Option<Client>,
    driver: Child,
    _guard: MutexGuard<'static, ()>,
}

impl App {
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("connected")
    }

    /// The first element matching `css`, waiting up to 20 s for it to appear.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        self.client()
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))
    }

    pub async fn all(&self, css: &str) -> Result<Vec<Element>> {
        Ok(self.client().find_all(Locator::Css(css)).await?)
    }

    /// Text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> Result<String> {
        let element = self.wait_for(css).await?;
        self.element_text(&element).await
    }

    /// An element's rendered text. WebKitWebDriver reports the cells of a table inside a
    /// scrolling container (the virtual Orders list) as not displayed, so their WebDriver text
    /// is empty although the window shows them; the page's own `innerText` is asked then.
    pub async fn element_text(&self, element: &Element) -> Result<String> {
        let text = element.text().await?;
        if !text.is_empty() {
            return Ok(text);
        }
        let shown = self
            .client()
            .execute(
                "return arguments[0].innerText;",
                vec![serde_json::to_value(element)?],
            )
            .await?;
        Ok(shown.as_str().unwrap_or_default().to_string())
    }

    /// Waits until the text of `css` contains `wanted`.
    pub async fn wait_for_text(&self, css: &str, wanted: &str) -> Result<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = match self.client().find(Locator::Css(css)).await {
                Ok(element) => self.element_text(&element).await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(wanted) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                bail!("{css} never showed {wanted:?}; last text: {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types `text` into the first element matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        self.wait_for(css).await?.send_keys(text).await?;
        Ok(())
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        let element = self.wait_for(css).await?;
        if element.clone().click().await.is_ok() {
            return Ok(());
        }
        // The same WebKitWebDriver quirk as in `element_text`: a row of the virtual Orders
        // list is "not interactable" to it, though shown. The page's own click goes through
        // the same handlers a mouse click does.
        self.client()
            .execute(
                "arguments[0].scrollIntoView({block: 'nearest'}); arguments[0].click();",
                vec![serde_json::to_value(&element)?],
            )
            .await?;
        Ok(())
    }

    /// Calls one of the app's commands from the window, as the UI does; its answer, or the
    /// command's error as `Err`.
    pub async fn invoke(
        &self,
        command: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value> {
        let answer = self
            .client()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
                   .then((value) => done({ value }), (error) => done({ error }));",
                vec![command.into(), args],
            )
            .await
            .with_context(|| format!("invoke {command}"))?;
        match answer.get("error") {
            Some(error) => bail!("{command} failed: {error}"),
            None => Ok(answer.get("value").cloned().unwrap_or_default()),
        }
    }

    /// Saves what the window shows to `target/e2e/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        // WebKitWebDriver takes the picture after the window's next paint. Without a GPU the app
        // draws without compositing (`src-tauri/src/startup.rs`), and a page that has stopped
        // changing never paints again: the screenshot would wait forever. So a pixel in the
        // window's corner changes each frame (one step of one colour channel) until it is taken.
        self.client()
            .execute(
                "const pixel = document.createElement('div');
                 pixel.id = 'e2e-paint';
                 pixel.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
                 document.body.append(pixel);
                 let odd = false;
                 const paint = () => {
                   if (!pixel.isConnected) return;
                   odd = !odd;
                   pixel.style.background = odd ? 'rgb(254,254,254)' : 'rgb(255,255,255)';
                   requestAnimationFrame(paint);
                 };
                 paint();",
                vec![],
            )
            .await?;
        let png = self.client().screenshot().await;
        self.client()
            .execute("document.getElementById('e2e-paint')?.remove();", vec![])
            .await?;
        let png = png?;
        let path = artifacts_dir().join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Ends the session (the app exits with it) and the driver.
    pub async fn quit(mut self) -> Result<()> {
        if let Some(client) = self.client.take() {
            client.close().await?;
        }
        Ok(())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // The whole process group: tauri-driver, WebKitWebDriver and the app.
        let group = nix::unistd::Pid::from_raw(self.driver.id() as i32);
        let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.driver.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL);
        let _ = self.driver.wait();
        // The app's single-instance name on the bus goes with its window.
        wait_until(Duration::from_secs(5), || {
            count_windows("^Dealer Portal$") == 0
        });
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free loopback port")
}

fn wait_for_port(port: u16, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("tauri-driver did not listen on port {port}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// The three sandbox stores run by `dealer sandbox serve` in their own process, stopped on drop.
pub struct SandboxServe {
    child: Child,
    state: tempfile::TempDir,
    urls: serde_json::Value,
}

impl SandboxServe {
    pub fn start() -> Result<Self> {
        Self::start_with(&[])
    }

    /// Started with more `dealer sandbox serve` arguments (e.g. `--supplier-token T`).
    pub fn start_with(args: &[&str]) -> Result<Self> {
        let state = tempfile::tempdir()?;
        let addr_file = state.path().join("addr.json");
        let child = Command::new(cli_binary())
            .args(["sandbox", "serve", "--state-dir"])
            .arg(state.path())
            .arg("--addr-file")
            .arg(&addr_file)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("start dealer sandbox serve")?;
        let mut serve = Self {
            child,
            state,
            urls: serde_json::Value::Null,
        };
        let written = || {
            std::fs::read_to_string(&addr_file)
                .ok()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        };
        if !wait_until(Duration::from_secs(20), || written().is_some()) {
            bail!("dealer sandbox serve wrote no addresses");
        }
        serve.urls = written().unwrap_or_default();
        Ok(serve)
    }

    /// The base URL of the store of `kind` (`shopify`, `woocommerce`, `bigcommerce`).
    pub fn url(&self, kind: &str) -> String {
        self.urls[kind].as_str().unwrap_or_default().to_string()
    }

    pub fn state_dir(&self) -> &Path {
        self.state.path()
    }

    /// The admin API (`…/_sandbox`) of the server behind `kind` (a store kind or `supplier`).
    pub fn admin_url(&self, kind: &str) -> String {
        let url = self.url(kind);
        let rest = url.strip_prefix("http://").unwrap_or(&url);
        let host = rest.split('/').next().unwrap_or_default();
        format!("http://{host}/_sandbox")
    }
}

impl Drop for SandboxServe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `done` until it holds or `timeout` passes; says which.
pub fn wait_until(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if done() {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Visible X windows whose title matches `pattern` (a regex, as xdotool takes it).
pub fn count_windows(pattern: &str) -> usize {
    Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", pattern])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).lines().count())
        .unwrap_or(0)
}

/// X windows whose title matches `pattern`, shown or not (their ids, as xdotool gives them).
pub fn window_ids(pattern: &str, only_visible: bool) -> Vec<String> {
    let mut command = Command::new("xdotool");
    command.arg("search");
    if only_visible {
        command.arg("--onlyvisible");
    }
    command
        .args(["--name", pattern])
        .output()
        .map(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A window's size and position as the X server has them: `(x, y, width, height)`.
pub fn window_geometry(id: &str) -> Result<(i64, i64, u64, u64)> {
    let out = Command::new("xdotool")
        .args(["getwindowgeometry", "--shell", id])
        .output()
        .context("run xdotool getwindowgeometry")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| -> Result<i64> {
        text.lines()
            .find_map(|line| line.strip_prefix(&format!("{name}=")))
            .with_context(|| format!("{name} in {text:?}"))?
            .trim()
            .parse()
            .with_context(|| format!("{name} in {text:?}"))
    };
    Ok((
        field("X")?,
        field("Y")?,
        field("WIDTH")? as u64,
        field("HEIGHT")? as u64,
    ))
}

/// Moves and resizes a window as a window manager would (the test session has none).
pub fn move_resize_window(id: &str, x: i64, y: i64, width: u64, height: u64) -> Result<()> {
    for args in [
        vec![
            "windowsize".to_string(),
            id.to_string(),
            width.to_string(),
            height.to_string(),
        ],
        vec![
            "windowmove".to_string(),
            id.to_string(),
            x.to_string(),
            y.to_string(),
        ],
    ] {
        let status = Command::new("xdotool").args(&args).status()?;
        if !status.success() {
            bail!("xdotool {args:?} failed");
        }
    }
    Ok(())
}

/// Closes a window as its close button does: the `WM_DELETE_WINDOW` message a window manager
/// sends (xdotool's windowclose destroys the window instead). Sent through libX11 by python3.
pub fn close_window(id: &str) -> Result<()> {
    const SEND_DELETE: &str = r#"
import ctypes, sys
x = ctypes.cdll.LoadLibrary("libX11.so.6")
x.XOpenDisplay.restype = ctypes.c_void_p
x.XOpenDisplay.argtypes = [ctypes.c_char_p]
x.XInternAtom.restype = ctypes.c_ulong
x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
class ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong),
                ("message_type", ctypes.c_ulong), ("format", ctypes.c_int),
                ("data", ctypes.c_long * 5)]
class XEvent(ctypes.Union):
    _fields_ = [("xclient", ClientMessage), ("pad", ctypes.c_long * 24)]
x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                         ctypes.POINTER(XEvent)]
x.XFlush.argtypes = [ctypes.c_void_p]
x.XCloseDisplay.argtypes = [ctypes.c_void_p]
display = x.XOpenDisplay(None)
if not display:
    sys.exit("cannot open the X display")
window = int(sys.argv[1])
event = XEvent()
event.xclient.type = 33  # ClientMessage
event.xclient.window = window
event.xclient.message_type = x.XInternAtom(display, b"WM_PROTOCOLS", 0)
event.xclient.format = 32
event.xclient.data[0] = x.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
x.XSendEvent(display, window, 0, 0, ctypes.byref(event))
x.XFlush(display)
x.XCloseDisplay(display)
"#;
    let out = Command::new("python3")
        .args(["-c", SEND_DELETE, id])
        .output()
        .context("run python3 to close the window")?;
    if !out.status.success() {
        bail!(
            "closing window {id} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// `PUT`s a JSON body to a loopback URL (the sandbox's admin API) and checks the answer.
pub fn http_put_json(url: &str, body: &str) -> Result<()> {
    http_request("PUT", url, Some(body)).map(|_| ())
}

/// `POST`s a JSON body to a loopback URL (the sandbox's admin API); its answer, as JSON.
pub fn http_post_json(url: &str, body: &str) -> Result<serde_json::Value> {
    json_answer("POST", url, &http_request("POST", url, Some(body))?)
}

/// `GET url` on a loopback server, as JSON.
pub fn http_get_json(url: &str) -> Result<serde_json::Value> {
    json_answer("GET", url, &http_request("GET", url, None)?)
}

/// One HTTP/1.1 request to a loopback server, with a JSON body if given; a 2xx answer's head
/// and body.
fn http_request(method: &str, url: &str, body: Option<&str>) -> Result<(String, String)> {
    let rest = url.strip_prefix("http://").context("a loopback http URL")?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut stream = TcpStream::connect(host)?;
    use std::io::{Read, Write};
    write!(
        stream,
        "{method} /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
    )?;
    match body {
        Some(body) => write!(
            stream,
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )?,
        None => write!(stream, "\r\n")?,
    }
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let (head, body) = answer.split_once("\r\n\r\n").context("an HTTP answer")?;
    if !head.starts_with("HTTP/1.1 2") {
        bail!(
            "{method} {url} answered: {}",
            head.lines().next().unwrap_or_default()
        );
    }
    Ok((head.to_string(), body.to_string()))
}

fn json_answer(
    method: &str,
    url: &str,
    (head, body): &(String, String),
) -> Result<serde_json::Value> {
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        bail!("{method} {url}: chunked answers are not read here");
    }
    Ok(serde_json::from_str(body)?)
}

/// Watches the session bus for desktop notifications (`org.freedesktop.Notifications.Notify`)
/// with `dbus-monitor`, into a file, until dropped.
pub struct NotificationWatch {
    child: Child,
    file: PathBuf,
    _dir: tempfile::TempDir,
}

impl NotificationWatch {
    pub fn start() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("notifications.txt");
        let out = std::fs::File::create(&file)?;
        let child = Command::new("dbus-monitor")
            .args([
                "--session",
                "interface='org.freedesktop.Notifications',member='Notify'",
            ])
            .stdout(out)
            .stderr(Stdio::null())
            .spawn()
            .context("start dbus-monitor")?;
        // Let it subscribe before anything is sent.
        std::thread::sleep(Duration::from_millis(300));
        Ok(Self {
            child,
            file,
            _dir: dir,
        })
    }

    /// What was seen on the bus so far.
    pub fn seen(&self) -> String {
        std::fs::read_to_string(&self.file).unwrap_or_default()
    }
}

impl Drop for NotificationWatch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every regular file under `dir`, recursively, with its bytes.
pub fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                found.push((path, bytes));
            }
        }
    }
    found
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// The store's key as the app keeps it in the Secret Service (hex), read over D-Bus.
pub fn keyring_store_key(data_dir: &Path) -> Result<String> {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data_dir.join("store.json"))?)?;
    let id = manifest["store_id"]
        .as_str()
        .context("store_id in store.json")?;
    let entry = keyring::Entry::new(APP_IDENTIFIER, &format!("store-key:{id}"))?;
    Ok(entry.get_password()?)
}

/// The US Direct account token the app saved in the Secret Service for the store in `data_dir`.
pub fn keyring_supplier_token(data_dir: &Path) -> Result<String> {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data_dir.join("store.json"))?)?;
    let id = manifest["store_id"]
        .as_str()
        .context("store_id in store.json")?;
    let entry = keyring::Entry::new(APP_IDENTIFIER, &format!("supplier:{id}"))?;
    Ok(entry.get_password()?)
}

/// Replaces the store's key in the Secret Service; returns the one it held.
pub fn replace_keyring_store_key(data_dir: &Path, new_hex: &str) -> Result<String> {
    let old = keyring_store_key(data_dir)?;
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data_dir.join("store.json"))?)?;
    let id = manifest["store_id"]
        .as_str()
        .context("store_id in store.json")?;
    keyring::Entry::new(APP_IDENTIFIER, &format!("store-key:{id}"))?.set_password(new_hex)?;
    Ok(old)
}
