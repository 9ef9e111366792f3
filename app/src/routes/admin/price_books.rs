//! Price book versions: the list, a draft's lines and publishing it.

use super::{AdminHead, TermBoxes};
use crate::components::form_action::{FormAction, PostForm};
use crate::components::forms::{count_successes, outcome, succeeded, Field, FormProblem, SelectField, SuccessNotice};
use crate::components::layout::{DataTable, Loaded};
use crate::server_fns::admin::{
    list_price_books, load_price_book, AddPriceLine, OpenDraft, PriceBookView, PublishPriceBook, SetPrices,
    SetTerminationShare,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;
use lightpath_domain::money::format_basis_points;
use lightpath_domain::price_book::{Charge, PriceLine, PriceUnit};
use lightpath_domain::records::PriceBookSummary;
use lightpath_domain::ProductId;

#[component]
pub fn PriceBooksPage() -> impl IntoView {
    let open = FormAction::<OpenDraft>::new();
    let books = Resource::new(|| (), |_| list_price_books());
    view! {
        <AdminHead
            title="Price books"
            lede="Prices change by publishing a new version. Quotes and orders keep the version they were priced with."
        />
        <Loaded data=books let:books>
            <PriceBookList books open />
        </Loaded>
    }
}

/// Every price book version, and the button that opens (or continues) the one draft.
#[component]
fn PriceBookList(books: Vec<PriceBookSummary>, open: FormAction<OpenDraft>) -> impl IntoView {
    let has_draft = books.iter().any(|b| b.status == "draft");
    view! {
        <PostForm action=open attr:class="inline-form">
            <button type="submit" class="button">
                {if has_draft { "Continue the draft" } else { "Open a draft" }}
            </button>
        </PostForm>
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
                                <span class=format!("status status-{}", book.status)>{status_label(&book.status)}</span>
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
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
    let set_prices = FormAction::<SetPrices>::new();
    let publish = FormAction::<PublishPriceBook>::new();
    let set_share = FormAction::<SetTerminationShare>::new();
    let add_line = FormAction::<AddPriceLine>::new();
    let (priced, published, shared, lined) =
        (outcome(set_prices), outcome(publish), outcome(set_share), outcome(add_line));
    let changes = count_successes(&[succeeded(priced), succeeded(published), succeeded(shared), succeeded(lined)]);
    let book = Resource::new(move || (version(), changes.get()), |(version, _)| load_price_book(version));
    view! {
        <Loaded data=book rows=8 let:book>
            <PriceBook book set_prices publish set_share add_line />
        </Loaded>
    }
}

/// One price book version: its state, publishing a draft, early termination shares and lines.
#[component]
fn PriceBook(
    book: PriceBookView,
    set_prices: FormAction<SetPrices>,
    publish: FormAction<PublishPriceBook>,
    set_share: FormAction<SetTerminationShare>,
    add_line: FormAction<AddPriceLine>,
) -> impl IntoView {
    let draft = book.status == "draft";
    let version = book.version;
    let products: Vec<(String, String)> =
        book.terminations.iter().map(|(id, name, _)| (id.to_string(), name.clone())).collect();
    view! {
        <Title text=format!("{} · Admin · Lightpath", book.name) />
        <section class="page-head">
            <p class="eyebrow">
                <a href="/admin/price-books">"Price books"</a>
            </p>
            <h1>
                {book.name.clone()} " "
                <span class=format!("status status-{}", book.status)>{status_label(&book.status)}</span>
            </h1>
        </section>
        <SuccessNotice
            when=succeeded(outcome(publish))
            message="Published. New designs and quotes use these prices now."
        />
        {draft.then(|| view! { <PublishDraft problems=book.problems.clone() version publish /> })}
        {draft.then(|| view! { <NewPriceLineForm action=add_line version products /> })}
        <TerminationShares terminations=book.terminations draft version set_share />
        <PriceLines lines=book.lines draft version set_prices />
    }
}

/// What keeps a draft from being published, and Publish.
#[component]
fn PublishDraft(problems: Vec<String>, version: i64, publish: FormAction<PublishPriceBook>) -> impl IntoView {
    // Publish is the page's primary action only once nothing stands in its way.
    let class = if problems.is_empty() { "button" } else { "button button-ghost" };
    let state = if problems.is_empty() {
        view! { <p>"This draft is complete and can be published."</p> }.into_any()
    } else {
        view! {
            <p>"Fix these before publishing:"</p>
            <ul class="problems">{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
        }
        .into_any()
    };
    view! {
        <section class="card">
            {state} <PostForm action=publish attr:class="inline-form">
                <input type="hidden" name="version" value=version />
                <button type="submit" class=class>
                    "Publish this version"
                </button>
            </PostForm> <FormProblem outcome=outcome(publish) />
        </section>
    }
}

/// Each product's early termination share, editable in a draft.
#[component]
fn TerminationShares(
    terminations: Vec<(ProductId, String, u32)>,
    draft: bool,
    version: i64,
    set_share: FormAction<SetTerminationShare>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="termination-heading">
            <h2 id="termination-heading">"Early termination"</h2>
            <p class="muted">
                "The share of the remaining committed monthly charges a buyer pays to end a term early (or to cut bandwidth below it)."
            </p>
            <FormProblem outcome=outcome(set_share) />
            <ul class="plain termination-shares">
                {terminations
                    .into_iter()
                    .map(|(product, name, share)| {
                        let percent = format_basis_points(share);
                        let plain = percent.trim_end_matches(" %").to_owned();
                        let shown = if draft {
                            view! {
                                <PostForm action=set_share attr:class="inline-form">
                                    <input type="hidden" name="version" value=version />
                                    <input type="hidden" name="product" value=product.to_string() />
                                    <label for=format!("share-{product}")>{format!("{name} (%)")}</label>
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
                                        aria-label=format!("Save the early termination share of {name}")
                                    >
                                        "Save"
                                    </button>
                                </PostForm>
                            }
                                .into_any()
                        } else {
                            view! { <span>{format!("{name}: {percent}")}</span> }.into_any()
                        };
                        view! { <li>{shown}</li> }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Every line of the book. In a draft, the amounts are one form with one Save: typed values stay
/// where they are when a save is refused, and nothing is stored unless every amount is good.
#[component]
fn PriceLines(
    lines: Vec<(String, PriceLine)>,
    draft: bool,
    version: i64,
    set_prices: FormAction<SetPrices>,
) -> impl IntoView {
    let count = lines.len();
    let table = view! {
        <DataTable
            columns=&[("Product", ""), ("Option", ""), ("Price", ""), ("Terms", ""), ("Amount (USD)", "num")]
            class="book-lines"
            caption=format!("{count} price lines")
        >
            {lines
                .into_iter()
                .enumerate()
                .map(|(position, (product, line))| view! { <PriceLineRow position product line draft /> })
                .collect_view()}
        </DataTable>
    };
    if !draft {
        return table.into_any();
    }
    let saved = outcome(set_prices);
    view! {
        <PostForm action=set_prices attr:class="book-form">
            <input type="hidden" name="version" value=version />
            {table}
            <div class="form-actions">
                <button type="submit" class="button">
                    "Save prices"
                </button>
                <FormProblem outcome=saved />
                <SuccessNotice when=succeeded(saved) message="Prices saved in the draft." />
            </div>
        </PostForm>
    }
    .into_any()
}

/// One line of the book: its amount as an input named by its position in a draft.
#[component]
fn PriceLineRow(position: usize, product: String, line: PriceLine, draft: bool) -> impl IntoView {
    let label = format!("{product} {} {}", line.option, line.label);
    let terms = if line.terms.is_empty() {
        "every term".to_owned()
    } else {
        line.terms.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ")
    };
    let amount = if draft {
        view! {
            <label class="visually-hidden" for=format!("amount-{position}")>
                {format!("Amount for {label}")}
            </label>
            <input
                id=format!("amount-{position}")
                name=format!("amounts[{position}]")
                value=dollars_plain(line.amount.cents())
                inputmode="decimal"
                size="9"
            />
        }
        .into_any()
    } else {
        view! { <span>{line.amount.to_string()}</span> }.into_any()
    };
    view! {
        <tr>
            <td>{product}</td>
            <td>{line.option.clone()}</td>
            <td>
                {line.label.clone()}
                <span class="muted">
                    {format!(" {} {}", line.charge.per(), line.unit.label()).trim_end().to_owned()}
                </span>
            </td>
            <td>{terms}</td>
            <td class="num">{amount}</td>
        </tr>
    }
}

/// Adds a price line to a draft: how a new option (or a new charge) is priced.
#[component]
fn NewPriceLineForm(action: FormAction<AddPriceLine>, version: i64, products: Vec<(String, String)>) -> impl IntoView {
    let added = outcome(action);
    view! {
        <details class="card new-price-line">
            <summary>
                <strong>"Add a price line"</strong>
            </summary>
            <p class="muted">
                "Price a new option at every term it is sold on: a monthly or hourly price for each term, and any one-time or usage charges."
            </p>
            <SuccessNotice when=succeeded(added) message="Price line added." />
            <PostForm action attr:class="stack-form" attr:novalidate="">
                <input type="hidden" name="line[version]" value=version />
                <div class="field-row">
                    <SelectField id="field-line-product" label="Product" name="line[product]" options=products />
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
                    <SelectField
                        id="field-line-charge"
                        label="Charged"
                        name="line[charge]"
                        options=slug_choices(Charge::ALL.map(|charge| charge.slug()))
                    />
                    <SelectField
                        id="field-line-unit"
                        label="Per"
                        name="line[unit]"
                        options=slug_choices(PriceUnit::ALL.map(|unit| unit.slug()))
                    />
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
            </PostForm>
        </details>
    }
}

/// Slugs as the choices of a list, read with spaces: `one-time` → "one time".
fn slug_choices<const N: usize>(slugs: [&'static str; N]) -> Vec<(String, String)> {
    slugs.into_iter().map(|slug| (slug.to_owned(), slug.replace('-', " "))).collect()
}

/// Cents as the dollar text the amount field accepts: 125000 → "1250", 355 → "3.55".
fn dollars_plain(cents: i64) -> String {
    if cents % 100 == 0 {
        (cents / 100).to_string()
    } else {
        format!("{}.{:02}", cents / 100, cents % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::format_utc;

    #[test]
    fn formats_times_and_amounts() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00");
        assert_eq!(format_utc(1_795_000_000_000), "2026-11-18 11:06:40");
        assert_eq!(dollars_plain(125_000), "1250");
        assert_eq!(dollars_plain(355), "3.55");
        assert_eq!(dollars_plain(5), "0.05");
    }
}
