// The bundle budget check itself: a deliberately oversized build fails it, a small one passes.
// Random bytes do not compress, so a file of N random bytes weighs about N bytes in brotli.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { CEILINGS, FIRST_ROUTE_BUDGET, PAGE_BUDGET } = require('./bundle-budget.js');
const kb = (bytes) => (Math.max(bytes, 0) / 1000).toFixed(1).replace('.', '\\.');

function build(sizes) {
  const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-budget-'));
  const write = (name, bytes) => fs.writeFileSync(path.join(pkg, name), crypto.randomBytes(bytes));
  write('lightpath.aaaa.wasm', sizes.main);
  write('lightpath.bbbb.js', 5_000);
  write('__wasm_split.cccc.js', 1_000);
  write('chunk_1.dddd.wasm', sizes.shared);
  write('split_orders.eeee.wasm', sizes.orders);
  write('split_explore.ffff.wasm', 10_000);
  fs.writeFileSync(path.join(pkg, 'lightpath.gggg.css'), 'body{}');
  const manifest = { orders: ['chunk_1.dddd', 'split_orders.eeee'], explore: ['chunk_1.dddd', 'split_explore.ffff'] };
  fs.writeFileSync(path.join(pkg, '__wasm_split_manifest.hhhh.json'), JSON.stringify(manifest));
  return pkg;
}

function check(pkg) {
  const run = spawnSync(process.execPath, [path.join(__dirname, 'bundle-budget.js'), pkg, '--check'], { encoding: 'utf8' });
  fs.rmSync(pkg, { recursive: true, force: true });
  return run;
}

test('a build within its budgets passes', () => {
  const run = check(build({ main: 200_000, shared: 50_000, orders: 100_000 }));
  assert.strictEqual(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /orders \(orders, services\)\s+356\.\d KB\s+450\.0 KB  within budget/);
});

test('an oversized first route fails the check', () => {
  const run = check(build({ main: 300_000, shared: 10_000, orders: 10_000 }));
  assert.strictEqual(run.status, 1, run.stdout);
  const allowed = Math.max(FIRST_ROUTE_BUDGET, CEILINGS['first route'] || 0);
  assert.match(run.stderr, new RegExp(`first route \\(home, catalog\\): 30\\d\\.\\d KB, allowed ${kb(allowed)} KB`));
});

test('an oversized page fails the check and is named', () => {
  const run = check(build({ main: 200_000, shared: 50_000, orders: 700_000 }));
  assert.strictEqual(run.status, 1, run.stdout);
  const allowed = Math.max(PAGE_BUDGET, CEILINGS.orders || 0);
  assert.match(run.stderr, new RegExp(`orders \\(orders, services\\): 95\\d\\.\\d KB, allowed ${kb(allowed)} KB`));
  assert.doesNotMatch(run.stderr, /explore/);
});
