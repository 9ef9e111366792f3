//! Routing on the carrier network: shortest paths by latency, k alternatives, and link-diverse
//! pairs for redundant services, skipping spans without enough free capacity.
//!
//! Pure and shared: the browser routes while the buyer designs, the server re-routes before it
//! reserves anything. Graph storage and search use `petgraph` (A* with an admissible
//! great-circle heuristic); the diverse pair is Suurballe's algorithm on top of it.

use crate::network::{Coordinates, Site, SiteId, SiteKind, Span, SpanId, FIBER_NANOS_PER_KM};
use petgraph::algo::{astar, dijkstra};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex, UnGraph};
use petgraph::visit::{EdgeFiltered, EdgeRef};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// Delay added by the equipment at every site a path passes through (transponders, ROADMs).
pub const EQUIPMENT_DELAY_NANOS: u64 = 20_000;

/// Reserved capacity per span in Mbps; spans not listed have nothing reserved.
pub type Reservations = HashMap<SpanId, u64>;

#[derive(Debug, Clone)]
struct Link {
    /// None for the access run between a data centre (or on-ramp, or edge) and its metro hub.
    span: Option<SpanId>,
    km: u32,
    capacity_mbps: u64,
}

impl Link {
    fn cost(&self) -> u64 {
        u64::from(self.km) * FIBER_NANOS_PER_KM + EQUIPMENT_DELAY_NANOS
    }

    fn free_mbps(&self, reserved: &Reservations) -> u64 {
        match &self.span {
            Some(span) => self.capacity_mbps.saturating_sub(reserved.get(span).copied().unwrap_or(0)),
            None => self.capacity_mbps,
        }
    }
}

#[derive(Debug, Clone)]
struct Node {
    id: SiteId,
    name: String,
    location: Coordinates,
    /// The metro hub this site hangs off; a metro is its own hub.
    metro: SiteId,
}

/// A route through the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Path {
    pub sites: Vec<SiteId>,
    /// The long-haul spans used (access runs are not spans and are not listed).
    pub spans: Vec<SpanId>,
    pub route_km: u32,
    /// One-way latency: fiber at 4.9 µs/km plus equipment at every hop.
    pub latency_micros: u64,
}

/// The network as a graph, built once from sites and spans.
#[derive(Debug, Clone)]
pub struct Topology {
    graph: UnGraph<Node, Link>,
    index: HashMap<SiteId, NodeIndex>,
}

/// Why a route cannot be found, in words a buyer can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum RoutingError {
    #[error("There is no site “{0}” on the network. Pick a metro, data centre or cloud on-ramp from the list.")]
    UnknownSite(String),
    #[error("Both ends are {0}. A connection needs two different sites.")]
    SameSite(String),
    #[error("{}", no_path_message(.from, .to, *.rate_mbps, *.available_mbps))]
    NoCapacity { from: String, to: String, rate_mbps: u64, available_mbps: u64 },
    #[error("There is no pair of paths from {from} to {to} without a shared span at {}. Choose a single path, or a lower rate.", rate_label(*.rate_mbps))]
    NoDiversePair { from: String, to: String, rate_mbps: u64 },
}

fn rate_label(mbps: u64) -> String {
    if mbps >= 1_000 && mbps.is_multiple_of(1_000) {
        format!("{}G", mbps / 1_000)
    } else {
        format!("{mbps}M")
    }
}

fn no_path_message(from: &str, to: &str, rate_mbps: u64, available_mbps: u64) -> String {
    let wanted = rate_label(rate_mbps);
    if available_mbps == 0 {
        format!("No path from {from} to {to} has capacity free right now. Try another site, or ask us to add capacity.")
    } else {
        let available = rate_label(available_mbps);
        format!("No path from {from} to {to} has {wanted} free; {available} is available. Choose {available} or less, or another site.")
    }
}

