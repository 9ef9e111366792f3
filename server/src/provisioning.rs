//! The provisioning worker: takes accepted orders from the database queue, runs each item's
//! steps against the network backend, writes every step to the order's timeline, retries
//! transient faults with backoff, and on a permanent fault rolls the item back (its capacity
//! released) and marks it failed. Crash-safe: progress is stored after every step and each
//! step is idempotent, so an order whose worker died is resumed by the next lease holder
//! without provisioning anything twice.

use crate::network::{NetworkBackend, ServiceSpec, Step, StepFailure};
use lightpath_domain::account::Id;
use lightpath_domain::catalog::Provisioning;
use lightpath_domain::network::PLATFORM_SITE;
use lightpath_domain::order::OrderState;
use lightpath_domain::retry::backoff_ms;
use lightpath_domain::service::OrderAction;
use lightpath_domain::{Product, SiteId};
use lightpath_store::orders::WorkItem;
use lightpath_store::{Store, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// How long a lease lasts without renewal; the worker renews it every third of that.
const LEASE_MS: i64 = 10_000;
/// Tries of one step before a transient fault counts as permanent.
const MAX_ATTEMPTS: u32 = 4;
/// The wait before a step's first retry; each later one waits twice as long.
const STEP_RETRY_BASE_MS: u64 = 100;
/// How often a running step looks whether its order was cancelled.
const CANCEL_CHECK: Duration = Duration::from_millis(500);
/// How long an idle worker waits before it looks at the queue again.
const IDLE: Duration = Duration::from_millis(200);

/// Starts `count` workers on this server against `network` (chosen at start-up); they run
/// until the store is closed.
pub fn spawn_workers<B: NetworkBackend>(store: Store, network: Arc<B>, count: usize) {
    for index in 0..count {
        let owner = format!("{}-{index}", uuid::Uuid::new_v4());
        let worker = Worker { store: store.clone(), network: network.clone(), owner };
        tokio::spawn(async move { worker.run().await });
    }
}

/// How often a server looks for cloud connections whose time for acceptance ran out.
const ACCEPTANCE_SWEEP: Duration = Duration::from_millis(500);

/// Releases cloud connections not accepted in time, until the store closes (every server
/// with workers runs it; a release moves a connection only from waiting, so once).
pub async fn release_unaccepted(store: Store) {
    loop {
        tokio::time::sleep(ACCEPTANCE_SWEEP).await;
        match store.expire_unaccepted_connections().await {
            Ok(0) => {}
            Ok(released) => tracing::info!(released, "cloud connections not accepted in time released"),
            Err(_) if store.is_closed() => return,
            Err(error) => tracing::warn!(%error, "cannot release unaccepted cloud connections"),
        }
    }
}

/// How often a server checks whether last month is invoiced yet.
const BILLING_CHECK: Duration = Duration::from_secs(300);

/// Issues last month's invoices once the month has ended (every server checks; an invoice per
/// organisation and period start is unique, so servers sharing PostgreSQL issue it once).
pub async fn monthly_billing(store: Store) {
    loop {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_millis() as i64);
        match lightpath_app::invoices::close_last_month(&store, now).await {
            Ok(0) => {}
            Ok(issued) => tracing::info!(issued, "monthly invoices issued"),
            Err(_) if store.is_closed() => return,
            Err(error) => tracing::warn!(%error, "cannot issue the monthly invoices"),
        }
        tokio::time::sleep(BILLING_CHECK).await;
    }
}

/// How often the network's usage collector runs (each pass takes every 5-minute sample the
/// simulated clock completed since the last).
const USAGE_COLLECT: Duration = Duration::from_secs(5);

