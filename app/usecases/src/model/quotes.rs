//! Sales quotes: the sales engineer's workspace, the quote editor (the wizard's recommendation
//! and pricing, with a discount), state moves by role, and acceptance, which orders the quote
//! through the same idempotent path as "Order now" while honouring its price book version and
//! discount.

use crate::model::designs::Recommended;
use crate::model::network::NetworkView;
use lightpath_domain::configure::{Configuration, Placement};
use lightpath_domain::quote::QuoteAction;
use lightpath_domain::recommend::Choice;
use lightpath_domain::records::{DesignSummary, Paged, QuoteRecord, QuoteSummary};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotesView {
    pub quotes: Paged<QuoteSummary>,
    /// The most recently changed designs a sales engineer can quote from (empty for customers).
    pub designs: Vec<DesignSummary>,
    /// Designs whose quote was asked for and not yet started, oldest first: the sales
    /// engineers' queue, or the customer's own requests waiting.
    pub requests: Vec<DesignSummary>,
    pub can_build: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteView {
    pub record: QuoteRecord,
    /// What the signed-in person may do to the quote now.
    pub actions: Vec<QuoteAction>,
    /// A sales engineer may revise it into a new version.
    pub can_revise: bool,
    /// Staff see list prices and the margin; customers see their price.
    pub staff: bool,
    pub network: NetworkView,
    /// What accepting the current version commits to, for those who may accept it.
    pub commitment: Option<lightpath_domain::order_plan::Commitment>,
    /// An accepted quote's cloud items, each waiting for the buyer's cloud details, ordered, or
    /// lapsed.
    pub cloud_items: Vec<lightpath_domain::quote::QuotedCloudItem>,
    /// The viewer orders them for the organisation.
    pub can_order_cloud_items: bool,
}

/// What the quote editor starts from: the design's recommendation (with the products and the
/// price book the browser prices with) and, when revising, the current version's choices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorStart {
    pub design_id: String,
    pub design_name: String,
    pub organisation: String,
    pub recommended: Recommended,
    pub quote_id: Option<String>,
    /// The version being revised.
    pub seen_version: Option<i64>,
    pub choice: Choice,
    pub removed: Vec<usize>,
    pub terms: QuoteTerms,
    /// Every product and the current price book, to configure catalog items to add.
    pub catalog: Vec<lightpath_domain::Product>,
    pub book: lightpath_domain::PriceBook,
    pub sites: Vec<crate::model::network::SiteChoice>,
    /// The catalog items the revised version added, placed on the network as it is now.
    pub added: Vec<(Configuration, Placement)>,
}

/// A quote's commercial terms as the editor shows them: the discount in percent, the days it
/// stays valid, and why the discount is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteTerms {
    pub discount: String,
    pub validity_days: String,
    pub reason: String,
}

impl Default for QuoteTerms {
    /// A new quote: list price, valid for 30 days.
    fn default() -> Self {
        Self { discount: "0".to_owned(), validity_days: "30".to_owned(), reason: String::new() }
    }
}

/// A quote as the sales engineer saves it from the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteInput {
    pub design: String,
    /// Revising this quote (None: a new quote).
    pub quote: Option<String>,
    pub seen_version: Option<i64>,
    pub choice: Choice,
    pub removed: Vec<usize>,
    /// Catalog items added besides the bundle (at most [`MAX_ADDED`]).
    #[serde(default)]
    pub added: Vec<Configuration>,
    pub discount: String,
    pub validity_days: String,
    pub reason: String,
}

/// Catalog items one quote version may add: more is a different deal, for a design.
pub const MAX_ADDED: usize = 20;

/// The page that orders one of an accepted quote's cloud items with the buyer's details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotedCloudItemPage {
    pub quote_id: String,
    pub quote_name: String,
    pub item: lightpath_domain::quote::QuotedCloudItem,
    /// What ordering it commits to, at its quoted price.
    pub commitment: lightpath_domain::order_plan::Commitment,
    /// The organisation's cloud routers a connection can attach to.
    pub routers: Vec<crate::model::configure::RouterChoice>,
    /// Where a cloud router can run (site id, name): the quote's cloud connections' near end
    /// first, as they attach to it there.
    pub sites: Vec<(String, String)>,
    /// The viewer orders for the organisation (others read the page).
    pub can_order: bool,
}
