//! Planned maintenance windows and their notices: announcing one records the services it
//! touches (the application layer finds them from their routes) in the same transaction as
//! the window, its audit entry and a `maintenance` webhook event to each organisation
//! concerned, naming only that organisation's services. Cancelling tells the same people.

use crate::accounts::new_id;
use crate::audit::{self, Change};
use crate::webhooks::publish;
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, Id};
use lightpath_domain::maintenance::{
    Impact, MaintenanceNotice, MaintenanceStatus, MaintenanceTarget, MaintenanceWindow, NoticeService,
};
use lightpath_domain::webhooks::EventType;
use lightpath_domain::SiteId;
use serde_json::json;
use sqlx::Row;

/// How long past notices stay on a customer's pages.
const PAST_NOTICES_MS: i64 = 90 * 86_400_000;
/// The most windows one list shows.
const LIST_LIMIT: i64 = 100;

/// A service that an announcement could touch: not terminated, with its ends and route.
#[derive(Debug, Clone)]
pub struct RoutedService {
    pub id: String,
    pub organisation: String,
    pub a_end: SiteId,
    pub z_end: SiteId,
    pub spans: Vec<SiteId>,
}

/// Whose notices a list shows.
#[derive(Debug, Clone, Copy)]
pub enum NoticeScope<'a> {
    /// Every window (Lightpath's network operations), with how many services it touches.
    All,
    /// The windows touching an organisation's services, with only those services.
    Organisation(&'a Id),
    /// The windows touching one service (the caller may read it).
    Service(&'a Id),
}

fn corrupt(what: String) -> StoreError {
    StoreError::Corrupt(what)
}

impl Store {
    /// The services an announcement could touch now.
    pub async fn routed_services(&self) -> Result<Vec<RoutedService>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, organisation_id, a_end, z_end, spans FROM services WHERE state <> 'terminated' ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let site = |column: &str| -> Result<SiteId, StoreError> {
                    let text: String = row.try_get(column)?;
                    SiteId::parse(&text).map_err(|_| corrupt(format!("service site {text}")))
                };
                let spans: String = row.try_get("spans")?;
                Ok(RoutedService {
                    id: row.try_get("id")?,
                    organisation: row.try_get("organisation_id")?,
                    a_end: site("a_end")?,
                    z_end: site("z_end")?,
                    spans: spans
                        .split(',')
                        .filter(|span| !span.is_empty())
                        .map(|span| SiteId::parse(span).map_err(|_| corrupt(format!("service span {span}"))))
                        .collect::<Result<_, _>>()?,
                })
            })
            .collect()
    }

    /// Announces `window` on `target_name` to the organisations of the `touched` services
    /// (id, organisation), audited; answers the window's id.
    pub async fn announce_maintenance(
        &self,
        by: &Actor,
        window: &MaintenanceWindow,
        target_name: &str,
        touched: &[(String, String)],
    ) -> Result<String, StoreError> {
        let (id, now) = (new_id(), now_ms());
        let (kind, target_id) = match &window.target {
            MaintenanceTarget::Span(span) => ("span", span.as_str()),
            MaintenanceTarget::Site(site) => ("site", site.as_str()),
        };
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO maintenance_windows (id, target_kind, target_id, target_name, starts_at_ms, ends_at_ms, impact,
                 reason, created_by, created_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&id)
        .bind(kind)
        .bind(target_id)
        .bind(target_name)
        .bind(window.starts_ms)
        .bind(window.ends_ms)
        .bind(window.impact.slug())
        .bind(&window.reason)
        .bind(by.email.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for (service, organisation) in touched {
            sqlx::query("INSERT INTO maintenance_notices (window_id, service_id, organisation_id) VALUES ($1, $2, $3)")
                .bind(&id)
                .bind(service)
                .bind(organisation)
                .execute(&mut *tx)
                .await?;
        }
        let after = json!({
            "target": window.target.key(),
            "starts": lightpath_domain::time::iso_time(window.starts_ms),
            "ends": lightpath_domain::time::iso_time(window.ends_ms),
            "impact": window.impact.slug(),
            "services": touched.len(),
        });
        audit::record(
            &mut tx,
            by,
            "network.maintenance-announce",
            &format!("maintenance {id}"),
            None,
            Change::created(after),
        )
        .await?;
        notify(&mut tx, &id, "scheduled").await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Cancels a window that has not ended, audited, and tells the organisations it touched.
    /// False when there is no such window, or it ended or was cancelled already.
    pub async fn cancel_maintenance(&self, by: &Actor, id: &str) -> Result<bool, StoreError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let cancelled = sqlx::query(
            "UPDATE maintenance_windows SET cancelled_at_ms = $1
             WHERE id = $2 AND cancelled_at_ms IS NULL AND ends_at_ms > $1",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !cancelled {
            return Ok(false);
        }
        audit::record(
            &mut tx,
            by,
            "network.maintenance-cancel",
            &format!("maintenance {id}"),
            None,
            Change::deleted(json!({})),
        )
        .await?;
        notify(&mut tx, id, "cancelled").await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The notices `scope` may see, newest start first: for a customer, windows that end no
    /// more than 90 days ago.
    pub async fn maintenance_notices(&self, scope: NoticeScope<'_>) -> Result<Vec<MaintenanceNotice>, StoreError> {
        let now = now_ms();
        let columns =
            "w.id, w.target_kind, w.target_id, w.target_name, w.starts_at_ms, w.ends_at_ms, w.impact, w.reason,
                       w.cancelled_at_ms";
        let (filter, key) = match scope {
            NoticeScope::All => (String::new(), None),
            NoticeScope::Organisation(organisation) => (
                "WHERE w.id IN (SELECT window_id FROM maintenance_notices WHERE organisation_id = $1) AND w.ends_at_ms > $2"
                    .to_owned(),
                Some(organisation.as_str()),
            ),
            NoticeScope::Service(service) => (
                "WHERE w.id IN (SELECT window_id FROM maintenance_notices WHERE service_id = $1) AND w.ends_at_ms > $2"
                    .to_owned(),
                Some(service.as_str()),
            ),
        };
        let sql = format!("SELECT {columns} FROM maintenance_windows w {filter} ORDER BY w.starts_at_ms DESC, w.id LIMIT {LIST_LIMIT}");
        let query = sqlx::query(&sql);
        let rows = match key {
            Some(key) => query.bind(key).bind(now - PAST_NOTICES_MS).fetch_all(self.pool()).await?,
            None => query.fetch_all(self.pool()).await?,
        };
        let mut notices = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            let (kind, target_id): (String, String) = (row.try_get("target_kind")?, row.try_get("target_id")?);
            let target = MaintenanceTarget::parse(&format!("{kind}:{target_id}"))
                .map_err(|_| corrupt(format!("maintenance target {kind}:{target_id}")))?;
            let impact: String = row.try_get("impact")?;
            let (starts_ms, ends_ms): (i64, i64) = (row.try_get("starts_at_ms")?, row.try_get("ends_at_ms")?);
            let cancelled = row.try_get::<Option<i64>, _>("cancelled_at_ms")?.is_some();
            let services = match scope {
                NoticeScope::All => Vec::new(),
                _ => self.notice_services(Listing::Maintenance, &id, scope).await?,
            };
            let services_touched = match scope {
                NoticeScope::All => {
                    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM maintenance_notices WHERE window_id = $1")
                        .bind(&id)
                        .fetch_one(self.pool())
                        .await? as u64
                }
                _ => services.len() as u64,
            };
            notices.push(MaintenanceNotice {
                services,
                services_touched,
                id,
                target,
                target_name: row.try_get("target_name")?,
                starts_ms,
                ends_ms,
                impact: Impact::parse(&impact).ok_or_else(|| corrupt(format!("maintenance impact {impact}")))?,
                status: MaintenanceStatus::at(starts_ms, ends_ms, cancelled, now),
                reason: row.try_get("reason")?,
            });
        }
        Ok(notices)
    }

    /// The services of notice `id` (a maintenance window or an outage) that `scope` may see.
    pub(crate) async fn notice_services(
        &self,
        listing: Listing,
        id: &str,
        scope: NoticeScope<'_>,
    ) -> Result<Vec<NoticeService>, StoreError> {
        let (table, key_column) = listing.table();
        let (filter, key) = match scope {
            NoticeScope::All => ("", None),
            NoticeScope::Organisation(organisation) => (" AND n.organisation_id = $2", Some(organisation.as_str())),
            NoticeScope::Service(service) => (" AND n.service_id = $2", Some(service.as_str())),
        };
        let sql = format!(
            "SELECT n.service_id, s.title FROM {table} n JOIN services s ON s.id = n.service_id
             WHERE n.{key_column} = $1{filter} ORDER BY s.title, n.service_id"
        );
        let mut query = sqlx::query_as::<_, (String, String)>(&sql).bind(id);
        if let Some(key) = key {
            query = query.bind(key);
        }
        Ok(query.fetch_all(self.pool()).await?.into_iter().map(|(id, title)| NoticeService { id, title }).collect())
    }
}