/// Measures every connection's traffic and latency, rolls up and ages the history (servers
/// sharing PostgreSQL write each sample once: it measures the same on all of them).
pub async fn usage_collector(store: Store) {
    loop {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_millis() as i64);
        match lightpath_app::usage::collect(&store, now).await {
            Ok(_) => {}
            Err(_) if store.is_closed() => return,
            Err(error) => tracing::warn!(%error, "cannot collect usage"),
        }
        tokio::time::sleep(USAGE_COLLECT).await;
    }
}

pub struct Worker<B: NetworkBackend> {
    pub store: Store,
    pub network: Arc<B>,
    /// Unique per worker: the lease holder's name.
    pub owner: String,
}

impl<B: NetworkBackend> Worker<B> {
    async fn run(self) {
        loop {
            match self.store.claim_provisioning(&self.owner, LEASE_MS).await {
                Ok(Some(order)) => self.provision_claimed(&order).await,
                Ok(None) => tokio::time::sleep(IDLE).await,
                // The server is shutting down: nothing more to claim.
                Err(_) if self.store.is_closed() => return,
                Err(error) => {
                    tracing::warn!(%error, "cannot read the provisioning queue");
                    tokio::time::sleep(IDLE * 5).await;
                }
            }
        }
    }

    /// Provisions an order this worker has leased (`Store::claim_provisioning`): the backend
    /// takes up its settings first; an order that stops early is resumed by the next lease.
    pub async fn provision_claimed(&self, order: &Id) {
        if let Err(error) = self.network.prepare().await {
            tracing::warn!(%error, "the network backend could not take up its settings; using the last ones");
        }
        if let Err(error) = self.provision(order).await {
            tracing::warn!(%error, %order, "provisioning stopped; another lease will resume it");
        }
    }

    /// Runs one leased order to a terminal state.
    pub async fn provision(&self, order: &Id) -> Result<(), StoreError> {
        let heartbeat = self.keep_lease(order);
        let outcome = self.provision_items(order).await;
        heartbeat.abort();
        outcome
    }

