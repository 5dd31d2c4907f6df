//! swarmkit's global orchestrator: one task on every node that is up, not drained and
//! meets the service's constraints; paused nodes keep what they have.

use super::super::scheduler::constraint;
use super::super::state::ManagerState;
use super::super::{Pass, updater};
use super::{invalid_node, new_task};
use crate::store::{Change, Store};
use crate::types::{NodeAvailability, Service, Task, TaskState};
use std::collections::{BTreeMap, BTreeSet};

fn shutdown(pass: &mut Pass, tasks: &[&Task]) {
    for t in tasks {
        if t.desired_state < TaskState::Shutdown {
            pass.changes.push(Change::SetTaskDesiredState { id: t.id.clone(), state: TaskState::Shutdown });
        }
    }
}

pub fn reconcile(pass: &mut Pass, store: &Store, state: &mut ManagerState, service: &Service) {
    let constraints = constraint::parse_all(service_constraints(service)).unwrap_or_default();
    let mut by_node: BTreeMap<&str, Vec<&Task>> = BTreeMap::new();
    for t in store.service_tasks(&service.id) {
        if t.desired_state <= TaskState::Running {
            by_node.entry(t.node_id.as_str()).or_default().push(t);
        }
    }
    let mut updates = Vec::new();
    for (node_id, node) in &store.nodes {
        if invalid_node(Some(node)) {
            continue;
        }
        let tasks = by_node.remove(node_id.as_str()).unwrap_or_default();
        if !constraint::node_matches(&constraints, node) {
            shutdown(pass, &tasks);
            continue;
        }
        if node.spec.availability == NodeAvailability::Pause {
            continue;
        }
        if tasks.is_empty() {
            let has_waiting =
                store.service_tasks(&service.id).any(|t| t.node_id == *node_id && t.desired_state == TaskState::Ready);
            if !has_waiting && !exhausted(state, store, service, node_id) {
                let task = new_task(pass, service, 0, node_id);
                pass.changes.push(Change::CreateTask(Box::new(task)));
            }
        } else {
            updates.push(tasks);
        }
    }
    // Nodes that are gone, down or drained lose their tasks.
    for tasks in by_node.values() {
        shutdown(pass, tasks);
    }
    updater::update(pass, store, state, service, &updates);
}

/// A node whose last task for this service will not be restarted keeps no new one.
fn exhausted(state: &ManagerState, store: &Store, service: &Service, node_id: &str) -> bool {
    let newest = store.service_tasks(&service.id).filter(|t| t.node_id == node_id).max_by_key(|t| t.status.timestamp);
    newest.is_some_and(|t| !super::restart::should_restart(state, t, service))
}

fn service_constraints(service: &Service) -> &[String] {
    service.spec.task_template.placement.as_ref().map(|p| p.constraints.as_slice()).unwrap_or(&[])
}

/// Global tasks that stopped on a node that is still valid get restarted; those on an
/// invalid node are shut down by `reconcile`.
pub fn restart_candidates(store: &Store, tasks: &BTreeSet<String>) -> BTreeSet<String> {
    tasks
        .iter()
        .filter(|id| {
            store.tasks.get(*id).is_some_and(|t| {
                t.desired_state <= TaskState::Running
                    && t.status.state > TaskState::Running
                    && !invalid_node(store.nodes.get(&t.node_id))
                    && store.services.get(&t.service_id).is_some_and(|s| {
                        matches!(s.spec.mode.kind(), crate::types::ModeKind::Global | crate::types::ModeKind::GlobalJob)
                    })
            })
        })
        .cloned()
        .collect()
}
