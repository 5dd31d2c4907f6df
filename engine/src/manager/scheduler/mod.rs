//! swarmkit's scheduler: pending tasks are grouped by service, each group is spread
//! over the nodes that pass the filter pipeline, best-ranked first (fewest recent
//! failures, fewest tasks of this service, fewest tasks overall), following placement
//! preferences level by level. What cannot be placed stays pending with the pipeline's
//! explanation.

pub mod constraint;
pub mod filters;

use super::Pass;
use super::state::ManagerState;
use crate::store::{Change, Store};
use crate::types::{Task, TaskState, TaskStatus};
use filters::{NodeInfo, Pipeline, host_ports};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;

/// swarmkit `maxFailures` within `monitorFailures`.
const MAX_FAILURES: usize = 5;
const FAILURE_WINDOW: Duration = Duration::from_secs(5 * 60);

/// A level of placement preferences: branches by label value, or the nodes themselves.
#[derive(Default)]
struct Tree {
    tasks: usize,
    next: BTreeMap<String, Tree>,
    nodes: Vec<usize>,
}

struct Group<'s> {
    service: String,
    tasks: Vec<&'s Task>,
}

/// One scheduling pass over the tasks waiting for a node.
pub fn schedule(pass: &mut Pass, store: &Store, state: &mut ManagerState) {
    let mut candidates = std::mem::take(&mut state.unassigned);
    if std::mem::take(&mut state.retry_pending) {
        candidates.extend(store.tasks.values().filter(|t| t.status.state == TaskState::Pending).map(|t| t.id.clone()));
    }
    let waiting: Vec<&Task> = candidates
        .iter()
        .filter_map(|id| store.tasks.get(id))
        .filter(|t| t.status.state == TaskState::Pending)
        .collect();
    if waiting.is_empty() {
        return;
    }
    let mut infos = node_infos(store, pass);
    let index: BTreeMap<&str, usize> = infos.iter().enumerate().map(|(i, n)| (n.node.id.as_str(), i)).collect();
    let mut groups: BTreeMap<&str, Vec<&Task>> = BTreeMap::new();
    for t in waiting {
        if t.desired_state > TaskState::Complete {
            let status = TaskStatus {
                timestamp: pass.now,
                state: TaskState::Shutdown,
                message: t.status.message.clone(),
                ..TaskStatus::default()
            };
            pass.changes.push(Change::SetTaskStatus { id: t.id.clone(), status });
        } else if !t.node_id.is_empty() {
            preassigned(pass, store, &mut infos, &index, t);
        } else {
            groups.entry(t.service_id.as_str()).or_default().push(t);
        }
    }
    for (service, tasks) in groups {
        schedule_group(pass, store, &mut infos, Group { service: service.to_string(), tasks });
    }
}

fn endpoint<'s>(store: &'s Store, t: &Task) -> Option<&'s crate::types::EndpointSpec> {
    store.services.get(&t.service_id).and_then(|s| s.spec.endpoint_spec.as_ref())
}

/// Every node with what its live tasks hold.
fn node_infos<'s>(store: &'s Store, pass: &Pass) -> Vec<NodeInfo<'s>> {
    let mut ports_by_service: BTreeMap<&str, Vec<(String, u32)>> = BTreeMap::new();
    for (id, s) in &store.services {
        ports_by_service.insert(id, host_ports(s.spec.endpoint_spec.as_ref()));
    }
    store
        .nodes
        .values()
        .map(|node| {
            let mut info = NodeInfo::new(node);
            for t in store.node_tasks(&node.id) {
                if t.status.state <= TaskState::Running && t.status.state >= TaskState::Assigned {
                    let ports = ports_by_service.get(t.service_id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
                    info.add(t, ports);
                } else if matches!(t.status.state, TaskState::Failed | TaskState::Rejected)
                    && pass.now.since(t.status.timestamp) < FAILURE_WINDOW
                {
                    *info.failures.entry(t.service_id.clone()).or_default() += 1;
                }
            }
            info
        })
        .collect()
}

