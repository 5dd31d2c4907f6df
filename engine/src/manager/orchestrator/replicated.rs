//! swarmkit's replicated orchestrator: keep `replicas` slots filled, scaling up into the
//! lowest free slots and down from non-running tasks first, then from the nodes that run
//! the most copies.

use super::super::state::ManagerState;
use super::super::{Pass, updater};
use super::{invalid_node, new_task, restart, slots};
use crate::store::{Change, Store};
use crate::types::{ModeKind, Service, Task, TaskState};
use std::collections::{BTreeMap, BTreeSet};

/// Reconciles one replicated service.
pub fn reconcile(pass: &mut Pass, store: &Store, state: &mut ManagerState, service: &Service) {
    let Some(replicas) = service.spec.mode.replicas() else { return };
    let mut running: BTreeMap<u64, Vec<&Task>> = BTreeMap::new();
    let mut dead: BTreeMap<u64, Vec<&Task>> = BTreeMap::new();
    for (key, tasks) in slots(store, service) {
        let slot: u64 = key.parse().unwrap_or(0);
        let updatable = restart::updatable_tasks(state, &tasks, service);
        if updatable.is_empty() {
            dead.insert(slot, tasks);
        } else {
            running.insert(slot, updatable);
        }
    }
    let count = running.len() as u64;
    let delete_dead = |pass: &mut Pass, dead: &BTreeMap<u64, Vec<&Task>>| {
        for t in dead.values().flatten() {
            pass.changes.push(Change::RemoveTask { id: t.id.clone() });
        }
    };
    if replicas > count {
        let kept: Vec<Vec<&Task>> = running.values().cloned().collect();
        updater::update(pass, store, state, service, &kept);
        let mut slot = 0;
        for _ in 0..replicas - count {
            loop {
                slot += 1;
                if !running.contains_key(&slot) {
                    break;
                }
            }
            dead.remove(&slot);
            let task = new_task(pass, service, slot, "");
            pass.changes.push(Change::CreateTask(Box::new(task)));
        }
        delete_dead(pass, &dead);
    } else if replicas < count {
        // Running slots first (by slot number), then one task per node before the next.
        let mut ordered: Vec<Vec<&Task>> = running.values().cloned().collect();
        ordered.sort_by_key(|s| (!s.iter().any(|t| t.status.state == TaskState::Running), s[0].slot));
        let mut per_node: BTreeMap<&str, usize> = BTreeMap::new();
        let mut indexed: Vec<(usize, Vec<&Task>)> = ordered
            .into_iter()
            .map(|s| {
                if s.len() == 1 && !s[0].node_id.is_empty() {
                    let n = per_node.entry(s[0].node_id.as_str()).or_default();
                    *n += 1;
                    (*n, s)
                } else {
                    (usize::MAX, s)
                }
            })
            .collect();
        indexed.sort_by_key(|(i, _)| *i);
        let (keep, remove) = indexed.split_at(replicas as usize);
        let kept: Vec<Vec<&Task>> = keep.iter().map(|(_, s)| s.clone()).collect();
        updater::update(pass, store, state, service, &kept);
        delete_dead(pass, &dead);
        for t in remove.iter().flat_map(|(_, s)| s) {
            if t.desired_state <= TaskState::Remove {
                pass.changes.push(Change::SetTaskDesiredState { id: t.id.clone(), state: TaskState::Remove });
            }
        }
    } else {
        delete_dead(pass, &dead);
        let kept: Vec<Vec<&Task>> = running.values().cloned().collect();
        updater::update(pass, store, state, service, &kept);
    }
}

/// swarmkit `handleTaskChange` / `restartTasksByNodeID` for replicated services and
/// jobs: tasks that stopped, or whose node went away, get restarted.
pub fn restart_candidates(store: &Store, tasks: &BTreeSet<String>, nodes: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for id in tasks {
        let Some(t) = store.tasks.get(id) else { continue };
        if t.desired_state > TaskState::Running {
            continue;
        }
        let node_gone = !t.node_id.is_empty() && invalid_node(store.nodes.get(&t.node_id));
        if t.status.state > TaskState::Running || node_gone {
            out.insert(id.clone());
        }
    }
    for node in nodes {
        if !invalid_node(store.nodes.get(node)) {
            continue;
        }
        out.extend(store.node_tasks(node).filter(|t| t.desired_state <= TaskState::Running).map(|t| t.id.clone()));
    }
    out.retain(|id| {
        store
            .tasks
            .get(id)
            .and_then(|t| store.services.get(&t.service_id))
            .is_some_and(|s| s.spec.mode.kind() == ModeKind::Replicated)
    });
    out
}
