//! The simulated network backend: real reservations, simulated device work, reproducible
//! injected faults.

use crate::helpers::seeded_store;
use lightpath_domain::account::Role;
use lightpath_domain::catalog::Provisioning;
use lightpath_domain::faults::FaultPolicy;
use lightpath_domain::{ProductId, SiteId, SpanId};
use server::network::{FaultMix, FaultSettings, NetworkBackend, ServiceSpec, SimulatedNetwork, Step, StepFailure};
use std::time::Duration;

fn wave(holder: &str, mbps: u64) -> ServiceSpec {
    ServiceSpec {
        holder: holder.to_owned(),
        product: ProductId::parse("wavelengths-400g").unwrap(),
        a_end: SiteId::parse("nyc-dc-1").unwrap(),
        z_end: SiteId::parse("bos-dc-1").unwrap(),
        spans: vec![SpanId::parse("nyc-bos").unwrap()],
        mbps,
        timing: Provisioning { lead_days: 30, configure_minutes: 60, activate_minutes: 30, test_minutes: 90 },
    }
}

fn instant(failure_rate_bp: u32, mix: FaultMix) -> FaultSettings {
    FaultSettings { failure_rate_bp, mix, speed: 0.0 }
}

async fn run(network: &SimulatedNetwork, service: &ServiceSpec) -> Vec<Result<Duration, StepFailure>> {
    let mut outcomes = Vec::new();
    for step in Step::plan(service) {
        outcomes.push(network.execute(service, &step).await.map(|report| report.took));
    }
    outcomes
}

#[tokio::test]
async fn a_healthy_network_provisions_every_step_and_release_frees_the_capacity() {
    let (_database, store) = seeded_store().await;
    let network = SimulatedNetwork::new(store.clone(), instant(0, FaultMix::default()), 1);
    let service = wave("item-1", 400_000);
    let outcomes = run(&network, &service).await;
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    // A wave takes hours of simulated work: configure twice, activate, test.
    let simulated: Duration = outcomes.iter().map(|o| *o.as_ref().unwrap()).sum();
    assert!(simulated > Duration::from_secs(3 * 3600), "{simulated:?}");
    assert_eq!(store.reservations().await.unwrap()[&SpanId::parse("nyc-bos").unwrap()], 400_000);
    // A retried reserve step (after a crash) does not reserve twice.
    network.execute(&service, &Step::ReserveCapacity).await.unwrap();
    assert_eq!(store.reservations().await.unwrap()[&SpanId::parse("nyc-bos").unwrap()], 400_000);
    network.release(&service).await.unwrap();
    assert!(store.reservations().await.unwrap().is_empty());
}

#[tokio::test]
async fn no_capacity_is_a_permanent_failure() {
    let (_database, store) = seeded_store().await;
    let network = SimulatedNetwork::new(store, instant(0, FaultMix::default()), 1);
    network.execute(&wave("big", 96 * 400_000), &Step::ReserveCapacity).await.unwrap();
    let failure = network.execute(&wave("late", 400_000), &Step::ReserveCapacity).await.unwrap_err();
    assert_eq!(failure, StepFailure::NoCapacity { span: SpanId::parse("nyc-bos").unwrap() });
    assert!(!failure.is_transient());
}

#[tokio::test]
async fn injected_faults_follow_the_rate_and_mix_and_repeat_with_the_seed() {
    let (_database, store) = seeded_store().await;
    let timeouts_only = FaultMix { device_timeout: 1, activation: 0, test: 0 };
    let network = SimulatedNetwork::new(store.clone(), instant(10_000, timeouts_only), 42);
    let failure =
        network.execute(&wave("x", 1_000), &Step::ConfigureDevice { site: SiteId::parse("nyc-dc-1").unwrap() }).await;
    assert_eq!(failure.unwrap_err(), StepFailure::DeviceTimeout { site: SiteId::parse("nyc-dc-1").unwrap() });

    // Same seed, same settings: the same faults in the same order.
    let half = instant(5_000, FaultMix::default());
    let outcomes = |seed| {
        let store = store.clone();
        async move {
            let network = SimulatedNetwork::new(store, half, seed);
            let mut kinds = Vec::new();
            for _ in 0..40 {
                let outcome = network.execute(&wave("y", 1_000), &Step::TestService).await;
                kinds.push(outcome.err().map(|failure| failure.to_string()));
            }
            kinds
        }
    };
    let (first, again, other) = (outcomes(7).await, outcomes(7).await, outcomes(8).await);
    assert_eq!(first, again);
    assert_ne!(first, other);
    let failed = first.iter().filter(|outcome| outcome.is_some()).count();
    assert!((8..=32).contains(&failed), "about half of 40 steps fail at 50 %: {failed}");

    // An admin changes the settings at runtime; rates above 100 % are capped.
    network.set_settings(FaultSettings { failure_rate_bp: 20_000, mix: FaultMix::default(), speed: 5.0 });
    assert_eq!(network.settings().failure_rate_bp, 10_000);
    assert_eq!(network.settings().speed, 1.0);
}