fn assigned(pass: &Pass, t: &Task, node: &str) -> Change {
    Change::AssignTask {
        id: t.id.clone(),
        node_id: node.to_string(),
        status: TaskStatus {
            timestamp: pass.now,
            state: TaskState::Assigned,
            message: "scheduler assigned task to node".into(),
            ..TaskStatus::default()
        },
    }
}

fn no_suitable_node(pass: &mut Pass, t: &Task, explanation: &str) {
    let err = if explanation.is_empty() {
        "no suitable node".to_string()
    } else {
        format!("no suitable node ({explanation})")
    };
    if t.status.err != err {
        let status = TaskStatus { timestamp: pass.now, err, ..t.status.clone() };
        pass.changes.push(Change::SetTaskStatus { id: t.id.clone(), status });
    }
}

/// Global services' tasks come with their node: it must still pass the filters.
fn preassigned(pass: &mut Pass, store: &Store, infos: &mut [NodeInfo], index: &BTreeMap<&str, usize>, t: &Task) {
    let mut pipeline = Pipeline::for_task(t, endpoint(store, t));
    match index.get(t.node_id.as_str()) {
        Some(&i) if pipeline.process(&infos[i]) => {
            let ports = host_ports(endpoint(store, t));
            infos[i].add(t, &ports);
            pass.changes.push(assigned(pass, t, &t.node_id));
        }
        _ => no_suitable_node(pass, t, &pipeline.explain()),
    }
}

/// The value of a spread descriptor (`node.labels.zone`, `engine.labels.x`) on a node.
fn spread_value(descriptor: &str, info: &NodeInfo) -> Option<String> {
    let lower = descriptor.to_ascii_lowercase();
    if let Some(label) = lower.strip_prefix("node.labels.").map(|_| &descriptor["node.labels.".len()..]) {
        return Some(info.node.spec.labels.get(label).cloned().unwrap_or_default());
    }
    if let Some(label) = lower.strip_prefix("engine.labels.").map(|_| &descriptor["engine.labels.".len()..]) {
        return Some(info.node.description.engine.labels.get(label).cloned().unwrap_or_default());
    }
    None
}

fn schedule_group(pass: &mut Pass, store: &Store, infos: &mut [NodeInfo], group: Group) {
    let first = group.tasks[0];
    let mut pipeline = Pipeline::for_task(first, endpoint(store, first));
    let prefs: Vec<String> = first
        .spec
        .placement
        .as_ref()
        .map(|p| p.preferences.iter().filter_map(|p| p.spread.as_ref().map(|s| s.spread_descriptor.clone())).collect())
        .unwrap_or_default();
    let service = group.service.clone();
    let mut tree = Tree::default();
    for (i, info) in infos.iter().enumerate() {
        let here = info.active_by_service.get(&service).copied().unwrap_or(0);
        let mut level = &mut tree;
        for p in &prefs {
            let Some(value) = spread_value(p, info) else { continue };
            level.tasks += here;
            level = level.next.entry(value).or_default();
        }
        level.tasks += here;
        if pipeline.process(info) {
            level.nodes.push(i);
        }
    }
    let ports = host_ports(endpoint(store, first));
    let mut remaining: VecDeque<&Task> = group.tasks.into();
    let n = remaining.len();
    let here = infos.iter().map(|i| i.active_by_service.get(&service).copied().unwrap_or(0)).collect();
    let failures = infos.iter().map(|i| i.failures.get(&service).copied().unwrap_or(0)).collect();
    let mut ctx = GroupCtx { pass, infos, pipeline: &mut pipeline, ports: &ports, here, failures };
    on_subtree(&mut ctx, n, &mut remaining, &mut tree);
    let explanation = ctx.pipeline.explain();
    for t in remaining {
        no_suitable_node(ctx.pass, t, &explanation);
    }
}

