//! `docker service create/update/scale/rollback` progress: docker/cli's
//! `ServiceProgress` polling loop, rendered as moby's jsonmessage stream does, on a
//! terminal (lines redrawn in place) or on a pipe (one line per message).

use super::super::{CliError, Ctx};
use crate::api::Filters;
use crate::types::{ModeKind, Service, Task, TaskState};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

const POLL: Duration = Duration::from_millis(200);
const MAX_PROGRESS: i64 = 9;
const MAX_BARS: u64 = 20;
/// `longestState`: the longest non-terminal state name ("preparing", "allocated").
const LONGEST_STATE: usize = 9;

fn number(s: TaskState) -> i64 {
    match s {
        TaskState::New => 1,
        TaskState::Allocated => 2,
        TaskState::Pending => 3,
        TaskState::Assigned => 4,
        TaskState::Accepted => 5,
        TaskState::Preparing => 6,
        TaskState::Ready => 7,
        TaskState::Starting => 8,
        TaskState::Running => 9,
        TaskState::Complete => 10,
        TaskState::Shutdown => 11,
        TaskState::Failed => 12,
        TaskState::Rejected => 13,
        TaskState::Remove | TaskState::Orphaned => 0,
    }
}

fn terminal(s: TaskState) -> bool {
    number(s) > number(TaskState::Running)
}

/// moby's jsonmessage display: progress lines keyed by ID, redrawn in place on a tty.
pub struct Display {
    tty: bool,
    width: usize,
    ids: BTreeMap<String, usize>,
    pub out: String,
}

impl Display {
    pub fn new(tty_width: Option<usize>) -> Display {
        Display { tty: tty_width.is_some(), width: tty_width.unwrap_or(200), ids: BTreeMap::new(), out: String::new() }
    }

    /// A progress message (`WriteProgress`); `bar` is (current, total) for task lines.
    pub fn progress(&mut self, id: &str, action: &str, bar: Option<(i64, i64)>) {
        let bar_text = match bar {
            Some((current, total)) if total > 0 && self.width > 110 => {
                let pct = ((current as f64 / total as f64 * 100.0) as i64 / 2).min(50) as usize;
                format!("[{}>{}] ", "=".repeat(pct), " ".repeat(50 - pct))
            }
            _ => String::new(),
        };
        let line = match self.ids.get(id) {
            Some(l) => *l,
            None => {
                let l = self.ids.len();
                self.ids.insert(id.to_string(), l);
                if self.tty {
                    self.out.push('\n');
                }
                l
            }
        };
        let diff = self.ids.len() - line;
        if self.tty {
            if diff > 0 {
                let _ = write!(self.out, "\x1b[{diff}A");
            }
            let _ = write!(self.out, "\x1b[2K\r{id}: {action} {bar_text}\r");
            if diff > 0 {
                let _ = write!(self.out, "\x1b[{diff}B");
            }
        } else if bar_text.is_empty() {
            let _ = writeln!(self.out, "{id}: {action}");
        }
    }

    /// A plain message: it also ends the set of lines redrawn in place.
    pub fn message(&mut self, text: &str) {
        self.ids.clear();
        self.out.push_str(text);
        self.out.push('\n');
    }
}

/// Per-slot (or per-node) progress, as docker/cli's progress updaters keep it.
struct Updater {
    kind: ModeKind,
    initialized: bool,
    done: bool,
    slot_map: BTreeMap<u64, usize>,
}

impl Updater {
    fn overall(&self, d: &mut Display, n: u64, of: u64, rollback: bool) {
        let action = if rollback {
            format!("rolling back update: {n} out of {of} tasks")
        } else {
            format!("{n} out of {of} tasks")
        };
        d.progress("overall progress", &action, None);
    }

    fn task_line(&self, d: &mut Display, id: &str, t: &Task) {
        if !t.status.err.is_empty() {
            let mut err = t.status.err.replace('\n', " ");
            if err.len() > 75 {
                let cut = (0..=74).rev().find(|i| err.is_char_boundary(*i)).unwrap_or(0);
                err = format!("{}…", &err[..cut]);
            }
            d.progress(id, &err, None);
        } else if !terminal(t.desired_state) && !terminal(t.status.state) {
            let action = format!("{:<LONGEST_STATE$}", t.status.state.as_str());
            d.progress(id, &action, Some((number(t.status.state), MAX_PROGRESS)));
        }
    }

