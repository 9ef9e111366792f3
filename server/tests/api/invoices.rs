//! Monthly invoices (issue 31): a billing run invoices an organisation for a wave ordered,
//! raised and disconnected with its fee, to the cent of the spend its services page shows;
//! finance members and org admins read it (page, REST, CSV), nobody else; it is numbered,
//! and a second run changes nothing issued.

use crate::configure::{browser_price, order, wave};
use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD};
use crate::public_api::{call, json_of, token};
use lightpath_app::model::invoices::{InvoiceList, InvoicePage};
use lightpath_app::model::orders::OrderPlaced;
use lightpath_app::model::services::Inventory;
use lightpath_domain::billing::{Invoice, LineKind};
use lightpath_domain::order::OrderState;
use lightpath_domain::Term;
use reqwest::{Method, StatusCode};

async fn invoices(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.post_form("/api/invoices", &[], Some(cookie)).await
}

async fn completed(app: &TestApp, response: reqwest::Response, cookie: &str) {
    assert_eq!(response.status(), 200);
    let placed: OrderPlaced = response.json().await.unwrap();
    let done = app.until_terminal(placed.id.as_str(), cookie).await;
    assert_eq!(done.summary.state, OrderState::Completed, "{:?}", done.events);
}

#[tokio::test]
async fn an_invoice_bills_an_order_a_raise_and_a_disconnect_with_its_fee_to_the_cent_of_the_spend() {
    let app = spawn_app().await;
    app.fast_network("0", ["1", "1", "1"]).await;
    let grace = app.sign_in("grace@acme.example", DEMO_PASSWORD).await;

    // A 12-month wave, raised from 10G to 100G, then disconnected early (a fee).
    let config = wave("10G", Term::Months12, 1);
    let seen = browser_price(&app, &config, &grace).await;
    completed(&app, order(&app, &config, "invoice-wave-000000001", &seen, &grace).await, &grace).await;
    let inventory: Inventory = app.post_form("/api/services", &[], Some(&grace)).await.json().await.unwrap();
    let id = inventory.services.items[0].id.to_string();
    let page: serde_json::Value =
        app.post_form("/api/service", &[("id", &id)], Some(&grace)).await.json().await.unwrap();
    let raised = page["choices"].as_array().unwrap().iter().find(|choice| choice["option"] == "100G").unwrap().clone();
    let monthly: lightpath_app::model::services::BandwidthChoice = serde_json::from_value(raised).unwrap();
    let cents = monthly.monthly_estimate().cents().to_string();
    let form =
        [("service", id.as_str()), ("option", "100G"), ("monthly_cents", &cents), ("key", "invoice-raise-00000001")];
    completed(&app, app.post_form("/api/change-bandwidth", &form, Some(&grace)).await, &grace).await;
    let disconnect = [("service", id.as_str()), ("key", "invoice-stop-000000001")];
    completed(&app, app.post_form("/api/disconnect-service", &disconnect, Some(&grace)).await, &grace).await;
    // Everything has stopped accruing: the spend the services page shows is final.
    let inventory: Inventory = app.post_form("/api/services", &[], Some(&grace)).await.json().await.unwrap();
    let spent = inventory.total.so_far;

    // Nothing is invoiced before a billing run; only Lightpath's admins run it early.
    let (ada, fran) =
        (app.sign_in("ada@acme.example", DEMO_PASSWORD).await, app.sign_in("fran@acme.example", DEMO_PASSWORD).await);
    let none: InvoiceList = invoices(&app, &ada).await.json().await.unwrap();
    assert!(none.invoices.is_empty() && !none.may_run_billing);
    assert_eq!(app.post_form("/api/admin/run-billing", &[], Some(&ada)).await.status(), 403);
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let run = app.post_form("/api/admin/run-billing", &[], Some(&admin)).await;
    assert_eq!(run.status(), 200);
    assert!(run.json::<u32>().await.unwrap() >= 1);

    // The finance member and the org admin read it; technical and read-only members do not.
    let list: InvoiceList = invoices(&app, &fran).await.json().await.unwrap();
    assert_eq!(list.invoices.len(), 1);
    assert_eq!(invoices(&app, &grace).await.status(), 403);
    let ken = app.sign_in("ken@acme.example", DEMO_PASSWORD).await;
    assert_eq!(invoices(&app, &ken).await.status(), 403);
    let row = &list.invoices[0];
    assert_eq!(row.amount, spent.to_string(), "the invoice is the spend, to the cent");

    // Its lines over REST: the two rates' monthly charges pro rata and the fee.
    // Organisation tokens act as technical members, who do not read invoices: the org admin's
    // admin token does.
    let buyer_token = token(&app, &ada, "ordering", "full").await;
    assert_eq!(call(&app, Method::GET, "/api/v1/invoices", &buyer_token, None).await.status(), 403);
    let books = token(&app, &ada, "books", "admin").await;
    let invoice =
        json_of(call(&app, Method::GET, &format!("/api/v1/invoices/{}", row.id), &books, None).await, StatusCode::OK)
            .await;
    assert!(invoice["billNo"].as_str().unwrap().ends_with("-0001"), "{invoice}");
    let invoice: Invoice = serde_json::from_value(invoice).unwrap();
    assert_eq!(invoice.amount_due, spent);
    let lines = &invoice.applied_customer_billing_rate;
    assert_eq!(lines.iter().filter(|line| line.kind == LineKind::Recurring).count(), 2, "{lines:?}");
    let fee = lines.iter().find(|line| line.name == "Early termination fee").expect("the fee is billed");
    assert!(fee.tax_excluded_amount.cents() > 0 && fee.kind == LineKind::OneTime);
    assert_eq!(lightpath_domain::billing::total(lines), invoice.amount_due);
    let listed = json_of(call(&app, Method::GET, "/api/v1/invoices", &books, None).await, StatusCode::OK).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["appliedCustomerBillingRate"], serde_json::json!([]), "a list carries no lines");

    // The CSV: a header and one row per line.
    let csv = call(&app, Method::GET, &format!("/api/v1/invoices/{}/lines.csv", row.id), &books, None).await;
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert_eq!(text.lines().count(), lines.len() + 1);
    assert!(text.starts_with("bill_no,service_id,service,type,description,from,to,amount_usd"));

    // The page: text only, its total the amount due.
    let page: InvoicePage = app.post_form("/api/invoice", &[("id", &row.id)], Some(&fran)).await.json().await.unwrap();
    assert_eq!((page.lines.len(), page.head.amount.as_str()), (lines.len(), spent.to_string().as_str()));

    // Another organisation's reader: not found, by page and by REST.
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    assert_eq!(app.post_form("/api/invoice", &[("id", &row.id)], Some(&hal)).await.status(), 404);
    let globex = token(&app, &hal, "globex books", "admin").await;
    let theirs = call(&app, Method::GET, &format!("/api/v1/invoices/{}", row.id), &globex, None).await;
    assert_eq!(theirs.status(), 404);
    let empty = json_of(call(&app, Method::GET, "/api/v1/invoices", &globex, None).await, StatusCode::OK).await;
    assert_eq!(empty, serde_json::json!([]));

    // A second run issues nothing new for Acme and changes nothing issued.
    assert_eq!(app.post_form("/api/admin/run-billing", &[], Some(&admin)).await.status(), 200);
    let again: InvoiceList = invoices(&app, &ada).await.json().await.unwrap();
    assert_eq!(again.invoices, list.invoices);
    let staff: InvoiceList = invoices(&app, &admin).await.json().await.unwrap();
    assert!(staff.may_run_billing && staff.invoices.iter().any(|invoice| invoice.id == row.id));
}
