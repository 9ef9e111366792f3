//! Admin work: accounts and roles, product texts, price book versions and the audit log.

use crate::error::AppError;
use leptos::prelude::*;
use lightpath_domain::account::Actor;
use lightpath_domain::price_book::PriceLine;
use lightpath_domain::records::{AuditEntry, PriceBookSummary};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceBookView {
    pub version: i64,
    pub name: String,
    pub status: String,
    /// (product name, line) in book order; the index is the line's position.
    pub lines: Vec<(String, PriceLine)>,
    /// What stops this draft from being published; empty when it is ready.
    pub problems: Vec<String>,
    /// Every product's early termination share, in basis points: (id, name, share).
    pub terminations: Vec<(lightpath_domain::ProductId, String, u32)>,
}

/// One page (0-based) of every account.
#[server(endpoint = "admin/users")]
pub async fn list_users(page: Option<u32>) -> Result<lightpath_domain::records::Paged<Actor>, AppError> {
    crate::with_status(ssr::list_users(page).await)
}

#[server(endpoint = "admin/set-role")]
pub async fn set_role(user: String, role: String) -> Result<(), AppError> {
    crate::with_status(ssr::set_role(user, role).await)
}

/// The products as admins edit them.
#[server(endpoint = "admin/products")]
pub async fn load_admin_products() -> Result<Vec<lightpath_domain::Product>, AppError> {
    crate::with_status(ssr::products().await)
}

#[server(endpoint = "admin/update-product")]
pub async fn update_product(id: String, name: String, tagline: String, description: String) -> Result<(), AppError> {
    crate::with_status(ssr::update_product(id, name, tagline, description).await)
}

/// Adds a product with its first option (admins). It is sold once a published price book
/// prices it.
#[server(endpoint = "admin/add-product")]
pub async fn add_product(form: lightpath_domain::catalog::ProductForm) -> Result<(), AppError> {
    crate::with_status(ssr::add_product(form).await)
}

/// Adds an option to a product (admins). It is sold once a published price book prices it.
#[server(endpoint = "admin/add-option")]
pub async fn add_option(
    product: String,
    option_code: String,
    option_label: String,
    option_bandwidth: String,
) -> Result<(), AppError> {
    crate::with_status(ssr::add_option(product, option_code, option_label, option_bandwidth).await)
}

/// A price line as an admin types it into a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceLineForm {
    pub version: i64,
    pub product: String,
    pub option: String,
    pub label: String,
    pub charge: String,
    pub unit: String,
    pub amount: String,
    /// Months (0 = on demand) it applies to; none ticked = every term.
    pub terms: Option<Vec<String>>,
}

/// Adds a price line to a draft (admins).
#[server(endpoint = "admin/add-price-line")]
pub async fn add_price_line(line: PriceLineForm) -> Result<(), AppError> {
    crate::with_status(ssr::add_price_line(line).await)
}

#[server(endpoint = "admin/price-books")]
pub async fn list_price_books() -> Result<Vec<PriceBookSummary>, AppError> {
    crate::with_status(ssr::list_price_books().await)
}

#[server(endpoint = "admin/price-book")]
pub async fn load_price_book(version: String) -> Result<PriceBookView, AppError> {
    crate::with_status(ssr::load_price_book(version).await)
}

/// Opens the draft (copying the current version when there is none) and goes to it.
#[server(endpoint = "admin/open-draft")]
pub async fn open_draft() -> Result<i64, AppError> {
    crate::with_status(ssr::open_draft().await)
}

/// Sets one line's amount in a draft; `amount` is in dollars, like "1250" or "3.55".
#[server(endpoint = "admin/set-price")]
pub async fn set_price(version: i64, position: i64, amount: String) -> Result<(), AppError> {
    crate::with_status(ssr::set_price(version, position, amount).await)
}

/// Sets a draft's early termination share of one product; `share` is a percentage ("75").
#[server(endpoint = "admin/set-termination-share")]
pub async fn set_termination_share(version: i64, product: String, share: String) -> Result<(), AppError> {
    crate::with_status(ssr::set_termination_share(version, product, share).await)
}

#[server(endpoint = "admin/publish")]
pub async fn publish_price_book(version: i64) -> Result<(), AppError> {
    crate::with_status(ssr::publish(version).await)
}

