//! Admin work: accounts and roles, product texts, price book versions, the audit log and the
//! simulated network's fault injection.

use std::collections::BTreeMap;
use crate::model::admin::*;
use crate::{AppError, Caller};
use lightpath_domain::account::Actor;
use lightpath_domain::account::{parse_name, Id, Role};
use lightpath_domain::policy::Permission;
use lightpath_domain::records::{AuditEntry, PriceBookSummary};
use lightpath_domain::{Money, ProductId};
use lightpath_store::audit::AuditFilter;
use lightpath_store::catalog_admin::ProductTexts;

pub async fn list_users(
    caller: &Caller,
    page: Option<u32>,
) -> Result<lightpath_domain::records::Paged<Actor>, AppError> {
    caller.require(Permission::ManageUsers)?;
    Ok(caller.store.users(lightpath_domain::records::PageRequest::new(page.unwrap_or(0))).await?)
}

pub async fn set_role(caller: &Caller, user: String, role: String) -> Result<(), AppError> {
    let actor = caller.require_sensitive(Permission::ManageUsers)?;
    let user = Id::parse(&user).ok_or(AppError::NotFound)?;
    let role = Role::parse(&role).ok_or_else(|| AppError::field("role", "Choose one of the listed roles."))?;
    Ok(caller.store.set_role(&actor, &user, role, None).await?)
}

pub async fn products(caller: &Caller) -> Result<Vec<lightpath_domain::Product>, AppError> {
    caller.require(Permission::ManageCatalog)?;
    Ok(caller.store.products().await?)
}

pub async fn update_product(
    caller: &Caller,
    id: String,
    name: String,
    tagline: String,
    description: String,
) -> Result<(), AppError> {
    let actor = caller.require(Permission::ManageCatalog)?;
    let id = ProductId::parse(&id).map_err(|_| AppError::NotFound)?;
    let name = parse_name("name", "the product name", &name);
    let tagline = parse_name("tagline", "a tagline", &tagline);
    let description = description.trim().to_owned();
    let mut fields: Vec<(String, String)> = [name.as_ref().err(), tagline.as_ref().err()]
        .into_iter()
        .flatten()
        .map(|e| (e.field.to_owned(), e.message.clone()))
        .collect();
    if description.is_empty() || description.chars().count() > 2000 {
        fields.push(("description".into(), "Write a description of 1 to 2,000 characters.".into()));
    }
    let (Ok(name), Ok(tagline), true) = (name, tagline, fields.is_empty()) else {
        return Err(AppError::Fields(fields));
    };
    Ok(caller.store.update_product_texts(&actor, &id, &ProductTexts { name, tagline, description }).await?)
}

fn catalog_problems(problems: Vec<(String, String)>) -> AppError {
    AppError::Fields(problems)
}

pub async fn add_product(caller: &Caller, form: lightpath_domain::catalog::ProductForm) -> Result<(), AppError> {
    let actor = caller.require(Permission::ManageCatalog)?;
    let product = form.parse().map_err(catalog_problems)?;
    Ok(caller.store.add_product(&actor, &product).await?)
}

pub async fn add_option(
    caller: &Caller,
    product: String,
    code: String,
    label: String,
    bandwidth: String,
) -> Result<(), AppError> {
    let actor = caller.require(Permission::ManageCatalog)?;
    let product = ProductId::parse(&product).map_err(|_| AppError::NotFound)?;
    let option = lightpath_domain::catalog::parse_option(&code, &label, &bandwidth).map_err(catalog_problems)?;
    Ok(caller.store.add_option(&actor, &product, &option).await?)
}

