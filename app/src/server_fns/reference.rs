//! The REST API reference page's data: the server's OpenAPI document (generated from the
//! handlers, see `server::api::v1::openapi`), read into what the page lists.

use crate::error::AppError;
use leptos::prelude::*;
pub use lightpath_app::model::reference::*;

#[server(endpoint = "api-reference", output = lightpath_app::error::JsonAnswer)]
pub async fn load_api_reference() -> Result<ApiReference, AppError> {
    let document = use_context::<lightpath_app::reference::OpenApiDocument>().ok_or(AppError::Unavailable)?;
    crate::with_status(Ok(lightpath_app::reference::reference(&document.0)))
}
