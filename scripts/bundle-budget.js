// The browser bundle per page, as the browser gets it: each file compressed with brotli 11
// (what `--precompress` writes and the server sends), then what each page needs added up.
//
//   node scripts/bundle-budget.js [PKG_DIR] [--check]
//
// Prints every file, then one row per page: the first route (main wasm + its JS glue + the
// split loader, which every page loads) plus the lazy area the page's code is in and the
// shared chunks that area needs (`__wasm_split_manifest.*.json`, written by `--split`).
// With --check it exits 1 when a budget is exceeded (`make test` runs it on the release build).
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

// The budgets of issue 28, brotli bytes.
const FIRST_ROUTE_BUDGET = 250_000;
const PAGE_BUDGET = 450_000;
// Where a budget is not met yet, the most it may grow to: today's size (docs/benchmarks.md,
// "Bundle budgets"). A ceiling only ever comes down; once a page meets its budget its line goes.
// The one exception is a new feature's own measured cost, written down beside its number: the
// cloud consoles added 21 KB to the account area (+62 KB in orders, +47 KB in explore, or +10 KB
// on every page as an area of their own); cloud connections (issue 29) added 5.8 KB to account
// (the AWS console's hosted connections), 12.7 KB to explore (the configurator's cloud fields,
// drawn by the product page so the quote editor does not carry them: it was +9.2 KB there),
// 18.8 KB to orders (a service's cloud panel; its router configuration is a link to the REST
// read, not a server function: that was another 9.6 KB) and 2.5 KB to quotes (the configurator
// hands the cloud details to its order call). The cloud router (issue 29, stop 36) added 34.9 KB
// to orders (the router's panel, the VLAN change and one server function for both; most of it is
// chunk_23, 36 KB of code the product, design and quote pages share, which the service page now
// needs too: the next place to look), 4.7 KB to explore (the router's ASN field, the "Your side"
// choice, the link's prefill) and 0.5 KB to designs (a bundle's links to order its cloud items).
// Enterprise identity (issue 30, stop 37) added 48.5 KB to account (finer roles and the role
// choices, the organisation's audit log and its export, two-step sign-in with its set-up, code
// page and policy). Tried and measured before accepting it: one server function per page for the
// two-step steps and the admin's changes saved 1.5 KB only; admin as an area of its own took
// account to 695.8 KB but every other page grew 13–19 KB (60 files): not taken. Approvals inside
// the customer and fresh codes for sensitive changes (issue 30, stop 38) added 6.0 KB to orders
// (the order page's approval panel, as plain HTML forms: the same panel calling its server
// function from the page's code measured +12.0 KB, not kept) and 6.3 KB to account (the
// approval amount's card, "Confirm it's you" as a plain form, the pages' flags for it). Single
// sign-on (issue 30, stop 39) added 32.3 KB to account: the organisation page's single sign-on
// card (two forms with field errors, the claims of the last test, the break-glass choice; its
// records' decoders), the sign-in page's single sign-on form and its fixed messages, and the
// audit log's two date fields (4.0 KB of it); the next place to look is the card's two forms
// (the mode switch could be a plain form, as the approval panel is). Passkeys and planned
// maintenance (issues 30 and 31, stop 40) added 31.6 KB to account and 6.5 KB to orders: the
// account page's passkey list and add form, the four passkey buttons (their ceremonies are
// `public/passkeys.js`, 1.7 KB, loaded only by those pages, not wasm), the network operations
// page's maintenance form and list, the dashboard's notices; the service page's notices. Notices
// reach the pages as text worded on the server (their rich record, with enums, was 6.8 KB more),
// and the service page lists them itself: one component shared by both areas cost orders 8.4 KB
// of the account area's code. Outages and invoices (issue 31, stop 41) added 3.7 KB to account
// (the network operations page's outage form; outages reach every other page as the notices'
// text) and 21.1 KB to quotes: the invoices list and the printable invoice, in the area of the
// printable quote; two pages, each with its loader and table, all text worded on the server.
// Where those 21 KB go (two `Loaded` instances and their server functions' decoders) is the
// next size lead. Orders +2.4 KB: the service page's Down badge and its link to the outage.
// Usage per service (issue 31, stop 42) added 4.5 KB to orders: the usage card's loader (one
// server function and resource, the range read from the address) and the notices of its plain
// alert forms. The card itself (tabs, figures, the SVG chart, its table, the alert's forms) is
// markup rendered on the server and placed as is: as components it cost 31 KB. Stop 43 folded
// the card into the service's own loader: orders 597.2 → 594.9 KB (the Google banner's words
// included), ceiling 600 → 598. Google's PENDING_CUSTOMER (issue 29, stop 43) added 3.5 KB to
// account: the console's pre-activation checkbox, the attachments' state column and Activate
// button, the two new fields of a key's record. Measured before accepting it: Activate as a plain
// form with a notice on the page it answers with was 914.1 KB, without the notice 913.3 KB, both
// more than the button in the page's code (911.6 KB): not taken. Accepting a quote that holds
// cloud items (issue 29, stop 44) added 38.3 KB to quotes: the quote page's list of the cloud
// items waiting for the buyer's details (9 KB with their record's decoder) and the item's own
// page, which orders it with the product page's cloud fields (29 KB: the page, its loader and
// order call, and the fields now in a chunk the quote pages share with the product page).
// Measured before accepting it: the page in the explore area, beside those fields, made every
// product and network page 28 KB heavier (652.6 KB) and quotes still 9 KB; drawn there without
// `Loaded` and with the date formatted by the server, 28 KB; in quotes without `Loaded`, 4.5 KB
// more than with it. The item's state as a tagged, flattened enum was 5 KB more in each area.
// The first route (main module) grew 0.5–0.9 KB with it across builds (254.7–255.1 → 255.6 KB:
// the new route and its two server functions' stubs): ceiling 256 → 257 KB.
// Stop 46: serde's unexpected-float message no longer formats the float in the browser
// (vendor/README.md), which took Rust's float formatter out of the main module: every page
// 7.7–8.7 KB lighter, and the first route (255.7 → 247.4 KB) within its budget, so it has no
// ceiling any more. Stop 47: forms post their own fields instead of Leptos' `ActionForm`
// decoding and re-encoding them with `serde_qs` (app/src/components/form_action.rs): account
// −62.1 KB, explore −19.9, quotes −19.5, designs −0.5, orders unchanged. Stop 48: views
// type-erased (`--cfg erase_components`, .cargo/config.toml): account 840.6 → 573.4 KB,
// designs 622.9 → 485.8, explore 597.6 → 472.8, orders 586.1 → 455.7, quotes 825.7 → 620.2,
// first route 247.6 → 229.4. Then wasm-opt until it converges (Cargo.toml): every page 1.8–4.9
// KB lighter. Stop 49: a service's cloud connection and cloud router panels drawn on the
// server, as the usage card is (their records' decoders and views out of the page's code):
// orders 453.7 → 441.7 KB, within its budget, so its ceiling went. One lazy route type instead
// of one per route: 0.9–1.4 KB off every page (first route 228.0, account 564.6, orders 440.3).
// Each ceiling keeps about 3 KB above the measure.
const CEILINGS = {
  account: 568_000,
  designs: 486_000,
  explore: 474_000,
  quotes: 619_000,
};
// The pages whose code is in each lazy area (`app/src/routes/mod.rs`); home and catalog are in
// the main module.
const AREAS = {
  main: 'home, catalog',
  explore: 'a product, the network',
  account: 'sign-in, account, dashboard, organisations, tokens, webhooks, cloud consoles, admin',
  designs: 'designs, the wizard',
  quotes: 'quotes, the editor, approvals',
  orders: 'orders, services',
};

