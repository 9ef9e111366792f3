//! The design wizard (describe an AI workload one step at a time, see three costed, routed
//! bundles, re-price them in the browser, save) and the list of saved designs.

use crate::components::format_utc;
use crate::components::layout::{or_problem, EmptyState, Skeleton};
use crate::components::price_table::BreakdownTable;
use crate::components::site_picker::SitePicker;
use crate::components::topology_map::TopologyMap;
use crate::error::AppError;
use crate::server_fns::designs::{
    delete_design, duplicate_design, list_designs, load_wizard, recommend_design, save_design, Recommended,
    SavedAnswer, SiteChoice, WizardData,
};
use crate::server_fns::orders::order_design;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use lightpath_domain::design::{DesignDraft, DesignIntent, EdgeSiteDraft, IngestSource, Redundancy};
use lightpath_domain::money::CURRENCY;
use lightpath_domain::network::format_millis;
use lightpath_domain::recommend::{Bundle, Choice, Serviceability, Tier};
use lightpath_domain::{LifecycleStage, Money, SiteKind, SpanId, Term};

/// The problems of the last recommend or save, by field (`training.hours`), shown beside it.
type Problems = RwSignal<Vec<(String, String)>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Workload,
    EdgeSites,
    Stage(LifecycleStage),
    Review,
}

impl Step {
    fn title(self) -> &'static str {
        match self {
            Step::Workload => "Workload",
            Step::EdgeSites => "Edge sites",
            Step::Stage(stage) => stage.label(),
            Step::Review => "Review",
        }
    }

    /// The step a problem's field belongs to.
    fn of_field(field: &str) -> Step {
        match field.split('.').next().unwrap_or_default() {
            "edge_sites" => Step::EdgeSites,
            "ingestion" => Step::Stage(LifecycleStage::DataIngestion),
            "training" => Step::Stage(LifecycleStage::Training),
            "inference" => Step::Stage(LifecycleStage::Inference),
            "multi_cloud" => Step::Stage(LifecycleStage::MultiCloud),
            _ => Step::Workload,
        }
    }
}

/// The steps a draft needs: edge sites only when a chosen stage uses them.
fn steps_for(draft: &DesignDraft) -> Vec<Step> {
    let mut steps = vec![Step::Workload];
    let wants = |stage| draft.stages.contains(&stage);
    if wants(LifecycleStage::Inference)
        || (wants(LifecycleStage::DataIngestion) && draft.ingestion.source == IngestSource::EdgeSites)
    {
        steps.push(Step::EdgeSites);
    }
    steps.extend(LifecycleStage::ALL.into_iter().filter(|stage| wants(*stage)).map(Step::Stage));
    steps.push(Step::Review);
    steps
}

#[component]
pub fn NewDesignPage() -> impl IntoView {
    let wizard = Resource::new(|| (), |_| load_wizard(None));
    view! {
        <Title text="New design · Lightpath" />
        <Transition fallback=|| {
            view! { <Skeleton rows=5 /> }
        }>
            {move || Suspend::new(async move { or_problem(wizard.await, |data| view! { <Wizard data /> }.into_any()) })}
        </Transition>
    }
}

#[component]
pub fn DesignPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let wizard = Resource::new(id, |id| load_wizard(Some(id)));
    view! {
        <Title text="Design · Lightpath" />
        <Transition fallback=|| {
            view! { <Skeleton rows=5 /> }
        }>
            {move || Suspend::new(async move { or_problem(wizard.await, |data| view! { <Wizard data /> }.into_any()) })}
        </Transition>
    }
}

