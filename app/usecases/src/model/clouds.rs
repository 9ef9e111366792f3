//! The simulated clouds: the regions Lightpath reaches, and a buyer's own cloud consoles with
//! the circuits and attachments created there.

use lightpath_domain::cloud::{CloudKeyRecord, CloudRegion};
use serde::{Deserialize, Serialize};

/// A buyer's simulated cloud consoles: where keys can be created, and the ones created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudConsoles {
    pub organisation: String,
    pub regions: Vec<CloudRegion>,
    pub keys: Vec<CloudKeyRecord>,
}
