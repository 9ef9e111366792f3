//! The list of an organisation's saved designs: open, duplicate, delete.

use crate::components::format_utc;
use crate::components::layout::ProblemBanner;
use crate::components::layout::{mixes_organisations, organisation_column, DataTable, Empty, Loaded, Pager};
use crate::server_fns::designs::{delete_design, duplicate_design, list_designs};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::records::DesignSummary;

#[component]
pub fn DesignsPage() -> impl IntoView {
    let changes = RwSignal::new(0u64);
    let page = crate::components::layout::page_from_query();
    let designs = Resource::new(move || (changes.get(), page()), |(_, page)| list_designs(Some(page)));
    let navigate = crate::components::Navigator::new();
    let problem = RwSignal::new(None::<String>);
    // Each request handles its own answer: a copy opens, a deletion reloads the list.
    let duplicate = Action::new_local(move |id: &String| {
        let asked = duplicate_design(id.clone());
        async move {
            match asked.await {
                Ok(id) => navigate.go(&format!("/designs/{id}")),
                Err(error) => problem.set(Some(error.to_string())),
            }
        }
    });
    let delete = Action::new_local(move |id: &String| {
        let asked = delete_design(id.clone());
        async move {
            match asked.await {
                Ok(()) => changes.update(|n| *n += 1),
                Err(error) => problem.set(Some(error.to_string())),
            }
        }
    });
    view! {
        <Title text="Designs · Lightpath" />
        <section class="page-head with-action">
            <div>
                <h1>"Designs"</h1>
                <p class="lede">
                    "Workload designs of your organisation: drafts, saved designs and the ones you asked us to quote or order."
                </p>
            </div>
            <a href="/designs/new" class="button">
                "New design"
            </a>
        </section>
        <ProblemBanner message=problem />
        <Loaded
            rows=4
            data=designs
            empty=Empty {
                when: |listed| listed.items.is_empty() && listed.page == 0,
                title: "No designs yet",
                text: "Describe an AI workload and we will size, route and price it three ways.",
                href: "/designs/new",
                action: "Start a design",
            }
            let:listed
        >
            {
                let mixed = mixes_organisations(listed.items.iter().map(|row| &row.organisation.id));
                view! {
                    <DataTable
                        columns=&[
                            ("Design", ""),
                            ("Organisation", "hide-narrow"),
                            ("Status", ""),
                            ("Per month", "num"),
                            ("Updated", "hide-narrow"),
                            ("Actions", "visually-hidden"),
                        ]
                        without=organisation_column(mixed)
                    >
                        {listed
                            .items
                            .into_iter()
                            .map(|row| view! { <DesignRow row mixed duplicate delete /> })
                            .collect_view()}
                    </DataTable>
                }
            }
            <Pager page=listed.page more=listed.more path="/designs" />
        </Loaded>
    }
}

/// One design in the list, with its duplicate and delete buttons.
#[component]
fn DesignRow(
    row: DesignSummary,
    mixed: bool,
    duplicate: Action<String, ()>,
    delete: Action<String, ()>,
) -> impl IntoView {
    let id = row.id.to_string();
    let (dup, del) = (id.clone(), id.clone());
    let stages: Vec<&str> = row.stages.iter().map(|s| s.label()).collect();
    view! {
        <tr>
            <td>
                <a href=format!("/designs/{id}")>{row.name.clone()}</a>
                <br />
                <span class="muted small">{stages.join(" · ")}</span>
            </td>
            {mixed.then(|| view! { <td class="hide-narrow">{row.organisation.name.clone()}</td> })}
            <td>
                <span class=format!("status status-{}", row.intent.slug())>{row.intent.label()}</span>
            </td>
            <td class="num">
                {row.monthly_estimate().map_or_else(|| "—".to_owned(), |m| m.to_string())}
                {row
                    .price_book_version
                    .map(|v| {
                        view! {
                            <br />
                            <span class="muted small">{format!("price book v{v}")}</span>
                        }
                    })}
            </td>
            <td class="hide-narrow">{format_utc(row.updated_at_ms)}</td>
            <td class="row-actions">
                <button
                    type="button"
                    class="button button-small button-ghost"
                    aria-label=format!("Duplicate {}", row.name)
                    on:click=move |_| {
                        duplicate.dispatch(dup.clone());
                    }
                >
                    "Duplicate"
                </button>
                <button
                    type="button"
                    class="button button-small button-danger"
                    aria-label=format!("Delete {}", row.name)
                    on:click={
                        let question = format!("Delete “{}”? This cannot be undone.", row.name);
                        move |_| {
                            if window().confirm_with_message(&question).unwrap_or(false) {
                                delete.dispatch(del.clone());
                            }
                        }
                    }
                >
                    "Delete"
                </button>
            </td>
        </tr>
    }
}
