//! The browser entry point: hydrate the server-rendered page — waiting for the wasm chunks of
//! lazy routes — then mark `<body>` as hydrated so end-to-end tests (and anyone curious) know
//! the page is interactive.

use leptos::prelude::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // What `leptos::mount::hydrate_lazy` does, plus the marker once hydration has finished.
    _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let Some(body) = document().body() else { return };
        let owner = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        owner.forget();
        app::components::forms::mark_hydrated();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}

/// Room for wasm-split (`cargo leptos … --split`) to move each lazy area's constants out of the
/// main module. It re-packs `.rodata` per module (aligned, grouped) and keeps the whole segment
/// in main when the re-packed data is longer than the original ("Overlong segment 0 by 464
/// after relocation, putting it in main module"): then every string of every page ships on
/// the first route (+126 KB raw, +42 KB brotli, measured 2026-12-03). These bytes sit in
/// `.rodata` but no function refers to them, so they count in the original segment and not in
/// the re-packed one, and are not emitted.
#[used]
static SPLIT_DATA_SLACK: [u8; 8192] = [0xa5; 8192];
