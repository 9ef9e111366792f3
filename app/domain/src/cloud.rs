//! Cloud connections: a Lightpath circuit that ends in a cloud provider's network, and what
//! each cloud needs before it accepts one. AWS takes a hosted connection into the buyer's
//! account (by its 12-digit id) with a BGP session; Azure ExpressRoute takes the service key of
//! a circuit the buyer created in Azure, on its primary or secondary port; Google Partner
//! Interconnect takes the pairing key of an attachment the buyer created in Google Cloud.
//!
//! Every value is parsed here, from the text a person typed, into a type that cannot hold a
//! bad one; a problem names its field and says what is expected.

use crate::network::{Site, SiteKind};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// The clouds Lightpath connects to, named by the on-ramp's site id (`aws-us-east-1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Cloud {
    Aws,
    Azure,
    Google,
}

impl Cloud {
    pub fn label(self) -> &'static str {
        match self {
            Cloud::Aws => "AWS",
            Cloud::Azure => "Microsoft Azure",
            Cloud::Google => "Google Cloud",
        }
    }

    fn site_prefix(self) -> &'static str {
        match self {
            Cloud::Aws => "aws-",
            Cloud::Azure => "azure-",
            Cloud::Google => "gcp-",
        }
    }
}

/// A cloud on-ramp Lightpath can connect to: its cloud and the cloud's own name for the
/// region (`us-east-1`, `east-us`, `us-east4`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnRamp {
    pub cloud: Cloud,
    pub region: String,
}

impl OnRamp {
    /// The on-ramp a site is, if it is one of a cloud Lightpath connects to. Oracle's on-ramps
    /// are on the map but take no cloud connection yet.
    pub fn of(site: &Site) -> Option<OnRamp> {
        if site.kind != SiteKind::CloudOnRamp {
            return None;
        }
        OnRamp::of_site_id(site.id.as_str())
    }

    /// The on-ramp's site id (`aws-us-east-1`).
    pub fn site_id(&self) -> String {
        format!("{}{}", self.cloud.site_prefix(), self.region)
    }

    /// The cloud and region an on-ramp's site id names (`azure-east-us`), whatever the site.
    pub fn of_site_id(id: &str) -> Option<OnRamp> {
        [Cloud::Aws, Cloud::Azure, Cloud::Google].into_iter().find_map(|cloud| {
            let region = id.strip_prefix(cloud.site_prefix())?;
            Some(OnRamp { cloud, region: region.to_owned() })
        })
    }
}

/// A field's problem, as a form shows it: the field's name and what is expected there.
pub type FieldProblem = (&'static str, String);

fn problem(field: &'static str, message: impl Into<String>) -> FieldProblem {
    (field, message.into())
}

/// The value, or `None` with its problem added to `problems`.
fn keep<T>(problems: &mut Vec<FieldProblem>, result: Result<T, FieldProblem>) -> Option<T> {
    result.map_err(|p| problems.push(p)).ok()
}

/// An 802.1Q VLAN id on the port the connection leaves Lightpath by: 1–4094. `Auto` asks
/// Lightpath to pick a free one when the order is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VlanChoice {
    Auto,
    Chosen(Vlan),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct Vlan(u16);

impl Vlan {
    pub const FIRST: u16 = 1;
    pub const LAST: u16 = 4094;

    pub fn new(id: u16) -> Option<Vlan> {
        (Self::FIRST..=Self::LAST).contains(&id).then_some(Vlan(id))
    }

    pub fn id(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for Vlan {
    type Error = String;

    fn try_from(id: u16) -> Result<Vlan, String> {
        Vlan::new(id).ok_or_else(|| format!("VLAN {id} is outside 1–4094"))
    }
}

impl From<Vlan> for u16 {
    fn from(vlan: Vlan) -> u16 {
        vlan.0
    }
}

impl VlanChoice {
    /// "" or "0" is "pick one for me"; otherwise a VLAN id 1–4094.
    pub fn parse(text: &str) -> Result<VlanChoice, FieldProblem> {
        let text = text.trim();
        if text.is_empty() || text == "0" {
            return Ok(VlanChoice::Auto);
        }
        text.parse::<u16>()
            .ok()
            .and_then(Vlan::new)
            .map(VlanChoice::Chosen)
            .ok_or_else(|| problem("vlan", "Enter a VLAN id from 1 to 4094, or 0 to let Lightpath pick a free one."))
    }

    /// The lowest VLAN not in `used`, when the choice is `Auto`; the chosen one otherwise,
    /// unless it is taken. `None`: every VLAN of the interface is in use, or the chosen one is.
    pub fn allocate(self, used: &std::collections::BTreeSet<Vlan>) -> Option<Vlan> {
        match self {
            VlanChoice::Chosen(vlan) => (!used.contains(&vlan)).then_some(vlan),
            VlanChoice::Auto => (Vlan::FIRST..=Vlan::LAST).map(Vlan).find(|vlan| !used.contains(vlan)),
        }
    }
}

/// A BGP autonomous system number a customer may use: 1–4294967294 except the numbers kept
/// for special purposes (AS_TRANS 23456, documentation 64496–64511 and 65536–65551, 65535).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Asn(u32);

impl Asn {
    /// The reserved ranges, inclusive (RFC 6793, 5398, 7300).
    const RESERVED: [(u32, u32); 4] = [(23_456, 23_456), (64_496, 64_511), (65_535, 65_535), (65_536, 65_551)];

    pub fn new(number: u32) -> Option<Asn> {
        let reserved = Self::RESERVED.iter().any(|&(low, high)| (low..=high).contains(&number));
        (number != 0 && number != u32::MAX && !reserved).then_some(Asn(number))
    }

    pub fn parse(field: &'static str, text: &str) -> Result<Asn, FieldProblem> {
        let text = text.trim();
        let text = text.strip_prefix("AS").or_else(|| text.strip_prefix("as")).unwrap_or(text);
        text.parse::<u32>().ok().and_then(Asn::new).ok_or_else(|| {
            problem(
                field,
                "Enter an AS number from 1 to 4294967294 (not 23456, 64496–64511, 65535 or 65536–65551, which are reserved).",
            )
        })
    }

    pub fn number(self) -> u32 {
        self.0
    }

    /// A private ASN (64512–65534 or 4200000000–4294967294): what AWS and Azure expect on
    /// their side of a private peering.
    pub fn is_private(self) -> bool {
        (64_512..=65_534).contains(&self.0) || (4_200_000_000..=4_294_967_294).contains(&self.0)
    }
}

/// A BGP MD5 authentication key: 6–80 printable characters without spaces, as AWS accepts
/// them. Shown masked once set.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BgpKey(String);

impl std::fmt::Debug for BgpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BgpKey(••••)")
    }
}

impl BgpKey {
    const ALPHABET: &'static [u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /// `None` when the field was left empty: Lightpath generates a key then.
    pub fn parse(text: &str) -> Result<Option<BgpKey>, FieldProblem> {
        if text.is_empty() {
            return Ok(None);
        }
        let printable = text.chars().all(|c| c.is_ascii_graphic());
        if (6..=80).contains(&text.len()) && printable {
            Ok(Some(BgpKey(text.to_owned())))
        } else {
            Err(problem(
                "bgp_key",
                "A BGP key is 6 to 80 letters, digits or symbols without spaces; leave it empty and Lightpath makes one.",
            ))
        }
    }

    /// A 24-character key from 24 random bytes (the caller's source of randomness; the
    /// domain has none).
    pub fn generate(random: [u8; 24]) -> BgpKey {
        let alphabet = Self::ALPHABET;
        BgpKey(random.iter().map(|b| alphabet[usize::from(*b) % alphabet.len()] as char).collect())
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// What a page shows: the first two characters and dots for the rest.
    pub fn masked(&self) -> String {
        format!("{}{}", &self.0[..2], "•".repeat(self.0.len() - 2))
    }
}

/// The two ends of a point-to-point BGP link: the customer's router address and the cloud's,
/// both inside one /30 or /31 (in a /30 neither may be the network or broadcast address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerAddresses {
    pub customer: Ipv4Addr,
    pub cloud: Ipv4Addr,
    pub prefix: u8,
}

impl PeerAddresses {
    /// From "192.0.2.1/30" and "192.0.2.2/30" (the prefix length may be given on one side).
    pub fn parse(customer: &str, cloud: &str) -> Result<PeerAddresses, FieldProblem> {
        let expected = "Enter both peer addresses in one /30 or /31, like 169.254.10.1/30 and 169.254.10.2/30.";
        let split = |text: &str| -> Option<(Ipv4Addr, Option<u8>)> {
            let text = text.trim();
            match text.split_once('/') {
                Some((address, length)) => Some((address.parse().ok()?, Some(length.parse().ok()?))),
                None => Some((text.parse().ok()?, None)),
            }
        };
        let (Some((customer, a)), Some((cloud, b))) = (split(customer), split(cloud)) else {
            return Err(problem("peer_addresses", expected));
        };
        let prefix = match (a, b) {
            (Some(a), Some(b)) if a == b => a,
            (Some(length), None) | (None, Some(length)) => length,
            _ => return Err(problem("peer_addresses", expected)),
        };
        PeerAddresses::new(customer, cloud, prefix).ok_or_else(|| problem("peer_addresses", expected))
    }

    pub fn new(customer: Ipv4Addr, cloud: Ipv4Addr, prefix: u8) -> Option<PeerAddresses> {
        if !(prefix == 30 || prefix == 31) || customer == cloud {
            return None;
        }
        let mask = u32::MAX << (32 - prefix);
        let (c, p) = (u32::from(customer), u32::from(cloud));
        let same_subnet = c & mask == p & mask;
        // In a /30 the first address names the subnet and the last is its broadcast.
        let usable = |address: u32| prefix == 31 || !matches!(address & !mask, 0 | 3);
        (same_subnet && usable(c) && usable(p)).then_some(PeerAddresses { customer, cloud, prefix })
    }

    /// The subnet both ends are in, e.g. `169.254.10.0/30`.
    pub fn subnet(&self) -> String {
        let mask = u32::MAX << (32 - self.prefix);
        format!("{}/{}", Ipv4Addr::from(u32::from(self.customer) & mask), self.prefix)
    }
}

/// The kind of AWS Direct Connect virtual interface the connection carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VirtualInterface {
    /// To one VPC through a virtual private gateway, or a Direct Connect gateway.
    Private,
    /// To transit gateways through a Direct Connect gateway.
    Transit,
    /// To AWS public services (S3, DynamoDB) by public addresses.
    Public,
}

