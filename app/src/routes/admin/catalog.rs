//! Products: their texts, and adding a product or an option (priced in a draft price book).

use super::TermBoxes;
use crate::components::form_action::{FormAction, PostForm};
use crate::components::forms::{
    count_successes, error_id, field_id, outcome, problem_of, succeeded, ChoiceGroup, Field, FormField, FormProblem,
    Outcome, SelectField, SuccessNotice,
};
use crate::components::layout::Loaded;
use crate::server_fns::admin::{load_admin_products, AddOption, AddProduct, UpdateProduct};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_domain::catalog::{Ends, LifecycleStage};

#[component]
pub fn AdminCatalogPage() -> impl IntoView {
    let update = FormAction::<UpdateProduct>::new();
    let add_product = FormAction::<AddProduct>::new();
    let add_option = FormAction::<AddOption>::new();
    let (updated, product_added, option_added) = (outcome(update), outcome(add_product), outcome(add_option));
    let changes = count_successes(&[succeeded(updated), succeeded(product_added), succeeded(option_added)]);
    let products = Resource::new(move || changes.get(), |_| load_admin_products());
    view! {
        <Title text="Catalog · Admin · Lightpath" />
        <section class="page-head">
            <p class="eyebrow">"Admin"</p>
            <h1>"Products"</h1>
            <p class="lede">
                "Names and descriptions change at once. Prices change through a "
                <a href="/admin/price-books">"price book draft"</a>
                ". A new product or option is sold once a published price book prices it."
            </p>
        </section>
        // Everything that changes the catalog renders only once the admin's own data loaded: a
        // viewer without access sees the refusal alone, no form.
        <Loaded data=products rows=5 let:products>
            <NewProductForm action=add_product />
            <NewOptionForm
                action=add_option
                products=products.iter().map(|p| (p.id.to_string(), p.name.clone())).collect()
            />
            <SuccessNotice when=succeeded(updated) message="Saved." />
            <div class="stack">
                {products
                    .into_iter()
                    .map(|product| {
                        let options = product
                            .options
                            .iter()
                            .map(|o| format!("{} ({})", o.label, o.code))
                            .collect::<Vec<_>>()
                            .join(", ");
                        view! {
                            <details class="card">
                                <summary>
                                    <strong>{product.name.clone()}</strong>
                                    <span class="muted">{format!(" · {}", product.id)}</span>
                                </summary>
                                <p class="muted">
                                    {format!(
                                        "{} · lead time {} days · options: {options}",
                                        product.ends.label(),
                                        product.provisioning.lead_days,
                                    )}
                                </p>
                                <PostForm action=update attr:class="stack-form" attr:novalidate="">
                                    <input type="hidden" name="id" value=product.id.to_string() />
                                    <Field
                                        outcome=updated
                                        id=format!("product-{}-name", product.id)
                                        name="name"
                                        label="Name"
                                        value=product.name.clone()
                                    />
                                    <Field
                                        outcome=updated
                                        id=format!("product-{}-tagline", product.id)
                                        name="tagline"
                                        label="Tagline"
                                        value=product.tagline.clone()
                                    />
                                    <div class="field">
                                        <label for=format!("description-{}", product.id)>"Description"</label>
                                        <textarea id=format!("description-{}", product.id) name="description" rows="4">
                                            {product.description.clone()}
                                        </textarea>
                                    </div>
                                    <FormProblem outcome=updated />
                                    <button type="submit" class="button">
                                        "Save product"
                                    </button>
                                </PostForm>
                            </details>
                        }
                    })
                    .collect_view()}
            </div>
        </Loaded>
    }
}