    /// The newest meaningful task per key (slot or node), as `tasksBySlot` picks it.
    fn by_key<'a>(tasks: &'a [Task], key: impl Fn(&Task) -> String, active: &[String]) -> BTreeMap<String, &'a Task> {
        let mut m: BTreeMap<String, &Task> = BTreeMap::new();
        for t in tasks {
            if number(t.desired_state) == 0 || number(t.status.state) == 0 {
                continue;
            }
            if let Some(e) = m.get(&key(t)) {
                let (ed, td) = (number(e.desired_state), number(t.desired_state));
                if ed < td || (ed == td && number(e.status.state) <= number(t.status.state)) {
                    continue;
                }
            }
            if !t.node_id.is_empty() && !active.contains(&t.node_id) {
                continue;
            }
            m.insert(key(t), t);
        }
        m
    }

    fn update(
        &mut self,
        d: &mut Display,
        service: &Service,
        tasks: &[Task],
        active: &[String],
        rollback: bool,
    ) -> bool {
        match self.kind {
            ModeKind::Replicated | ModeKind::ReplicatedJob => self.replicated(d, service, tasks, active, rollback),
            ModeKind::Global | ModeKind::GlobalJob => self.global(d, tasks, active, rollback),
        }
    }

    fn replicated(
        &mut self,
        d: &mut Display,
        service: &Service,
        tasks: &[Task],
        active: &[String],
        rollback: bool,
    ) -> bool {
        let job = self.kind == ModeKind::ReplicatedJob;
        let replicas = if job {
            service.spec.mode.replicated_job.as_ref().and_then(|j| j.total_completions).unwrap_or(1)
        } else {
            service.spec.mode.replicas().unwrap_or(1)
        };
        if !self.initialized {
            self.overall(d, 0, replicas, rollback);
            if replicas <= MAX_BARS {
                for i in 1..=replicas {
                    d.progress(&format!("{i}/{replicas}"), " ", None);
                }
            }
            self.initialized = true;
        }
        let by_slot = Self::by_key(tasks, |t| format!("{:020}", t.slot), active);
        if self.done && by_slot.values().any(|t| t.status.state != TaskState::Running) {
            self.done = false;
        }
        let mut running = 0;
        for t in by_slot.values() {
            let next = self.slot_map.len() + 1;
            let mapped = *self.slot_map.entry(t.slot).or_insert(next);
            let counted =
                if job { t.status.state == TaskState::Complete } else { t.status.state == TaskState::Running };
            if counted && (job || !terminal(t.desired_state)) {
                running += 1;
            }
            if !self.done && replicas <= MAX_BARS && mapped as u64 <= replicas {
                self.task_line(d, &format!("{mapped}/{replicas}"), t);
            }
        }
        if !self.done {
            self.overall(d, running, replicas, rollback);
            if running == replicas {
                self.done = true;
            }
        }
        running == replicas
    }

    fn global(&mut self, d: &mut Display, tasks: &[Task], active: &[String], rollback: bool) -> bool {
        let by_node = Self::by_key(tasks, |t| t.node_id.clone(), &[]);
        let count = by_node.len() as u64;
        if !self.initialized {
            if count == 0 {
                d.progress("overall progress", "waiting for new tasks", None);
                return false;
            }
            self.overall(d, 0, count, rollback);
            self.initialized = true;
        }
        if self.done && by_node.values().any(|t| t.status.state != TaskState::Running) {
            self.done = false;
        }
        let job = self.kind == ModeKind::GlobalJob;
        let mut running = 0;
        for t in by_node.values() {
            if active.contains(&t.node_id) {
                let counted =
                    if job { t.status.state == TaskState::Complete } else { t.status.state == TaskState::Running };
                if counted && (job || !terminal(t.desired_state)) {
                    running += 1;
                }
                if !self.done && count <= MAX_BARS {
                    self.task_line(d, &t.node_id[..t.node_id.len().min(12)], t);
                }
            }
        }
        if !self.done {
            self.overall(d, running, count, rollback);
            if running == count {
                self.done = true;
            }
        }
        running == count
    }
}