/// The newest audit entries, optionally only one kind of action or one person.
#[server(endpoint = "admin/audit")]
pub async fn load_audit_log(
    action: Option<String>,
    actor: Option<String>,
    page: Option<u32>,
) -> Result<lightpath_domain::records::Paged<AuditEntry>, AppError> {
    crate::with_status(ssr::audit(action, actor, page).await)
}

/// One span's use, for the network operations page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanUse {
    pub id: String,
    /// "Chicago – Kansas City".
    pub ends: String,
    pub route_km: u32,
    pub capacity_gbps: u64,
    pub reserved_mbps: u64,
    /// Reserved share of capacity in tenths of a percent (125 = 12.5 %).
    pub permille: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkOps {
    pub network: crate::server_fns::network::NetworkView,
    pub policy: lightpath_domain::faults::FaultPolicy,
    /// Busiest first.
    pub spans: Vec<SpanUse>,
}

/// Span utilisation and the fault-injection policy (admins).
#[server(endpoint = "admin/network")]
pub async fn load_network_ops() -> Result<NetworkOps, AppError> {
    crate::with_status(ssr::network_ops().await)
}

/// Sets the simulated network's fault injection: failure rate in percent, the mix weights
/// and how many times faster than real time it runs.
#[server(endpoint = "admin/set-faults")]
pub async fn set_faults(
    failure_rate: String,
    device_timeout: String,
    activation: String,
    test: String,
    speedup: String,
) -> Result<(), AppError> {
    crate::with_status(ssr::set_faults(failure_rate, [device_timeout, activation, test], speedup).await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::require;
    use lightpath_domain::account::{parse_name, Id, Role};
    use lightpath_domain::policy::Permission;
    use lightpath_domain::{Money, ProductId};
    use lightpath_store::audit::AuditFilter;
    use lightpath_store::catalog_admin::ProductTexts;

    fn store() -> Result<lightpath_store::Store, AppError> {
        super::super::store()
    }

    pub async fn list_users(page: Option<u32>) -> Result<lightpath_domain::records::Paged<Actor>, AppError> {
        require(Permission::ManageUsers)?;
        Ok(store()?.users(lightpath_domain::records::PageRequest::new(page.unwrap_or(0))).await?)
    }

    pub async fn set_role(user: String, role: String) -> Result<(), AppError> {
        let actor = require(Permission::ManageUsers)?;
        let user = Id::parse(&user).ok_or(AppError::NotFound)?;
        let role = Role::parse(&role).ok_or_else(|| AppError::field("role", "Choose one of the listed roles."))?;
        Ok(store()?.set_role(&actor, &user, role).await?)
    }

    pub async fn products() -> Result<Vec<lightpath_domain::Product>, AppError> {
        require(Permission::ManageCatalog)?;
        Ok(store()?.products().await?)
    }

    pub async fn update_product(
        id: String,
        name: String,
        tagline: String,
        description: String,
    ) -> Result<(), AppError> {
        let actor = require(Permission::ManageCatalog)?;
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
        Ok(store()?.update_product_texts(&actor, &id, &ProductTexts { name, tagline, description }).await?)
    }

    fn catalog_problems(problems: Vec<(String, String)>) -> AppError {
        AppError::Fields(problems)
    }

    pub async fn add_product(form: lightpath_domain::catalog::ProductForm) -> Result<(), AppError> {
        let actor = require(Permission::ManageCatalog)?;
        let product = form.parse().map_err(catalog_problems)?;
        Ok(store()?.add_product(&actor, &product).await?)
    }

    pub async fn add_option(product: String, code: String, label: String, bandwidth: String) -> Result<(), AppError> {
        let actor = require(Permission::ManageCatalog)?;
        let product = ProductId::parse(&product).map_err(|_| AppError::NotFound)?;
        let option = lightpath_domain::catalog::parse_option(&code, &label, &bandwidth).map_err(catalog_problems)?;
        Ok(store()?.add_option(&actor, &product, &option).await?)
    }

    pub async fn add_price_line(form: PriceLineForm) -> Result<(), AppError> {
        let PriceLineForm { version, product, option, label, charge, unit, amount, terms } = form;
        use lightpath_domain::price_book::{Charge, PriceLine, PriceUnit};
        let actor = require(Permission::ManageCatalog)?;
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
            .map_err(|_| {
                problems.push(("amount".to_owned(), "Write the price in dollars, like 1250 or 3.55.".to_owned()))
            })
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
        Ok(store()?.add_price_line(&actor, version, &line).await?)
    }

    pub async fn list_price_books() -> Result<Vec<PriceBookSummary>, AppError> {
        require(Permission::ManageCatalog)?;
        Ok(store()?.price_books().await?)
    }

    pub async fn load_price_book(version: String) -> Result<PriceBookView, AppError> {
        require(Permission::ManageCatalog)?;
        let version: i64 = version.parse().map_err(|_| AppError::NotFound)?;
        let store = store()?;
        let summary =
            store.price_books().await?.into_iter().find(|b| b.version == version).ok_or(AppError::NotFound)?;
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

    pub async fn open_draft() -> Result<i64, AppError> {
        let actor = require(Permission::ManageCatalog)?;
        let version = store()?.open_draft(&actor).await?;
        leptos_axum::redirect(&format!("/admin/price-books/{version}"));
        Ok(version)
    }

    pub async fn set_price(version: i64, position: i64, amount: String) -> Result<(), AppError> {
        let actor = require(Permission::ManageCatalog)?;
        let amount = Money::parse_dollars(&amount).map_err(|_| {
            AppError::field("amount", "Enter an amount in dollars, like 1250 or 3.55. Prices cannot be negative.")
        })?;
        Ok(store()?.set_price(&actor, version, position, amount).await?)
    }

    pub async fn set_termination_share(version: i64, product: String, share: String) -> Result<(), AppError> {
        let actor = require(Permission::ManageCatalog)?;
        let product = ProductId::parse(&product).map_err(|_| AppError::NotFound)?;
        let share = lightpath_domain::price_book::parse_termination_share(&share)
            .map_err(|message| AppError::field("share", message))?;
        Ok(store()?.set_termination_share(&actor, version, &product, share).await?)
    }

    pub async fn publish(version: i64) -> Result<(), AppError> {
        let actor = require(Permission::ManageCatalog)?;
        Ok(store()?.publish_price_book(&actor, version).await?)
    }

    pub async fn audit(
        action: Option<String>,
        actor: Option<String>,
        page: Option<u32>,
    ) -> Result<lightpath_domain::records::Paged<AuditEntry>, AppError> {
        require(Permission::ReadAuditLog)?;
        let clean = |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let page = lightpath_domain::records::PageRequest::new(page.unwrap_or(0));
        let filter = AuditFilter { action: clean(action), actor: clean(actor), page };
        Ok(store()?.audit_log(&filter).await?)
    }
    pub async fn network_ops() -> Result<NetworkOps, AppError> {
        require(Permission::ManageNetwork)?;
        let store = store()?;
        let (sites, spans, reserved) = (store.sites().await?, store.spans().await?, store.reservations().await?);
        let name = |id: &lightpath_domain::SiteId| {
            sites.iter().find(|site| &site.id == id).map_or_else(|| id.to_string(), |site| site.name.clone())
        };
        let mut uses: Vec<SpanUse> = spans
            .iter()
            .map(|span| {
                let reserved_mbps = reserved.get(&span.id).copied().unwrap_or(0);
                let capacity_mbps = span.capacity_gbps() * 1_000;
                SpanUse {
                    id: span.id.to_string(),
                    ends: format!("{} – {}", name(&span.a), name(&span.z)),
                    route_km: span.route_km,
                    capacity_gbps: span.capacity_gbps(),
                    reserved_mbps,
                    permille: (reserved_mbps * 1_000).checked_div(capacity_mbps).unwrap_or(0),
                }
            })
            .collect();
        uses.sort_by(|a, b| {
            b.permille.cmp(&a.permille).then(b.reserved_mbps.cmp(&a.reserved_mbps)).then(a.id.cmp(&b.id))
        });
        let network = crate::server_fns::network::network_view(&store).await?;
        Ok(NetworkOps { network, policy: store.fault_policy().await?, spans: uses })
    }

    pub async fn set_faults(rate: String, mix: [String; 3], speedup: String) -> Result<(), AppError> {
        let actor = require(Permission::ManageNetwork)?;
        let policy = lightpath_domain::faults::FaultPolicy::parse(&rate, [&mix[0], &mix[1], &mix[2]], &speedup)
            .map_err(|problems| {
                AppError::Fields(problems.into_iter().map(|p| (p.field.to_owned(), p.message)).collect())
            })?;
        Ok(store()?.set_fault_policy(&actor, &policy).await?)
    }
}
