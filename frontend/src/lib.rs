//! The browser entry point: hydrate the server-rendered page, then mark `<body>` as hydrated
//! so end-to-end tests (and anyone curious) know the page is interactive.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
