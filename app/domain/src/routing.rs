//! Routing on the carrier network: shortest paths by latency, k alternatives, and link-diverse
//! pairs for redundant services, skipping spans without enough free capacity.
//!
//! Pure and shared: the browser routes while the buyer designs, the server re-routes before it
//! reserves anything. Graph storage is `petgraph`'s; the search is A* with an admissible chord heuristic
//! and vector-indexed scores, and the diverse pair is Suurballe's algorithm on top of it.

use crate::catalog::{Bandwidth, Product};
use crate::network::{Coordinates, Site, SiteId, SiteKind, Span, SpanId, FIBER_NANOS_PER_KM};
use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet};
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The edge of each span, to apply reservations without scanning the graph.
    span_edges: HashMap<SpanId, EdgeIndex>,
    /// Each site as a point on the unit sphere, for the A* heuristic.
    points: Vec<[f64; 3]>,
}

/// Free Mbps per edge for one search, indexed by `EdgeIndex`.
type Free = [u64];

/// A path found by [`Topology::a_star`], with the distances it settled.
struct Found {
    nodes: Vec<NodeIndex>,
    edges: Vec<EdgeIndex>,
    distance: Vec<u64>,
    settled: Vec<bool>,
}

/// Why a route cannot be found, in words a buyer can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum RoutingError {
    #[error("There is no site “{0}” on the network. Pick a metro, data centre or cloud on-ramp from the list.")]
    UnknownSite(String),
    #[error("Both ends are {0}. A connection needs two different sites.")]
    SameSite(String),
    #[error("{}", no_path_message(.from, .to, *.rate_mbps, *.available_mbps, .full_span.as_deref()))]
    NoCapacity {
        from: String,
        to: String,
        rate_mbps: u64,
        available_mbps: u64,
        /// The first span of the shortest path that lacks the capacity, as `id (A – B, N free)`.
        full_span: Option<String>,
    },
    #[error("There is no pair of paths from {from} to {to} without a shared span at {}. Choose a single path, or a lower rate.", rate_label(*.rate_mbps))]
    NoDiversePair { from: String, to: String, rate_mbps: u64 },
    #[error("No connection is sold at “{rate}”. Choose one of {choices}.")]
    RateNotOffered { rate: String, choices: String },
}

/// A routed connection: the lowest-latency path and, when asked, its link-diverse twin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Route {
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub rate: Bandwidth,
    pub primary: Path,
    pub twin: Option<Path>,
}

/// The rates a point-to-point connection can be bought at: the bandwidth options of the
/// wavelength and programmable-connectivity products.
pub fn offered_rates(products: &[Product]) -> BTreeSet<Bandwidth> {
    products
        .iter()
        .filter(|product| matches!(product.id.as_str(), "wavelengths-400g" | "programmable-connectivity"))
        .flat_map(|product| product.options.iter().filter_map(|option| option.bandwidth))
        .collect()
}

/// Parses a route request as a person or an integrator writes it (site ids, a rate like
/// `100G`) and routes it: one path, or a diverse pair.
pub fn plan_route(
    topology: &Topology,
    offered: &BTreeSet<Bandwidth>,
    request: (&str, &str, &str),
    diverse: bool,
    reserved: &Reservations,
) -> Result<Route, RoutingError> {
    let (from, to, rate) = request;
    let rate = Bandwidth::parse(rate).ok().filter(|bandwidth| offered.contains(bandwidth)).ok_or_else(|| {
        let choices: Vec<String> = offered.iter().map(|bandwidth| bandwidth.code()).collect();
        RoutingError::RateNotOffered { rate: rate.to_owned(), choices: choices.join(", ") }
    })?;
    let site = |id: &str| SiteId::parse(id).map_err(|_| RoutingError::UnknownSite(id.to_owned()));
    let (from, to) = (site(from)?, site(to)?);
    if diverse {
        let (primary, twin) = topology.diverse_pair(&from, &to, rate.mbps(), reserved)?;
        Ok(Route { rate, primary, twin: Some(twin) })
    } else {
        Ok(Route { rate, primary: topology.shortest_path(&from, &to, rate.mbps(), reserved)?, twin: None })
    }
}

fn rate_label(mbps: u64) -> String {
    if mbps >= 1_000 && mbps.is_multiple_of(1_000) {
        format!("{}G", mbps / 1_000)
    } else {
        format!("{mbps}M")
    }
}

