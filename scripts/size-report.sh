#!/usr/bin/env bash
# Builds the release bundle and prints the raw, gzip -9 and brotli -q 11 sizes of the wasm and
# JS the browser downloads for the first page. Budget: 250 KB brotli for wasm + JS together.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if [ "${1:-}" != "--no-build" ]; then
  cargo leptos build --release >&2
fi
node - <<'JS'
const fs = require('fs');
const zlib = require('zlib');
const files = ['target/site/pkg/lightpath.wasm', 'target/site/pkg/lightpath.js', 'target/site/pkg/lightpath.css'];
const kb = (n) => (n / 1000).toFixed(1).padStart(8) + ' KB';
let totalBrotli = 0;
console.log('file'.padEnd(40) + 'raw'.padStart(11) + 'gzip -9'.padStart(11) + 'brotli 11'.padStart(11));
for (const file of files) {
  const data = fs.readFileSync(file);
  const gzip = zlib.gzipSync(data, { level: 9 }).length;
  const brotli = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  if (!file.endsWith('.css')) totalBrotli += brotli;
  console.log(file.padEnd(40) + kb(data.length) + kb(gzip) + kb(brotli));
}
const budget = 250_000;
console.log(`\nwasm + JS, brotli: ${(totalBrotli / 1000).toFixed(1)} KB of the ${budget / 1000} KB budget` + (totalBrotli > budget ? '  (OVER BUDGET)' : ''));
JS
