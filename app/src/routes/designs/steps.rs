//! The wizard's steps: the workload, edge sites, one step per lifecycle stage, and the review.

use super::wizard::Step;
use crate::components::forms::{
    error_id, field_id, find_problem, problem_in, ChoiceGroup, FieldProblems, FormField, TextField,
};
use crate::components::site_picker::SitePicker;
use crate::server_fns::designs::SiteChoice;
use leptos::prelude::*;
use lightpath_domain::design::{DesignDraft, EdgeSiteDraft, IngestSource, Redundancy};
use lightpath_domain::recommend::edge_reach_problem;
use lightpath_domain::{LifecycleStage, Product, SiteKind, Term};

/// The problem of `field` from the last submit, for the wizard's own fieldsets.
pub(super) fn problem_for(problems: FieldProblems, field: &str) -> Option<String> {
    problems.with(|found| find_problem(found, field))
}

/// A text field bound to one field of the draft (the shared [`TextField`], named the way
/// the server names its problems: `training.hours`).
#[component]
pub(super) fn TextInput(
    problems: FieldProblems,
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    set: Callback<String>,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] numeric: bool,
    /// A check of the value as it is typed, shown before the server's problem.
    #[prop(optional)]
    check: Option<fn(&str) -> Option<String>>,
) -> impl IntoView {
    let id = field_id(&field);
    let server = problem_in(problems, field);
    let message =
        Signal::derive(move || check.and_then(|check| value.with(|text| check(text))).or_else(|| server.get()));
    view! { <TextField id label message bind=(value, set) hint inputmode=numeric.then_some("numeric") /> }
}

/// A site picker bound to one field of the draft.
#[component]
pub(super) fn SiteSelect(
    problems: FieldProblems,
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    set: Callback<String>,
    sites: StoredValue<Vec<SiteChoice>>,
    kinds: &'static [SiteKind],
    #[prop(default = "Choose a site")] placeholder: &'static str,
) -> impl IntoView {
    let id = field_id(&field);
    let message = problem_in(problems, field);
    view! { <SitePicker id label value set sites kinds message placeholder /> }
}

/// A getter and setter for one text field of the draft.
pub(super) fn bind(
    draft: RwSignal<DesignDraft>,
    get: fn(&DesignDraft) -> &String,
    put: fn(&mut DesignDraft) -> &mut String,
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || draft.with(|d| get(d).clone())),
        Callback::new(move |value| draft.update(|d| *put(d) = value)),
    )
}

#[component]
pub(super) fn WorkloadStep(
    draft: RwSignal<DesignDraft>,
    problems: FieldProblems,
    sites: StoredValue<Vec<SiteChoice>>,
    /// The products of the catalog items kept in the design, to name them.
    chosen_products: StoredValue<Vec<Product>>,
) -> impl IntoView {
    let (name, set_name) = bind(draft, |d| &d.name, |d| &mut d.name);
    view! {
        <h2>"Your workload"</h2>
        <TextInput
            problems
            field="name"
            label="Design name"
            value=name
            set=set_name
            hint="For example “Vision models for our stores”."
        />
        <StageChoices draft problems />
        <Show when=move || draft.with(|d| !d.chosen_items.is_empty())>
            <ChosenItems draft sites chosen_products />
        </Show>
        <div class="field-row">
            <TermChoice draft problems />
            <RedundancyChoice draft />
        </div>
    }
}

/// The lifecycle stages the workload needs connected.
#[component]
fn StageChoices(draft: RwSignal<DesignDraft>, problems: FieldProblems) -> impl IntoView {
    view! {
        <ChoiceGroup
            legend="Which stages of your AI workload need connecting?"
            error_id="stages-error"
            message=problem_in(problems, "stages")
        >
            {LifecycleStage::ALL
                .into_iter()
                .map(|stage| {
                    view! {
                        <label class="choice">
                            <input
                                type="checkbox"
                                prop:checked=move || draft.with(|d| d.stages.contains(&stage))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    draft
                                        .update(|d| {
                                            d.stages.retain(|s| *s != stage);
                                            if on {
                                                d.stages.push(stage);
                                                d.stages.sort();
                                            }
                                        });
                                }
                            />
                            <span>
                                <strong>{stage.label()}</strong>
                                <span class="hint">{stage.need()}</span>
                            </span>
                        </label>
                    }
                })
                .collect_view()}
        </ChoiceGroup>
    }
}