    /// Renews the lease while the order runs: a step may take longer than one lease.
    fn keep_lease(&self, order: &Id) -> tokio::task::JoinHandle<()> {
        let (store, order, owner) = (self.store.clone(), order.clone(), self.owner.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(LEASE_MS as u64 / 3)).await;
                match store.renew_lease(&order, &owner, LEASE_MS).await {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(error) => tracing::warn!(%error, %order, "could not renew the provisioning lease"),
                }
            }
        })
    }

    async fn provision_items(&self, order: &Id) -> Result<(), StoreError> {
        let Some((state, items)) = self.store.order_work(order).await? else { return Ok(()) };
        if state.is_terminal() {
            return Ok(());
        }
        if matches!(state, OrderState::AssessingCancellation | OrderState::PendingCancellation) {
            return self.cancel(order, &items).await;
        }
        if state == OrderState::Acknowledged && !self.store.start_order(order).await? {
            // Cancelled before it started.
            return self.cancel(order, &items).await;
        }
        for item in items.iter().filter(|item| !item.state.is_terminal()) {
            if self.provision_item(order, item).await? == Flow::Cancel {
                let (_, items) = self.store.order_work(order).await?.unwrap_or((state, Vec::new()));
                return self.cancel(order, &items).await;
            }
        }
        let (_, items) = self.store.order_work(order).await?.unwrap_or((state, Vec::new()));
        let completed = items.iter().filter(|item| item.state == OrderState::Completed).count();
        let failed: Vec<&WorkItem> = items.iter().filter(|item| item.state == OrderState::Failed).collect();
        let end = OrderState::from_items(completed, items.len());
        let (reason, message) = match end {
            OrderState::Completed => {
                let done = match items.first().map(|item| item.action) {
                    // A quote accepted with only cloud items: each is ordered on its own with
                    // the buyer's cloud details.
                    None => "Order completed: nothing in it to build; the quote's cloud items wait for your clouds' details.",
                    Some(OrderAction::Modify) => "Order completed: the service runs at its new bandwidth.",
                    Some(OrderAction::Disconnect) => {
                        "Order completed: the service is disconnected and its capacity released."
                    }
                    _ => "Order completed: every item is in service.",
                };
                (None, done.to_owned())
            }
            _ => {
                let names: Vec<&str> = failed.iter().map(|item| item.title.as_str()).collect();
                let reason = format!(
                    "{} of {} items could not be provisioned: {}.",
                    failed.len(),
                    items.len(),
                    names.join("; ")
                );
                (Some(reason.clone()), format!("Order {}: {reason}", end.label().to_lowercase()))
            }
        };
        if !self.store.set_order_state(order, end, reason.as_deref(), &message).await? && self.cancelling(order).await?
        {
            // A cancellation arrived while the last step ran: it wins.
            return self.cancel(order, &items).await;
        }
        Ok(())
    }

    async fn provision_item(&self, order: &Id, item: &WorkItem) -> Result<Flow, StoreError> {
        let service = service_of(item, &self.store.products().await?);
        let names = self.store.order_site_names(order).await?;
        let name = |site: &SiteId| names.get(site).cloned().unwrap_or_else(|| site.to_string());
        let steps = match item.action {
            OrderAction::Add => Step::plan(&service),
            OrderAction::Modify => Step::plan_change(&service, item.from_mbps.unwrap_or(service.mbps)),
            OrderAction::Disconnect => Step::plan_disconnect(),
        };
        let mut at = item.next_step as usize;
        if item.state == OrderState::Acknowledged {
            let message = format!("{}: provisioning started.", item.title);
            self.store.item_progress(order, item.position, at as u32, OrderState::InProgress, "info", &message).await?;
        }
        while let Some(step) = steps.get(at) {
            if self.cancelling(order).await? {
                return Ok(Flow::Cancel);
            }
            let mut attempt = 1;
            loop {
                let Some(outcome) = self.execute_unless_cancelled(order, &service, step).await else {
                    return Ok(Flow::Cancel);
                };
                match outcome {
                    Ok(report) => {
                        at += 1;
                        let state = if at == steps.len() { OrderState::Completed } else { OrderState::InProgress };
                        let message = format!(
                            "{}: {} ({} on the network).",
                            item.title,
                            describe(step, &name),
                            took(report.took)
                        );
                        self.store.item_progress(order, item.position, at as u32, state, "ok", &message).await?;
                        break;
                    }
                    Err(failure) if failure.is_transient() && attempt < MAX_ATTEMPTS => {
                        let message = format!(
                            "{}: {} failed: {}; trying again ({attempt} of {}).",
                            item.title,
                            doing(step, &name),
                            explain(&failure, &name),
                            MAX_ATTEMPTS - 1
                        );
                        self.store.order_note(order, Some(item.position), "retry", &message).await?;
                        tokio::time::sleep(Duration::from_millis(backoff_ms(STEP_RETRY_BASE_MS, attempt))).await;
                        attempt += 1;
                    }
                    Err(failure) => {
                        let what = format!("{} failed: {}", doing(step, &name), explain(&failure, &name));
                        self.roll_back(order, item, &service, &what).await?;
                        return Ok(Flow::Continue);
                    }
                }
            }
        }
        Ok(Flow::Continue)
    }

    /// Runs a step, unless the order is cancelled while it runs (a wave's step can take
    /// minutes): then the step is abandoned, which is safe because every step is idempotent.
    async fn execute_unless_cancelled(
        &self,
        order: &Id,
        service: &ServiceSpec,
        step: &Step,
    ) -> Option<Result<crate::network::StepReport, StepFailure>> {
        let cancelled = async {
            loop {
                tokio::time::sleep(CANCEL_CHECK).await;
                if self.cancelling(order).await.unwrap_or(false) {
                    return;
                }
            }
        };
        tokio::select! {
            outcome = self.network.execute(service, step) => Some(outcome),
            () = cancelled => None,
        }
    }

    async fn cancelling(&self, order: &Id) -> Result<bool, StoreError> {
        let state = self.store.order_state(order).await?;
        Ok(matches!(state, Some(OrderState::AssessingCancellation | OrderState::PendingCancellation)))
    }

    /// Cancels the order as TMF622 does: what is not yet delivered is stopped, its work undone
    /// and its capacity released; an item already delivered stays a service under its contract
    /// (ending it early is a disconnect, which charges its early termination fee), so a
    /// cancellation is never a way out of a term for free. The order ends cancelled, saying
    /// what stayed. Safe to run again after a crash: releasing is idempotent.
    async fn cancel(&self, order: &Id, items: &[WorkItem]) -> Result<(), StoreError> {
        if !self.cancelling(order).await? {
            return Ok(());
        }
        if self.store.order_state(order).await? == Some(OrderState::AssessingCancellation) {
            let message = "Cancellation accepted: rolling back what was provisioned.";
            self.store.set_order_state(order, OrderState::PendingCancellation, None, message).await?;
        }
        for item in items.iter().filter(|item| !matches!(item.state, OrderState::Cancelled | OrderState::Completed)) {
            let service = service_of(item, &self.store.products().await?);
            self.undo(item, &service).await?;
            let message = match item.action {
                OrderAction::Add => format!(
                    "{}: cancelled before delivery; what was provisioned for it is rolled back and its capacity released.",
                    item.title
                ),
                OrderAction::Modify => format!("{}: cancelled; the service keeps its previous bandwidth.", item.title),
                OrderAction::Disconnect => format!("{}: cancelled; the service stays active.", item.title),
            };
            self.store
                .item_progress(order, item.position, item.next_step, OrderState::Cancelled, "info", &message)
                .await?;
        }
        let delivered: Vec<&str> = items
            .iter()
            .filter(|item| item.state == OrderState::Completed && item.action == OrderAction::Add)
            .map(|item| item.title.as_str())
            .collect();
        let reason = (!delivered.is_empty()).then(|| {
            format!(
                "Cancelled after {} of {} items were delivered: {} stays in service under its term. To end it, \
                 disconnect it from its service page (its early termination fee applies).",
                delivered.len(),
                items.len(),
                delivered.join("; ")
            )
        });
        let message =
            reason.as_deref().map_or("Order cancelled.".to_owned(), |reason| format!("Order cancelled. {reason}"));
        self.store.set_order_state(order, OrderState::Cancelled, reason.as_deref(), &message).await?;
        Ok(())
    }

    /// Undoes what the item provisioned (its capacity released) and marks it failed.
    async fn roll_back(
        &self,
        order: &Id,
        item: &WorkItem,
        service: &ServiceSpec,
        what_failed: &str,
    ) -> Result<(), StoreError> {
        let mut undone = self.undo(item, service).await;
        for _ in 1..MAX_ATTEMPTS {
            if undone.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
            undone = self.undo(item, service).await;
        }
        // On error the item stays as it is: the next lease holder retries the whole roll-back.
        undone?;
        let undone = match item.action {
            OrderAction::Add => "Rolled back; its capacity is released.",
            OrderAction::Modify => "Rolled back; the service keeps its previous bandwidth.",
            OrderAction::Disconnect => "The service stays active; try the disconnect again.",
        };
        let message = format!("{}: {what_failed}. {undone}", item.title);
        self.store.item_progress(order, item.position, item.next_step, OrderState::Failed, "failed", &message).await
    }

    /// Undoes an unfinished item on the network: a new service's capacity is released, a
    /// bandwidth change goes back to the previous rate, a disconnect has nothing to undo
    /// (capacity is released by its last step). Idempotent.
    async fn undo(&self, item: &WorkItem, service: &ServiceSpec) -> Result<(), StoreError> {
        let undone = match (item.action, item.from_mbps) {
            (OrderAction::Add, _) => self.network.release(service).await,
            (OrderAction::Modify, Some(before)) => self.network.restore_rate(service, before).await,
            (OrderAction::Modify, None) | (OrderAction::Disconnect, _) => Ok(()),
        };
        undone.map_err(|error| StoreError::Corrupt(format!("could not roll back {}: {error}", service.holder)))
    }
}