fn no_path_message(from: &str, to: &str, rate_mbps: u64, available_mbps: u64, full_span: Option<&str>) -> String {
    let wanted = rate_label(rate_mbps);
    let message = if available_mbps == 0 {
        format!("No path from {from} to {to} has capacity free right now. Try another site, or ask us to add capacity.")
    } else {
        let available = rate_label(available_mbps);
        format!("No path from {from} to {to} has {wanted} free; {available} is available. Choose {available} or less, or another site.")
    };
    match full_span {
        Some(span) => format!("{message} The shortest path is full on span {span}."),
        None => message,
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
            let capacity_mbps = span.capacity_mbps();
            links.push((
                node_of(&span.a)?,
                node_of(&span.z)?,
                Link { span: Some(span.id.clone()), km: span.route_km, capacity_mbps },
            ));
        }
        let mut span_edges = HashMap::with_capacity(spans.len());
        for (a, z, link) in links {
            let span = link.span.clone();
            let edge = graph.add_edge(a, z, link);
            if let Some(span) = span {
                span_edges.insert(span, edge);
            }
        }
        let points = graph
            .node_weights()
            .map(|node| {
                let (lat, lon) = (node.location.lat().to_radians(), node.location.lon().to_radians());
                [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
            })
            .collect();
        Ok(Topology { graph, index, span_edges, points })
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

    /// Free capacity of every edge after `reserved`, computed once per search.
    fn free(&self, reserved: &Reservations) -> Vec<u64> {
        let mut free: Vec<u64> = self.graph.edge_weights().map(|link| link.capacity_mbps).collect();
        for (span, mbps) in reserved {
            if let Some(edge) = self.span_edges.get(span) {
                free[edge.index()] = free[edge.index()].saturating_sub(*mbps);
            }
        }
        free
    }

    /// A lower bound of the remaining cost: fiber time over the straight chord to the target,
    /// which is never longer than the great circle (and route distances never shorter), so
    /// A* stays exact. A chord needs no trigonometry, which keeps the search fast.
    fn heuristic(&self, target: NodeIndex) -> impl Fn(NodeIndex) -> u64 + '_ {
        const EARTH_RADIUS_KM: f64 = 6_371.0;
        let goal = self.points[target.index()];
        move |node| {
            let p = self.points[node.index()];
            let chord = ((p[0] - goal[0]).powi(2) + (p[1] - goal[1]).powi(2) + (p[2] - goal[2]).powi(2)).sqrt();
            (chord * EARTH_RADIUS_KM * 0.999 * FIBER_NANOS_PER_KM as f64) as u64
        }
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
        let free = self.free(reserved);
        self.search(a, b, rate_mbps, &free, &HashSet::new(), &HashSet::new())
            .map(|(nodes, edges)| self.path(&nodes, &edges))
            .ok_or_else(|| self.no_capacity(a, b, rate_mbps, &free))
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
        let free = self.free(reserved);
        let Some(first) = self.search(a, b, rate_mbps, &free, &HashSet::new(), &HashSet::new()) else {
            return Err(self.no_capacity(a, b, rate_mbps, &free));
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
                    self.search(previous_nodes[spur], b, rate_mbps, &free, &banned_edges, &banned_nodes)
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
        let free = self.free(reserved);
        let fits = |edge: EdgeIndex| free[edge.index()] >= rate_mbps;
        // First path by Dijkstra (no heuristic): every node it did not settle is at least as
        // far as the target, so min(distance, target distance) is a valid potential.
        let Some(first) = self.a_star(a, b, |edge, _| fits(edge).then(|| self.graph[edge].cost()), |_| 0) else {
            return Err(self.no_capacity(a, b, rate_mbps, &free));
        };
        let target_distance = first.distance[b.index()];
        let potential =
            |node: NodeIndex| if first.settled[node.index()] { first.distance[node.index()] } else { target_distance };
        // Second search on the residual graph: reduced costs (never negative) on unused edges,
        // and the first path's edges only backwards, at cost 0.
        let first_direction: HashMap<EdgeIndex, NodeIndex> =
            first.edges.iter().zip(first.nodes.iter().skip(1)).map(|(edge, to)| (*edge, *to)).collect();
        let second = self
            .a_star(
                a,
                b,
                |edge, from| {
                    if let Some(first_to) = first_direction.get(&edge) {
                        return (from == *first_to).then_some(0);
                    }
                    let to = self.graph.edge_endpoints(edge).map(|(x, y)| if x == from { y } else { x })?;
                    fits(edge).then(|| self.graph[edge].cost() + potential(from) - potential(to))
                },
                |_| 0,
            )
            .ok_or_else(no_pair)?;
        // Union of both paths as arcs (edge → the node it leads to), cancelling the spans the
        // second path walks back along the first. What is left is two arc-disjoint a→b paths.
        let mut chosen: HashMap<EdgeIndex, NodeIndex> = first_direction;
        for (edge, to) in second.edges.iter().zip(second.nodes.iter().skip(1)) {
            if chosen.remove(edge).is_none() {
                chosen.insert(*edge, *to);
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

    /// Follows the arcs of `chosen` leaving each node, from `a` to `b`, consuming them.
    fn walk(
        &self,
        a: NodeIndex,
        b: NodeIndex,
        chosen: &mut HashMap<EdgeIndex, NodeIndex>,
    ) -> Option<(Vec<NodeIndex>, Vec<EdgeIndex>)> {
        let mut nodes = vec![a];
        let mut edges = Vec::new();
        let mut at = a;
        while at != b {
            let (edge, to) = self
                .graph
                .edges(at)
                .filter_map(|e| chosen.get(&e.id()).filter(|to| **to != at).map(|to| (e.id(), *to)))
                .min()?;
            chosen.remove(&edge);
            at = to;
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
        free: &Free,
        banned_edges: &HashSet<EdgeIndex>,
        banned_nodes: &HashSet<NodeIndex>,
    ) -> Option<(Vec<NodeIndex>, Vec<EdgeIndex>)> {
        let step = |edge: EdgeIndex, _from: NodeIndex| {
            let allowed = free[edge.index()] >= rate_mbps
                && (banned_edges.is_empty() || !banned_edges.contains(&edge))
                && (banned_nodes.is_empty()
                    || self
                        .graph
                        .edge_endpoints(edge)
                        .is_some_and(|(x, y)| !banned_nodes.contains(&x) && !banned_nodes.contains(&y)));
            allowed.then(|| self.graph[edge].cost())
        };
        let found = self.a_star(a, b, step, self.heuristic(b))?;
        Some((found.nodes, found.edges))
    }

    /// A* from `a` to `b` over the graph: `step(edge, from)` gives the cost of crossing
    /// `edge` from node `from`, or None when it may not be used. Scores live in vectors indexed
    /// by node (petgraph's `astar` keeps them in hash maps, 3× slower on 5,000 sites). Returns
    /// the path and the distances settled on the way.
    fn a_star(
        &self,
        a: NodeIndex,
        b: NodeIndex,
        step: impl Fn(EdgeIndex, NodeIndex) -> Option<u64>,
        heuristic: impl Fn(NodeIndex) -> u64,
    ) -> Option<Found> {
        let count = self.graph.node_count();
        let mut distance = vec![u64::MAX; count];
        let mut via: Vec<Option<EdgeIndex>> = vec![None; count];
        let mut done = vec![false; count];
        let mut queue = BinaryHeap::new();
        distance[a.index()] = 0;
        queue.push(Reverse((heuristic(a), a.index())));
        while let Some(Reverse((_, index))) = queue.pop() {
            if done[index] {
                continue;
            }
            done[index] = true;
            let node = NodeIndex::new(index);
            if node == b {
                break;
            }
            for edge in self.graph.edges(node) {
                let Some(cost) = step(edge.id(), node) else { continue };
                let next = if edge.source() == node { edge.target() } else { edge.source() };
                let candidate = distance[index] + cost;
                if candidate < distance[next.index()] {
                    distance[next.index()] = candidate;
                    via[next.index()] = Some(edge.id());
                    queue.push(Reverse((candidate + heuristic(next), next.index())));
                }
            }
        }
        if !done[b.index()] {
            return None;
        }
        let (mut nodes, mut edges) = (vec![b], Vec::new());
        let mut at = b;
        while let Some(edge) = via[at.index()] {
            let (x, y) = self.graph.edge_endpoints(edge)?;
            at = if x == at { y } else { x };
            edges.push(edge);
            nodes.push(at);
        }
        nodes.reverse();
        edges.reverse();
        Some(Found { nodes, edges, distance, settled: done })
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
    fn no_capacity(&self, a: NodeIndex, b: NodeIndex, rate_mbps: u64, free: &Free) -> RoutingError {
        RoutingError::NoCapacity {
            from: self.name(a),
            to: self.name(b),
            rate_mbps,
            available_mbps: self.widest(a, b, free),
            full_span: self.full_span(a, b, rate_mbps, free),
        }
    }

    /// The first span without `rate_mbps` free on the path the service would take on an
    /// empty network: the span to name when a request is refused.
    fn full_span(&self, a: NodeIndex, b: NodeIndex, rate_mbps: u64, free: &Free) -> Option<String> {
        let unlimited = vec![u64::MAX; free.len()];
        let (_, edges) = self.search(a, b, 0, &unlimited, &HashSet::new(), &HashSet::new())?;
        edges.iter().find(|edge| free[edge.index()] < rate_mbps).and_then(|edge| {
            let span = self.graph[*edge].span.as_ref()?;
            let (x, y) = self.graph.edge_endpoints(*edge)?;
            let left = match free[edge.index()] {
                0 => "nothing".to_owned(),
                mbps => rate_label(mbps),
            };
            Some(format!("{span} ({} – {}, {left} free)", self.name(x), self.name(y)))
        })
    }

    /// The largest rate some path from `a` to `b` could carry (maximum bottleneck), by trying
    /// the distinct free capacities from the largest down.
    fn widest(&self, a: NodeIndex, b: NodeIndex, free: &Free) -> u64 {
        let levels: BTreeMap<u64, ()> = free.iter().map(|mbps| (*mbps, ())).collect();
        levels
            .keys()
            .rev()
            .copied()
            .filter(|level| *level > 0)
            .find(|level| self.search(a, b, *level, free, &HashSet::new(), &HashSet::new()).is_some())
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
            "No path from AA to CC has 200G free; 100G is available. Choose 100G or less, or another site. \
             The shortest path is full on span aa-cc (AA – CC, 100G free)."
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

    #[test]
    fn plan_route_parses_requests_and_refuses_rates_not_sold() {
        let topology = ring();
        let offered: BTreeSet<Bandwidth> = ["1G", "100G"].iter().map(|code| Bandwidth::parse(code).unwrap()).collect();
        let none = Reservations::new();
        let route = plan_route(&topology, &offered, ("aa", "cc", "100G"), true, &none).unwrap();
        assert_eq!(route.rate.to_string(), "100 Gbps");
        assert!(route.twin.is_some());
        let error = plan_route(&topology, &offered, ("aa", "cc", "7G"), false, &none).unwrap_err();
        assert_eq!(error.to_string(), "No connection is sold at “7G”. Choose one of 1G, 100G.");
        let error = plan_route(&topology, &offered, ("aa", "Nowhere!", "1G"), false, &none).unwrap_err();
        assert!(matches!(error, RoutingError::UnknownSite(_)));
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
            // Latency grows with distance: 4.9 µs per route-km plus the equipment at each hop.
            let hops = shortest.sites.len() as u64 - 1;
            let expected = (u64::from(shortest.route_km) * FIBER_NANOS_PER_KM + hops * EQUIPMENT_DELAY_NANOS + 500) / 1_000;
            prop_assert_eq!(shortest.latency_micros, expected);
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
        fn the_diverse_pair_beats_remove_and_retry(seed in 0u64..10_000, from in 0usize..30, to in 0usize..30) {
            prop_assume!(from != to);
            let (sites, spans) = synthetic_network(30, 0, seed);
            let topology = Topology::new(&sites, &spans).unwrap();
            let (from, to) = (id(&format!("m{from}")), id(&format!("m{to}")));
            // The naive way: take the shortest path, fill its spans, route again.
            let first = topology.shortest_path(&from, &to, 1_000, &Reservations::new()).unwrap();
            let full: Reservations = first.spans.iter().map(|span| (span.clone(), u64::MAX)).collect();
            if let Ok(second) = topology.shortest_path(&from, &to, 1_000, &full) {
                let (a, b) = topology.diverse_pair(&from, &to, 1_000, &Reservations::new()).expect("Suurballe finds a pair too");
                prop_assert!(a.latency_micros + b.latency_micros <= first.latency_micros + second.latency_micros + 1);
            }
        }

        #[test]
        fn never_routes_over_a_span_without_room(seed in 0u64..10_000, full in proptest::collection::vec(0usize..60, 0..20)) {
            let (sites, spans) = synthetic_network(30, 0, seed);
            let topology = Topology::new(&sites, &spans).unwrap();
            let mut reserved = Reservations::new();
            for index in full {
                if let Some(span) = spans.get(index) {
                    reserved.insert(span.id.clone(), span.capacity_mbps());
                }
            }
            if let Ok(path) = topology.shortest_path(&id("m0"), &id("m1"), 100_000, &reserved) {
                prop_assert!(path.spans.iter().all(|span| !reserved.contains_key(span)));
            }
        }
    }
}
