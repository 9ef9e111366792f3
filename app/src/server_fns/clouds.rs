//! The simulated clouds: a buyer's own cloud consoles, where ExpressRoute circuits and Partner
//! Interconnect attachments are created before a cloud connection is ordered to them.

use crate::error::AppError;
use leptos::prelude::*;
pub use lightpath_app::model::clouds::*;
pub use lightpath_domain::cloud::{Cloud, CloudKeyRecord, CloudRegion};

#[server(endpoint = "cloud-consoles", output = lightpath_app::error::JsonAnswer)]
pub async fn load_cloud_consoles() -> Result<CloudConsoles, AppError> {
    super::run(|caller| async move { lightpath_app::clouds::consoles(&caller).await }).await
}

/// `bandwidth`: the circuit's bandwidth in Mbps, as the form's select sends it.
#[server(endpoint = "create-azure-circuit", output = lightpath_app::error::JsonAnswer)]
pub async fn create_azure_circuit(on_ramp: String, bandwidth: String) -> Result<CloudKeyRecord, AppError> {
    super::run(|caller| async move {
        let mbps = bandwidth
            .trim()
            .parse::<u64>()
            .map_err(|_| AppError::field("bandwidth", "Choose the circuit's bandwidth."))?;
        lightpath_app::clouds::create_azure_circuit(&caller, &on_ramp, mbps).await
    })
    .await
}

#[server(endpoint = "create-google-attachment", output = lightpath_app::error::JsonAnswer)]
pub async fn create_google_attachment(on_ramp: String, domain: String) -> Result<CloudKeyRecord, AppError> {
    super::run(
        |caller| async move { lightpath_app::clouds::create_google_attachment(&caller, &on_ramp, &domain).await },
    )
    .await
}
