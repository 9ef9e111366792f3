//! The design wizard (describe an AI workload one step at a time, see three costed, routed
//! bundles, re-price them in the browser, save) and the list of saved designs.

mod bundles;
mod list;
mod steps;
mod wizard;

use crate::components::layout::Loaded;
use crate::routes::record_id;
use crate::server_fns::designs::load_wizard;
use leptos::prelude::*;
use leptos_meta::Title;
pub use list::DesignsPage;
use wizard::Wizard;

#[component]
pub fn NewDesignPage() -> impl IntoView {
    view! {
        <Title text="New design · Lightpath" />
        <DesignWizard id=Signal::stored(None) />
    }
}

#[component]
pub fn DesignPage() -> impl IntoView {
    let id = record_id();
    view! {
        <Title text="Design · Lightpath" />
        <DesignWizard id=Signal::derive(move || Some(id())) />
    }
}

/// The wizard on a new draft (`None`) or on a saved design, once its data is in.
#[component]
fn DesignWizard(id: Signal<Option<String>>) -> impl IntoView {
    let wizard = Resource::new(move || id.get(), load_wizard);
    view! {
        <Loaded data=wizard rows=5 let:data>
            <Wizard data />
        </Loaded>
    }
}