impl Topology {
    /// Builds the graph: every span joins two metros; every other site hangs off its metro by
    /// its access run. Sites naming an unknown metro and spans naming unknown sites are errors.
    pub fn new(sites: &[Site], spans: &[Span]) -> Result<Topology, RoutingError> {
        let mut graph = UnGraph::with_capacity(sites.len(), spans.len() + sites.len());
        let mut index = HashMap::with_capacity(sites.len());
        for site in sites {
            let node = graph.add_node(Node {
                id: site.id.clone(),
                name: site.name.clone(),
                location: site.location,
                metro: site.metro.clone(),
            });
            index.insert(site.id.clone(), node);
        }
        let node_of = |id: &SiteId| index.get(id).copied().ok_or_else(|| RoutingError::UnknownSite(id.to_string()));
        let mut links = Vec::new();
        for site in sites.iter().filter(|site| site.kind != SiteKind::Metro) {
            let access = Link { span: None, km: site.access_km.max(1), capacity_mbps: u64::MAX };
            links.push((node_of(&site.id)?, node_of(&site.metro)?, access));
        }
        for span in spans {
            let capacity_mbps = span.capacity_gbps() * 1_000;
            links.push((
                node_of(&span.a)?,
                node_of(&span.z)?,
                Link { span: Some(span.id.clone()), km: span.route_km, capacity_mbps },
            ));
        }
        for (a, z, link) in links {
            graph.add_edge(a, z, link);
        }
        Ok(Topology { graph, index })
    }

    pub fn site_count(&self) -> usize {
        self.graph.node_count()
    }

    fn node(&self, id: &SiteId) -> Result<NodeIndex, RoutingError> {
        self.index.get(id).copied().ok_or_else(|| RoutingError::UnknownSite(id.to_string()))
    }

    fn name(&self, node: NodeIndex) -> String {
        self.graph[node].name.clone()
    }

    fn ends(&self, from: &SiteId, to: &SiteId) -> Result<(NodeIndex, NodeIndex), RoutingError> {
        let (a, b) = (self.node(from)?, self.node(to)?);
        if a == b {
            return Err(RoutingError::SameSite(self.name(a)));
        }
        Ok((a, b))
    }

