//! Workload designs: the wizard's data, the recommendation, and saved designs (save, list,
//! duplicate, delete). The recommendation and every price come from `lightpath_domain`; the
//! server re-prices a chosen bundle on save and never trusts the browser's figures.

use crate::model::network::NetworkView;
pub use crate::model::network::SiteChoice;
use lightpath_domain::account::Id;
use lightpath_domain::design::{DesignDraft, DesignIntent};
use lightpath_domain::price_book::PriceBook;
use lightpath_domain::pricing::Totals;
use lightpath_domain::recommend::{Choice, Recommendation};
use lightpath_domain::Product;
use serde::{Deserialize, Serialize};

/// What the wizard opens with: a saved design or a blank one, and the sites to choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WizardData {
    pub design_id: Option<Id>,
    pub draft: DesignDraft,
    pub choice: Option<Choice>,
    pub sites: Vec<SiteChoice>,
    /// The products of the catalog items kept in the design, to name them.
    pub chosen_products: Vec<lightpath_domain::Product>,
    /// Whether the viewer may save (members of the design's organisation).
    pub can_edit: bool,
}

/// A recommendation with what the browser needs to re-price it and draw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Recommended {
    /// Site qualification and the three bundles (good, better, best), each with its items,
    /// paths, prices and totals in cents, and what it could not do.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub recommendation: Recommendation,
    /// The products the bundles use and the current price book narrowed to them.
    #[cfg_attr(feature = "server", schema(value_type = Vec<Object>))]
    pub products: Vec<Product>,
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub book: PriceBook,
    /// The sites and spans, to draw the bundles' paths.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
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