/// Catalog items the buyer configured and kept in this design, each with Remove.
#[component]
fn ChosenItems(
    draft: RwSignal<DesignDraft>,
    sites: StoredValue<Vec<SiteChoice>>,
    chosen_products: StoredValue<Vec<Product>>,
) -> impl IntoView {
    // By the names a person reads, not the catalog's and the network's ids.
    let describe = move |config: &lightpath_domain::configure::Configuration| {
        chosen_products.with_value(|products| {
            sites.with_value(|sites| {
                config.describe(products, |id| sites.iter().find(|site| &site.id == id).map(|site| site.name.clone()))
            })
        })
    };
    let remove = move |index: usize| {
        draft.update(|d| {
            if index < d.chosen_items.len() {
                d.chosen_items.remove(index);
            }
        })
    };
    view! {
        <section class="chosen-items" aria-labelledby="chosen-title">
            <h3 id="chosen-title">"Chosen from the catalog"</h3>
            <p class="muted">"Kept in every bundle at their own term, next to what your workload needs."</p>
            <ul class="plain">
                {move || {
                    draft
                        .with(|d| {
                            d.chosen_items
                                .iter()
                                .enumerate()
                                .map(|(index, config)| {
                                    view! {
                                        <li>
                                            {describe(config)}" "
                                            <button
                                                type="button"
                                                class="button button-small button-ghost"
                                                on:click=move |_| remove(index)
                                            >
                                                "Remove"
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        })
                }}
            </ul>
        </section>
    }
}

#[component]
fn TermChoice(draft: RwSignal<DesignDraft>, problems: FieldProblems) -> impl IntoView {
    view! {
        <div class="field">
            <label for="field-term_months">"Term"</label>
            <select
                id="field-term_months"
                aria-describedby="term-error"
                on:change=move |ev| {
                    let months = event_target_value(&ev);
                    draft.update(|d| d.term_months = months);
                }
            >
                {Term::ALL
                    .into_iter()
                    .map(|term| {
                        let months = term.months().to_string();
                        let selected = {
                            let months = months.clone();
                            move || draft.with(|d| d.term_months == months)
                        };
                        view! {
                            <option value=months selected=selected>
                                {term.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="hint">"Longer terms cost less per month."</p>
            <p class="field-error" id="term-error" role="alert">
                {move || problem_for(problems, "term_months")}
            </p>
        </div>
    }
}

#[component]
fn RedundancyChoice(draft: RwSignal<DesignDraft>) -> impl IntoView {
    view! {
        <fieldset class="choices compact">
            <legend>"Redundancy"</legend>
            {Redundancy::ALL
                .into_iter()
                .map(|redundancy| {
                    view! {
                        <label class="choice">
                            <input
                                type="radio"
                                name="redundancy"
                                prop:checked=move || draft.with(|d| d.redundancy == redundancy)
                                on:change=move |_| draft.update(|d| d.redundancy = redundancy)
                            />
                            <span>{redundancy.label()}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
pub(super) fn EdgeSitesStep(
    draft: RwSignal<DesignDraft>,
    problems: FieldProblems,
    sites: StoredValue<Vec<SiteChoice>>,
) -> impl IntoView {
    let count = move || draft.with(|d| d.edge_sites.len());
    let list_problem = move || problem_for(problems, "edge_sites");
    view! {
        <h2>"Edge sites"</h2>
        <p class="muted">
            "Stores, factories, offices: each by its metro, a name and how far it is from our hub there (we serve up to 25 km; within 2 km is on our network)."
        </p>
        <p class="field-error" role="alert">
            {list_problem}
        </p>
        <ol class="edge-sites">
            {move || {
                (0..count())
                    .map(|index| {
                        let field = move |part: &str| format!("edge_sites.{index}.{part}");
                        let get = move |read: fn(&EdgeSiteDraft) -> String| Signal::derive(move || {
                            draft.with(|d| d.edge_sites.get(index).map(read).unwrap_or_default())
                        });
                        let put = move |write: fn(&mut EdgeSiteDraft, String)| Callback::new(move |value: String| {
                            draft
                                .update(|d| {
                                    if let Some(site) = d.edge_sites.get_mut(index) {
                                        write(site, value)
                                    }
                                })
                        });
                        view! {
                            <li class="edge-site">
                                <TextInput
                                    problems
                                    field=field("name")
                                    label=format!("Site {} name", index + 1)
                                    value=get(|s| s.name.clone())
                                    set=put(|s, v| s.name = v)
                                />
                                <SiteSelect
                                    problems
                                    field=field("metro")
                                    label="Metro"
                                    value=get(|s| s.metro.clone())
                                    set=put(|s, v| s.metro = v)
                                    sites
                                    kinds=&[SiteKind::Metro]
                                    placeholder="Choose a metro"
                                />
                                <TextInput
                                    problems
                                    field=field("distance_km")
                                    label="Distance from our hub (km)"
                                    value=get(|s| s.distance_km.clone())
                                    set=put(|s, v| s.distance_km = v)
                                    numeric=true
                                    check=edge_reach_problem
                                />
                                <button
                                    type="button"
                                    class="button button-small button-danger"
                                    aria-label=format!("Remove site {}", index + 1)
                                    on:click=move |_| {
                                        draft
                                            .update(|d| {
                                                if index < d.edge_sites.len() {
                                                    d.edge_sites.remove(index);
                                                }
                                            })
                                    }
                                >
                                    "Remove"
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ol>
        <button
            type="button"
            class="button button-ghost"
            on:click=move |_| {
                draft
                    .update(|d| {
                        d.edge_sites
                            .push(EdgeSiteDraft {
                                distance_km: "1".into(),
                                ..EdgeSiteDraft::default()
                            })
                    })
            }
        >
            "Add an edge site"
        </button>
    }
}

pub(super) const NETWORK_SITES: &[SiteKind] = &[SiteKind::DataCenter, SiteKind::CloudOnRamp, SiteKind::Metro];
pub(super) const DATA_CENTRES: &[SiteKind] = &[SiteKind::DataCenter];

#[component]
pub(super) fn IngestionStep(
    draft: RwSignal<DesignDraft>,
    problems: FieldProblems,
    sites: StoredValue<Vec<SiteChoice>>,
) -> impl IntoView {
    let (landing, set_landing) = bind(draft, |d| &d.ingestion.landing, |d| &mut d.ingestion.landing);
    let (tb, set_tb) = bind(draft, |d| &d.ingestion.tb_per_day, |d| &mut d.ingestion.tb_per_day);
    let (peak, set_peak) = bind(draft, |d| &d.ingestion.peak_hours, |d| &mut d.ingestion.peak_hours);
    view! {
        <h2>"Data ingestion"</h2>
        <fieldset class="choices compact">
            <legend>"Where does the data come from?"</legend>
            {[
                (IngestSource::Internet, "The internet (partners, public sources)"),
                (IngestSource::EdgeSites, "Our edge sites"),
            ]
                .into_iter()
                .map(|(source, label)| {
                    view! {
                        <label class="choice">
                            <input
                                type="radio"
                                name="ingest-source"
                                prop:checked=move || draft.with(|d| d.ingestion.source == source)
                                on:change=move |_| draft.update(|d| d.ingestion.source = source)
                            />
                            <span>{label}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
        <SiteSelect
            problems
            field="ingestion.landing"
            label="Where it lands"
            value=landing
            set=set_landing
            sites
            kinds=NETWORK_SITES
        />
        <div class="field-row">
            <TextInput
                problems
                field="ingestion.tb_per_day"
                label="Volume per day (TB)"
                value=tb
                set=set_tb
                numeric=true
            />
            <TextInput
                problems
                field="ingestion.peak_hours"
                label="Hours a day it arrives in"
                value=peak
                set=set_peak
                numeric=true
                hint="24 if it is spread over the day."
            />
        </div>
    }
}

#[component]
pub(super) fn TrainingStep(
    draft: RwSignal<DesignDraft>,
    problems: FieldProblems,
    sites: StoredValue<Vec<SiteChoice>>,
) -> impl IntoView {
    let (cluster, set_cluster) = bind(draft, |d| &d.training.cluster, |d| &mut d.training.cluster);
    let (data_site, set_data_site) = bind(draft, |d| &d.training.data_site, |d| &mut d.training.data_site);
    let (tb, set_tb) = bind(draft, |d| &d.training.dataset_tb, |d| &mut d.training.dataset_tb);
    let (hours, set_hours) = bind(draft, |d| &d.training.hours, |d| &mut d.training.hours);
    let (second, set_second) = bind(draft, |d| &d.training.second_cluster, |d| &mut d.training.second_cluster);
    let (power, set_power) = bind(draft, |d| &d.training.power_kw, |d| &mut d.training.power_kw);
    view! {
        <h2>"Training"</h2>
        <div class="field-row">
            <SiteSelect
                problems
                field="training.cluster"
                label="Where the cluster sits"
                value=cluster
                set=set_cluster
                sites
                kinds=DATA_CENTRES
                placeholder="Choose a data centre"
            />
            <SiteSelect
                problems
                field="training.data_site"
                label="Where the data lives"
                value=data_site
                set=set_data_site
                sites
                kinds=NETWORK_SITES
            />
        </div>
        <div class="field-row">
            <TextInput
                problems
                field="training.dataset_tb"
                label="Dataset size (TB)"
                value=tb
                set=set_tb
                numeric=true
            />
            <TextInput
                problems
                field="training.hours"
                label="Hours it may take to move"
                value=hours
                set=set_hours
                numeric=true
            />
        </div>
        <div class="field-row">
            <SiteSelect
                problems
                field="training.second_cluster"
                label="Second cluster to interconnect (optional)"
                value=second
                set=set_second
                sites
                kinds=DATA_CENTRES
                placeholder="None"
            />
            <TextInput
                problems
                field="training.power_kw"
                label="Cluster power in our colocation (kW, optional)"
                value=power
                set=set_power
                numeric=true
                hint="Leave empty if the cluster is hosted elsewhere."
            />
        </div>
    }
}

#[component]
pub(super) fn InferenceStep(
    draft: RwSignal<DesignDraft>,
    problems: FieldProblems,
    sites: StoredValue<Vec<SiteChoice>>,
) -> impl IntoView {
    let (serving, set_serving) = bind(draft, |d| &d.inference.serving, |d| &mut d.inference.serving);
    let (latency, set_latency) = bind(draft, |d| &d.inference.latency_ms, |d| &mut d.inference.latency_ms);
    let (mbps, set_mbps) = bind(draft, |d| &d.inference.mbps_per_site, |d| &mut d.inference.mbps_per_site);
    let (users, set_users) = bind(draft, |d| &d.inference.users, |d| &mut d.inference.users);
    view! {
        <h2>"Inference and serving"</h2>
        <SiteSelect
            problems
            field="inference.serving"
            label="Where the model is served"
            value=serving
            set=set_serving
            sites
            kinds=&[SiteKind::DataCenter, SiteKind::CloudOnRamp]
        />
        <div class="field-row">
            <TextInput
                problems
                field="inference.latency_ms"
                label="Round-trip latency target (ms)"
                value=latency
                set=set_latency
                numeric=true
            />
            <TextInput
                problems
                field="inference.mbps_per_site"
                label="Traffic per edge site (Mbps)"
                value=mbps
                set=set_mbps
                numeric=true
                hint="e.g. 12 cameras × 4 Mbps = 48."
            />
            <TextInput
                problems
                field="inference.users"
                label="People using it"
                value=users
                set=set_users
                numeric=true
                hint="Secure access is sold for 25 users or more."
            />
        </div>
        <label class="choice">
            <input
                type="checkbox"
                prop:checked=move || draft.with(|d| d.inference.public_facing)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    draft.update(|d| d.inference.public_facing = on);
                }
            />
            <span>"The model also serves the public internet (adds DDoS protection)"</span>
        </label>
    }
}

#[component]
pub(super) fn MultiCloudStep(
    draft: RwSignal<DesignDraft>,
    problems: FieldProblems,
    sites: StoredValue<Vec<SiteChoice>>,
) -> impl IntoView {
    view! {
        <h2>"Multi-cloud access"</h2>
        <OnRampChoices draft problems sites />
        <h3>"Your sites to join to the clouds"</h3>
        <CloudSites draft problems sites />
        <FormField
            id=field_id("multi_cloud.bandwidth")
            label="Bandwidth to each cloud"
            message=problem_in(problems, "multi_cloud.bandwidth")
        >
            <select
                id=field_id("multi_cloud.bandwidth")
                aria-describedby=error_id(&field_id("multi_cloud.bandwidth"))
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    draft.update(|d| d.multi_cloud.bandwidth = v);
                }
            >
                {["100M", "500M", "1G", "10G", "100G"]
                    .into_iter()
                    .map(|rate| {
                        view! {
                            <option value=rate selected=move || draft.with(|d| d.multi_cloud.bandwidth == rate)>
                                {rate.replace('M', " Mbps").replace('G', " Gbps")}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </FormField>
    }
}

/// The cloud regions to reach, one check box each.
#[component]
fn OnRampChoices(
    draft: RwSignal<DesignDraft>,
    problems: FieldProblems,
    sites: StoredValue<Vec<SiteChoice>>,
) -> impl IntoView {
    let ramps: Vec<SiteChoice> =
        sites.with_value(|all| all.iter().filter(|s| s.kind == SiteKind::CloudOnRamp).cloned().collect());
    let toggle = move |id: String, checked: bool| {
        draft.update(|d| {
            d.multi_cloud.on_ramps.retain(|r| *r != id);
            if checked {
                d.multi_cloud.on_ramps.push(id);
            }
        })
    };
    view! {
        <ChoiceGroup
            legend="Cloud regions to reach"
            class="choices grid-choices"
            error_id="ramps-error"
            message=problem_in(problems, "multi_cloud.on_ramps")
        >
            {ramps
                .into_iter()
                .map(|ramp| {
                    let id = ramp.id.to_string();
                    let on = {
                        let id = id.clone();
                        move || draft.with(|d| d.multi_cloud.on_ramps.contains(&id))
                    };
                    view! {
                        <label class="choice">
                            <input
                                type="checkbox"
                                prop:checked=on
                                on:change=move |ev| toggle(id.clone(), event_target_checked(&ev))
                            />
                            <span>{ramp.name.clone()}<span class="hint">{ramp.metro.clone()}</span></span>
                        </label>
                    }
                })
                .collect_view()}
        </ChoiceGroup>
    }
}

/// The buyer's sites joined to the clouds: each with Remove, and a picker to add one.
#[component]
fn CloudSites(
    draft: RwSignal<DesignDraft>,
    problems: FieldProblems,
    sites: StoredValue<Vec<SiteChoice>>,
) -> impl IntoView {
    let pick = RwSignal::new(String::new());
    let name_of = move |id: &str| {
        sites.with_value(|all| {
            all.iter()
                .find(|s| s.id.as_str() == id)
                .map_or_else(|| id.to_owned(), |s| format!("{} ({})", s.name, s.metro))
        })
    };
    let add = move |_| {
        let id = pick.get_untracked();
        if !id.is_empty() {
            draft.update(|d| {
                if !d.multi_cloud.sites.contains(&id) {
                    d.multi_cloud.sites.push(id)
                }
            });
            pick.set(String::new());
        }
    };
    view! {
        <ul class="picked">
            {move || {
                draft
                    .with(|d| d.multi_cloud.sites.clone())
                    .into_iter()
                    .map(|id| {
                        let remove = id.clone();
                        view! {
                            <li>
                                {name_of(&id)}
                                <button
                                    type="button"
                                    class="button button-small button-ghost"
                                    aria-label=format!("Remove {}", name_of(&id))
                                    on:click=move |_| {
                                        let remove = remove.clone();
                                        draft.update(|d| d.multi_cloud.sites.retain(|s| *s != remove));
                                    }
                                >
                                    "Remove"
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
        <div class="field-row align-end">
            <SiteSelect
                problems
                field="multi_cloud.sites"
                label="Add a data centre or metro"
                value=pick
                set=Callback::new(move |v| pick.set(v))
                sites
                kinds=&[SiteKind::DataCenter, SiteKind::Metro]
            />
            <button type="button" class="button button-ghost" on:click=add>
                "Add site"
            </button>
        </div>
    }
}

#[component]
pub(super) fn ReviewStep(draft: RwSignal<DesignDraft>, problems: FieldProblems) -> impl IntoView {
    let count = move || problems.with(Vec::len);
    view! {
        <h2>"Review"</h2>
        {move || {
            draft
                .with(|d| {
                    let stages: Vec<&str> = d.stages.iter().map(|s| s.label()).collect();
                    let term = d
                        .term_months
                        .parse::<u8>()
                        .ok()
                        .and_then(|m| Term::from_months(m).ok())
                        .map_or_else(|| "not chosen".to_owned(), Term::label);
                    view! {
                        <dl class="review">
                            <dt>"Stages"</dt>
                            <dd>{if stages.is_empty() { "none yet".to_owned() } else { stages.join(", ") }}</dd>
                            <dt>"Term"</dt>
                            <dd>{term}</dd>
                            <dt>"Redundancy"</dt>
                            <dd>{d.redundancy.label()}</dd>
                            <dt>"Edge sites"</dt>
                            <dd>{d.edge_sites.len()}</dd>
                        </dl>
                    }
                })
        }}
        <p class="muted">
            "We size every connection, route it on our network, check capacity and your latency target, and price three bundles. Nothing is ordered."
        </p>
        <Show when=move || { count() > 0 }>
            <ul class="problem-list">
                {move || {
                    problems
                        .get()
                        .into_iter()
                        .map(|(field, message)| {
                            view! {
                                <li>
                                    <strong>{Step::of_field(&field).title()}": "</strong>
                                    {message}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </Show>
    }
}
