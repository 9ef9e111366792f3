//! What a cloud connection's cloud needs, asked for on its product page once the far end is a
//! cloud on-ramp: the AWS account and BGP session, the ExpressRoute circuit's service key and
//! port, or the Partner Interconnect pairing key, and the VLAN. The server checks every value
//! and names the field of each problem; this form shows them beside their fields.

use crate::components::forms::{error_id, FormField, TextField};
use crate::error::AppError;
use crate::server_fns::configure::RouterChoice;
use leptos::prelude::*;
use lightpath_domain::cloud::{Cloud, CloudForm, OnRamp};

type Read = fn(&CloudForm) -> &String;
type Write = fn(&mut CloudForm) -> &mut String;

/// One typed field: its name in the server's errors, label, hint, and where it lives.
struct Typed {
    field: &'static str,
    label: &'static str,
    hint: &'static str,
    get: Read,
    set: Write,
}

const VLAN: Typed = Typed {
    field: "vlan",
    label: "VLAN",
    hint: "1–4094, or 0 to let us pick a free one.",
    get: |form| &form.vlan,
    set: |form| &mut form.vlan,
};
const ASN: Typed = Typed {
    field: "customer_asn",
    label: "Your BGP AS number",
    hint: "Your router's ASN, e.g. 65001; empty with a cloud router: its ASN.",
    get: |form| &form.customer_asn,
    set: |form| &mut form.customer_asn,
};
const CUSTOMER_ADDRESS: Typed = Typed {
    field: "peer_addresses",
    label: "Your router's address",
    hint: "In a /30 or /31, e.g. 169.254.10.1/30.",
    get: |form| &form.customer_address,
    set: |form| &mut form.customer_address,
};
const CLOUD_ADDRESS: Typed = Typed {
    field: "cloud_address",
    label: "The cloud's address",
    hint: "In the same /30 or /31, e.g. 169.254.10.2/30.",
    get: |form| &form.cloud_address,
    set: |form| &mut form.cloud_address,
};
const BGP_KEY: Typed = Typed {
    field: "bgp_key",
    label: "BGP key (optional)",
    hint: "6–80 characters; leave empty and we make one.",
    get: |form| &form.bgp_key,
    set: |form| &mut form.bgp_key,
};

const AWS: [Typed; 2] = [
    Typed {
        field: "aws_account",
        label: "AWS account id",
        hint: "12 digits: we offer the connection to this account.",
        get: |form| &form.aws_account,
        set: |form| &mut form.aws_account,
    },
    Typed {
        field: "amazon_asn",
        label: "Amazon-side ASN (optional)",
        hint: "Your gateway's ASN; empty: 64512.",
        get: |form| &form.amazon_asn,
        set: |form| &mut form.amazon_asn,
    },
];
const AZURE_KEY: Typed = Typed {
    field: "service_key",
    label: "ExpressRoute service key",
    hint: "From your circuit in the Azure portal (or Clouds → Microsoft Azure here).",
    get: |form| &form.service_key,
    set: |form| &mut form.service_key,
};
const PAIRING_KEY: Typed = Typed {
    field: "pairing_key",
    label: "Pairing key",
    hint: "From your Partner Interconnect attachment: <key>/<region>/<1 or 2>.",
    get: |form| &form.pairing_key,
    set: |form| &mut form.pairing_key,
};

/// A choice among a few values, one of the form's fields.
struct Choice {
    field: &'static str,
    label: &'static str,
    values: &'static [(&'static str, &'static str)],
    get: Read,
    set: Write,
}

const INTERFACE: Choice = Choice {
    field: "virtual_interface",
    label: "Virtual interface",
    values: &[
        ("private", "Private (to a VPC)"),
        ("transit", "Transit (to transit gateways)"),
        ("public", "Public (AWS services)"),
    ],
    get: |form| &form.virtual_interface,
    set: |form| &mut form.virtual_interface,
};
const MTU: Choice = Choice {
    field: "mtu",
    label: "MTU",
    values: &[("1500", "1500"), ("9001", "9001 (jumbo frames)")],
    get: |form| &form.mtu,
    set: |form| &mut form.mtu,
};
const PORT: Choice = Choice {
    field: "azure_port",
    label: "Circuit port",
    values: &[("primary", "Primary"), ("secondary", "Secondary")],
    get: |form| &form.azure_port,
    set: |form| &mut form.azure_port,
};

/// A new form with the choices' first values picked. A link that asks for a cloud router
/// (`?router=auto`, from a design's multi-cloud stage) picks the buyer's router at the link's
/// near end, when they have one there (the newest: most likely the one just ordered).
pub fn new_form(routers: &[RouterChoice]) -> CloudForm {
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let router = match (query.get("router"), query.get("a_end")) {
        (Some(wanted), Some(site)) if wanted == "auto" => {
            routers.iter().find(|router| router.site == site).map(|router| router.id.clone())
        }
        (Some(wanted), _) => routers.iter().find(|router| router.id == wanted).map(|router| router.id.clone()),
        _ => None,
    };
    CloudForm {
        virtual_interface: "private".into(),
        mtu: "1500".into(),
        azure_port: "primary".into(),
        vlan: "0".into(),
        router: router.unwrap_or_default(),
        ..CloudForm::default()
    }
}