impl VirtualInterface {
    pub const ALL: [VirtualInterface; 3] =
        [VirtualInterface::Private, VirtualInterface::Transit, VirtualInterface::Public];

    pub fn slug(self) -> &'static str {
        match self {
            VirtualInterface::Private => "private",
            VirtualInterface::Transit => "transit",
            VirtualInterface::Public => "public",
        }
    }

    pub fn parse(text: &str) -> Result<VirtualInterface, FieldProblem> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.slug() == text.trim())
            .ok_or_else(|| problem("virtual_interface", "Choose a private, transit or public virtual interface."))
    }
}

/// The MTU of an AWS virtual interface: 1500, or 9001 (jumbo frames, private and transit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mtu(u16);

impl Mtu {
    pub fn parse(text: &str, interface: VirtualInterface) -> Result<Mtu, FieldProblem> {
        match (text.trim(), interface) {
            ("" | "1500", _) => Ok(Mtu(1500)),
            ("9001", VirtualInterface::Private | VirtualInterface::Transit) => Ok(Mtu(9001)),
            ("9001", VirtualInterface::Public) => {
                Err(problem("mtu", "A public virtual interface carries 1500-byte frames; choose 1500."))
            }
            _ => Err(problem("mtu", "Choose an MTU of 1500, or 9001 for jumbo frames.")),
        }
    }

    pub fn bytes(self) -> u16 {
        self.0
    }
}

/// The speeds AWS allows a hosted connection, in Mbps: 50 Mbps to 10 Gbps.
pub const AWS_HOSTED_SPEEDS_MBPS: [u64; 10] = [50, 100, 200, 300, 400, 500, 1_000, 2_000, 5_000, 10_000];

/// An AWS account id: exactly 12 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AwsAccountId(String);

