//! Planned maintenance: Lightpath's network operations announce a window on a span or a
//! site; the services whose routes it touches are found now, and their organisations told
//! (on their dashboard and service pages, and by webhook); a window that has not ended can be
//! cancelled. Customers read the notices about their own services only.

use crate::model::network::{MaintenanceForm, MaintenanceLine};
use crate::{AppError, Caller};
use lightpath_domain::maintenance::{window_text, MaintenanceNotice, MaintenanceTarget, MaintenanceWindow};
use lightpath_domain::policy::Permission;
use lightpath_store::maintenance::NoticeScope;

/// Announces a window from the admin's form; answers its id.
pub async fn announce(caller: &Caller, form: MaintenanceForm) -> Result<String, AppError> {
    let actor = caller.require(Permission::ManageNetwork)?;
    let MaintenanceForm { target, starts, ends, impact, reason } = form;
    let window = MaintenanceWindow::parse(&target, &starts, &ends, &impact, &reason, crate::services::now_ms())
        .map_err(|problems| {
            AppError::Fields(problems.into_iter().map(|problem| (problem.field.to_owned(), problem.message)).collect())
        })?;
    let store = &caller.store;
    let (sites, spans) = (store.sites().await?, store.spans().await?);
    let unknown = || AppError::field("target", "Choose a span or site of the network.");
    let target_name = match &window.target {
        MaintenanceTarget::Span(id) => {
            crate::network::span_name(spans.iter().find(|span| &span.id == id).ok_or_else(unknown)?, &sites)
        }
        MaintenanceTarget::Site(id) => {
            sites.iter().find(|site| &site.id == id).map(|site| site.name.clone()).ok_or_else(unknown)?
        }
    };
    let touched: Vec<(String, String)> = store
        .routed_services()
        .await?
        .into_iter()
        .filter(|service| window.target.touches(&service.a_end, &service.z_end, &service.spans, (&spans, &sites)))
        .map(|service| (service.id, service.organisation))
        .collect();
    Ok(store.announce_maintenance(&actor, &window, &target_name, &touched).await?)
}

/// Cancels a window that has not ended.
pub async fn cancel(caller: &Caller, id: &str) -> Result<(), AppError> {
    let actor = caller.require(Permission::ManageNetwork)?;
    if caller.store.cancel_maintenance(&actor, id).await? {
        Ok(())
    } else {
        Err(AppError::Invalid("That maintenance has ended or was cancelled already, or does not exist.".into()))
    }
}

/// Every window, for network operations.
pub async fn all(caller: &Caller) -> Result<Vec<MaintenanceNotice>, AppError> {
    caller.require(Permission::ManageNetwork)?;
    Ok(caller.store.maintenance_notices(NoticeScope::All).await?)
}

/// The notices about the caller's organisation's services (none for staff, who have no
/// services of their own: they read the network's list). Scoped to the caller's own
/// organisation, like the services list, so every member reads them.
pub async fn for_my_organisation(caller: &Caller) -> Result<Vec<MaintenanceNotice>, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    let Some(organisation) = actor.organisation.as_ref() else { return Ok(Vec::new()) };
    Ok(caller.store.maintenance_notices(NoticeScope::Organisation(&organisation.id)).await?)
}

/// The firing utilisation alerts, outages and notices about the caller's organisation's
/// services that have yet to end, for the dashboard, in that order.
pub async fn open_for_my_organisation(caller: &Caller) -> Result<Vec<MaintenanceLine>, AppError> {
    let outages = crate::outages::for_my_organisation(caller).await?;
    let open_outages = outages.iter().filter(|outage| outage.is_open()).map(crate::outages::line);
    let notices = for_my_organisation(caller).await?;
    let alerts = crate::usage::firing_for_my_organisation(caller).await?;
    Ok(alerts.into_iter().chain(open_outages).chain(notices.iter().filter(|notice| notice.is_open()).map(line)).collect())
}

/// The outages and notices about one service the caller may read, outages first.
pub(crate) async fn for_service(
    caller: &Caller,
    service: &lightpath_domain::account::Id,
) -> Result<Vec<MaintenanceLine>, AppError> {
    let mut lines = crate::outages::for_service(caller, service).await?;
    lines.extend(caller.store.maintenance_notices(NoticeScope::Service(service)).await?.iter().map(line));
    Ok(lines)
}

/// A notice worded for a page.
pub(crate) fn line(notice: &MaintenanceNotice) -> MaintenanceLine {
    MaintenanceLine {
        id: notice.id.clone(),
        status: notice.status.label().to_owned(),
        open: notice.is_open(),
        heading: format!("{} · {}", window_text(notice.starts_ms, notice.ends_ms), notice.target_name),
        text: format!("{}. {}", notice.impact.label(), notice.reason),
        services: notice.services.iter().map(|service| (service.id.clone(), service.title.clone())).collect(),
        services_touched: notice.services_touched,
        outage: false,
        alert: false,
    }
}
