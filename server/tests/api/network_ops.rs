//! The admins' network operations: span utilisation and the fault-injection policy.

use crate::helpers::{spawn_app, DEMO_PASSWORD};

#[tokio::test]
async fn utilisation_shows_reservations_busiest_first() {
    let app = spawn_app().await;
    let store = app.store().await;
    let nyc_bos = lightpath_domain::SpanId::parse("nyc-bos").unwrap();
    store.reserve("order-1", &[nyc_bos], 4_000_000).await.unwrap();
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let ops = app.post_form("/api/admin/network", &[], Some(&admin)).await;
    assert_eq!(ops.status(), 200);
    let ops: serde_json::Value = ops.json().await.unwrap();
    let first = &ops["spans"][0];
    assert_eq!(first["id"], "nyc-bos", "{ops}");
    assert_eq!(first["reserved_mbps"], 4_000_000);
    // 4 Tbps of 96 × 400G = 38.4 Tbps: 10.4 %.
    assert_eq!(first["permille"], 104);
    let page = app.get_with("/admin/network", Some(&admin)).await.text().await.unwrap();
    assert!(page.contains("10.4 %") && page.contains("New York"), "{page}");
    // The map colours the span by load and says how full it is.
    assert!(page.contains("load-low") && page.contains("10.4 % used"), "{page}");
}

#[tokio::test]
async fn admins_set_the_fault_policy_with_field_errors_and_an_audit_entry() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let form = |rate: &'static str, speedup: &'static str| {
        [("failure_rate", rate), ("device_timeout", "50"), ("activation", "30"), ("test", "20"), ("speedup", speedup)]
    };
    let bad = app.post_form("/api/admin/set-faults", &form("150", "0"), Some(&admin)).await;
    assert_eq!(bad.status(), 422);
    let body = bad.text().await.unwrap();
    assert!(body.contains("failure_rate") && body.contains("speedup"), "{body}");
    let store = app.store().await;
    assert_eq!(store.fault_policy().await.unwrap().failure_rate_bp(), 200, "nothing saved");

    assert_eq!(app.post_form("/api/admin/set-faults", &form("12.5", "500"), Some(&admin)).await.status(), 200);
    let policy = store.fault_policy().await.unwrap();
    assert_eq!((policy.failure_rate_bp(), policy.mix(), policy.speedup()), (1250, [50, 30, 20], 500));
    let audit = app.post_form("/api/admin/audit", &[("action", "network")], Some(&admin)).await.text().await.unwrap();
    assert!(audit.contains("network.faults") && audit.contains("1250"), "{audit}");
}
