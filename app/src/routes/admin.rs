//! Admin pages: accounts and roles, product texts, price book versions, the audit log, and
//! network operations (span utilisation, fault injection).

use crate::components::format_utc;
use crate::components::forms::{
    count_successes, error_id, field_id, outcome, problem_of, succeeded, Field, FormField, FormProblem,
};
use crate::components::layout::DataTable;
use crate::components::layout::Skeleton;
use crate::components::topology_map::TopologyMap;
use crate::server_fns::admin::{
    list_price_books, list_users, load_admin_products, load_audit_log, load_network_ops, load_price_book, AddOption,
    AddPriceLine, AddProduct, OpenDraft, PublishPriceBook, SetFaults, SetPrice, SetRole, SetTerminationShare,
    UpdateProduct,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params, use_query_map};
use leptos_router::params::Params;
use lightpath_domain::account::Role;
use lightpath_domain::catalog::{Ends, LifecycleStage};
use lightpath_domain::money::group_thousands;
use lightpath_domain::price_book::{Charge, PriceUnit};
use lightpath_domain::{SpanId, Term};

/// The title and heading of an admin page.
#[component]
fn AdminHead(title: &'static str, #[prop(optional)] lede: &'static str) -> impl IntoView {
    view! {
        <Title text=format!("{title} · Admin · Lightpath") />
        <section class="page-head">
            <p class="eyebrow">"Admin"</p>
            <h1>{title}</h1>
            {(!lede.is_empty()).then(|| view! { <p class="lede">{lede}</p> })}
        </section>
    }
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let set_role = ServerAction::<SetRole>::new();
    let outcome = outcome(set_role);
    let changes = count_successes(&[succeeded(outcome)]);
    let page = crate::components::layout::page_from_query();
    let users = Resource::new(move || (changes.get(), page()), |(_, page)| list_users(Some(page)));
    view! {
        <AdminHead title="Users" />
        <FormProblem outcome />
        <Transition fallback=|| {
            view! { <Skeleton rows=5 /> }
        }>
            {move || Suspend::new(async move {
                crate::components::layout::or_problem(
                    users.await,
                    move |listed| {
                        let (users, page, more) = (listed.items, listed.page, listed.more);
                        view! {
                            <DataTable columns=&[
                                ("Name", ""),
                                ("Email", ""),
                                ("Organisation", ""),
                                ("Role", ""),
                            ]>
                                {users
                                    .into_iter()
                                    .map(|user| {
                                        let choices: Vec<Role> = Role::ALL
                                            .into_iter()
                                            .filter(|r| r.is_staff() == user.role.is_staff())
                                            .collect();
                                        let current = user.role;
                                        view! {
                                            <tr>
                                                <td>{user.name.clone()}</td>
                                                <td>{user.email.to_string()}</td>
                                                <td>
                                                    {user
                                                        .organisation
                                                        .as_ref()
                                                        .map(|o| o.name.clone())
                                                        .unwrap_or_else(|| "Lightpath staff".into())}
                                                </td>
                                                <td>
                                                    <ActionForm action=set_role attr:class="inline-form">
                                                        <input type="hidden" name="user" value=user.id.to_string() />
                                                        <label class="visually-hidden" for=format!("role-{}", user.id)>
                                                            {format!("Role of {}", user.name)}
                                                        </label>
                                                        <select name="role" id=format!("role-{}", user.id)>
                                                            {choices
                                                                .into_iter()
                                                                .map(|role| {
                                                                    view! {
                                                                        <option value=role.slug() selected=role == current>
                                                                            {role.label()}
                                                                        </option>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </select>
                                                        <button type="submit" class="button button-small">
                                                            "Save"
                                                        </button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </DataTable>
                            <crate::components::layout::Pager page more path="/admin/users" />
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}

#[component]
pub fn AdminCatalogPage() -> impl IntoView {
    let update = ServerAction::<UpdateProduct>::new();
    let add_product = ServerAction::<AddProduct>::new();
    let add_option = ServerAction::<AddOption>::new();
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
        <NewProductForm action=add_product />
        <Transition fallback=|| {
            view! { <Skeleton rows=5 /> }
        }>
            {move || Suspend::new(async move {
                crate::components::layout::or_problem(
                    products.await,
                    move |products| {
                        let choices: Vec<(String, String)> = products
                            .iter()
                            .map(|p| (p.id.to_string(), p.name.clone()))
                            .collect();
                        view! {
                            <NewOptionForm action=add_option products=choices />
                            <Show when=move || matches!(updated.get(), Some(Ok(())))>
                                <p class="form-success" role="status">
                                    "Saved."
                                </p>
                            </Show>
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
                                                <ActionForm action=update attr:class="stack-form" attr:novalidate="">
                                                    <input type="hidden" name="id" value=product.id.to_string() />
                                                    <Field
                                                        outcome=updated
                                                        name="name"
                                                        label="Name"
                                                        value=product.name.clone()
                                                    />
                                                    <Field
                                                        outcome=updated
                                                        name="tagline"
                                                        label="Tagline"
                                                        value=product.tagline.clone()
                                                    />
                                                    <div class="field">
                                                        <label for=format!(
                                                            "description-{}",
                                                            product.id,
                                                        )>"Description"</label>
                                                        <textarea
                                                            id=format!("description-{}", product.id)
                                                            name="description"
                                                            rows="4"
                                                        >
                                                            {product.description.clone()}
                                                        </textarea>
                                                    </div>
                                                    <FormProblem outcome=updated />
                                                    <button type="submit" class="button">
                                                        "Save product"
                                                    </button>
                                                </ActionForm>
                                            </details>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}

#[component]
fn NewProductForm(action: ServerAction<AddProduct>) -> impl IntoView {
    let added = outcome(action);
    let (stages_problem, terms_problem, ends_problem) =
        (problem_of(added, "stages"), problem_of(added, "terms"), problem_of(added, "ends"));
    view! {
        <details class="card new-product">
            <summary>
                <strong>"Add a product"</strong>
            </summary>
            <Show when=move || matches!(added.get(), Some(Ok(())))>
                <p class="form-success" role="status">
                    "Product added. Price its options in the price book draft, then publish it."
                </p>
            </Show>
            <ActionForm action attr:class="stack-form" attr:novalidate="">
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
                <fieldset class="choices" aria-describedby="stages-error">
                    <legend>"Lifecycle stages it serves"</legend>
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
                    <p class="field-error" id="stages-error" role="alert">
                        {stages_problem}
                    </p>
                </fieldset>
                <fieldset class="choices" aria-describedby="terms-error">
                    <legend>"Terms it is sold on"</legend>
                    <TermBoxes name="form[terms]" />
                    <p class="field-error" id="terms-error" role="alert">
                        {terms_problem}
                    </p>
                </fieldset>
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
                <div class="field-row">
                    <Field
                        outcome=added
                        name="form[option_code]"
                        error_key="option_code"
                        label="Option code"
                        hint="Letters, digits and dashes, like 800G."
                    />
                    <Field outcome=added name="form[option_label]" error_key="option_label" label="Option name" />
                    <Field
                        outcome=added
                        name="form[option_bandwidth]"
                        error_key="option_bandwidth"
                        label="Bandwidth (optional)"
                        hint="Like 800G; empty for a rack or an edition."
                        required=false
                    />
                </div>
                <FormProblem outcome=added />
                <button type="submit" class="button">
                    "Add the product"
                </button>
            </ActionForm>
        </details>
    }
}

#[component]
fn NewOptionForm(action: ServerAction<AddOption>, products: Vec<(String, String)>) -> impl IntoView {
    let added = outcome(action);
    view! {
        <details class="card new-option">
            <summary>
                <strong>"Add an option to a product"</strong>
            </summary>
            <Show when=move || matches!(added.get(), Some(Ok(())))>
                <p class="form-success" role="status">
                    "Option added. Price it in the price book draft, then publish it."
                </p>
            </Show>
            <ActionForm action attr:class="stack-form" attr:novalidate="">
                <div class="field">
                    <label for="field-option-product">"Product"</label>
                    <select id="field-option-product" name="product">
                        {products
                            .into_iter()
                            .map(|(id, name)| view! { <option value=id>{name}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field-row">
                    <Field
                        outcome=added
                        name="option_code"
                        label="Option code"
                        hint="Letters, digits and dashes, like 800G."
                    />
                    <Field outcome=added name="option_label" label="Option name" />
                    <Field
                        outcome=added
                        name="option_bandwidth"
                        label="Bandwidth (optional)"
                        hint="Like 800G; empty for a rack or an edition."
                        required=false
                    />
                </div>
                <FormProblem outcome=added />
                <button type="submit" class="button">
                    "Add the option"
                </button>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn PriceBooksPage() -> impl IntoView {
    let open = ServerAction::<OpenDraft>::new();
    let books = Resource::new(|| (), |_| list_price_books());
    view! {
        <AdminHead
            title="Price books"
            lede="Prices change by publishing a new version. Quotes and orders keep the version they were priced with."
        />
        <Transition fallback=|| {
            view! { <Skeleton rows=3 /> }
        }>
            {move || Suspend::new(async move {
                crate::components::layout::or_problem(
                    books.await,
                    move |books| {
                        let has_draft = books.iter().any(|b| b.status == "draft");
                        view! {
                            <ActionForm action=open attr:class="inline-form">
                                <button type="submit" class="button">
                                    {if has_draft { "Continue the draft" } else { "Open a draft" }}
                                </button>
                            </ActionForm>
                            <FormProblem outcome=outcome(open) />
                            <DataTable columns=&[
                                ("Version", ""),
                                ("Name", ""),
                                ("Status", ""),
                            ]>
                                {books
                                    .into_iter()
                                    .map(|book| {
                                        view! {
                                            <tr>
                                                <td>
                                                    <a href=format!(
                                                        "/admin/price-books/{}",
                                                        book.version,
                                                    )>{format!("v{}", book.version)}</a>
                                                </td>
                                                <td>{book.name}</td>
                                                <td>
                                                    <span class=format!(
                                                        "status status-{}",
                                                        book.status,
                                                    )>{status_label(&book.status)}</span>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </DataTable>
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        "draft" => "Draft",
        "published" => "Current",
        _ => "Retired",
    }
}

/// The `:version` of a price book's page.
#[derive(leptos::Params, Clone, Debug, PartialEq)]
struct PriceBookVersion {
    version: Option<String>,
}

#[component]
pub fn PriceBookPage() -> impl IntoView {
    let params = use_params::<PriceBookVersion>();
    let version =
        move || params.with(|params| params.as_ref().ok().and_then(|p| p.version.clone()).unwrap_or_default());
    let set_price = ServerAction::<SetPrice>::new();
    let publish = ServerAction::<PublishPriceBook>::new();
    let set_share = ServerAction::<SetTerminationShare>::new();
    let add_line = ServerAction::<AddPriceLine>::new();
    let (priced, published, shared, lined) =
        (outcome(set_price), outcome(publish), outcome(set_share), outcome(add_line));
    let changes = count_successes(&[succeeded(priced), succeeded(published), succeeded(shared), succeeded(lined)]);
    let book = Resource::new(move || (version(), changes.get()), |(version, _)| load_price_book(version));
    view! {
        <Transition fallback=|| {
            view! { <Skeleton rows=8 /> }
        }>
            {move || Suspend::new(async move {
                crate::components::layout::or_problem(
                    book.await,
                    move |book| {
                        let draft = book.status == "draft";
                        let version = book.version;
                        view! {
                            <Title text=format!("{} · Admin · Lightpath", book.name) />
                            <section class="page-head">
                                <p class="eyebrow">
                                    <a href="/admin/price-books">"Price books"</a>
                                </p>
                                <h1>
                                    {book.name.clone()} " "
                                    <span class=format!(
                                        "status status-{}",
                                        book.status,
                                    )>{status_label(&book.status)}</span>
                                </h1>
                            </section>
                            <Show when=move || matches!(published.get(), Some(Ok(())))>
                                <p class="form-success" role="status">
                                    "Published. New designs and quotes use these prices now."
                                </p>
                            </Show>
                            {draft
                                .then(|| {
                                    let problems = book.problems.clone();
                                    view! {
                                        <section class="card">
                                            {if problems.is_empty() {
                                                view! { <p>"This draft is complete and can be published."</p> }
                                                    .into_any()
                                            } else {
                                                view! {
                                                    <p>"Fix these before publishing:"</p>
                                                    <ul class="problems">
                                                        {problems
                                                            .into_iter()
                                                            .map(|p| view! { <li>{p}</li> })
                                                            .collect_view()}
                                                    </ul>
                                                }
                                                    .into_any()
                                            }} <ActionForm action=publish attr:class="inline-form">
                                                <input type="hidden" name="version" value=version />
                                                <button type="submit" class="button">
                                                    "Publish this version"
                                                </button>
                                            </ActionForm> <FormProblem outcome=published />
                                        </section>
                                    }
                                })}
                            {draft
                                .then(|| {
                                    let products: Vec<(String, String)> = book
                                        .terminations
                                        .iter()
                                        .map(|(id, name, _)| (id.to_string(), name.clone()))
                                        .collect();
                                    view! { <NewPriceLineForm action=add_line version products /> }
                                })}
                            <section class="card" aria-labelledby="termination-heading">
                                <h2 id="termination-heading">"Early termination"</h2>
                                <p class="muted">
                                    "The share of the remaining committed monthly charges a buyer pays to end a term early (or to cut bandwidth below it)."
                                </p>
                                <FormProblem outcome=shared />
                                <ul class="plain termination-shares">
                                    {book
                                        .terminations
                                        .clone()
                                        .into_iter()
                                        .map(|(product, name, share)| {
                                            let percent = lightpath_domain::money::format_basis_points(share);
                                            let plain = percent.trim_end_matches(" %").to_owned();
                                            view! {
                                                <li>
                                                    {if draft {
                                                        view! {
                                                            <ActionForm action=set_share attr:class="inline-form">
                                                                <input type="hidden" name="version" value=version />
                                                                <input
                                                                    type="hidden"
                                                                    name="product"
                                                                    value=product.to_string()
                                                                />
                                                                <label for=format!(
                                                                    "share-{product}",
                                                                )>{format!("{name} (%)")}</label>
                                                                <input
                                                                    id=format!("share-{product}")
                                                                    name="share"
                                                                    value=plain
                                                                    inputmode="decimal"
                                                                    size="6"
                                                                />
                                                                <button
                                                                    type="submit"
                                                                    class="button button-small"
                                                                    aria-label=format!(
                                                                        "Save the early termination share of {name}",
                                                                    )
                                                                >
                                                                    "Save"
                                                                </button>
                                                            </ActionForm>
                                                        }
                                                            .into_any()
                                                    } else {
                                                        view! { <span>{format!("{name}: {percent}")}</span> }.into_any()
                                                    }}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                            <FormProblem outcome=priced />
                            <DataTable
                                columns=&[
                                    ("Product", ""),
                                    ("Option", ""),
                                    ("Price", ""),
                                    ("Terms", ""),
                                    ("Amount (USD)", "num"),
                                ]
                                class="book-lines"
                            >
                                {book
                                    .lines
                                    .into_iter()
                                    .enumerate()
                                    .map(|(position, (product, line))| {
                                        let label = format!("{product} {} {}", line.option, line.label);
                                        let terms = if line.terms.is_empty() {
                                            "every term".to_owned()
                                        } else {
                                            line.terms.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ")
                                        };
                                        let amount = line.amount.to_string();
                                        let plain = dollars_plain(line.amount.cents());
                                        view! {
                                            <tr>
                                                <td>{product.clone()}</td>
                                                <td>{line.option.clone()}</td>
                                                <td>
                                                    {line.label.clone()}
                                                    <span class="muted">
                                                        {format!(" {} {}", line.charge.per(), line.unit.label())
                                                            .trim_end()
                                                            .to_owned()}
                                                    </span>
                                                </td>
                                                <td>{terms}</td>
                                                <td class="num">
                                                    {if draft {
                                                        view! {
                                                            <ActionForm action=set_price attr:class="inline-form">
                                                                <input type="hidden" name="version" value=version />
                                                                <input type="hidden" name="position" value=position />
                                                                <label
                                                                    class="visually-hidden"
                                                                    for=format!("amount-{position}")
                                                                >
                                                                    {format!("Amount for {label}")}
                                                                </label>
                                                                <input
                                                                    id=format!("amount-{position}")
                                                                    name="amount"
                                                                    value=plain
                                                                    inputmode="decimal"
                                                                    size="9"
                                                                />
                                                                <button type="submit" class="button button-small">
                                                                    "Save"
                                                                </button>
                                                            </ActionForm>
                                                        }
                                                            .into_any()
                                                    } else {
                                                        view! { <span>{amount}</span> }.into_any()
                                                    }}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </DataTable>
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}

/// Adds a price line to a draft: how a new option (or a new charge) is priced.
#[component]
fn NewPriceLineForm(
    action: ServerAction<AddPriceLine>,
    version: i64,
    products: Vec<(String, String)>,
) -> impl IntoView {
    let added = outcome(action);
    view! {
        <details class="card new-price-line">
            <summary>
                <strong>"Add a price line"</strong>
            </summary>
            <p class="muted">
                "Price a new option at every term it is sold on: a monthly or hourly price for each term, and any one-time or usage charges."
            </p>
            <Show when=move || matches!(added.get(), Some(Ok(())))>
                <p class="form-success" role="status">
                    "Price line added."
                </p>
            </Show>
            <ActionForm action attr:class="stack-form" attr:novalidate="">
                <input type="hidden" name="line[version]" value=version />
                <div class="field-row">
                    <div class="field">
                        <label for="field-line-product">"Product"</label>
                        <select id="field-line-product" name="line[product]">
                            {products
                                .into_iter()
                                .map(|(id, name)| view! { <option value=id>{name}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <Field outcome=added name="line[option]" error_key="option" label="Option code" />
                    <Field
                        outcome=added
                        name="line[label]"
                        error_key="label"
                        label="Price name"
                        hint="What the buyer reads, like Link or Install."
                    />
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="field-line-charge">"Charged"</label>
                        <select id="field-line-charge" name="line[charge]">
                            {Charge::ALL
                                .into_iter()
                                .map(|charge| {
                                    view! { <option value=charge.slug()>{charge.slug().replace('-', " ")}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="field-line-unit">"Per"</label>
                        <select id="field-line-unit" name="line[unit]">
                            {PriceUnit::ALL
                                .into_iter()
                                .map(|unit| {
                                    view! { <option value=unit.slug()>{unit.slug().replace('-', " ")}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <Field outcome=added name="line[amount]" error_key="amount" label="Amount (USD)" />
                </div>
                <fieldset class="choices">
                    <legend>"Terms it applies to (none ticked: every term)"</legend>
                    <TermBoxes name="line[terms]" />
                </fieldset>
                <FormProblem outcome=added />
                <button type="submit" class="button">
                    "Add the price line"
                </button>
            </ActionForm>
        </details>
    }
}

/// Cents as the dollar text the amount field accepts: 125000 → "1250", 355 → "3.55".
fn dollars_plain(cents: i64) -> String {
    if cents % 100 == 0 {
        (cents / 100).to_string()
    } else {
        format!("{}.{:02}", cents / 100, cents % 100)
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let page = crate::components::layout::page_from_query();
    let filter = move || (query.read().get("action"), query.read().get("actor"), page());
    let entries = Resource::new(filter, |(action, actor, page)| load_audit_log(action, actor, Some(page)));
    view! {
        <AdminHead title="Audit log" lede="Every change people made: who, when, what, before and after." />
        <form method="get" class="inline-form filter-form">
            <div class="field">
                <label for="audit-action">"Action"</label>
                <select id="audit-action" name="action">
                    {[
                        ("", "Every action"),
                        ("account", "Accounts"),
                        ("price-book", "Price books"),
                        ("product", "Products"),
                    ]
                        .into_iter()
                        .map(|(value, label)| {
                            view! {
                                <option
                                    value=value
                                    selected=move || query.read().get("action").unwrap_or_default() == value
                                >
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="audit-actor">"Person (email contains)"</label>
                <input id="audit-actor" name="actor" value=move || query.read().get("actor").unwrap_or_default() />
            </div>
            <button type="submit" class="button button-small">
                "Filter"
            </button>
        </form>
        <Transition fallback=|| {
            view! { <Skeleton rows=6 /> }
        }>
            {move || Suspend::new(async move {
                crate::components::layout::or_problem(
                    entries.await,
                    move |listed| {
                        let (entries, page, more) = (listed.items, listed.page, listed.more);
                        let keep: String = [
                            ("action", query.read_untracked().get("action")),
                            ("actor", query.read_untracked().get("actor")),
                        ]
                            .into_iter()
                            .filter_map(|(name, value)| {
                                value
                                    .filter(|value| !value.is_empty())
                                    .map(|value| format!("{name}={}&", crate::components::percent_encode(&value)))
                            })
                            .collect();
                        if entries.is_empty() {
                            // The filter travels with the page links.
                            view! { <p class="empty">"No entry matches. Clear the filter to see every change."</p> }
                                .into_any()
                        } else {
                            view! {
                                <DataTable
                                    columns=&[
                                        ("When (UTC)", ""),
                                        ("Who", ""),
                                        ("Action", ""),
                                        ("Subject", ""),
                                        ("Before", ""),
                                        ("After", ""),
                                    ]
                                    class="audit"
                                >
                                    {entries
                                        .into_iter()
                                        .map(|entry| {
                                            view! {
                                                <tr>
                                                    <td>{format_utc(entry.at_ms)}</td>
                                                    <td>{entry.actor_email}</td>
                                                    <td>
                                                        <code>{entry.action}</code>
                                                    </td>
                                                    <td>{entry.subject}</td>
                                                    <td>
                                                        <code class="json">{entry.before.unwrap_or_default()}</code>
                                                    </td>
                                                    <td>
                                                        <code class="json">{entry.after.unwrap_or_default()}</code>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </DataTable>
                                <crate::components::layout::Pager page more path="/admin/audit" keep />
                            }
                                .into_any()
                        }
                    },
                )
            })}
        </Transition>
    }
}

/// Network operations: the fault policy the simulated network provisions under, and the map
/// and table of span utilisation.
#[component]
pub fn AdminNetworkPage() -> impl IntoView {
    let save = ServerAction::<SetFaults>::new();
    let saved = outcome(save);
    let changes = count_successes(&[succeeded(saved)]);
    let ops = Resource::new(move || changes.get(), |_| load_network_ops());
    view! {
        <AdminHead
            title="Network operations"
            lede="How full each span is, and how the simulated network misbehaves during provisioning."
        />
        <Transition fallback=|| {
            view! { <Skeleton rows=6 /> }
        }>
            {move || Suspend::new(async move {
                crate::components::layout::or_problem(
                    ops.await,
                    move |ops| {
                        let policy = ops.policy;
                        let [timeout, activation, test] = policy.mix();
                        let load: Vec<(SpanId, u64)> = ops
                            .spans
                            .iter()
                            .filter_map(|span| Some((SpanId::parse(&span.id).ok()?, span.permille)))
                            .collect();
                        let network = ops.network;
                        view! {
                            <section class="card narrow">
                                <h2>"Fault injection"</h2>
                                <p class="muted">
                                    "Device steps (configure, activate, test) fail at this rate; failures are split by the weights. Every server uses these settings."
                                </p>
                                <ActionForm action=save attr:class="stack-form" attr:novalidate="">
                                    <Field
                                        outcome=saved
                                        name="failure_rate"
                                        label="Failure rate (%)"
                                        value=policy.rate_percent_text()
                                        hint="0 to 100, up to two decimals."
                                    />
                                    <div class="grid grid-3">
                                        <Field
                                            outcome=saved
                                            name="device_timeout"
                                            label="Device timeouts"
                                            value=timeout.to_string()
                                        />
                                        <Field
                                            outcome=saved
                                            name="activation"
                                            label="Activation failures"
                                            value=activation.to_string()
                                        />
                                        <Field outcome=saved name="test" label="Test failures" value=test.to_string() />
                                    </div>
                                    <Field
                                        outcome=saved
                                        name="speedup"
                                        label="Speed-up"
                                        value=policy.speedup().to_string()
                                        hint="How many times faster than real time: 1000 turns an hour of provisioning into 3.6 seconds."
                                    />
                                    <FormProblem outcome=saved />
                                    <Show when=move || matches!(saved.get(), Some(Ok(())))>
                                        <p class="form-success" role="status">
                                            "Saved. New provisioning steps use these settings."
                                        </p>
                                    </Show>
                                    <button type="submit" class="button" disabled=move || save.pending().get()>
                                        "Save fault settings"
                                    </button>
                                </ActionForm>
                            </section>
                            <h2>"Span utilisation"</h2>
                            <ul class="map-legend" aria-label="Span colours">
                                <li class="low">"under 50 % used"</li>
                                <li class="mid">"50–80 %"</li>
                                <li class="high">"80 % and over"</li>
                            </ul>
                            <TopologyMap network load />
                            <DataTable
                                columns=&[
                                    ("Span", ""),
                                    ("Route km", "num"),
                                    ("Capacity", "num"),
                                    ("Reserved", "num"),
                                    ("Used", ""),
                                ]
                                class="utilisation"
                            >
                                {ops
                                    .spans
                                    .into_iter()
                                    .map(|span| {
                                        let percent = format!("{}.{} %", span.permille / 10, span.permille % 10);
                                        view! {
                                            <tr>
                                                <td>
                                                    {span.ends} <span class="muted">{format!(" · {}", span.id)}</span>
                                                </td>
                                                <td class="num">{group_thousands(u64::from(span.route_km))}</td>
                                                <td class="num">
                                                    {format!("{} Gbps", group_thousands(span.capacity_gbps))}
                                                </td>
                                                <td class="num">
                                                    {format!("{} Gbps", group_thousands(span.reserved_mbps / 1_000))}
                                                </td>
                                                <td class="used">
                                                    <meter
                                                        min="0"
                                                        max="1000"
                                                        low="500"
                                                        high="800"
                                                        optimum="0"
                                                        value=span.permille.to_string()
                                                        aria-label=format!("{percent} used")
                                                    ></meter>
                                                    " "
                                                    {percent}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </DataTable>
                        }
                            .into_any()
                    },
                )
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times_and_amounts() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00");
        assert_eq!(format_utc(1_795_000_000_000), "2026-11-18 11:06:40");
        assert_eq!(dollars_plain(125_000), "1250");
        assert_eq!(dollars_plain(355), "3.55");
        assert_eq!(dollars_plain(5), "0.05");
    }
}

/// A checkbox for every term, posted as `{name}[0]`, `{name}[1]`… with the term's months.
#[component]
fn TermBoxes(name: &'static str) -> impl IntoView {
    Term::ALL
        .into_iter()
        .enumerate()
        .map(|(index, term)| {
            view! {
                <label class="checkbox">
                    <input type="checkbox" name=format!("{name}[{index}]") value=term.months().to_string() />
                    " "
                    {term.label()}
                </label>
            }
        })
        .collect_view()
}