pub async fn add_price_line(caller: &Caller, form: PriceLineForm) -> Result<(), AppError> {
    let PriceLineForm { version, product, option, label, charge, unit, amount, terms } = form;
    use lightpath_domain::price_book::{Charge, PriceLine, PriceUnit};
    let actor = caller.require(Permission::ManageCatalog)?;
    let product = ProductId::parse(&product).map_err(|_| AppError::NotFound)?;
    let mut problems = Vec::new();
    let label = lightpath_domain::account::parse_name("label", "the price's name", &label)
        .map_err(|error| problems.push((error.field.to_owned(), error.message)))
        .ok();
    let charge = Charge::parse(&charge);
    if charge.is_none() {
        problems.push(("charge".to_owned(), "Choose how it is charged.".to_owned()));
    }
    let unit = PriceUnit::parse(&unit);
    if unit.is_none() {
        problems.push(("unit".to_owned(), "Choose what it is charged per.".to_owned()));
    }
    let amount = lightpath_domain::Money::parse_dollars(amount.trim())
        .map_err(|_| problems.push(("amount".to_owned(), "Write the price in dollars, like 1250 or 3.55.".to_owned())))
        .ok();
    let terms: Vec<lightpath_domain::Term> = terms
        .unwrap_or_default()
        .iter()
        .filter_map(|months| months.parse::<u8>().ok())
        .filter_map(|months| lightpath_domain::Term::from_months(months).ok())
        .collect();
    let (Some(label), Some(charge), Some(unit), Some(amount), true) =
        (label, charge, unit, amount, problems.is_empty())
    else {
        return Err(AppError::Fields(problems));
    };
    let line = PriceLine { product, option: option.trim().to_owned(), label, charge, unit, amount, terms };
    Ok(caller.store.add_price_line(&actor, version, &line).await?)
}

pub async fn list_price_books(caller: &Caller) -> Result<Vec<PriceBookSummary>, AppError> {
    caller.require(Permission::ManageCatalog)?;
    Ok(caller.store.price_books().await?)
}

pub async fn load_price_book(caller: &Caller, version: String) -> Result<PriceBookView, AppError> {
    caller.require(Permission::ManageCatalog)?;
    let version: i64 = version.parse().map_err(|_| AppError::NotFound)?;
    let store = caller.store.clone();
    let summary = store.price_books().await?.into_iter().find(|b| b.version == version).ok_or(AppError::NotFound)?;
    let book = store.price_book(version).await?.ok_or(AppError::NotFound)?;
    let products = store.products().await?;
    let problems = if summary.status == "draft" { book.problems(&products) } else { Vec::new() };
    let name_of =
        |id: &ProductId| products.iter().find(|p| &p.id == id).map_or_else(|| id.to_string(), |p| p.name.clone());
    let terminations = products
        .iter()
        .map(|product| (product.id.clone(), product.name.clone(), book.termination_share(&product.id)))
        .collect();
    Ok(PriceBookView {
        version,
        name: summary.name,
        status: summary.status,
        lines: book.lines.into_iter().map(|line| (name_of(&line.product), line)).collect(),
        problems,
        terminations,
    })
}

pub async fn open_draft(caller: &Caller) -> Result<i64, AppError> {
    let actor = caller.require(Permission::ManageCatalog)?;
    Ok(caller.store.open_draft(&actor).await?)
}

/// The most prices one save may carry: more than any price book has lines, few enough that a
/// forged request costs little to refuse.
pub const MAX_PRICES_PER_SAVE: usize = 2_000;

/// Sets a draft's prices from its one form: `amounts` maps a line's position to the amount
/// typed ("1250", "3.55"). Every amount is checked before any is stored; a problem names the
/// line (by its number on the page) and nothing changes. Answers how many prices changed.
pub async fn set_prices(caller: &Caller, version: i64, amounts: BTreeMap<String, String>) -> Result<usize, AppError> {
    let actor = caller.require(Permission::ManageCatalog)?;
    if amounts.len() > MAX_PRICES_PER_SAVE {
        return Err(AppError::Invalid(format!("A save carries at most {MAX_PRICES_PER_SAVE} prices.")));
    }
    let mut parsed = BTreeMap::new();
    let mut problems = Vec::new();
    for (position, amount) in &amounts {
        let Ok(position) = position.parse::<i64>() else {
            return Err(AppError::Invalid("This form is out of date: reload the page and enter the prices again.".into()));
        };
        match Money::parse_dollars(amount) {
            Ok(amount) => {
                parsed.insert(position, amount);
            }
            Err(_) => problems.push(position),
        }
    }
    if !problems.is_empty() {
        // Named as the page names them: product, option and charge.
        let book = caller.store.price_book(version).await?.ok_or(AppError::NotFound)?;
        let products = caller.store.products().await?;
        let name = |position: i64| {
            let line = usize::try_from(position).ok().and_then(|index| book.lines.get(index));
            line.map_or_else(
                || format!("line {}", position + 1),
                |line| {
                    let product = products.iter().find(|p| p.id == line.product).map_or(line.product.as_str(), |p| &p.name);
                    format!("{product} {} {}", line.option, line.label)
                },
            )
        };
        let more = problems.len().saturating_sub(5);
        let mut lines: Vec<String> = problems.into_iter().take(5).map(name).collect();
        if more > 0 {
            lines.push(format!("{more} more"));
        }
        return Err(AppError::Invalid(format!(
            "Enter an amount in dollars, like 1250 or 3.55, for {}. Prices cannot be negative. Nothing was saved.",
            lines.join("; ")
        )));
    }
    Ok(caller.store.set_prices(&actor, version, &parsed).await?)
}

