//! swarmkit's control API for networks (manager/controlapi/network.go), with what the
//! daemon adds around it (api/server/router/network): the name check, lookups by ID,
//! name or prefix, and the `network.Inspect` view of a swarm network.

use crate::api::{ApiError, ApiResult, Code, Filters};
use crate::store::{Change, Store};
use crate::types::{
    Driver, Ipam, IpamConfig, IpamOptions, IpamPool, NetworkCreateRequest, NetworkInspect, NetworkSpec, SwarmNetwork,
};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// The overlay driver's first VXLAN ID (libnetwork's vxlanIDStart).
const VXLAN_START: u32 = 4096;
const VXLAN_OPTION: &str = "com.docker.network.driver.overlay.vxlanid_list";

fn overlay(id: String, spec: NetworkSpec, subnet: &str, gateway: &str, vxlan: u32) -> SwarmNetwork {
    let options = BTreeMap::from([(VXLAN_OPTION.to_string(), vxlan.to_string())]);
    let ipam = IpamOptions {
        driver: Driver { name: "default".into(), ..Driver::default() },
        configs: vec![IpamConfig { subnet: subnet.into(), gateway: gateway.into(), ..IpamConfig::default() }],
    };
    SwarmNetwork {
        id,
        spec,
        driver_state: Driver { name: "overlay".into(), options },
        ipam_options: Some(ipam),
        ..SwarmNetwork::default()
    }
}

/// The `ingress` network a new swarm starts with: 10.0.0.0/24, the first VXLAN ID.
pub fn ingress(id: String) -> SwarmNetwork {
    let spec = NetworkSpec {
        name: "ingress".into(),
        driver_configuration: Some(Driver { name: "overlay".into(), ..Driver::default() }),
        ingress: true,
        scope: "swarm".into(),
        ..NetworkSpec::default()
    };
    overlay(id, spec, "10.0.0.0/24", "10.0.0.1", VXLAN_START)
}

/// swarmkit's validateAnnotations for a network name: a DNS label.
fn valid_dns_label(name: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric();
    !name.is_empty()
        && name.len() <= 63
        && name.starts_with(ok)
        && name.ends_with(ok)
        && name.chars().all(|c| ok(c) || c == '-' || c == '_' || c == '.')
}

/// The first `/24` of the default pool (10.0.0.0/8) no swarm network holds.
fn next_subnet(store: &Store) -> (String, String) {
    let used: BTreeSet<&str> = store.networks.values().map(SwarmNetwork::subnet).collect();
    let n = (0..=255u32)
        .flat_map(|a| (0..=255u32).map(move |b| (a, b)))
        .find(|(a, b)| !used.contains(format!("10.{a}.{b}.0/24").as_str()))
        .unwrap_or((255, 255));
    (format!("10.{}.{}.0/24", n.0, n.1), format!("10.{}.{}.1", n.0, n.1))
}

/// The first address after the network part of a `/N` subnet, as the gateway.
fn gateway_of(subnet: &str) -> ApiResult<String> {
    let bad = || ApiError::invalid(format!("Invalid subnet {subnet} : invalid CIDR address: {subnet}"));
    let (addr, bits) = subnet.split_once('/').ok_or_else(bad)?;
    let addr: Ipv4Addr = addr.parse().map_err(|_| bad())?;
    let bits: u32 = bits.parse().ok().filter(|b| *b <= 30).ok_or_else(bad)?;
    let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
    Ok(Ipv4Addr::from((u32::from(addr) & mask) + 1).to_string())
}

/// swarmkit CreateNetwork for a swarm-scoped network.
pub fn create(store: &Store, id: String, req: &NetworkCreateRequest) -> ApiResult<Vec<Change>> {
    if store.networks.values().any(|n| n.spec.name == req.name) {
        return Err(ApiError::new(409, format!("network with name {} already exists", req.name)));
    }
    if !valid_dns_label(&req.name) {
        return Err(ApiError::grpc(Code::InvalidArgument, "name must be valid as a DNS name component"));
    }
    if req.ingress && req.attachable {
        return Err(ApiError::grpc(Code::InvalidArgument, "ingress network cannot be attachable"));
    }
    if req.ingress
        && let Some(n) = store.networks.values().find(|n| n.spec.ingress)
    {
        return Err(ApiError::grpc(Code::AlreadyExists, format!("ingress network ({}) is already present", n.id)));
    }
    let wanted = req.ipam.as_ref().and_then(|i| i.config.as_ref()).and_then(|c| c.first()).cloned();
    let (subnet, gateway) = match wanted {
        Some(p) if !p.subnet.is_empty() => {
            let gw = if p.gateway.is_empty() { gateway_of(&p.subnet)? } else { p.gateway.clone() };
            (p.subnet, gw)
        }
        _ => next_subnet(store),
    };
    let vxlans: BTreeSet<String> =
        store.networks.values().filter_map(|n| n.driver_state.options.get(VXLAN_OPTION).cloned()).collect();
    let vxlan = (VXLAN_START..).find(|v| !vxlans.contains(&v.to_string())).unwrap_or(VXLAN_START);
    let spec = NetworkSpec {
        name: req.name.clone(),
        labels: req.labels.clone(),
        driver_configuration: Some(Driver { name: "overlay".into(), options: req.options.clone() }),
        ipv6_enabled: req.enable_ipv6.unwrap_or(false),
        internal: req.internal,
        attachable: req.attachable,
        ingress: req.ingress,
        scope: "swarm".into(),
        ..NetworkSpec::default()
    };
    Ok(vec![Change::CreateNetwork(Box::new(overlay(id, spec, &subnet, &gateway, vxlan)))])
}

