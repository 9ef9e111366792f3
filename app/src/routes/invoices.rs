//! Monthly invoices: the list (finance members and org admins; every organisation's for
//! Lightpath's billing, who can run billing early) and one invoice, printable.

use crate::components::forms::RedirectNotice;
use crate::components::layout::{DataTable, Empty, Loaded, RecordHead};
use crate::routes::record_id;
use crate::server_fns::invoices::{list_invoices, load_invoice};
use leptos::prelude::*;
use leptos_meta::Title;
use lightpath_app::model::invoices::{InvoiceLineRow, InvoicePage, InvoiceRow};

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let invoices = Resource::new(|| (), |_| list_invoices());
    view! {
        <Title text="Invoices · Lightpath" />
        <section class="page-head">
            <h1>"Invoices"</h1>
            <p class="lede">
                "One a month, from your services' rates: monthly charges pro rata, on-demand hours and one-time charges. Open one to print it or save it as PDF, or download its lines as CSV."
            </p>
        </section>
        <RedirectNotice key="billing" value="run" message="Billing ran: every organisation is invoiced up to now." />
        <Loaded
            rows=4
            data=invoices
            empty=Empty {
                when: |list| list.invoices.is_empty() && !list.may_run_billing,
                title: "No invoices yet",
                text: "Invoices are issued on the first of each month for the month before.",
                href: "/services",
                action: "Your services",
            }
            let:list
        >
            {list
                .may_run_billing
                .then(|| {
                    view! {
                        <form method="post" action="/api/admin/run-billing" class="inline-form no-print">
                            <button type="submit" class="button">
                                "Run billing now"
                            </button>
                            <span class="muted">
                                " Invoices every organisation up to now (the monthly run does this on the 1st)."
                            </span>
                        </form>
                    }
                })}
            <DataTable
                columns=&[("Invoice", ""), ("Organisation", ""), ("Period", ""), ("Issued", ""), ("Amount", "num")]
                without=(!list.mixed).then_some("Organisation")
                caption="Invoices"
                class="stacked"
            >
                {list
                    .invoices
                    .into_iter()
                    .map(|invoice| view! { <InvoiceLink invoice mixed=list.mixed /> })
                    .collect_view()}
            </DataTable>
        </Loaded>
    }
}

#[component]
fn InvoiceLink(invoice: InvoiceRow, mixed: bool) -> impl IntoView {
    view! {
        <tr>
            <td data-label="Invoice">
                <a href=format!("/invoices/{}", invoice.id)>{invoice.bill_no}</a>
            </td>
            {mixed.then(|| view! { <td data-label="Organisation">{invoice.organisation}</td> })}
            <td data-label="Period">{invoice.period}</td>
            <td data-label="Issued">{invoice.issued}</td>
            <td class="num" data-label="Amount">
                {invoice.amount}
            </td>
        </tr>
    }
}

/// One invoice, laid out to print (the header and navigation are left out on paper).
#[component]
pub fn InvoicePrintPage() -> impl IntoView {
    let invoice = Resource::new(record_id(), load_invoice);
    view! {
        <Loaded data=invoice rows=6 let:page>
            {
                let InvoicePage { head, lines } = page;
                view! {
                    <RecordHead
                        list=("/invoices", "Invoices")
                        name=head.bill_no.clone()
                        eyebrow=head.organisation.clone()
                    >
                        <p>{format!("Billing period {} · issued {}", head.period, head.issued)}</p>
                    </RecordHead>
                    <article class="printable invoice">
                        <p class="no-print actions">
                            <button
                                type="button"
                                class="button"
                                on:click=|_| {
                                    let _ = window().print();
                                }
                            >
                                "Print or save as PDF"
                            </button>
                            <a
                                class="button button-ghost"
                                href=format!("/api/v1/invoices/{}/lines.csv", head.id)
                                download=""
                            >
                                "Download CSV"
                            </a>
                        </p>
                        <p class="eyebrow">"Lightpath · network connectivity for AI"</p>
                        <InvoiceLines lines amount=head.amount />
                        <p class="muted small">
                            "Amounts in USD, before tax. Monthly charges are billed pro rata for the part of the period each rate ran; on-demand hours as used; one-time charges in the period they were made."
                        </p>
                    </article>
                }
            }
        </Loaded>
    }
}

#[component]
fn InvoiceLines(lines: Vec<InvoiceLineRow>, amount: String) -> impl IntoView {
    let foot: Children = Box::new(move || {
        view! {
            <tr class="print-net">
                <th scope="row" colspan="4">
                    "Amount due"
                </th>
                <td class="num" data-label="Total" data-testid="invoice-total">
                    {amount}
                </td>
            </tr>
        }
        .into_any()
    });
    view! {
        <DataTable
            columns=&[("Service", ""), ("Charge", ""), ("Type", ""), ("Covers", ""), ("Amount", "num")]
            caption="Invoice lines"
            class="stacked"
            foot=foot
        >
            {lines
                .into_iter()
                .map(|line| {
                    view! {
                        <tr>
                            <td data-label="Service">
                                <a href=format!("/services/{}", line.service_id)>{line.service}</a>
                            </td>
                            <td data-label="Charge">{line.name}</td>
                            <td data-label="Type">{line.kind}</td>
                            <td data-label="Covers">{line.covers}</td>
                            <td class="num" data-label="Amount">
                                {line.amount}
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}
