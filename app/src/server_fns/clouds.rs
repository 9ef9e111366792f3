//! The simulated clouds: a buyer's own cloud consoles, where ExpressRoute circuits and Partner
//! Interconnect attachments are created before a cloud connection is ordered to them.

use crate::error::AppError;
use leptos::prelude::*;
pub use lightpath_app::model::clouds::*;
pub use lightpath_domain::cloud::{Cloud, CloudKeyRecord, CloudRegion, HostedConnection};

#[server(endpoint = "cloud-consoles", output = lightpath_app::error::JsonAnswer)]
pub async fn load_cloud_consoles() -> Result<CloudConsoles, AppError> {
    super::run(|caller| async move { lightpath_app::clouds::consoles(&caller).await }).await
}

/// One action for both consoles (one action type in the page's code, not two): `cloud` is
/// `azure` or `google`; `size` is an Azure circuit's bandwidth in Mbps, or a Google
/// attachment's edge availability domain.
#[server(endpoint = "create-cloud-key", output = lightpath_app::error::JsonAnswer)]
pub async fn create_cloud_key(cloud: String, on_ramp: String, size: String) -> Result<CloudKeyRecord, AppError> {
    super::run(|caller| async move {
        match cloud.as_str() {
            "azure" => {
                let mbps = size
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| AppError::field("bandwidth", "Choose the circuit's bandwidth."))?;
                lightpath_app::clouds::create_azure_circuit(&caller, &on_ramp, mbps).await
            }
            "google" => lightpath_app::clouds::create_google_attachment(&caller, &on_ramp, &size).await,
            _ => Err(AppError::Malformed("`cloud` is azure or google.".into())),
        }
    })
    .await
}

/// The buyer accepts (`decision` = `accept`) or rejects (`reject`) an AWS hosted connection in
/// their simulated AWS console; answers the service it is.
#[server(endpoint = "decide-hosted-connection", output = lightpath_app::error::JsonAnswer)]
pub async fn decide_hosted_connection(id: String, decision: String) -> Result<String, AppError> {
    super::run(|caller| async move {
        let accept = match decision.as_str() {
            "accept" => true,
            "reject" => false,
            _ => return Err(AppError::Malformed("`decision` is accept or reject.".into())),
        };
        lightpath_app::clouds::decide_hosted_connection(&caller, &id, accept).await
    })
    .await
}
