//! The REST API reference, read from the server's OpenAPI document (`/api/v1/openapi.json`):
//! every call with its parameters, body and answers, and every schema with its fields.

use crate::components::layout::DataTable;
use crate::components::layout::Loaded;
use crate::server_fns::reference::{load_api_reference, FieldDoc, Operation, SchemaDoc};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ApiReferencePage() -> impl IntoView {
    let reference = Resource::new(|| (), |_| load_api_reference());
    view! {
        <Title text="REST API reference · Lightpath" />
        <Loaded data=reference rows=6 let:reference>
            {view! {
                <section class="page-head">
                    <p class="eyebrow">"Integrations"</p>
                    <h1>{reference.title.clone()}</h1>
                    <p class="lede">{prose(&reference.description)}</p>
                    <p>
                        <a href="/api/v1/openapi.json">"The OpenAPI 3.1 document (JSON)"</a>
                        " · "
                        <a href="/api-tokens">"API tokens"</a>
                    </p>
                </section>
                <nav class="card" aria-label="Calls">
                    <h2>"Calls"</h2>
                    <ul class="plain api-index">
                        {reference
                            .operations
                            .iter()
                            .map(|op| {
                                view! {
                                    <li>
                                        <a href=format!("#{}", anchor(op))>
                                            <span class="api-method">{op.method.clone()}</span>
                                            " "
                                            <code>{op.path.clone()}</code>
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                {reference.operations.into_iter().map(|op| view! { <OperationCard op /> }).collect_view()}
                <section class="card" aria-labelledby="schemas-heading">
                    <h2 id="schemas-heading">"Schemas"</h2>
                    {reference.schemas.into_iter().map(|schema| view! { <SchemaCard schema /> }).collect_view()}
                </section>
            }
                .into_any()}
        </Loaded>
    }
}

fn anchor(op: &Operation) -> String {
    let path: String = op.path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("{}{}", op.method.to_lowercase(), path)
}

/// A type: a link to its schema below when it names one (schemas are capitalised), else
/// the JSON type as it is.
fn schema_link(name: &str) -> AnyView {
    let plain = name.trim_start_matches('[').trim_end_matches(']').to_owned();
    if plain.starts_with(|c: char| c.is_ascii_uppercase())
        && plain.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        view! {
            <a href=format!("#schema-{plain}")>
                <code>{name.to_owned()}</code>
            </a>
        }
        .into_any()
    } else {
        view! { <code>{name.to_owned()}</code> }.into_any()
    }
}

/// Text with `backticked` spans shown as code, as the document writes them.
fn prose(text: &str) -> impl IntoView {
    text.split('`')
        .enumerate()
        .map(|(index, part)| {
            if index % 2 == 1 {
                view! { <code>{part.to_owned()}</code> }.into_any()
            } else {
                part.to_owned().into_any()
            }
        })
        .collect_view()
}

#[component]
fn OperationCard(op: Operation) -> impl IntoView {
    let id = anchor(&op);
    view! {
        <article class="card api-op" id=id>
            <h2>
                <span class="api-method">{op.method.clone()}</span>
                " "
                <code>{op.path.clone()}</code>
            </h2>
            <p>{prose(&op.summary)}</p>
            {(!op.description.is_empty()).then(|| view! { <p>{prose(&op.description)}</p> })}
            {(!op.parameters.is_empty())
                .then(|| {
                    view! {
                        <h3>"Parameters"</h3>
                        <Fields fields=op.parameters.clone() />
                    }
                })}
            {op
                .request
                .clone()
                .map(|request| {
                    view! {
                        <h3>"Body"</h3>
                        <p>{schema_link(&request)}</p>
                    }
                })}
            <h3>"Answers"</h3>
            <DataTable columns=&[
                ("Status", ""),
                ("Meaning", ""),
                ("Body", ""),
            ]>
                {op
                    .responses
                    .into_iter()
                    .map(|(status, meaning, body)| {
                        view! {
                            <tr>
                                <td>{status}</td>
                                <td>{prose(&meaning)}</td>
                                <td>{body.map(|body| schema_link(&body))}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </DataTable>
        </article>
    }
}

#[component]
fn SchemaCard(schema: SchemaDoc) -> impl IntoView {
    view! {
        <section class="api-schema" id=format!("schema-{}", schema.name)>
            <h3>
                <code>{schema.name.clone()}</code>
            </h3>
            {(!schema.description.is_empty()).then(|| view! { <p>{prose(&schema.description)}</p> })}
            {(!schema.values.is_empty()).then(|| view! { <p>"One of: "<code>{schema.values.join(", ")}</code></p> })}
            {(!schema.fields.is_empty()).then(|| view! { <Fields fields=schema.fields.clone() /> })}
        </section>
    }
}

#[component]
fn Fields(fields: Vec<FieldDoc>) -> impl IntoView {
    view! {
        <DataTable columns=&[
            ("Name", ""),
            ("Type", ""),
            ("Required", ""),
            ("Description", ""),
        ]>
            {fields
                .into_iter()
                .map(|field| {
                    view! {
                        <tr>
                            <td>
                                <code>{field.name}</code>
                            </td>
                            <td>{schema_link(&field.kind)}</td>
                            <td>{if field.required { "yes" } else { "no" }}</td>
                            <td>{prose(&field.description)}</td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}
