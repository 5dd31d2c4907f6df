//! swarmkit's updater: replaces the tasks whose spec is out of date, `parallelism` at a
//! time with `delay` between them, stop-first or start-first, watching each new task
//! for `monitor`; on failures past `max_failure_ratio` it pauses, continues or rolls
//! back. A rollback is the same walk back to the previous spec, with `RollbackConfig`.

use super::orchestrator::{is_task_dirty, new_task};
use super::state::{DelayedStart, ManagerState, OLD_TASK_TIMEOUT};
use super::{Pass, Timer};
use crate::store::{Change, Store};
use crate::time::Timestamp;
use crate::types::{ModeKind, Service, Task, TaskState, UpdateConfig, UpdateStatus};
use std::collections::BTreeMap;
use std::time::Duration;

/// An update or rollback under way.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateRun {
    service: String,
    pub rollback: bool,
    /// The spec this run brings the slots to; a newer one starts a new run.
    spec: Box<crate::types::ServiceSpec>,
    /// New task ID -> the tasks it replaces, and when it started running.
    in_flight: BTreeMap<String, (Vec<String>, Option<Timestamp>)>,
    /// Tasks that ran, watched until the time given.
    monitored: BTreeMap<String, Timestamp>,
    /// Old tasks this run has already shut down (the store may not show it yet).
    retired: std::collections::BTreeSet<String>,
    next_start: Timestamp,
    failures: u64,
    total: u64,
}

/// The update (or rollback) settings in force, with swarmkit's defaults.
pub fn config(service: &Service, rollback: bool) -> UpdateConfig {
    let c = if rollback { &service.spec.rollback_config } else { &service.spec.update_config };
    UpdateConfig::or_defaults(c.as_ref())
}

use crate::manager::nanos;

fn set_status(pass: &mut Pass, service: &Service, status: UpdateStatus) {
    let mut s = service.clone();
    s.update_status = Some(status);
    pass.changes.push(Change::UpdateService(Box::new(s)));
}

fn is_paused(service: &Service) -> bool {
    service.update_status.as_ref().is_some_and(|u| u.state == "paused" || u.state == "rollback_paused")
}

fn rolling_back(service: &Service) -> bool {
    service.update_status.as_ref().is_some_and(|u| u.state == "rollback_started")
}

/// Drives the update of `service` given its live slots.
pub fn update(pass: &mut Pass, store: &Store, state: &mut ManagerState, service: &Service, slots: &[Vec<&Task>]) {
    if is_paused(service) {
        state.updates.remove(&service.id);
        return;
    }
    let rollback = rolling_back(service);
    // Like swarmkit cancelling the updater on a new spec: the next run replaces every
    // task of a dirty slot, the half-updated ones included.
    if state.updates.get(&service.id).is_some_and(|r| r.rollback != rollback || *r.spec != service.spec) {
        state.updates.remove(&service.id);
    }
    let cfg = config(service, rollback);
    let dirty: Vec<&Vec<&Task>> = slots.iter().filter(|s| s.iter().any(|t| is_task_dirty(service, t))).collect();
    let mut run = match state.updates.remove(&service.id) {
        Some(mut run) => {
            if let Some(task) = watch(pass, store, &cfg, &mut run) {
                run.failures += 1;
                let ratio = run.failures as f32 / run.total.max(1) as f32;
                if ratio > cfg.max_failure_ratio && on_failure(pass, service, &cfg, rollback, &task) {
                    return;
                }
            }
            run
        }
        None if dirty.is_empty() => {
            finish(pass, service, rollback);
            return;
        }
        None => {
            let starting = service
                .update_status
                .as_ref()
                .is_none_or(|u| u.state == "completed" || u.state == "rollback_completed");
            if starting && !rollback {
                let status = UpdateStatus {
                    state: "updating".into(),
                    started_at: Some(pass.now),
                    completed_at: None,
                    message: "update in progress".into(),
                };
                set_status(pass, service, status);
            }
            UpdateRun {
                service: service.id.clone(),
                rollback,
                spec: Box::new(service.spec.clone()),
                in_flight: BTreeMap::new(),
                monitored: BTreeMap::new(),
                retired: Default::default(),
                next_start: pass.now,
                failures: 0,
                total: dirty.len() as u64,
            }
        }
    };
    if dirty.is_empty() && run.in_flight.is_empty() {
        // Done once the last new tasks have been watched for the monitoring period.
        if run.monitored.is_empty() {
            finish(pass, service, rollback);
        } else {
            state.updates.insert(service.id.clone(), run);
        }
        return;
    }
    start_slots(pass, state, service, &cfg, &mut run, &dirty);
    state.updates.insert(service.id.clone(), run);
}

