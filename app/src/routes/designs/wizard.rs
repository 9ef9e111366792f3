//! The wizard: its steps, where each problem sends the buyer, and what saving says.

use crate::components::follow_order;
use crate::components::forms::{Done, FieldProblems, Notice};
use crate::error::AppError;
use crate::server_fns::designs::{recommend_design, save_design, Recommended, SavedAnswer, WizardData};
use crate::server_fns::orders::order_design;
use leptos::prelude::*;
use lightpath_domain::design::{DesignDraft, DesignIntent, IngestSource};
use lightpath_domain::recommend::Choice;
use lightpath_domain::LifecycleStage;

use super::bundles::Results;
use super::steps::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Workload,
    EdgeSites,
    Stage(LifecycleStage),
    Review,
}

impl Step {
    pub(super) fn title(self) -> &'static str {
        match self {
            Step::Workload => "Workload",
            Step::EdgeSites => "Edge sites",
            Step::Stage(stage) => stage.label(),
            Step::Review => "Review",
        }
    }

    /// The step a problem's field belongs to.
    pub(super) fn of_field(field: &str) -> Step {
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
pub(super) fn steps_for(draft: &DesignDraft) -> Vec<Step> {
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
pub(super) fn Wizard(data: WizardData) -> impl IntoView {
    let WizardData { design_id, draft, choice, sites, can_edit } = data;
    let reopened = choice.is_some();
    let chosen = StoredValue::new(choice);
    let draft = RwSignal::new(draft);
    let design_id = RwSignal::new(design_id.map(|id| id.to_string()));
    let step = RwSignal::new(Step::Workload);
    let problems: FieldProblems = RwSignal::new(Vec::new());
    let results = RwSignal::new(None::<Recommended>);
    let notice = RwSignal::new(None::<Result<Done, String>>);
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
            notice.set(Some(Ok(Done {
                message: saved_message(&saved),
                href: "/designs".to_owned(),
                link: "Your designs",
            })));
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
    follow_order(order, order_key, move |error| show_problems(error, problems, step, notice));
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

pub(super) fn saved_message(saved: &SavedAnswer) -> String {
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
pub(super) fn show_problems(
    error: AppError,
    problems: FieldProblems,
    step: RwSignal<Step>,
    notice: RwSignal<Option<Result<Done, String>>>,
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
