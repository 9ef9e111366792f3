#!/usr/bin/env bash
# Redocly's recommended rules, then Schemathesis against the REST API's own OpenAPI document:
# property-based requests to every operation (the public ones included) with an API token, checking that nothing answers 5xx and that every response
# matches its documented status, content type and schema. Runs the debug server on a fresh
# SQLite database with the demo data; installs Schemathesis (PyPI) into target/ when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
venv=target/schemathesis-venv
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "[install] schemathesis $SCHEMATHESIS_VERSION (PyPI) into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# The server binary the Rust tests build (the same selection as `make test`'s test steps, so
# after them this builds nothing; `cargo build -p server` resolves features without the
# tests' dev-dependencies and compiled the app and server again: 3.6 minutes on two cores).
cargo test --quiet --workspace --exclude frontend --no-run
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
data="$(mktemp -d)"
# No provisioning workers, so no webhook senders: subscriptions the fuzzer makes through the hub
# are never called (their callbacks are arbitrary hosts; this machine calls only itself).
LIGHTPATH_ADDR="127.0.0.1:$port" LIGHTPATH_DATA_DIR="$data" LIGHTPATH_DEMO_DATA=true \
  LIGHTPATH_API_REQUESTS_PER_MINUTE=1000000 LIGHTPATH_PROVISIONING_WORKERS=0 RUST_LOG=warn target/debug/server &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done

# The document itself passes Redocly's recommended rules with no error and no warning
# (Redocly CLI from end2end/'s npm dependencies; it exits non-zero on errors only).
curl -sf "$base/api/v1/openapi.json" >"$data/openapi.json"
lint="$(redocly lint --format=stylish "$data/openapi.json" 2>&1)" || { echo "$lint"; exit 1; }
if grep -qE '^\s+[0-9]+:[0-9]+\s+(error|warning)' <<<"$lint"; then
  echo "$lint"
  echo "error: Redocly reports warnings on the OpenAPI document" >&2
  exit 1
fi
echo "Redocly lint (recommended rules): 0 errors, 0 warnings"

# An org admin of the demo data makes a token, as in the portal.
jar="$data/cookies"
curl -sf -c "$jar" -o /dev/null -H 'sec-fetch-site: same-origin' \
  -d 'email=hal@globex.example&password=lightpath-demo-password' "$base/api/sign-in"
make_token() {
  curl -sf -b "$jar" -H 'sec-fetch-site: same-origin' \
    -d "name=Schemathesis $1&access=$1&expires_in_days=1" "$base/api/create-api-token" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])'
}
token="$(make_token full)"
admin_token="$(make_token admin)"

# CI replays one seed so a run is reproducible; elsewhere each run draws new cases.
seed=()
if [ "${CI:-}" = "true" ]; then seed=(--seed 20261202); fi
"$venv/bin/schemathesis" run "$base/api/v1/openapi.json" \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --max-time 120 "${seed[@]}"

# The hub, token and invoice calls answer only an organisation admin's token: a second,
# shorter pass with one, over those calls alone.
"$venv/bin/schemathesis" run "$base/api/v1/openapi.json" \
  -H "Authorization: Bearer $admin_token" --include-tag-regex '^(hub|billing)$' \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --max-time 40 "${seed[@]}"
