# Shared set-up for scripts/run and scripts/test: installs what is missing, idempotently, and
# does nothing (fast) when everything is there. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
TAURI_DRIVER_VERSION="2.1.0"

# Debian packages the app needs to build and run.
BUILD_PACKAGES=(build-essential pkg-config libssl-dev libdbus-1-dev libwebkit2gtk-4.1-dev
  libayatana-appindicator3-dev librsvg2-dev libxdo-dev python3)
# ...and what the end-to-end tests add: a virtual display, a session bus, a Secret Service,
# the WebKit WebDriver, xdotool to count windows and dbus-monitor to see notifications.
TEST_PACKAGES=(xvfb dbus-x11 dbus-bin gnome-keyring webkit2gtk-driver xdotool)
# ...and what scripts/package and scripts/test-installed add: the desktop entry's validator.
PACKAGE_PACKAGES=(desktop-file-utils)

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  if ((${#missing[@]})); then
    step "installing Debian packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${missing[@]}"
  fi
}

ensure_toolchains() {
  command -v cargo >/dev/null || {
    echo "cargo is missing: install Rust (https://rustup.rs) and run this again" >&2
    exit 1
  }
  local node_major
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if ((node_major < 20)); then
    echo "Node.js 20 or newer is needed for the front end (found: $(node -v 2>/dev/null || echo none))" >&2
    exit 1
  fi
}

# npm dependencies of ui/, reinstalled only when package-lock.json changed.
ensure_ui_deps() {
  local stamp="$ROOT/ui/node_modules/.installed-lock"
  if [[ ! -f "$stamp" ]] || ! cmp -s "$ROOT/ui/package-lock.json" "$stamp"; then
    step "installing front-end packages (npm ci)"
    # The cache first (a tarball fetched before is not asked for again), and a registry that
    # stops answering is asked again after a minute rather than five.
    (cd "$ROOT/ui" && npm ci --prefer-offline --fetch-timeout=60000 --fetch-retries=4 \
      --no-audit --no-fund)
    cp "$ROOT/ui/package-lock.json" "$stamp"
  fi
}

ensure_tauri_driver() {
  if [[ ! -x "$TOOLS/bin/tauri-driver" ]]; then
    step "installing tauri-driver $TAURI_DRIVER_VERSION"
    cargo install tauri-driver --version "$TAURI_DRIVER_VERSION" --locked --root "$TOOLS"
  fi
}

# The Tauri CLI (bundler), pinned in ui/package.json like every other npm tool.
tauri_cli() {
  (cd "$ROOT/src-tauri" && "$ROOT/ui/node_modules/.bin/tauri" "$@")
}

build_ui() {
  step "building the front end"
  (cd "$ROOT/ui" && npm run --silent build)
}

# The app and the CLI, with the front end built into the binary.
build_app() {
  step "building the app and the CLI"
  (cd "$ROOT" && SQLX_OFFLINE=true cargo build -p dealer-portal -p dealer-cli)
}
