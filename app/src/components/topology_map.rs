//! An SVG map of the network: metros placed by a projection computed on the server, fiber
//! spans between them, an optional highlighted path and its diverse twin. Hover or keyboard
//! focus shows an element's details; buttons, arrow keys, + / − and dragging zoom and pan.
//! Rendered on the server and hydrated; it uses integers only, so no float or trigonometry
//! code reaches the browser bundle.

use crate::server_fns::network::{NetworkView, MAP_HEIGHT, MAP_WIDTH};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use lightpath_domain::money::group_thousands;
use lightpath_domain::network::format_millis;
use lightpath_domain::{SiteId, SiteKind, SpanId};

const HINT: &str = "Hover over, or Tab to, a metro or a span to see its details.";

/// The visible part of the drawing: x, y, width, height in map units.
type ViewBox = (i32, i32, i32, i32);

fn zoomed((x, y, w, h): ViewBox, numerator: i32, denominator: i32) -> ViewBox {
    let new_w = (w * numerator / denominator).clamp(MAP_WIDTH / 5, MAP_WIDTH);
    let new_h = new_w * MAP_HEIGHT / MAP_WIDTH;
    (x + (w - new_w) / 2, y + (h - new_h) / 2, new_w, new_h)
}

fn panned((x, y, w, h): ViewBox, dx: i32, dy: i32) -> ViewBox {
    (x + dx, y + dy, w, h)
}

#[component]
pub fn TopologyMap(
    network: NetworkView,
    /// Spans of a service's path, drawn in the accent colour.
    #[prop(into, optional)]
    highlight: Signal<Vec<SpanId>>,
    /// Spans of the diverse twin path, drawn dashed.
    #[prop(into, optional)]
    twin: Signal<Vec<SpanId>>,
    /// Reserved share of each span in tenths of a percent, for admins: spans are coloured by
    /// load (under 50 %, 50–80 %, 80 % and over) and their details say how full they are.
    #[prop(optional)]
    load: Vec<(SpanId, u64)>,
) -> impl IntoView {
    let view_box = RwSignal::new(HOME);
    let details = RwSignal::new(HINT.to_owned());
    // The map's tab stop starts on the path it shows (its first span), else on the first span.
    let first_on_path = highlight.with_untracked(|path| {
        network.spans.iter().filter(|span| drawn(&network, span)).position(|span| path.contains(&span.id))
    });
    let current = RwSignal::new(first_on_path.unwrap_or(0));
    let focus = MapFocus { details, highlight, twin, current };
    let elements = network.spans.iter().filter(|span| drawn(&network, span)).count()
        + network
            .sites
            .iter()
            .filter(|site| site.kind == SiteKind::Metro && position(&network, &site.id).is_some())
            .count();
    view! {
        <figure class="map">
            <MapTools view_box />
            <MapCanvas view_box current elements>
                <g class="spans">{spans(&network, &load, focus)}</g>
                <g class="metros">{metros(&network, focus)}</g>
            </MapCanvas>
            <figcaption class="map-details" aria-live="polite">
                {move || details.get()}
            </figcaption>
        </figure>
    }
}

const HOME: ViewBox = (0, 0, MAP_WIDTH, MAP_HEIGHT);

/// What the map's elements share: the details line they fill on hover or focus, the path
/// shown, and which of them is the map's one tab stop.
#[derive(Clone, Copy)]
struct MapFocus {
    details: RwSignal<String>,
    highlight: Signal<Vec<SpanId>>,
    twin: Signal<Vec<SpanId>>,
    /// The one element of the map in the tab order (roving tab stop): spans are numbered
    /// first, then metros; the arrow keys move it.
    current: RwSignal<usize>,
}

impl MapFocus {
    /// The tab index of the element numbered `index`: only the current one is a stop.
    fn stop(&self, index: usize) -> &'static str {
        if self.current.get() == index {
            "0"
        } else {
            "-1"
        }
    }
}

/// Whether a span is drawn: both its ends are on the map.
fn drawn(network: &NetworkView, span: &lightpath_domain::Span) -> bool {
    position(network, &span.a).is_some() && position(network, &span.z).is_some()
}

/// Where a site is drawn.
fn position(network: &NetworkView, id: &SiteId) -> Option<(i32, i32)> {
    network.map.iter().find(|(site, _, _)| site == id).map(|(_, x, y)| (*x, *y))
}

fn site_name(network: &NetworkView, id: &SiteId) -> String {
    network.sites.iter().find(|site| &site.id == id).map_or_else(|| id.to_string(), |site| site.name.clone())
}

