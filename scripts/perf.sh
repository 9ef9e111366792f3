#!/usr/bin/env bash
# `make perf`: builds the release site, starts it on a fresh SQLite database with the demo data,
# and prints what a visitor gets (docs/benchmarks.md keeps the figures):
#   1. per page: bytes on the wire, requests, code files, time to hydrated on loopback and
#      throttled (Chromium's own counters, end2end/bench/first-load.mjs), and a second visit;
#   2. Lighthouse 12 performance (mobile preset) for home, catalog, a product, the network and,
#      with a buyer's session cookie, the new-design and order pages;
#   3. server throughput with wrk, 64 connections, beside /healthz in the same run.
#   scripts/perf.sh [--no-build] [--only browser|lighthouse|server]
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --only) only="$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
wants() { [ -z "$only" ] || [ "$only" = "$1" ]; }

scripts/install-tools.sh --test
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Lighthouse 12 (13 needs a newer Node than Debian's), kept out of the test dependencies.
tools=target/perf-tools
if wants lighthouse && [ ! -x "$tools/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error -E lighthouse@12.2.3 >/dev/null
fi

if [ "$build" = 1 ]; then
  cargo leptos build --release --split --precompress
fi

port=3900
base="http://127.0.0.1:$port"
data="$(mktemp -d)"
LIGHTPATH_ADDR="127.0.0.1:$port" LIGHTPATH_DATA_DIR="$data" LEPTOS_SITE_ROOT=target/site LEPTOS_HASH_FILES=true \
  LIGHTPATH_AUTH_ATTEMPTS_PER_MINUTE=10000 RUST_LOG=warn target/release/server >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.5; done

if wants browser; then
  printf '\n## Pages in Chromium (loopback, then 150 ms RTT / 1.6 Mbps / 4x CPU)\n\n'
  (cd end2end && node bench/first-load.mjs "$base")
fi

# A buyer's session, for the signed-in pages and the dashboard's throughput.
cookie="$(curl -s -o /dev/null -D - -H 'sec-fetch-site: same-origin' \
  --data-urlencode email=grace@acme.example --data-urlencode password=lightpath-demo-password \
  "$base/api/sign-in" | sed -n 's/^set-cookie: \(__Host-lightpath-session=[^;]*\).*/\1/Ip')"

if wants lighthouse; then
  # The buyer's newest order (the browser step above places one when there is none).
  order="$(curl -s -X POST -H 'sec-fetch-site: same-origin' -H "Cookie: $cookie" -H 'Accept: application/json' \
    --data '' "$base/api/orders" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const p=JSON.parse(s);console.log(p.items[0]?.id??"")}catch{console.log("")}})')"
  printf '\n## Lighthouse 12.2.3, mobile preset, performance\n\n| page | score | FCP | LCP | TBT | TTI |\n|---|---|---|---|---|---|\n'
  for target in "/" "/catalog" "/products/wavelengths-400g" "/network" "/designs/new|signed in" ${order:+"/orders/$order|signed in"}; do
    path="${target%%|*}"
    headers=()
    label="$path"
    if [ "$target" != "$path" ]; then
      headers=(--extra-headers "{\"Cookie\": \"$cookie\"}")
      label="$path (signed in)"
    fi
    report="$(mktemp)"
    CHROME_PATH=/usr/bin/chromium "$tools/node_modules/.bin/lighthouse" "$base$path" --quiet \
      --only-categories=performance --output=json --output-path="$report" "${headers[@]}" \
      --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking" >/dev/null 2>&1 || true
    node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const a = (id) => r.audits[id].displayValue.replace(/\s/g, " ");
      console.log(`| ${process.argv[2]} | ${Math.round(r.categories.performance.score * 100)} | ${a("first-contentful-paint")} | ${a("largest-contentful-paint")} | ${a("total-blocking-time")} | ${a("interactive")} |`);
    ' "$report" "$label" || echo "| $label | lighthouse failed | | | | |"
    rm -f "$report"
  done
fi

if wants server; then
  printf '\n## Server throughput: wrk, 2 threads, 64 connections, 10 s each, on this machine\n\n'
  printf '| endpoint | req/s | p50 | p99 | req/s, brotli | p99, brotli |\n|---|---|---|---|---|---|\n'
  measure() { # path, extra header: prints "req/s p50 p99"
    wrk -t2 -c64 -d10s --latency ${2:+-H "$2"} ${3:+-H "$3"} "$base$1" |
      awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "%d %s %s", rps, p50, p99}'
  }
  for target in "/healthz" "/api/v1/products" "/" "/catalog" "/network" "/dashboard|$cookie"; do
    path="${target%%|*}"
    auth=""
    [ "$target" != "$path" ] && auth="Cookie: ${target#*|}"
    read -r rps p50 p99 <<<"$(measure "$path" "$auth")"
    read -r brps _ bp99 <<<"$(measure "$path" "$auth" "Accept-Encoding: br, gzip")"
    label="$path"
    [ -n "$auth" ] && label="$path (signed in)"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "$brps" "$bp99"
  done
fi
