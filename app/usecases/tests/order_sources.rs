//! Each order source through the one order plan, called as the adapters call the use cases
//! (no HTTP, no UI), against a store on a new SQLite file seeded with the catalog and network:
//! what the store is handed to provision — each item's ends, spans and reserved rate — and
//! the checks every source shares (a moved price, a one-site product at its site).

use lightpath_app::model::orders::OrderPlaced;
use lightpath_app::{configure, designs, orders, AppError, Caller};
use lightpath_domain::account::{EmailAddress, NewPassword};
use lightpath_domain::configure::{Amount, Configuration};
use lightpath_domain::design::{DesignDraft, DesignIntent, TrainingDraft};
use lightpath_domain::network::PLATFORM_SITE;
use lightpath_domain::recommend::{Choice, Tier};
use lightpath_domain::{LifecycleStage, PriceUnit, ProductId, SiteId, Term};
use lightpath_store::accounts::SignUp;
use lightpath_store::orders::WorkItem;
use lightpath_store::{DatabaseTarget, Store};

/// A seeded store on a new SQLite file (removed when the test ends) and a buyer signed up on
/// it, as the caller of every use case.
struct Fixture {
    caller: Caller,
    path: std::path::PathBuf,
}

impl Fixture {
    async fn new(name: &str) -> Fixture {
        let path = std::env::temp_dir().join(format!("lightpath-usecases-{name}-{}.db", std::process::id()));
        let store = Store::connect(&DatabaseTarget::Sqlite(path.clone())).await.expect("open the store");
        store.migrate().await.expect("migrate");
        store.seed().await.expect("seed the catalog and network");
        let email = EmailAddress::parse("ada@example.com").unwrap();
        let password = NewPassword::parse("password", "correct horse battery", Some(&email)).unwrap();
        let sign_up = SignUp { email, name: "Ada".into(), company: "Analytical".into(), password };
        let buyer = store.sign_up(sign_up).await.expect("sign up");
        Fixture { caller: Caller::new(Some(buyer), store), path }
    }

    /// What the provisioning worker will be handed for an order.
    async fn work(&self, placed: &OrderPlaced) -> Vec<WorkItem> {
        let (_, items) = self.caller.store.order_work(&placed.id).await.unwrap().expect("the order exists");
        items
    }

