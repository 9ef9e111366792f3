//! The configurator on a product page: pick the ends, the option, the term and the
//! quantities, see the price and the path, order it.
//!
//! The server places the configuration on the network (ends checked, connection routed around
//! full spans) when an end, the option, the copies or the diverse choice change; the term and
//! the quantities are priced in the browser with the domain's engine, with no round trip. The
//! server places and prices everything again before it orders.

mod cloud;
mod fields;
pub mod quoted;
mod result;
mod state;

use crate::components::forms::Alert;
use crate::components::layout::ProblemBanner;
use crate::components::topology_map::TopologyMap;
use crate::server_fns::configure::{load_configurator, ConfiguratorData};
use fields::ConfiguratorFields;
use leptos::prelude::*;
use lightpath_domain::catalog::{Ends, Product};
use lightpath_domain::configure::{option_choices, priced_by_band};
use lightpath_domain::configure::{Configuration, Placement};
use lightpath_domain::PriceBook;
use result::{ConfiguratorActions, PriceOrHint};
use state::ConfiguratorState;

/// A cloud connection's details (or a cloud router's) as typed, and the last order's refusal
/// of them.
#[derive(Clone, Copy)]
pub struct CloudOrder {
    form: RwSignal<lightpath_domain::cloud::CloudForm>,
    /// Set for a cloud router: its form, sent instead of a connection's.
    router: Option<RwSignal<lightpath_domain::cloud_router::RouterForm>>,
    refused: RwSignal<Option<crate::error::AppError>>,
}

#[component]
pub fn Configurator(product: Product, book: PriceBook) -> impl IntoView {
    let data = Resource::new(|| (), |_| load_configurator());
    let next = format!("/products/{}", product.id);
    view! {
        <section class="card configurator" aria-labelledby="configure-title">
            <h2 id="configure-title">"Configure and order"</h2>
            <Transition fallback=|| {
                view! { <p class="muted">"Loading the sites…"</p> }
            }>
                {move || {
                    let (product, book, next) = (product.clone(), book.clone(), next.clone());
                    Suspend::new(async move {
                        match data.await {
                            Ok(Some(data)) => {
                                let cloud = match product.id.as_str() {
                                    lightpath_domain::cloud::PRODUCT => {
                                        let routers = StoredValue::new(data.routers.clone());
                                        let order = CloudOrder {
                                            form: RwSignal::new(cloud::new_form(&data.routers)),
                                            router: None,
                                            refused: RwSignal::new(None),
                                        };
                                        let fields = Callback::new(move |z_end: RwSignal<String>| {
                                            // A cloud connection is ordered with its cloud's details (not kept
                                            // in a design or quoted). Its fields are drawn here, so their code
                                            // stays with the product page and out of the quote editor's.
                                            view! {
                                                <cloud::CloudDetails
                                                    z_end
                                                    form=order.form
                                                    refused=order.refused
                                                    routers
                                                />
                                            }
                                                .into_any()
                                        });
                                        Some((order, fields))
                                    }
                                    lightpath_domain::cloud_router::PRODUCT => {
                                        let order = CloudOrder {
                                            form: RwSignal::new(Default::default()),
                                            router: Some(RwSignal::new(Default::default())),
                                            refused: RwSignal::new(None),
                                        };
                                        let fields = Callback::new(move |_: RwSignal<String>| {
                                            view! { <cloud::RouterDetails order /> }.into_any()
                                        });
                                        Some((order, fields))
                                    }
                                    _ => None,
                                };
                                view! { <ConfiguratorForm product book data cloud /> }.into_any()
                            }
                            Ok(None) => {
                                view! {
                                    <p>
                                        <a href=format!(
                                            "/sign-in?next={}",
                                            crate::components::percent_encode(&next),
                                        )>"Sign in"</a>
                                        " to choose the sites, see the price of your route and order it."
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <Alert message=error.to_string() /> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

/// The configurator's fields, price and map. With `on_add` it hands the configuration to its
/// caller (the quote editor) instead of ordering it.
#[component]
pub fn ConfiguratorForm(
    product: Product,
    book: PriceBook,
    data: ConfiguratorData,
    #[prop(optional)] on_add: Option<Callback<(Configuration, Placement)>>,
    /// A cloud connection's details and the fields that ask for them, given the far end.
    #[prop(default = None)]
    cloud: Option<(CloudOrder, Callback<RwSignal<String>, AnyView>)>,
) -> impl IntoView {
    let ConfiguratorData { sites, network, can_order, designs, .. } = data;
    let (options, terms) = (option_choices(&product), product.terms.clone());
    let banded = priced_by_band(&product.id);
    let state = ConfiguratorState::new(product, book);
    let (cloud, cloud_fields) = cloud.map_or((None, None), |(order, fields)| (Some(order), Some(fields)));
    let (highlight, twin) = state.path_spans();
    let intro = match state.ends {
        Ends::Two => {
            "Choose the two sites to connect, the rate and the term: we route it on our network and price it on that route."
        }
        Ends::One => "Choose the site, the option and the term: the price follows every change.",
        Ends::None => "Choose the option, the term and how many: the price follows every change.",
    };
    view! {
        <p class="muted">{intro}</p>
        <div class="configurator-grid">
            <div>
                <ConfiguratorFields
                    state
                    sites=StoredValue::new(sites)
                    options
                    banded
                    terms
                    single=cloud_fields.is_some()
                />
                {cloud_fields.map(|fields| fields.run(state.form.z_end))}
            </div>
            <div class="configurator-result" aria-live="polite">
                <ProblemBanner message=state.other_problem() />
                <PriceOrHint state network=StoredValue::new(network.clone()) />
                <ConfiguratorActions state on_add can_order designs network=network.clone() cloud />
            </div>
        </div>
        {(state.ends == Ends::Two).then(|| view! { <TopologyMap network highlight twin /> })}
    }
}
