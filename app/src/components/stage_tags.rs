//! Small labels naming the AI lifecycle stages a product serves.

use leptos::prelude::*;
use lightpath_domain::LifecycleStage;

#[component]
pub fn StageTags(stages: Vec<LifecycleStage>) -> impl IntoView {
    view! {
        <ul class="tags" aria-label="AI lifecycle stages">
            {stages
                .into_iter()
                .map(|stage| view! { <li class=format!("tag tag-{}", stage.slug())>{stage.label()}</li> })
                .collect_view()}
        </ul>
    }
}