#[component]
pub fn CloudDetails(
    /// The far end's site id.
    z_end: RwSignal<String>,
    form: RwSignal<CloudForm>,
    /// The last order's refusal, whose field problems show beside their fields.
    refused: RwSignal<Option<AppError>>,
    /// The buyer's cloud routers the connection may attach to.
    routers: StoredValue<Vec<RouterChoice>>,
) -> impl IntoView {
    let cloud = Memo::new(move |_| z_end.with(|site| OnRamp::of_site_id(site).map(|on_ramp| on_ramp.cloud)));
    move || {
        let Some(cloud) = cloud.get() else {
            return view! {
                <p class="muted" id="cloud-details">
                    "Choose an AWS, Azure or Google Cloud on-ramp as the far end: we then ask what your cloud needs."
                </p>
            }
            .into_any();
        };
        let (lede, typed, choices): (&str, Vec<&'static Typed>, Vec<&'static Choice>) = match cloud {
            Cloud::Aws => (
                "We create a hosted connection in your AWS account; you accept it in the AWS console, and billing starts then.",
                vec![&AWS[0], &ASN, &AWS[1], &CUSTOMER_ADDRESS, &CLOUD_ADDRESS, &BGP_KEY, &VLAN],
                vec![&INTERFACE, &MTU],
            ),
            Cloud::Azure => (
                "We connect your ExpressRoute circuit by its service key: create the circuit in Azure first.",
                vec![&AZURE_KEY, &ASN, &CUSTOMER_ADDRESS, &CLOUD_ADDRESS, &BGP_KEY, &VLAN],
                vec![&PORT],
            ),
            Cloud::Google => (
                "We connect your Partner Interconnect attachment by its pairing key: create the attachment in Google Cloud first.",
                vec![&PAIRING_KEY, &VLAN],
                vec![],
            ),
        };
        view! {
            <fieldset class="cloud-details" id="cloud-details">
                <legend>{format!("Your {} details", cloud.label())}</legend>
                <p class="muted">{lede}</p>
                <div class="grid-2">
                    {router_field(routers, form, refused)}
                    {choices.into_iter().map(|choice| choice_field(choice, form, refused)).collect_view()}
                    {typed.into_iter().map(|typed| typed_field(typed, form, refused)).collect_view()}
                </div>
            </fieldset>
        }
        .into_any()
    }
}

fn message(refused: RwSignal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || refused.with(|error| error.as_ref().and_then(|error| error.message_for(field))))
}

fn typed_field(typed: &'static Typed, form: RwSignal<CloudForm>, refused: RwSignal<Option<AppError>>) -> impl IntoView {
    let value = Signal::derive(move || form.with(|form| (typed.get)(form).clone()));
    let set = Callback::new(move |text: String| form.update(|form| *(typed.set)(form) = text));
    view! {
        <TextField
            id=format!("cloud-{}", typed.field)
            label=typed.label
            message=message(refused, typed.field)
            bind=(value, set)
            hint=typed.hint
        />
    }
}

fn choice_field(
    choice: &'static Choice,
    form: RwSignal<CloudForm>,
    refused: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("cloud-{}", choice.field);
    let message = message(refused, choice.field);
    view! {
        <FormField id=id.clone() label=choice.label message>
            <select
                id=id.clone()
                aria-describedby=error_id(&id)
                on:change=move |ev| form.update(|form| *(choice.set)(form) = event_target_value(&ev))
            >
                {choice
                    .values
                    .iter()
                    .map(|(value, label)| {
                        view! {
                            <option value=*value selected=move || form.with(|form| (choice.get)(form) == value)>
                                {*label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </FormField>
    }
}

/// Where the connection's near end is: the buyer's own equipment, or one of their cloud
/// routers (the connection then starts at the router's site and takes its ASN).
fn router_field(
    routers: StoredValue<Vec<RouterChoice>>,
    form: RwSignal<CloudForm>,
    refused: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let id = "cloud-router";
    let message = message(refused, "router");
    view! {
        <FormField id=id.to_owned() label="Your side" message>
            <select
                id=id
                aria-describedby=error_id(id)
                on:change=move |ev| form.update(|form| form.router = event_target_value(&ev))
            >
                <option value="" selected=move || form.with(|form| form.router.is_empty())>
                    "Your own router at the near end"
                </option>
                {routers
                    .get_value()
                    .into_iter()
                    .map(|router| {
                        let label = format!("Your cloud router at {} (AS{})", router.site, router.asn);
                        let value = router.id.clone();
                        view! {
                            <option value=router.id selected=move || form.with(|form| form.router == value)>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </FormField>
    }
}

/// A cloud router's own field: its AS number, the customer side of every BGP session its
/// cloud connections have.
#[component]
pub fn RouterDetails(order: super::CloudOrder) -> impl IntoView {
    let Some(router) = order.router else { return ().into_any() };
    let value = Signal::derive(move || router.with(|form| form.asn.clone()));
    let set = Callback::new(move |text: String| router.update(|form| form.asn = text));
    view! {
        <fieldset class="cloud-details" id="cloud-details">
            <legend>"Your cloud router"</legend>
            <p class="muted">
                "It joins the cloud connections you attach to it, and runs BGP with each cloud for you."
            </p>
            <TextField
                id="router-asn".to_owned()
                label="AS number (optional)"
                message=message(order.refused, "asn")
                bind=(value, set)
                hint="Empty: 65000. Any ASN from 1 to 4294967294 except reserved ones; a private one is usual."
            />
        </fieldset>
    }
    .into_any()
}
