//! swarmkit's allocator, for what this engine models: published ports (ingress ports
//! without a number get one from 30000-32767), virtual IPs on the networks a service
//! joins (ingress when it publishes ports), an address per network for each new task,
//! and new tasks moved on to the scheduler.

use super::{Pass, networks};
use crate::store::{Change, Store};
use crate::types::{
    Endpoint, EndpointSpec, EndpointVirtualIp, NetworkAttachment, PortConfig, Service, SwarmNetwork, TaskState,
    TaskStatus,
};
use std::collections::BTreeSet;

/// swarmkit `portallocator`'s dynamic range.
pub const DYNAMIC_PORTS: std::ops::RangeInclusive<u32> = 30000..=32767;

/// Ports every other service holds, by (protocol, published port).
fn ports_in_use(store: &Store, except: &str) -> BTreeSet<(String, u32)> {
    store
        .services
        .values()
        .filter(|s| s.id != except)
        .flat_map(|s| s.endpoint.ports.iter())
        .map(|p| (p.protocol.clone(), p.published_port))
        .collect()
}

/// The endpoint a service should have: its ports, and a virtual IP on ingress (when
/// it publishes there) and on each network it is attached to, unless it resolves by DNS
/// round robin.
fn endpoint(store: &Store, service: &Service, ingress: Option<&SwarmNetwork>, held: &mut Held) -> Endpoint {
    let spec = service.spec.endpoint_spec.clone().unwrap_or(EndpointSpec { mode: "vip".into(), ports: Vec::new() });
    let mut taken = ports_in_use(store, &service.id);
    let mut ports = Vec::new();
    for p in &spec.ports {
        let mut p: PortConfig = p.clone();
        if p.protocol.is_empty() {
            p.protocol = "tcp".into();
        }
        if p.publish_mode.is_empty() {
            p.publish_mode = "ingress".into();
        }
        if p.published_port == 0 && p.publish_mode == "ingress" {
            // Keep what this service already had for the same target.
            let kept =
                service.endpoint.ports.iter().find(|q| q.target_port == p.target_port && q.protocol == p.protocol);
            p.published_port = match kept {
                Some(q) => q.published_port,
                None => DYNAMIC_PORTS.clone().find(|n| !taken.contains(&(p.protocol.clone(), *n))).unwrap_or(0),
            };
        }
        taken.insert((p.protocol.clone(), p.published_port));
        ports.push(p);
    }
    let mut virtual_ips = Vec::new();
    if spec.mode != "dnsrr" {
        for net in attached(store, service, &ports, ingress) {
            let kept = service.endpoint.virtual_ips.iter().find(|v| v.network_id == net.id).map(|v| v.addr.clone());
            if let Some(addr) = kept.or_else(|| held.take(net)) {
                virtual_ips.push(EndpointVirtualIp { network_id: net.id.clone(), addr });
            }
        }
    }
    Endpoint { spec, ports, virtual_ips }
}

/// The networks a service's tasks join: ingress first when it publishes there, then
/// its own, in its spec's order.
fn attached<'a>(
    store: &'a Store,
    service: &Service,
    ports: &[PortConfig],
    ingress: Option<&'a SwarmNetwork>,
) -> Vec<&'a SwarmNetwork> {
    let mut nets: Vec<&SwarmNetwork> = Vec::new();
    if let Some(i) = ingress.filter(|_| ports.iter().any(|p| p.publish_mode == "ingress")) {
        nets.push(i);
    }
    for a in &service.spec.task_template.networks {
        if let Some(n) = store.networks.get(&a.target).filter(|n| !nets.iter().any(|m| m.id == n.id)) {
            nets.push(n);
        }
    }
    nets
}

/// Addresses held on each network, updated as this pass hands out more. Read from the
/// store only when a pass first hands one out: most passes (task states moving on)
/// hand out none, and the scan covers every task.
struct Held<'a> {
    store: &'a Store,
    held: Option<std::collections::BTreeMap<String, BTreeSet<std::net::Ipv4Addr>>>,
}

impl Held<'_> {
    fn take(&mut self, net: &SwarmNetwork) -> Option<String> {
        let store = self.store;
        let held = self.held.get_or_insert_with(|| networks::held_addresses(store));
        let set = held.entry(net.id.clone()).or_default();
        let addr = networks::next_address(net, set)?;
        if let Some(ip) = addr.split('/').next().and_then(|a| a.parse().ok()) {
            set.insert(ip);
        }
        Some(addr)
    }
}

/// Allocates endpoints of changed services, gives new tasks their addresses and
/// moves them to pending.
pub fn allocate(pass: &mut Pass, store: &Store, services: &BTreeSet<String>, tasks: &BTreeSet<String>) {
    let ingress = store.networks.values().find(|n| n.spec.ingress);
    let mut held = Held { store, held: None };
    let mut endpoints = std::collections::BTreeMap::new();
    for id in services {
        let Some(service) = store.services.get(id) else { continue };
        let wanted = endpoint(store, service, ingress, &mut held);
        if wanted != service.endpoint {
            let mut s = service.clone();
            s.endpoint = wanted.clone();
            pass.changes.push(Change::UpdateService(Box::new(s)));
        }
        endpoints.insert(id.clone(), wanted);
    }
    for id in tasks {
        let Some(t) = store.tasks.get(id) else { continue };
        if t.status.state != TaskState::New {
            continue;
        }
        if let Some(service) = store.services.get(&t.service_id) {
            let ports = endpoints.get(&service.id).map_or(&service.endpoint.ports, |e| &e.ports);
            let attachments: Vec<NetworkAttachment> = attached(store, service, ports, ingress)
                .into_iter()
                .map(|n| NetworkAttachment { network: n.clone(), addresses: held.take(n).into_iter().collect() })
                .collect();
            if !attachments.is_empty() {
                pass.changes.push(Change::SetTaskNetworks { id: id.clone(), attachments });
            }
        }
        let status = TaskStatus {
            timestamp: pass.now,
            state: TaskState::Pending,
            message: "pending task scheduling".into(),
            ..TaskStatus::default()
        };
        pass.changes.push(Change::SetTaskStatus { id: id.clone(), status });
    }
}
