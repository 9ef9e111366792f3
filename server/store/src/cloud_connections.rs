//! Cloud connections: taken with their order (the VLAN and the cloud's key in the order's own
//! transaction, so two orders never get the same one), waiting for the buyer's acceptance in
//! their cloud once Lightpath's side is built, accepted or rejected there, released when they
//! end. A connection waiting for acceptance holds its capacity and VLAN and is not billed; a
//! rejected one, or one not accepted in time, is released and costs nothing.

use crate::audit::{self, Change};
use crate::orders::OrderError;
use crate::vlans::{self, VlanError};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, Id};
use lightpath_domain::cloud::{
    acceptance_deadline_ms, AwsConnectionId, Cloud, CloudConnection, CloudConnectionView, CloudState, ConnectionState,
    HostedConnection, KeyShown, Vlan,
};
use lightpath_domain::order::OrderState;
use lightpath_domain::service::ServiceState;
use sqlx::any::AnyRow;
use sqlx::Row;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A cloud connection an order places: its parsed details and, for AWS, the hosted
/// connection's id made for it.
#[derive(Debug, Clone)]
pub struct NewCloudConnection<'a> {
    pub connection: &'a CloudConnection,
    pub connection_id: Option<&'a AwsConnectionId>,
    /// The organisation's cloud router (its service) the connection is attached to.
    pub router: Option<&'a Id>,
}

/// What an order of one cloud product records beside its item.
#[derive(Debug, Clone)]
pub enum CloudItem<'a> {
    Connection(NewCloudConnection<'a>),
    Router(crate::cloud_routers::NewCloudRouter<'a>),
}

/// Records the order's cloud connection or cloud router, in the order's transaction.
pub(crate) async fn take_item(
    tx: &mut Tx,
    order: &Id,
    organisation: &Id,
    item: &CloudItem<'_>,
) -> Result<(), OrderError> {
    match item {
        CloudItem::Connection(connection) => take(tx, order, organisation, connection).await,
        CloudItem::Router(router) => Ok(crate::cloud_routers::take(tx, order, organisation, router).await?),
    }
}

fn cloud_slug(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Aws => "aws",
        Cloud::Azure => "azure",
        Cloud::Google => "google",
    }
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("cloud connection {what}"))
}

/// The VLAN holder of an order's item.
fn holder(order: &Id, position: u32) -> String {
    format!("{order}/{position}")
}

/// Takes the VLAN and the cloud's key for the order's cloud connection (item 0) and records
/// it, in the order's transaction.
async fn take(tx: &mut Tx, order: &Id, organisation: &Id, new: &NewCloudConnection<'_>) -> Result<(), OrderError> {
    let connection = new.connection;
    let interface = connection.interface();
    let holder = holder(order, 0);
    let vlan = vlans::allocate_in(tx, &interface, connection.vlan, &holder).await.map_err(|error| match error {
        VlanError::Taken { interface, vlan } => OrderError::VlanTaken { interface, vlan },
        VlanError::Exhausted(interface) => OrderError::VlanExhausted(interface),
        VlanError::Race => OrderError::VlanRace,
        VlanError::Store(error) => OrderError::Store(error),
    })?;
    if let Some(key) = connection.cloud_key() {
        let taken = sqlx::query(
            "UPDATE cloud_keys SET used_by = $1 WHERE key = $2 AND organisation_id = $3 AND used_by IS NULL",
        )
        .bind(order.as_str())
        .bind(key)
        .bind(organisation.as_str())
        .execute(&mut **tx)
        .await?;
        if taken.rows_affected() != 1 {
            return Err(OrderError::CloudKeyUsed);
        }
    }
    let now = now_ms();
    let details = serde_json::to_string(connection).map_err(corrupt)?;
    sqlx::query(
        "INSERT INTO cloud_connections (order_id, position, organisation_id, cloud, details_json, interface, vlan,
             vlan_holder, cloud_key, connection_id, state, cloud_state, accept_by_ms, service_id, created_at_ms, updated_at_ms,
             router_service_id)
         VALUES ($1, 0, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, NULL, $12, $12, $13)",
    )
    .bind(order.as_str())
    .bind(organisation.as_str())
    .bind(cloud_slug(connection.on_ramp.cloud))
    .bind(details)
    .bind(&interface)
    .bind(i64::from(vlan.id()))
    .bind(&holder)
    .bind(connection.cloud_key())
    .bind(new.connection_id.map(AwsConnectionId::as_str))
    .bind(ConnectionState::Ordered.slug())
    .bind(CloudState::Ordering.slug())
    .bind(now)
    .bind(new.router.map(Id::as_str))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether the item at `position` of `order` is a cloud connection, and if so whether it waits