    async fn remove(self) {
        self.caller.store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

fn wave() -> Configuration {
    Configuration {
        product: ProductId::parse("wavelengths-400g").unwrap(),
        option: "100G".into(),
        term: Term::Months12,
        a_end: SiteId::parse("chi-dc-1").ok(),
        z_end: SiteId::parse("ash-dc-2").ok(),
        diverse: false,
        amounts: vec![],
        count: 2,
    }
}

#[tokio::test]
async fn a_configured_product_is_planned_along_its_path_at_the_price_seen() {
    let fixture = Fixture::new("configured").await;
    let caller = &fixture.caller;
    let offer = configure::offer(caller, &wave()).await.expect("the wave is offered");

    // A price the buyer did not see is refused with the price now, and nothing is placed.
    let mut stale = offer.totals;
    stale.monthly += lightpath_domain::Money::from_cents(1);
    match configure::order_configuration(caller, wave(), "a-stale-price-key-1".into(), stale, None).await {
        Err(AppError::PriceChanged { totals, message }) => {
            assert_eq!(totals, offer.totals);
            assert!(message.contains("you saw"), "{message}");
        }
        other => panic!("a moved price is refused, got {other:?}"),
    }

    // A purchase-order reference that is not one short line is refused beside its field.
    let pasted = Some("PO-1\nDROP TABLE orders".to_owned());
    match configure::order_configuration(caller, wave(), "a-bad-po-reference-1".into(), offer.totals, pasted).await {
        Err(AppError::Fields(fields)) => assert_eq!(fields[0].0, "purchase_order"),
        other => panic!("a control character in the reference is refused, got {other:?}"),
    }

    let reference = Some("  PO-4500012345 ".to_owned());
    let placed = configure::order_configuration(caller, wave(), "a-configured-wave-1".into(), offer.totals, reference)
        .await
        .expect("ordered at the price seen");
    let record = orders::load_order(caller, placed.id.to_string()).await.unwrap();
    assert_eq!(record.summary.purchase_order.as_deref(), Some("PO-4500012345"), "stored trimmed on the order");
    let items = fixture.work(&placed).await;
    assert_eq!(items.len(), 1);
    let route = &items[0].route;
    assert_eq!((route.a_end.as_str(), route.z_end.as_str()), ("chi-dc-1", "ash-dc-2"));
    assert!(!route.spans.is_empty(), "routed over the long-haul spans");
    assert_eq!(route.mbps, 200_000, "two 100G copies reserve 200G on each span");
    fixture.remove().await;
}

#[tokio::test]
async fn a_one_site_product_is_planned_at_its_site_not_on_the_platform() {
    let fixture = Fixture::new("one-site").await;
    let caller = &fixture.caller;
    let colocation = Configuration {
        product: ProductId::parse("colocation").unwrap(),
        option: "high-density".into(),
        term: Term::Months36,
        a_end: SiteId::parse("ash-dc-2").ok(),
        z_end: None,
        diverse: false,
        amounts: vec![Amount { unit: PriceUnit::Rack, amount: 1 }, Amount { unit: PriceUnit::Kw, amount: 20 }],
        count: 1,
    };
    let offer = configure::offer(caller, &colocation).await.expect("offered");
    let placed = configure::order_configuration(caller, colocation, "a-colocation-key-1".into(), offer.totals, None)
        .await
        .expect("ordered");
    let route = &fixture.work(&placed).await[0].route;
    assert_eq!((route.a_end.as_str(), route.z_end.as_str()), ("ash-dc-2", "ash-dc-2"));
    assert!(route.spans.is_empty());
    assert_ne!(route.a_end.as_str(), PLATFORM_SITE);
    fixture.remove().await;
}

#[tokio::test]
async fn a_saved_design_is_planned_item_by_item_from_its_bundle() {
    let fixture = Fixture::new("design").await;
    let caller = &fixture.caller;
    let draft = DesignDraft {
        name: "Training in Ashburn".into(),
        stages: vec![LifecycleStage::Training],
        training: TrainingDraft {
            cluster: "ash-dc-2".into(),
            data_site: "chi-dc-1".into(),
            dataset_tb: "20".into(),
            hours: "6".into(),
            power_kw: "40".into(),
            ..TrainingDraft::default()
        },
        ..DesignDraft::default()
    };
    let choice = Choice { tier: Tier::Better, term: Term::Months12, options: vec![] };
    let saved = designs::save_design(caller, None, draft, DesignIntent::Saved, Some(choice)).await.expect("saved");
    let design = designs::load_design(caller, saved.id.as_str()).await.expect("readable");
    let totals = design.summary.totals.expect("a chosen bundle has totals");

    let placed =
        orders::order_design(caller, saved.id.to_string(), "a-saved-design-key-1".into(), None).await.expect("ordered");
    assert!(placed.created);
    let again = orders::order_design(caller, saved.id.to_string(), "a-saved-design-key-1".into(), None).await.unwrap();
    assert_eq!((again.id.clone(), again.created), (placed.id.clone(), false), "the same key places nothing new");

    let record = orders::load_order(caller, placed.id.to_string()).await.unwrap();
    assert_eq!(record.summary.totals, totals, "ordered at the price the design was saved with");
    let items = fixture.work(&placed).await;
    assert!(!items.is_empty());
    for item in &items {
        let route = &item.route;
        if route.spans.is_empty() {
            // Without a route, an item is set up on the carrier's platform.
            assert_eq!((route.a_end.as_str(), route.mbps), (PLATFORM_SITE, 0), "{}", item.title);
        } else {
            assert!(route.mbps > 0, "a routed item reserves its rate: {}", item.title);
            assert_ne!(route.a_end, route.z_end, "{}", item.title);
        }
    }
    assert!(items.iter().any(|item| !item.route.spans.is_empty()), "the training bundle has a routed wave");
    fixture.remove().await;
}
