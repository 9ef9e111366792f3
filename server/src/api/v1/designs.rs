//! `POST /api/v1/recommendations` (a design draft in, three bundles out) and
//! `GET/POST /api/v1/designs`, `GET/PUT/DELETE /api/v1/designs/{id}`.

use super::{window, Body, Listed, Resource};
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use app::server_fns::designs::Recommended;
use app::usecases::{self, designs};
use axum::extract::{Path, RawQuery};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use lightpath_domain::design::{DesignDraft, DesignIntent};
use lightpath_domain::recommend::Choice;
use lightpath_domain::records::{DesignSummary, SavedDesign};
use lightpath_store::listing::Listing;
use serde::Deserialize;

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
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DesignInput {
    draft: DesignDraft,
    #[serde(default = "draft_intent")]
    intent: DesignIntent,
    #[serde(default)]
    choice: Option<Choice>,
}

fn draft_intent() -> DesignIntent {
    DesignIntent::Draft
}

async fn recommend(
    ApiCaller { caller, .. }: ApiCaller,
    Body(draft): Body<DesignDraft>,
) -> Result<Json<Recommended>, ApiError> {
    Ok(Json(designs::recommend_design(&caller, draft).await?))
}

async fn list(
    ApiCaller { caller, .. }: ApiCaller,
    RawQuery(query): RawQuery,
) -> Result<Listed<Resource<DesignSummary>>, ApiError> {
    let page = window(query.as_deref())?;
    let designs = designs::list_designs(&caller, page).await?;
    let total = usecases::total(&caller, Listing::Designs).await?;
    Ok(Listed(
        designs.items.into_iter().map(|design| Resource::new("Design", href(&design.id), design)).collect(),
        total,
    ))
}

async fn show(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Resource<SavedDesign>>, ApiError> {
    let design = designs::load_design(&caller, &id).await?;
    Ok(Json(Resource::new("Design", href(&design.summary.id), design)))
}

async fn create(
    ApiCaller { caller, .. }: ApiCaller,
    Body(input): Body<DesignInput>,
) -> Result<impl IntoResponse, ApiError> {
    let saved = designs::save_design(&caller, None, input.draft, input.intent, input.choice).await?;
    let design = designs::load_design(&caller, saved.id.as_str()).await?;
    let location = href(&design.summary.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location.clone())], Json(Resource::new("Design", location, design))))
}

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

async fn remove(ApiCaller { caller, .. }: ApiCaller, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    designs::delete_design(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
