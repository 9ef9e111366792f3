//! The OpenAPI 3.1 document of REST v1, generated from the handlers' `#[utoipa::path]`
//! annotations and the records' `ToSchema` derives (utoipa: derive-based, works with plain
//! axum handlers and needs no router of its own), served at `GET /api/v1/openapi.json` and
//! read by the portal's API reference page and by Schemathesis in `make test`.

use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use std::collections::BTreeMap;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoResponses, Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lightpath REST API",
        version = "1",
        description = "Design, order and change network connectivity for AI workloads. JSON, money in integer US cents. \
            Changes need an API token (`Authorization: Bearer lpt_…`, made by an organisation's admin under Organisation → API tokens); \
            orders and service changes need an `Idempotency-Key`. Errors are RFC 9457 problems. Lists take `limit` and `offset` \
            and give their size in `X-Total-Count`."
    ),
    servers((url = "/", description = "This Lightpath server")),
    paths(
        crate::api::catalog::list,
        crate::api::catalog::show,
        crate::api::network::sites,
        crate::api::network::spans,
        crate::api::network::route,
        super::designs::recommend,
        super::designs::list,
        super::designs::show,
        super::designs::create,
        super::designs::replace,
        super::designs::remove,
        super::offers::offer,
        super::orders::place,
        super::orders::list,
        super::orders::show,
        super::orders::cancel,
        super::orders::approve,
        crate::api::orders::events,
        super::services::list,
        super::services::show,
        super::services::change,
        super::services::disconnect,
        super::quotes::list,
        super::quotes::show,
        super::quotes::accept,
        super::quotes::order_item,
        crate::api::quotes::lines_csv,
        super::clouds::regions,
        super::clouds::keys,
        super::clouds::create_circuit,
        super::clouds::circuit,
        super::clouds::create_attachment,
        super::clouds::activate_attachment,
        super::clouds::hosted_connections,
        super::clouds::accept,
        super::clouds::reject,
        super::clouds::vlan,
        super::services::router_config,
        super::services::set_filter,
        super::services::change_vlan,
        super::hub::subscribe,
        super::hub::list_hub,
        super::hub::unsubscribe,
        super::hub::list_tokens,
        super::hub::revoke_token,
        super::audit::audit_csv,
        super::maintenance::list,
        super::maintenance::outages,
        super::invoices::list,
        super::invoices::read,
        super::invoices::lines_csv,
        super::usage::usage,
        super::usage::usage_csv,
        super::usage::read_alert,
        super::usage::set_alert,
        super::usage::clear_alert,
    ),
    components(schemas(crate::api::Problem, crate::api::FieldProblem)),
    modifiers(&BearerToken, &UsedSchemasOnly),
    tags(
        (name = "catalog", description = "Products and their current prices (public)"),
        (name = "network", description = "Sites, spans and routes across the network (public)"),
        (name = "designs", description = "Recommendations and saved designs"),
        (name = "orders", description = "Orders and their provisioning"),
        (name = "services", description = "Services in the inventory, bandwidth changes and disconnects"),
        (name = "quotes", description = "Quotes sent to the organisation, and accepting them"),
        (name = "clouds", description = "The simulated clouds: regions and their prefixes, and the organisation's own cloud consoles (ExpressRoute circuits, Partner Interconnect attachments, AWS hosted connections to accept) and VLAN availability"),
        (name = "billing", description = "Monthly invoices (TMF678 customer bills): an organisation admin's token only"),
        (name = "hub", description = "Webhook subscriptions (TMF688 hub), API tokens and the organisation's audit log: an organisation admin's token only"),
    )
)]
pub struct ApiDoc;

/// The `token` security scheme the paths name: an API token as a bearer token.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("lpt_ token")
                    .description(Some("An API token made under Organisation → API tokens."))
                    .build(),
            ),
        );
    }
}

/// Drops the schemas no call reaches: utoipa registers a generic record both on its own and
/// inlined into `Resource_…`, and a generated client should not carry types nothing returns.
struct UsedSchemasOnly;

impl Modify for UsedSchemasOnly {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        const PREFIX: &str = "#/components/schemas/";
        let Some(components) = openapi.components.as_mut() else { return };
        let referenced_by = |text: &str| -> Vec<String> {
            text.match_indices(PREFIX)
                .map(|(at, _)| {
                    let rest = &text[at + PREFIX.len()..];
                    rest[..rest.find('"').unwrap_or(rest.len())].to_owned()
                })
                .collect()
        };
        let mut used: std::collections::BTreeSet<String> =
            referenced_by(&serde_json::to_string(&openapi.paths).unwrap_or_default()).into_iter().collect();
        let mut to_visit: Vec<String> = used.iter().cloned().collect();
        while let Some(name) = to_visit.pop() {
            let Some(schema) = components.schemas.get(&name) else { continue };
            for reached in referenced_by(&serde_json::to_string(schema).unwrap_or_default()) {
                if used.insert(reached.clone()) {
                    to_visit.push(reached);
                }
            }
        }
        components.schemas.retain(|name, _| used.contains(name));
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(document))
}

async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The problems (RFC 9457) a call answers with, by kind of call.
fn problems(statuses: &[(u16, &str)]) -> BTreeMap<String, RefOr<Response>> {
    statuses
        .iter()
        .map(|(status, meaning)| {
            let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
            let response =
                ResponseBuilder::new().description(*meaning).content("application/problem+json", body).build();
            (status.to_string(), RefOr::T(response))
        })
        .collect()
}

const MALFORMED: (u16, &str) = (400, "Malformed: not JSON, a bad query parameter, a missing header");
const NO_TOKEN: (u16, &str) = (401, "No API token, or one unknown, revoked or expired");
const REFUSED: (u16, &str) = (403, "The token may not do this (read-only, or a customer's call)");
const MISSING: (u16, &str) = (404, "No such record, or another organisation's");
const CHANGED: (u16, &str) = (409, "The world changed since: a price moved, a newer version");
const UNUSABLE: (u16, &str) = (422, "The input cannot be used; `errors` names the fields");
const TOO_MANY: (u16, &str) = (429, "Too many requests with this token this minute (`Retry-After`)");

/// A list's problems.
pub struct ListProblems;
/// Reading one record's problems.
pub struct ReadProblems;
/// A change's problems.
pub struct ChangeProblems;
/// A public list that takes no query parameters: any is refused.
pub struct NoQueryProblems;

impl IntoResponses for NoQueryProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problems(&[(400, "A query parameter was sent: this list takes none")])
    }
}

/// Reading invoices: refused to members who are not finance or the org admin.
pub struct InvoiceProblems;

impl IntoResponses for InvoiceProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problems(&[NO_TOKEN, REFUSED, MISSING, TOO_MANY])
    }
}

/// An organisation admin's list: refused to other tokens.
pub struct AdminListProblems;

impl IntoResponses for AdminListProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problems(&[MALFORMED, NO_TOKEN, REFUSED, TOO_MANY])
    }
}

impl IntoResponses for ListProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problems(&[MALFORMED, NO_TOKEN, TOO_MANY])
    }
}

impl IntoResponses for ReadProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problems(&[NO_TOKEN, MISSING, TOO_MANY])
    }
}

impl IntoResponses for ChangeProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problems(&[MALFORMED, NO_TOKEN, REFUSED, MISSING, CHANGED, UNUSABLE, TOO_MANY])
    }
}
