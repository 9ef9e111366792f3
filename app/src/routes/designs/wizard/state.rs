//! The wizard's state: the draft, the step, the problems the last answer named, the bundles,
//! and the three things it asks of the server (recommend, save, order). Each request handles
//! its own answer when it comes, so nothing copies an action's value afterwards.

use super::super::bundles::BundleHandlers;
use super::Step;
use crate::components::forms::{Done, FieldProblems};
use crate::components::kept_draft;
use crate::components::order_review::OrderFailure;
use crate::components::{follow_order, new_idempotency_key};
use crate::error::AppError;
use crate::server_fns::designs::{recommend_design, save_design, Recommended, SavedAnswer};
use crate::server_fns::orders::{order_design, OrderPlaced};
use leptos::prelude::*;
use lightpath_domain::design::{DesignDraft, DesignIntent};
use lightpath_domain::recommend::{Choice, Tier};

#[derive(Clone, Copy)]
pub(super) struct WizardState {
    pub draft: RwSignal<DesignDraft>,
    pub step: RwSignal<Step>,
    pub steps: Memo<Vec<Step>>,
    pub results: RwSignal<Option<Recommended>>,
    pub notice: RwSignal<Option<Result<Done, String>>>,
    /// The bundle card whose button asked last (None: the wizard's own form), so the answer
    /// shows beside the button that was pressed.
    notice_from: RwSignal<Option<Tier>>,
    problems: RwSignal<Vec<(String, String)>>,
    recommend: Action<DesignDraft, ()>,
    save: Action<(DesignIntent, Option<Choice>), ()>,
    order: Action<(Choice, String), Result<OrderPlaced, AppError>>,
    /// Where a failed order shows: on the review it was placed from.
    order_failure: OrderFailure,
    /// Changes not yet saved were brought back from the browser's storage.
    pub restored: RwSignal<bool>,
    /// The draft as the server gave it, to start again from.
    saved_draft: StoredValue<DesignDraft>,
    design_id: RwSignal<Option<String>>,
}

/// Where the browser keeps a design's unsaved changes: per design, or for a new one.
fn kept_key(design_id: Option<&str>) -> String {
    format!("lightpath.design-draft.{}", design_id.unwrap_or("new"))
}

