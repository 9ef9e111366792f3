#!/usr/bin/env bash
# The arrows between the layers (ARCHITECTURE.md), checked from `cargo tree` and the sources:
#   - the domain depends on no IO, UI or web crate;
#   - the application crate (lightpath-app) depends on no Leptos crate and no web framework;
#   - the REST API (server/src/api) and the application crate never import the UI's server
#     functions (`server_fns`);
#   - server functions never touch the store: they call a use case.
# Prints each broken rule and exits 1 when there is one.
set -euo pipefail
cd "$(dirname "$0")/.."

broken=0
fail() { echo "layer check: $*" >&2; broken=1; }

# Crates a layer's whole dependency tree (every feature on) must not contain.
forbidden_in() {
  local package="$1" pattern="$2" why="$3" found
  found="$(cargo tree -p "$package" --all-features -e normal --prefix none --format '{p}' 2>/dev/null \
    | awk '{print $1}' | sort -u | grep -E "$pattern" || true)"
  if [ -n "$found" ]; then
    fail "$package depends on $(echo "$found" | tr '\n' ' ')— $why"
  fi
}
forbidden_in lightpath-domain '^(leptos.*|sqlx.*|tokio|axum|hyper|server_fn)$' \
  "the domain is pure: no IO, no UI"
forbidden_in lightpath-app '^(leptos.*|axum|hyper|tower.*)$' \
  "the application layer knows no UI framework and no HTTP"

# Source arrows. A match prints file:line.
no_match() {
  local pattern="$1" why="$2"; shift 2
  local found
  found="$(grep -rnE "$pattern" "$@" --include='*.rs' || true)"
  if [ -n "$found" ]; then
    fail "$why:"
    echo "$found" >&2
  fi
}
no_match 'server_fns' "the REST API and the application layer call use cases, never the UI's server functions" \
  server/src/api app/usecases/src
no_match '\bleptos' "the application layer does not use Leptos" app/usecases/src
# Server functions reach data only through `lightpath_app`: no store calls, no store imports
# (the adapter module builds the Caller from the store the server provides).
no_match '\.store\b|lightpath_store' "server functions call a use case instead of the store" \
  $(ls app/src/server_fns/*.rs | grep -v '/mod.rs$')

if [ "$broken" -ne 0 ]; then
  exit 1
fi
echo "layer check: every arrow points the allowed way"
