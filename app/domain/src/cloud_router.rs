//! A cloud router's routing: what it learns from the clouds over its attachments, through each
//! attachment's prefix filter. The simulated clouds announce their regions' address blocks
//! ([`announced_prefixes`]); a filter is an ordered list of permit and deny lines, each matching
//! a prefix and, with `ge`/`le`, the more specific ones whose length is in range — the first
//! line that matches decides, and a route no line matches is denied (an empty list permits
//! everything). Pure: the store and the pages only show what this computes.

use crate::cloud::{announced_prefixes, Asn, Cloud, ConnectionState, FieldProblem, OnRamp};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// The catalog's cloud router product.
pub const PRODUCT: &str = "cloud-router";

/// The router's ASN when the buyer leaves it empty: a private one, as the clouds expect.
pub const DEFAULT_ASN: u32 = 65_000;

/// The most cloud connections one router joins: bounded work for its route table.
pub const MAX_ATTACHMENTS: usize = 16;

/// A cloud router's form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RouterForm {
    /// The router's AS number: 1–4294967294 except reserved numbers; empty: 65000.
    #[cfg_attr(feature = "openapi", schema(example = "65000", max_length = 16))]
    pub asn: String,
}

/// A cloud router's details, parsed: its AS number (the customer side of every BGP session
/// its attachments have with the clouds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudRouter {
    pub asn: Asn,
}

impl CloudRouter {
    pub fn parse(form: &RouterForm) -> Result<CloudRouter, FieldProblem> {
        if form.asn.trim().is_empty() {
            return Ok(CloudRouter { asn: Asn::new(DEFAULT_ASN).expect("65000 is a private ASN") });
        }
        Ok(CloudRouter { asn: Asn::parse("asn", &form.asn)? })
    }
}

/// An IPv4 prefix, its address masked to its length: `52.14.0.0/16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Prefix {
    network: u32,
    length: u8,
}

impl Prefix {
    /// The prefix of `address/length`; None past /32.
    pub fn new(address: Ipv4Addr, length: u8) -> Option<Prefix> {
        (length <= 32).then(|| Prefix { network: u32::from(address) & mask(length), length })
    }

    /// From `a.b.c.d/len`; the host bits must be zero, as routers expect.
    pub fn parse(text: &str) -> Option<Prefix> {
        let (address, length) = text.trim().split_once('/')?;
        let (address, length): (Ipv4Addr, u8) = (address.parse().ok()?, length.parse().ok()?);
        let prefix = Prefix::new(address, length)?;
        (prefix.network == u32::from(address)).then_some(prefix)
    }

    pub fn length(self) -> u8 {
        self.length
    }

    /// Whether `other` lies inside this prefix (itself included).
    pub fn covers(self, other: Prefix) -> bool {
        other.length >= self.length && other.network & mask(self.length) == self.network
    }
}

impl std::fmt::Display for Prefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.network), self.length)
    }
}

fn mask(length: u8) -> u32 {
    if length == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(length))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FilterAction {
    Permit,
    Deny,
}

/// One line of a prefix filter: `permit 52.0.0.0/8 ge 16 le 24`. Without `ge` or `le` it
/// matches the prefix exactly; with them, any prefix inside it whose length is in range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterLine {
    pub action: FilterAction,
    pub prefix: Prefix,
    pub ge: Option<u8>,
    pub le: Option<u8>,
}

/// The most lines one filter holds: enough for any region's announcements, bounded work.
pub const MAX_FILTER_LINES: usize = 100;

impl std::fmt::Display for FilterLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let action = match self.action {
            FilterAction::Permit => "permit",
            FilterAction::Deny => "deny",
        };
        write!(f, "{action} {}", self.prefix)?;
        if let Some(ge) = self.ge {
            write!(f, " ge {ge}")?;
        }
        if let Some(le) = self.le {
            write!(f, " le {le}")?;
        }
        Ok(())
    }
}