/// Waits for a service to converge, printing progress; docker/cli `WaitOnService`.
pub fn wait(ctx: &mut Ctx, service_id: &str, quiet: bool) -> Result<(), CliError> {
    let mut d = Display::new(ctx.env.width);
    let result = run(ctx, &mut d, service_id, quiet);
    if !quiet {
        ctx.out.push_str(&d.out);
    }
    result
}

fn run(ctx: &mut Ctx, d: &mut Display, service_id: &str, quiet: bool) -> Result<(), CliError> {
    let mut updater: Option<Updater> = None;
    let (mut converged, mut converged_at) = (false, None);
    let mut monitor = Duration::from_secs(5);
    let mut rollback = false;
    let mut final_message: Option<String> = None;
    let started = ctx.call(|api| Ok(api.now()))?;
    loop {
        let service = ctx.call(|api| api.service_inspect(service_id, false))?;
        if let Some(m) = service.spec.update_config.as_ref().map(|u| u.monitor).filter(|m| *m > 0) {
            monitor = Duration::from_nanos(m as u64);
        }
        let up = updater.get_or_insert(Updater {
            kind: service.spec.mode.kind(),
            initialized: false,
            done: false,
            slot_map: BTreeMap::new(),
        });
        if let Some(status) = &service.update_status {
            match status.state.as_str() {
                "updating" => rollback = false,
                "completed" if !converged => return Ok(()),
                "paused" => return Err(CliError::msg(format!("service update paused: {}", status.message))),
                "rollback_started" => {
                    if !rollback && !status.message.is_empty() {
                        d.progress("rollback", &status.message, None);
                    }
                    rollback = true;
                }
                "rollback_paused" => return Err(CliError::msg(format!("service rollback paused: {}", status.message))),
                "rollback_completed" => {
                    if !converged {
                        final_message = Some(status.message.clone());
                    }
                    rollback = true;
                }
                _ => {}
            }
        }
        let now = ctx.call(|api| Ok(api.now()))?;
        if let Some(at) = converged_at.filter(|_| converged)
            && now.since(at) >= monitor
        {
            d.progress("verify", &format!("Service {service_id} converged"), None);
            if let Some(m) = final_message {
                d.progress("rollback", &m, None);
            }
            return Ok(());
        }
        let mut f = Filters::default();
        f.add("service", &service.id);
        f.add("_up-to-date", "true");
        let tasks = ctx.call(|api| api.task_list(&f))?;
        let nodes = ctx.call(|api| api.node_list(&Filters::default()))?;
        let active: Vec<String> =
            nodes.iter().filter(|n| n.status.state != crate::types::NodeState::Down).map(|n| n.id.clone()).collect();
        converged = up.update(d, &service, &tasks, &active, rollback);
        if converged {
            if service.job_status.is_some() {
                d.message("job complete");
                return Ok(());
            }
            let at = *converged_at.get_or_insert(now);
            let elapsed = now.since(at);
            if elapsed <= monitor {
                // Real time never stands still between two reads: count from just after.
                let left = (monitor - elapsed).as_nanos().saturating_sub(1) / 1_000_000_000 + 1;
                d.progress("verify", &format!("Waiting {left} seconds to verify that tasks are stable..."), None);
            }
        } else {
            if converged_at.is_some() {
                d.progress("verify", "Detected task failure", None);
            }
            converged_at = None;
        }
        if ctx.env.progress_limit.is_some_and(|limit| now.since(started) >= limit) {
            // As if the learner pressed Ctrl-C: docker leaves the work to the swarm.
            if !converged {
                d.message("Operation continuing in background.");
                d.message(&format!("Use `docker service ps {service_id}` to check progress."));
            }
            return Ok(());
        }
        if !quiet {
            ctx.out.push_str(&std::mem::take(&mut d.out));
            ctx.flush();
        }
        ctx.call(|api| {
            api.sleep(POLL);
            Ok(())
        })?;
    }
}
