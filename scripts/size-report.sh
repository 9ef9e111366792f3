#!/usr/bin/env bash
# Builds the release bundle and prints the raw, gzip -9 and brotli -q 11 sizes of the wasm and
# JS the browser downloads for the first page. Budget: 250 KB brotli for wasm + JS together.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if [ "${1:-}" != "--no-build" ]; then
  cargo leptos build --release --split >&2
fi
node - <<'JS'
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const pkg = 'target/site/pkg';
const sizes = (file) => {
  const data = fs.readFileSync(path.join(pkg, file));
  return {
    raw: data.length,
    gzip: zlib.gzipSync(data, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const kb = (n) => (n / 1000).toFixed(1).padStart(9) + ' KB';
// The main module and glue load on every page; lazy routes add their chunks (cargo leptos --split).
const main = ['lightpath.wasm', 'lightpath.js'];
const chunks = fs.readdirSync(pkg).filter((f) => f.endsWith('.wasm') && !main.includes(f)).sort();
console.log('file'.padEnd(60) + 'raw'.padStart(12) + 'gzip -9'.padStart(12) + 'brotli 11'.padStart(12));
let firstRoute = 0;
for (const file of [...main, ...chunks, 'lightpath.css']) {
  const s = sizes(file);
  if (main.includes(file)) firstRoute += s.brotli;
  const label = chunks.includes(file) ? `${file} (lazy chunk)` : file;
  console.log(label.padEnd(60) + kb(s.raw) + kb(s.gzip) + kb(s.brotli));
}
const budget = 250_000;
console.log(`\nfirst route (main wasm + JS), brotli: ${(firstRoute / 1000).toFixed(1)} KB of the ${budget / 1000} KB budget` + (firstRoute > budget ? '  (OVER BUDGET)' : ''));
JS