impl AwsAccountId {
    pub fn parse(text: &str) -> Result<AwsAccountId, FieldProblem> {
        let digits: String = text.trim().chars().filter(|c| *c != '-').collect();
        if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(AwsAccountId(digits))
        } else {
            Err(problem("aws_account", "An AWS account id is exactly 12 digits, like 123456789012."))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An Azure ExpressRoute circuit's service key: a GUID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceKey(String);

fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

impl ServiceKey {
    pub fn parse(text: &str) -> Result<ServiceKey, FieldProblem> {
        let text = text.trim().to_ascii_lowercase();
        if is_uuid(&text) {
            Ok(ServiceKey(text))
        } else {
            Err(problem(
                "service_key",
                "Paste the circuit's service key from the Azure portal: 36 characters like 0b2f6a52-…-9d1e3c8a4f70.",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which of an ExpressRoute circuit's two ports the connection lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AzurePort {
    Primary,
    Secondary,
}

impl AzurePort {
    pub fn slug(self) -> &'static str {
        match self {
            AzurePort::Primary => "primary",
            AzurePort::Secondary => "secondary",
        }
    }

    pub fn parse(text: &str) -> Result<AzurePort, FieldProblem> {
        match text.trim() {
            "primary" => Ok(AzurePort::Primary),
            "secondary" => Ok(AzurePort::Secondary),
            _ => Err(problem("azure_port", "Choose the circuit's primary or secondary port.")),
        }
    }
}

/// A Google Partner Interconnect pairing key, `<uuid>/<region>/<1|2>`: the attachment the buyer
/// created, its region, and the edge availability domain it asks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PairingKey {
    pub key: String,
    pub region: String,
    pub domain: u8,
}

impl PairingKey {
    /// The attachment a pairing key names (its UUID, lower case), from the whole key or its
    /// first part alone; `None` when it names none.
    pub fn attachment_of(text: &str) -> Option<String> {
        let key = text.trim().split('/').next()?.to_ascii_lowercase();
        is_uuid(&key).then_some(key)
    }

    /// Parsed against the on-ramp the connection goes to: the key's region must be its region.
    pub fn parse(text: &str, on_ramp: &OnRamp) -> Result<PairingKey, FieldProblem> {
        let field = "pairing_key";
        let text = text.trim();
        let mut parts = text.split('/');
        let (Some(key), Some(region), Some(domain), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(problem(field, "A pairing key reads <key>/<region>/<1 or 2>, as Google Cloud shows it."));
        };
        let key = key.to_ascii_lowercase();
        if !is_uuid(&key) {
            return Err(problem(
                field,
                "The pairing key's first part is 36 characters like 7e51371e-72a3-40b5-b844-2e3efefaee59.",
            ));
        }
        let domain = match domain {
            "1" => 1,
            "2" => 2,
            _ => return Err(problem(field, "The pairing key ends in /1 or /2: its edge availability domain.")),
        };
        // A region is a short lower-case name (`us-east4`); anything else is not echoed back.
        let plausible = !region.is_empty()
            && region.len() <= 32
            && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !plausible {
            return Err(problem(field, "The pairing key's middle part is a Google Cloud region, like us-east4."));
        }
        if region != on_ramp.region {
            return Err(problem(
                field,
                format!(
                    "This pairing key is for {region}, but the connection goes to {}: create the attachment in {} or choose the {region} on-ramp.",
                    on_ramp.region, on_ramp.region
                ),
            ));
        }
        Ok(PairingKey { key, region: region.to_owned(), domain })
    }
}

/// What a connection asks of its cloud, by cloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cloud", rename_all = "kebab-case")]
pub enum CloudSide {
    Aws {
        account: AwsAccountId,
        interface: VirtualInterface,
        customer_asn: Asn,
        amazon_asn: Asn,
        /// `None` until Lightpath generates one for an empty field.
        bgp_key: Option<BgpKey>,
        peers: PeerAddresses,
        mtu: Mtu,
    },
    Azure {
        service_key: ServiceKey,
        port: AzurePort,
        customer_asn: Asn,
        /// `None` until Lightpath generates one for an empty field.
        bgp_key: Option<BgpKey>,
        peers: PeerAddresses,
    },
    Google {
        pairing_key: PairingKey,
    },
}

/// A cloud connection's form as typed: one text per field, whichever cloud it is for (a field
/// another cloud needs is left empty). Every value is checked; a problem names its field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloudForm {
    /// 1–4094 on the on-ramp's port; empty or 0: Lightpath picks a free one.
    #[cfg_attr(feature = "openapi", schema(example = "0", max_length = 8))]
    pub vlan: String,
    /// AWS: the account the hosted connection is offered to, exactly 12 digits.
    #[cfg_attr(feature = "openapi", schema(example = "123456789012", max_length = 20))]
    pub aws_account: String,
    /// AWS: `private`, `transit` or `public`.
    #[cfg_attr(feature = "openapi", schema(example = "private", max_length = 16))]
    pub virtual_interface: String,
    /// AWS and Azure: your side's AS number, 1–4294967294 except reserved numbers.
    #[cfg_attr(feature = "openapi", schema(example = "65001", max_length = 16))]
    pub customer_asn: String,
    /// AWS: Amazon's side, a private ASN or 7224; empty: 64512.
    #[cfg_attr(feature = "openapi", schema(example = "", max_length = 16))]
    pub amazon_asn: String,
    /// AWS and Azure: the BGP MD5 key, 6–80 characters without spaces; empty: Lightpath makes one.
    #[cfg_attr(feature = "openapi", schema(example = "", max_length = 80))]
    pub bgp_key: String,
    /// AWS and Azure: your router's address in a /30 or /31.
    #[cfg_attr(feature = "openapi", schema(example = "169.254.10.1/30", max_length = 24))]
    pub customer_address: String,
    /// AWS and Azure: the cloud's address in the same /30 or /31.
    #[cfg_attr(feature = "openapi", schema(example = "169.254.10.2/30", max_length = 24))]
    pub cloud_address: String,
    /// AWS: 1500, or 9001 (jumbo frames, private and transit interfaces).
    #[cfg_attr(feature = "openapi", schema(example = "1500", max_length = 8))]
    pub mtu: String,
    /// Azure: the ExpressRoute circuit's service key.
    #[cfg_attr(feature = "openapi", schema(example = "", max_length = 64))]
    pub service_key: String,
    /// Azure: `primary` or `secondary`.
    #[cfg_attr(feature = "openapi", schema(example = "", max_length = 16))]
    pub azure_port: String,
    /// Google: the attachment's pairing key, `<key>/<region>/<1|2>`.
    #[cfg_attr(feature = "openapi", schema(example = "", max_length = 128))]
    pub pairing_key: String,
    /// The service id of your cloud router to attach the connection to (the connection then
    /// starts at the router's site, and its customer ASN is the router's); empty: your own
    /// equipment at the near end.
    #[cfg_attr(feature = "openapi", schema(example = "", max_length = 64))]
    pub router: String,
}

/// A cloud connection's details, parsed: what Lightpath and the cloud need to join them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudConnection {
    pub on_ramp: OnRamp,
    pub mbps: u64,
    pub vlan: VlanChoice,
    pub side: CloudSide,
}

impl CloudConnection {
    /// Every field checked at once: all problems come back together, each with its field.
    pub fn parse(on_ramp: OnRamp, mbps: u64, form: &CloudForm) -> Result<CloudConnection, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let vlan = keep(&mut problems, VlanChoice::parse(&form.vlan));
        let side = match on_ramp.cloud {
            Cloud::Aws => {
                let speed = if AWS_HOSTED_SPEEDS_MBPS.contains(&mbps) {
                    Ok(())
                } else {
                    Err(problem(
                        "bandwidth",
                        "AWS hosted connections run at 50 Mbps to 10 Gbps: choose one of those speeds.",
                    ))
                };
                let speed = keep(&mut problems, speed);
                let account = keep(&mut problems, AwsAccountId::parse(&form.aws_account));
                let interface = keep(&mut problems, VirtualInterface::parse(&form.virtual_interface));
                let customer_asn = keep(&mut problems, Asn::parse("customer_asn", &form.customer_asn));
                let amazon_asn = if form.amazon_asn.trim().is_empty() {
                    Some(Asn(64_512))
                } else {
                    keep(
                        &mut problems,
                        Asn::parse("amazon_asn", &form.amazon_asn).and_then(|asn| {
                            if asn.is_private() || asn.number() == 7_224 {
                                Ok(asn)
                            } else {
                                Err(problem(
                                    "amazon_asn",
                                    "Amazon's side takes a private ASN (64512–65534, 4200000000–4294967294) or 7224.",
                                ))
                            }
                        }),
                    )
                };
                let bgp_key = keep(&mut problems, BgpKey::parse(&form.bgp_key));
                let peers = keep(&mut problems, PeerAddresses::parse(&form.customer_address, &form.cloud_address));
                let mtu = interface.and_then(|interface| keep(&mut problems, Mtu::parse(&form.mtu, interface)));
                match (speed, account, interface, customer_asn, amazon_asn, bgp_key, peers, mtu) {
                    (
                        Some(()),
                        Some(account),
                        Some(interface),
                        Some(customer_asn),
                        Some(amazon_asn),
                        Some(bgp_key),
                        Some(peers),
                        Some(mtu),
                    ) => Some(CloudSide::Aws { account, interface, customer_asn, amazon_asn, bgp_key, peers, mtu }),
                    _ => None,
                }
            }
            Cloud::Azure => {
                let service_key = keep(&mut problems, ServiceKey::parse(&form.service_key));
                let port = keep(&mut problems, AzurePort::parse(&form.azure_port));
                let customer_asn = keep(&mut problems, Asn::parse("customer_asn", &form.customer_asn));
                let bgp_key = keep(&mut problems, BgpKey::parse(&form.bgp_key));
                let peers = keep(&mut problems, PeerAddresses::parse(&form.customer_address, &form.cloud_address));
                match (service_key, port, customer_asn, bgp_key, peers) {
                    (Some(service_key), Some(port), Some(customer_asn), Some(bgp_key), Some(peers)) => {
                        Some(CloudSide::Azure { service_key, port, customer_asn, bgp_key, peers })
                    }
                    _ => None,
                }
            }
            Cloud::Google => keep(&mut problems, PairingKey::parse(&form.pairing_key, &on_ramp))
                .map(|pairing_key| CloudSide::Google { pairing_key }),
        };
        match (vlan, side) {
            (Some(vlan), Some(side)) if problems.is_empty() => Ok(CloudConnection { on_ramp, mbps, vlan, side }),
            _ => Err(problems),
        }
    }
}

/// The bandwidths an ExpressRoute circuit is created with in Azure, Mbps.
pub const AZURE_CIRCUIT_SPEEDS_MBPS: [u64; 8] = [50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000];

/// An ExpressRoute circuit as the (simulated) Azure holds it: the service key a buyer gives
/// Lightpath, the peering location it was created at, and its bandwidth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AzureCircuit {
    pub service_key: ServiceKey,
    pub peering_location: String,
    pub mbps: u64,
}

