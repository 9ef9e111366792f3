//! The page for an address that matches nothing; answers HTTP 404.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    crate::set_http_status(404);
    view! {
        <Title text="Page not found · Lightpath" />
        <section class="problem">
            <p class="eyebrow">"404"</p>
            <h1>"We couldn’t find that page"</h1>
            <p>"The address may be mistyped, or the page has moved. These will get you going again:"</p>
            <p class="actions">
                <a href="/" class="button">
                    "Home"
                </a>
                <a href="/catalog" class="button button-ghost">
                    "Browse the catalog"
                </a>
            </p>
        </section>
    }
}
