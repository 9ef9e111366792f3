//! Components shared by several pages.

pub mod forms;
pub mod layout;
pub mod network_explorer;
pub mod price_table;
pub mod stage_tags;
pub mod topology_map;
