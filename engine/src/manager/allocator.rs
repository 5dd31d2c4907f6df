//! swarmkit's allocator, for what this engine models: published ports (ingress ports
//! without a number get one from 30000-32767), a virtual IP on the ingress network for
//! services that publish ports, and new tasks moved on to the scheduler.

use super::Pass;
use crate::store::{Change, Store};
use crate::types::{Endpoint, EndpointSpec, EndpointVirtualIp, PortConfig, Service, TaskState, TaskStatus};
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

/// The endpoint a service should have.
fn endpoint(store: &Store, service: &Service, ingress_id: &str) -> Endpoint {
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
    let ingress = ports.iter().any(|p| p.publish_mode == "ingress");
    let virtual_ips = if ingress && spec.mode != "dnsrr" {
        let addr = service.endpoint.virtual_ips.first().map(|v| v.addr.clone()).unwrap_or_else(|| next_vip(store));
        vec![EndpointVirtualIp { network_id: ingress_id.to_string(), addr }]
    } else {
        Vec::new()
    };
    Endpoint { spec, ports, virtual_ips }
}

/// The next free address on the ingress network (10.0.0.0/24; .1 is the gateway and
/// .2 the ingress sandbox).
fn next_vip(store: &Store) -> String {
    let used: BTreeSet<String> =
        store.services.values().flat_map(|s| s.endpoint.virtual_ips.iter().map(|v| v.addr.clone())).collect();
    (3..255).map(|n| format!("10.0.0.{n}/24")).find(|a| !used.contains(a)).unwrap_or_else(|| "10.0.0.254/24".into())
}

/// Allocates endpoints of changed services and moves new tasks to pending.
pub fn allocate(pass: &mut Pass, store: &Store, services: &BTreeSet<String>, tasks: &BTreeSet<String>) {
    let ingress_id = store.cluster.as_ref().map(|c| c.ingress_network_id.clone()).unwrap_or_default();
    for id in services {
        let Some(service) = store.services.get(id) else { continue };
        let wanted = endpoint(store, service, &ingress_id);
        if wanted != service.endpoint {
            let mut s = service.clone();
            s.endpoint = wanted;
            pass.changes.push(Change::UpdateService(Box::new(s)));
        }
    }
    for id in tasks {
        let Some(t) = store.tasks.get(id) else { continue };
        if t.status.state == TaskState::New {
            let status = TaskStatus {
                timestamp: pass.now,
                state: TaskState::Pending,
                message: "pending task scheduling".into(),
                ..TaskStatus::default()
            };
            pass.changes.push(Change::SetTaskStatus { id: id.clone(), status });
        }
    }
}
