//! The canonical design scenarios, one per lifecycle stage and one with all four, shared by
//! the golden tests and the recommendation benchmark.

use lightpath_domain::design::{DesignDraft, EdgeSiteDraft, IngestSource, Redundancy};
use lightpath_domain::LifecycleStage;

fn edge(name: &str, metro: &str, km: &str) -> EdgeSiteDraft {
    EdgeSiteDraft { name: name.into(), metro: metro.into(), distance_km: km.into() }
}

pub fn ingestion() -> DesignDraft {
    let mut draft =
        DesignDraft { stages: vec![LifecycleStage::DataIngestion], term_months: "36".into(), ..DesignDraft::default() };
    draft.ingestion.source = IngestSource::Internet;
    draft.ingestion.landing = "ash-dc-2".into();
    draft.ingestion.tb_per_day = "40".into();
    draft.ingestion.peak_hours = "6".into();
    draft
}

pub fn training() -> DesignDraft {
    let mut draft =
        DesignDraft { stages: vec![LifecycleStage::Training], term_months: "36".into(), ..DesignDraft::default() };
    draft.training.cluster = "ash-dc-2".into();
    draft.training.data_site = "chi-dc-1".into();
    draft.training.dataset_tb = "200".into();
    draft.training.hours = "6".into();
    draft.training.power_kw = "400".into();
    draft.redundancy = Redundancy::DiversePath;
    draft
}

pub fn inference() -> DesignDraft {
    let mut draft =
        DesignDraft { stages: vec![LifecycleStage::Inference], term_months: "12".into(), ..DesignDraft::default() };
    draft.edge_sites = vec![edge("Store 1", "dfw", "1"), edge("Store 2", "dfw", "8"), edge("Store 3", "hou", "40")];
    draft.inference.serving = "dfw-dc-1".into();
    draft.inference.latency_ms = "10".into();
    draft.inference.mbps_per_site = "50".into();
    draft.inference.users = "40".into();
    draft.inference.public_facing = true;
    draft
}

pub fn multi_cloud() -> DesignDraft {
    let mut draft =
        DesignDraft { stages: vec![LifecycleStage::MultiCloud], term_months: "24".into(), ..DesignDraft::default() };
    draft.multi_cloud.on_ramps = vec!["aws-us-east-1".into(), "azure-central-us".into()];
    draft.multi_cloud.sites = vec!["nyc-dc-1".into(), "chi-dc-2".into()];
    draft.multi_cloud.bandwidth = "10G".into();
    draft
}

pub fn all_four() -> DesignDraft {
    let mut draft = training();
    draft.stages = LifecycleStage::ALL.to_vec();
    draft.ingestion = ingestion().ingestion;
    draft.inference = inference().inference;
    draft.edge_sites = inference().edge_sites;
    draft.multi_cloud = multi_cloud().multi_cloud;
    draft
}