#[component]
fn NewProductForm(action: FormAction<AddProduct>) -> impl IntoView {
    let added = outcome(action);
    let (stages_problem, terms_problem, ends_problem) =
        (problem_of(added, "stages"), problem_of(added, "terms"), problem_of(added, "ends"));
    view! {
        <details class="card new-product">
            <summary>
                <strong>"Add a product"</strong>
            </summary>
            <SuccessNotice
                when=succeeded(added)
                message="Product added. Price its options in the price book draft, then publish it."
            />
            <PostForm action attr:class="stack-form" attr:novalidate="">
                <Field
                    outcome=added
                    name="form[id]"
                    error_key="id"
                    label="Product id"
                    hint="2–48 lowercase letters, digits and dashes; it is the product's address."
                />
                <Field outcome=added name="form[name]" error_key="name" label="Name" />
                <Field outcome=added name="form[tagline]" error_key="tagline" label="Tagline" />
                <Field outcome=added name="form[description]" error_key="description" label="Description" />
                <Field outcome=added name="form[billing]" error_key="billing" label="How it is billed" />
                <ChoiceGroup legend="Lifecycle stages it serves" error_id="stages-error" message=stages_problem>
                    {LifecycleStage::ALL
                        .into_iter()
                        .enumerate()
                        .map(|(index, stage)| {
                            view! {
                                <label class="checkbox">
                                    <input type="checkbox" name=format!("form[stages][{index}]") value=stage.slug() />
                                    " "
                                    {stage.label()}
                                </label>
                            }
                        })
                        .collect_view()}
                </ChoiceGroup>
                <ChoiceGroup legend="Terms it is sold on" error_id="terms-error" message=terms_problem>
                    <TermBoxes name="form[terms]" />
                </ChoiceGroup>
                <FormField id=field_id("ends") label="Sites it is delivered at" message=ends_problem>
                    <select id=field_id("ends") name="form[ends]" aria-describedby=error_id(&field_id("ends"))>
                        {Ends::ALL
                            .into_iter()
                            .map(|ends| {
                                view! {
                                    <option value=ends.slug() selected=ends == Ends::Two>
                                        {ends.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </FormField>
                <div class="field-row">
                    <Field
                        outcome=added
                        name="form[lead_days]"
                        error_key="lead_days"
                        label="Lead time (days)"
                        value="30"
                    />
                    <Field
                        outcome=added
                        name="form[configure_minutes]"
                        error_key="configure_minutes"
                        label="Configure each end (minutes)"
                        value="30"
                    />
                    <Field
                        outcome=added
                        name="form[activate_minutes]"
                        error_key="activate_minutes"
                        label="Activate (minutes)"
                        value="10"
                    />
                    <Field
                        outcome=added
                        name="form[test_minutes]"
                        error_key="test_minutes"
                        label="Test (minutes)"
                        value="30"
                    />
                </div>
                <p class="muted">"Its first option (add more below once it exists):"</p>
                <OptionFields outcome=added in_new_product=true />
                <FormProblem outcome=added />
                <button type="submit" class="button">
                    "Add the product"
                </button>
            </PostForm>
        </details>
    }
}

#[component]
fn NewOptionForm(action: FormAction<AddOption>, products: Vec<(String, String)>) -> impl IntoView {
    let added = outcome(action);
    view! {
        <details class="card new-option">
            <summary>
                <strong>"Add an option to a product"</strong>
            </summary>
            <SuccessNotice
                when=succeeded(added)
                message="Option added. Price it in the price book draft, then publish it."
            />
            <PostForm action attr:class="stack-form" attr:novalidate="">
                <SelectField id="field-option-product" label="Product" name="product" options=products />
                <OptionFields outcome=added />
                <FormProblem outcome=added />
                <button type="submit" class="button">
                    "Add the option"
                </button>
            </PostForm>
        </details>
    }
}

/// An option's code, name and bandwidth: posted on their own, or inside a new product's
/// `form[…]` (`in_new_product`).
#[component]
fn OptionFields<T: Send + Sync + 'static>(
    outcome: Outcome<T>,
    #[prop(optional)] in_new_product: bool,
) -> impl IntoView {
    let name = move |own: &'static str, nested: &'static str| if in_new_product { nested } else { own };
    view! {
        <div class="field-row">
            <Field
                outcome
                name=name("option_code", "form[option_code]")
                error_key="option_code"
                label="Option code"
                hint="Letters, digits and dashes, like 800G."
            />
            <Field
                outcome
                name=name("option_label", "form[option_label]")
                error_key="option_label"
                label="Option name"
            />
            <Field
                outcome
                name=name("option_bandwidth", "form[option_bandwidth]")
                error_key="option_bandwidth"
                label="Bandwidth (optional)"
                hint="Like 800G; empty for a rack or an edition."
                required=false
            />
        </div>
    }
}
