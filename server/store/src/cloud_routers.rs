//! Cloud routers: recorded with their order (the AS number, the site), tied to their service
//! when built, and the cloud connections attached to them with each one's prefix filter. The
//! route table is not stored: the domain computes it from what is here
//! (`lightpath_domain::cloud_router::CloudRouterView`).

use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, Id};
use lightpath_domain::cloud::{Asn, CloudConnection, ConnectionState};
use lightpath_domain::cloud_router::{AttachedConnection, CloudRouter, CloudRouterView, PrefixFilter};
use lightpath_domain::service::ServiceState;
use sqlx::Row;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A cloud router an order places: its parsed details and the site it runs in.
#[derive(Debug, Clone)]
pub struct NewCloudRouter<'a> {
    pub router: CloudRouter,
    pub site: &'a str,
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("cloud router {what}"))
}

/// Records the order's cloud router (item 0), in the order's transaction.
pub(crate) async fn take(
    tx: &mut Tx,
    order: &Id,
    organisation: &Id,
    new: &NewCloudRouter<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO cloud_routers (order_id, position, organisation_id, site_id, asn, service_id, created_at_ms)
         VALUES ($1, 0, $2, $3, $4, NULL, $5)",
    )
    .bind(order.as_str())
    .bind(organisation.as_str())
    .bind(new.site)
    .bind(i64::from(new.router.asn.number()))
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Ties the router an order's item is, if it is one, to the service built for it.
pub(crate) async fn completed_item(tx: &mut Tx, order: &Id, position: u32, service: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cloud_routers SET service_id = $1 WHERE order_id = $2 AND position = $3")
        .bind(service)
        .bind(order.as_str())
        .bind(i64::from(position))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A cloud router's service as attaching a connection to it needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouterRecord {
    pub service: Id,
    pub organisation: Id,
    pub site: String,
    pub router: CloudRouter,
    pub state: ServiceState,
    pub rate_limit_mbps: u64,
    /// The cloud connections attached to it that are not terminated, rejected or failed.
    pub live_attachments: usize,
}

/// A router's columns with its service's, for `router_record`, and where they are read from.
const ROUTER_COLUMNS: &str = "SELECT r.service_id, r.organisation_id, r.site_id, r.asn, s.state, s.spec_json";
const ROUTER_TABLES: &str = "FROM cloud_routers r JOIN services s ON s.id = r.service_id";

/// The connection states that still take a router's attachment slot.
const LIVE: [ConnectionState; 4] = [
    ConnectionState::Ordered,
    ConnectionState::Provisioning,
    ConnectionState::AwaitingAcceptance,
    ConnectionState::Active,
];

impl Store {
    /// The cloud router a service is, if it is one.
    pub async fn cloud_router(&self, service: &Id) -> Result<Option<RouterRecord>, StoreError> {
        Ok(self.router_with_attachments(service).await?.map(|(record, _)| record))
    }

    /// The cloud router a service is, with its attachments (read once for both).
    async fn router_with_attachments(
        &self,
        service: &Id,
    ) -> Result<Option<(RouterRecord, Vec<AttachedConnection>)>, StoreError> {
        let Some(row) = sqlx::query(&format!("{ROUTER_COLUMNS} {ROUTER_TABLES} WHERE r.service_id = $1"))
            .bind(service.as_str())
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let attachments = self.attachments(service).await?;
        let live = attachments.iter().filter(|a| LIVE.contains(&a.state)).count();
        Ok(Some((self.router_record(&row, live).await?, attachments)))
    }

    /// A router's record from a row of `ROUTER_COLUMNS` and its number of live attachments.
    async fn router_record(
        &self,
        row: &sqlx::any::AnyRow,
        live_attachments: usize,
    ) -> Result<RouterRecord, StoreError> {
        let asn: i64 = row.try_get("asn")?;
        let asn = u32::try_from(asn).ok().and_then(Asn::new).ok_or_else(|| corrupt(format!("ASN {asn}")))?;
        let state: String = row.try_get("state")?;
        let organisation: String = row.try_get("organisation_id")?;
        let service: String = row.try_get("service_id")?;
        // Its rate limit is the option it runs at (a bandwidth change moves it).
        let spec: lightpath_domain::pricing::ItemSpec =
            serde_json::from_str(&row.try_get::<String, _>("spec_json")?).map_err(corrupt)?;
        let products = self.products().await?;
        let rate_limit_mbps = products
            .iter()
            .find(|product| product.id == spec.product)
            .and_then(|product| product.option(&spec.option))
            .and_then(|option| option.bandwidth)
            .map_or(0, |bandwidth| bandwidth.mbps());
        Ok(RouterRecord {
            service: Id::parse(&service).ok_or_else(|| corrupt("service id"))?,
            organisation: Id::parse(&organisation).ok_or_else(|| corrupt("organisation"))?,
            site: row.try_get("site_id")?,
            router: CloudRouter { asn },
            state: ServiceState::parse(&state).ok_or_else(|| corrupt(format!("state {state}")))?,
            rate_limit_mbps,
            live_attachments,
        })
    }

