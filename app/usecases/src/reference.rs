//! The REST API reference page's data: the server's OpenAPI document (generated from the
//! handlers, see `server::api::v1::openapi`), read into what the page lists.

use crate::model::reference::*;
use serde_json::Value;
use std::sync::Arc;

/// The OpenAPI document, as the server hands it to the adapters.
#[derive(Clone, Debug)]
pub struct OpenApiDocument(pub Arc<Value>);

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// A schema's type as a person reads it.
fn kind(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    for combined in ["oneOf", "anyOf", "allOf"] {
        if let Some(parts) = schema[combined].as_array() {
            let named: Vec<String> = parts.iter().map(kind).filter(|part| part != "null" && !part.is_empty()).collect();
            let optional = parts.iter().any(|part| part["type"] == "null");
            return format!("{}{}", named.join(" | "), if optional { " (or null)" } else { "" });
        }
    }
    match &schema["type"] {
        Value::String(name) if name == "array" => format!("[{}]", kind(&schema["items"])),
        Value::String(name) => name.clone(),
        Value::Array(names) => {
            let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
            let items = if names.contains(&"array") { format!("[{}]", kind(&schema["items"])) } else { String::new() };
            names
                .iter()
                .map(|name| if *name == "array" { items.clone() } else { (*name).to_owned() })
                .collect::<Vec<_>>()
                .join(" | ")
        }
        _ => "any".to_owned(),
    }
}

fn content_schema(content: &Value) -> Option<String> {
    content.as_object()?.values().next().map(|media| kind(&media["schema"]))
}

pub fn reference(document: &Value) -> ApiReference {
    let mut operations = Vec::new();
    for (path, methods) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in methods.as_object().into_iter().flatten() {
            let parameters = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|parameter| FieldDoc {
                    name: format!("{} ({})", text(&parameter["name"]), text(&parameter["in"])),
                    kind: kind(&parameter["schema"]),
                    required: parameter["required"].as_bool().unwrap_or(false),
                    description: text(&parameter["description"]),
                })
                .collect();
            let responses = operation["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(status, response)| {
                    (status.clone(), text(&response["description"]), content_schema(&response["content"]))
                })
                .collect();
            operations.push(Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                tag: operation["tags"][0].as_str().unwrap_or("api").to_owned(),
                summary: text(&operation["summary"]),
                description: text(&operation["description"]),
                parameters,
                request: content_schema(&operation["requestBody"]["content"]),
                responses,
            });
        }
    }
    let tag_order: Vec<String> =
        document["tags"].as_array().into_iter().flatten().map(|tag| text(&tag["name"])).collect();
    operations.sort_by_key(|operation| tag_order.iter().position(|tag| *tag == operation.tag).unwrap_or(usize::MAX));
    let schemas = document["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| {
            let required: Vec<&str> =
                schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            let fields = schema["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(field, property)| FieldDoc {
                    name: field.clone(),
                    kind: kind(property),
                    required: required.contains(&field.as_str()),
                    description: text(&property["description"]),
                })
                .collect();
            let values = schema["enum"].as_array().into_iter().flatten().map(|value| match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            });
            SchemaDoc {
                name: name.clone(),
                description: text(&schema["description"]),
                fields,
                values: values.collect(),
            }
        })
        .collect();
    ApiReference {
        title: text(&document["info"]["title"]),
        description: text(&document["info"]["description"]),
        operations,
        schemas,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_read_as_a_person_would() {
        assert_eq!(kind(&json!({ "$ref": "#/components/schemas/Totals" })), "Totals");
        assert_eq!(
            kind(&json!({ "type": "array", "items": { "$ref": "#/components/schemas/OrderEvent" } })),
            "[OrderEvent]"
        );
        assert_eq!(kind(&json!({ "type": ["string", "null"] })), "string | null");
        assert_eq!(
            kind(&json!({ "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/Id" }] })),
            "Id (or null)"
        );
        assert_eq!(kind(&json!({})), "any");
    }

    #[test]
    fn operations_and_schemas_are_listed() {
        let document = json!({
            "info": { "title": "T", "description": "D" },
            "tags": [{ "name": "orders" }],
            "paths": { "/api/v1/orders": { "get": {
                "tags": ["orders"], "summary": "List", "description": "Newest first.",
                "parameters": [{ "name": "limit", "in": "query", "schema": { "type": "integer" } }],
                "responses": { "200": { "description": "A window", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Order" } } } } } }
            } } },
            "components": { "schemas": { "Order": { "type": "object", "required": ["id"], "properties": { "id": { "type": "string" } } } } }
        });
        let reference = reference(&document);
        let operation = &reference.operations[0];
        assert_eq!((operation.method.as_str(), operation.path.as_str()), ("GET", "/api/v1/orders"));
        assert_eq!(operation.parameters[0].name, "limit (query)");
        assert_eq!(operation.responses[0], ("200".into(), "A window".into(), Some("[Order]".into())));
        assert!(reference.schemas[0].fields[0].required);
    }
}
