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
    paths(
        super::designs::recommend,
        super::designs::list,
        super::designs::show,
        super::designs::create,
        super::designs::replace,
        super::designs::remove,
        super::orders::place,
        super::orders::list,
        super::orders::show,
        super::orders::cancel,
        super::services::list,
        super::services::show,
        super::services::change,
        super::services::disconnect,
        super::quotes::list,
        super::quotes::show,
        super::quotes::accept,
    ),
    components(schemas(crate::api::Problem, crate::api::FieldProblem)),
    modifiers(&BearerToken),
    tags(
        (name = "designs", description = "Recommendations and saved designs"),
        (name = "orders", description = "Orders and their provisioning"),
        (name = "services", description = "Services in the inventory, bandwidth changes and disconnects"),
        (name = "quotes", description = "Quotes sent to the organisation, and accepting them"),
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
