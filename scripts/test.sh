#!/usr/bin/env bash
# The whole test suite, exactly what CI runs (.ci/run calls `make test`, which calls this):
# formatting, clippy with warnings denied, Rust unit and HTTP tests on SQLite and on
# PostgreSQL, Schemathesis against the REST API's OpenAPI document, Playwright in Chromium
# against the release build, then the bundle budgets on that build's files.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-tools.sh --test
# A fresh clone never reuses incremental state: skip writing it (it costs gigabytes).
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1;32m== %s (%s)\033[0m\n' "$*" "$(date +%T)"; }

step "cargo fmt --check and leptosfmt --check (the view! macros)"
cargo fmt --all --check
leptosfmt --check --quiet app/src frontend/src

step "clippy (server build, ssr) and clippy (browser build, hydrate)"
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "the wasm build stays free of server-only crates"
for crate in tokio sqlx mio axum; do
  if [ -n "$(cargo tree -p frontend --target wasm32-unknown-unknown -e normal -i "$crate" 2>/dev/null)" ]; then
    echo "error: $crate is in the browser build; keep it behind the ssr feature" >&2
    exit 1
  fi
done

step "the layers: domain, application, adapters (ARCHITECTURE.md)"
scripts/layers.sh

# The release build the browser tests need takes most of CI's time on two cores; the test
# phases below leave a core idle much of theirs (waiting on servers, PostgreSQL, Python), so
# it starts now, beside them, and the Playwright step waits for it. The server binary is built
# without link-time optimisation and at opt-level 1: on two cores that is about half the
# server's build time, and these tests check behaviour, not speed (make perf measures the real
# release profile). The browser's wasm has its own profile (wasm-release: opt-level z, fat LTO)
# that these variables do not touch, so the bundle budgets measure exactly what `make run`
# serves. The Playwright step below serves exactly this build.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_OPT_LEVEL=1
mkdir -p target
release_log="$PWD/target/release-build.log"
step "the release build for the browser tests starts beside the tests (log: target/release-build.log)"
# In its own process group, so that a failing step, which ends the script, ends it too; at the
# lowest priority, so it takes the CPU the tests leave idle and never slows the tests down
# (beside a full-priority build, background work the HTTP tests wait for took minutes).
setsid nice -n 19 cargo leptos build --release --split --precompress > "$release_log" 2>&1 &
release_build=$!
trap 'kill -- "-$release_build" 2>/dev/null || true' EXIT

step "the bundle budget check fails an oversized build (its own tests)"
node --test scripts/bundle-budget.test.js

step "Rust tests on SQLite"
# The single sign-on tests sign in through a real OpenID Connect provider on loopback.
LIGHTPATH_TEST_OIDC_PROVIDER="$(scripts/oidc-provider.sh)"
export LIGHTPATH_TEST_OIDC_PROVIDER
cargo test --workspace --exclude frontend

step "HTTP tests on PostgreSQL"
if pg_url="$(scripts/postgres.sh)"; then
  # The same workspace-wide selection as above, so the features resolve the same and the test
  # binary built for SQLite is reused (`-p server` alone would build it again).
  LIGHTPATH_TEST_POSTGRES_URL="$pg_url" cargo test --workspace --exclude frontend --test api
elif [ "${CI:-}" = "true" ]; then
  echo "error: PostgreSQL could not be installed or started; CI requires the PostgreSQL run" >&2
  exit 1
else
  echo "warning: PostgreSQL is not available here, so the PostgreSQL run was skipped (CI never skips it)" >&2
fi

step "Schemathesis: the REST API against its OpenAPI document"
scripts/schemathesis.sh

step "Playwright end-to-end tests (release build, Chromium)"
if ! wait "$release_build"; then
  cat "$release_log" >&2
  echo "error: the release build failed (above)" >&2
  exit 1
fi
tail -n 3 "$release_log"
e2e_data="$(mktemp -d)"
# The build above is the one under test: serve it as `cargo leptos end-to-end` would, without
# generating the bundle it has just made again (two minutes of wasm-bindgen and wasm-opt).
# Every browser test signs in from 127.0.0.1: lift the per-address limit (tested over HTTP).
# The webhook test's receiver listens on 127.0.0.1: allow private callbacks for this server.
LIGHTPATH_DATA_DIR="$e2e_data" LIGHTPATH_AUTH_ATTEMPTS_PER_MINUTE=10000 LIGHTPATH_WEBHOOKS_ALLOW_PRIVATE=true \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=lightpath LEPTOS_HASH_FILES=true \
  target/release/server > target/e2e-server.log 2>&1 &
e2e_server=$!
trap 'kill "$e2e_server" 2>/dev/null || true; wait "$e2e_server" 2>/dev/null || true; rm -rf "$e2e_data"' EXIT
for _ in $(seq 1 150); do curl -sf http://127.0.0.1:3000/readyz >/dev/null && break; sleep 0.2; done
if ! curl -sf http://127.0.0.1:3000/readyz >/dev/null; then
  cat target/e2e-server.log >&2
  echo "error: the release server did not become ready (its log above)" >&2
  exit 1
fi
(cd end2end && npx playwright test)

step "bundle budgets: the release build's code per page, brotli 11 (docs/benchmarks.md)"
node scripts/bundle-budget.js target/site/pkg --check