impl AzureCircuit {
    /// A circuit a buyer creates at an Azure on-ramp, at one of the bandwidths Azure offers.
    pub fn create(on_ramp: &OnRamp, mbps: u64, service_key: ServiceKey) -> Result<AzureCircuit, FieldProblem> {
        if on_ramp.cloud != Cloud::Azure {
            return Err(problem("on_ramp", "ExpressRoute circuits are created at an Azure on-ramp (azure-…)."));
        }
        if !AZURE_CIRCUIT_SPEEDS_MBPS.contains(&mbps) {
            return Err(problem(
                "bandwidth",
                "ExpressRoute circuits come at 50, 100, 200 or 500 Mbps, or 1, 2, 5 or 10 Gbps: choose one of those.",
            ));
        }
        Ok(AzureCircuit { service_key, peering_location: on_ramp.region.clone(), mbps })
    }

    /// Whether a connection of `mbps` to `on_ramp` may use this circuit: same peering location,
    /// no more bandwidth than the circuit has.
    pub fn admits(&self, on_ramp: &OnRamp, mbps: u64) -> Result<(), FieldProblem> {
        if on_ramp.cloud != Cloud::Azure || self.peering_location != on_ramp.region {
            return Err(problem(
                "service_key",
                format!(
                    "This circuit peers at {}, but the connection goes to {}: use a circuit created at {} or choose the {} on-ramp.",
                    self.peering_location, on_ramp.region, on_ramp.region, self.peering_location
                ),
            ));
        }
        if mbps > self.mbps {
            return Err(problem(
                "bandwidth",
                format!(
                    "The circuit has {} Mbps; a connection to it may use at most that. Choose {} Mbps or less, or a larger circuit.",
                    self.mbps, self.mbps
                ),
            ));
        }
        Ok(())
    }
}

impl PairingKey {
    /// The key Google Cloud issues for a new Partner Interconnect attachment in `on_ramp`'s
    /// region, in edge availability domain 1 or 2.
    pub fn issue(key: &str, on_ramp: &OnRamp, domain: &str) -> Result<PairingKey, FieldProblem> {
        if on_ramp.cloud != Cloud::Google {
            return Err(problem(
                "on_ramp",
                "Partner Interconnect attachments are created at a Google on-ramp (gcp-…).",
            ));
        }
        if !matches!(domain.trim(), "1" | "2") {
            return Err(problem("domain", "Choose edge availability domain 1 or 2."));
        }
        PairingKey::parse(&format!("{key}/{}/{}", on_ramp.region, domain.trim()), on_ramp)
    }

    /// As Google Cloud shows it: `<key>/<region>/<domain>`.
    pub fn text(&self) -> String {
        format!("{}/{}/{}", self.key, self.region, self.domain)
    }
}

/// The address blocks a cloud announces in a region, as the simulated clouds do: two /16s
/// from the cloud's own range, the same for a region every time, distinct between regions.
pub fn announced_prefixes(on_ramp: &OnRamp) -> [String; 2] {
    let first_octet = match on_ramp.cloud {
        Cloud::Aws => 52,
        Cloud::Azure => 20,
        Cloud::Google => 34,
    };
    // FNV-1a over the region's name: stable across builds and platforms.
    let hash =
        on_ramp.region.bytes().fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193));
    let second = (hash % 127) * 2;
    [format!("{first_octet}.{second}.0.0/16"), format!("{first_octet}.{}.0.0/16", second + 1)]
}

/// A cloud region Lightpath reaches: its on-ramp and the address blocks the cloud announces
/// there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloudRegion {
    /// The on-ramp's site id (`aws-us-east-1`).
    pub on_ramp: String,
    /// The on-ramp's name on the map.
    pub name: String,
    pub cloud: Cloud,
    pub region: String,
    pub prefixes: Vec<String>,
}

impl CloudRegion {
    /// The region of an on-ramp site, if the site is one of a cloud Lightpath connects to.
    pub fn of(site: &Site) -> Option<CloudRegion> {
        let on_ramp = OnRamp::of(site)?;
        Some(CloudRegion {
            on_ramp: site.id.to_string(),
            name: site.name.clone(),
            cloud: on_ramp.cloud,
            prefixes: announced_prefixes(&on_ramp).to_vec(),
            region: on_ramp.region,
        })
    }
}

/// A key in a buyer's simulated cloud console: an ExpressRoute circuit's service key or a
/// Partner Interconnect attachment's pairing key, as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloudKeyRecord {
    /// What to give Lightpath when ordering: the service key, or the whole pairing key.
    #[cfg_attr(feature = "openapi", schema(example = "7e51371e-72a3-40b5-b844-2e3efefaee59/us-east4/1"))]
    pub key: String,
    pub cloud: Cloud,
    /// The on-ramp's site id (`azure-east-us`).
    pub on_ramp: String,
    /// The cloud's name for the region or peering location.
    pub region: String,
    /// An Azure circuit's bandwidth.
    pub mbps: Option<u64>,
    /// A Google attachment's edge availability domain, 1 or 2.
    pub domain: Option<u8>,
    pub created_at_ms: i64,
    /// Whether a cloud connection uses it already (a key connects once).
    pub in_use: bool,
    /// A Google attachment's: whether it carries traffic as soon as Lightpath has built the
    /// connection (pre-activated), or waits in `PENDING_CUSTOMER` for you to activate it.
    pub pre_activated: Option<bool>,
    /// The connection over this attachment is built and waits for you to activate it.
    pub awaiting_activation: bool,
}

/// Lightpath's side of a cloud connection's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ConnectionState {
    Ordered,
    Provisioning,
    /// Built on Lightpath's side, holding its capacity and VLAN; billed from activation only.
    AwaitingAcceptance,
    Active,
    Down,
    /// The buyer rejected it in their cloud, or did not accept it in time: released, free.
    Rejected,
    Failed,
    Decommissioning,
    Terminated,
}

impl ConnectionState {
    /// Whether Lightpath's state machine allows going from `self` to `next`.
    pub fn may_become(self, next: ConnectionState) -> bool {
        use ConnectionState::*;
        matches!(
            (self, next),
            (Ordered, Provisioning | Failed)
                | (Provisioning, AwaitingAcceptance | Failed)
                | (AwaitingAcceptance, Active | Rejected | Decommissioning)
                | (Active, Down | Decommissioning)
                | (Down, Active | Decommissioning)
                | (Decommissioning, Terminated)
        )
    }

    /// Whether the connection still holds network capacity and its VLAN.
    pub fn holds_capacity(self) -> bool {
        use ConnectionState::*;
        matches!(self, Ordered | Provisioning | AwaitingAcceptance | Active | Down | Decommissioning)
    }

    /// Whether its monthly charges run: only once the cloud accepted it.
    pub fn is_billed(self) -> bool {
        matches!(self, ConnectionState::Active | ConnectionState::Down | ConnectionState::Decommissioning)
    }
}

/// The catalog's cloud connection product: ordered with a [`CloudForm`], never without one.
pub const PRODUCT: &str = "cloud-connection";

