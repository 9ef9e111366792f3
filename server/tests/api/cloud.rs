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
