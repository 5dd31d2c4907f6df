//! Orchestrators: from services to tasks. `replicated` keeps N slots filled, `global`
//! one task per eligible node, `jobs` runs tasks to completion; `restart` is swarmkit's
//! restart supervisor, shared by all of them.

pub mod global;
pub mod jobs;
pub mod replicated;
pub mod restart;

use super::Pass;
use crate::store::Store;
use crate::types::{ModeKind, Node, NodeAvailability, NodeState, Service, Task, TaskState, TaskStatus, Version};

/// swarmkit `orchestrator.NewTask`.
pub fn new_task(pass: &mut Pass, service: &Service, slot: u64, node_id: &str) -> Task {
    Task {
        id: pass.entropy.id(),
        labels: Default::default(),
        spec: service.spec.task_template.clone(),
        service_id: service.id.clone(),
        slot,
        node_id: node_id.to_string(),
        status: TaskStatus {
            timestamp: pass.now,
            state: TaskState::New,
            message: "created".into(),
            ..TaskStatus::default()
        },
        desired_state: TaskState::Running,
        job_iteration: service.job_status.as_ref().map(|j| Version { index: j.job_iteration.index }),
        ..Task::default()
    }
}

/// swarmkit `orchestrator.InvalidNode`: gone, down or drained.
pub fn invalid_node(node: Option<&Node>) -> bool {
    node.is_none_or(|n| n.status.state == NodeState::Down || n.spec.availability == NodeAvailability::Drain)
}

/// Is the task's spec the service's current one? (swarmkit `IsTaskDirty`, without the
/// node-specific parts.)
pub fn is_task_dirty(service: &Service, task: &Task) -> bool {
    service.spec.task_template != task.spec
}

/// Tasks of a service grouped by slot (global services: by node), in slot order.
pub fn slots<'a>(store: &'a Store, service: &Service) -> Vec<(String, Vec<&'a Task>)> {
    let global = matches!(service.spec.mode.kind(), ModeKind::Global | ModeKind::GlobalJob);
    let mut by_key: std::collections::BTreeMap<(u64, String), Vec<&Task>> = Default::default();
    for t in store.service_tasks(&service.id) {
        let key = if global { (0, t.node_id.clone()) } else { (t.slot, String::new()) };
        by_key.entry(key).or_default().push(t);
    }
    by_key
        .into_iter()
        .map(|((slot, node), tasks)| (if node.is_empty() { slot.to_string() } else { node }, tasks))
        .collect()
}
