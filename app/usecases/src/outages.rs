//! Outages: Lightpath's network operations take a span down in the simulated network (a
//! fiber cut) and bring it back. Going down opens an outage naming the services whose routes
//! cross the span, and their organisations are told (dashboard, service pages, webhook);
//! those services read as down until the span is back, while a diverse twin routed over
//! other spans stays up. Customers read the outages of their own services only.

use crate::model::network::{MaintenanceLine, OutageForm};
use crate::{AppError, Caller};
use lightpath_domain::account::Id;
use lightpath_domain::maintenance::MaintenanceTarget;
use lightpath_domain::outage::{parse_cause, Outage};
use lightpath_domain::policy::Permission;
use lightpath_domain::SpanId;
use lightpath_store::maintenance::NoticeScope;
use lightpath_store::outages::Opened;

/// Takes a span down from the network operations form; answers the outage's id.
pub async fn cut_span(caller: &Caller, form: OutageForm) -> Result<String, AppError> {
    let actor = caller.require(Permission::ManageNetwork)?;
    let store = &caller.store;
    let spans = store.spans().await?;
    let span = SpanId::parse(form.span.trim()).ok().and_then(|id| spans.iter().find(|span| span.id == id));
    let cause = parse_cause(&form.cause);
    let (span, cause) = match (span, cause) {
        (Some(span), Ok(cause)) => (span, cause),
        (span, cause) => {
            let mut problems = Vec::new();
            if span.is_none() {
                problems.push(("span".to_owned(), "Choose a span of the network.".to_owned()));
            }
            if let Err(problem) = cause {
                problems.push((problem.field.to_owned(), problem.message));
            }
            return Err(AppError::Fields(problems));
        }
    };
    let sites = store.sites().await?;
    let target = MaintenanceTarget::Span(span.id.clone());
    let touched: Vec<(String, String)> = store
        .routed_services()
        .await?
        .into_iter()
        .filter(|service| target.touches(&service.a_end, &service.z_end, &service.spans, (&spans, &sites)))
        .map(|service| (service.id, service.organisation))
        .collect();
    let name = crate::network::span_name(span, &sites);
    match store.open_outage(&actor, &span.id, &name, &cause, &touched).await? {
        Opened::Outage(id) => Ok(id),
        Opened::AlreadyDown(_) => {
            Err(AppError::Conflict(format!("{name} is down already: restore it before cutting it again.")))
        }
    }
}

/// Brings the span of an open outage back; the outage ends with its duration.
pub async fn restore_span(caller: &Caller, id: &str) -> Result<(), AppError> {
    let actor = caller.require(Permission::ManageNetwork)?;
    if caller.store.close_outage(&actor, id).await? {
        Ok(())
    } else {
        Err(AppError::Invalid("That outage has ended already, or does not exist.".into()))
    }
}

/// Every outage, for network operations, worded for their page.
pub async fn all(caller: &Caller) -> Result<Vec<MaintenanceLine>, AppError> {
    caller.require(Permission::ManageNetwork)?;
    Ok(caller.store.outages(NoticeScope::All).await?.iter().map(line).collect())
}

/// The outages of the caller's organisation's services (open, or ended within 90 days); none
/// for staff, who read the network's list.
pub async fn for_my_organisation(caller: &Caller) -> Result<Vec<Outage>, AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    let Some(organisation) = actor.organisation.as_ref() else { return Ok(Vec::new()) };
    Ok(caller.store.outages(NoticeScope::Organisation(&organisation.id)).await?)
}

/// The outages of one service the caller may read.
pub(crate) async fn for_service(caller: &Caller, service: &Id) -> Result<Vec<MaintenanceLine>, AppError> {
    Ok(caller.store.outages(NoticeScope::Service(service)).await?.iter().map(line).collect())
}

/// An outage worded for a page, in the shape of a maintenance notice.
pub(crate) fn line(outage: &Outage) -> MaintenanceLine {
    MaintenanceLine {
        id: outage.id.clone(),
        status: if outage.is_open() { "Outage, ongoing" } else { "Outage, resolved" }.to_owned(),
        open: outage.is_open(),
        heading: format!("{} · {}", outage.when_text(), outage.span_name),
        text: if outage.is_open() {
            format!("Services crossing this span are down until it is repaired. {}", outage.cause)
        } else {
            outage.cause.clone()
        },
        services: outage.services.iter().map(|service| (service.id.clone(), service.title.clone())).collect(),
        services_touched: outage.services_affected,
        outage: true,
        alert: false,
    }
}