/// The daemon's findUniqueNetwork over swarm networks: full ID, then name, then prefix.
pub fn find<'a>(store: &'a Store, reference: &str) -> ApiResult<&'a SwarmNetwork> {
    if let Some(n) = store.networks.get(reference) {
        return Ok(n);
    }
    let by_name: Vec<&SwarmNetwork> = store.networks.values().filter(|n| n.spec.name == reference).collect();
    if by_name.len() > 1 {
        return Err(ApiError::invalid(format!(
            "network {reference} is ambiguous ({} matches found based on name)",
            by_name.len()
        )));
    }
    if let Some(n) = by_name.first() {
        return Ok(n);
    }
    let by_id: Vec<&SwarmNetwork> =
        store.networks.values().filter(|n| !reference.is_empty() && n.id.starts_with(reference)).collect();
    match by_id.len() {
        0 => Err(ApiError::not_found(format!("network {reference} not found"))),
        1 => Ok(by_id[0]),
        l => Err(ApiError::invalid(format!("network {reference} is ambiguous ({l} matches found based on ID prefix)"))),
    }
}

/// swarmkit RemoveNetwork: refused while a service or task uses it.
pub fn remove(store: &Store, id: &str) -> ApiResult<Vec<Change>> {
    let n = store.networks.get(id).ok_or_else(|| ApiError::not_found(format!("network {id} not found")))?;
    if n.spec.ingress {
        let user = store.services.values().find(|s| s.endpoint.ports.iter().any(|p| p.publish_mode == "ingress"));
        if let Some(s) = user {
            return Err(ApiError::grpc(
                Code::FailedPrecondition,
                format!("ingress network cannot be removed because service {} depends on it", s.id),
            ));
        }
    } else if let Some(s) =
        store.services.values().find(|s| s.spec.task_template.networks.iter().any(|a| a.target == id))
    {
        return Err(ApiError::grpc(Code::FailedPrecondition, format!("network {id} is in use by service {}", s.id)));
    } else if let Some(t) = store.tasks.values().find(|t| {
        t.desired_state <= crate::types::TaskState::Running
            && t.status.state <= crate::types::TaskState::Running
            && t.networks_attachments.iter().any(|a| a.network.id == id)
    }) {
        return Err(ApiError::grpc(Code::FailedPrecondition, format!("network {id} is in use by task {}", t.id)));
    }
    Ok(vec![Change::RemoveNetwork { id: id.to_string() }])
}

/// How a swarm network looks from a manager that runs none of its containers:
/// moby's convert.BasicNetworkFromGRPC.
pub fn view(n: &SwarmNetwork) -> NetworkInspect {
    let pools = n.ipam_options.as_ref().map(|o| {
        o.configs
            .iter()
            .map(|c| IpamPool { subnet: c.subnet.clone(), ip_range: c.range.clone(), gateway: c.gateway.clone() })
            .collect()
    });
    NetworkInspect {
        name: n.spec.name.clone(),
        id: n.id.clone(),
        created: n.created_at,
        scope: "swarm".into(),
        driver: n.driver().to_string(),
        enable_ipv4: true,
        enable_ipv6: n.spec.ipv6_enabled,
        ipam: Ipam { driver: "default".into(), options: None, config: pools },
        internal: n.spec.internal,
        attachable: n.spec.attachable,
        ingress: n.spec.ingress,
        options: Some(n.driver_state.options.clone()),
        labels: (!n.spec.labels.is_empty()).then(|| n.spec.labels.clone()),
        ..NetworkInspect::default()
    }
}

/// moby network.ValidateFilters, then the filters `GET /networks` applies.
pub fn filter(list: Vec<NetworkInspect>, filters: &Filters) -> ApiResult<Vec<NetworkInspect>> {
    filters.validate(&["dangling", "driver", "id", "label", "name", "scope", "type"])?;
    for t in filters.get("type") {
        if t != "custom" && t != "builtin" {
            return Err(ApiError::invalid(format!("invalid filter: 'type'='{t}'")));
        }
    }
    let any = |values: &[String], f: &dyn Fn(&String) -> bool| values.is_empty() || values.iter().any(f);
    let builtin = |n: &NetworkInspect| matches!(n.name.as_str(), "bridge" | "host" | "none" | "ingress");
    Ok(list
        .into_iter()
        .filter(|n| any(filters.get("driver"), &|d| *d == n.driver))
        .filter(|n| any(filters.get("name"), &|x| n.name.contains(x.as_str())))
        .filter(|n| any(filters.get("id"), &|x| n.id.starts_with(x.as_str())))
        .filter(|n| any(filters.get("scope"), &|x| *x == n.scope))
        .filter(|n| any(filters.get("type"), &|x| (x == "builtin") == builtin(n)))
        .filter(|n| {
            let labels = n.labels.clone().unwrap_or_default();
            filters.get("label").iter().all(|kv| match kv.split_once('=') {
                Some((k, v)) => labels.get(k).is_some_and(|x| x == v),
                None => labels.contains_key(kv.as_str()),
            })
        })
        .collect())
}