/// The ASN each cloud's side of a private peering has when the buyer does not choose it:
/// Microsoft's 12076 for ExpressRoute (fixed), Google Cloud Router's 16550 for Partner
/// Interconnect.
pub const AZURE_ASN: u32 = 12_076;

impl CloudConnection {
    /// The port the connection leaves Lightpath by: the on-ramp's, and for ExpressRoute the
    /// circuit's primary or secondary one. A VLAN is unique on it.
    pub fn interface(&self) -> String {
        match &self.side {
            CloudSide::Azure { port, .. } => format!("{}/{}", self.on_ramp.site_id(), port.slug()),
            _ => self.on_ramp.site_id(),
        }
    }

    /// The cloud's key this connection takes, which no other connection may take: an
    /// ExpressRoute service key, a Partner Interconnect attachment's UUID.
    pub fn cloud_key(&self) -> Option<&str> {
        match &self.side {
            CloudSide::Aws { .. } => None,
            CloudSide::Azure { service_key, .. } => Some(service_key.as_str()),
            CloudSide::Google { pairing_key } => Some(&pairing_key.key),
        }
    }

    /// Whether Lightpath offers it to the buyer's AWS account as a hosted connection (with a
    /// `dxcon-` id) which they accept before it carries traffic. Azure and Google took the
    /// buyer's key beforehand; a Google attachment that was not pre-activated waits for its
    /// owner to activate it too, which its console record says.
    pub fn is_aws_hosted_connection(&self) -> bool {
        matches!(self.side, CloudSide::Aws { .. })
    }

    /// The same connection with a BGP key where the buyer left it empty, made from `random`.
    pub fn with_bgp_key(mut self, random: [u8; 24]) -> CloudConnection {
        match &mut self.side {
            CloudSide::Aws { bgp_key, .. } | CloudSide::Azure { bgp_key, .. } if bgp_key.is_none() => {
                *bgp_key = Some(BgpKey::generate(random));
            }
            _ => {}
        }
        self
    }

    /// The BGP session of a layer-3 attachment (AWS, Azure): both ASNs, both addresses, the
    /// key. Google's Partner Interconnect peers with the buyer's own Cloud Router, set up in
    /// Google Cloud: none here.
    pub fn bgp(&self) -> Option<(Asn, Asn, PeerAddresses, Option<&BgpKey>)> {
        match &self.side {
            CloudSide::Aws { customer_asn, amazon_asn, peers, bgp_key, .. } => {
                Some((*customer_asn, *amazon_asn, *peers, bgp_key.as_ref()))
            }
            CloudSide::Azure { customer_asn, peers, bgp_key, .. } => {
                Some((*customer_asn, Asn(AZURE_ASN), *peers, bgp_key.as_ref()))
            }
            CloudSide::Google { .. } => None,
        }
    }

    /// The configuration for the buyer's router (Cisco IOS style, as most routers read it):
    /// the VLAN sub-interface with the customer's address, and the BGP neighbour with the key,
    /// in clear or masked as `key` says.
    pub fn router_config(&self, vlan: Vlan, connection_id: Option<&str>, key_shown: KeyShown) -> String {
        let mut text = format!(
            "! Lightpath cloud connection to {} {}{}\n! VLAN {} on {}\n",
            self.on_ramp.cloud.label(),
            self.on_ramp.region,
            connection_id.map(|id| format!(" ({id})")).unwrap_or_default(),
            vlan.id(),
            self.interface()
        );
        let Some((customer_asn, cloud_asn, peers, key)) = self.bgp() else {
            text.push_str(&format!(
                "interface TenGigabitEthernet0/0/0.{vlan}\n encapsulation dot1Q {vlan}\n!\n\
                 ! BGP peers with your Cloud Router in Google Cloud (ASN 16550): set it up there.\n",
                vlan = vlan.id()
            ));
            return text;
        };
        let mask = Ipv4Addr::from(u32::MAX << (32 - peers.prefix));
        let mtu = match &self.side {
            CloudSide::Aws { mtu, .. } => format!(" mtu {}\n", mtu.bytes()),
            _ => String::new(),
        };
        text.push_str(&format!(
            "interface TenGigabitEthernet0/0/0.{vlan}\n encapsulation dot1Q {vlan}\n ip address {customer} {mask}\n{mtu}!\n\
             router bgp {local}\n neighbor {cloud} remote-as {remote}\n",
            vlan = vlan.id(),
            customer = peers.customer,
            cloud = peers.cloud,
            local = customer_asn.number(),
            remote = cloud_asn.number(),
        ));
        match (key, key_shown) {
            (Some(key), KeyShown::Revealed) => {
                text.push_str(&format!(" neighbor {} password {}\n", peers.cloud, key.reveal()))
            }
            (Some(key), KeyShown::Masked) => text.push_str(&format!(
                "! neighbor {} password {} (the BGP key is shown to the organisation's technical members and admins only)\n",
                peers.cloud,
                key.masked()
            )),
            (None, _) => {}
        }
        text.push_str(&format!(" address-family ipv4 unicast\n  neighbor {} activate\n!\n", peers.cloud));
        text
    }
}

/// An AWS hosted connection's id, as the AWS console shows it: `dxcon-` and 8 letters or digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AwsConnectionId(String);

impl AwsConnectionId {
    const ALPHABET: &'static [u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

    /// A new id from 8 random bytes (the caller's randomness).
    pub fn issue(random: [u8; 8]) -> AwsConnectionId {
        let alphabet = Self::ALPHABET;
        AwsConnectionId(format!(
            "dxcon-{}",
            random.iter().map(|b| alphabet[usize::from(*b) % alphabet.len()] as char).collect::<String>()
        ))
    }

    pub fn parse(text: &str) -> Option<AwsConnectionId> {
        let text = text.trim();
        let rest = text.strip_prefix("dxcon-")?;
        (rest.len() == 8 && rest.bytes().all(|b| Self::ALPHABET.contains(&b))).then(|| AwsConnectionId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The cloud's own state of the connection, in one vocabulary; [`CloudState::name`] says it in
/// the cloud's words (AWS's connection states, Azure's provider provisioning state, Google's
/// attachment states).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CloudState {
    /// Created by Lightpath, not yet accepted by the buyer in their cloud.
    Ordering,
    /// Being set up on the cloud's side.
    Pending,
    Available,
    Rejected,
    Deleted,
}

impl CloudState {
    pub const ALL: [CloudState; 5] =
        [CloudState::Ordering, CloudState::Pending, CloudState::Available, CloudState::Rejected, CloudState::Deleted];

    pub fn slug(self) -> &'static str {
        match self {
            CloudState::Ordering => "ordering",
            CloudState::Pending => "pending",
            CloudState::Available => "available",
            CloudState::Rejected => "rejected",
            CloudState::Deleted => "deleted",
        }
    }

    pub fn parse(text: &str) -> Option<CloudState> {
        CloudState::ALL.into_iter().find(|state| state.slug() == text)
    }

    /// The state as the cloud's own console names it.
    pub fn name(self, cloud: Cloud) -> &'static str {
        use CloudState::*;
        match (cloud, self) {
            (Cloud::Aws, state) => state.slug(),
            (Cloud::Azure, Ordering | Pending) => "Provisioning",
            (Cloud::Azure, Available) => "Provisioned",
            (Cloud::Azure, Rejected | Deleted) => "NotProvisioned",
            (Cloud::Google, Ordering) => "PENDING_PARTNER",
            (Cloud::Google, Pending) => "PENDING_CUSTOMER",
            (Cloud::Google, Available) => "ACTIVE",
            (Cloud::Google, Rejected | Deleted) => "DEFUNCT",
        }
    }
}

