//! The network calls of a node's daemon: its local networks (bridge, host, none,
//! docker_gwbridge once in a swarm, and bridges the user creates) beside the swarm's
//! overlay networks, which a node sees with their containers once it runs some.

use super::client::NodeClient;
use crate::api::{ApiError, ApiResult, Filters};
use crate::ids::{hex, sha256};
use crate::manager::networks;
use crate::types::{EndpointResource, Ipam, IpamPool, NetworkCreateRequest, NetworkInspect, PeerInfo};
use std::collections::BTreeMap;

/// The networks every engine has, and the one swarm mode adds.
const PREDEFINED: &[&str] = &["bridge", "host", "none"];

fn strings(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A local network as moby's bridge, host and null drivers report it.
fn local(engine_id: &str, name: &str, driver: &str, subnet: Option<(&str, &str)>) -> NetworkInspect {
    let options = match name {
        "bridge" => strings(&[
            ("com.docker.network.bridge.default_bridge", "true"),
            ("com.docker.network.bridge.enable_icc", "true"),
            ("com.docker.network.bridge.enable_ip_masquerade", "true"),
            ("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0"),
            ("com.docker.network.bridge.name", "docker0"),
            ("com.docker.network.driver.mtu", "1500"),
        ]),
        "docker_gwbridge" => strings(&[
            ("com.docker.network.bridge.enable_icc", "false"),
            ("com.docker.network.bridge.enable_ip_masquerade", "true"),
            ("com.docker.network.bridge.name", "docker_gwbridge"),
        ]),
        _ => BTreeMap::new(),
    };
    let config = subnet
        .map(|(s, g)| IpamPool { subnet: s.into(), gateway: g.into(), ..IpamPool::default() })
        .into_iter()
        .collect();
    NetworkInspect {
        name: name.into(),
        id: hex(&sha256(format!("{engine_id}/{name}").as_bytes())),
        scope: "local".into(),
        driver: driver.into(),
        enable_ipv4: driver != "null" && driver != "host",
        ipam: Ipam { driver: "default".into(), options: None, config: Some(config) },
        containers: Some(BTreeMap::new()),
        options: Some(options),
        labels: Some(BTreeMap::new()),
        ..NetworkInspect::default()
    }
}

impl NodeClient<'_> {
    /// This node's local networks: the predefined ones, then those created here.
    fn local_networks(&self) -> Vec<NetworkInspect> {
        let m = self.machine_ref();
        let mut v = vec![
            local(&m.engine_id, "bridge", "bridge", Some(("172.17.0.0/16", "172.17.0.1"))),
            local(&m.engine_id, "host", "host", None),
            local(&m.engine_id, "none", "null", None),
        ];
        if m.cluster_id().is_some() {
            v.push(local(&m.engine_id, "docker_gwbridge", "bridge", Some(("172.18.0.0/16", "172.18.0.1"))));
        }
        v.extend(m.networks.iter().cloned());
        v
    }

    /// The swarm's networks as this node sees them: with its containers and the peers
    /// that run some where it runs one too, as the bare spec otherwise.
    fn swarm_networks(&self) -> Vec<NetworkInspect> {
        let Some(cluster) = self.machine_ref().cluster_id() else { return Vec::new() };
        let Some(swarm) = self.sim().swarm(cluster) else { return Vec::new() };
        let store = swarm.store();
        let mut out = Vec::new();
        for n in store.networks.values() {
            let mut view = networks::view(n);
            // Which nodes run a container attached to it (every node for ingress).
            let mut peers: Vec<(String, Vec<(String, String)>)> = Vec::new();
            for m in self.sim().machines() {
                let Some(node_id) = m.node_id().filter(|_| m.cluster_id() == Some(cluster)) else { continue };
                let mut here = Vec::new();
                for t in store.node_tasks(node_id).filter(|t| t.status.state == crate::types::TaskState::Running) {
                    let Some(att) = t.networks_attachments.iter().find(|a| a.network.id == n.id) else { continue };
                    let Some(c) = m.agent.containers.values().find(|c| c.task_id == t.id) else { continue };
                    here.push((c.id.clone(), att.addresses.first().cloned().unwrap_or_default()));
                }
                if !here.is_empty() || n.spec.ingress {
                    peers.push((m.engine_id.clone(), here));
                }
            }
            let me = &self.machine_ref().engine_id;
            let attached = peers.iter().find(|(e, _)| e == me);
            // A worker knows only the swarm networks it runs something on.
            if attached.is_none() && self.manager_ids().is_err() {
                continue;
            }
            if let Some((_, mine)) = attached {
                let m = self.machine_ref();
                let containers = mine
                    .iter()
                    .map(|(cid, addr)| {
                        let name = m.agent.containers.get(cid).map_or(String::new(), |c| c.name.clone());
                        (cid.clone(), endpoint(cid, &n.id, &name, addr))
                    })
                    .collect();
                view.containers = Some(containers);
                view.labels = Some(n.spec.labels.clone());
                view.peers = peers
                    .iter()
                    .filter_map(|(e, _)| {
                        let m = self.sim().machines().iter().find(|m| m.engine_id == *e)?;
                        Some(PeerInfo { name: hex(&sha256(e.as_bytes()))[..12].to_string(), ip: m.addr.to_string() })
                    })
                    .collect();
            }
            out.push(view);
        }
        out
    }

    pub(super) fn network_list_impl(&mut self, filters: &Filters) -> ApiResult<Vec<NetworkInspect>> {
        let mut all = self.swarm_networks();
        all.extend(self.local_networks());
        networks::filter(all, filters)
    }

    /// The daemon's findUniqueNetwork: full ID, then name, then ID prefix, local
    /// networks before swarm ones.
    pub(super) fn network_inspect_impl(&mut self, reference: &str) -> ApiResult<NetworkInspect> {
        let mut all = self.local_networks();
        all.extend(self.swarm_networks());
        if let Some(n) = all.iter().find(|n| n.id == reference) {
            return Ok(n.clone());
        }
        let by_name: Vec<&NetworkInspect> = all.iter().filter(|n| n.name == reference).collect();
        let by_id: Vec<&NetworkInspect> =
            all.iter().filter(|n| !reference.is_empty() && n.id.starts_with(reference)).collect();
        match (by_name.as_slice(), by_id.as_slice()) {
            ([one], _) | ([], [one]) => Ok((*one).clone()),
            ([], []) => Err(ApiError::not_found(format!("network {reference} not found"))),
            ([], many) => Err(ApiError::invalid(format!(
                "network {reference} is ambiguous ({} matches found based on ID prefix)",
                many.len()
            ))),
            (many, _) => Err(ApiError::invalid(format!(
                "network {reference} is ambiguous ({} matches found based on name)",
                many.len()
            ))),
        }
    }

    pub(super) fn network_create_impl(&mut self, req: NetworkCreateRequest) -> ApiResult<String> {
        let driver = if req.driver.is_empty() { "bridge" } else { req.driver.as_str() };
        let in_swarm = self.machine_ref().cluster_id().is_some();
        // The daemon asks the managers for the name first (a worker cannot ask).
        let store = self.manager_ids().ok().and_then(|(c, _)| self.store_of(&c).ok());
        if store.is_some_and(|s| s.networks.values().any(|n| n.spec.name == req.name)) {
            return Err(ApiError::new(409, format!("network with name {} already exists", req.name)));
        }
        if driver == "overlay" || req.scope == "swarm" {
            if PREDEFINED.contains(&req.name.as_str()) {
                return Err(ApiError::new(403, format!("{} is a pre-defined network and cannot be created", req.name)));
            }
            let Ok((cluster, _)) = self.manager_ids() else {
                return Err(if in_swarm {
                    ApiError::new(
                        403,
                        "Cannot create a multi-host network from a worker node. Please create the network from a manager node.",
                    )
                } else {
                    ApiError::new(
                        503,
                        "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.",
                    )
                });
            };
            let id = self.sim_mut().entropy.id();
            let changes = networks::create(self.store_of(&cluster)?, id.clone(), &req)?;
            self.commit_settle(&cluster, changes)?;
            return Ok(id);
        }
        if !matches!(driver, "bridge" | "macvlan" | "ipvlan") {
            return Err(ApiError::not_found(format!("plugin \"{driver}\" not found")));
        }
        let locals = self.local_networks();
        if locals.iter().any(|n| n.name == req.name) {
            return Err(ApiError::new(409, format!("network with name {} already exists", req.name)));
        }
        // User bridges take the first free /16 of 172.17-31, as the default pools do.
        let used = |n: u8| {
            locals.iter().flat_map(|l| l.ipam.config.iter().flatten()).any(|c| c.subnet == format!("172.{n}.0.0/16"))
        };
        let n = (17..=31u8).find(|n| !used(*n)).unwrap_or(31);
        let (subnet, gateway) = (format!("172.{n}.0.0/16"), format!("172.{n}.0.1"));
        let id = hex(&self.sim_mut().entropy.bytes::<32>());
        let now = self.sim().now();
        let net = NetworkInspect {
            name: req.name.clone(),
            id: id.clone(),
            created: now,
            scope: "local".into(),
            driver: driver.into(),
            enable_ipv4: req.enable_ipv4.unwrap_or(true),
            enable_ipv6: req.enable_ipv6.unwrap_or(false),
            ipam: Ipam {
                driver: "default".into(),
                options: Some(BTreeMap::new()),
                config: Some(vec![IpamPool { subnet, gateway, ..IpamPool::default() }]),
            },
            internal: req.internal,
            attachable: req.attachable,
            containers: Some(BTreeMap::new()),
            options: Some(req.options.clone()),
            labels: Some(req.labels.clone()),
            ..NetworkInspect::default()
        };
        self.machine_mut().networks.push(net);
        Ok(id)
    }

    pub(super) fn network_remove_impl(&mut self, reference: &str) -> ApiResult<()> {
        let n = self.network_inspect_impl(reference)?;
        if n.scope == "swarm" {
            let (cluster, _) = self.manager_ids()?;
            let changes = networks::remove(self.store_of(&cluster)?, &n.id)?;
            return self.commit_settle(&cluster, changes);
        }
        if PREDEFINED.contains(&n.name.as_str()) || n.name == "docker_gwbridge" {
            return Err(ApiError::new(403, format!("{} is a pre-defined network and cannot be removed", n.name)));
        }
        self.machine_mut().networks.retain(|x| x.id != n.id);
        Ok(())
    }
}

/// A container's endpoint on a network: its MAC derived from its address, as
/// libnetwork does.
fn endpoint(container_id: &str, network_id: &str, name: &str, addr: &str) -> EndpointResource {
    let ip: Vec<u8> = addr.split('/').next().unwrap_or("").split('.').filter_map(|o| o.parse().ok()).collect();
    let mac = match ip.as_slice() {
        [a, b, c, d] => format!("02:42:{a:02x}:{b:02x}:{c:02x}:{d:02x}"),
        _ => String::new(),
    };
    EndpointResource {
        name: name.to_string(),
        endpoint_id: hex(&sha256(format!("{container_id}/{network_id}").as_bytes())),
        mac_address: mac,
        ipv4_address: addr.to_string(),
        ipv6_address: String::new(),
    }
}
