//! Workload designs: the wizard's data, the recommendation, and saved designs (save, list,
//! duplicate, delete). The recommendation and every price come from `lightpath_domain`; the
//! server re-prices a chosen bundle on save and never trusts the browser's figures.

use crate::error::AppError;
pub use crate::server_fns::network::SiteChoice;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
pub use lightpath_app::model::designs::*;
use lightpath_domain::account::Id;
use lightpath_domain::design::{DesignDraft, DesignIntent};
use lightpath_domain::recommend::Choice;
use lightpath_domain::records::DesignSummary;
#[cfg(feature = "ssr")]
use lightpath_domain::records::PageRequest;
use lightpath_domain::records::Paged;

#[server(endpoint = "wizard", output = lightpath_app::error::JsonAnswer)]
pub async fn load_wizard(id: Option<String>) -> Result<WizardData, AppError> {
    super::run(|caller| async move { lightpath_app::designs::load_wizard(&caller, id).await }).await
}

/// Recommends bundles for a draft; field problems answer 422 with every problem listed.
#[server(endpoint = "recommend", input = Json, output = lightpath_app::error::JsonAnswer)]
pub async fn recommend_design(draft: DesignDraft) -> Result<Recommended, AppError> {
    super::run(|caller| async move { lightpath_app::designs::recommend_design(&caller, draft).await }).await
}

/// Saves a design. A draft is stored as typed; anything else must parse, and the chosen
/// bundle is recommended and priced again here with the current price book.
#[server(endpoint = "save-design", input = Json, output = lightpath_app::error::JsonAnswer)]
pub async fn save_design(
    id: Option<String>,
    draft: DesignDraft,
    intent: DesignIntent,
    choice: Option<Choice>,
) -> Result<SavedAnswer, AppError> {
    super::run(|caller| async move { lightpath_app::designs::save_design(&caller, id, draft, intent, choice).await })
        .await
}

/// One page (0-based) of the designs the viewer may see: their organisation's, or every
/// customer's for staff.
#[server(endpoint = "designs", output = lightpath_app::error::JsonAnswer)]
pub async fn list_designs(page: Option<u32>) -> Result<Paged<DesignSummary>, AppError> {
    super::run(|caller| async move {
        lightpath_app::designs::list_designs(&caller, PageRequest::new(page.unwrap_or(0))).await
    })
    .await
}

#[server(endpoint = "duplicate-design", output = lightpath_app::error::JsonAnswer)]
pub async fn duplicate_design(id: String) -> Result<Id, AppError> {
    super::run(|caller| async move { lightpath_app::designs::duplicate_design(&caller, id).await }).await
}

#[server(endpoint = "delete-design", output = lightpath_app::error::JsonAnswer)]
pub async fn delete_design(id: String) -> Result<(), AppError> {
    super::run(|caller| async move { lightpath_app::designs::delete_design(&caller, id).await }).await
}