pub async fn set_termination_share(
    caller: &Caller,
    version: i64,
    product: String,
    share: String,
) -> Result<(), AppError> {
    let actor = caller.require(Permission::ManageCatalog)?;
    let product = ProductId::parse(&product).map_err(|_| AppError::NotFound)?;
    let share = lightpath_domain::price_book::parse_termination_share(&share)
        .map_err(|message| AppError::field("share", message))?;
    Ok(caller.store.set_termination_share(&actor, version, &product, share).await?)
}

pub async fn publish(caller: &Caller, version: i64) -> Result<(), AppError> {
    let actor = caller.require(Permission::ManageCatalog)?;
    Ok(caller.store.publish_price_book(&actor, version).await?)
}

pub async fn audit(
    caller: &Caller,
    action: Option<String>,
    actor: Option<String>,
    page: Option<u32>,
) -> Result<lightpath_domain::records::Paged<AuditEntry>, AppError> {
    caller.require(Permission::ReadAuditLog)?;
    let clean = |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let page = lightpath_domain::records::PageRequest::new(page.unwrap_or(0));
    let filter = AuditFilter { action: clean(action), actor: clean(actor), page, ..AuditFilter::default() };
    Ok(caller.store.audit_log(&filter).await?)
}
pub async fn network_ops(caller: &Caller) -> Result<NetworkOps, AppError> {
    caller.require(Permission::ManageNetwork)?;
    let store = caller.store.clone();
    let (sites, spans, reserved) = (store.sites().await?, store.spans().await?, store.reservations().await?);
    let mut uses: Vec<SpanUse> = spans
        .iter()
        .map(|span| {
            let reserved_mbps = reserved.get(&span.id).copied().unwrap_or(0);
            let capacity_mbps = span.capacity_mbps();
            SpanUse {
                id: span.id.to_string(),
                ends: crate::network::span_name(span, &sites),
                route_km: span.route_km,
                capacity_gbps: span.capacity_gbps(),
                reserved_mbps,
                permille: (reserved_mbps * 1_000).checked_div(capacity_mbps).unwrap_or(0),
            }
        })
        .collect();
    uses.sort_by(|a, b| b.permille.cmp(&a.permille).then(b.reserved_mbps.cmp(&a.reserved_mbps)).then(a.id.cmp(&b.id)));
    let network = crate::network::network_view(&store).await?;
    let maintenance = crate::maintenance::all(caller).await?.iter().map(crate::maintenance::line).collect();
    let outages = crate::outages::all(caller).await?;
    Ok(NetworkOps { network, policy: store.fault_policy().await?, spans: uses, maintenance, outages })
}

pub async fn set_faults(caller: &Caller, rate: String, mix: [String; 3], speedup: String) -> Result<(), AppError> {
    let actor = caller.require(Permission::ManageNetwork)?;
    let policy = lightpath_domain::faults::FaultPolicy::parse(&rate, [&mix[0], &mix[1], &mix[2]], &speedup).map_err(
        |problems| AppError::Fields(problems.into_iter().map(|p| (p.field.to_owned(), p.message)).collect()),
    )?;
    Ok(caller.store.set_fault_policy(&actor, &policy).await?)
}