/// Whether the worker goes on with the order or turns to cancelling it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Cancel,
}

/// What the network provisions for an item; its holder name is stable across restarts.
fn service_of(item: &WorkItem, products: &[Product]) -> ServiceSpec {
    let route = item.route.clone();
    let timing = products
        .iter()
        .find(|product| product.id == route.product)
        .map_or_else(Provisioning::default, |product| product.provisioning);
    ServiceSpec {
        timing,
        holder: item.holder.clone(),
        product: route.product,
        a_end: route.a_end,
        z_end: route.z_end,
        spans: route.spans,
        mbps: route.mbps,
    }
}

fn describe(step: &Step, name: &impl Fn(&SiteId) -> String) -> String {
    match step {
        Step::ReserveCapacity => "capacity reserved".to_owned(),
        Step::ConfigureDevice { site } if site.as_str() == PLATFORM_SITE => "configured on our platform".to_owned(),
        Step::ConfigureDevice { site } => format!("device configured at {}", name(site)),
        Step::Activate => "service activated".to_owned(),
        Step::TestService => "service test passed".to_owned(),
        Step::ResizeCapacity => "capacity resized on every span".to_owned(),
        Step::Deactivate => "service deactivated".to_owned(),
        Step::ReleaseCapacity => "capacity released".to_owned(),
    }
}