impl WizardState {
    pub fn new(draft: DesignDraft, design_id: Option<String>) -> Self {
        let saved_draft = StoredValue::new(draft.clone());
        let draft = RwSignal::new(draft);
        let design_id = RwSignal::new(design_id);
        // Once hydrated, bring back what was typed here and not saved; from then on keep
        // every change, so leaving the page loses nothing.
        let restored = RwSignal::new(false);
        Effect::new(move |_| {
            let kept = kept_draft::read::<DesignDraft>(&kept_key(design_id.get_untracked().as_deref()));
            if let Some(kept) = kept.filter(|kept| *kept != draft.get_untracked()) {
                draft.set(kept);
                restored.set(true);
            }
        });
        Effect::new(move |first_run: Option<()>| {
            draft.track();
            if first_run.is_some() {
                draft.with_untracked(|draft| kept_draft::write(&kept_key(design_id.get_untracked().as_deref()), draft));
            }
        });
        let step = RwSignal::new(Step::Workload);
        let problems = RwSignal::new(Vec::new());
        let results = RwSignal::new(None::<Recommended>);
        let notice = RwSignal::new(None::<Result<Done, String>>);
        let notice_from = RwSignal::new(None::<Tier>);
        let steps = Memo::new(move |_| draft.with(super::steps_for));
        let show = move |error| show_problems(error, problems, step, notice);
        let recommend = Action::new_local(move |draft: &DesignDraft| {
            let draft = draft.clone();
            async move {
                match recommend_design(draft).await {
                    Ok(answer) => {
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
                    Err(error) => show(error),
                }
            }
        });
        let save = Action::new_local(move |(intent, choice): &(DesignIntent, Option<Choice>)| {
            let answer = save_design(design_id.get_untracked(), draft.get_untracked(), *intent, choice.clone());
            async move {
                match answer.await {
                    Ok(saved) => {
                        forget_kept(design_id.get_untracked().as_deref());
                        design_id.set(Some(saved.id.to_string()));
                        restored.set(false);
                        notice.set(Some(Ok(Done {
                            message: saved_message(&saved),
                            href: "/designs".to_owned(),
                            link: "Your designs",
                        })));
                    }
                    Err(error) => show(error),
                }
            }
        });
        // Ordering saves the chosen bundle, then orders it with one idempotency key per attempt:
        // a double click or a retry after a network error sends the same key and gets one order.
        let order_key = StoredValue::new(None::<String>);
        let order = Action::new_local(move |(choice, reference): &(Choice, String)| {
            let (choice, reference) = (choice.clone(), reference.clone());
            let key = order_key.get_value().unwrap_or_else(|| {
                let key = new_idempotency_key("order");
                order_key.set_value(Some(key.clone()));
                key
            });
            let (id, draft) = (design_id.get_untracked(), draft.get_untracked());
            async move {
                let saved = save_design(id, draft, DesignIntent::OrderRequested, Some(choice)).await?;
                forget_kept(design_id.get_untracked().as_deref());
                design_id.set(Some(saved.id.to_string()));
                order_design(saved.id.to_string(), key, Some(reference)).await
            }
        });
        // A problem with the draft itself goes back to its step; any other on the review.
        let order_failure = OrderFailure::new();
        follow_order(order, order_key, move |error| match error {
            AppError::Fields(_) if error.message_for("purchase_order").is_none() => show(error),
            error => order_failure.show(error),
        });
        Self {
            draft,
            step,
            steps,
            results,
            notice,
            notice_from,
            problems,
            recommend,
            save,
            order,
            order_failure,
            restored,
            saved_draft,
            design_id,
        }
    }

    /// Drops the changes brought back and starts again from the design as saved.
    pub fn discard_kept(&self) {
        forget_kept(self.design_id.get_untracked().as_deref());
        self.draft.set(self.saved_draft.get_value());
        self.restored.set(false);
    }

    pub fn problems(&self) -> FieldProblems {
        self.problems.into()
    }

    /// Where the current step is among the steps the draft needs.
    pub fn position(&self) -> usize {
        let step = self.step.get();
        self.steps.with(|steps| steps.iter().position(|s| *s == step).unwrap_or(0))
    }

    /// Moves `offset` steps forward (or back), staying within the steps.
    pub fn go(&self, offset: isize) {
        let steps = self.steps.get_untracked();
        let at = steps.iter().position(|s| *s == self.step.get_untracked()).unwrap_or(0) as isize;
        if let Some(next) = steps.get((at + offset).clamp(0, steps.len() as isize - 1) as usize) {
            self.step.set(*next);
        }
    }

    /// The answer to the wizard's own form (its steps, Save draft, the recommendation).
    pub fn form_notice(&self) -> Signal<Option<Result<Done, String>>> {
        let (notice, from) = (self.notice, self.notice_from);
        Signal::derive(move || if from.get().is_none() { notice.get() } else { None })
    }

    /// The form's submit: the next step, or the recommendation from the review.
    pub fn submit(&self) {
        self.notice_from.set(None);
        if self.step.get_untracked() == Step::Review {
            self.recommend.dispatch(self.draft.get_untracked());
        } else {
            self.go(1);
        }
    }

    pub fn recommend_again(&self) {
        self.recommend.dispatch(self.draft.get_untracked());
    }

    pub fn recommending(&self) -> bool {
        self.recommend.pending().get()
    }

    pub fn saving(&self) -> Signal<bool> {
        let (save, order) = (self.save, self.order);
        Signal::derive(move || save.pending().get() || order.pending().get())
    }

    /// Saves the draft as it is (the form's Save draft).
    pub fn save_draft(&self) {
        self.notice_from.set(None);
        self.save.dispatch((DesignIntent::Draft, None));
    }

    /// What the bundle cards do: save, ask for a quote, or order a bundle once reviewed.
    pub fn bundle_handlers(&self) -> BundleHandlers {
        let (save, order, notice_from) = (self.save, self.order, self.notice_from);
        BundleHandlers {
            on_save: Callback::new(move |(intent, choice): (DesignIntent, Choice)| {
                notice_from.set(Some(choice.tier));
                save.dispatch((intent, Some(choice)));
            }),
            on_order: Callback::new(move |(choice, reference)| {
                order.dispatch((choice, reference));
            }),
            saving: self.saving(),
            ordering: order.pending().into(),
            notice: Signal::derive({
                let (notice, from) = (self.notice, self.notice_from);
                move || from.get().map(|tier| (tier, notice.get()))
            }),
            failure: self.order_failure,
        }
    }
}

/// Forgets the kept changes of a design once it is saved (and those of a new design).
fn forget_kept(design_id: Option<&str>) {
    kept_draft::forget(&kept_key(design_id));
    kept_draft::forget(&kept_key(None));
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
fn show_problems(
    error: AppError,
    problems: RwSignal<Vec<(String, String)>>,
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