/// for the buyer's acceptance once built: what the inventory does when the item completes.
pub(crate) async fn completed_item(
    tx: &mut Tx,
    order: &Id,
    position: u32,
    service: &str,
) -> Result<Option<ServiceState>, StoreError> {
    let Some(row) = sqlx::query(
        "SELECT c.cloud, k.pre_activated FROM cloud_connections c LEFT JOIN cloud_keys k ON k.key = c.cloud_key
         WHERE c.order_id = $1 AND c.position = $2",
    )
    .bind(order.as_str())
    .bind(i64::from(position))
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(None);
    };
    let now = now_ms();
    // AWS offers a hosted connection the buyer accepts, and a Google attachment that was not
    // pre-activated waits in PENDING_CUSTOMER for its owner to activate it; Azure (and a
    // pre-activated attachment) took the buyer's key beforehand, so theirs is active once built.
    let waits_in = match row.try_get::<String, _>("cloud")?.as_str() {
        "aws" => Some(CloudState::Ordering),
        "google" if row.try_get::<Option<i64>, _>("pre_activated")? == Some(0) => Some(CloudState::Pending),
        _ => None,
    };
    let (state, cloud_state, accept_by, service_state) = if let Some(waiting) = waits_in {
        let settings = sqlx::query("SELECT speedup, cloud_acceptance_days FROM network_settings WHERE id = 1")
            .fetch_one(&mut **tx)
            .await?;
        let speedup = u32::try_from(settings.try_get::<i64, _>("speedup")?).unwrap_or(1);
        let days = u32::try_from(settings.try_get::<i64, _>("cloud_acceptance_days")?).unwrap_or(7);
        let deadline = acceptance_deadline_ms(now, days, speedup);
        (ConnectionState::AwaitingAcceptance, waiting, Some(deadline), ServiceState::Inactive)
    } else {
        (ConnectionState::Active, CloudState::Available, None, ServiceState::Active)
    };
    sqlx::query(
        "UPDATE cloud_connections SET state = $1, cloud_state = $2, accept_by_ms = $3, service_id = $4, updated_at_ms = $5
         WHERE order_id = $6 AND position = $7",
    )
    .bind(state.slug())
    .bind(cloud_state.slug())
    .bind(accept_by)
    .bind(service)
    .bind(now)
    .bind(order.as_str())
    .bind(i64::from(position))
    .execute(&mut **tx)
    .await?;
    Ok(Some(service_state))
}

