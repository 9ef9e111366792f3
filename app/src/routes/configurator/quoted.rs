//! One cloud item of an accepted quote, ordered with the buyer's cloud details at its quoted
//! price (`/quotes/:id/items/:position`): accepting the quote ordered everything else. The
//! fields are the product page's (this module sits beside them); the page is in the quotes area
//! (`routes/mod.rs` says why).

use super::{cloud, CloudOrder};
use crate::components::follow_order;
use crate::components::format_utc;
use crate::components::forms::FormField;
use crate::components::layout::{Loaded, RecordHead};
use crate::components::order_review::{OrderFailure, Review, ReviewedOrder};
use crate::server_fns::quotes::{load_quoted_cloud_item, order_quoted_cloud_item, QuotedCloudItemPage};
use leptos::prelude::*;
use leptos_router::params::Params;
use lightpath_domain::quote::CloudItemState;

#[derive(leptos::Params, Clone, Debug, PartialEq)]
struct ItemParams {
    id: Option<String>,
    position: Option<String>,
}

#[component]
pub fn QuotedCloudItemPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params::<ItemParams>();
    let asked = move || {
        params.with(|params| {
            let params = params.as_ref().ok();
            let id = params.and_then(|params| params.id.clone()).unwrap_or_default();
            // A position that is no line number names no line: the server answers not found.
            let position = params.and_then(|params| params.position.as_deref()?.parse().ok()).unwrap_or(u32::MAX);
            (id, position)
        })
    };
    let page = Resource::new(asked, |(id, position)| load_quoted_cloud_item(id, position));
    view! {
        <Loaded data=page rows=6 let:data>
            <QuotedCloudItem data />
        </Loaded>
    }
}

#[component]
fn QuotedCloudItem(data: QuotedCloudItemPage) -> impl IntoView {
    let QuotedCloudItemPage { quote_id, quote_name, item, commitment, routers, sites, can_order } = data;
    let quote_href = format!("/quotes/{quote_id}");
    let price =
        format!("At the quoted price: {} a month, {} one-time.", item.net.monthly_estimate(), item.net.one_time);
    let order = item.order.as_ref().map(ToString::to_string).unwrap_or_default();
    let body = match item.state {
        CloudItemState::Ordered => view! {
            <p class="notice" role="note">
                "Ordered with your details. "
                <a href=format!("/orders/{order}")>"Follow the order"</a>
            </p>
        }
        .into_any(),
        CloudItemState::Lapsed => view! {
            <p class="notice" role="note">
                "Its quoted price was held for 30 days after the quote was accepted, and that time has passed. Ask your sales engineer for a new quote, or order it from its product page."
            </p>
        }
        .into_any(),
        CloudItemState::Waiting if can_order => {
            let held = format!("Its quoted price holds until {}.", &format_utc(item.until_ms)[..10]);
            view! {
                <p class="muted">{held}</p>
                <OrderWithDetails
                    quote_id
                    item_position=item.position
                    z_end=item.z_end.map(|site| site.to_string())
                    a_end=item.a_end.map(|site| site.to_string())
                    commitment
                    routers
                    sites
                />
            }
            .into_any()
        }
        CloudItemState::Waiting => view! {
            <p class="notice" role="note">
                "A member of your organisation who places orders gives these details and orders it."
            </p>
        }
        .into_any(),
    };
    view! {
        <RecordHead list=("/quotes", "Quotes") name=item.title.clone() eyebrow=quote_name.clone()>
            <p data-testid="quoted-price">{price}</p>
            <p>
                "A line of your accepted quote " <a href=quote_href>{quote_name}</a>
                ": accepting it ordered everything else; this is built once you give your cloud's details."
            </p>
        </RecordHead>
        <section class="card configurator" aria-labelledby="quoted-details-title">
            <h2 id="quoted-details-title">"Your cloud's details"</h2>
            {body}
        </section>
    }
}

/// The cloud's fields (a connection's, or a router's with the metro it runs in) and the
/// reviewed order at the quoted price. One idempotency key per attempt.
#[component]
fn OrderWithDetails(
    quote_id: String,
    item_position: u32,
    z_end: Option<String>,
    a_end: Option<String>,
    commitment: lightpath_domain::order_plan::Commitment,
    routers: Vec<crate::server_fns::configure::RouterChoice>,
    sites: Vec<(String, String)>,
) -> impl IntoView {
    let is_router = z_end.is_none();
    let mut form = cloud::new_form(&routers);
    // The buyer's cloud router at the connection's near end, when they have one there (the
    // quote's own router, ordered first, most likely).
    if let Some(router) = routers.iter().find(|router| Some(&router.site) == a_end.as_ref()) {
        form.router = router.id.clone();
    }
    let order = CloudOrder {
        form: RwSignal::new(form),
        router: is_router.then(|| RwSignal::new(Default::default())),
        refused: RwSignal::new(None),
    };
    let site = RwSignal::new(sites.first().map(|(id, _)| id.clone()).unwrap_or_default());
    let key = StoredValue::new(None::<String>);
    let quote_id = StoredValue::new(quote_id);
    let place = Action::new_local(move |reference: &String| {
        let attempt = key.get_value().unwrap_or_else(|| {
            let fresh = crate::components::new_idempotency_key("quoted-cloud");
            key.set_value(Some(fresh.clone()));
            fresh
        });
        order.refused.set(None);
        let (cloud, router, site) = match order.router {
            Some(router) => (None, Some(router.get_untracked()), Some(site.get_untracked())),
            None => (Some(order.form.get_untracked()), None, None),
        };
        order_quoted_cloud_item(
            quote_id.get_value(),
            item_position,
            attempt,
            Some(reference.clone()),
            cloud,
            router,
            site,
        )
    });
    let failure = OrderFailure::new();
    follow_order(place, key, move |error| {
        order.refused.set(Some(error.clone()));
        failure.show(error)
    });
    let commitment = StoredValue::new(commitment);
    let fields = match is_router {
        true => {
            let message = Signal::derive(move || {
                order.refused.with(|error| error.as_ref().and_then(|error| error.message_for("site")))
            });
            view! {
                <FormField id="router-site".to_owned() label="Where it runs" message>
                    <select
                        id="router-site"
                        aria-describedby=crate::components::forms::error_id("router-site")
                        on:change=move |ev| site.set(event_target_value(&ev))
                    >
                        {sites
                            .into_iter()
                            .map(|(id, name)| {
                                let value = id.clone();
                                view! {
                                    <option value=id selected=move || site.with(|site| *site == value)>
                                        {name}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </FormField>
                <cloud::RouterDetails order />
            }
            .into_any()
        }
        false => {
            let z_end = RwSignal::new(z_end.unwrap_or_default());
            let routers = StoredValue::new(routers);
            view! { <cloud::CloudDetails z_end form=order.form refused=order.refused routers /> }.into_any()
        }
    };
    view! {
        {fields}
        <div class="actions">
            <ReviewedOrder
                label="Order at the quoted price"
                disabled=place.pending()
                review=Callback::new(move |()| Some(Review::Order(commitment.get_value())))
                placing=place.pending()
                failure
                on_place=Callback::new(move |reference| {
                    place.dispatch(reference);
                })
            />
        </div>
    }
}
