#!/usr/bin/env bash
# What each browser wasm file holds, named: per file, the areas that fetch it and its code by
# crate and by the app's own components (docs/benchmarks.md, "What each chunk holds, and
# forms…"). The shipped files carry no names; this splits the release build's pre-split module
# again, with the wasm-split cargo-leptos uses, and reads the names there. Sizes are before
# wasm-opt and brotli: they rank what to look at, `make size` measures.
#   scripts/chunk-contents.sh          (after `make size` or any release build with --split)
set -euo pipefail
cd "$(dirname "$0")/.."
module=target/front/wasm32-unknown-unknown/wasm-release/frontend.wasm
if [ ! -f "$module" ]; then
  echo "error: $module is missing: build the release site first (make size)" >&2
  exit 1
fi
CARGO_TARGET_DIR=target/chunk-contents cargo build --quiet --release --locked \
  --manifest-path scripts/chunk-contents/Cargo.toml
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
target/chunk-contents/release/chunk-contents "$module" "$out"