/// Follows the order's own moves: provisioning once it starts; released (VLAN and key free)
/// when it ends without having built the connection (failed, cancelled, refused on credit).
pub(crate) async fn order_moved(tx: &mut Tx, order: &Id, next: OrderState) -> Result<(), sqlx::Error> {
    if next == OrderState::InProgress {
        sqlx::query("UPDATE cloud_connections SET state = $1, updated_at_ms = $2 WHERE order_id = $3 AND state = $4")
            .bind(ConnectionState::Provisioning.slug())
            .bind(now_ms())
            .bind(order.as_str())
            .bind(ConnectionState::Ordered.slug())
            .execute(&mut **tx)
            .await?;
        return Ok(());
    }
    if !next.is_terminal() {
        return Ok(());
    }
    let unbuilt = sqlx::query(
        "SELECT vlan_holder FROM cloud_connections WHERE order_id = $1 AND service_id IS NULL AND state IN ($2, $3)",
    )
    .bind(order.as_str())
    .bind(ConnectionState::Ordered.slug())
    .bind(ConnectionState::Provisioning.slug())
    .fetch_all(&mut **tx)
    .await?;
    let ended = if next == OrderState::Failed { ConnectionState::Failed } else { ConnectionState::Terminated };
    for row in unbuilt {
        vlans::release_in(tx, &row.try_get::<String, _>("vlan_holder")?).await?;
    }
    sqlx::query(
        "UPDATE cloud_connections SET state = $1, cloud_state = $2, cloud_key = NULL, updated_at_ms = $3
         WHERE order_id = $4 AND service_id IS NULL AND state IN ($5, $6)",
    )
    .bind(ended.slug())
    .bind(CloudState::Deleted.slug())
    .bind(now_ms())
    .bind(order.as_str())
    .bind(ConnectionState::Ordered.slug())
    .bind(ConnectionState::Provisioning.slug())
    .execute(&mut **tx)
    .await?;
    // The key of a connection that was not built is free again; a built one's stays taken.
    sqlx::query(
        "UPDATE cloud_keys SET used_by = NULL WHERE used_by = $1
         AND NOT EXISTS (SELECT 1 FROM cloud_connections c WHERE c.order_id = $1 AND c.cloud_key IS NOT NULL)",
    )
    .bind(order.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A disconnected cloud connection gives back its VLAN and its cloud key, in the transaction
/// that terminates its service.
pub(crate) async fn service_terminated(tx: &mut Tx, service: &str) -> Result<(), sqlx::Error> {
    let Some(row) = sqlx::query("SELECT order_id, vlan_holder FROM cloud_connections WHERE service_id = $1")
        .bind(service)
        .fetch_optional(&mut **tx)
        .await?
    else {
        return Ok(());
    };
    vlans::release_in(tx, &row.try_get::<String, _>("vlan_holder")?).await?;
    sqlx::query(
        "UPDATE cloud_connections SET state = $1, cloud_state = $2, cloud_key = NULL, updated_at_ms = $3 WHERE service_id = $4",
    )
    .bind(ConnectionState::Terminated.slug())
    .bind(CloudState::Deleted.slug())
    .bind(now_ms())
    .bind(service)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE cloud_keys SET used_by = NULL WHERE used_by = $1")
        .bind(row.try_get::<String, _>("order_id")?)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Why the simulated AWS did not accept or reject a hosted connection.
#[derive(Debug, thiserror::Error)]
pub enum DecisionError {
    #[error("no hosted connection with this id in your AWS account")]
    NotFound,
    #[error("the connection is {0}, not waiting for acceptance")]
    NotWaiting(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for DecisionError {
    fn from(error: sqlx::Error) -> Self {
        DecisionError::Store(StoreError::Database(error))
    }
}

/// What a waiting connection waits for, in its cloud's terms: an AWS hosted connection's
/// acceptance (by its id), a Google attachment's activation (by its key).
enum Waiting {
    Aws(String),
    Google(String),
}

impl Waiting {
    fn of(row: &AnyRow) -> Result<Waiting, StoreError> {
        Ok(match row.try_get::<String, _>("cloud")?.as_str() {
            "google" => Waiting::Google(row.try_get::<Option<String>, _>("cloud_key")?.unwrap_or_default()),
            _ => Waiting::Aws(row.try_get::<Option<String>, _>("connection_id")?.unwrap_or_default()),
        })
    }
}

/// How a connection waiting for acceptance ended without being accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Release {
    /// The buyer rejected it in their cloud.
    Rejected,
    /// Not accepted in time.
    Expired,
}

const COLUMNS: &str = concat!(
    "c.order_id, c.position, c.organisation_id, c.cloud, c.details_json, c.vlan, c.vlan_holder, \
     c.connection_id, c.cloud_key, c.state, c.cloud_state, c.accept_by_ms, c.service_id, c.router_service_id, s.mbps, \
     s.holder, ",
    crate::outages::route_down_column!()
);

fn details(row: &AnyRow) -> Result<CloudConnection, StoreError> {
    serde_json::from_str(&row.try_get::<String, _>("details_json")?).map_err(corrupt)
}

fn vlan(row: &AnyRow) -> Result<Vlan, StoreError> {
    let id: i64 = row.try_get("vlan")?;
    u16::try_from(id).ok().and_then(Vlan::new).ok_or_else(|| corrupt(format!("VLAN {id}")))
}

fn states(row: &AnyRow) -> Result<(ConnectionState, CloudState), StoreError> {
    let (state, cloud): (String, String) = (row.try_get("state")?, row.try_get("cloud_state")?);
    Ok((
        ConnectionState::parse(&state).ok_or_else(|| corrupt(format!("state {state}")))?,
        CloudState::parse(&cloud).ok_or_else(|| corrupt(format!("cloud state {cloud}")))?,
    ))
}

fn view(row: &AnyRow) -> Result<CloudConnectionView, StoreError> {
    let (mut state, cloud_state) = states(row)?;
    // An outage on its route takes an active connection (and its BGP session) down until the
    // span is back; what is stored stays active, so nothing has to be undone.
    if state == ConnectionState::Active && row.try_get::<i64, _>("down")? == 1 {
        state = ConnectionState::Down;
    }
    let mut view = CloudConnectionView::new(
        &details(row)?,
        vlan(row)?,
        state,
        cloud_state,
        row.try_get("connection_id")?,
        row.try_get("accept_by_ms")?,
    );
    view.router = row.try_get("router_service_id")?;
    Ok(view)
}

fn aws_bandwidth(mbps: i64) -> String {
    if mbps >= 1_000 && mbps % 1_000 == 0 {
        format!("{}Gbps", mbps / 1_000)
    } else {
        format!("{mbps}Mbps")
    }
}

impl Store {
    /// Sets how many days (of the network's clock) a connection waits for acceptance.
    pub async fn set_cloud_acceptance_days(&self, days: u32) -> Result<(), StoreError> {
        sqlx::query("UPDATE network_settings SET cloud_acceptance_days = $1 WHERE id = 1")
            .bind(i64::from(days))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The cloud connection a service is, if it is one.
    pub async fn cloud_connection_of(&self, service: &Id) -> Result<Option<CloudConnectionView>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM cloud_connections c LEFT JOIN services s ON s.id = c.service_id WHERE c.service_id = $1"
        ))
        .bind(service.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(view).transpose()
    }

    /// The configuration for the buyer's router of the cloud connection a service is, its BGP
    /// key in clear or masked.
    pub async fn router_config(&self, service: &Id, key_shown: KeyShown) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM cloud_connections c LEFT JOIN services s ON s.id = c.service_id WHERE c.service_id = $1"
        ))
        .bind(service.as_str())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let connection_id: Option<String> = row.try_get("connection_id")?;
        Ok(Some(details(&row)?.router_config(vlan(&row)?, connection_id.as_deref(), key_shown)))
    }

    /// The AWS hosted connections offered to an organisation, newest first, as its simulated
    /// AWS console lists them (at most 200).
    pub async fn hosted_connections(&self, organisation: &Id) -> Result<Vec<HostedConnection>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM cloud_connections c LEFT JOIN services s ON s.id = c.service_id
             WHERE c.organisation_id = $1 AND c.cloud = 'aws' AND c.service_id IS NOT NULL
             ORDER BY c.created_at_ms DESC LIMIT 200"
        ))
        .bind(organisation.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let view = view(row)?;
                Ok(HostedConnection {
                    connection_id: view.connection_id.clone().ok_or_else(|| corrupt("without its AWS id"))?,
                    owner_account: view.aws_account.clone().unwrap_or_default(),
                    region: view.region.clone(),
                    bandwidth: aws_bandwidth(row.try_get::<Option<i64>, _>("mbps")?.unwrap_or(0)),
                    vlan: view.vlan,
                    connection_state: view.cloud_state_name.clone(),
                    service_id: row.try_get("service_id")?,
                    accept_by_ms: view.accept_by_ms,
                })
            })
            .collect()
    }

    /// The buyer accepts (`true`) or rejects the hosted connection `id` in their AWS console.
    /// Accepted: active, billed from now, BGP comes up. Rejected: released, nothing charged.
    /// Only the organisation it was offered to finds it.
    pub async fn decide_hosted_connection(
        &self,
        actor: &Actor,
        organisation: &Id,
        id: &AwsConnectionId,
        accept: bool,
    ) -> Result<Id, DecisionError> {
        self.decide(actor, organisation, Waiting::Aws(id.as_str().to_owned()), accept).await
    }

    /// The owner of the Google Partner Interconnect attachment `key` (its UUID) activates it in
    /// their Google Cloud console: the connection built over it, waiting in PENDING_CUSTOMER,
    /// turns active and is billed from now. Only the organisation it belongs to finds it.
    pub async fn activate_google_attachment(
        &self,
        actor: &Actor,
        organisation: &Id,
        key: &str,
    ) -> Result<Id, DecisionError> {
        self.decide(actor, organisation, Waiting::Google(key.to_owned()), true).await
    }

    /// The buyer's decision in their cloud's console on the connection `waiting` names, in one
    /// transaction with its audit entry; answers its service.
    async fn decide(
        &self,
        actor: &Actor,
        organisation: &Id,
        waiting: Waiting,
        accept: bool,
    ) -> Result<Id, DecisionError> {
        let (cloud, found_by, name, subject) = match &waiting {
            Waiting::Aws(id) => {
                (Cloud::Aws, "c.connection_id = $1 AND c.service_id IS NOT NULL", id, "hosted connection")
            }
            Waiting::Google(key) => (Cloud::Google, "c.cloud_key = $1 AND c.cloud = 'google'", key, "attachment"),
        };
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM cloud_connections c LEFT JOIN services s ON s.id = c.service_id
             WHERE {found_by} AND c.organisation_id = $2"
        ))
        .bind(name)
        .bind(organisation.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DecisionError::NotFound)?;
        let (state, cloud_state) = states(&row)?;
        if state != ConnectionState::AwaitingAcceptance {
            return Err(DecisionError::NotWaiting(cloud_state.name(cloud).to_owned()));
        }
        let service: String = row.try_get("service_id")?;
        let service = Id::parse(&service).ok_or_else(|| corrupt("service id"))?;
        let (after, verb) = match (accept, cloud) {
            (true, Cloud::Google) => (CloudState::Available, "activated"),
            (true, _) => (CloudState::Available, "accepted"),
            (false, _) => (CloudState::Rejected, "rejected"),
        };
        if accept {
            accept_in(&mut tx, &row, &service).await?;
        } else {
            release_in(&mut tx, &row, &service, Release::Rejected).await?;
        }
        audit::record(
            &mut tx,
            actor,
            &format!("cloud.connection.{verb}"),
            &format!("{subject} {name}"),
            Some(organisation.as_str()),
            Change::updated(
                serde_json::json!({ "state": cloud_state.name(cloud) }),
                serde_json::json!({ "state": after.name(cloud) }),
            ),
        )
        .await?;
        tx.commit().await?;
        let order: String = row.try_get("order_id")?;
        if let Some(order) = Id::parse(&order) {
            self.order_changed(&order);
        }
        Ok(service)
    }

    /// Releases the connections whose time for acceptance has passed; returns how many. Safe
    /// to run on every server at once: each release moves a row only from waiting.
    pub async fn expire_unaccepted_connections(&self) -> Result<u64, StoreError> {
        let due: Vec<(String, i64)> = sqlx::query_as(
            "SELECT order_id, position FROM cloud_connections WHERE state = $1 AND accept_by_ms < $2 LIMIT 100",
        )
        .bind(ConnectionState::AwaitingAcceptance.slug())
        .bind(now_ms())
        .fetch_all(self.pool())
        .await?;
        let mut released = 0;
        for (order, position) in due {
            let mut tx = self.begin_write().await?;
            let Some(row) = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM cloud_connections c LEFT JOIN services s ON s.id = c.service_id
                 WHERE c.order_id = $1 AND c.position = $2 AND c.state = $3"
            ))
            .bind(&order)
            .bind(position)
            .bind(ConnectionState::AwaitingAcceptance.slug())
            .fetch_optional(&mut *tx)
            .await?
            else {
                continue;
            };
            let service: String = row.try_get("service_id")?;
            let service = Id::parse(&service).ok_or_else(|| corrupt("service id"))?;
            match release_in(&mut tx, &row, &service, Release::Expired).await {
                Ok(()) => {
                    tx.commit().await?;
                    released += 1;
                }
                // Accepted or rejected meanwhile.
                Err(DecisionError::NotWaiting(_)) => {}
                Err(DecisionError::NotFound) => {}
                Err(DecisionError::Store(error)) => return Err(error),
            }
        }
        Ok(released)
    }
}