fn doing(step: &Step, name: &impl Fn(&SiteId) -> String) -> String {
    match step {
        Step::ReserveCapacity => "reserving capacity".to_owned(),
        Step::ConfigureDevice { site } if site.as_str() == PLATFORM_SITE => "configuring it on our platform".to_owned(),
        Step::ConfigureDevice { site } => format!("configuring the device at {}", name(site)),
        Step::Activate => "activating".to_owned(),
        Step::TestService => "testing the service".to_owned(),
        Step::ResizeCapacity => "resizing capacity".to_owned(),
        Step::Deactivate => "deactivating the service".to_owned(),
        Step::ReleaseCapacity => "releasing capacity".to_owned(),
    }
}

/// A failure in words, naming sites as the buyer knows them.
fn explain(failure: &StepFailure, name: &impl Fn(&SiteId) -> String) -> String {
    match failure {
        StepFailure::DeviceTimeout { site } => format!("the device at {} did not answer in time", name(site)),
        other => other.to_string(),
    }
}

fn took(duration: Duration) -> String {
    match duration.as_secs() {
        0..=59 => format!("{} s", duration.as_secs()),
        60..=3_599 => format!("{} min", duration.as_secs() / 60),
        seconds => format!("{} h {} min", seconds / 3_600, seconds % 3_600 / 60),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::network::SimulatedNetwork;
    use lightpath_store::DatabaseTarget;

    /// A store whose pool has been closed, as at the end of `run_until_stopped`.
    pub(crate) async fn closed_store() -> Store {
        let path = std::env::temp_dir().join(format!("lightpath-closed-{}.db", uuid::Uuid::new_v4()));
        let store = Store::connect(&DatabaseTarget::Sqlite(path.clone())).await.expect("an SQLite store opens");
        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        store
    }

    #[tokio::test]
    async fn a_worker_stops_once_the_store_is_closed() {
        let store = closed_store().await;
        let network = SimulatedNetwork::new(store.clone(), Default::default(), 7);
        let worker = Worker { store, network, owner: "test".to_owned() };
        tokio::time::timeout(Duration::from_secs(10), worker.run())
            .await
            .expect("the worker returns instead of polling a closed pool");
    }
}
