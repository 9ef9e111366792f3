//! The REST API reference page's data: the server's OpenAPI document (generated from the
//! handlers, see `server::api::v1::openapi`), read into what the page lists.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ApiReference {
    pub title: String,
    pub description: String,
    pub operations: Vec<Operation>,
    pub schemas: Vec<SchemaDoc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    pub method: String,
    pub path: String,
    pub tag: String,
    pub summary: String,
    pub description: String,
    pub parameters: Vec<FieldDoc>,
    /// The request body's schema, when it takes one.
    pub request: Option<String>,
    /// (status, what it means, the body's schema).
    pub responses: Vec<(String, String, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaDoc {
    pub name: String,
    pub description: String,
    pub fields: Vec<FieldDoc>,
    /// For an enumeration: its values.
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDoc {
    pub name: String,
    /// The type as a person reads it: `string`, `integer`, `Totals`, `[OrderEvent]`…
    pub kind: String,
    pub required: bool,
    pub description: String,
}