impl ConnectionState {
    pub const ALL: [ConnectionState; 9] = [
        ConnectionState::Ordered,
        ConnectionState::Provisioning,
        ConnectionState::AwaitingAcceptance,
        ConnectionState::Active,
        ConnectionState::Down,
        ConnectionState::Rejected,
        ConnectionState::Failed,
        ConnectionState::Decommissioning,
        ConnectionState::Terminated,
    ];

    pub fn slug(self) -> &'static str {
        use ConnectionState::*;
        match self {
            Ordered => "ordered",
            Provisioning => "provisioning",
            AwaitingAcceptance => "awaiting-acceptance",
            Active => "active",
            Down => "down",
            Rejected => "rejected",
            Failed => "failed",
            Decommissioning => "decommissioning",
            Terminated => "terminated",
        }
    }

    pub fn parse(text: &str) -> Option<ConnectionState> {
        ConnectionState::ALL.into_iter().find(|state| state.slug() == text)
    }

    pub fn label(self) -> &'static str {
        use ConnectionState::*;
        match self {
            Ordered => "Ordered",
            Provisioning => "Provisioning",
            AwaitingAcceptance => "Awaiting your acceptance",
            Active => "Active",
            Down => "Down",
            Rejected => "Rejected",
            Failed => "Failed",
            Decommissioning => "Decommissioning",
            Terminated => "Terminated",
        }
    }
}

/// A BGP session's state as the simulated network runs it: idle until the connection is
/// active, established while it is, down with a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BgpState {
    Idle,
    Established,
    Down,
}

impl BgpState {
    pub fn of(connection: ConnectionState) -> BgpState {
        match connection {
            ConnectionState::Active => BgpState::Established,
            ConnectionState::Down => BgpState::Down,
            _ => BgpState::Idle,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BgpState::Idle => "Idle",
            BgpState::Established => "Established",
            BgpState::Down => "Down",
        }
    }
}

/// When a connection awaiting acceptance is released if the buyer has not accepted it:
/// `days` of the network's clock after `from_ms`, on a network `speedup` times faster than
/// the wall clock (so a demo's week passes in minutes, like its billing).
pub fn acceptance_deadline_ms(from_ms: i64, days: u32, speedup: u32) -> i64 {
    from_ms + i64::from(days) * 86_400_000 / i64::from(speedup.max(1))
}

/// Whether a router configuration carries the BGP key in clear: for the members who configure
/// the organisation's routers (technical members, its admins); anyone else who may read the
/// service (Lightpath's support and sales, read-only and finance members) reads it masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyShown {
    Revealed,
    Masked,
}

/// A BGP session as a service page shows it: the key masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BgpSession {
    pub customer_asn: u32,
    pub cloud_asn: u32,
    /// The buyer's router address with its prefix length (`169.254.10.1/30`).
    pub customer_address: String,
    pub cloud_address: String,
    /// The MD5 key's first two characters, the rest dots.
    pub key_masked: Option<String>,
    pub state: BgpState,
}

/// A cloud connection as its service page and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloudConnectionView {
    pub cloud: Cloud,
    pub region: String,
    /// The on-ramp's site id.
    pub on_ramp: String,
    /// The port the VLAN is on (`azure-east-us/primary`).
    pub interface: String,
    pub vlan: u16,
    /// Lightpath's state of the connection.
    pub state: ConnectionState,
    /// The cloud's own state, in one vocabulary…
    pub cloud_state: CloudState,
    /// …and in the cloud's words (`available`, `Provisioned`, `ACTIVE`).
    pub cloud_state_name: String,
    /// The AWS hosted connection's id (`dxcon-…`) the buyer accepts in the AWS console.
    pub connection_id: Option<String>,
    /// The AWS account it is offered to.
    pub aws_account: Option<String>,
    /// The Azure service key or Google pairing key it took.
    pub cloud_key: Option<String>,
    /// When it is released unless accepted (milliseconds since the epoch).
    pub accept_by_ms: Option<i64>,
    pub bgp: Option<BgpSession>,
    /// The address blocks the cloud announces over the session while it is established.
    pub routes: Vec<String>,
    /// The cloud router (its service id) the connection is attached to, if any.
    pub router: Option<String>,
}

impl CloudConnectionView {
    pub fn new(
        connection: &CloudConnection,
        vlan: Vlan,
        state: ConnectionState,
        cloud_state: CloudState,
        connection_id: Option<String>,
        accept_by_ms: Option<i64>,
    ) -> CloudConnectionView {
        let bgp_state = BgpState::of(state);
        let bgp = connection.bgp().map(|(customer, cloud, peers, key)| BgpSession {
            customer_asn: customer.number(),
            cloud_asn: cloud.number(),
            customer_address: format!("{}/{}", peers.customer, peers.prefix),
            cloud_address: format!("{}/{}", peers.cloud, peers.prefix),
            key_masked: key.map(BgpKey::masked),
            state: bgp_state,
        });
        let (aws_account, cloud_key) = match &connection.side {
            CloudSide::Aws { account, .. } => (Some(account.as_str().to_owned()), None),
            CloudSide::Azure { service_key, .. } => (None, Some(service_key.as_str().to_owned())),
            CloudSide::Google { pairing_key } => (None, Some(pairing_key.text())),
        };
        let routes = if bgp_state == BgpState::Established {
            announced_prefixes(&connection.on_ramp).to_vec()
        } else {
            Vec::new()
        };
        CloudConnectionView {
            cloud: connection.on_ramp.cloud,
            region: connection.on_ramp.region.clone(),
            on_ramp: connection.on_ramp.site_id(),
            interface: connection.interface(),
            vlan: vlan.id(),
            state,
            cloud_state,
            cloud_state_name: cloud_state.name(connection.on_ramp.cloud).to_owned(),
            connection_id,
            aws_account,
            cloud_key,
            accept_by_ms: (state == ConnectionState::AwaitingAcceptance).then_some(accept_by_ms).flatten(),
            bgp,
            routes,
            router: None,
        }
    }
}

