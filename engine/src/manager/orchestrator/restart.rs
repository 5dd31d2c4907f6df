//! swarmkit's restart supervisor: when a task stops (or its node goes away), decide
//! whether its slot gets a replacement, and start that replacement only after the
//! restart delay and once the old task has stopped.

use super::super::state::{DelayedStart, ManagerState, OLD_TASK_TIMEOUT};
use super::super::{Pass, Timer};
use super::new_task;
use crate::store::{Change, Store};
use crate::time::Timestamp;
use crate::types::{ModeKind, NodeAvailability, NodeState, Service, Task, TaskState};
use std::time::Duration;

/// swarmkit `defaults.Service.Task.Restart.Delay`.
pub const DEFAULT_RESTART_DELAY: Duration = Duration::from_secs(5);

use crate::manager::nanos;

/// The key restarts are counted under: the slot, or the node for global services.
pub fn instance_key(service: &Service, task: &Task) -> (String, String) {
    let global = matches!(service.spec.mode.kind(), ModeKind::Global | ModeKind::GlobalJob);
    let instance = if global { task.node_id.clone() } else { task.slot.to_string() };
    (service.id.clone(), instance)
}

/// swarmkit `Supervisor.shouldRestart`.
pub fn should_restart(state: &ManagerState, task: &Task, service: &Service) -> bool {
    let policy = task.spec.restart_policy.clone().unwrap_or_default();
    let is_job = matches!(service.spec.mode.kind(), ModeKind::ReplicatedJob | ModeKind::GlobalJob);
    match policy.condition.as_str() {
        "none" => return false,
        "on-failure" if task.status.state == TaskState::Complete => return false,
        "" | "any" if is_job && task.status.state == TaskState::Complete => return false,
        _ => {}
    }
    let max = policy.max_attempts.unwrap_or(0);
    if max == 0 {
        return true;
    }
    let Some(history) = state.restarts.get(&instance_key(service, task)) else { return true };
    let window = policy.window.unwrap_or(0);
    if window == 0 {
        return (history.len() as u64) < max;
    }
    let at = task.status.timestamp;
    let lookback = Timestamp(at.0.saturating_sub(window));
    let recent = history.iter().filter(|t| **t > lookback && **t < at).count() as u64;
    recent < max
}

/// swarmkit `Supervisor.Restart`: shut the task down and, if the policy says so,
/// create its replacement, to start after the delay.
pub fn restart(pass: &mut Pass, store: &Store, state: &mut ManagerState, service: &Service, task: &Task) {
    if task.desired_state > TaskState::Complete
        || state.delayed.values().any(|d| d.old_task.as_deref() == Some(&task.id))
    {
        return;
    }
    pass.changes.push(Change::SetTaskDesiredState { id: task.id.clone(), state: TaskState::Shutdown });
    // A task shut down before its own delayed start fired must not be started after all.
    state.delayed.remove(&task.id);
    let mut stopped = task.clone();
    stopped.desired_state = TaskState::Shutdown;
    if !should_restart(state, &stopped, service) {
        return;
    }
    let global = matches!(service.spec.mode.kind(), ModeKind::Global | ModeKind::GlobalJob);
    let mut replacement =
        if global { new_task(pass, service, 0, &task.node_id) } else { new_task(pass, service, task.slot, "") };
    replacement.desired_state = TaskState::Ready;
    let node = store.nodes.get(&task.node_id);
    let drained = node.is_some_and(|n| n.spec.availability == NodeAvailability::Drain);
    let delay = if drained {
        Duration::ZERO
    } else {
        task.spec.restart_policy.as_ref().and_then(|p| p.delay).map_or(DEFAULT_RESTART_DELAY, nanos)
    };
    let node_down = node.is_some_and(|n| n.status.state == NodeState::Down);
    let wait_stop = !(node_down || task.status.state > TaskState::Running);
    if task.spec.restart_policy.as_ref().and_then(|p| p.max_attempts).unwrap_or(0) > 0 {
        state.restarts.entry(instance_key(service, task)).or_default().push(pass.now);
    }
    state
        .delayed
        .insert(replacement.id.clone(), DelayedStart::new(pass.now, delay, wait_stop.then(|| task.id.clone())));
    if !delay.is_zero() {
        pass.timers.push((delay, Timer::Wake));
    }
    if wait_stop {
        pass.timers.push((OLD_TASK_TIMEOUT, Timer::Wake));
    }
    pass.changes.push(Change::CreateTask(Box::new(replacement)));
}

/// Replacements whose delay has passed and whose predecessor has stopped may run.
pub fn start_delayed(pass: &mut Pass, store: &Store, state: &mut ManagerState) {
    let ready: Vec<String> = state
        .delayed
        .iter()
        .filter(|(id, d)| {
            // swarmkit stops waiting when the old task ends, its node goes down, or the
            // wait times out (a node powered off before it was seen down).
            let old_stopped = d.give_up <= pass.now
                || d.old_task.as_ref().is_none_or(|old| {
                    store.tasks.get(old).is_none_or(|t| {
                        t.status.state > TaskState::Running
                            || t.node_id.is_empty()
                            || store.nodes.get(&t.node_id).is_none_or(|n| n.status.state == NodeState::Down)
                    })
                });
            // A replacement created in this pass is not in the store yet: it waits.
            d.not_before <= pass.now && old_stopped && store.tasks.contains_key(*id)
        })
        .map(|(id, _)| id.clone())
        .collect();
    for id in ready {
        state.delayed.remove(&id);
        let Some(task) = store.tasks.get(&id).filter(|t| t.desired_state == TaskState::Ready) else { continue };
        let is_job = store
            .services
            .get(&task.service_id)
            .is_some_and(|s| matches!(s.spec.mode.kind(), ModeKind::ReplicatedJob | ModeKind::GlobalJob));
        let state = if is_job { TaskState::Complete } else { TaskState::Running };
        pass.changes.push(Change::SetTaskDesiredState { id, state });
    }
}

/// swarmkit `UpdatableTasksInSlot`: the tasks of a slot that are meant to run, or the
/// newest one when it will not be restarted (the slot stays occupied by it).
pub fn updatable_tasks<'a>(state: &ManagerState, slot: &[&'a Task], service: &Service) -> Vec<&'a Task> {
    let updatable: Vec<&Task> = slot.iter().copied().filter(|t| t.desired_state <= TaskState::Running).collect();
    if !updatable.is_empty() {
        return updatable;
    }
    if service.update_status.as_ref().is_some_and(|u| u.state == "rollback_started") {
        return Vec::new();
    }
    let Some(newest) = slot.iter().copied().max_by_key(|t| (t.status.timestamp, t.created_at)) else {
        return Vec::new();
    };
    if should_restart(state, newest, service) { Vec::new() } else { vec![newest] }
}
