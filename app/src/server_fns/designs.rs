//! Workload designs: the wizard's data, the recommendation, and saved designs (save, list,
//! duplicate, delete). The recommendation and every price come from `lightpath_domain`; the
//! server re-prices a chosen bundle on save and never trusts the browser's figures.

use crate::error::AppError;
use crate::server_fns::network::NetworkView;
pub use crate::server_fns::network::SiteChoice;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use lightpath_domain::account::Id;
use lightpath_domain::design::{DesignDraft, DesignIntent};
use lightpath_domain::price_book::PriceBook;
use lightpath_domain::pricing::Totals;
use lightpath_domain::recommend::{Choice, Recommendation};
use lightpath_domain::records::DesignSummary;
#[cfg(feature = "ssr")]
use lightpath_domain::records::PageRequest;
use lightpath_domain::records::Paged;
use lightpath_domain::Product;
use serde::{Deserialize, Serialize};

/// What the wizard opens with: a saved design or a blank one, and the sites to choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WizardData {
    pub design_id: Option<Id>,
    pub draft: DesignDraft,
    pub choice: Option<Choice>,
    pub sites: Vec<SiteChoice>,
    /// Whether the viewer may save (members of the design's organisation).
    pub can_edit: bool,
}

/// A recommendation with what the browser needs to re-price it and draw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Recommended {
    /// Site qualification and the three bundles (good, better, best), each with its items,
    /// paths, prices and totals in cents, and what it could not do.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub recommendation: Recommendation,
    /// The products the bundles use and the current price book narrowed to them.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub products: Vec<Product>,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub book: PriceBook,
    /// The sites and spans, to draw the bundles' paths.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub network: NetworkView,
}

/// What a save stored, as the server priced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAnswer {
    pub id: Id,
    pub intent: DesignIntent,
    pub totals: Option<Totals>,
    pub price_book_version: Option<i64>,
}

#[server(endpoint = "wizard")]
pub async fn load_wizard(id: Option<String>) -> Result<WizardData, AppError> {
    crate::usecases::run(|caller| async move { crate::usecases::designs::load_wizard(&caller, id).await }).await
}

/// Recommends bundles for a draft; field problems answer 422 with every problem listed.
#[server(endpoint = "recommend", input = Json)]
pub async fn recommend_design(draft: DesignDraft) -> Result<Recommended, AppError> {
    crate::usecases::run(|caller| async move { crate::usecases::designs::recommend_design(&caller, draft).await }).await
}

/// Saves a design. A draft is stored as typed; anything else must parse, and the chosen
/// bundle is recommended and priced again here with the current price book.
#[server(endpoint = "save-design", input = Json)]
pub async fn save_design(
    id: Option<String>,
    draft: DesignDraft,
    intent: DesignIntent,
    choice: Option<Choice>,
) -> Result<SavedAnswer, AppError> {
    crate::usecases::run(|caller| async move {
        crate::usecases::designs::save_design(&caller, id, draft, intent, choice).await
    })
    .await
}

/// One page (0-based) of the designs the viewer may see: their organisation's, or every
/// customer's for staff.
#[server(endpoint = "designs")]
pub async fn list_designs(page: Option<u32>) -> Result<Paged<DesignSummary>, AppError> {
    crate::usecases::run(|caller| async move {
        crate::usecases::designs::list_designs(&caller, PageRequest::new(page.unwrap_or(0))).await
    })
    .await
}

#[server(endpoint = "duplicate-design")]
pub async fn duplicate_design(id: String) -> Result<Id, AppError> {
    crate::usecases::run(|caller| async move { crate::usecases::designs::duplicate_design(&caller, id).await }).await
}

#[server(endpoint = "delete-design")]
pub async fn delete_design(id: String) -> Result<(), AppError> {
    crate::usecases::run(|caller| async move { crate::usecases::designs::delete_design(&caller, id).await }).await
}
