//! The simulated clouds, as a buyer's own cloud consoles would be: the regions each cloud
//! announces, and the ExpressRoute circuits and Partner Interconnect attachments a buyer
//! creates before ordering a cloud connection to them.

use crate::error::AppError;
use crate::model::clouds::{CloudConsoles, VlanAvailability};
use crate::Caller;
use lightpath_domain::account::{Actor, OrganisationRef};
use crate::model::orders::OrderPlaced;
use lightpath_domain::cloud::{
    self, AwsConnectionId, AzureCircuit, Cloud, CloudConnection, CloudForm, CloudKeyRecord, CloudRegion, CloudSide,
    HostedConnection, KeyShown, OnRamp, PairingKey, ServiceKey,
};
use lightpath_domain::cloud_router::{self, CloudRouter, CloudRouterView, PrefixFilter, RouterForm};
use lightpath_domain::account::Id;
use lightpath_domain::records::ServiceRecord;
use lightpath_domain::service::ServiceState;
use lightpath_domain::configure::Configuration;
use lightpath_domain::policy::Permission;
use lightpath_domain::pricing::Totals;
use lightpath_domain::cloud::CloudConnectionView;
use lightpath_store::cloud_connections::{CloudItem, DecisionError, NewCloudConnection, VlanChangeError};
use lightpath_store::cloud_routers::NewCloudRouter;
use lightpath_store::VlanError;
use lightpath_store::clouds::{fresh_key, random_bytes, CloudKeyError, NewCloudKey, MAX_KEYS_PER_ORGANISATION};

/// Every cloud region Lightpath reaches, with the prefixes announced there; for anyone.
pub async fn regions(caller: &Caller) -> Result<Vec<CloudRegion>, AppError> {
    Ok(caller.store.sites().await?.iter().filter_map(CloudRegion::of).collect())
}

/// The caller, who must be a member of a customer organisation allowed to design and order:
/// the consoles stand for the buyer's own cloud accounts.
fn console_owner(caller: &Caller) -> Result<(Actor, OrganisationRef), AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    let Some(organisation) = actor.organisation.clone() else {
        return Err(AppError::Forbidden(
            "The simulated cloud consoles stand for a customer's own cloud accounts: sign in as a customer's member."
                .into(),
        ));
    };
    caller.require(Permission::EditDesigns(&organisation.id))?;
    Ok((actor, organisation))
}

pub async fn consoles(caller: &Caller) -> Result<CloudConsoles, AppError> {
    let (_, organisation) = console_owner(caller)?;
    Ok(CloudConsoles {
        regions: regions(caller).await?,
        keys: caller.store.cloud_keys(&organisation.id).await?,
        hosted: caller.store.hosted_connections(&organisation.id).await?,
        organisation: organisation.name,
    })
}