/// The notices that name the services they touch: each has its own table of them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Listing {
    Maintenance,
    Outage,
}

impl Listing {
    /// The table of the notice's services, and its column naming the notice.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Listing::Maintenance => ("maintenance_notices", "window_id"),
            Listing::Outage => ("outage_services", "outage_id"),
        }
    }
}

/// Each organisation notice `id` touches, with its own services as a webhook event lists them
/// (id and REST link): each organisation is told of its services only.
pub(crate) async fn told(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    listing: Listing,
    id: &str,
) -> Result<Vec<(String, Vec<serde_json::Value>)>, sqlx::Error> {
    let (table, key_column) = listing.table();
    let touched: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT organisation_id, service_id FROM {table} WHERE {key_column} = $1 ORDER BY organisation_id, service_id"
    ))
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let mut organisations: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for (organisation, service) in touched {
        let link = json!({ "id": service, "href": format!("/api/v1/services/{service}") });
        match organisations.last_mut() {
            Some((last, services)) if *last == organisation => services.push(link),
            _ => organisations.push((organisation, vec![link])),
        }
    }
    Ok(organisations)
}

/// Tells each organisation a window touches, naming its own services only.
async fn notify(tx: &mut sqlx::Transaction<'static, sqlx::Any>, id: &str, state: &str) -> Result<(), sqlx::Error> {
    let window = sqlx::query(
        "SELECT target_kind, target_id, target_name, starts_at_ms, ends_at_ms, impact, reason
         FROM maintenance_windows WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    for (organisation, services) in told(tx, Listing::Maintenance, id).await? {
        let event = json!({ "maintenance": {
            "id": id,
            "href": "/api/v1/maintenance",
            "@type": "Maintenance",
            "state": state,
            "target": { "kind": window.try_get::<String, _>("target_kind")?, "id": window.try_get::<String, _>("target_id")? },
            "targetName": window.try_get::<String, _>("target_name")?,
            "starts": lightpath_domain::time::iso_time(window.try_get("starts_at_ms")?),
            "ends": lightpath_domain::time::iso_time(window.try_get("ends_at_ms")?),
            "impact": window.try_get::<String, _>("impact")?,
            "reason": window.try_get::<String, _>("reason")?,
            "services": services,
        }});
        publish(tx, &organisation, EventType::Maintenance, event).await?;
    }
    Ok(())
}