/// Moves the row from waiting to `state`; false when another request moved it first.
async fn leave_waiting(
    tx: &mut Tx,
    row: &AnyRow,
    state: ConnectionState,
    cloud_state: CloudState,
) -> Result<bool, StoreError> {
    let moved = sqlx::query(
        "UPDATE cloud_connections SET state = $1, cloud_state = $2, accept_by_ms = NULL, updated_at_ms = $3
         WHERE order_id = $4 AND position = $5 AND state = $6",
    )
    .bind(state.slug())
    .bind(cloud_state.slug())
    .bind(now_ms())
    .bind(row.try_get::<String, _>("order_id")?)
    .bind(row.try_get::<i64, _>("position")?)
    .bind(ConnectionState::AwaitingAcceptance.slug())
    .execute(&mut **tx)
    .await?;
    Ok(moved.rows_affected() == 1)
}

async fn accept_in(tx: &mut Tx, row: &AnyRow, service: &Id) -> Result<(), DecisionError> {
    if !leave_waiting(tx, row, ConnectionState::Active, CloudState::Available).await? {
        return Err(DecisionError::NotWaiting("decided already".into()));
    }
    let now = now_ms();
    sqlx::query("UPDATE services SET state = $1, updated_at_ms = $2 WHERE id = $3")
        .bind(ServiceState::Active.slug())
        .bind(now)
        .bind(service.as_str())
        .execute(&mut **tx)
        .await?;
    // Billing starts now, at the item's rates.
    let (order, position): (String, i64) = (row.try_get("order_id")?, row.try_get("position")?);
    sqlx::query(
        "INSERT INTO service_rates (service_id, seq, from_ms, to_ms, mbps, monthly_cents, hourly_cents)
         SELECT $1, 1, $2, NULL, i.mbps, i.monthly_cents, i.hourly_cents FROM order_items i
         WHERE i.order_id = $3 AND i.position = $4",
    )
    .bind(service.as_str())
    .bind(now)
    .bind(&order)
    .bind(position)
    .execute(&mut **tx)
    .await?;
    let order = Id::parse(&order).ok_or_else(|| corrupt("order id"))?;
    let message = match Waiting::of(row)? {
        Waiting::Aws(id) => {
            format!("Accepted in AWS ({id}): the connection is active, BGP is up and billing starts now.")
        }
        Waiting::Google(key) => {
            format!("Activated in Google Cloud (attachment {key}): the connection is active and billing starts now.")
        }
    };
    crate::orders::add_event(tx, &order, Some(position as u32), "ok", &message).await?;
    crate::webhooks::publish_service_state(tx, service.as_str()).await?;
    Ok(())
}

