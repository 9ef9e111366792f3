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
/// attachment's edge availability domain; `pre_activate` (a checkbox: present or not) whether a
/// Google attachment carries traffic as soon as its connection is built.
#[server(endpoint = "create-cloud-key", output = lightpath_app::error::JsonAnswer)]
pub async fn create_cloud_key(
    cloud: String,
    on_ramp: String,
    size: String,
    pre_activate: Option<String>,
) -> Result<CloudKeyRecord, AppError> {
    super::run(|caller| async move {
        match cloud.as_str() {
            "azure" => {
                let mbps = size
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| AppError::field("bandwidth", "Choose the circuit's bandwidth."))?;
                lightpath_app::clouds::create_azure_circuit(&caller, &on_ramp, mbps).await
            }
            "google" => {
                let pre_activated = pre_activate.is_some();
                lightpath_app::clouds::create_google_attachment(&caller, &on_ramp, &size, pre_activated).await
            }
            _ => Err(AppError::Malformed("`cloud` is azure or google.".into())),
        }
    })
    .await
}

/// The buyer's decision in a simulated console, one action for both (one action type in the
/// page's code): accepts (`decision` = `accept`) or rejects (`reject`) the AWS hosted
/// connection `id`, or activates (`activate`) the Google attachment whose key is `id`.
#[server(endpoint = "decide-hosted-connection", output = lightpath_app::error::JsonAnswer)]
pub async fn decide_hosted_connection(id: String, decision: String) -> Result<(), AppError> {
    super::run(|caller| async move {
        match decision.as_str() {
            "accept" => lightpath_app::clouds::decide_hosted_connection(&caller, &id, true).await.map(|_| ()),
            "reject" => lightpath_app::clouds::decide_hosted_connection(&caller, &id, false).await.map(|_| ()),
            "activate" => lightpath_app::clouds::activate_google_attachment(&caller, &id).await.map(|_| ()),
            _ => Err(AppError::Malformed("`decision` is accept, reject or activate.".into())),
        }
    })
    .await
}