    /// A lower bound of the remaining cost: great-circle fiber time to the target (route
    /// distances are never shorter than the great circle), so A* stays exact.
    fn heuristic(&self, target: NodeIndex) -> impl Fn(NodeIndex) -> u64 + '_ {
        let goal = self.graph[target].location;
        move |node| (self.graph[node].location.great_circle_km(goal) * 0.999 * FIBER_NANOS_PER_KM as f64) as u64
    }

    /// The lowest-latency path with at least `rate_mbps` free on every span.
    pub fn shortest_path(
        &self,
        from: &SiteId,
        to: &SiteId,
        rate_mbps: u64,
        reserved: &Reservations,
    ) -> Result<Path, RoutingError> {
        let (a, b) = self.ends(from, to)?;
        self.search(a, b, rate_mbps, reserved, &HashSet::new(), &HashSet::new())
            .map(|(nodes, edges)| self.path(&nodes, &edges))
            .ok_or_else(|| self.no_capacity(a, b, rate_mbps, reserved))
    }

    /// Up to `k` loop-free paths in order of latency (Yen's algorithm); the first is the
    /// shortest. Empty when there is none.
    pub fn alternatives(
        &self,
        from: &SiteId,
        to: &SiteId,
        rate_mbps: u64,
        reserved: &Reservations,
        k: usize,
    ) -> Result<Vec<Path>, RoutingError> {
        let (a, b) = self.ends(from, to)?;
        let Some(first) = self.search(a, b, rate_mbps, reserved, &HashSet::new(), &HashSet::new()) else {
            return Err(self.no_capacity(a, b, rate_mbps, reserved));
        };
        let mut found: Vec<(Vec<NodeIndex>, Vec<EdgeIndex>)> = vec![first];
        let mut candidates: Vec<(u64, Vec<NodeIndex>, Vec<EdgeIndex>)> = Vec::new();
        while found.len() < k {
            let (previous_nodes, previous_edges) = found.last().cloned().unwrap_or_default();
            for spur in 0..previous_nodes.len().saturating_sub(1) {
                let root_nodes = &previous_nodes[..=spur];
                let root_edges = &previous_edges[..spur];
                let banned_edges: HashSet<EdgeIndex> = found
                    .iter()
                    .filter(|(nodes, _)| nodes.starts_with(root_nodes))
                    .map(|(_, edges)| edges[spur])
                    .collect();
                let banned_nodes: HashSet<NodeIndex> = root_nodes[..spur].iter().copied().collect();
                if let Some((spur_nodes, spur_edges)) =
                    self.search(previous_nodes[spur], b, rate_mbps, reserved, &banned_edges, &banned_nodes)
                {
                    let nodes: Vec<NodeIndex> =
                        root_nodes.iter().copied().chain(spur_nodes.into_iter().skip(1)).collect();
                    let edges: Vec<EdgeIndex> = root_edges.iter().copied().chain(spur_edges).collect();
                    let known =
                        found.iter().any(|(_, e)| *e == edges) || candidates.iter().any(|(_, _, e)| *e == edges);
                    if !known {
                        candidates.push((self.cost(&edges), nodes, edges));
                    }
                }
            }
            let Some(best) = candidates.iter().enumerate().min_by_key(|(_, (cost, _, _))| *cost).map(|(i, _)| i) else {
                break;
            };
            let (_, nodes, edges) = candidates.swap_remove(best);
            found.push((nodes, edges));
        }
        Ok(found.iter().map(|(nodes, edges)| self.path(nodes, edges)).collect())
    }

    /// Two paths with no span in common and the lowest total latency (Suurballe's algorithm),
    /// the faster first. Access runs may be shared: a site has one way in.
    pub fn diverse_pair(
        &self,
        from: &SiteId,
        to: &SiteId,
        rate_mbps: u64,
        reserved: &Reservations,
    ) -> Result<(Path, Path), RoutingError> {
        let (start, end) = self.ends(from, to)?;
        let no_pair = || RoutingError::NoDiversePair { from: self.name(start), to: self.name(end), rate_mbps };
        // A site reaches the backbone over its one access run, which both paths share; the
        // pair must be diverse from metro hub to metro hub.
        let (a, b) = (self.hub(start), self.hub(end));
        if a == b {
            return Err(no_pair());
        }
        let fits = |edge: EdgeIndex| self.graph[edge].free_mbps(reserved) >= rate_mbps;
        let usable =
            EdgeFiltered::from_fn(&self.graph, |edge: petgraph::graph::EdgeReference<'_, Link>| fits(edge.id()));
        let Some((_, first_nodes)) = astar(&usable, a, |n| n == b, |e| e.weight().cost(), self.heuristic(b)) else {
            return Err(self.no_capacity(a, b, rate_mbps, reserved));
        };
        let first_edges = self.edges_along(&first_nodes, rate_mbps, reserved, &HashSet::new());
        let distance = dijkstra(&usable, a, None, |e| e.weight().cost());
        // Residual graph: reduced costs (never negative), the first path's arcs reversed at 0.
        let mut residual: DiGraph<(), (EdgeIndex, bool)> =
            DiGraph::with_capacity(self.graph.node_count(), self.graph.edge_count() * 2);
        for _ in 0..self.graph.node_count() {
            residual.add_node(());
        }
        let mut residual_cost: HashMap<petgraph::graph::EdgeIndex, u64> = HashMap::new();
        let on_first: HashMap<EdgeIndex, (NodeIndex, NodeIndex)> =
            first_edges.iter().zip(first_nodes.windows(2)).map(|(edge, pair)| (*edge, (pair[0], pair[1]))).collect();
        for edge in self.graph.edge_references().filter(|edge| fits(edge.id())) {
            let (u, v) = (edge.source(), edge.target());
            let (Some(du), Some(dv)) = (distance.get(&u), distance.get(&v)) else { continue };
            if let Some((from_node, to_node)) = on_first.get(&edge.id()) {
                let arc = residual.add_edge(*to_node, *from_node, (edge.id(), true));
                residual_cost.insert(arc, 0);
            } else {
                let cost = edge.weight().cost();
                let forward = residual.add_edge(u, v, (edge.id(), false));
                residual_cost.insert(forward, cost + du - dv);
                let backward = residual.add_edge(v, u, (edge.id(), false));
                residual_cost.insert(backward, cost + dv - du);
            }
        }
        let (_, second_nodes) =
            astar(&residual, a, |n| n == b, |e| residual_cost[&e.id()], |_| 0).ok_or_else(no_pair)?;
        // Union of both paths, cancelling spans the second path walks back along the first.
        let mut chosen: HashSet<EdgeIndex> = first_edges.iter().copied().collect();
        for pair in second_nodes.windows(2) {
            let arc = residual
                .edges_connecting(pair[0], pair[1])
                .min_by_key(|arc| residual_cost[&arc.id()])
                .expect("A* walked an existing arc");
            let (edge, reversed) = *arc.weight();
            if reversed {
                chosen.remove(&edge);
            } else {
                chosen.insert(edge);
            }
        }
        let mut first = self.walk(a, b, &mut chosen).ok_or_else(no_pair)?;
        let mut second = self.walk(a, b, &mut chosen).ok_or_else(no_pair)?;
        for (nodes, edges) in [&mut first, &mut second] {
            self.extend_to(start, end, nodes, edges);
        }
        let (first, second) = (self.path(&first.0, &first.1), self.path(&second.0, &second.1));
        // A shared access run is fine; a shared span would defeat the redundancy.
        if first.spans.iter().any(|span| second.spans.contains(span)) {
            return Err(no_pair());
        }
        Ok(if first.latency_micros <= second.latency_micros { (first, second) } else { (second, first) })
    }

    /// The metro hub a site hangs off (a metro is its own hub).
    fn hub(&self, node: NodeIndex) -> NodeIndex {
        self.index.get(&self.graph[node].metro).copied().unwrap_or(node)
    }

    /// Adds the access runs from `start` to its hub and from the far hub to `end`.
    fn extend_to(&self, start: NodeIndex, end: NodeIndex, nodes: &mut Vec<NodeIndex>, edges: &mut Vec<EdgeIndex>) {
        if nodes.first() != Some(&start) {
            if let Some(access) = self.graph.find_edge(start, nodes[0]) {
                nodes.insert(0, start);
                edges.insert(0, access);
            }
        }
        if nodes.last() != Some(&end) {
            if let Some(access) = self.graph.find_edge(nodes[nodes.len() - 1], end) {
                nodes.push(end);
                edges.push(access);
            }
        }
    }

    /// Follows unused edges of `chosen` from `a` to `b`, consuming them.
    fn walk(
        &self,
        a: NodeIndex,
        b: NodeIndex,
        chosen: &mut HashSet<EdgeIndex>,
    ) -> Option<(Vec<NodeIndex>, Vec<EdgeIndex>)> {
        let mut nodes = vec![a];
        let mut edges = Vec::new();
        let mut at = a;
        while at != b {
            let edge = self.graph.edges(at).map(|e| e.id()).filter(|id| chosen.contains(id)).min()?;
            chosen.remove(&edge);
            let (x, y) = self.graph.edge_endpoints(edge)?;
            at = if x == at { y } else { x };
            nodes.push(at);
            edges.push(edge);
        }
        Some((nodes, edges))
    }

    fn search(
        &self,
        a: NodeIndex,
        b: NodeIndex,
        rate_mbps: u64,
        reserved: &Reservations,
        banned_edges: &HashSet<EdgeIndex>,
        banned_nodes: &HashSet<NodeIndex>,
    ) -> Option<(Vec<NodeIndex>, Vec<EdgeIndex>)> {
        let usable = EdgeFiltered::from_fn(&self.graph, |edge: petgraph::graph::EdgeReference<'_, Link>| {
            !banned_edges.contains(&edge.id())
                && !banned_nodes.contains(&edge.source())
                && !banned_nodes.contains(&edge.target())
                && edge.weight().free_mbps(reserved) >= rate_mbps
        });
        let (_, nodes) = astar(&usable, a, |n| n == b, |e| e.weight().cost(), self.heuristic(b))?;
        let edges = self.edges_along(&nodes, rate_mbps, reserved, banned_edges);
        Some((nodes, edges))
    }

    /// The cheapest usable edge between each pair of consecutive nodes.
    fn edges_along(
        &self,
        nodes: &[NodeIndex],
        rate_mbps: u64,
        reserved: &Reservations,
        banned: &HashSet<EdgeIndex>,
    ) -> Vec<EdgeIndex> {
        nodes
            .windows(2)
            .filter_map(|pair| {
                self.graph
                    .edges_connecting(pair[0], pair[1])
                    .filter(|e| !banned.contains(&e.id()) && e.weight().free_mbps(reserved) >= rate_mbps)
                    .min_by_key(|e| e.weight().cost())
                    .map(|e| e.id())
            })
            .collect()
    }

    fn cost(&self, edges: &[EdgeIndex]) -> u64 {
        edges.iter().map(|edge| self.graph[*edge].cost()).sum()
    }

    fn path(&self, nodes: &[NodeIndex], edges: &[EdgeIndex]) -> Path {
        Path {
            sites: nodes.iter().map(|node| self.graph[*node].id.clone()).collect(),
            spans: edges.iter().filter_map(|edge| self.graph[*edge].span.clone()).collect(),
            route_km: edges.iter().map(|edge| self.graph[*edge].km).sum(),
            latency_micros: (self.cost(edges) + 500) / 1_000,
        }
    }

    /// The error for "no path at this rate", with the widest rate that would fit.
    fn no_capacity(&self, a: NodeIndex, b: NodeIndex, rate_mbps: u64, reserved: &Reservations) -> RoutingError {
        RoutingError::NoCapacity {
            from: self.name(a),
            to: self.name(b),
            rate_mbps,
            available_mbps: self.widest(a, b, reserved),
        }
    }

    /// The largest rate some path from `a` to `b` could carry (maximum bottleneck), by trying
    /// the distinct free capacities from the largest down.
    fn widest(&self, a: NodeIndex, b: NodeIndex, reserved: &Reservations) -> u64 {
        let levels: BTreeMap<u64, ()> = self.graph.edge_weights().map(|link| (link.free_mbps(reserved), ())).collect();
        levels
            .keys()
            .rev()
            .copied()
            .filter(|level| *level > 0)
            .find(|level| self.search(a, b, *level, reserved, &HashSet::new(), &HashSet::new()).is_some())
            .unwrap_or(0)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sites: Vec<&str> = self.sites.iter().map(SiteId::as_str).collect();
        write!(f, "{} ({} km, {} µs)", sites.join(" → "), self.route_km, self.latency_micros)
    }
}

