//! The simulated clouds, as a buyer's own cloud consoles: `GET /api/v1/clouds/regions` (public:
//! each cloud region Lightpath reaches and the prefixes announced there), the organisation's
//! keys, and creating an Azure ExpressRoute circuit or a Google Partner Interconnect attachment
//! whose key a cloud connection is then ordered with.

use super::openapi::{AdminListProblems, ChangeProblems, NoQueryProblems, ReadProblems};
use super::{Body, Listed};
use crate::api::auth::ApiCaller;
use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use lightpath_app::{clouds, Caller};
use lightpath_domain::cloud::{CloudKeyRecord, CloudRegion};
use serde::Deserialize;
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clouds/regions", get(regions))
        .route("/api/v1/clouds/keys", get(keys))
        .route("/api/v1/clouds/azure/circuits", post(create_circuit))
        .route("/api/v1/clouds/azure/circuits/{key}", get(circuit))
        .route("/api/v1/clouds/google/attachments", post(create_attachment))
}

/// A new ExpressRoute circuit.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCircuit {
    /// The Azure on-ramp it peers at: a site id such as `azure-east-us`.
    #[schema(example = "azure-east-us", pattern = "^azure-[a-z0-9-]+$")]
    on_ramp: String,
    /// 50, 100, 200, 500, 1000, 2000, 5000 or 10000.
    #[schema(example = 1000, minimum = 50, maximum = 10000)]
    bandwidth_mbps: u64,
}

/// A new Partner Interconnect attachment.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAttachment {
    /// The Google on-ramp it is in: a site id such as `gcp-us-east4`.
    #[schema(example = "gcp-us-east4", pattern = "^gcp-[a-z0-9-]+$")]
    on_ramp: String,
    /// The edge availability domain, 1 or 2.
    #[schema(example = 1, minimum = 1, maximum = 2)]
    domain: u8,
}

/// Every cloud region Lightpath reaches, with the address blocks the cloud announces there.
/// Public.
#[utoipa::path(get, path = "/api/v1/clouds/regions", tag = "clouds", operation_id = "listCloudRegions", security(()),
    responses(
        (status = 200, description = "Every region of AWS, Azure and Google Cloud with an on-ramp", body = [CloudRegion]),
        NoQueryProblems,
    ))]
pub(super) async fn regions(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<Vec<CloudRegion>>, ApiError> {
    crate::api::no_query(query.as_deref())?;
    Ok(Json(clouds::regions(&Caller::anonymous(state.store)).await?))
}

/// The circuits and attachments created in the organisation's simulated cloud consoles,
/// newest first.
#[utoipa::path(get, path = "/api/v1/clouds/keys", tag = "clouds", operation_id = "listCloudKeys", security(("token" = [])),
    responses(
        (status = 200, description = "Every key, newest first; their number in `X-Total-Count`",
            body = [CloudKeyRecord], headers(("X-Total-Count" = u64, description = "Keys held"))),
        AdminListProblems,
    ))]
pub(super) async fn keys(
    ApiCaller { caller, .. }: ApiCaller,
    RawQuery(query): RawQuery,
) -> Result<Listed<CloudKeyRecord>, ApiError> {
    crate::api::no_query(query.as_deref())?;
    let keys = clouds::consoles(&caller).await?.keys;
    let total = keys.len() as u64;
    Ok(Listed(keys, total))
}

/// Creates an ExpressRoute circuit in the simulated Azure; its service key orders a cloud
/// connection to it.
#[utoipa::path(post, path = "/api/v1/clouds/azure/circuits", tag = "clouds", operation_id = "createAzureCircuit", security(("token" = [])),
    request_body = NewCircuit,
    responses(
        (status = 201, description = "The circuit, with its service key", body = CloudKeyRecord),
        ChangeProblems
    ))]
pub(super) async fn create_circuit(
    ApiCaller { caller, .. }: ApiCaller,
    Body(new): Body<NewCircuit>,
) -> Result<impl IntoResponse, ApiError> {
    let record = clouds::create_azure_circuit(&caller, &new.on_ramp, new.bandwidth_mbps).await?;
    let location = format!("/api/v1/clouds/azure/circuits/{}", record.key);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(record)))
}

/// One of the organisation's ExpressRoute circuits by its service key: where it peers, its
/// bandwidth, whether a connection uses it.
#[utoipa::path(get, path = "/api/v1/clouds/azure/circuits/{key}", tag = "clouds", operation_id = "showAzureCircuit", security(("token" = [])),
    params(("key" = String, Path, description = "The circuit's service key")),
    responses(
        (status = 200, description = "The circuit", body = CloudKeyRecord),
        ReadProblems
    ))]
pub(super) async fn circuit(
    ApiCaller { caller, .. }: ApiCaller,
    Path(key): Path<String>,
) -> Result<Json<CloudKeyRecord>, ApiError> {
    Ok(Json(clouds::azure_circuit(&caller, &key).await?))
}

/// Creates a Partner Interconnect attachment in the simulated Google Cloud; its pairing key
/// orders a cloud connection to it.
#[utoipa::path(post, path = "/api/v1/clouds/google/attachments", tag = "clouds", operation_id = "createGoogleAttachment", security(("token" = [])),
    request_body = NewAttachment,
    responses(
        (status = 201, description = "The attachment, with its pairing key", body = CloudKeyRecord),
        ChangeProblems
    ))]
pub(super) async fn create_attachment(
    ApiCaller { caller, .. }: ApiCaller,
    Body(new): Body<NewAttachment>,
) -> Result<impl IntoResponse, ApiError> {
    let record = clouds::create_google_attachment(&caller, &new.on_ramp, &new.domain.to_string()).await?;
    Ok((StatusCode::CREATED, Json(record)))
}
