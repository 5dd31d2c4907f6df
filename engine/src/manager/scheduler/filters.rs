//! swarmkit's scheduler filters and what each node offers them (`NodeInfo`).

use super::constraint::{self, Constraint};
use crate::types::{EndpointSpec, Node, NodeAvailability, NodeState, Task};
use std::collections::{HashMap, HashSet};

/// A node as the scheduler sees it: what runs there and what is left.
#[derive(Debug, Clone)]
pub struct NodeInfo<'a> {
    pub node: &'a Node,
    pub active_by_service: HashMap<String, usize>,
    pub active: usize,
    pub free_cpus: i64,
    pub free_memory: i64,
    pub host_ports: HashSet<(String, u32)>,
    /// Recent failures by service (failed or rejected within five minutes).
    pub failures: HashMap<String, usize>,
}

impl<'a> NodeInfo<'a> {
    pub fn new(node: &'a Node) -> Self {
        NodeInfo {
            node,
            active_by_service: HashMap::new(),
            active: 0,
            free_cpus: node.description.resources.nano_cpus,
            free_memory: node.description.resources.memory_bytes,
            host_ports: HashSet::new(),
            failures: HashMap::new(),
        }
    }

    /// swarmkit `NodeInfo.addTask` for a task placed on this node that has not ended.
    pub fn add(&mut self, t: &Task, ports: &[(String, u32)]) {
        if t.desired_state <= crate::types::TaskState::Complete {
            self.active += 1;
            match self.active_by_service.get_mut(&t.service_id) {
                Some(n) => *n += 1,
                None => {
                    self.active_by_service.insert(t.service_id.clone(), 1);
                }
            }
        }
        let (cpu, mem) = reservations(t);
        self.free_cpus -= cpu;
        self.free_memory -= mem;
        for p in ports {
            self.host_ports.insert(p.clone());
        }
    }
}

pub fn reservations(t: &Task) -> (i64, i64) {
    t.spec.resources.as_ref().and_then(|r| r.reservations.as_ref()).map_or((0, 0), |r| (r.nano_cpus, r.memory_bytes))
}

/// Host-mode published ports a service's tasks need on their node.
pub fn host_ports(endpoint: Option<&EndpointSpec>) -> Vec<(String, u32)> {
    endpoint
        .map(|e| e.ports.as_slice())
        .unwrap_or(&[])
        .iter()
        .filter(|p| p.publish_mode == "host" && p.published_port > 0)
        .map(|p| (if p.protocol.is_empty() { "tcp".to_string() } else { p.protocol.clone() }, p.published_port))
        .collect()
}

/// One check of the pipeline, in swarmkit's order.
#[derive(Debug, Clone)]
enum Check {
    Ready,
    Resources { cpus: i64, memory: i64 },
    Constraints(Vec<Constraint>),
    HostPorts(Vec<(String, u32)>),
    MaxReplicas { service: String, max: u64 },
}

impl Check {
    fn pass(&self, n: &NodeInfo) -> bool {
        match self {
            Check::Ready => {
                n.node.status.state == NodeState::Ready && n.node.spec.availability == NodeAvailability::Active
            }
            Check::Resources { cpus, memory } => n.free_cpus >= *cpus && n.free_memory >= *memory,
            Check::Constraints(c) => constraint::node_matches(c, n.node),
            Check::HostPorts(ports) => ports.iter().all(|p| !n.host_ports.contains(p)),
            Check::MaxReplicas { service, max } => {
                (n.active_by_service.get(service).copied().unwrap_or(0) as u64) < *max
            }
        }
    }

    fn explain(&self, nodes: usize) -> String {
        let (one, many) = match self {
            Check::Ready => ("1 node not available for new tasks", "nodes not available for new tasks"),
            Check::Resources { .. } => ("insufficient resources on 1 node", "insufficient resources on"),
            Check::Constraints(_) => {
                ("scheduling constraints not satisfied on 1 node", "scheduling constraints not satisfied on")
            }
            Check::HostPorts(_) => ("host-mode port already in use on 1 node", "host-mode port already in use on"),
            Check::MaxReplicas { .. } => return "max replicas per node limit exceed".into(),
        };
        match (nodes, self) {
            (1, _) => one.into(),
            (n, Check::Ready) => format!("{n} {many}"),
            (n, _) => format!("{many} {n} nodes"),
        }
    }
}

/// swarmkit's filter pipeline for one task: checks, and how often each one failed since
/// a node last passed (the explanation of "no suitable node").
#[derive(Debug, Clone)]
pub struct Pipeline {
    checks: Vec<(Check, usize)>,
}

impl Pipeline {
    /// The checks that apply to `t` (swarmkit `Filter.SetTask`).
    pub fn for_task(t: &Task, endpoint: Option<&EndpointSpec>) -> Pipeline {
        let mut checks = vec![Check::Ready];
        let (cpus, memory) = reservations(t);
        if cpus > 0 || memory > 0 {
            checks.push(Check::Resources { cpus, memory });
        }
        let placement = t.spec.placement.clone().unwrap_or_default();
        if !placement.constraints.is_empty()
            && let Ok(c) = constraint::parse_all(&placement.constraints)
        {
            checks.push(Check::Constraints(c));
        }
        let ports = host_ports(endpoint);
        if !ports.is_empty() {
            checks.push(Check::HostPorts(ports));
        }
        if placement.max_replicas > 0 {
            checks.push(Check::MaxReplicas { service: t.service_id.clone(), max: placement.max_replicas });
        }
        Pipeline { checks: checks.into_iter().map(|c| (c, 0)).collect() }
    }

    /// swarmkit `Pipeline.Process`: a pass resets every failure count.
    pub fn process(&mut self, n: &NodeInfo) -> bool {
        for (check, failures) in self.checks.iter_mut() {
            if !check.pass(n) {
                *failures += 1;
                return false;
            }
        }
        for (_, failures) in self.checks.iter_mut() {
            *failures = 0;
        }
        true
    }

    /// swarmkit `Pipeline.Explain`: failing checks, most failures first.
    pub fn explain(&self) -> String {
        let mut failing: Vec<&(Check, usize)> = self.checks.iter().filter(|(_, f)| *f > 0).collect();
        failing.sort_by_key(|c| std::cmp::Reverse(c.1));
        failing.iter().map(|(c, f)| c.explain(*f)).collect::<Vec<_>>().join("; ")
    }
}
