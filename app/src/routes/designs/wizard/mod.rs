//! The wizard: its steps, where each problem sends the buyer, and what saving says.

mod state;

use crate::components::forms::Notice;
use crate::server_fns::designs::{SiteChoice, WizardData};
use leptos::prelude::*;
use lightpath_domain::design::{DesignDraft, IngestSource};
use lightpath_domain::{LifecycleStage, Product};

use super::bundles::Results;
use super::steps::*;
use state::WizardState;

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
    let WizardData { design_id, draft, choice, sites, chosen_products, can_edit } = data;
    let chosen_products = StoredValue::new(chosen_products);
    let reopened = choice.is_some();
    let chosen = StoredValue::new(choice);
    let wizard = WizardState::new(draft, design_id.map(|id| id.to_string()));
    let sites = StoredValue::new(sites);
    // A saved design opens with its bundles shown again, the chosen one as it was left.
    if reopened {
        Effect::new(move |_| wizard.recommend_again());
    }
    let draft = wizard.draft;
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
        <Show when=move || wizard.restored.get()>
            <div class="notice notice-row" role="status" data-testid="draft-restored">
                <p>"We brought back the changes you had not saved yet."</p>
                <button type="button" class="button button-small button-ghost" on:click=move |_| wizard.discard_kept()>
                    "Discard them"
                </button>
            </div>
        </Show>
        <StepList wizard />
        <form
            class="card wizard"
            novalidate=""
            on:submit=move |ev| {
                ev.prevent_default();
                wizard.submit();
            }
        >
            <CurrentStep wizard sites chosen_products />
            <WizardNav wizard can_edit />
            <Notice notice=wizard.form_notice() />
        </form>
        {move || {
            wizard
                .results
                .get()
                .map(|answer| {
                    view! { <Results answer can_edit chosen handlers=wizard.bundle_handlers() /> }
                })
        }}
    }
}

/// The steps the draft needs, each a button to go to it.
#[component]
fn StepList(wizard: WizardState) -> impl IntoView {
    view! {
        <ol class="steps" aria-label="Steps">
            {move || {
                let current = wizard.position();
                wizard
                    .steps
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
                                    on:click=move |_| wizard.step.set(s)
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
    }
}

#[component]
fn CurrentStep(
    wizard: WizardState,
    sites: StoredValue<Vec<SiteChoice>>,
    chosen_products: StoredValue<Vec<Product>>,
) -> impl IntoView {
    let (draft, problems) = (wizard.draft, wizard.problems());
    move || match wizard.step.get() {
        Step::Workload => view! { <WorkloadStep draft problems sites chosen_products /> }.into_any(),
        Step::EdgeSites => view! { <EdgeSitesStep draft problems sites /> }.into_any(),
        Step::Stage(LifecycleStage::DataIngestion) => view! { <IngestionStep draft problems sites /> }.into_any(),
        Step::Stage(LifecycleStage::Training) => view! { <TrainingStep draft problems sites /> }.into_any(),
        Step::Stage(LifecycleStage::Inference) => view! { <InferenceStep draft problems sites /> }.into_any(),
        Step::Stage(LifecycleStage::MultiCloud) => view! { <MultiCloudStep draft problems sites /> }.into_any(),
        Step::Review => view! { <ReviewStep draft problems /> }.into_any(),
    }
}

/// Back, Save draft (for those who may) and Next or See recommendations.
#[component]
fn WizardNav(wizard: WizardState, can_edit: bool) -> impl IntoView {
    let saving = wizard.saving();
    view! {
        <div class="wizard-nav">
            <button
                type="button"
                class="button button-ghost"
                disabled=move || wizard.position() == 0
                on:click=move |_| wizard.go(-1)
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
                            on:click=move |_| wizard.save_draft()
                        >
                            "Save draft"
                        </button>
                    }
                })}
            <button type="submit" class="button" disabled=move || wizard.recommending()>
                {move || match (wizard.step.get() == Step::Review, wizard.recommending()) {
                    (true, true) => "Working out your bundles…",
                    (true, false) => "See recommendations",
                    (false, _) => "Next",
                }}
            </button>
        </div>
    }
}