function measure(pkg) {
  const files = fs.readdirSync(pkg);
  const brotli = (file) => {
    const data = fs.readFileSync(path.join(pkg, file));
    return {
      raw: data.length,
      brotli: zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  };
  // The manifest names each file without its `.wasm` (and with its hash, in release builds).
  const stem = (file) => file.replace(/\.wasm$/, '');
  const main = files.filter((f) => /^lightpath\.[^.]+\.(wasm|js)$/.test(f) || /^__wasm_split\.[^.]+\.js$/.test(f));
  const lazy = files.filter((f) => f.endsWith('.wasm') && !main.includes(f)).sort();
  const sizes = new Map([...main, ...lazy].map((f) => [f, brotli(f)]));
  const manifestFile = files.find((f) => /^__wasm_split_manifest\.[^.]+\.json$/.test(f));
  const manifest = manifestFile ? JSON.parse(fs.readFileSync(path.join(pkg, manifestFile), 'utf8')) : {};
  const byStem = new Map(lazy.map((f) => [stem(f), f]));
  const firstRoute = main.reduce((sum, f) => sum + sizes.get(f).brotli, 0);
  const pages = [{ name: 'first route', pages: AREAS.main, bytes: firstRoute, budget: FIRST_ROUTE_BUDGET }];
  for (const [area, needs] of Object.entries(manifest)) {
    const own = needs.reduce((sum, name) => sum + (byStem.has(name) ? sizes.get(byStem.get(name)).brotli : 0), 0);
    pages.push({ name: area, pages: AREAS[area] || area, bytes: firstRoute + own, budget: PAGE_BUDGET });
  }
  const mainWasm = main.find((f) => f.endsWith('.wasm'));
  return { sizes, pages, mainData: mainWasm ? dataBytes(fs.readFileSync(path.join(pkg, mainWasm))) : 0 };
}

// The size of a wasm module's data section: its constants. wasm-split moves each lazy area's
// constants into its module unless re-packing them overflows the original segment; then all of
// them stay in main and this jumps by ~125 KB (docs/benchmarks.md, "Why the main module jumped";
// frontend/src/lib.rs).
function dataBytes(b) {
  const leb = (i) => {
    let r = 0, s = 0, x;
    do { x = b[i++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80);
    return [r >>> 0, i];
  };
  for (let i = 8; i < b.length;) {
    const id = b[i];
    const [size, at] = leb(i + 1);
    if (id === 11) return size;
    i = at + size;
  }
  return 0;
}

function report({ sizes, pages, mainData }) {
  const kb = (n) => (n / 1000).toFixed(1).padStart(9) + ' KB';
  console.log('file'.padEnd(60) + 'raw'.padStart(12) + 'brotli 11'.padStart(12));
  for (const [file, s] of sizes) console.log(file.padEnd(60) + kb(s.raw) + kb(s.brotli));
  console.log(`\nmain module data (constants): ${(mainData / 1000).toFixed(1)} KB raw`);
  console.log('\n' + 'page code (main + area + its chunks)'.padEnd(44) + 'brotli'.padStart(12) + 'budget'.padStart(12) + '  ');
  const failures = [];
  for (const page of pages) {
    const ceiling = CEILINGS[page.name];
    const allowed = Math.max(page.budget, ceiling || 0);
    let verdict = page.bytes <= page.budget ? 'within budget' : `over budget by ${kb(page.bytes - page.budget).trim()}`;
    if (page.bytes > page.budget && ceiling) verdict += `, ceiling ${kb(ceiling).trim()}`;
    if (page.bytes > allowed) failures.push(`${page.name} (${page.pages}): ${kb(page.bytes).trim()}, allowed ${kb(allowed).trim()}`);
    const label = `${page.name} (${page.pages})`;
    console.log(label.slice(0, 43).padEnd(44) + kb(page.bytes) + kb(page.budget) + '  ' + verdict);
  }
  return failures;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const pkg = args.find((a) => !a.startsWith('--')) || 'target/site/pkg';
  const failures = report(measure(pkg));
  if (args.includes('--check') && failures.length) {
    console.error('\nerror: the browser bundle grew past what is allowed:\n  ' + failures.join('\n  '));
    console.error('Find what the change added to these pages (docs/benchmarks.md, "Bundle budgets").');
    process.exit(1);
  }
}

module.exports = { measure, report, FIRST_ROUTE_BUDGET, PAGE_BUDGET, CEILINGS };
