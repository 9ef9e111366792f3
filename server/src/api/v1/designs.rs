//! `POST /api/v1/recommendations` (a design draft in, three bundles out) and
//! `GET/POST /api/v1/designs`, `GET/PUT/DELETE /api/v1/designs/{id}`.

use super::openapi::{ChangeProblems, ListProblems, ReadProblems};
use super::{window, Body, Listed, Resource, Window};
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::{Path, RawQuery};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use lightpath_app::designs;
use lightpath_app::model::designs::Recommended;
use lightpath_domain::design::{DesignDraft, DesignIntent};
use lightpath_domain::recommend::Choice;
use lightpath_domain::records::{DesignSummary, SavedDesign};
use lightpath_store::listing::Listing;
use serde::Deserialize;
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/recommendations", post(recommend))
        .route("/api/v1/designs", get(list).post(create))
        .route("/api/v1/designs/{id}", get(show).put(replace).delete(remove))
}

fn href(id: &impl std::fmt::Display) -> String {
    format!("/api/v1/designs/{id}")
}

/// A design to save: the draft, what it is for (`draft` unless said), and the bundle chosen
/// from its recommendation (needed to order it).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignInput {
    draft: DesignDraft,
    #[serde(default = "draft_intent")]
    intent: DesignIntent,
    #[serde(default)]
    choice: Option<Choice>,
}

pub(super) fn draft_intent() -> DesignIntent {
    DesignIntent::Draft
}

/// Recommends three bundles (good, better, best) for a design draft, priced with the current
/// price book on the live network. Nothing is saved.
#[utoipa::path(post, path = "/api/v1/recommendations", tag = "designs", operation_id = "recommendDesigns", security(("token" = [])),
    request_body = DesignDraft,
    responses(
        (status = 200, description = "The recommendation", body = Recommended),
        ChangeProblems
    ))]
async fn recommend(
    ApiCaller { caller, .. }: ApiCaller,
    Body(draft): Body<DesignDraft>,
) -> Result<Json<Recommended>, ApiError> {
    Ok(Json(designs::recommend_design(&caller, draft).await?))
}

/// The organisation's designs, most recently changed first.
#[utoipa::path(get, path = "/api/v1/designs", tag = "designs", operation_id = "listDesigns", security(("token" = [])), params(Window),
    responses(
        (status = 200, description = "One window of the list; the list's size in `X-Total-Count`",
            body = [Resource<DesignSummary>], headers(("X-Total-Count" = u64, description = "Rows in the whole list"))),
        ListProblems
    ))]
async fn list(
    ApiCaller { caller, .. }: ApiCaller,
    RawQuery(query): RawQuery,
) -> Result<Listed<Resource<DesignSummary>>, ApiError> {
    let page = window(query.as_deref())?;
    let designs = designs::list_designs(&caller, page).await?;
    let total = lightpath_app::total(&caller, Listing::Designs).await?;
    Ok(Listed(
        designs.items.into_iter().map(|design| Resource::new("Design", href(&design.id), design)).collect(),
        total,
    ))
}

/// One design with its draft and chosen bundle.
#[utoipa::path(get, path = "/api/v1/designs/{id}", tag = "designs", operation_id = "showDesign", security(("token" = [])),
    params(("id" = String, Path, description = "The design's id")),
    responses(
        (status = 200, description = "The design", body = Resource<SavedDesign>),
        ReadProblems
    ))]
async fn show(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Resource<SavedDesign>>, ApiError> {
    let design = designs::load_design(&caller, &id).await?;
    Ok(Json(Resource::new("Design", href(&design.summary.id), design)))
}

/// Saves a new design. A design saved (not a draft) needs a `choice`; its bundle is priced
/// again here.
#[utoipa::path(post, path = "/api/v1/designs", tag = "designs", operation_id = "createDesign", security(("token" = [])),
    request_body = DesignInput,
    responses(
        (status = 201, description = "Saved; `Location` names it", body = Resource<SavedDesign>,
            headers(("Location" = String, description = "The design's URL"))),
        ChangeProblems
    ))]
async fn create(
    ApiCaller { caller, .. }: ApiCaller,
    Body(input): Body<DesignInput>,
) -> Result<impl IntoResponse, ApiError> {
    let saved = designs::save_design(&caller, None, input.draft, input.intent, input.choice).await?;
    let design = designs::load_design(&caller, saved.id.as_str()).await?;
    let location = href(&design.summary.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location.clone())], Json(Resource::new("Design", location, design))))
}

/// Replaces a design's draft, intent and choice.
#[utoipa::path(put, path = "/api/v1/designs/{id}", tag = "designs", operation_id = "replaceDesign", security(("token" = [])),
    params(("id" = String, Path, description = "The design's id")),
    request_body = DesignInput,
    responses(
        (status = 200, description = "Saved", body = Resource<SavedDesign>),
        ChangeProblems
    ))]
async fn replace(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
    Body(input): Body<DesignInput>,
) -> Result<Json<Resource<SavedDesign>>, ApiError> {
    // Only an existing design is replaced (404 otherwise): ids are the server's to give.
    let saved = designs::save_design(&caller, Some(id), input.draft, input.intent, input.choice).await?;
    let design = designs::load_design(&caller, saved.id.as_str()).await?;
    Ok(Json(Resource::new("Design", href(&design.summary.id), design)))
}

/// Deletes a design (its orders stay).
#[utoipa::path(delete, path = "/api/v1/designs/{id}", tag = "designs", operation_id = "deleteDesign", security(("token" = [])),
    params(("id" = String, Path, description = "The design's id")),
    responses(
        (status = 204, description = "Deleted"),
        ChangeProblems
    ))]
async fn remove(ApiCaller { caller, .. }: ApiCaller, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    designs::delete_design(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