struct GroupCtx<'p, 'a, 's> {
    pass: &'p mut Pass<'a>,
    infos: &'p mut [NodeInfo<'s>],
    pipeline: &'p mut Pipeline,
    ports: &'p [(String, u32)],
    /// This service's tasks and recent failures per node, kept beside `infos` so that
    /// ranking needs no lookups.
    here: Vec<usize>,
    failures: Vec<usize>,
}

impl GroupCtx<'_, '_, '_> {
    /// swarmkit's node ordering for this group's service.
    fn less(&self, a: usize, b: usize) -> bool {
        let (fa, fb) = (self.failures[a], self.failures[b]);
        if (fa >= MAX_FAILURES || fb >= MAX_FAILURES) && fa != fb {
            return fa < fb;
        }
        if self.here[a] != self.here[b] {
            return self.here[a] < self.here[b];
        }
        self.infos[a].active < self.infos[b].active
    }

    fn order(&self, nodes: &mut [usize]) {
        nodes.sort_by(|&a, &b| {
            if self.less(a, b) {
                std::cmp::Ordering::Less
            } else if self.less(b, a) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
    }
}

/// swarmkit `scheduleNTasksOnSubtree`: share `n` tasks evenly among the branches.
fn on_subtree(ctx: &mut GroupCtx, n: usize, tasks: &mut VecDeque<&Task>, tree: &mut Tree) -> usize {
    if tree.next.is_empty() {
        let mut nodes = std::mem::take(&mut tree.nodes);
        ctx.order(&mut nodes);
        return on_nodes(ctx, n, tasks, &nodes);
    }
    let mut scheduled = 0;
    let mut in_usable = tree.tasks;
    let mut no_room: BTreeSet<String> = BTreeSet::new();
    let branches = tree.next.len();
    let mut converging = true;
    while scheduled != n && no_room.len() != branches && converging {
        let open = branches - no_room.len();
        let desired = (in_usable + n - scheduled) / open;
        let mut remainder = (in_usable + n - scheduled) % open;
        converging = false;
        for (key, sub) in tree.next.iter_mut() {
            if no_room.contains(key) {
                continue;
            }
            let have = sub.tasks;
            if have < desired || (have == desired && remainder > 0) {
                converging = true;
                let mut want = desired - have;
                if remainder > 0 {
                    want += 1;
                }
                let got = on_subtree(ctx, want, tasks, sub);
                if got < want {
                    no_room.insert(key.clone());
                    in_usable -= have;
                } else {
                    remainder = remainder.saturating_sub(1);
                }
                // swarmkit leaves the branch's count as it was: later rounds use it.
                scheduled += got;
            }
        }
    }
    scheduled
}

/// swarmkit `scheduleNTasksOnNodes`: round-robin over the ordered nodes, moving on when
/// the next node ranks better or the current one no longer passes the filters.
fn on_nodes(ctx: &mut GroupCtx, n: usize, tasks: &mut VecDeque<&Task>, nodes: &[usize]) -> usize {
    let count = nodes.len();
    if count == 0 || n == 0 {
        return 0;
    }
    let mut scheduled = 0;
    let mut failed = vec![false; count];
    let mut iter = 0usize;
    while let Some(t) = tasks.pop_front() {
        let node = nodes[iter % count];
        ctx.infos[node].add(t, ctx.ports);
        ctx.here[node] += 1;
        let node_id = ctx.infos[node].node.id.clone();
        ctx.pass.changes.push(assigned(ctx.pass, t, &node_id));
        scheduled += 1;
        if scheduled == n {
            return scheduled;
        }
        if iter + 1 < count {
            let next = nodes[(iter + 1) % count];
            if ctx.less(next, node) {
                iter += 1;
            }
        } else {
            iter += 1;
        }
        let start = iter;
        while failed[iter % count] || !ctx.pipeline.process(&ctx.infos[nodes[iter % count]]) {
            failed[iter % count] = true;
            iter += 1;
            if iter - start == count {
                return scheduled;
            }
        }
    }
    scheduled
}