async fn release_in(tx: &mut Tx, row: &AnyRow, service: &Id, why: Release) -> Result<(), DecisionError> {
    let cloud_state = match why {
        Release::Rejected => CloudState::Rejected,
        Release::Expired => CloudState::Deleted,
    };
    if !leave_waiting(tx, row, ConnectionState::Rejected, cloud_state).await? {
        return Err(DecisionError::NotWaiting("decided already".into()));
    }
    // Nothing is charged: no rate period ever opened, and the one-time charges go too.
    sqlx::query("UPDATE services SET state = $1, one_time_cents = 0, updated_at_ms = $2 WHERE id = $3")
        .bind(ServiceState::Terminated.slug())
        .bind(now_ms())
        .bind(service.as_str())
        .execute(&mut **tx)
        .await?;
    if let Some(holder) = row.try_get::<Option<String>, _>("holder")? {
        crate::capacity::release_in(tx, &holder).await?;
    }
    vlans::release_in(tx, &row.try_get::<String, _>("vlan_holder")?).await?;
    let (order, position): (String, i64) = (row.try_get("order_id")?, row.try_get("position")?);
    // A Google attachment's key can order a connection again.
    sqlx::query("UPDATE cloud_connections SET cloud_key = NULL WHERE order_id = $1 AND position = $2")
        .bind(&order)
        .bind(position)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE cloud_keys SET used_by = NULL WHERE used_by = $1").bind(&order).execute(&mut **tx).await?;
    let order = Id::parse(&order).ok_or_else(|| corrupt("order id"))?;
    let message = match (why, Waiting::of(row)?) {
        (Release::Rejected, Waiting::Aws(id)) => {
            format!("Rejected in AWS ({id}): released, capacity and VLAN freed, nothing charged.")
        }
        (Release::Expired, Waiting::Aws(id)) => {
            format!("Not accepted in AWS in time ({id}): released, capacity and VLAN freed, nothing charged.")
        }
        (_, Waiting::Google(key)) => format!(
            "Not activated in Google Cloud in time (attachment {key}): released, capacity and VLAN freed, nothing charged."
        ),
    };
    crate::orders::add_event(tx, &order, Some(position as u32), "failed", &message).await?;
    crate::webhooks::publish_service_state(tx, service.as_str()).await?;
    Ok(())
}