/// An AWS hosted connection as the buyer's (simulated) AWS console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HostedConnection {
    /// `dxcon-…`
    pub connection_id: String,
    /// The AWS account it is offered to.
    pub owner_account: String,
    pub region: String,
    /// The connection's bandwidth, as AWS names it (`1Gbps`, `500Mbps`).
    pub bandwidth: String,
    pub vlan: u16,
    /// AWS's state: ordering (waiting for you), available, rejected, deleted.
    pub connection_state: String,
    /// The Lightpath service it is.
    pub service_id: Option<String>,
    /// When Lightpath releases it unless accepted (milliseconds since the epoch).
    pub accept_by_ms: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{Coordinates, SiteId};
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn on_ramp(id: &str) -> OnRamp {
        let site = Site {
            id: SiteId::parse(id).unwrap(),
            kind: SiteKind::CloudOnRamp,
            name: id.to_owned(),
            metro: SiteId::parse("ash").unwrap(),
            location: Coordinates::new(39.0, -77.5).unwrap(),
            operator: None,
            access_km: 5,
        };
        OnRamp::of(&site).unwrap()
    }

    fn aws_form() -> CloudForm {
        CloudForm {
            vlan: "0".into(),
            aws_account: "123456789012".into(),
            virtual_interface: "private".into(),
            customer_asn: "65001".into(),
            customer_address: "169.254.10.1/30".into(),
            cloud_address: "169.254.10.2/30".into(),
            ..CloudForm::default()
        }
    }

    #[test]
    fn on_ramps_name_their_cloud_and_region() {
        assert_eq!(on_ramp("aws-us-east-1"), OnRamp { cloud: Cloud::Aws, region: "us-east-1".into() });
        assert_eq!(on_ramp("azure-east-us").cloud, Cloud::Azure);
        assert_eq!(on_ramp("gcp-us-east4").region, "us-east4");
    }

    #[test]
    fn a_complete_aws_form_parses_with_defaults_for_what_was_left_empty() {
        let parsed = CloudConnection::parse(on_ramp("aws-us-east-1"), 1_000, &aws_form()).unwrap();
        assert_eq!(parsed.vlan, VlanChoice::Auto);
        let CloudSide::Aws { amazon_asn, bgp_key, mtu, peers, .. } = parsed.side else { panic!("not AWS") };
        assert_eq!((amazon_asn.number(), bgp_key, mtu.bytes()), (64_512, None, 1500));
        assert_eq!(peers.subnet(), "169.254.10.0/30");
    }

    #[test]
    fn each_bad_value_is_named_by_its_field() {
        type Spoil = fn(&mut CloudForm);
        let cases: [(&str, Spoil); 5] = [
            ("aws_account", |f| f.aws_account = "12345678901".into()),
            ("vlan", |f| f.vlan = "4095".into()),
            ("bgp_key", |f| f.bgp_key = "abcde".into()),
            ("customer_asn", |f| f.customer_asn = "23456".into()),
            ("peer_addresses", |f| f.cloud_address = "169.254.10.3/30".into()),
        ];
        for (field, spoil) in cases {
            let mut form = aws_form();
            spoil(&mut form);
            let problems = CloudConnection::parse(on_ramp("aws-us-east-1"), 1_000, &form).unwrap_err();
            assert_eq!(problems.iter().map(|p| p.0).collect::<Vec<_>>(), [field], "{problems:?}");
        }
    }

    #[test]
    fn every_problem_comes_back_at_once() {
        let form = CloudForm { vlan: "5000".into(), ..CloudForm::default() };
        let problems = CloudConnection::parse(on_ramp("aws-us-east-1"), 3_000, &form).unwrap_err();
        let fields: BTreeSet<_> = problems.iter().map(|p| p.0).collect();
        for field in ["vlan", "bandwidth", "aws_account", "virtual_interface", "customer_asn", "peer_addresses"] {
            assert!(fields.contains(field), "{field} missing from {fields:?}");
        }
    }

    #[test]
    fn an_azure_circuit_admits_connections_at_its_location_within_its_bandwidth() {
        let key = ServiceKey::parse("0b2f6a52-1c3d-4e5f-8a9b-9d1e3c8a4f70").unwrap();
        assert_eq!(AzureCircuit::create(&on_ramp("azure-east-us"), 300, key.clone()).unwrap_err().0, "bandwidth");
        assert_eq!(AzureCircuit::create(&on_ramp("aws-us-east-1"), 1_000, key.clone()).unwrap_err().0, "on_ramp");
        let circuit = AzureCircuit::create(&on_ramp("azure-east-us"), 1_000, key).unwrap();
        assert_eq!(circuit.peering_location, "east-us");
        assert!(circuit.admits(&on_ramp("azure-east-us"), 1_000).is_ok());
        let over = circuit.admits(&on_ramp("azure-east-us"), 2_000).unwrap_err();
        assert!(over.0 == "bandwidth" && over.1.contains("at most"), "{over:?}");
        let elsewhere = circuit.admits(&on_ramp("azure-west-us"), 100).unwrap_err();
        assert!(elsewhere.0 == "service_key" && elsewhere.1.contains("peers at east-us"), "{elsewhere:?}");
    }

    #[test]
    fn an_issued_pairing_key_reads_back_as_google_shows_it() {
        let key = "7e51371e-72a3-40b5-b844-2e3efefaee59";
        let ramp = on_ramp("gcp-us-east4");
        let issued = PairingKey::issue(key, &ramp, "2").unwrap();
        assert_eq!(issued.text(), format!("{key}/us-east4/2"));
        assert_eq!(PairingKey::parse(&issued.text(), &ramp).unwrap(), issued);
        assert_eq!(PairingKey::issue(key, &ramp, "3").unwrap_err().0, "domain");
        assert_eq!(PairingKey::issue(key, &on_ramp("azure-east-us"), "1").unwrap_err().0, "on_ramp");
    }

    #[test]
    fn each_region_announces_its_own_prefixes() {
        let regions = [
            "aws-us-east-1",
            "aws-us-east-2",
            "aws-us-west-1",
            "aws-us-west-2",
            "azure-east-us",
            "azure-central-us",
            "azure-south-central-us",
            "azure-west-us",
            "azure-west-us-2",
            "gcp-us-east4",
            "gcp-us-central1",
            "gcp-us-south1",
            "gcp-us-west2",
            "gcp-us-west1",
        ];
        let mut seen = BTreeSet::new();
        for region in regions {
            let prefixes = announced_prefixes(&on_ramp(region));
            assert_eq!(prefixes, announced_prefixes(&on_ramp(region)));
            for prefix in prefixes {
                assert!(prefix.ends_with(".0.0/16"), "{prefix}");
                assert!(seen.insert(prefix.clone()), "{prefix} announced by two regions");
            }
        }
    }

    #[test]
    fn a_pairing_key_must_be_for_the_on_ramps_region() {
        let ramp = on_ramp("gcp-us-east4");
        let key = "7e51371e-72a3-40b5-b844-2e3efefaee59";
        let parsed = PairingKey::parse(&format!("{key}/us-east4/2"), &ramp).unwrap();
        assert_eq!((parsed.region.as_str(), parsed.domain), ("us-east4", 2));
        let wrong = PairingKey::parse(&format!("{key}/us-west1/1"), &ramp).unwrap_err();
        assert!(wrong.1.contains("for us-west1") && wrong.1.contains("goes to us-east4"), "{}", wrong.1);
        assert!(PairingKey::parse(&format!("{key}/us-east4/3"), &ramp).is_err());
        assert!(PairingKey::parse("not-a-key/us-east4/1", &ramp).is_err());
        let noisy = PairingKey::parse(&format!("{key}/us\u{0}east{}/1", "4".repeat(500)), &ramp).unwrap_err();
        assert!(!noisy.1.contains('\u{0}') && noisy.1.len() < 100, "{}", noisy.1);
    }

    #[test]
    fn azure_takes_a_service_key_and_a_port() {
        let form = CloudForm {
            service_key: "0B2F6A52-1C3D-4E5F-8A9B-9D1E3C8A4F70".into(),
            azure_port: "secondary".into(),
            customer_asn: "65010".into(),
            customer_address: "192.168.100.1".into(),
            cloud_address: "192.168.100.2/30".into(),
            ..CloudForm::default()
        };
        let parsed = CloudConnection::parse(on_ramp("azure-east-us"), 1_000, &form).unwrap();
        let CloudSide::Azure { service_key, port, .. } = parsed.side else { panic!("not Azure") };
        assert_eq!((service_key.as_str(), port), ("0b2f6a52-1c3d-4e5f-8a9b-9d1e3c8a4f70", AzurePort::Secondary));
    }

    #[test]
    fn public_interfaces_keep_standard_frames() {
        assert!(Mtu::parse("9001", VirtualInterface::Private).is_ok());
        assert_eq!(Mtu::parse("9001", VirtualInterface::Public).unwrap_err().0, "mtu");
        assert!(Mtu::parse("1400", VirtualInterface::Private).is_err());
    }

    #[test]
    fn a_generated_key_is_valid_and_never_shown_in_debug_output() {
        let key = BgpKey::generate([7; 24]);
        assert_eq!(BgpKey::parse(key.reveal()).unwrap(), Some(key.clone()));
        assert!(!format!("{key:?}").contains(key.reveal()));
        assert!(key.masked().ends_with('•') && !key.masked().contains(&key.reveal()[2..]));
    }

    #[test]
    fn states_move_only_forward_and_bill_only_once_accepted() {
        use ConnectionState::*;
        assert!(AwaitingAcceptance.may_become(Active));
        assert!(AwaitingAcceptance.may_become(Rejected));
        assert!(!Rejected.may_become(Active));
        assert!(!Ordered.may_become(Active), "never active before the cloud accepts");
        assert!(AwaitingAcceptance.holds_capacity() && !AwaitingAcceptance.is_billed());
        assert!(!Rejected.holds_capacity() && !Rejected.is_billed());
        assert!(Active.is_billed());
    }

    #[test]
    fn a_router_configuration_carries_the_vlan_addresses_asns_and_key() {
        let form = CloudForm { vlan: "210".into(), bgp_key: "s3cret-key".into(), mtu: "9001".into(), ..aws_form() };
        let connection = CloudConnection::parse(on_ramp("aws-us-east-1"), 1_000, &form).unwrap();
        let config = connection.router_config(Vlan::new(210).unwrap(), Some("dxcon-ab12cd34"), KeyShown::Revealed);
        let masked = connection.router_config(Vlan::new(210).unwrap(), Some("dxcon-ab12cd34"), KeyShown::Masked);
        assert!(!masked.contains("s3cret-key") && masked.contains("! neighbor 169.254.10.2 password s3"), "{masked}");
        assert_eq!(config.lines().count(), masked.lines().count(), "the same configuration, the key hidden");
        for expected in [
            "(dxcon-ab12cd34)",
            "encapsulation dot1Q 210",
            "ip address 169.254.10.1 255.255.255.252",
            " mtu 9001",
            "router bgp 65001",
            "neighbor 169.254.10.2 remote-as 64512",
            "neighbor 169.254.10.2 password s3cret-key",
        ] {
            assert!(config.contains(expected), "{expected} missing from\n{config}");
        }
    }

    #[test]
    fn an_empty_bgp_key_is_generated_and_only_aws_waits_for_acceptance() {
        let aws = CloudConnection::parse(on_ramp("aws-us-east-1"), 1_000, &aws_form()).unwrap().with_bgp_key([3; 24]);
        assert!(aws.bgp().unwrap().3.is_some());
        assert!(aws.is_aws_hosted_connection() && aws.cloud_key().is_none());
        assert_eq!(aws.interface(), "aws-us-east-1");
        let form = CloudForm {
            service_key: "0b2f6a52-1c3d-4e5f-8a9b-9d1e3c8a4f70".into(),
            azure_port: "primary".into(),
            customer_asn: "65010".into(),
            customer_address: "192.168.100.1/30".into(),
            cloud_address: "192.168.100.2/30".into(),
            ..CloudForm::default()
        };
        let azure = CloudConnection::parse(on_ramp("azure-east-us"), 1_000, &form).unwrap();
        assert!(!azure.is_aws_hosted_connection());
        assert_eq!(azure.interface(), "azure-east-us/primary", "each port has its own VLANs");
        assert_eq!(azure.cloud_key(), Some("0b2f6a52-1c3d-4e5f-8a9b-9d1e3c8a4f70"));
        assert_eq!(azure.bgp().unwrap().1.number(), AZURE_ASN);
    }

    #[test]
    fn connection_ids_read_back_and_nothing_else_does() {
        let id = AwsConnectionId::issue([0, 1, 2, 3, 40, 41, 42, 255]);
        assert_eq!(AwsConnectionId::parse(id.as_str()), Some(id.clone()));
        assert!(id.as_str().starts_with("dxcon-") && id.as_str().len() == 14);
        for bad in ["dxcon-ABCDEFGH", "dxcon-abc", "dxvif-abcdefgh", "dxcon-abcdefgh1", ""] {
            assert_eq!(AwsConnectionId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_connection_shows_routes_only_while_its_session_is_up() {
        let connection =
            CloudConnection::parse(on_ramp("aws-us-east-1"), 1_000, &aws_form()).unwrap().with_bgp_key([5; 24]);
        let vlan = Vlan::new(7).unwrap();
        let waiting = CloudConnectionView::new(
            &connection,
            vlan,
            ConnectionState::AwaitingAcceptance,
            CloudState::Ordering,
            Some("dxcon-aaaaaaaa".into()),
            Some(99),
        );
        assert_eq!(waiting.bgp.as_ref().unwrap().state, BgpState::Idle);
        assert!(waiting.routes.is_empty());
        assert_eq!(waiting.accept_by_ms, Some(99));
        let key = waiting.bgp.as_ref().unwrap().key_masked.clone().unwrap();
        assert!(key.ends_with('•'));
        let active =
            CloudConnectionView::new(&connection, vlan, ConnectionState::Active, CloudState::Available, None, Some(99));
        assert_eq!(active.routes, announced_prefixes(&on_ramp("aws-us-east-1")).to_vec());
        assert_eq!((active.accept_by_ms, active.cloud_state_name.as_str()), (None, "available"));
        assert_eq!(CloudState::Available.name(Cloud::Google), "ACTIVE");
        assert_eq!(acceptance_deadline_ms(1_000, 7, 60), 1_000 + 7 * 86_400_000 / 60);
    }

    proptest! {
        #[test]
        fn peer_addresses_are_accepted_exactly_when_both_ends_are_usable_in_one_subnet(
            base in any::<u32>(), i in 0u32..4, j in 0u32..4, slash31 in any::<bool>(), far in any::<bool>(),
        ) {
            let prefix = if slash31 { 31 } else { 30 };
            let size = 1u32 << (32 - prefix);
            let subnet = base & (u32::MAX << (32 - prefix));
            // Two offsets inside the subnet, or (far) the second one in another subnet.
            let a = subnet | (i % size);
            let b = if far { (subnet ^ 0x100) | (j % size) } else { subnet | (j % size) };
            let usable = |address: u32| slash31 || !matches!(address % size, 0 | 3);
            let expected = a != b && !far && usable(a) && usable(b);
            let parsed = PeerAddresses::new(Ipv4Addr::from(a), Ipv4Addr::from(b), prefix);
            prop_assert_eq!(parsed.is_some(), expected, "{}/{} and {}", Ipv4Addr::from(a), prefix, Ipv4Addr::from(b));
            if let Some(peers) = parsed {
                prop_assert_eq!(peers.subnet(), format!("{}/{prefix}", Ipv4Addr::from(subnet)));
            }
        }

        #[test]
        fn an_allocated_vlan_is_never_one_in_use(used in proptest::collection::btree_set(1u16..=4094, 0..300), wanted in 0u16..=4100) {
            let used: BTreeSet<Vlan> = used.into_iter().filter_map(Vlan::new).collect();
            let choice = VlanChoice::parse(&wanted.to_string());
            match choice {
                Ok(choice) => {
                    if let Some(vlan) = choice.allocate(&used) {
                        prop_assert!(!used.contains(&vlan));
                        if let VlanChoice::Chosen(chosen) = choice { prop_assert_eq!(vlan, chosen); }
                    } else {
                        prop_assert!(matches!(choice, VlanChoice::Chosen(v) if used.contains(&v)));
                    }
                }
                Err(_) => prop_assert!(wanted > 4094),
            }
        }

        #[test]
        fn asns_that_parse_are_never_reserved(number in any::<u32>()) {
            if let Some(asn) = Asn::new(number) {
                prop_assert!(number != 0 && number != u32::MAX);
                prop_assert!(number != 23_456 && !(64_496..=64_511).contains(&number) && !(65_535..=65_551).contains(&number));
                prop_assert_eq!(Asn::parse("asn", &number.to_string()).unwrap(), asn);
            }
        }
    }
}
