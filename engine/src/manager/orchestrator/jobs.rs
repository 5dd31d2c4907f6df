//! swarmkit's job orchestrators: a replicated job runs `TotalCompletions` tasks to
//! completion, at most `MaxConcurrent` at a time; a global job runs once on every
//! eligible node. Job tasks are desired "complete", not "running".

use super::super::Pass;
use super::super::scheduler::constraint;
use super::super::state::ManagerState;
use super::{invalid_node, new_task};
use crate::store::{Change, Store};
use crate::types::{ModeKind, NodeAvailability, Service, TaskState};

fn this_iteration(service: &Service, t: &crate::types::Task) -> bool {
    let current = service.job_status.as_ref().map_or(0, |j| j.job_iteration.index);
    t.job_iteration.as_ref().map_or(0, |v| v.index) == current
}

pub fn reconcile(pass: &mut Pass, store: &Store, state: &mut ManagerState, service: &Service) {
    match service.spec.mode.kind() {
        ModeKind::ReplicatedJob => replicated(pass, store, state, service),
        ModeKind::GlobalJob => global(pass, store, service),
        _ => {}
    }
}

fn replicated(pass: &mut Pass, store: &Store, state: &ManagerState, service: &Service) {
    let job = service.spec.mode.replicated_job.clone().unwrap_or_default();
    let total = job.total_completions.unwrap_or(1);
    let max_concurrent = job.max_concurrent.unwrap_or(total).max(1);
    // Each slot is one completion to achieve: done, under way, or given up on.
    let (mut settled, mut active, mut last_slot) = (0u64, 0u64, 0u64);
    for (_, tasks) in super::slots(store, service) {
        let tasks: Vec<_> = tasks.into_iter().filter(|t| this_iteration(service, t)).collect();
        let Some(newest) = tasks.iter().max_by_key(|t| (t.status.timestamp, t.created_at)) else { continue };
        last_slot = last_slot.max(newest.slot);
        if tasks.iter().any(|t| t.status.state == TaskState::Complete) {
            settled += 1;
        } else if tasks.iter().any(|t| t.desired_state <= TaskState::Complete && t.status.state <= TaskState::Running) {
            active += 1;
        } else if !super::restart::should_restart(state, newest, service) {
            settled += 1;
        } else {
            active += 1;
        }
    }
    let wanted = total.saturating_sub(settled + active).min(max_concurrent.saturating_sub(active));
    for _ in 0..wanted {
        last_slot += 1;
        let mut task = new_task(pass, service, last_slot, "");
        task.desired_state = TaskState::Complete;
        pass.changes.push(Change::CreateTask(Box::new(task)));
    }
}

fn global(pass: &mut Pass, store: &Store, service: &Service) {
    let constraints = constraint::parse_all(
        service.spec.task_template.placement.as_ref().map(|p| p.constraints.as_slice()).unwrap_or(&[]),
    )
    .unwrap_or_default();
    for (node_id, node) in &store.nodes {
        if invalid_node(Some(node))
            || node.spec.availability == NodeAvailability::Pause
            || !constraint::node_matches(&constraints, node)
        {
            continue;
        }
        let has = store.service_tasks(&service.id).any(|t| {
            t.node_id == *node_id
                && this_iteration(service, t)
                && (t.status.state == TaskState::Complete || t.desired_state <= TaskState::Complete)
        });
        if !has {
            let mut task = new_task(pass, service, 0, node_id);
            task.desired_state = TaskState::Complete;
            pass.changes.push(Change::CreateTask(Box::new(task)));
        }
    }
}

/// Job tasks that failed (and were not already handled) go to the restart supervisor.
pub fn restart_candidates(
    store: &Store,
    tasks: &std::collections::BTreeSet<String>,
) -> std::collections::BTreeSet<String> {
    tasks
        .iter()
        .filter(|id| {
            store.tasks.get(*id).is_some_and(|t| {
                t.desired_state == TaskState::Complete
                    && matches!(t.status.state, TaskState::Failed | TaskState::Rejected | TaskState::Shutdown)
                    && store
                        .services
                        .get(&t.service_id)
                        .is_some_and(|s| matches!(s.spec.mode.kind(), ModeKind::ReplicatedJob | ModeKind::GlobalJob))
            })
        })
        .cloned()
        .collect()
}
