//! What the leading manager keeps besides the store: which objects changed since the
//! last pass (swarmkit's components watch store events; here the store's changes are
//! observed into these sets), restart history, delayed starts and running updates.

use super::updater::UpdateRun;
use crate::store::{Change, Store};
use crate::time::Timestamp;
use crate::types::TaskState;
use std::collections::{BTreeMap, BTreeSet};

/// A restart waiting for its delay and for the task it replaces to stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayedStart {
    pub old_task: Option<String>,
    pub not_before: Timestamp,
    /// swarmkit's `TaskTimeout`: past it the start stops waiting for the old task.
    pub give_up: Timestamp,
}

/// How long a replacement waits for the task it replaces to stop (swarmkit
/// `defaultOldTaskTimeout`), counted from when the replacement is created.
pub const OLD_TASK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

impl DelayedStart {
    pub fn new(now: Timestamp, delay: std::time::Duration, old_task: Option<String>) -> Self {
        DelayedStart { old_task, not_before: now.plus(delay), give_up: now.plus(OLD_TASK_TIMEOUT) }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ManagerState {
    pub dirty_services: BTreeSet<String>,
    pub task_events: BTreeSet<String>,
    pub node_events: BTreeSet<String>,
    /// Tasks the scheduler should (re)consider.
    pub unassigned: BTreeSet<String>,
    /// Something freed capacity or changed nodes: retry every pending task.
    pub retry_pending: bool,
    /// Restart timestamps per (service, slot or node), for max attempts and window.
    pub restarts: BTreeMap<(String, String), Vec<Timestamp>>,
    /// New task ID -> what it waits for before it may run.
    pub delayed: BTreeMap<String, DelayedStart>,
    /// Rolling updates and rollbacks under way, by service ID.
    pub updates: BTreeMap<String, UpdateRun>,
    /// Services created or changed, whose endpoints the allocator checks.
    pub new_specs: BTreeSet<String>,
    /// Tasks whose node or desired state changed: the dispatcher tells their agent.
    pub dispatch: BTreeSet<String>,
    /// Tasks removed from the store, with the node whose agent must forget them.
    pub forgotten: Vec<(String, String)>,
}

impl ManagerState {
    /// The state control loops start from on a new leader (swarmkit's components
    /// start over and read the store): every service and node to look at, every
    /// live task to check, pending ones to schedule, and replacements that were
    /// waiting for their restart delay to wait for what is left of it.
    pub fn resume(store: &Store, now: Timestamp) -> ManagerState {
        let mut s = ManagerState { retry_pending: true, ..ManagerState::default() };
        s.dirty_services = store.services.keys().cloned().collect();
        s.node_events = store.nodes.keys().cloned().collect();
        for t in store.tasks.values() {
            if t.desired_state <= TaskState::Running {
                s.task_events.insert(t.id.clone());
            }
            if t.desired_state <= TaskState::Running && (t.node_id.is_empty() || t.status.state < TaskState::Assigned) {
                s.unassigned.insert(t.id.clone());
            }
            if t.desired_state == TaskState::Ready && t.status.state <= TaskState::Complete {
                let delay = t
                    .spec
                    .restart_policy
                    .as_ref()
                    .and_then(|p| p.delay)
                    .map_or(super::orchestrator::restart::DEFAULT_RESTART_DELAY, |n| {
                        std::time::Duration::from_nanos(n.max(0) as u64)
                    });
                let not_before = t.status.timestamp.plus(delay).min(now.plus(delay));
                s.delayed.insert(t.id.clone(), DelayedStart { old_task: None, not_before, give_up: not_before });
            }
        }
        s
    }

    /// When the resumed delayed starts are due.
    pub fn wake_times(&self) -> BTreeSet<Timestamp> {
        self.delayed.values().map(|d| d.not_before).collect()
    }

    /// Records what a change is about to touch (called before it is applied, so that
    /// removed objects can still be looked up).
    pub fn observe(&mut self, change: &Change, store: &Store) {
        let service_of = |id: &str| store.tasks.get(id).map(|t| t.service_id.clone());
        match change {
            Change::CreateService(s) | Change::UpdateService(s) => {
                self.dirty_services.insert(s.id.clone());
                self.new_specs.insert(s.id.clone());
            }
            Change::RemoveService { id } => {
                self.dirty_services.insert(id.clone());
                self.updates.remove(id);
            }
            Change::CreateTask(t) => {
                self.task_events.insert(t.id.clone());
                if !t.node_id.is_empty() {
                    self.dispatch.insert(t.id.clone());
                }
                if t.node_id.is_empty() || t.status.state < TaskState::Assigned {
                    self.unassigned.insert(t.id.clone());
                }
            }
            Change::SetTaskStatus { id, status } => {
                // The way to running (accepted, preparing, …) concerns no control loop.
                if status.state >= TaskState::Running || status.state == TaskState::Pending {
                    self.task_events.insert(id.clone());
                }
                if status.state == TaskState::Pending {
                    self.unassigned.insert(id.clone());
                }
                // Only arrivals at running and beyond matter to orchestrators and updaters.
                if status.state >= TaskState::Running {
                    self.dirty_services.extend(service_of(id));
                }
                if status.state > TaskState::Running {
                    self.retry_pending = true;
                }
            }
            Change::AssignTask { id, .. } => {
                self.dispatch.insert(id.clone());
            }
            Change::SetTaskDesiredState { id, .. } => {
                self.task_events.insert(id.clone());
                self.dispatch.insert(id.clone());
                self.dirty_services.extend(service_of(id));
            }
            Change::RemoveTask { id } => {
                self.dirty_services.extend(service_of(id));
                if let Some(t) = store.tasks.get(id) {
                    self.forgotten.push((t.node_id.clone(), id.clone()));
                }
                self.unassigned.remove(id);
                self.delayed.remove(id);
                self.retry_pending = true;
            }
            Change::CreateNode(n) => {
                self.node_events.insert(n.id.clone());
                self.retry_pending = true;
            }
            Change::UpdateNodeSpec { id, .. } | Change::SetNodeStatus { id, .. } | Change::RemoveNode { id } => {
                self.node_events.insert(id.clone());
                self.retry_pending = true;
            }
            Change::CreateCluster(_)
            | Change::UpdateClusterSpec(_)
            | Change::SetJoinTokens(_)
            | Change::SetUnlockKey(_)
            | Change::SetManagerStatus { .. }
            | Change::CreateSecret(_)
            | Change::RemoveSecret { .. }
            | Change::CreateConfig(_)
            | Change::RemoveConfig { .. }
            | Change::UpdateSecret(_)
            | Change::UpdateConfig(_)
            | Change::CreateNetwork(_)
            | Change::RemoveNetwork { .. }
            | Change::SetTaskNetworks { .. } => {}
        }
    }

    pub fn is_idle(&self) -> bool {
        self.dirty_services.is_empty()
            && self.task_events.is_empty()
            && self.node_events.is_empty()
            && self.unassigned.is_empty()
            && !self.retry_pending
    }
}