impl FilterLine {
    /// From one line as a person writes it; the problem says what is expected.
    pub fn parse(text: &str) -> Result<FilterLine, String> {
        let expected = || {
            format!(
                "“{}” is not a filter line: write permit or deny, a prefix, and optionally ge and le lengths, like \
                 permit 52.0.0.0/8 ge 16 le 24.",
                text.trim().escape_debug()
            )
        };
        let mut words = text.split_whitespace();
        let action = match words.next() {
            Some("permit") => FilterAction::Permit,
            Some("deny") => FilterAction::Deny,
            _ => return Err(expected()),
        };
        let prefix = words.next().and_then(Prefix::parse).ok_or_else(expected)?;
        let (mut ge, mut le) = (None, None);
        while let Some(word) = words.next() {
            let length = words.next().and_then(|length| length.parse::<u8>().ok()).filter(|length| *length <= 32);
            match (word, length) {
                ("ge", Some(length)) if ge.is_none() => ge = Some(length),
                ("le", Some(length)) if le.is_none() => le = Some(length),
                _ => return Err(expected()),
            }
        }
        // As routers require: length < ge ≤ le ≤ 32.
        let low = ge.unwrap_or(prefix.length);
        if ge.is_some_and(|ge| ge <= prefix.length) || le.is_some_and(|le| le < low || le <= prefix.length) {
            return Err(format!(
                "In “{}”, ge must be longer than the prefix's /{} and le at least ge.",
                text.trim().escape_debug(),
                prefix.length
            ));
        }
        Ok(FilterLine { action, prefix, ge, le })
    }

    /// Whether this line matches `route`.
    pub fn matches(&self, route: Prefix) -> bool {
        if !self.prefix.covers(route) {
            return false;
        }
        match (self.ge, self.le) {
            (None, None) => route.length == self.prefix.length,
            (ge, le) => route.length >= ge.unwrap_or(self.prefix.length) && route.length <= le.unwrap_or(32),
        }
    }
}

/// An attachment's inbound filter: ordered lines, the first match decides, no match denies;
/// no lines at all permit everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefixFilter(Vec<FilterLine>);

impl PrefixFilter {
    /// One line per line of `text` (blank lines skipped); every bad line is named.
    pub fn parse(text: &str) -> Result<PrefixFilter, Vec<String>> {
        let (mut lines, mut problems) = (Vec::new(), Vec::new());
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            match FilterLine::parse(line) {
                Ok(parsed) => lines.push(parsed),
                Err(problem) => problems.push(problem),
            }
        }
        if lines.len() > MAX_FILTER_LINES {
            problems.push(format!("A filter holds at most {MAX_FILTER_LINES} lines."));
        }
        if problems.is_empty() {
            Ok(PrefixFilter(lines))
        } else {
            Err(problems)
        }
    }

    pub fn lines(&self) -> &[FilterLine] {
        &self.0
    }

    /// The filter as stored and shown: one line each, as routers write them.
    pub fn to_text(&self) -> String {
        self.0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    }

    pub fn admits(&self, route: Prefix) -> bool {
        if self.0.is_empty() {
            return true;
        }
        self.0.iter().find(|line| line.matches(route)).is_some_and(|line| line.action == FilterAction::Permit)
    }
}

/// One attachment of a cloud router as routing sees it: its name, the on-ramp it reaches,
/// whether its BGP session is up, and its inbound filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub on_ramp: OnRamp,
    pub established: bool,
    pub filter: PrefixFilter,
}

/// A route the router learned: the prefix and the attachment it came over.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LearnedRoute {
    pub prefix: String,
    pub via: String,
}

/// The router's table: every prefix the clouds announce over an established attachment that
/// its filter admits, sorted by prefix.
pub fn route_table(attachments: &[Attachment]) -> Vec<LearnedRoute> {
    let mut routes: Vec<LearnedRoute> = attachments
        .iter()
        .filter(|attachment| attachment.established)
        .flat_map(|attachment| {
            announced_prefixes(&attachment.on_ramp)
                .into_iter()
                .filter_map(|text| Prefix::parse(&text))
                .filter(|prefix| attachment.filter.admits(*prefix))
                .map(|prefix| LearnedRoute { prefix: prefix.to_string(), via: attachment.name.clone() })
                .collect::<Vec<_>>()
        })
        .collect();
    routes.sort();
    routes
}

/// A cloud connection a router joins, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachedConnection {
    pub service_id: String,
    pub on_ramp: OnRamp,
    pub state: ConnectionState,
    pub filter: PrefixFilter,
}

impl AttachedConnection {
    /// How the route table names it: the cloud, its region and the service it is.
    pub fn name(&self) -> String {
        let short: String = self.service_id.chars().take(8).collect();
        format!("{} {} ({short})", self.on_ramp.cloud.label(), self.on_ramp.region)
    }
}

