//! Networks: swarmkit's object as moby `api/types/swarm` shapes it (what the store
//! keeps and tasks carry in their attachments), and moby `api/types/network` Inspect,
//! what `GET /networks` answers for swarm and local networks alike.

use super::{Driver, Version, is_false};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpamConfig {
    #[serde(rename = "Subnet", default, skip_serializing_if = "String::is_empty")]
    pub subnet: String,
    #[serde(rename = "Range", default, skip_serializing_if = "String::is_empty")]
    pub range: String,
    #[serde(rename = "Gateway", default, skip_serializing_if = "String::is_empty")]
    pub gateway: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpamOptions {
    #[serde(rename = "Driver", default)]
    pub driver: Driver,
    #[serde(rename = "Configs", default, skip_serializing_if = "Vec::is_empty")]
    pub configs: Vec<IpamConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkSpec {
    #[serde(rename = "Name", default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(rename = "Labels", default)]
    pub labels: BTreeMap<String, String>,
    #[serde(rename = "DriverConfiguration", default, skip_serializing_if = "Option::is_none")]
    pub driver_configuration: Option<Driver>,
    #[serde(rename = "IPv6Enabled", default, skip_serializing_if = "is_false")]
    pub ipv6_enabled: bool,
    #[serde(rename = "Internal", default, skip_serializing_if = "is_false")]
    pub internal: bool,
    #[serde(rename = "Attachable", default, skip_serializing_if = "is_false")]
    pub attachable: bool,
    #[serde(rename = "Ingress", default, skip_serializing_if = "is_false")]
    pub ingress: bool,
    #[serde(rename = "IPAMOptions", default, skip_serializing_if = "Option::is_none")]
    pub ipam_options: Option<IpamOptions>,
    #[serde(rename = "Scope", default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
}

/// moby `swarm.Network`: a network the swarm's managers keep.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwarmNetwork {
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(rename = "Version", default)]
    pub version: Version,
    #[serde(rename = "CreatedAt", default)]
    pub created_at: Timestamp,
    #[serde(rename = "UpdatedAt", default)]
    pub updated_at: Timestamp,
    #[serde(rename = "Spec", default)]
    pub spec: NetworkSpec,
    /// The driver and its options (the overlay's VXLAN ID).
    #[serde(rename = "DriverState", default)]
    pub driver_state: Driver,
    /// What the allocator gave it: its subnet and gateway.
    #[serde(rename = "IPAMOptions", default, skip_serializing_if = "Option::is_none")]
    pub ipam_options: Option<IpamOptions>,
}

impl SwarmNetwork {
    pub fn driver(&self) -> &str {
        &self.driver_state.name
    }

    /// The allocated subnet, `10.0.N.0/24`.
    pub fn subnet(&self) -> &str {
        self.ipam_options.as_ref().and_then(|o| o.configs.first()).map_or("", |c| c.subnet.as_str())
    }
}

/// moby `swarm.NetworkAttachment`: a task's address on one network.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkAttachment {
    #[serde(rename = "Network", default)]
    pub network: SwarmNetwork,
    #[serde(rename = "Addresses", default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
}

/// moby `network.IPAMConfig` (the API's spelling: `Config`, not `Configs`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpamPool {
    #[serde(rename = "Subnet", default, skip_serializing_if = "String::is_empty")]
    pub subnet: String,
    #[serde(rename = "IPRange", default, skip_serializing_if = "String::is_empty")]
    pub ip_range: String,
    #[serde(rename = "Gateway", default, skip_serializing_if = "String::is_empty")]
    pub gateway: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ipam {
    #[serde(rename = "Driver", default)]
    pub driver: String,
    #[serde(rename = "Options", default)]
    pub options: Option<BTreeMap<String, String>>,
    #[serde(rename = "Config", default)]
    pub config: Option<Vec<IpamPool>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkConfigReference {
    #[serde(rename = "Network", default)]
    pub network: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerInfo {
    #[serde(rename = "Name", default)]
    pub name: String,
    #[serde(rename = "IP", default)]
    pub ip: String,
}

/// moby `network.Inspect` (`network.Summary` is the same type).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkInspect {
    #[serde(rename = "Name", default)]
    pub name: String,
    #[serde(rename = "Id", default)]
    pub id: String,
    #[serde(rename = "Created", default)]
    pub created: Timestamp,
    #[serde(rename = "Scope", default)]
    pub scope: String,
    #[serde(rename = "Driver", default)]
    pub driver: String,
    #[serde(rename = "EnableIPv4", default)]
    pub enable_ipv4: bool,
    #[serde(rename = "EnableIPv6", default)]
    pub enable_ipv6: bool,
    #[serde(rename = "IPAM", default)]
    pub ipam: Ipam,
    #[serde(rename = "Internal", default)]
    pub internal: bool,
    #[serde(rename = "Attachable", default)]
    pub attachable: bool,
    #[serde(rename = "Ingress", default)]
    pub ingress: bool,
    #[serde(rename = "ConfigFrom", default)]
    pub config_from: NetworkConfigReference,
    #[serde(rename = "ConfigOnly", default)]
    pub config_only: bool,
    /// Go prints a nil map as `null`: swarm networks seen from a manager have none.
    #[serde(rename = "Containers", default)]
    pub containers: Option<BTreeMap<String, EndpointResource>>,
    #[serde(rename = "Options", default)]
    pub options: Option<BTreeMap<String, String>>,
    #[serde(rename = "Labels", default)]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(rename = "Peers", default, skip_serializing_if = "Vec::is_empty")]
    pub peers: Vec<PeerInfo>,
}

/// moby `network.CreateRequest`: what `docker network create` sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkCreateRequest {
    #[serde(rename = "Name", default)]
    pub name: String,
    #[serde(rename = "Driver", default, skip_serializing_if = "String::is_empty")]
    pub driver: String,
    #[serde(rename = "Scope", default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
    #[serde(rename = "EnableIPv4", default, skip_serializing_if = "Option::is_none")]
    pub enable_ipv4: Option<bool>,
    #[serde(rename = "EnableIPv6", default, skip_serializing_if = "Option::is_none")]
    pub enable_ipv6: Option<bool>,
    #[serde(rename = "IPAM", default, skip_serializing_if = "Option::is_none")]
    pub ipam: Option<Ipam>,
    #[serde(rename = "Internal", default, skip_serializing_if = "is_false")]
    pub internal: bool,
    #[serde(rename = "Attachable", default, skip_serializing_if = "is_false")]
    pub attachable: bool,
    #[serde(rename = "Ingress", default, skip_serializing_if = "is_false")]
    pub ingress: bool,
    #[serde(rename = "Options", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    #[serde(rename = "Labels", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// moby `network.EndpointResource`: a container on a network, seen from its node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointResource {
    #[serde(rename = "Name", default)]
    pub name: String,
    #[serde(rename = "EndpointID", default)]
    pub endpoint_id: String,
    #[serde(rename = "MacAddress", default)]
    pub mac_address: String,
    #[serde(rename = "IPv4Address", default)]
    pub ipv4_address: String,
    #[serde(rename = "IPv6Address", default)]
    pub ipv6_address: String,
}