/// A generated network for benchmarks and property tests: `metros` hubs scattered over the
/// continental US, each joined to its nearest neighbours, with `per_metro` data centres each.
/// Deterministic for a given seed.
pub fn synthetic_network(metros: usize, per_metro: usize, seed: u64) -> (Vec<Site>, Vec<Span>) {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut sites = Vec::with_capacity(metros * (per_metro + 1));
    for m in 0..metros {
        let location = Coordinates::new(25.0 + next() * 23.0, -124.0 + next() * 57.0).expect("inside the US box");
        let id = SiteId::parse(&format!("m{m}")).expect("valid id");
        sites.push(Site {
            id: id.clone(),
            kind: SiteKind::Metro,
            name: format!("Metro {m}"),
            metro: id.clone(),
            location,
            operator: None,
            access_km: 0,
        });
        for d in 0..per_metro {
            let near = Coordinates::new(location.lat() + (next() - 0.5) * 0.2, location.lon() + (next() - 0.5) * 0.2)
                .expect("near the hub");
            sites.push(Site {
                id: SiteId::parse(&format!("m{m}-dc-{d}")).expect("valid id"),
                kind: SiteKind::DataCenter,
                name: format!("Metro {m} DC {d}"),
                metro: id.clone(),
                location: near,
                operator: None,
                access_km: (location.great_circle_km(near) * 1.4) as u32 + 2,
            });
        }
    }
    let hubs: Vec<&Site> = sites.iter().filter(|site| site.kind == SiteKind::Metro).collect();
    let mut pairs = HashSet::new();
    // Each hub joins its nearest earlier hub (so the network is connected), then its 3 nearest.
    for (i, hub) in hubs.iter().enumerate().skip(1) {
        let earlier = (0..i).min_by(|x, y| {
            hub.location.great_circle_km(hubs[*x].location).total_cmp(&hub.location.great_circle_km(hubs[*y].location))
        });
        if let Some(j) = earlier {
            pairs.insert((j, i));
        }
    }
    for (i, hub) in hubs.iter().enumerate() {
        let mut nearest: Vec<(f64, usize)> = hubs
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(j, other)| (hub.location.great_circle_km(other.location), j))
            .collect();
        nearest.sort_by(|x, y| x.0.total_cmp(&y.0));
        for (_, j) in nearest.into_iter().take(3) {
            pairs.insert((i.min(j), i.max(j)));
        }
    }
    let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
    pairs.sort_unstable();
    let spans = pairs
        .into_iter()
        .map(|(i, j)| {
            let km = hubs[i].location.great_circle_km(hubs[j].location) * (1.2 + next() * 0.1);
            Span {
                id: SiteId::parse(&format!("m{i}-m{j}")).expect("valid id"),
                a: hubs[i].id.clone(),
                z: hubs[j].id.clone(),
                route_km: (km as u32).max(1),
                wavelengths: 96,
                wavelength_gbps: 400,
                fiber_pairs: 24,
            }
        })
        .collect();
    (sites, spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(text: &str) -> SiteId {
        SiteId::parse(text).unwrap()
    }

    /// A ring A–B–C–D–A plus a long chord A–C, each metro with one data centre.
    fn ring() -> Topology {
        let metro = |name: &str, lat: f64, lon: f64| Site {
            id: id(name),
            kind: SiteKind::Metro,
            name: name.to_uppercase(),
            metro: id(name),
            location: Coordinates::new(lat, lon).unwrap(),
            operator: None,
            access_km: 0,
        };
        let mut sites = vec![
            metro("aa", 40.0, -100.0),
            metro("bb", 40.0, -95.0),
            metro("cc", 35.0, -95.0),
            metro("dd", 35.0, -100.0),
        ];
        sites.push(Site {
            id: id("aa-dc"),
            kind: SiteKind::DataCenter,
            name: "AA DC".into(),
            metro: id("aa"),
            location: Coordinates::new(40.01, -100.01).unwrap(),
            operator: None,
            access_km: 5,
        });
        let span = |a: &str, z: &str, km: u32, waves: u32| Span {
            id: id(&format!("{a}-{z}")),
            a: id(a),
            z: id(z),
            route_km: km,
            wavelengths: waves,
            wavelength_gbps: 100,
            fiber_pairs: 4,
        };
        let spans = vec![
            span("aa", "bb", 540, 4),
            span("bb", "cc", 700, 4),
            span("cc", "dd", 560, 4),
            span("dd", "aa", 700, 4),
            span("aa", "cc", 900, 1),
        ];
        Topology::new(&sites, &spans).unwrap()
    }

    #[test]
    fn shortest_path_minimises_latency_and_counts_equipment() {
        let topology = ring();
        let path = topology.shortest_path(&id("aa-dc"), &id("cc"), 10_000, &Reservations::new()).unwrap();
        assert_eq!(path.sites, vec![id("aa-dc"), id("aa"), id("cc")]);
        assert_eq!(path.spans, vec![id("aa-cc")]);
        assert_eq!(path.route_km, 905);
        // 905 km × 4.9 µs + 2 hops × 20 µs.
        assert_eq!(path.latency_micros, 4_435 + 40);
    }

    #[test]
    fn full_spans_are_skipped_and_the_error_says_what_fits() {
        let topology = ring();
        // The chord carries 100G; ask for 200G and it routes round the ring.
        let path = topology.shortest_path(&id("aa"), &id("cc"), 200_000, &Reservations::new()).unwrap();
        assert_eq!(path.spans.len(), 2);
        let mut reserved = Reservations::new();
        for span in ["aa-bb", "dd-aa"] {
            reserved.insert(id(span), 300_000);
        }
        let error = topology.shortest_path(&id("aa"), &id("cc"), 200_000, &reserved).unwrap_err();
        assert_eq!(
            error.to_string(),
            "No path from AA to CC has 200G free; 100G is available. Choose 100G or less, or another site."
        );
    }

    #[test]
    fn a_diverse_pair_shares_no_span() {
        let topology = ring();
        let (first, second) = topology.diverse_pair(&id("aa-dc"), &id("cc"), 100_000, &Reservations::new()).unwrap();
        assert_eq!(first.sites.first(), Some(&id("aa-dc")), "both paths start at the data centre");
        assert_eq!(second.sites.first(), Some(&id("aa-dc")));
        assert_eq!(first.spans, vec![id("aa-cc")]);
        assert!(second.spans.len() == 2);
        assert!(first.spans.iter().all(|span| !second.spans.contains(span)));
    }

    #[test]
    fn alternatives_come_in_latency_order_without_repeats() {
        let topology = ring();
        let paths = topology.alternatives(&id("aa"), &id("cc"), 1_000, &Reservations::new(), 5).unwrap();
        assert_eq!(paths.len(), 3, "{paths:?}");
        assert!(paths.windows(2).all(|pair| pair[0].latency_micros <= pair[1].latency_micros));
        let mut distinct: Vec<&Vec<SpanId>> = paths.iter().map(|p| &p.spans).collect();
        distinct.dedup();
        assert_eq!(distinct.len(), 3);
    }

    #[test]
    fn bad_requests_are_typed_errors() {
        let topology = ring();
        let none = Reservations::new();
        assert_eq!(topology.shortest_path(&id("aa"), &id("aa"), 1, &none), Err(RoutingError::SameSite("AA".into())));
        assert!(matches!(topology.shortest_path(&id("zz"), &id("aa"), 1, &none), Err(RoutingError::UnknownSite(_))));
        // With aa–bb full, 200G reaches cc only via dd: no second path without a shared span.
        let mut reserved = Reservations::new();
        reserved.insert(id("aa-bb"), 400_000);
        let error = topology.diverse_pair(&id("aa"), &id("cc"), 200_000, &reserved).unwrap_err();
        assert!(matches!(error, RoutingError::NoDiversePair { .. }), "{error}");
        assert!(error.to_string().contains("without a shared span at 200G"), "{error}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn routes_on_generated_networks_are_sound(seed in 0u64..10_000, from in 0usize..40, to in 0usize..40, rate_g in 1u64..400) {
            prop_assume!(from != to);
            let (sites, spans) = synthetic_network(40, 1, seed);
            let topology = Topology::new(&sites, &spans).unwrap();
            let (from, to) = (id(&format!("m{from}")), id(&format!("m{to}")));
            let reserved = Reservations::new();
            let rate = rate_g * 1_000;
            let shortest = topology.shortest_path(&from, &to, rate, &reserved).unwrap();
            prop_assert_eq!(shortest.sites.first(), Some(&from));
            prop_assert_eq!(shortest.sites.last(), Some(&to));
            // Latency is never below the speed of light over the great circle.
            let a = sites.iter().find(|s| s.id == from).unwrap().location;
            let b = sites.iter().find(|s| s.id == to).unwrap().location;
            prop_assert!(shortest.latency_micros as f64 >= a.great_circle_km(b) * 4.9 - 1.0);
            if let Ok((first, second)) = topology.diverse_pair(&from, &to, rate, &reserved) {
                prop_assert!(first.spans.iter().all(|span| !second.spans.contains(span)));
                prop_assert!(first.latency_micros >= shortest.latency_micros);
                prop_assert_eq!(second.sites.last(), Some(&to));
            }
            for path in topology.alternatives(&from, &to, rate, &reserved, 3).unwrap() {
                prop_assert!(path.latency_micros >= shortest.latency_micros);
            }
        }

        #[test]
        fn never_routes_over_a_span_without_room(seed in 0u64..10_000, full in proptest::collection::vec(0usize..60, 0..20)) {
            let (sites, spans) = synthetic_network(30, 0, seed);
            let topology = Topology::new(&sites, &spans).unwrap();
            let mut reserved = Reservations::new();
            for index in full {
                if let Some(span) = spans.get(index) {
                    reserved.insert(span.id.clone(), span.capacity_gbps() * 1_000);
                }
            }
            if let Ok(path) = topology.shortest_path(&id("m0"), &id("m1"), 100_000, &reserved) {
                prop_assert!(path.spans.iter().all(|span| !reserved.contains_key(span)));
            }
        }
    }
}