/// One attachment as the router's page and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentView {
    /// The cloud connection's service id.
    pub service_id: String,
    /// As the route table names it.
    pub name: String,
    pub cloud: Cloud,
    pub region: String,
    pub state: ConnectionState,
    /// Whether its BGP session is up, so its routes are learned.
    pub established: bool,
    /// Its inbound prefix filter, one line each; empty: everything the cloud announces.
    pub filter: Vec<String>,
    /// The prefixes learned over it, after the filter.
    pub routes: Vec<String>,
}

/// A cloud router as its service page and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloudRouterView {
    pub asn: u32,
    /// The site it runs in.
    pub site: String,
    /// The most it forwards, in Mbps.
    pub rate_limit_mbps: u64,
    pub attachments: Vec<AttachmentView>,
    /// Every route it learned, sorted by prefix.
    pub routes: Vec<LearnedRoute>,
}

impl CloudRouterView {
    pub fn new(router: CloudRouter, site: String, rate_limit_mbps: u64, attached: &[AttachedConnection]) -> Self {
        let attachments: Vec<Attachment> = attached
            .iter()
            .map(|connection| Attachment {
                name: connection.name(),
                on_ramp: connection.on_ramp.clone(),
                established: connection.state == ConnectionState::Active,
                filter: connection.filter.clone(),
            })
            .collect();
        let routes = route_table(&attachments);
        let attachments = attached
            .iter()
            .zip(&attachments)
            .map(|(connection, attachment)| AttachmentView {
                service_id: connection.service_id.clone(),
                name: attachment.name.clone(),
                cloud: connection.on_ramp.cloud,
                region: connection.on_ramp.region.clone(),
                state: connection.state,
                established: attachment.established,
                filter: connection.filter.lines().iter().map(ToString::to_string).collect(),
                routes: routes
                    .iter()
                    .filter(|route| route.via == attachment.name)
                    .map(|route| route.prefix.clone())
                    .collect(),
            })
            .collect();
        CloudRouterView { asn: router.asn.number(), site, rate_limit_mbps, attachments, routes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::Cloud;
    use proptest::prelude::*;

    fn attachment(name: &str, site: &str, filter: &str) -> Attachment {
        Attachment {
            name: name.into(),
            on_ramp: OnRamp::of_site_id(site).unwrap(),
            established: true,
            filter: PrefixFilter::parse(filter).unwrap(),
        }
    }

    #[test]
    fn a_router_learns_both_clouds_and_a_deny_line_removes_one_prefix() {
        let aws = attachment("AWS us-east-1", "aws-us-east-1", "");
        let google = attachment("Google us-central1", "gcp-us-central1", "");
        let table = route_table(&[aws.clone(), google.clone()]);
        assert_eq!(table.len(), 4);
        assert_eq!(table.iter().filter(|route| route.via == "AWS us-east-1").count(), 2);
        let denied = announced_prefixes(&aws.on_ramp)[0].clone();
        let filtered = attachment("AWS us-east-1", "aws-us-east-1", &format!("deny {denied}\npermit 0.0.0.0/0 le 32"));
        let table = route_table(&[filtered, google]);
        assert_eq!(table.len(), 3);
        assert!(!table.iter().any(|route| route.prefix == denied));
        assert_eq!(aws.on_ramp.cloud, Cloud::Aws);
    }

    #[test]
    fn a_router_view_shows_each_attachment_with_its_own_routes_and_filter() {
        let connection = |id: &str, site: &str, state, filter: &str| AttachedConnection {
            service_id: id.into(),
            on_ramp: OnRamp::of_site_id(site).unwrap(),
            state,
            filter: PrefixFilter::parse(filter).unwrap(),
        };
        let aws = connection("aaaaaaaa-1", "aws-us-east-1", ConnectionState::Active, "");
        let denied = announced_prefixes(&aws.on_ramp)[1].clone();
        let google = connection("bbbbbbbb-2", "gcp-us-central1", ConnectionState::Active, "");
        let waiting = connection("cccccccc-3", "aws-us-west-2", ConnectionState::AwaitingAcceptance, "");
        let router = CloudRouter::parse(&RouterForm::default()).unwrap();
        let view = CloudRouterView::new(router, "ash".into(), 1_000, &[aws.clone(), google.clone(), waiting]);
        assert_eq!(view.asn, DEFAULT_ASN);
        assert_eq!(view.routes.len(), 4);
        assert_eq!(view.attachments[0].routes.len(), 2);
        assert!(view.attachments[2].routes.is_empty() && !view.attachments[2].established);
        let filtered = connection(
            "aaaaaaaa-1",
            "aws-us-east-1",
            ConnectionState::Active,
            &format!("deny {denied}\npermit 0.0.0.0/0 le 32"),
        );
        let view = CloudRouterView::new(router, "ash".into(), 1_000, &[filtered, google]);
        assert_eq!(view.attachments[0].routes.len(), 1);
        assert_eq!(view.attachments[0].filter, vec![format!("deny {denied}"), "permit 0.0.0.0/0 le 32".to_owned()]);
        assert!(CloudRouter::parse(&RouterForm { asn: "64500".into() }).is_err(), "documentation ASN");
        assert_eq!(CloudRouter::parse(&RouterForm { asn: "AS4200000001".into() }).unwrap().asn.number(), 4_200_000_001);
    }

    #[test]
    fn a_filter_reads_back_as_it_was_written() {
        let text = "deny 52.94.0.0/16\npermit 0.0.0.0/0 ge 8 le 24";
        assert_eq!(PrefixFilter::parse(text).unwrap().to_text(), text);
    }

    #[test]
    fn a_session_that_is_not_up_brings_no_routes() {
        let mut down = attachment("AWS", "aws-us-east-1", "");
        down.established = false;
        assert!(route_table(&[down]).is_empty());
    }

    #[test]
    fn filter_lines_read_as_routers_write_them_and_bad_ones_say_why() {
        let line = FilterLine::parse("permit 52.0.0.0/8 ge 16 le 24").unwrap();
        assert!(line.matches(Prefix::parse("52.14.0.0/16").unwrap()));
        assert!(!line.matches(Prefix::parse("52.0.0.0/8").unwrap()), "shorter than ge");
        assert!(!line.matches(Prefix::parse("52.14.1.0/25").unwrap()), "longer than le");
        assert!(!line.matches(Prefix::parse("34.0.0.0/16").unwrap()), "outside");
        for bad in [
            "allow 52.0.0.0/8",
            "permit 52.0.0.1/8",
            "permit 52.0.0.0/8 ge 4",
            "permit 52.0.0.0/8 ge 20 le 18",
            "deny 1.2.3.0/24 le 40",
            "permit",
        ] {
            assert!(FilterLine::parse(bad).is_err(), "{bad}");
        }
        let problems = PrefixFilter::parse("permit 10.0.0.0/8\nnonsense\ndeny 2.0.0.0/8 ge 99").unwrap_err();
        assert_eq!(problems.len(), 2);
        assert!(PrefixFilter::parse("").unwrap().admits(Prefix::parse("1.0.0.0/8").unwrap()), "empty permits all");
        assert!(
            !PrefixFilter::parse("permit 10.0.0.0/8").unwrap().admits(Prefix::parse("11.0.0.0/8").unwrap()),
            "no match denies"
        );
    }

    proptest! {
        #[test]
        fn a_line_matches_exactly_the_prefixes_inside_it_within_its_lengths(
            network in any::<u32>(), length in 0u8..=24, extra in 0u8..=8, route_bits in any::<u32>(), route_length in 0u8..=32,
        ) {
            let prefix = Prefix::new(Ipv4Addr::from(network), length).unwrap();
            let ge = length + extra.max(1);
            let le = (ge + extra).min(32);
            let line = FilterLine::parse(&format!("permit {prefix} ge {ge} le {le}")).unwrap();
            let route = Prefix::new(Ipv4Addr::from(route_bits), route_length).unwrap();
            let inside = route_length >= length && route.network & mask(length) == network & mask(length);
            prop_assert_eq!(line.matches(route), inside && route_length >= ge && route_length <= le);
        }

        #[test]
        fn a_filter_never_adds_routes(deny_first in any::<bool>()) {
            let sites = ["aws-us-east-1", "gcp-us-east4", "azure-west-us"];
            let open: Vec<Attachment> = sites.iter().map(|site| attachment(site, site, "")).collect();
            let all = route_table(&open);
            let filter = if deny_first { "deny 52.0.0.0/8 ge 9 le 32\npermit 0.0.0.0/0 le 32" } else { "permit 34.0.0.0/8 ge 9 le 32" };
            let filtered: Vec<Attachment> = sites.iter().map(|site| attachment(site, site, filter)).collect();
            let some = route_table(&filtered);
            prop_assert!(some.iter().all(|route| all.contains(route)));
            prop_assert!(some.len() < all.len());
        }
    }
}