fn spans(network: &NetworkView, load: &[(SpanId, u64)], focus: MapFocus) -> impl IntoView {
    network
        .spans
        .iter()
        .filter(|span| drawn(network, span))
        .enumerate()
        .filter_map(|(index, span)| {
            let ends = (position(network, &span.a)?, position(network, &span.z)?);
            let permille = load.iter().find(|(id, _)| id == &span.id).map(|(_, permille)| *permille);
            let used = permille.map(|p| format!(", {}.{} % used", p / 10, p % 10)).unwrap_or_default();
            let info = format!(
                "{} – {}: {} route-km, {} one way, {} × {}G wavelengths, {} fiber pairs{used}",
                site_name(network, &span.a),
                site_name(network, &span.z),
                group_thousands(u64::from(span.route_km)),
                format_millis(span.latency_micros()),
                span.wavelengths,
                span.wavelength_gbps,
                span.fiber_pairs
            );
            let load_class = match permille {
                None => "span",
                Some(p) if p >= 800 => "span load-high",
                Some(p) if p >= 500 => "span load-mid",
                Some(_) => "span load-low",
            };
            let km = format!("{} km", group_thousands(u64::from(span.route_km)));
            Some(view! { <SpanLine id=span.id.clone() index ends info km load_class focus /> })
        })
        .collect_view()
}

#[component]
fn SpanLine(
    id: SpanId,
    /// Its number among the map's elements (spans first).
    index: usize,
    ends: ((i32, i32), (i32, i32)),
    info: String,
    km: String,
    load_class: &'static str,
    focus: MapFocus,
) -> impl IntoView {
    let ((x1, y1), (x2, y2)) = ends;
    let class = {
        let id = id.clone();
        move || {
            if focus.highlight.with(|spans| spans.contains(&id)) {
                "span span-path"
            } else if focus.twin.with(|spans| spans.contains(&id)) {
                "span span-twin"
            } else {
                load_class
            }
        }
    };
    let (hovered, focused) = (info.clone(), info.clone());
    view! {
        <g
            class=class
            tabindex=move || focus.stop(index)
            data-map-index=index
            aria-label=info
            on:mouseenter=move |_| focus.details.set(hovered.clone())
            on:focus=move |_| {
                focus.current.set(index);
                focus.details.set(focused.clone());
            }
        >
            <line class="span-hit" x1=x1 y1=y1 x2=x2 y2=y2 />
            <line class="span-line" x1=x1 y1=y1 x2=x2 y2=y2 />
            <text class="span-label" x=(x1 + x2) / 2 y=(y1 + y2) / 2 - 6 text-anchor="middle">
                {km}
            </text>
        </g>
    }
}

fn metros(network: &NetworkView, focus: MapFocus) -> impl IntoView {
    let first = network.spans.iter().filter(|span| drawn(network, span)).count();
    network
        .sites
        .iter()
        .filter(|site| site.kind == SiteKind::Metro)
        .filter_map(|metro| Some((metro, position(network, &metro.id)?)))
        .enumerate()
        .map(|(offset, (metro, (x, y)))| {
            let index = first + offset;
            let count = |kind| network.sites.iter().filter(|site| site.metro == metro.id && site.kind == kind).count();
            let joined = network.spans.iter().filter(|span| span.joins(&metro.id)).count();
            let info = format!(
                "{}: {} data centres, {} cloud on-ramps, {} fiber spans",
                metro.name,
                count(SiteKind::DataCenter),
                count(SiteKind::CloudOnRamp),
                joined
            );
            let (hovered, focused) = (info.clone(), info.clone());
            view! {
                <g
                    class="metro-node"
                    tabindex=move || focus.stop(index)
                    data-map-index=index
                    aria-label=info
                    on:mouseenter=move |_| focus.details.set(hovered.clone())
                    on:focus=move |_| {
                        focus.current.set(index);
                        focus.details.set(focused.clone());
                    }
                >
                    <circle cx=x cy=y r="9" />
                    <text x=x y=y + 26 text-anchor="middle" class="metro-label">
                        {metro.name.clone()}
                    </text>
                </g>
            }
        })
        .collect_view()
}

