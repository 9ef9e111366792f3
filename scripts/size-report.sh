#!/usr/bin/env bash
# Builds the release bundle and prints the raw, gzip -9 and brotli -q 11 sizes of the wasm and
# JS the browser downloads for the first page. Budget: 250 KB brotli for wasm + JS together.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if [ "${1:-}" != "--no-build" ]; then
  cargo leptos build --release --split --precompress >&2
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
// The main module, its glue and the split loader load on every page; lazy areas add their
// modules and shared chunks (cargo leptos --split). Names carry content hashes (hash-files).
const files = fs.readdirSync(pkg);
const main = files.filter((f) => /^lightpath\.[^.]+\.(wasm|js)$/.test(f) || /^__wasm_split\.[^.]+\.js$/.test(f));
const chunks = files.filter((f) => f.endsWith('.wasm') && !main.includes(f)).sort();
const css = files.find((f) => /^lightpath\.[^.]+\.css$/.test(f));
console.log('file'.padEnd(60) + 'raw'.padStart(12) + 'gzip -9'.padStart(12) + 'brotli 11'.padStart(12));
let firstRoute = 0;
for (const file of [...main, ...chunks, css]) {
  const s = sizes(file);
  if (main.includes(file)) firstRoute += s.brotli;
  const label = chunks.includes(file) ? `${file} (lazy chunk)` : file;
  console.log(label.padEnd(60) + kb(s.raw) + kb(s.gzip) + kb(s.brotli));
}
// The main module's constants. wasm-split moves each lazy area's constants into its module,
// unless re-packing them overflows the original segment: then all of them stay in main and this
// jumps by ~125 KB (docs/benchmarks.md, "Why the main module jumped"; frontend/src/lib.rs).
const dataBytes = (file) => {
  const b = fs.readFileSync(path.join(pkg, file));
  const leb = (i) => { let r = 0, s = 0, x; do { x = b[i++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80); return [r >>> 0, i]; };
  for (let i = 8; i < b.length;) {
    const id = b[i];
    const [size, at] = leb(i + 1);
    if (id === 11) return size;
    i = at + size;
  }
  return 0;
};
const mainWasm = main.find((f) => f.endsWith('.wasm'));
if (mainWasm) console.log(`\nmain module data (constants): ${(dataBytes(mainWasm) / 1000).toFixed(1)} KB raw`);
const budget = 250_000;
console.log(`\nfirst route (main wasm + JS + split loader), brotli: ${(firstRoute / 1000).toFixed(1)} KB of the ${budget / 1000} KB budget` + (firstRoute > budget ? '  (OVER BUDGET)' : ''));
JS
