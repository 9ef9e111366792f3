//! A simulated carrier network: real capacity reservations in the database, simulated device
//! work that takes time and fails the way networks do, at a rate and mix set at runtime.

use super::{NetworkBackend, ServiceSpec, Step, StepFailure, StepReport};
use lightpath_domain::faults::FaultPolicy;
use lightpath_store::{ReserveError, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// Relative weights of the failures injected when a step fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultMix {
    pub device_timeout: u32,
    pub activation: u32,
    pub test: u32,
}

impl Default for FaultMix {
    fn default() -> Self {
        FaultMix { device_timeout: 60, activation: 15, test: 25 }
    }
}

/// What an admin (or a test) sets: how often device steps fail, how, and how fast time runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaultSettings {
    /// Chance that a device step (configure, activate, test) fails, in basis points (0–10 000).
    pub failure_rate_bp: u32,
    pub mix: FaultMix,
    /// Simulated time × speed = real time waited: 1.0 is real time, 0.001 turns an hour into 3.6 s.
    pub speed: f64,
}

impl From<&FaultPolicy> for FaultSettings {
    /// The policy an admin stored (`Store::fault_policy`), as the simulator runs it.
    fn from(policy: &FaultPolicy) -> Self {
        let [device_timeout, activation, test] = policy.mix();
        FaultSettings {
            failure_rate_bp: policy.failure_rate_bp(),
            mix: FaultMix { device_timeout, activation, test },
            speed: 1.0 / f64::from(policy.speedup()),
        }
    }
}

impl Default for FaultSettings {
    fn default() -> Self {
        FaultSettings { failure_rate_bp: 200, mix: FaultMix::default(), speed: 0.001 }
    }
}

pub struct SimulatedNetwork {
    store: Store,
    settings: RwLock<FaultSettings>,
    random: Mutex<StdRng>,
}

impl SimulatedNetwork {
    /// A network whose failures follow `seed`: the same seed and settings give the same faults.
    pub fn new(store: Store, settings: FaultSettings, seed: u64) -> Arc<SimulatedNetwork> {
        Arc::new(SimulatedNetwork {
            store,
            settings: RwLock::new(settings),
            random: Mutex::new(StdRng::seed_from_u64(seed)),
        })
    }

    pub fn settings(&self) -> FaultSettings {
        *self.settings.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Re-reads the admins' fault policy from the database, so every server behaves alike;
    /// the order worker calls this before it runs a provisioning job.
    pub async fn reload_settings(&self) -> Result<(), lightpath_store::StoreError> {
        let policy = self.store.fault_policy().await?;
        self.set_settings(FaultSettings::from(&policy));
        Ok(())
    }

    /// Changes the fault rate, mix or speed at runtime; rates above 100 % are capped.
    pub fn set_settings(&self, mut settings: FaultSettings) {
        settings.failure_rate_bp = settings.failure_rate_bp.min(10_000);
        settings.speed = settings.speed.clamp(0.0, 1.0);
        *self.settings.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = settings;
    }

    /// How long a step takes on the real network: the product's step durations from the
    /// catalog (on-demand products in minutes, waves in hours, dark fiber in days).
    fn simulated_duration(service: &ServiceSpec, step: &Step) -> Duration {
        let minutes = |m: u32| Duration::from_secs(u64::from(m) * 60);
        let provisioning = service.timing;
        match step {
            Step::ReserveCapacity | Step::ResizeCapacity | Step::ReleaseCapacity => Duration::from_secs(5),
            Step::ConfigureDevice { .. } => minutes(provisioning.configure_minutes),
            Step::Activate | Step::Deactivate => minutes(provisioning.activate_minutes),
            Step::TestService => minutes(provisioning.test_minutes),
        }
    }

    /// Draws whether a device step fails and how, from the seeded generator.
    fn draw_fault(&self, step: &Step) -> Option<StepFailure> {
        let settings = self.settings();
        let mut random = self.random.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if random.random_range(0..10_000) >= settings.failure_rate_bp {
            return None;
        }
        let FaultMix { device_timeout, activation, test } = settings.mix;
        let total = (device_timeout + activation + test).max(1);
        let pick = random.random_range(0..total);
        let site = match step {
            Step::ConfigureDevice { site } => site.clone(),
            _ => lightpath_domain::SiteId::parse(lightpath_domain::network::PLATFORM_SITE).expect("valid id"),
        };
        Some(if pick < device_timeout {
            StepFailure::DeviceTimeout { site }
        } else if pick < device_timeout + activation {
            StepFailure::ActivationFailed { reason: "the optical power on the far end is out of range".to_owned() }
        } else {
            StepFailure::TestFailed { reason: "the loss on the test frames was above 0.1 %".to_owned() }
        })
    }
}

impl NetworkBackend for SimulatedNetwork {
    async fn prepare(&self) -> Result<(), String> {
        self.reload_settings().await.map_err(|error| error.to_string())
    }

    async fn execute(&self, service: &ServiceSpec, step: &Step) -> Result<StepReport, StepFailure> {
        let took = Self::simulated_duration(service, step);
        let speed = self.settings().speed;
        tokio::time::sleep(took.mul_f64(speed)).await;
        let capacity = match step {
            Step::ReserveCapacity => Some(self.store.reserve(&service.holder, &service.spans, service.mbps).await),
            Step::ResizeCapacity => Some(self.store.resize(&service.holder, service.mbps).await),
            Step::ReleaseCapacity => Some(self.store.release(&service.holder).await.map(|_| ()).map_err(Into::into)),
            _ => None,
        };
        if let Some(outcome) = capacity {
            return match outcome {
                Ok(()) => Ok(StepReport { step: step.clone(), took }),
                Err(ReserveError::NoCapacity { span, .. } | ReserveError::UnknownSpan(span)) => {
                    Err(StepFailure::NoCapacity { span })
                }
                Err(other) => Err(StepFailure::Unavailable(other.to_string())),
            };
        }
        match self.draw_fault(step) {
            None => Ok(StepReport { step: step.clone(), took }),
            Some(failure) => Err(failure),
        }
    }

    async fn restore_rate(&self, service: &ServiceSpec, mbps: u64) -> Result<(), StepFailure> {
        match self.store.resize(&service.holder, mbps).await {
            Ok(()) | Err(ReserveError::Empty) => Ok(()),
            Err(error) => Err(StepFailure::Unavailable(error.to_string())),
        }
    }

    async fn release(&self, service: &ServiceSpec) -> Result<(), StepFailure> {
        self.store
            .release(&service.holder)
            .await
            .map(|_| ())
            .map_err(|error| StepFailure::Unavailable(error.to_string()))
    }
}