/// The next free address of `net` given the addresses already held: the subnet's
/// hosts in order, after the gateway (and, on ingress, the node's sandbox at .2).
pub fn next_address(net: &SwarmNetwork, held: &BTreeSet<Ipv4Addr>) -> Option<String> {
    let subnet = net.subnet();
    let (base, bits) = subnet.split_once('/')?;
    let base = u32::from(base.parse::<Ipv4Addr>().ok()?);
    let bits: u32 = bits.parse().ok()?;
    let size = 1u32.checked_shl(32 - bits)?;
    let first = if net.spec.ingress { 3 } else { 2 };
    (first..size.saturating_sub(1))
        .map(|i| Ipv4Addr::from(base + i))
        .find(|a| !held.contains(a))
        .map(|a| format!("{a}/{bits}"))
}

/// The addresses on each network that services' VIPs and live tasks hold.
pub fn held_addresses(store: &Store) -> BTreeMap<String, BTreeSet<Ipv4Addr>> {
    let mut held: BTreeMap<String, BTreeSet<Ipv4Addr>> = BTreeMap::new();
    let ip = |a: &str| a.split('/').next().and_then(|x| x.parse::<Ipv4Addr>().ok());
    for s in store.services.values() {
        for v in &s.endpoint.virtual_ips {
            if let Some(a) = ip(&v.addr) {
                held.entry(v.network_id.clone()).or_default().insert(a);
            }
        }
    }
    for t in store.tasks.values().filter(|t| !t.status.state.is_terminal()) {
        for att in &t.networks_attachments {
            for a in att.addresses.iter().filter_map(|a| ip(a)) {
                held.entry(att.network.id.clone()).or_default().insert(a);
            }
        }
    }
    held
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::apply_change;
    use crate::time::Timestamp;

    fn created(store: &mut Store, id: &str, req: NetworkCreateRequest) -> ApiResult<()> {
        for c in create(store, id.into(), &req)? {
            apply_change(store, Timestamp(1), c).expect("apply");
        }
        Ok(())
    }

    fn named(name: &str) -> NetworkCreateRequest {
        NetworkCreateRequest { name: name.into(), driver: "overlay".into(), ..NetworkCreateRequest::default() }
    }

    #[test]
    fn subnets_and_vxlan_ids_follow_the_default_pool() {
        let mut s = Store::default();
        apply_change(&mut s, Timestamp(0), Change::CreateNetwork(Box::new(ingress("ing".into())))).unwrap();
        created(&mut s, "a", named("a")).unwrap();
        created(&mut s, "b", named("b")).unwrap();
        assert_eq!(s.networks["a"].subnet(), "10.0.1.0/24");
        assert_eq!(s.networks["b"].subnet(), "10.0.2.0/24");
        assert_eq!(s.networks["b"].driver_state.options[VXLAN_OPTION], "4098");
        let e = created(&mut s, "c", named("a")).unwrap_err();
        assert_eq!(e.message, "network with name a already exists");
        apply_change(&mut s, Timestamp(2), Change::RemoveNetwork { id: "a".into() }).unwrap();
        created(&mut s, "d", named("d")).unwrap();
        assert_eq!(s.networks["d"].subnet(), "10.0.1.0/24", "a freed subnet is reused");
    }

    #[test]
    fn names_and_prefixes_resolve_like_the_daemon() {
        let mut s = Store::default();
        created(&mut s, "abc1", named("front")).unwrap();
        created(&mut s, "abc2", named("back")).unwrap();
        assert_eq!(find(&s, "front").unwrap().id, "abc1");
        assert_eq!(find(&s, "abc2").unwrap().spec.name, "back");
        assert!(find(&s, "abc").unwrap_err().message.contains("ambiguous (2 matches found based on ID prefix)"));
        assert_eq!(find(&s, "nope").unwrap_err().message, "network nope not found");
        let bad = created(&mut s, "x", named("bad name")).unwrap_err();
        assert!(bad.message.ends_with("name must be valid as a DNS name component"));
    }

    #[test]
    fn addresses_skip_the_gateway_and_what_is_held() {
        let n = ingress("i".into());
        let held = BTreeSet::from([Ipv4Addr::new(10, 0, 0, 3)]);
        assert_eq!(next_address(&n, &held).as_deref(), Some("10.0.0.4/24"));
        let mut o = n.clone();
        o.spec.ingress = false;
        assert_eq!(next_address(&o, &BTreeSet::new()).as_deref(), Some("10.0.0.2/24"));
        assert_eq!(gateway_of("192.168.5.0/24").unwrap(), "192.168.5.1");
        assert!(gateway_of("foo").unwrap_err().message.contains("invalid CIDR address: foo"));
    }
}
