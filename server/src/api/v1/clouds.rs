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
use lightpath_app::model::clouds::VlanAvailability;
use lightpath_app::{clouds, Caller};
use lightpath_domain::cloud::{CloudKeyRecord, CloudRegion, HostedConnection};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clouds/regions", get(regions))
        .route("/api/v1/clouds/keys", get(keys))
        .route("/api/v1/clouds/azure/circuits", post(create_circuit))
        .route("/api/v1/clouds/azure/circuits/{key}", get(circuit))
        .route("/api/v1/clouds/google/attachments", post(create_attachment))
        .route("/api/v1/clouds/google/attachments/{key}/activate", post(activate_attachment))
        .route("/api/v1/clouds/aws/connections", get(hosted_connections))
        .route("/api/v1/clouds/aws/connections/{id}/accept", post(accept))
        .route("/api/v1/clouds/aws/connections/{id}/reject", post(reject))
        .route("/api/v1/clouds/vlans", get(vlan))
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
    /// Pre-activated (the default): the connection carries traffic as soon as Lightpath has
    /// built it. `false`: it waits in `PENDING_CUSTOMER` until you activate the attachment
    /// (`POST /api/v1/clouds/google/attachments/{key}/activate`), and is billed from then.
    #[serde(default = "pre_activated_by_default")]
    #[schema(default = true)]
    pre_activated: bool,
}

fn pre_activated_by_default() -> bool {
    true
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
    let record =
        clouds::create_google_attachment(&caller, &new.on_ramp, &new.domain.to_string(), new.pre_activated).await?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// Activates a Partner Interconnect attachment in the simulated Google Cloud, as you would in
/// the Google Cloud console: the connection Lightpath built over it, waiting in
/// `PENDING_CUSTOMER`, becomes `ACTIVE`, and Lightpath bills it from now.
#[utoipa::path(post, path = "/api/v1/clouds/google/attachments/{key}/activate", tag = "clouds", operation_id = "activateGoogleAttachment", security(("token" = [])),
    params(("key" = String, Path, description = "The attachment: its pairing key's first part, a UUID")),
    responses(
        (status = 200, description = "Activated: the attachment, no longer awaiting activation", body = CloudKeyRecord),
        ChangeProblems
    ))]
pub(super) async fn activate_attachment(
    ApiCaller { caller, .. }: ApiCaller,
    Path(key): Path<String>,
) -> Result<Json<CloudKeyRecord>, ApiError> {
    Ok(Json(clouds::activate_google_attachment(&caller, &key).await?))
}

/// The AWS hosted connections Lightpath offered to the organisation's AWS accounts, newest
/// first, as its simulated AWS console lists them: the ones in `ordering` wait for you.
#[utoipa::path(get, path = "/api/v1/clouds/aws/connections", tag = "clouds", operation_id = "listHostedConnections", security(("token" = [])),
    responses(
        (status = 200, description = "Every hosted connection, newest first; their number in `X-Total-Count`",
            body = [HostedConnection], headers(("X-Total-Count" = u64, description = "Connections listed"))),
        AdminListProblems,
    ))]
pub(super) async fn hosted_connections(
    ApiCaller { caller, .. }: ApiCaller,
    RawQuery(query): RawQuery,
) -> Result<Listed<HostedConnection>, ApiError> {
    crate::api::no_query(query.as_deref())?;
    let connections = clouds::hosted_connections(&caller).await?;
    let total = connections.len() as u64;
    Ok(Listed(connections, total))
}

async fn decide(caller: &Caller, id: &str, accept: bool) -> Result<Json<HostedConnection>, ApiError> {
    clouds::decide_hosted_connection(caller, id, accept).await?;
    let connections = clouds::hosted_connections(caller).await?;
    let decided = connections.into_iter().find(|connection| connection.connection_id == id.trim());
    Ok(Json(decided.ok_or(lightpath_app::AppError::NotFound)?))
}

/// Accepts a hosted connection in the simulated AWS, as you would in the AWS console: it
/// becomes available, its BGP session comes up, and Lightpath bills it from now.
#[utoipa::path(post, path = "/api/v1/clouds/aws/connections/{id}/accept", tag = "clouds", operation_id = "acceptHostedConnection", security(("token" = [])),
    params(("id" = String, Path, description = "The hosted connection's id, `dxcon-` and 8 letters or digits")),
    responses(
        (status = 200, description = "Accepted: available", body = HostedConnection),
        ChangeProblems
    ))]
pub(super) async fn accept(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<HostedConnection>, ApiError> {
    decide(&caller, &id, true).await
}

/// Rejects a hosted connection in the simulated AWS: Lightpath releases it, with its capacity
/// and VLAN, and charges nothing.
#[utoipa::path(post, path = "/api/v1/clouds/aws/connections/{id}/reject", tag = "clouds", operation_id = "rejectHostedConnection", security(("token" = [])),
    params(("id" = String, Path, description = "The hosted connection's id, `dxcon-` and 8 letters or digits")),
    responses(
        (status = 200, description = "Rejected: released at no charge", body = HostedConnection),
        ChangeProblems
    ))]
pub(super) async fn reject(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<HostedConnection>, ApiError> {
    decide(&caller, &id, false).await
}

/// What `GET /api/v1/clouds/vlans` takes.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Describes the query for the OpenAPI document; `vlan` parses it.
pub struct VlanQuery {
    /// The on-ramp's site id, e.g. `aws-us-east-1`.
    on_ramp: String,
    /// An Azure on-ramp's port: `primary` or `secondary`.
    port: Option<String>,
    /// The VLAN, 1–4094.
    vlan: u16,
}

/// Whether a VLAN is free on an on-ramp's port, before ordering a cloud connection with it.
#[utoipa::path(get, path = "/api/v1/clouds/vlans", tag = "clouds", operation_id = "checkVlan", security(("token" = [])), params(VlanQuery),
    responses(
        (status = 200, description = "Whether the VLAN is free there", body = VlanAvailability),
        ChangeProblems
    ))]
pub(super) async fn vlan(
    ApiCaller { caller, .. }: ApiCaller,
    RawQuery(query): RawQuery,
) -> Result<Json<VlanAvailability>, ApiError> {
    let (mut on_ramp, mut port, mut vlan) = (None, None, None);
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "on_ramp" => on_ramp = Some(value.into_owned()),
            "port" => port = Some(value.into_owned()),
            "vlan" => vlan = Some(value.into_owned()),
            other => {
                return Err(ApiError::BadRequest(format!(
                    "Unknown query parameter `{}`: this takes `on_ramp`, `port` and `vlan`.",
                    other.escape_debug()
                )))
            }
        }
    }
    let (Some(on_ramp), Some(vlan)) = (on_ramp, vlan) else {
        return Err(ApiError::BadRequest("Send `on_ramp` and `vlan`, e.g. `?on_ramp=aws-us-east-1&vlan=100`.".into()));
    };
    Ok(Json(clouds::vlan_available(&caller, &on_ramp, port.as_deref(), &vlan).await?))
}