#[component]
fn Wizard(data: WizardData) -> impl IntoView {
    let WizardData { design_id, draft, choice, sites, can_edit } = data;
    let reopened = choice.is_some();
    let chosen = StoredValue::new(choice);
    let draft = RwSignal::new(draft);
    let design_id = RwSignal::new(design_id.map(|id| id.to_string()));
    let step = RwSignal::new(Step::Workload);
    let problems: Problems = RwSignal::new(Vec::new());
    let results = RwSignal::new(None::<Recommended>);
    let notice = RwSignal::new(None::<Result<String, String>>);
    let sites = StoredValue::new(sites);
    let steps = Memo::new(move |_| draft.with(steps_for));
    let position = move || steps.with(|steps| steps.iter().position(|s| *s == step.get()).unwrap_or(0));
    let go = move |offset: isize| {
        let steps = steps.get_untracked();
        let at = steps.iter().position(|s| *s == step.get_untracked()).unwrap_or(0) as isize;
        if let Some(next) = steps.get((at + offset).clamp(0, steps.len() as isize - 1) as usize) {
            step.set(*next);
        }
    };

    let recommend = Action::new_local(move |draft: &DesignDraft| recommend_design(draft.clone()));
    Effect::new(move |_| match recommend.value().get() {
        Some(Ok(answer)) => {
            problems.set(Vec::new());
            notice.set(None);
            results.set(Some(answer));
            // Bring the bundles into view once they are drawn.
            request_animation_frame(|| {
                if let Some(heading) = document().get_element_by_id("results-title") {
                    heading.scroll_into_view();
                }
            });
        }
        Some(Err(error)) => show_problems(error, problems, step, notice),
        None => {}
    });
    let save = Action::new_local(move |input: &(DesignIntent, Option<Choice>)| {
        let (intent, choice) = input.clone();
        save_design(design_id.get_untracked(), draft.get_untracked(), intent, choice)
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            design_id.set(Some(saved.id.to_string()));
            notice.set(Some(Ok(saved_message(&saved))));
        }
        Some(Err(error)) => show_problems(error, problems, step, notice),
        None => {}
    });
    // Ordering saves the chosen bundle, then orders it with one idempotency key per attempt:
    // a double click or a retry after a network error sends the same key and gets one order.
    let order_key = StoredValue::new(None::<String>);
    let order = Action::new_local(move |choice: &Choice| {
        let choice = choice.clone();
        let key = order_key.get_value().unwrap_or_else(|| {
            let key = crate::components::new_idempotency_key("order");
            order_key.set_value(Some(key.clone()));
            key
        });
        let (id, draft) = (design_id.get_untracked(), draft.get_untracked());
        async move {
            let saved = save_design(id, draft, DesignIntent::OrderRequested, Some(choice)).await?;
            design_id.set(Some(saved.id.to_string()));
            order_design(saved.id.to_string(), key).await
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match order.value().get() {
        Some(Ok(placed)) => {
            order_key.set_value(None);
            navigate(&format!("/orders/{}", placed.id), Default::default());
        }
        Some(Err(error)) => {
            // Only a request that never got an answer may be retried with the same key.
            if !matches!(error, AppError::Transport(_)) {
                order_key.set_value(None);
            }
            show_problems(error, problems, step, notice);
        }
        None => {}
    });
    let saving = Signal::derive(move || save.pending().get() || order.pending().get());
    // A saved design opens with its bundles shown again, the chosen one as it was left.
    if reopened {
        Effect::new(move |_| {
            recommend.dispatch(draft.get_untracked());
        });
    }

    view! {
        <section class="page-head">
            <p class="eyebrow">"Design"</p>
            <h1>
                {move || {
                    draft
                        .with(|d| {
                            if d.name.trim().is_empty() { "New AI workload design".to_owned() } else { d.name.clone() }
                        })
                }}
            </h1>
            <p class="lede">"Describe your workload; we size, route and price three ways to connect it."</p>
        </section>
        {(!can_edit)
            .then(|| {
                view! {
                    <p class="form-problem" role="note">
                        "You can explore this design, but only members of its organisation can save changes."
                    </p>
                }
            })}
        <ol class="steps" aria-label="Steps">
            {move || {
                let current = position();
                steps
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(index, s)| {
                        view! {
                            <li class:done=index < current class:current=index == current>
                                <button
                                    type="button"
                                    class="step-link"
                                    aria-current=(index == current).then_some("step")
                                    on:click=move |_| step.set(s)
                                >
                                    <span class="step-number">{index + 1}</span>
                                    {s.title()}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ol>
        <form
            class="card wizard"
            novalidate=""
            on:submit=move |ev| {
                ev.prevent_default();
                if step.get_untracked() == Step::Review {
                    recommend.dispatch(draft.get_untracked());
                } else {
                    go(1);
                }
            }
        >
            {move || match step.get() {
                Step::Workload => view! { <WorkloadStep draft problems /> }.into_any(),
                Step::EdgeSites => view! { <EdgeSitesStep draft problems sites /> }.into_any(),
                Step::Stage(LifecycleStage::DataIngestion) => {
                    view! { <IngestionStep draft problems sites /> }.into_any()
                }
                Step::Stage(LifecycleStage::Training) => view! { <TrainingStep draft problems sites /> }.into_any(),
                Step::Stage(LifecycleStage::Inference) => view! { <InferenceStep draft problems sites /> }.into_any(),
                Step::Stage(LifecycleStage::MultiCloud) => view! { <MultiCloudStep draft problems sites /> }.into_any(),
                Step::Review => view! { <ReviewStep draft problems /> }.into_any(),
            }}
            <div class="wizard-nav">
                <button
                    type="button"
                    class="button button-ghost"
                    disabled=move || position() == 0
                    on:click=move |_| go(-1)
                >
                    "Back"
                </button>
                {can_edit
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button-ghost"
                                disabled=move || saving.get()
                                on:click=move |_| {
                                    save.dispatch((DesignIntent::Draft, None));
                                }
                            >
                                "Save draft"
                            </button>
                        }
                    })}
                <button type="submit" class="button" disabled=move || recommend.pending().get()>
                    {move || match (step.get() == Step::Review, recommend.pending().get()) {
                        (true, true) => "Working out your bundles…",
                        (true, false) => "See recommendations",
                        (false, _) => "Next",
                    }}
                </button>
            </div>
            <Notice notice />
        </form>
        {move || {
            results
                .get()
                .map(|answer| {
                    view! {
                        <Results
                            answer
                            can_edit
                            chosen
                            on_save=Callback::new(move |(intent, choice): (DesignIntent, Choice)| {
                                if intent == DesignIntent::OrderRequested {
                                    order.dispatch(choice);
                                } else {
                                    save.dispatch((intent, Some(choice)));
                                }
                            })
                            saving
                            notice
                        />
                    }
                })
        }}
    }
}

fn saved_message(saved: &SavedAnswer) -> String {
    let what = match saved.intent {
        DesignIntent::Draft => "Draft saved.".to_owned(),
        DesignIntent::Saved => "Design saved.".to_owned(),
        DesignIntent::QuoteRequested => {
            "Design saved with your quote request; our sales engineers will pick it up.".to_owned()
        }
        DesignIntent::OrderRequested => "Design saved and ordered.".to_owned(),
    };
    match (saved.totals, saved.price_book_version) {
        (Some(totals), Some(version)) => format!(
            "{what} Priced by the server with price book v{version}: {} a month, {} once.",
            totals.monthly_estimate(),
            totals.one_time
        ),
        _ => what,
    }
}

/// Shows a failed recommend or save: field problems beside their fields (and the wizard on
/// the first one's step), anything else as a banner.
fn show_problems(
    error: AppError,
    problems: Problems,
    step: RwSignal<Step>,
    notice: RwSignal<Option<Result<String, String>>>,
) {
    match error {
        AppError::Fields(found) => {
            if let Some((field, _)) = found.first() {
                step.set(Step::of_field(field));
            }
            notice.set(Some(Err(format!(
                "{} to fix before we can recommend: see the highlighted fields.",
                if found.len() == 1 { "One thing".to_owned() } else { format!("{} things", found.len()) }
            ))));
            problems.set(found);
        }
        other => notice.set(Some(Err(other.to_string()))),
    }
}

#[component]
fn Notice(notice: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    view! {
        <div aria-live="polite">
            {move || {
                notice
                    .get()
                    .map(|result| match result {
                        Ok(message) => {
                            view! { <p class="form-success">{message} " " <a href="/designs">"Your designs"</a></p> }
                                .into_any()
                        }
                        Err(message) => {
                            view! {
                                <p class="form-problem" role="alert">
                                    {message}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </div>
    }
}

/// The message for `field` from the last submit.
fn problem_for(problems: Problems, field: &str) -> Option<String> {
    problems.with(|found| found.iter().find(|(name, _)| name == field).map(|(_, message)| message.clone()))
}

/// A labelled text input bound to one field of the draft, with its problem below it.
#[component]
fn TextInput(
    problems: Problems,
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    set: Callback<String>,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    let id = format!("field-{}", field.replace('.', "-"));
    let error_id = format!("{id}-error");
    let message = {
        let field = field.clone();
        Signal::derive(move || problem_for(problems, &field))
    };
    view! {
        <div class="field" class:has-error=move || message.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                inputmode=numeric.then_some("numeric")
                prop:value=value
                on:input=move |ev| set.run(event_target_value(&ev))
                aria-invalid=move || message.with(Option::is_some).to_string()
                aria-describedby=error_id.clone()
            />
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <p class="field-error" id=error_id role="alert">
                {message}
            </p>
        </div>
    }
}

/// A labelled list of sites grouped by metro, bound to one field of the draft.
#[component]
fn SiteSelect(
    problems: Problems,
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    set: Callback<String>,
    sites: StoredValue<Vec<SiteChoice>>,
    kinds: &'static [SiteKind],
    #[prop(default = "Choose a site")] placeholder: &'static str,
) -> impl IntoView {
    let id = format!("field-{}", field.replace('.', "-"));
    let message = Signal::derive(move || problem_for(problems, &field));
    view! { <SitePicker id label value set sites kinds message placeholder /> }
}

/// A getter and setter for one text field of the draft.
fn bind(
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
fn WorkloadStep(draft: RwSignal<DesignDraft>, problems: Problems) -> impl IntoView {
    let (name, set_name) = bind(draft, |d| &d.name, |d| &mut d.name);
    let stages_problem = move || problem_for(problems, "stages");
    let term_problem = move || problem_for(problems, "term_months");
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
        <fieldset class="choices" aria-describedby="stages-error">
            <legend>"Which stages of your AI workload need connecting?"</legend>
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
            <p class="field-error" id="stages-error" role="alert">
                {stages_problem}
            </p>
        </fieldset>
        <Show when=move || draft.with(|d| !d.chosen_items.is_empty())>
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
                                                {config.summary()}" "
                                                <button
                                                    type="button"
                                                    class="button button-small button-ghost"
                                                    on:click=move |_| {
                                                        draft
                                                            .update(|d| {
                                                                if index < d.chosen_items.len() {
                                                                    d.chosen_items.remove(index);
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
                            })
                    }}
                </ul>
            </section>
        </Show>
        <div class="field-row">
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
                    {term_problem}
                </p>
            </div>
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
        </div>
    }
}

#[component]
fn EdgeSitesStep(
    draft: RwSignal<DesignDraft>,
    problems: Problems,
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

const NETWORK_SITES: &[SiteKind] = &[SiteKind::DataCenter, SiteKind::CloudOnRamp, SiteKind::Metro];
const DATA_CENTRES: &[SiteKind] = &[SiteKind::DataCenter];

#[component]
fn IngestionStep(
    draft: RwSignal<DesignDraft>,
    problems: Problems,
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
fn TrainingStep(
    draft: RwSignal<DesignDraft>,
    problems: Problems,
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
fn InferenceStep(
    draft: RwSignal<DesignDraft>,
    problems: Problems,
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
fn MultiCloudStep(
    draft: RwSignal<DesignDraft>,
    problems: Problems,
    sites: StoredValue<Vec<SiteChoice>>,
) -> impl IntoView {
    let ramps: Vec<SiteChoice> =
        sites.with_value(|all| all.iter().filter(|s| s.kind == SiteKind::CloudOnRamp).cloned().collect());
    let pick = RwSignal::new(String::new());
    let ramps_problem = move || problem_for(problems, "multi_cloud.on_ramps");
    let sites_problem = move || problem_for(problems, "multi_cloud.sites");
    let bandwidth_problem = move || problem_for(problems, "multi_cloud.bandwidth");
    let name_of = move |id: &str| {
        sites.with_value(|all| {
            all.iter()
                .find(|s| s.id.as_str() == id)
                .map_or_else(|| id.to_owned(), |s| format!("{} ({})", s.name, s.metro))
        })
    };
    view! {
        <h2>"Multi-cloud access"</h2>
        <fieldset class="choices grid-choices" aria-describedby="ramps-error">
            <legend>"Cloud regions to reach"</legend>
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
                                on:change=move |ev| {
                                    let checked = event_target_checked(&ev);
                                    let id = id.clone();
                                    draft
                                        .update(|d| {
                                            d.multi_cloud.on_ramps.retain(|r| *r != id);
                                            if checked {
                                                d.multi_cloud.on_ramps.push(id);
                                            }
                                        });
                                }
                            />
                            <span>{ramp.name.clone()}<span class="hint">{ramp.metro.clone()}</span></span>
                        </label>
                    }
                })
                .collect_view()}
            <p class="field-error" id="ramps-error" role="alert">
                {ramps_problem}
            </p>
        </fieldset>
        <h3>"Your sites to join to the clouds"</h3>
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
            <button
                type="button"
                class="button button-ghost"
                on:click=move |_| {
                    let id = pick.get_untracked();
                    if !id.is_empty() {
                        draft
                            .update(|d| {
                                if !d.multi_cloud.sites.contains(&id) {
                                    d.multi_cloud.sites.push(id)
                                }
                            });
                        pick.set(String::new());
                    }
                }
            >
                "Add site"
            </button>
        </div>
        <p class="field-error" role="alert">
            {sites_problem}
        </p>
        <div class="field">
            <label for="field-multi_cloud-bandwidth">"Bandwidth to each cloud"</label>
            <select
                id="field-multi_cloud-bandwidth"
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
            <p class="field-error" role="alert">
                {bandwidth_problem}
            </p>
        </div>
    }
}

#[component]
fn ReviewStep(draft: RwSignal<DesignDraft>, problems: Problems) -> impl IntoView {
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

#[component]
fn Results(
    answer: Recommended,
    can_edit: bool,
    chosen: StoredValue<Option<Choice>>,
    on_save: Callback<(DesignIntent, Choice)>,
    saving: Signal<bool>,
    notice: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let Recommended { recommendation, products, book, network } = answer;
    let pricing = StoredValue::new((products, book));
    view! {
        <section class="results" aria-labelledby="results-title">
            <h2 id="results-title">"Your bundles"</h2>
            <h3>"Sites"</h3>
            <ul class="site-checks">
                {recommendation
                    .sites
                    .iter()
                    .map(|check| {
                        let class = format!("light light-{}", check.status.slug());
                        view! {
                            <li>
                                <span class=class>{check.status.label()}</span>
                                <strong>{check.name.clone()}</strong>
                                " "
                                <span class="muted">{check.reason.clone()}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {recommendation
                .sites
                .iter()
                .any(|c| c.status == Serviceability::NotServiceable)
                .then(|| {
                    view! {
                        <p class="muted">
                            "Sites we cannot serve are left out of every bundle; move them or serve them from the alternative shown."
                        </p>
                    }
                })}
            <div class="bundles">
                {recommendation
                    .bundles
                    .into_iter()
                    .map(|bundle| {
                        let network = network.clone();
                        let chosen = chosen.get_value().filter(|choice| choice.tier == bundle.tier);
                        view! { <BundleCard bundle pricing network can_edit chosen on_save saving notice /> }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

#[component]
fn BundleCard(
    bundle: Bundle,
    pricing: StoredValue<(Vec<lightpath_domain::Product>, lightpath_domain::PriceBook)>,
    network: crate::server_fns::network::NetworkView,
    can_edit: bool,
    /// The buyer's earlier choice, when this is the bundle they saved.
    chosen: Option<Choice>,
    on_save: Callback<(DesignIntent, Choice)>,
    saving: Signal<bool>,
    notice: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let tier = bundle.tier;
    let was_chosen = chosen.is_some();
    let term = RwSignal::new(chosen.as_ref().map_or(bundle.term, |choice| choice.term));
    let options = RwSignal::new(chosen.map(|choice| choice.options).unwrap_or_default());
    let base = StoredValue::new(bundle);
    // Re-priced in the browser with the domain engine on every change: no server round trip.
    let priced = Memo::new(move |_| {
        let (term, options) = (term.get(), options.get());
        base.with_value(|bundle| {
            pricing.with_value(|(products, book)| bundle.with_choices(products, book, term, &options))
        })
        .map_err(|error| error.to_string())
    });
    let highlight: Signal<Vec<SpanId>> = Signal::derive(move || base.with_value(|b| spans_of(b, false)));
    let twin: Signal<Vec<SpanId>> = Signal::derive(move || base.with_value(|b| spans_of(b, true)));
    let choice = move || Choice { tier, term: term.get_untracked(), options: options.get_untracked() };
    let title_id = format!("bundle-{}", tier.slug());
    let (redundancy, lead_days, round_trip, shortfalls) =
        base.with_value(|b| (b.redundancy, b.lead_days, b.worst_round_trip_micros, b.shortfalls.clone()));
    let items = base.with_value(|b| b.items.clone());
    view! {
        <article
            class="card bundle"
            class:bundle-best=tier == Tier::Best
            aria-labelledby=title_id.clone()
            data-tier=tier.slug()
        >
            <h3 id=title_id.clone()>{tier.label()}</h3>
            {was_chosen
                .then(|| {
                    view! {
                        <p>
                            <span class="status status-saved">"Your saved choice"</span>
                        </p>
                    }
                })}
            <p class="muted">{tier.pitch()}</p>
            {move || match priced.get() {
                Ok(bundle) => {
                    view! {
                        <p class="bundle-price">
                            <span class="amount" data-testid="monthly">
                                {bundle.monthly_estimate().to_string()}
                            </span>
                            " a month"
                        </p>
                        <p class="muted bundle-sub">
                            {format!("{} once", bundle.totals.one_time)}
                            {(bundle.totals.hourly > Money::ZERO)
                                .then(|| format!(" · includes {} an hour on demand", bundle.totals.hourly))}
                            {format!(" · {CURRENCY}")}
                        </p>
                    }
                        .into_any()
                }
                Err(message) => {
                    view! {
                        <p class="form-problem" role="alert">
                            {message}
                        </p>
                    }
                        .into_any()
                }
            }}
            <dl class="bundle-facts">
                <dt>"Redundancy"</dt>
                <dd>{redundancy.label()}</dd>
                <dt>"Lead time"</dt>
                <dd>{if lead_days == 0 { "minutes".to_owned() } else { format!("{lead_days} days") }}</dd>
                <dt>"Longest round trip"</dt>
                <dd>{round_trip.map_or_else(|| "—".to_owned(), format_millis)}</dd>
            </dl>
            <div class="field">
                <label for=format!("term-{}", tier.slug())>"Term"</label>
                <select
                    id=format!("term-{}", tier.slug())
                    on:change=move |ev| {
                        if let Some(t) = event_target_value(&ev)
                            .parse::<u8>()
                            .ok()
                            .and_then(|m| Term::from_months(m).ok())
                        {
                            term.set(t)
                        }
                    }
                >
                    {Term::ALL
                        .into_iter()
                        .map(|t| {
                            view! {
                                <option value=t.months().to_string() selected=move || term.get() == t>
                                    {t.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            {(!shortfalls.is_empty())
                .then(|| {
                    view! {
                        <div class="shortfalls" role="note">
                            <p>
                                <strong>"What this bundle could not do"</strong>
                            </p>
                            <ul>{shortfalls.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                        </div>
                    }
                })}
            <TopologyMap network highlight twin />
            <ol class="bundle-items">
                {items
                    .into_iter()
                    .enumerate()
                    .map(|(index, item)| {
                        let current = move || {
                            priced.with(|p| p.as_ref().ok().and_then(|b| b.items.get(index).cloned()))
                        };
                        let chooser = (item.alternatives.len() > 1)
                            .then(|| {
                                let id = format!("option-{}-{index}", tier.slug());
                                let alternatives = item.alternatives.clone();
                                let selected_code = move || current().map(|i| i.spec.option).unwrap_or_default();
                                view! {
                                    <div class="field inline-field">
                                        <label for=id
                                            .clone()>
                                            {if item.path.is_some()
                                                || item.spec.product.as_str() == "internet-on-demand"
                                                || item.spec.product.as_str() == "ip-vpn"
                                            {
                                                "Bandwidth"
                                            } else {
                                                "Option"
                                            }}
                                        </label>
                                        <select
                                            id=id
                                            on:change=move |ev| {
                                                let code = event_target_value(&ev);
                                                options
                                                    .update(|o| {
                                                        o.retain(|(at, _)| *at != index);
                                                        o.push((index, code));
                                                    });
                                            }
                                        >
                                            {alternatives
                                                .into_iter()
                                                .map(|(code, label)| {
                                                    let is = code.clone();
                                                    view! {
                                                        <option value=code selected=move || selected_code() == is>
                                                            {label}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                    </div>
                                }
                            });
                        view! {
                            <li class="bundle-item" class:twin=item.twin>
                                <p class="item-title">
                                    {move || current().map(|i| i.title).unwrap_or_else(|| item.title.clone())}
                                </p>
                                <p class="item-reason">{item.reason.clone()}</p>
                                {chooser}
                                {move || {
                                    current()
                                        .map(|item| {
                                            view! {
                                                <details class="breakdown">
                                                    <summary>
                                                        {format!(
                                                            "{} a month · {} once · {}",
                                                            item.priced.totals.monthly_estimate(),
                                                            item.priced.totals.one_time,
                                                            item.spec.term.label(),
                                                        )}
                                                    </summary>
                                                    <BreakdownTable lines=item.priced.lines.clone() />
                                                </details>
                                            }
                                        })
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {can_edit
                .then(|| {
                    view! {
                        <div class="actions bundle-actions">
                            <button
                                type="button"
                                class="button"
                                disabled=move || saving.get() || priced.with(Result::is_err)
                                on:click=move |_| {
                                    notice.set(None);
                                    on_save.run((DesignIntent::Saved, choice()));
                                }
                            >
                                "Save design"
                            </button>
                            <button
                                type="button"
                                class="button button-ghost"
                                disabled=move || saving.get() || priced.with(Result::is_err)
                                on:click=move |_| {
                                    notice.set(None);
                                    on_save.run((DesignIntent::QuoteRequested, choice()));
                                }
                            >
                                "Request a quote"
                            </button>
                            <button
                                type="button"
                                class="button button-ghost"
                                disabled=move || saving.get() || priced.with(Result::is_err)
                                on:click=move |_| {
                                    notice.set(None);
                                    on_save.run((DesignIntent::OrderRequested, choice()));
                                }
                            >
                                "Order now"
                            </button>
                        </div>
                    }
                })}
        </article>
    }
}

/// The spans of a bundle's main paths (or of its diverse twins).
fn spans_of(bundle: &Bundle, twins: bool) -> Vec<SpanId> {
    bundle
        .items
        .iter()
        .filter(|item| item.twin == twins)
        .filter_map(|item| item.path.as_ref())
        .flat_map(|path| path.spans.clone())
        .collect()
}

#[component]
pub fn DesignsPage() -> impl IntoView {
    let changes = RwSignal::new(0u64);
    let page = crate::components::layout::page_from_query();
    let designs = Resource::new(move || (changes.get(), page()), |(_, page)| list_designs(Some(page)));
    let navigate = use_navigate();
    let problem = RwSignal::new(None::<String>);
    let duplicate = Action::new_local(|id: &String| duplicate_design(id.clone()));
    let delete = Action::new_local(|id: &String| delete_design(id.clone()));
    Effect::new(move |_| match duplicate.value().get() {
        Some(Ok(id)) => navigate(&format!("/designs/{id}"), Default::default()),
        Some(Err(error)) => problem.set(Some(error.to_string())),
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => changes.update(|n| *n += 1),
        Some(Err(error)) => problem.set(Some(error.to_string())),
        None => {}
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
        {move || {
            problem
                .get()
                .map(|message| {
                    view! {
                        <p class="form-problem" role="alert">
                            {message}
                        </p>
                    }
                })
        }}
        <Transition fallback=|| {
            view! { <Skeleton rows=4 /> }
        }>
            {move || Suspend::new(async move {
                or_problem(
                    designs.await,
                    move |listed| {
                        let (rows, page, more) = (listed.items, listed.page, listed.more);
                        if rows.is_empty() && page == 0 {
                            return view! {
                                <EmptyState
                                    title="No designs yet"
                                    text="Describe an AI workload and we will size, route and price it three ways."
                                    href="/designs/new"
                                    action="Start a design"
                                />
                            }
                                .into_any();
                        }
                        view! {
                            <div class="table-wrap">
                                <table class="data-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Design"</th>
                                            <th scope="col" class="hide-narrow">
                                                "Organisation"
                                            </th>
                                            <th scope="col">"Status"</th>
                                            <th scope="col" class="num">
                                                "Per month"
                                            </th>
                                            <th scope="col">"Updated"</th>
                                            <th scope="col">
                                                <span class="visually-hidden">"Actions"</span>
                                            </th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows
                                            .into_iter()
                                            .map(|row| {
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
                                                        <td class="hide-narrow">{row.organisation.name.clone()}</td>
                                                        <td>
                                                            <span class=format!(
                                                                "status status-{}",
                                                                row.intent.slug(),
                                                            )>{row.intent.label()}</span>
                                                        </td>
                                                        <td class="num">
                                                            {row
                                                                .monthly_estimate()
                                                                .map_or_else(|| "—".to_owned(), |m| m.to_string())}
                                                            {row
                                                                .price_book_version
                                                                .map(|v| {
                                                                    view! {
                                                                        <br />
                                                                        <span class="muted small">
                                                                            {format!("price book v{v}")}
                                                                        </span>
                                                                    }
                                                                })}
                                                        </td>
                                                        <td>{format_utc(row.updated_at_ms)}</td>
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
                                                                    let question = format!(
                                                                        "Delete “{}”? This cannot be undone.",
                                                                        row.name,
                                                                    );
                                                                    move |_| {
                                                                        if window().confirm_with_message(&question).unwrap_or(false)
                                                                        {
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
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <crate::components::layout::Pager page more path="/designs" />
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}
