//! The network backend: what the provisioning worker asks the carrier network to do.
//!
//! A service is provisioned in steps — reserve capacity, configure the device at each end,
//! activate, run a service test — and released when it fails or is disconnected. The worker
//! talks to [`NetworkBackend`] only, so the simulated network here can be replaced by a real
//! network API without touching it.

mod simulated;

pub use simulated::{FaultMix, FaultSettings, SimulatedNetwork};

use lightpath_domain::catalog::Provisioning;
use lightpath_domain::{ProductId, SiteId, SpanId};
use std::future::Future;
use std::time::Duration;

/// What is being provisioned: enough for the network to do its work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceSpec {
    /// The holder of the capacity: the order item (and later the service) identifier.
    pub holder: String,
    pub product: ProductId,
    pub a_end: SiteId,
    pub z_end: SiteId,
    /// Every span of every path (both paths of a diverse pair).
    pub spans: Vec<SpanId>,
    pub mbps: u64,
    /// How long the product's steps take, from the catalog (the simulated network waits this
    /// long; a real network takes what it takes).
    pub timing: Provisioning,
}

/// One step of provisioning, in the order a carrier runs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    ReserveCapacity,
    ConfigureDevice {
        site: SiteId,
    },
    Activate,
    TestService,
    /// A bandwidth change: the reservation on every span grows or shrinks to the new rate.
    ResizeCapacity,
    /// A disconnect: the service stops carrying traffic.
    Deactivate,
    /// A disconnect's last step: the capacity is given back.
    ReleaseCapacity,
}

impl Step {
    /// The steps that provision `service`, in order. A service that uses no long-haul span
    /// (inside one metro, or no connection at all, like secure access) reserves nothing.
    pub fn plan(service: &ServiceSpec) -> Vec<Step> {
        let reserve = (!service.spans.is_empty() && service.mbps > 0).then_some(Step::ReserveCapacity);
        let far_end = (service.z_end != service.a_end).then(|| Step::ConfigureDevice { site: service.z_end.clone() });
        reserve
            .into_iter()
            .chain([Step::ConfigureDevice { site: service.a_end.clone() }])
            .chain(far_end)
            .chain([Step::Activate, Step::TestService])
            .collect()
    }

    /// The steps of a bandwidth change from `from_mbps` to the service's rate: a rise reserves
    /// first (nothing changes if the spans are full), a cut frees capacity last (only once
    /// the service runs at the lower rate).
    pub fn plan_change(service: &ServiceSpec, from_mbps: u64) -> Vec<Step> {
        let resize = (!service.spans.is_empty() && service.mbps > 0).then_some(Step::ResizeCapacity);
        let far_end = (service.z_end != service.a_end).then(|| Step::ConfigureDevice { site: service.z_end.clone() });
        let configure = [Step::ConfigureDevice { site: service.a_end.clone() }]
            .into_iter()
            .chain(far_end)
            .chain([Step::TestService]);
        if service.mbps >= from_mbps {
            resize.clone().into_iter().chain(configure).collect()
        } else {
            configure.chain(resize).collect()
        }
    }

    /// The steps of a disconnect.
    pub fn plan_disconnect() -> Vec<Step> {
        vec![Step::Deactivate, Step::ReleaseCapacity]
    }
}

/// How a step went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReport {
    pub step: Step,
    /// The simulated (or real) time the step took.
    pub took: Duration,
}

/// Why a step failed. Transient failures are worth retrying; permanent ones are not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepFailure {
    #[error("no capacity left on span {span}")]
    NoCapacity { span: SpanId },
    #[error("the device at {site} did not answer in time")]
    DeviceTimeout { site: SiteId },
    #[error("activation failed: {reason}")]
    ActivationFailed { reason: String },
    #[error("the service test failed: {reason}")]
    TestFailed { reason: String },
    #[error("the network backend is unavailable: {0}")]
    Unavailable(String),
}

impl StepFailure {
    /// Whether the same step may succeed if tried again.
    pub fn is_transient(&self) -> bool {
        matches!(self, StepFailure::DeviceTimeout { .. } | StepFailure::TestFailed { .. } | StepFailure::Unavailable(_))
    }
}

/// The carrier network as the provisioning worker sees it. Every method is idempotent for a
/// given service: a step retried after a crash does not provision twice.
pub trait NetworkBackend: Send + Sync + 'static {
    /// Called before each order is provisioned: the backend takes up what changed since the
    /// last one (the simulator reads the admins' fault and speed settings). Nothing by default.
    fn prepare(&self) -> impl Future<Output = Result<(), String>> + Send {
        async { Ok(()) }
    }

    fn execute(
        &self,
        service: &ServiceSpec,
        step: &Step,
    ) -> impl Future<Output = Result<StepReport, StepFailure>> + Send;

    /// Undoes everything provisioned for the service and frees its capacity exactly.
    fn release(&self, service: &ServiceSpec) -> impl Future<Output = Result<(), StepFailure>> + Send;

    /// Puts the service's capacity back to `mbps` (a bandwidth change rolled back).
    fn restore_rate(&self, service: &ServiceSpec, mbps: u64) -> impl Future<Output = Result<(), StepFailure>> + Send;
}