/// Moves keyboard focus to the map element numbered `index`, inside the map the key was pressed in.
fn focus_element(event: &leptos::ev::KeyboardEvent, index: usize) {
    let element = event
        .current_target()
        .and_then(|target| target.dyn_into::<leptos::web_sys::Element>().ok())
        .and_then(|svg| svg.query_selector(&format!("[data-map-index=\"{index}\"]")).ok().flatten())
        .and_then(|element| element.dyn_into::<leptos::web_sys::SvgElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Zoom in, zoom out, reset.
#[component]
fn MapTools(view_box: RwSignal<ViewBox>) -> impl IntoView {
    view! {
        <div class="map-tools" role="toolbar" aria-label="Map controls">
            <button
                type="button"
                class="chip"
                aria-label="Zoom in"
                on:click=move |_| view_box.update(|v| *v = zoomed(*v, 2, 3))
            >
                "+"
            </button>
            <button
                type="button"
                class="chip"
                aria-label="Zoom out"
                on:click=move |_| view_box.update(|v| *v = zoomed(*v, 3, 2))
            >
                "−"
            </button>
            <button type="button" class="chip" on:click=move |_| view_box.set(HOME)>
                "Reset"
            </button>
            <span class="muted map-help">
                "Drag or Shift + arrow keys to pan · arrow keys move between spans and metros · + / − zoom"
            </span>
        </div>
    }
}

/// The drawing, panned by dragging or the arrow keys and zoomed with + and −.
#[component]
fn MapCanvas(
    view_box: RwSignal<ViewBox>,
    /// The element in the tab order, and how many there are.
    current: RwSignal<usize>,
    elements: usize,
    children: Children,
) -> impl IntoView {
    let drag_from = StoredValue::new(None::<(i32, i32)>);
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        let step = view_box.with(|(_, _, w, _)| w / 6);
        let pan = event.shift_key();
        let next = match event.key().as_str() {
            "ArrowLeft" if pan => panned(view_box.get(), -step, 0),
            "ArrowRight" if pan => panned(view_box.get(), step, 0),
            "ArrowUp" if pan => panned(view_box.get(), 0, -step),
            "ArrowDown" if pan => panned(view_box.get(), 0, step),
            "ArrowLeft" | "ArrowUp" | "ArrowRight" | "ArrowDown" | "Home" | "End" if elements > 0 => {
                let at = current.get_untracked();
                let to = match event.key().as_str() {
                    "ArrowLeft" | "ArrowUp" => (at + elements - 1) % elements,
                    "Home" => 0,
                    "End" => elements - 1,
                    _ => (at + 1) % elements,
                };
                event.prevent_default();
                current.set(to);
                focus_element(&event, to);
                return;
            }
            "+" | "=" => zoomed(view_box.get(), 2, 3),
            "-" => zoomed(view_box.get(), 3, 2),
            "0" => HOME,
            _ => return,
        };
        event.prevent_default();
        view_box.set(next);
    };
    let on_drag = move |event: leptos::ev::PointerEvent| {
        let Some((from_x, from_y)) = drag_from.get_value() else { return };
        let width = event
            .current_target()
            .and_then(|target| target.dyn_into::<leptos::web_sys::Element>().ok())
            .map_or(MAP_WIDTH, |svg| svg.client_width().max(1));
        let (x, y) = (event.client_x(), event.client_y());
        view_box.update(|view| {
            let scale = view.2;
            *view = panned(*view, (from_x - x) * scale / width, (from_y - y) * scale / width);
        });
        drag_from.set_value(Some((x, y)));
    };
    view! {
        <svg
            class="map-canvas"
            viewBox=move || view_box.with(|(x, y, w, h)| format!("{x} {y} {w} {h}"))
            role="group"
            aria-label="Map of the Lightpath network: metros and the fiber spans between them. The table of spans below lists the same information."
            aria-roledescription="map"
            on:keydown=on_key
            on:pointerdown=move |event| drag_from.set_value(Some((event.client_x(), event.client_y())))
            on:pointermove=on_drag
            on:pointerup=move |_| drag_from.set_value(None)
            on:pointerleave=move |_| drag_from.set_value(None)
        >
            {children()}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_keeps_the_centre_and_stays_within_limits() {
        let home = HOME;
        let (x, y, w, h) = zoomed(home, 2, 3);
        assert_eq!(w, 666);
        assert_eq!((x + w / 2, y + h / 2), (MAP_WIDTH / 2, MAP_HEIGHT / 2));
        assert_eq!(zoomed(home, 3, 2).2, MAP_WIDTH, "never wider than the whole map");
        let mut view = home;
        for _ in 0..10 {
            view = zoomed(view, 2, 3);
        }
        assert_eq!(view.2, MAP_WIDTH / 5, "never closer than a fifth");
        assert_eq!(panned(home, 10, -5), (10, -5, MAP_WIDTH, MAP_HEIGHT));
    }
}
