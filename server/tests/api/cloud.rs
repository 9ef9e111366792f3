//! Cloud connections' VLANs against the real database: never given twice on one interface,
//! even to 200 orders asking at once; an automatic pick takes the lowest free one; release is
//! exact — on SQLite and PostgreSQL.

use crate::helpers::seeded_store;
use lightpath_domain::cloud::{Vlan, VlanChoice};
use lightpath_store::VlanError;
use std::collections::BTreeSet;
use std::sync::Arc;

fn chosen(id: u16) -> VlanChoice {
    VlanChoice::Chosen(Vlan::new(id).unwrap())
}

#[tokio::test]
async fn two_hundred_concurrent_orders_for_one_vlan_get_it_exactly_once() {
    let (_database, store) = seeded_store().await;
    let store = Arc::new(store);
    let attempts = (0..200).map(|i| {
        let store = Arc::clone(&store);
        tokio::spawn(async move { store.allocate_vlan("aws-us-east-1", chosen(100), &format!("item-{i}")).await })
    });
    let mut granted = 0;
    for attempt in attempts {
        match attempt.await.expect("task") {
            Ok(vlan) => {
                assert_eq!(vlan.id(), 100);
                granted += 1;
            }
            Err(VlanError::Taken { vlan: 100, ref interface }) if interface == "aws-us-east-1" => {}
            Err(other) => panic!("unexpected failure: {other}"),
        }
    }
    assert_eq!(granted, 1);
    // Another interface has its own VLAN 100.
    assert_eq!(store.allocate_vlan("azure-east-us/primary", chosen(100), "item-x").await.unwrap().id(), 100);
}

#[tokio::test]
async fn concurrent_automatic_picks_get_distinct_vlans_from_the_lowest_free() {
    let (_database, store) = seeded_store().await;
    let store = Arc::new(store);
    store.allocate_vlan("gcp-us-east4", chosen(2), "taken-first").await.unwrap();
    let attempts = (0..100).map(|i| {
        let store = Arc::clone(&store);
        tokio::spawn(async move { store.allocate_vlan("gcp-us-east4", VlanChoice::Auto, &format!("item-{i}")).await })
    });
    let mut given = BTreeSet::new();
    for attempt in attempts {
        let vlan = attempt.await.expect("task").expect("a free VLAN");
        assert!(given.insert(vlan.id()), "VLAN {} given twice", vlan.id());
    }
    // 1, then 3 to 101: the lowest free ones, around the VLAN already taken.
    let expected: BTreeSet<u16> = std::iter::once(1).chain(3..=101).collect();
    assert_eq!(given, expected);
}

#[tokio::test]
async fn a_retried_order_keeps_its_vlan_and_release_frees_it_exactly() {
    let (_database, store) = seeded_store().await;
    let first = store.allocate_vlan("aws-us-west-2", VlanChoice::Auto, "item-a").await.unwrap();
    // The same order item asking again (a retry) keeps what it has, whatever it asks for now.
    assert_eq!(store.allocate_vlan("aws-us-west-2", chosen(300), "item-a").await.unwrap(), first);
    store.allocate_vlan("aws-us-west-2", chosen(300), "item-b").await.unwrap();
    let taken = store.allocate_vlan("aws-us-west-2", chosen(300), "item-c").await.unwrap_err();
    assert!(taken.to_string().contains("VLAN 300 is already in use on aws-us-west-2"), "{taken}");
    store.release_vlan("item-b").await.unwrap();
    store.release_vlan("item-b").await.unwrap();
    assert_eq!(store.vlans_in_use("aws-us-west-2").await.unwrap(), BTreeSet::from([first]));
    assert_eq!(store.allocate_vlan("aws-us-west-2", chosen(300), "item-c").await.unwrap().id(), 300);
}