/// Why a cloud connection's VLAN did not change.
#[derive(Debug, thiserror::Error)]
pub enum VlanChangeError {
    #[error("not a cloud connection")]
    NotCloud,
    #[error("the connection is {0}")]
    NotLive(String),
    #[error(transparent)]
    Vlan(#[from] VlanError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for VlanChangeError {
    fn from(error: sqlx::Error) -> Self {
        VlanChangeError::Store(StoreError::Database(error))
    }
}

impl Store {
    /// Moves a cloud connection to another VLAN on the same port, in place: the same
    /// connection (its id, BGP session and service) on the new VLAN, the old one freed, in one
    /// transaction; a VLAN in use leaves everything as it was.
    pub async fn change_cloud_vlan(&self, actor: &Actor, service: &Id, to: Vlan) -> Result<Vlan, VlanChangeError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS}, c.interface FROM cloud_connections c LEFT JOIN services s ON s.id = c.service_id
             WHERE c.service_id = $1"
        ))
        .bind(service.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(VlanChangeError::NotCloud)?;
        let (state, _) = states(&row)?;
        if !matches!(state, ConnectionState::Active | ConnectionState::AwaitingAcceptance) {
            return Err(VlanChangeError::NotLive(state.label().to_lowercase()));
        }
        let (from, holder, interface): (Vlan, String, String) =
            (vlan(&row)?, row.try_get("vlan_holder")?, row.try_get("interface")?);
        vlans::release_in(&mut tx, &holder).await?;
        let to =
            vlans::allocate_in(&mut tx, &interface, lightpath_domain::cloud::VlanChoice::Chosen(to), &holder).await?;
        sqlx::query("UPDATE cloud_connections SET vlan = $1, updated_at_ms = $2 WHERE service_id = $3")
            .bind(i64::from(to.id()))
            .bind(now_ms())
            .bind(service.as_str())
            .execute(&mut *tx)
            .await?;
        let organisation: String = row.try_get("organisation_id")?;
        audit::record(
            &mut tx,
            actor,
            "cloud.connection.vlan",
            &format!("service {service} on {interface}"),
            Some(&organisation),
            Change::updated(serde_json::json!({ "vlan": from.id() }), serde_json::json!({ "vlan": to.id() })),
        )
        .await?;
        crate::webhooks::publish_service_state(&mut tx, service.as_str()).await?;
        tx.commit().await?;
        Ok(to)
    }
}