/// Follows the tasks in flight and under monitoring; returns a task that failed.
fn watch(pass: &mut Pass, store: &Store, cfg: &UpdateConfig, run: &mut UpdateRun) -> Option<String> {
    let mut failed = None;
    let task_service = run.service.clone();
    let ids: Vec<String> = run.in_flight.keys().cloned().collect();
    for id in ids {
        let Some(task) = store.tasks.get(&id) else {
            run.in_flight.remove(&id);
            continue;
        };
        if task.status.state == TaskState::Running {
            let (old, _) = run.in_flight.remove(&id).unwrap_or_default();
            run.retired.extend(old.iter().cloned());
            // swarmkit retires the old tasks only once the new one runs: if it fails
            // first, a start-first slot keeps both (the update pauses).
            if cfg.order == "start-first" {
                for o in old {
                    if store.tasks.get(&o).is_some_and(|t| t.desired_state <= TaskState::Running) {
                        pass.changes.push(Change::SetTaskDesiredState { id: o, state: TaskState::Shutdown });
                    }
                }
            }
            let until = pass.now.plus(nanos(cfg.monitor));
            run.monitored.insert(id.clone(), until);
            pass.timers.push((nanos(cfg.monitor), Timer::Service(task_service.clone())));
            run.next_start = run.next_start.max(pass.now.plus(nanos(cfg.delay)));
            if cfg.delay > 0 {
                pass.timers.push((nanos(cfg.delay), Timer::Service(task_service.clone())));
            }
        } else if task.status.state > TaskState::Running {
            run.in_flight.remove(&id);
            failed = Some(id);
        }
    }
    let watched: Vec<(String, Timestamp)> = run.monitored.iter().map(|(k, v)| (k.clone(), *v)).collect();
    for (id, until) in watched {
        let task = store.tasks.get(&id);
        // Stopping on purpose (replaced, scaled down) is no failure; dying is.
        let meant_to_run = task.is_some_and(|t| t.desired_state <= TaskState::Running);
        let died = task.is_some_and(|t| t.status.state > TaskState::Running);
        if until <= pass.now || !meant_to_run {
            run.monitored.remove(&id);
        } else if died {
            run.monitored.remove(&id);
            failed = Some(id);
        }
    }
    failed
}

/// Starts replacing more slots while parallelism and delay allow.
fn start_slots(
    pass: &mut Pass,
    state: &mut ManagerState,
    service: &Service,
    cfg: &UpdateConfig,
    run: &mut UpdateRun,
    dirty: &[&Vec<&Task>],
) {
    if pass.now < run.next_start {
        return;
    }
    let mut busy: std::collections::BTreeSet<String> =
        run.in_flight.values().flat_map(|(old, _)| old.iter().cloned()).chain(run.retired.iter().cloned()).collect();
    let global = matches!(service.spec.mode.kind(), ModeKind::Global);
    for slot in dirty {
        let parallel = cfg.parallelism == 0 || (run.in_flight.len() as u64) < cfg.parallelism;
        if !parallel {
            break;
        }
        if slot.iter().any(|t| busy.contains(&t.id)) {
            continue;
        }
        let old: Vec<&Task> = slot.iter().copied().filter(|t| t.desired_state <= TaskState::Running).collect();
        let Some(first) = old.first() else { continue };
        let mut task =
            if global { new_task(pass, service, 0, &first.node_id) } else { new_task(pass, service, first.slot, "") };
        if cfg.order == "start-first" {
            task.desired_state = TaskState::Running;
        } else {
            task.desired_state = TaskState::Ready;
            for o in &old {
                pass.changes.push(Change::SetTaskDesiredState { id: o.id.clone(), state: TaskState::Shutdown });
            }
            state.delayed.insert(task.id.clone(), DelayedStart::new(pass.now, Duration::ZERO, Some(first.id.clone())));
            pass.timers.push((OLD_TASK_TIMEOUT, Timer::Wake));
        }
        // A fresh spec in the slot: its restart history starts over.
        state.restarts.remove(&super::orchestrator::restart::instance_key(service, first));
        busy.extend(old.iter().map(|t| t.id.clone()));
        run.in_flight.insert(task.id.clone(), (old.iter().map(|t| t.id.clone()).collect(), None));
        pass.changes.push(Change::CreateTask(Box::new(task)));
    }
}

/// The failure action; true when the run is over (paused or turned into a rollback).
fn on_failure(pass: &mut Pass, service: &Service, cfg: &UpdateConfig, rollback: bool, task: &str) -> bool {
    match cfg.failure_action.as_str() {
        "continue" => false,
        "rollback" if !rollback && service.previous_spec.is_some() => {
            let mut s = service.clone();
            s.spec = service.previous_spec.clone().unwrap_or_default();
            s.previous_spec = None;
            s.update_status = Some(UpdateStatus {
                state: "rollback_started".into(),
                started_at: Some(pass.now),
                completed_at: None,
                message: format!("update rolled back due to failure or early termination of task {task}"),
            });
            pass.changes.push(Change::UpdateService(Box::new(s)));
            true
        }
        _ => {
            let paused = if rollback { "rollback_paused" } else { "paused" };
            let status = UpdateStatus {
                state: paused.into(),
                started_at: service.update_status.as_ref().and_then(|u| u.started_at),
                completed_at: None,
                message: format!("update paused due to failure or early termination of task {task}"),
            };
            set_status(pass, service, status);
            true
        }
    }
}

/// Every slot is up to date: the update (or rollback) is complete.
fn finish(pass: &mut Pass, service: &Service, rollback: bool) {
    let Some(status) = &service.update_status else { return };
    let (from, to, message) = if rollback {
        ("rollback_started", "rollback_completed", "rollback completed")
    } else {
        ("updating", "completed", "update completed")
    };
    if status.state == from {
        let done = UpdateStatus {
            state: to.into(),
            started_at: status.started_at,
            completed_at: Some(pass.now),
            message: message.into(),
        };
        set_status(pass, service, done);
    }
}