/// The simulated clouds over REST: regions with their prefixes for anyone; a buyer's consoles
/// create an ExpressRoute circuit and a Partner Interconnect attachment, refuse what the cloud
/// would (a bandwidth Azure does not sell, another cloud's on-ramp, domain 3), keep each key to
/// its organisation, and are audited.
#[tokio::test]
async fn a_buyer_creates_cloud_keys_in_the_simulated_consoles_and_only_their_organisation_sees_them() {
    use crate::helpers::{spawn_app, DEMO_PASSWORD};
    use crate::public_api::{call, json_of, token};
    use reqwest::{Method, StatusCode};
    use serde_json::json;

    let app = spawn_app().await;
    let regions = app.get_json("/api/v1/clouds/regions").await;
    let regions = regions.as_array().expect("a list");
    let clouds: BTreeSet<&str> = regions.iter().filter_map(|region| region["cloud"].as_str()).collect();
    assert_eq!(clouds, BTreeSet::from(["aws", "azure", "google"]), "Oracle takes no cloud connection yet");
    let east = regions.iter().find(|region| region["onRamp"] == "azure-east-us").expect("Azure East US");
    assert_eq!((east["region"].as_str(), east["prefixes"].as_array().map(Vec::len)), (Some("east-us"), Some(2)));

    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let acme = token(&app, &ada, "Acme cloud", "full").await;
    let hal = app.sign_in("hal@globex.example", DEMO_PASSWORD).await;
    let globex = token(&app, &hal, "Globex cloud", "full").await;

    let circuit = json!({ "on_ramp": "azure-east-us", "bandwidth_mbps": 1000 });
    let made = call(&app, Method::POST, "/api/v1/clouds/azure/circuits", &acme, Some(circuit)).await;
    let location = made.headers()["location"].to_str().unwrap().to_owned();
    let made = json_of(made, StatusCode::CREATED).await;
    let service_key = made["key"].as_str().unwrap().to_owned();
    assert_eq!(service_key.len(), 36);
    assert_eq!(
        (made["region"].as_str(), made["mbps"].as_u64(), made["inUse"].as_bool()),
        (Some("east-us"), Some(1000), Some(false))
    );
    assert_eq!(location, format!("/api/v1/clouds/azure/circuits/{service_key}"));
    assert_eq!(json_of(call(&app, Method::GET, &location, &acme, None).await, StatusCode::OK).await, made);
    // Another organisation does not learn of it, even with the key.
    assert_eq!(call(&app, Method::GET, &location, &globex, None).await.status(), 404);

    let attachment = json!({ "on_ramp": "gcp-us-east4", "domain": 2 });
    let made = call(&app, Method::POST, "/api/v1/clouds/google/attachments", &acme, Some(attachment)).await;
    let made = json_of(made, StatusCode::CREATED).await;
    let pairing_key = made["key"].as_str().unwrap();
    assert!(pairing_key.ends_with("/us-east4/2") && pairing_key.len() == 36 + "/us-east4/2".len(), "{pairing_key}");

    // What the cloud would refuse, by field.
    let refused = [
        ("/api/v1/clouds/azure/circuits", json!({ "on_ramp": "azure-east-us", "bandwidth_mbps": 300 }), "bandwidth"),
        ("/api/v1/clouds/azure/circuits", json!({ "on_ramp": "aws-us-east-1", "bandwidth_mbps": 1000 }), "on_ramp"),
        ("/api/v1/clouds/google/attachments", json!({ "on_ramp": "gcp-us-east4", "domain": 3 }), "domain"),
        ("/api/v1/clouds/google/attachments", json!({ "on_ramp": "gcp-\u{0}", "domain": 1 }), "on_ramp"),
    ];
    for (path, body, field) in refused {
        let problem =
            json_of(call(&app, Method::POST, path, &acme, Some(body.clone())).await, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }

    // Each organisation lists only its own keys, newest first.
    let listed = call(&app, Method::GET, "/api/v1/clouds/keys", &acme, None).await;
    assert_eq!(listed.headers()["x-total-count"], "2");
    let listed = json_of(listed, StatusCode::OK).await;
    assert_eq!(listed[0]["cloud"], "google");
    assert_eq!(listed[1]["key"], service_key.as_str());
    let theirs = call(&app, Method::GET, "/api/v1/clouds/keys", &globex, None).await;
    assert_eq!(theirs.headers()["x-total-count"], "0");

    // Lightpath's staff have no cloud console of their own; the creation is audited.
    let admin = app.sign_in("admin@lightpath.example", DEMO_PASSWORD).await;
    let refused = app.post_json("/api/cloud-consoles", &json!({}), Some(&admin)).await;
    assert_eq!(refused.status(), 403);
    let entries = app.store().await.audit_log(&Default::default()).await.unwrap();
    assert!(entries
        .items
        .iter()
        .any(|entry| entry.action == "cloud.azure-circuit.create" && entry.subject == service_key));
}

#[tokio::test]
async fn an_organisations_consoles_hold_a_bounded_number_of_keys() {
    use crate::helpers::{spawn_app, DEMO_PASSWORD};
    use crate::public_api::{call, json_of, token};
    use lightpath_store::clouds::MAX_KEYS_PER_ORGANISATION;
    use reqwest::{Method, StatusCode};
    use serde_json::json;

    let app = spawn_app().await;
    let ada = app.sign_in("ada@acme.example", DEMO_PASSWORD).await;
    let acme = token(&app, &ada, "Acme cloud", "full").await;
    let body = json!({ "on_ramp": "gcp-us-west1", "domain": 1 });
    for _ in 0..MAX_KEYS_PER_ORGANISATION {
        let made = call(&app, Method::POST, "/api/v1/clouds/google/attachments", &acme, Some(body.clone())).await;
        assert_eq!(made.status(), 201);
    }
    let full = call(&app, Method::POST, "/api/v1/clouds/google/attachments", &acme, Some(body)).await;
    let problem = json_of(full, StatusCode::CONFLICT).await;
    assert!(problem["detail"].as_str().unwrap().contains("hold 100 keys already"), "{problem}");
}