/// The on-ramp `site` names, which must be one of `cloud`'s.
async fn on_ramp(caller: &Caller, site: &str, cloud: Cloud) -> Result<OnRamp, AppError> {
    let regions = regions(caller).await?;
    let of_cloud: Vec<&CloudRegion> = regions.iter().filter(|region| region.cloud == cloud).collect();
    match of_cloud.iter().find(|region| region.on_ramp == site.trim()) {
        Some(region) => Ok(OnRamp { cloud, region: region.region.clone() }),
        None => Err(AppError::field(
            "on_ramp",
            format!(
                "Choose one of the {} on-ramps: {}.",
                cloud.label(),
                of_cloud.iter().map(|region| region.on_ramp.as_str()).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

async fn keep(caller: &Caller, actor: &Actor, organisation: &OrganisationRef, new: NewCloudKey<'_>) -> Result<CloudKeyRecord, AppError> {
    match caller.store.create_cloud_key(actor, &organisation.id, new).await {
        Ok(record) => Ok(record),
        Err(CloudKeyError::Full) => Err(AppError::Conflict(format!(
            "Your cloud consoles hold {MAX_KEYS_PER_ORGANISATION} keys already, the most they keep."
        ))),
        Err(CloudKeyError::Store(error)) => Err(error.into()),
    }
}

/// Creates an ExpressRoute circuit at an Azure on-ramp: its service key is what a cloud
/// connection to it is ordered with.
pub async fn create_azure_circuit(caller: &Caller, site: &str, mbps: u64) -> Result<CloudKeyRecord, AppError> {
    let (actor, organisation) = console_owner(caller)?;
    let on_ramp = on_ramp(caller, site, Cloud::Azure).await?;
    let service_key = ServiceKey::parse(&fresh_key())
        .map_err(|(field, message)| AppError::field(field, message))?;
    let circuit = AzureCircuit::create(&on_ramp, mbps, service_key)
        .map_err(|(field, message)| AppError::field(field, message))?;
    keep(caller, &actor, &organisation, NewCloudKey::Azure { site: site.trim(), circuit: &circuit }).await
}

/// Creates a Partner Interconnect attachment at a Google on-ramp in edge availability domain
/// 1 or 2: its pairing key is what a cloud connection to it is ordered with.
pub async fn create_google_attachment(
    caller: &Caller,
    site: &str,
    domain: &str,
    pre_activated: bool,
) -> Result<CloudKeyRecord, AppError> {
    let (actor, organisation) = console_owner(caller)?;
    let on_ramp = on_ramp(caller, site, Cloud::Google).await?;
    let attachment = PairingKey::issue(&fresh_key(), &on_ramp, domain)
        .map_err(|(field, message)| AppError::field(field, message))?;
    let new = NewCloudKey::Google { site: site.trim(), attachment: &attachment, pre_activated };
    keep(caller, &actor, &organisation, new).await
}

/// The owner activates their Google attachment (named by its pairing key, or the key's first
/// part) in their simulated Google Cloud console: the connection Lightpath built over it, which
/// waits in PENDING_CUSTOMER, turns active and is billed from now. Answers the attachment.
pub async fn activate_google_attachment(caller: &Caller, key: &str) -> Result<CloudKeyRecord, AppError> {
    let (actor, organisation) = console_owner(caller)?;
    let key = PairingKey::attachment_of(key).ok_or(AppError::NotFound)?;
    let attachment =
        async || -> Result<Option<CloudKeyRecord>, AppError> { Ok(caller.store.google_attachment(&organisation.id, &key).await?) };
    match caller.store.activate_google_attachment(&actor, &organisation.id, &key).await {
        Ok(_) => attachment().await?.ok_or(AppError::NotFound),
        Err(DecisionError::NotFound) => {
            if attachment().await?.is_some() {
                Err(AppError::Conflict(
                    "No connection uses this attachment yet: order a Cloud Connection with its pairing key. Once \
                     Lightpath has built it, it waits here (PENDING_CUSTOMER) for you to activate it."
                        .into(),
                ))
            } else {
                Err(AppError::NotFound)
            }
        }
        Err(DecisionError::NotWaiting(state)) => Err(AppError::Conflict(format!(
            "This attachment is {state}: only an attachment whose connection waits for you (PENDING_CUSTOMER) can be activated."
        ))),
        Err(DecisionError::Store(error)) => Err(error.into()),
    }
}

/// The caller's ExpressRoute circuit with this service key (another organisation's is not
/// found: a key is a secret its owner hands over).
pub async fn azure_circuit(caller: &Caller, key: &str) -> Result<CloudKeyRecord, AppError> {
    let (_, organisation) = console_owner(caller)?;
    let key = ServiceKey::parse(key).map_err(|_| AppError::NotFound)?;
    caller.store.azure_circuit(&organisation.id, &key).await?.ok_or(AppError::NotFound)
}

/// What an order of a cloud product brings beyond its configuration.
#[derive(Debug, Clone, Copy)]
pub enum CloudOrder<'a> {
    /// A cloud connection's details, for its cloud.
    Connection(&'a CloudForm),
    /// A cloud router's (its AS number).
    Router(&'a RouterForm),
}

impl<'a> CloudOrder<'a> {
    /// What a request brings: a connection's details (`cloud`), a router's (`cloud_router`),
    /// or neither; both at once is refused.
    pub fn from_parts(cloud: Option<&'a CloudForm>, router: Option<&'a RouterForm>) -> Result<Option<Self>, AppError> {
        match (cloud, router) {
            (Some(cloud), None) => Ok(Some(CloudOrder::Connection(cloud))),
            (None, Some(router)) => Ok(Some(CloudOrder::Router(router))),
            (None, None) => Ok(None),
            (Some(_), Some(_)) => Err(AppError::Invalid(
                "Send `cloud` with a cloud connection or `cloud_router` with a cloud router, not both.".into(),
            )),
        }
    }

    /// Adds these details to the request kept with the order's idempotency key, under the
    /// name the REST API gives them.
    pub(crate) fn add_to(self, request: &mut serde_json::Value) {
        match self {
            CloudOrder::Connection(form) => request["cloud"] = serde_json::json!(form),
            CloudOrder::Router(form) => request["cloud_router"] = serde_json::json!(form),
        }
    }
}

/// A cloud connection ready to order: its details parsed and checked against the buyer's
/// cloud, a BGP key made where none was given, and for AWS the hosted connection's id.
pub(crate) struct PreparedCloud {
    pub connection: CloudConnection,
    pub connection_id: Option<AwsConnectionId>,
    /// The buyer's cloud router it is attached to.
    pub router: Option<Id>,
}

/// A cloud product ready to order.
pub(crate) enum Prepared {
    Connection(PreparedCloud),
    Router { router: CloudRouter, site: String },
}

impl Prepared {
    /// What the order's transaction takes for it.
    pub(crate) fn item(&self) -> CloudItem<'_> {
        match self {
            Prepared::Connection(cloud) => CloudItem::Connection(NewCloudConnection {
                connection: &cloud.connection,
                connection_id: cloud.connection_id.as_ref(),
                router: cloud.router.as_ref(),
            }),
            Prepared::Router { router, site } => CloudItem::Router(NewCloudRouter { router: *router, site }),
        }
    }
}

/// Checks what an order for `config` brings for a cloud product: a cloud connection needs its
/// cloud's details, a cloud router takes its AS number (65000 when not given), nothing else
/// takes either. Every field problem comes back at once; a key already used is a conflict.
pub(crate) async fn prepare(
    caller: &Caller,
    organisation: &OrganisationRef,
    config: &Configuration,
    details: Option<CloudOrder<'_>>,
) -> Result<Option<Prepared>, AppError> {
    let product = config.product.as_str();
    let form = match (product, details) {
        (cloud::PRODUCT, Some(CloudOrder::Connection(form))) => form,
        (cloud_router::PRODUCT, Some(CloudOrder::Router(form))) => return prepare_router(config, form).map(Some),
        (cloud_router::PRODUCT, None) => return prepare_router(config, &RouterForm::default()).map(Some),
        (cloud::PRODUCT, _) => {
            return Err(AppError::field(
                "cloud",
                "A cloud connection needs your cloud's details before we can start: your AWS account id, \
                 your ExpressRoute circuit's service key or your Partner Interconnect pairing key.",
            ));
        }
        (_, None) => return Ok(None),
        (_, Some(CloudOrder::Connection(_))) => {
            return Err(AppError::Invalid("Only a cloud connection takes a cloud's details.".into()));
        }
        (_, Some(CloudOrder::Router(_))) => {
            return Err(AppError::Invalid("Only a cloud router takes a cloud router's details.".into()));
        }
    };
    one_at_a_time(config, "A cloud connection", "order a second one to the cloud's other port or location")?;
    let on_ramp = config.z_end.as_ref().and_then(|site| OnRamp::of_site_id(site.as_str())).ok_or_else(|| {
        AppError::field("z_end", "A cloud connection ends at an AWS, Azure or Google Cloud on-ramp: choose one as the far end.")
    })?;
    let (router, form) = attach_to_router(caller, organisation, config, form).await?;
    let form = &form;
    let products = caller.store.products().await?;
    let mbps = products
        .iter()
        .find(|product| product.id == config.product)
        .and_then(|product| product.option(&config.option))
        .and_then(|option| option.bandwidth)
        .map(|bandwidth| bandwidth.mbps())
        .ok_or_else(|| AppError::field("option", "Choose the connection's bandwidth."))?;
    let connection = CloudConnection::parse(on_ramp, mbps, form).map_err(|problems| {
        AppError::Fields(problems.into_iter().map(|(field, message)| (field.to_owned(), message)).collect())
    })?;
    let in_use = || {
        AppError::Conflict(
            "This key is already used by another cloud connection: a key connects once. \
             Create a new one in your cloud console and order with it."
                .into(),
        )
    };
    match &connection.side {
        CloudSide::Azure { service_key, .. } => {
            let circuit = caller.store.azure_circuit(&organisation.id, service_key).await?.ok_or_else(|| {
                AppError::field(
                    "service_key",
                    "No ExpressRoute circuit with this service key in your Azure subscription: check the key, \
                     or create a circuit in Clouds → Microsoft Azure.",
                )
            })?;
            if circuit.in_use {
                return Err(in_use());
            }
            let circuit = AzureCircuit {
                service_key: service_key.clone(),
                peering_location: circuit.region,
                mbps: circuit.mbps.unwrap_or(0),
            };
            circuit.admits(&connection.on_ramp, mbps).map_err(|(field, message)| AppError::field(field, message))?;
        }
        CloudSide::Google { pairing_key } => {
            let attachment = caller.store.google_attachment(&organisation.id, &pairing_key.key).await?;
            match attachment {
                Some(attachment) if attachment.domain == Some(pairing_key.domain) => {
                    if attachment.in_use {
                        return Err(in_use());
                    }
                }
                _ => {
                    return Err(AppError::field(
                        "pairing_key",
                        "No Partner Interconnect attachment with this pairing key in your Google Cloud project: \
                         copy the whole key, or create an attachment in Clouds → Google Cloud.",
                    ));
                }
            }
        }
        CloudSide::Aws { .. } => {}
    }
    let connection = connection.with_bgp_key(random_bytes());
    let connection_id = connection.is_aws_hosted_connection().then(|| AwsConnectionId::issue(random_bytes()));
    Ok(Some(Prepared::Connection(PreparedCloud { connection, connection_id, router })))
}

fn one_at_a_time(config: &Configuration, what: &str, instead: &str) -> Result<(), AppError> {
    if config.diverse || config.count != 1 {
        return Err(AppError::Invalid(format!(
            "{what} is ordered one at a time, without a diverse twin: {instead} for resilience."
        )));
    }
    Ok(())
}

fn prepare_router(config: &Configuration, form: &RouterForm) -> Result<Prepared, AppError> {
    one_at_a_time(config, "A cloud router", "order a second one in another metro")?;
    let site = config.a_end.as_ref().map(|site| site.as_str().to_owned()).unwrap_or_default();
    if OnRamp::of_site_id(&site).is_some() {
        return Err(AppError::field(
            "a_end",
            "A cloud router runs in one of our metros or data centres, not at a cloud's on-ramp: choose a metro as its site.",
        ));
    }
    let router = CloudRouter::parse(form).map_err(|(field, message)| AppError::field(field, message))?;
    Ok(Prepared::Router { router, site })
}

/// The router a connection's form names, checked: the caller's organisation's, built and not
/// disconnected, with a free attachment slot, at the connection's near end. The form comes
/// back with the router's ASN as the customer's (the router is the customer side of BGP).
async fn attach_to_router(
    caller: &Caller,
    organisation: &OrganisationRef,
    config: &Configuration,
    form: &CloudForm,
) -> Result<(Option<Id>, CloudForm), AppError> {
    let named = form.router.trim();
    if named.is_empty() {
        return Ok((None, form.clone()));
    }
    let not_found = || {
        AppError::field(
            "router",
            "No cloud router with this service id in your organisation: copy it from the router's service page, or \
             leave it empty to connect your own equipment.",
        )
    };
    let id = Id::parse(named).ok_or_else(not_found)?;
    let router = caller.store.cloud_router(&id).await?.filter(|router| router.organisation == organisation.id);
    let router = router.ok_or_else(not_found)?;
    if router.state != ServiceState::Active {
        return Err(AppError::field(
            "router",
            format!("This cloud router is {}: attach connections to an active one.", router.state.label().to_lowercase()),
        ));
    }
    if router.live_attachments >= cloud_router::MAX_ATTACHMENTS {
        return Err(AppError::Conflict(format!(
            "This cloud router joins {} cloud connections already, the most one router takes: order another router.",
            cloud_router::MAX_ATTACHMENTS
        )));
    }
    if config.a_end.as_ref().map(|site| site.as_str()) != Some(router.site.as_str()) {
        return Err(AppError::field(
            "a_end",
            format!("This cloud router runs in {}: choose it as where the connection starts.", router.site),
        ));
    }
    let asn = router.router.asn.number().to_string();
    let mut form = form.clone();
    match form.customer_asn.trim() {
        "" => form.customer_asn = asn,
        given if given.trim_start_matches("AS").trim_start_matches("as") == asn => {}
        _ => {
            return Err(AppError::field(
                "customer_asn",
                format!("Attached to a cloud router, your side of BGP is the router: leave this empty or enter its ASN {asn}."),
            ))
        }
    }
    Ok((Some(id), form))
}

/// Refuses to disconnect a cloud router that still joins cloud connections.
pub(crate) async fn router_free(caller: &Caller, record: &ServiceRecord) -> Result<(), AppError> {
    let Some(router) = caller.store.cloud_router(&record.summary.id).await? else { return Ok(()) };
    if router.live_attachments > 0 {
        return Err(AppError::Conflict(format!(
            "This cloud router still joins {} cloud connection(s): disconnect them first, then the router.",
            router.live_attachments
        )));
    }
    Ok(())
}

/// Orders a cloud router configured like any product, with its AS number.
pub async fn order_router(
    caller: &Caller,
    config: Configuration,
    form: RouterForm,
    key: String,
    seen: Totals,
    purchase_order: Option<String>,
) -> Result<OrderPlaced, AppError> {
    if config.product.as_str() != cloud_router::PRODUCT {
        return Err(AppError::Invalid(format!("Choose the {} product to order a cloud router.", cloud_router::PRODUCT)));
    }
    let details = Some(CloudOrder::Router(&form));
    crate::configure::order_configured(caller, config, details, key, seen, purchase_order).await
}

/// Sets the prefix filter a cloud router applies to what one attached cloud connection's
/// cloud announces (one line each, `permit|deny prefix [ge n] [le n]`; none: everything);
/// answers the router with its new route table.
pub async fn set_attachment_filter(
    caller: &Caller,
    router: String,
    connection: String,
    lines: Vec<String>,
) -> Result<CloudRouterView, AppError> {
    let record = crate::services::visible(caller, &router).await?;
    let actor = caller.require(Permission::EditDesigns(&record.summary.organisation.id))?;
    let Some(router) = caller.store.cloud_router(&record.summary.id).await? else {
        return Err(AppError::Invalid("This service is not a cloud router: only a router filters routes.".into()));
    };
    let connection = Id::parse(&connection).ok_or(AppError::NotFound)?;
    if lines.len() > cloud_router::MAX_FILTER_LINES {
        return Err(AppError::field(
            "lines",
            format!("A filter holds at most {} lines.", cloud_router::MAX_FILTER_LINES),
        ));
    }
    if lines.iter().any(|line| line.chars().count() > 80 || line.chars().any(char::is_control)) {
        return Err(AppError::field(
            "lines",
            "Each line is one filter line of at most 80 characters, like permit 52.0.0.0/8 ge 16 le 24.",
        ));
    }
    let filter = PrefixFilter::parse(&lines.join("\n"))
        .map_err(|problems| AppError::Fields(problems.into_iter().map(|problem| ("lines".to_owned(), problem)).collect()))?;
    if !caller.store.set_attachment_filter(&actor, &router, &connection, &filter).await? {
        return Err(AppError::NotFound);
    }
    caller.store.cloud_router_view(&record.summary.id).await?.ok_or(AppError::NotFound)
}



/// Orders a cloud connection configured like any product, with what its cloud needs.
pub async fn order_connection(
    caller: &Caller,
    config: Configuration,
    form: CloudForm,
    key: String,
    seen: Totals,
    purchase_order: Option<String>,
) -> Result<OrderPlaced, AppError> {
    if config.product.as_str() != cloud::PRODUCT {
        return Err(AppError::Invalid(format!("Choose the {} product to connect to a cloud.", cloud::PRODUCT)));
    }
    crate::configure::order_configured(caller, config, Some(CloudOrder::Connection(&form)), key, seen, purchase_order)
        .await
}

/// The hosted connections offered to the caller's organisation, as its AWS console lists them.
pub async fn hosted_connections(caller: &Caller) -> Result<Vec<HostedConnection>, AppError> {
    let (_, organisation) = console_owner(caller)?;
    Ok(caller.store.hosted_connections(&organisation.id).await?)
}

/// The buyer accepts or rejects a hosted connection in their (simulated) AWS console; answers
/// the service it is.
pub async fn decide_hosted_connection(caller: &Caller, id: &str, accept: bool) -> Result<String, AppError> {
    let (actor, organisation) = console_owner(caller)?;
    let id = AwsConnectionId::parse(id).ok_or(AppError::NotFound)?;
    match caller.store.decide_hosted_connection(&actor, &organisation.id, &id, accept).await {
        Ok(service) => Ok(service.to_string()),
        Err(DecisionError::NotFound) => Err(AppError::NotFound),
        Err(DecisionError::NotWaiting(state)) => Err(AppError::Conflict(format!(
            "This connection is {state}: only a connection waiting for acceptance (ordering) can be accepted or rejected."
        ))),
        Err(DecisionError::Store(error)) => Err(error.into()),
    }
}

/// The configuration for the buyer's router of a cloud connection service, for whoever may
/// read the service: with the BGP key in clear for the members who order for the organisation,
/// masked for everyone else (Lightpath's support helping them, read-only members).
pub async fn router_config(caller: &Caller, service: String) -> Result<String, AppError> {
    let record = crate::services::visible(caller, &service).await?;
    let key_shown = match caller.require(Permission::EditDesigns(&record.summary.organisation.id)) {
        Ok(_) => KeyShown::Revealed,
        Err(_) => KeyShown::Masked,
    };
    caller.store.router_config(&record.summary.id, key_shown).await?.ok_or(AppError::NotFound)
}

/// Whether `vlan` is free on an on-ramp's port (`port`: an ExpressRoute circuit's `primary` or
/// `secondary`, nothing for AWS and Google), for a buyer choosing one. Only yes or no: which
/// VLANs others use is theirs.
pub async fn vlan_available(caller: &Caller, on_ramp: &str, port: Option<&str>, vlan: &str) -> Result<VlanAvailability, AppError> {
    caller.require(Permission::SignedIn)?;
    let site = on_ramp.trim();
    let regions = regions(caller).await?;
    let region = regions.iter().find(|region| region.on_ramp == site).ok_or_else(|| {
        AppError::field("on_ramp", "Choose an AWS, Azure or Google Cloud on-ramp by its site id, like aws-us-east-1.")
    })?;
    let interface = match (region.cloud, port.map(str::trim)) {
        (Cloud::Azure, Some(port)) => {
            let port = cloud::AzurePort::parse(port).map_err(|(field, message)| AppError::field(field, message))?;
            format!("{site}/{}", port.slug())
        }
        (Cloud::Azure, None) => {
            return Err(AppError::field("port", "An ExpressRoute circuit has a primary and a secondary port: say which."))
        }
        (_, Some(_)) => return Err(AppError::field("port", "Only an Azure on-ramp has ports to choose from.")),
        (_, None) => site.to_owned(),
    };
    let vlan = match cloud::VlanChoice::parse(vlan).map_err(|(field, message)| AppError::field(field, message))? {
        cloud::VlanChoice::Chosen(vlan) => vlan,
        cloud::VlanChoice::Auto => return Err(AppError::field("vlan", "Ask about a VLAN from 1 to 4094.")),
    };
    let available = !caller.store.vlans_in_use(&interface).await?.contains(&vlan);
    Ok(VlanAvailability { interface, vlan: vlan.id(), available })
}

/// Moves a cloud connection to another VLAN on its port without replacing it: the same
/// connection id, BGP session and service, the old VLAN freed. Answers the connection.
pub async fn change_vlan(caller: &Caller, service: String, vlan: &str) -> Result<CloudConnectionView, AppError> {
    let record = crate::services::visible(caller, &service).await?;
    let actor = caller.require(Permission::EditDesigns(&record.summary.organisation.id))?;
    if record.cloud.is_none() {
        return Err(AppError::Invalid("Only a cloud connection has a VLAN to change.".into()));
    }
    let vlan = match cloud::VlanChoice::parse(vlan).map_err(|(field, message)| AppError::field(field, message))? {
        cloud::VlanChoice::Chosen(vlan) => vlan,
        cloud::VlanChoice::Auto => return Err(AppError::field("vlan", "Enter the VLAN to move to, from 1 to 4094.")),
    };
    match caller.store.change_cloud_vlan(&actor, &record.summary.id, vlan).await {
        Ok(_) => {}
        Err(VlanChangeError::NotCloud) => return Err(AppError::NotFound),
        Err(VlanChangeError::NotLive(state)) => {
            return Err(AppError::Conflict(format!(
                "This connection is {state}: only an active connection, or one waiting for acceptance, changes VLAN."
            )))
        }
        Err(VlanChangeError::Vlan(error @ VlanError::Taken { .. })) => return Err(AppError::Conflict(error.to_string())),
        Err(VlanChangeError::Vlan(VlanError::Store(error)) | VlanChangeError::Store(error)) => return Err(error.into()),
        Err(VlanChangeError::Vlan(error)) => return Err(AppError::Conflict(error.to_string())),
    }
    caller.store.cloud_connection_of(&record.summary.id).await?.ok_or(AppError::NotFound)
}
