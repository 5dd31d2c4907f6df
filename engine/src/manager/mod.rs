//! The manager side of a swarm, named after swarmkit's: `controlapi` validates requests
//! and turns them into store changes; `orchestrator`, `allocator`, `scheduler`,
//! `updater` and `reaper` are the control loops that run on the leader; `leadership`
//! holds the quorum rules for requests that change who manages (who leads is Raft's).

pub mod allocator;
pub mod budget;
pub mod controlapi;
pub mod leadership;
pub mod networks;
pub mod objects;
pub mod orchestrator;
pub mod reaper;
pub mod scheduler;
pub mod services;
pub mod state;
pub mod updater;

use crate::ids::Entropy;
use crate::store::{Change, Store};
use crate::time::Timestamp;
use crate::types::{ModeKind, TaskState};
use state::ManagerState;
use std::time::Duration;

/// Wake-ups the control loops ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timer {
    /// A restart delay ends.
    Wake,
    /// A service's update may move on (update delay, end of monitoring).
    Service(String),
}

/// One pass of the control loops: what they decided, to be committed together.
pub struct Pass<'a> {
    pub now: Timestamp,
    pub entropy: &'a mut Entropy,
    pub changes: Vec<Change>,
    pub timers: Vec<(Duration, Timer)>,
}

/// Runs every control loop once over what changed since the last pass.
pub fn step(pass: &mut Pass, store: &Store, state: &mut ManagerState) {
    let tasks = std::mem::take(&mut state.task_events);
    let nodes = std::mem::take(&mut state.node_events);

    // Orchestrators: restart what stopped or lost its node.
    let mut restarts = orchestrator::replicated::restart_candidates(store, &tasks, &nodes);
    restarts.extend(orchestrator::global::restart_candidates(store, &tasks));
    restarts.extend(orchestrator::jobs::restart_candidates(store, &tasks));
    for id in &restarts {
        let Some(task) = store.tasks.get(id) else { continue };
        let Some(service) = store.services.get(&task.service_id) else { continue };
        orchestrator::restart::restart(pass, store, state, service, task);
    }
    if !nodes.is_empty() {
        let global =
            store.services.values().filter(|s| matches!(s.spec.mode.kind(), ModeKind::Global | ModeKind::GlobalJob));
        state.dirty_services.extend(global.map(|s| s.id.clone()));
    }
    let services = std::mem::take(&mut state.dirty_services);
    for id in &services {
        match store.services.get(id) {
            Some(service) => match service.spec.mode.kind() {
                ModeKind::Replicated => orchestrator::replicated::reconcile(pass, store, state, service),
                ModeKind::Global => orchestrator::global::reconcile(pass, store, state, service),
                ModeKind::ReplicatedJob | ModeKind::GlobalJob => {
                    orchestrator::jobs::reconcile(pass, store, state, service)
                }
            },
            // A removed service: its tasks are to be removed.
            None => {
                for t in store.service_tasks(id).filter(|t| t.desired_state < TaskState::Remove) {
                    pass.changes.push(Change::SetTaskDesiredState { id: t.id.clone(), state: TaskState::Remove });
                }
            }
        }
    }
    orchestrator::restart::start_delayed(pass, store, state);
    let new_specs = std::mem::take(&mut state.new_specs);
    allocator::allocate(pass, store, &new_specs, &tasks);
    scheduler::schedule(pass, store, state);
    reaper::reap(pass, store, &tasks);
}

/// A spec's nanoseconds (Go's `time.Duration`) as a duration; negative counts as none.
pub(crate) fn nanos(n: i64) -> std::time::Duration {
    std::time::Duration::from_nanos(u64::try_from(n).unwrap_or(0))
}