#[tokio::test]
async fn the_speed_factor_scales_real_waiting() {
    let (_database, store) = seeded_store().await;
    // Paused after connecting: with a paused clock, the pool's own timeouts would fire at once.
    tokio::time::pause();
    let network =
        SimulatedNetwork::new(store, FaultSettings { failure_rate_bp: 0, mix: FaultMix::default(), speed: 0.01 }, 1);
    let service = wave("slow", 1_000);
    let started = tokio::time::Instant::now();
    let report = network.execute(&service, &Step::TestService).await.unwrap();
    // A wave's test takes 90 simulated minutes; at speed 0.01 the worker waits 54 s.
    assert_eq!(report.took, Duration::from_secs(90 * 60));
    // The paused clock is virtual: this measures the requested sleep, not the machine's speed.
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(54) && waited < Duration::from_millis(54_010), "{waited:?}");
}

#[tokio::test]
async fn the_simulator_runs_the_fault_policy_admins_stored() {
    let (_database, store) = seeded_store().await;
    let network = SimulatedNetwork::new(store.clone(), instant(0, FaultMix::default()), 7);
    store.seed_demo_accounts().await.unwrap();
    let admin = store
        .users(lightpath_domain::records::PageRequest::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|user| user.role == Role::Admin)
        .unwrap();
    let policy = FaultPolicy::parse("100", ["0", "1", "0"], "2000").unwrap();
    store.set_fault_policy(&admin, &policy).await.unwrap();
    network.reload_settings().await.unwrap();
    let settings = network.settings();
    assert_eq!(settings.failure_rate_bp, 10_000);
    assert_eq!(settings.mix, FaultMix { device_timeout: 0, activation: 1, test: 0 });
    assert!((settings.speed - 0.0005).abs() < 1e-12);
}

/// A second backend: a lab network that records each step it is asked for and always
/// succeeds. It implements `NetworkBackend` and nothing else.
#[derive(Default)]
struct LabNetwork {
    steps: std::sync::Mutex<Vec<String>>,
    prepared: std::sync::atomic::AtomicUsize,
}

impl NetworkBackend for LabNetwork {
    async fn prepare(&self) -> Result<(), String> {
        self.prepared.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    async fn execute(&self, service: &ServiceSpec, step: &Step) -> Result<server::network::StepReport, StepFailure> {
        self.steps.lock().unwrap().push(format!("{} {step:?}", service.holder));
        Ok(server::network::StepReport { step: step.clone(), took: Duration::from_secs(60) })
    }

    async fn release(&self, _service: &ServiceSpec) -> Result<(), StepFailure> {
        Ok(())
    }

    async fn restore_rate(&self, _service: &ServiceSpec, _mbps: u64) -> Result<(), StepFailure> {
        Ok(())
    }
}

/// The worker is generic over the backend: an order queued on a server without workers is
/// provisioned by the unchanged worker on the lab network.
#[tokio::test]
async fn the_same_worker_provisions_an_order_on_another_backend() {
    use lightpath_domain::order::OrderState;
    let app = crate::helpers::spawn_app_with(|config| config.provisioning_workers = 0).await;
    let grace = app.sign_in("grace@acme.example", crate::helpers::DEMO_PASSWORD).await;
    let design = app.saved_design(&grace, "On the lab network").await;
    let placed: lightpath_app::model::orders::OrderPlaced =
        app.order_design(&design, "lab-network-order-0001", &grace).await.json().await.unwrap();
    let store = app.store().await;
    let order = store.claim_provisioning("lab-worker", 60_000).await.unwrap().expect("the order is queued");
    assert_eq!(order, placed.id);

    let lab = std::sync::Arc::new(LabNetwork::default());
    let worker =
        server::provisioning::Worker { store: store.clone(), network: lab.clone(), owner: "lab-worker".into() };
    worker.provision_claimed(&order).await;

    let record = app.order_record(order.as_str(), &grace).await;
    assert_eq!(record.summary.state, OrderState::Completed, "{:?}", record.events);
    assert_eq!(lab.prepared.load(std::sync::atomic::Ordering::SeqCst), 1);
    let steps = lab.steps.lock().unwrap().clone();
    assert!(steps.iter().any(|step| step.contains("ConfigureDevice")), "{steps:?}");
    assert!(steps.iter().any(|step| step.contains("TestService")), "{steps:?}");
    store.close().await;
}
