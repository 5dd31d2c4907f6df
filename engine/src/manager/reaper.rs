//! swarmkit's task reaper: a slot keeps at most the task history limit of tasks (the
//! restart attempts + 1 when those are limited); tasks desired "remove" go once they
//! have stopped; so do the tasks of removed services.

use super::Pass;
use crate::store::{Change, Store};
use crate::types::{Service, Task, TaskState};
use std::collections::BTreeSet;

fn terminal(t: &Task) -> bool {
    t.status.state > TaskState::Running
}

/// swarmkit `taskWillNeverRun`: stopped before it was ever given to a node.
fn never_runs(t: &Task) -> bool {
    t.desired_state > TaskState::Running && t.status.state < TaskState::Assigned
}

pub fn reap(pass: &mut Pass, store: &Store, touched: &BTreeSet<String>) {
    let limit =
        store.cluster.as_ref().and_then(|c| c.info.spec.orchestration.task_history_retention_limit).unwrap_or(5);
    let mut gone: BTreeSet<String> = BTreeSet::new();
    let mut services: BTreeSet<&str> = BTreeSet::new();
    for id in touched {
        if let Some(t) = store.tasks.get(id) {
            services.insert(&t.service_id);
            let orphan = !store.services.contains_key(&t.service_id);
            if (t.desired_state == TaskState::Remove || orphan)
                && (terminal(t) || never_runs(t) || t.node_id.is_empty())
            {
                gone.insert(t.id.clone());
            }
            if orphan && t.desired_state < TaskState::Remove {
                pass.changes.push(Change::SetTaskDesiredState { id: t.id.clone(), state: TaskState::Remove });
            }
        }
    }
    for service_id in services {
        let Some(service) = store.services.get(service_id) else { continue };
        trim(store, service, limit, &mut gone);
    }
    for id in gone {
        pass.changes.push(Change::RemoveTask { id });
    }
}

/// Keeps each slot (or each node, for global services) within its history limit,
/// dropping the oldest finished tasks first.
fn trim(store: &Store, service: &Service, limit: i64, gone: &mut BTreeSet<String>) {
    let history = match service.spec.task_template.restart_policy.as_ref().and_then(|r| r.max_attempts) {
        Some(n) if n > 0 => n as i64 + 1,
        _ => limit,
    };
    if history < 0 {
        return;
    }
    // A slot holds more than `history` tasks only if the service has at least that
    // many tasks beyond one per slot: skip the grouping otherwise.
    let total = store.tasks_by_service.get(&service.id).map_or(0, |s| s.len()) as i64;
    let slots = service.spec.mode.replicas().map_or(store.nodes.len() as i64, |r| r as i64);
    if total < slots.max(1) + history {
        return;
    }
    for (_, mut tasks) in super::orchestrator::slots(store, service) {
        if tasks.len() as i64 <= history {
            continue;
        }
        tasks.sort_by_key(|t| (t.status.timestamp, t.created_at));
        let mut excess = tasks.len() as i64 - history;
        for t in tasks {
            if excess == 0 {
                break;
            }
            if terminal(t) || never_runs(t) {
                gone.insert(t.id.clone());
                excess -= 1;
            }
        }
    }
}
