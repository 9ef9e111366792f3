#!/usr/bin/env bash
# Installs whatever is missing to build and run Lightpath on a fresh Debian machine.
# Every step is skipped when the pinned tool is already there, so it is cheap to re-run.
#   scripts/install-tools.sh          build + run tools (Rust target, cargo-leptos, wasm-bindgen, npm deps)
#   scripts/install-tools.sh --test   also Chromium and PostgreSQL for the test suite
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.129   # must equal the wasm-bindgen crate pinned in Cargo.toml
LEPTOSFMT_VERSION=0.1.33
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1;34m[install]\033[0m %s\n' "$*"; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Passkeys' webauthn-rs links the system's OpenSSL (openssl-sys finds it with pkg-config).
if ! pkg-config --exists openssl 2>/dev/null; then
  apt_install libssl-dev pkg-config
fi

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (a few minutes on 2 cores)"
  tmp_target="$(mktemp -d)"
  # cargo-leptos' own release profile is fat LTO with one codegen unit: most of a 13-minute
  # install goes to optimising a build driver whose speed hardly matters (it waits on cargo,
  # wasm-bindgen and wasm-opt). Thin local LTO and parallel codegen build it in a fraction.
  CARGO_TARGET_DIR="$tmp_target" CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=2 \
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  rm -rf "$tmp_target"
fi

# Playwright, axe, pa11y, Redocly CLI (OpenAPI lint) and binaryen (wasm-opt 132; Debian's binaryen
# breaks hydration, see docs). Neither Playwright nor pa11y's puppeteer downloads a browser: both
# drive Debian's Chromium.
if [ -f end2end/package-lock.json ] && { [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@axe-core/playwright ] || [ ! -x end2end/node_modules/.bin/redocly ] || [ ! -d end2end/node_modules/pa11y ]; }; then
  log "npm ci in end2end/"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "${1:-}" = "--test" ]; then
  # The view! formatter the test command checks (like cargo fmt --check for the rest).
  if ! leptosfmt --version 2>/dev/null | grep -q "$LEPTOSFMT_VERSION"; then
    log "cargo install leptosfmt $LEPTOSFMT_VERSION (about 2 minutes)"
    tmp_target="$(mktemp -d)"
    CARGO_TARGET_DIR="$tmp_target" cargo install leptosfmt --version "$LEPTOSFMT_VERSION" --locked
    rm -rf "$tmp_target"
  fi
  command -v chromium >/dev/null || apt_install chromium
  command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || apt_install postgresql
fi
log "tools ready"