    /// An organisation's active cloud routers, newest first (at most 50), each with its number
    /// of live attachments: one query, however many routers.
    pub async fn active_cloud_routers(&self, organisation: &Id) -> Result<Vec<RouterRecord>, StoreError> {
        let live: Vec<String> = LIVE.iter().map(|state| format!("'{}'", state.slug())).collect();
        let rows = sqlx::query(&format!(
            "{ROUTER_COLUMNS}, (SELECT COUNT(*) FROM cloud_connections c WHERE c.router_service_id = r.service_id
                AND c.service_id IS NOT NULL AND c.state IN ({})) AS live
             {ROUTER_TABLES} WHERE r.organisation_id = $1 AND s.state = $2 ORDER BY r.created_at_ms DESC LIMIT 50",
            live.join(", ")
        ))
        .bind(organisation.as_str())
        .bind(ServiceState::Active.slug())
        .fetch_all(self.pool())
        .await?;
        let mut routers = Vec::with_capacity(rows.len());
        for row in &rows {
            let live: i64 = row.try_get("live")?;
            routers.push(self.router_record(row, usize::try_from(live).map_err(corrupt)?).await?);
        }
        Ok(routers)
    }

    /// The cloud connections attached to a router, oldest first (placed but not yet built
    /// ones included, with no service id yet: they are left out).
    async fn attachments(&self, router: &Id) -> Result<Vec<AttachedConnection>, StoreError> {
        let rows = sqlx::query(
            "SELECT service_id, details_json, state, import_filter FROM cloud_connections
             WHERE router_service_id = $1 AND service_id IS NOT NULL ORDER BY created_at_ms, order_id",
        )
        .bind(router.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let connection: CloudConnection =
                    serde_json::from_str(&row.try_get::<String, _>("details_json")?).map_err(corrupt)?;
                let state: String = row.try_get("state")?;
                let filter: String = row.try_get("import_filter")?;
                Ok(AttachedConnection {
                    service_id: row.try_get("service_id")?,
                    on_ramp: connection.on_ramp,
                    state: ConnectionState::parse(&state)
                        .ok_or_else(|| corrupt(format!("attachment state {state}")))?,
                    filter: PrefixFilter::parse(&filter).map_err(|_| corrupt("filter"))?,
                })
            })
            .collect()
    }

    /// The cloud router a service is, as its page shows it: its attachments and the routes it
    /// learned through their filters.
    pub async fn cloud_router_view(&self, service: &Id) -> Result<Option<CloudRouterView>, StoreError> {
        let Some((record, attachments)) = self.router_with_attachments(service).await? else { return Ok(None) };
        let mut attached: Vec<AttachedConnection> =
            attachments.into_iter().filter(|attachment| attachment.state != ConnectionState::Terminated).collect();
        // An outage on an attachment's route takes its session down: the router learns nothing
        // over it until the span is back (what is stored stays active).
        let ids: Vec<String> = attached.iter().map(|attachment| attachment.service_id.clone()).collect();
        let down = self.down_among(&ids).await?;
        for attachment in &mut attached {
            if attachment.state == ConnectionState::Active && down.contains(&attachment.service_id) {
                attachment.state = ConnectionState::Down;
            }
        }
        Ok(Some(CloudRouterView::new(record.router, record.site, record.rate_limit_mbps, &attached)))
    }

    /// Sets the prefix filter the router applies to what the cloud announces over one of its
    /// attachments; false when `connection` is not attached to `router`.
    pub async fn set_attachment_filter(
        &self,
        actor: &Actor,
        router: &RouterRecord,
        connection: &Id,
        filter: &PrefixFilter,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let before: Option<String> = sqlx::query_scalar(
            "SELECT import_filter FROM cloud_connections WHERE service_id = $1 AND router_service_id = $2",
        )
        .bind(connection.as_str())
        .bind(router.service.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(before) = before else { return Ok(false) };
        let after = filter.to_text();
        sqlx::query(
            "UPDATE cloud_connections SET import_filter = $1, updated_at_ms = $2 WHERE service_id = $3 AND router_service_id = $4",
        )
        .bind(&after)
        .bind(now_ms())
        .bind(connection.as_str())
        .bind(router.service.as_str())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            actor,
            "cloud.router.filter",
            &format!("cloud router {} attachment {}", router.service, connection),
            Some(router.organisation.as_str()),
            Change::updated(serde_json::json!({ "filter": before }), serde_json::json!({ "filter": after })),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
