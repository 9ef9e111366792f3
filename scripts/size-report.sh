#!/usr/bin/env bash
# Builds the release bundle and prints, per file and per page, the brotli -q 11 size the browser
# downloads, against the budgets (scripts/bundle-budget.js; docs/benchmarks.md).
#   scripts/size-report.sh [--no-build] [--check]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
build=true check=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    --check) check=(--check) ;;
  esac
done
if $build; then
  cargo leptos build --release --split --precompress >&2
fi
node scripts/bundle-budget.js target/site/pkg "${check[@]}"
