//! A node's simulated container executor, as swarmkit's agent drives Docker: each
//! task it is given moves accepted -> preparing (pulling the image the first time this
//! node needs it) -> ready -> starting -> running, then completes, fails or is shut
//! down. It reports each state with swarmkit's messages.

use super::images::{self, Behaviour, Fault, Registry};
use crate::time::Timestamp;
use crate::types::{ContainerStatus, Task, TaskState, TaskStatus};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// What happens next to a task on this node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Accept,
    Prepare,
    Prepared,
    Start,
    Started,
    Exit,
    Stopped,
}

/// A container on a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    pub id: String,
    pub name: String,
    pub task_id: String,
    pub service_id: String,
    pub image: String,
    pub argv: Vec<String>,
    pub hostname: String,
    pub created: Timestamp,
    pub started: Option<Timestamp>,
    pub finished: Option<Timestamp>,
    pub exit_code: Option<i64>,
    pub behaviour: Behaviour,
    pub logs: Vec<(Timestamp, String)>,
}

impl Container {
    pub fn running(&self) -> bool {
        self.started.is_some() && self.finished.is_none()
    }
}

/// One node's agent: its containers, the images it has, and the step each task awaits.
#[derive(Debug, Clone, Default)]
pub struct Agent {
    pub containers: BTreeMap<String, Container>,
    pub images: BTreeSet<String>,
    pub pending: BTreeMap<String, Step>,
}

/// What the agent did: statuses to report (in order), and when to come back.
#[derive(Debug, Default)]
pub struct Outcome {
    pub statuses: Vec<TaskStatus>,
    pub next: Option<(Duration, Step)>,
}

fn status(now: Timestamp, state: TaskState, message: &str) -> TaskStatus {
    TaskStatus { timestamp: now, state, message: message.into(), ..TaskStatus::default() }
}

const QUICK: Duration = Duration::from_millis(50);
/// swarmkit's default stop grace period.
const STOP_GRACE: Duration = Duration::from_secs(10);

fn image_of(t: &Task) -> String {
    t.spec.container_spec.as_ref().map(|c| c.image.clone()).unwrap_or_default()
}

/// The image name without its pinned digest, as containers show it.
fn shown_image(image: &str) -> String {
    image.split('@').next().unwrap_or(image).to_string()
}

impl Agent {
    /// The dispatcher hands over a task assigned to this node, or tells it that the
    /// task's desired state changed.
    pub fn assign(&mut self, t: &Task) -> Outcome {
        if t.status.state == TaskState::Assigned
            && !self.pending.contains_key(&t.id)
            && !self.containers.contains_key(&t.id)
        {
            return self.schedule(&t.id, QUICK, Step::Accept);
        }
        if t.desired_state > TaskState::Running
            && t.desired_state != TaskState::Complete
            && t.status.state <= TaskState::Running
        {
            return self.stop(t);
        }
        if t.status.state == TaskState::Ready
            && t.desired_state >= TaskState::Running
            && !self.pending.contains_key(&t.id)
        {
            return self.schedule(&t.id, QUICK, Step::Start);
        }
        Outcome::default()
    }

    fn schedule(&mut self, task: &str, after: Duration, step: Step) -> Outcome {
        self.pending.insert(task.to_string(), step);
        Outcome { statuses: Vec::new(), next: Some((after, step)) }
    }

    /// The container of `task` is killed from outside: it exits with `code` now.
    pub fn kill(&mut self, task: &str, code: i64) -> Outcome {
        let Some(c) = self.containers.get_mut(task).filter(|c| c.running()) else { return Outcome::default() };
        c.exit_code = Some(code);
        self.schedule(task, Duration::ZERO, Step::Exit)
    }

    fn stop(&mut self, t: &Task) -> Outcome {
        if self.pending.get(&t.id) == Some(&Step::Stopped) {
            return Outcome::default();
        }
        let grace = t
            .spec
            .container_spec
            .as_ref()
            .and_then(|c| c.stop_grace_period)
            .map_or(STOP_GRACE, |n| Duration::from_nanos(n.max(0) as u64));
        let after = match self.containers.get(&t.id) {
            Some(c) if c.running() => {
                let (repo, _) = images::split_ref(&c.image);
                let polite = images::lookup(&repo).is_none_or(|i| i.stops_on_sigterm);
                let sleeping = matches!(c.behaviour, Behaviour::Exit { .. } | Behaviour::Ticker { .. });
                if polite && !sleeping { Duration::from_millis(300) } else { grace }
            }
            _ => QUICK,
        };
        self.schedule(&t.id, after, Step::Stopped)
    }

    /// Runs the step the task was waiting for.
    pub fn step(
        &mut self,
        t: &Task,
        step: Step,
        now: Timestamp,
        registry: &Registry,
        new_id: impl FnOnce() -> String,
    ) -> Outcome {
        if self.pending.get(&t.id) != Some(&step) {
            return Outcome::default();
        }
        self.pending.remove(&t.id);
        let stopping = t.desired_state > TaskState::Running && t.desired_state != TaskState::Complete;
        if stopping && step != Step::Stopped {
            return self.stop(t);
        }
        let image = image_of(t);
        match step {
            // Accepting and starting to prepare happen together.
            Step::Accept | Step::Prepare => {
                let out = self.schedule(&t.id, Duration::ZERO, Step::Prepared);
                let key = shown_image(&image);
                let wait = if registry.fault(&image) == Some(Fault::Missing) {
                    Duration::from_millis(900)
                } else if self.images.contains(&key) {
                    Duration::from_millis(100)
                } else {
                    registry.pull_time(&image)
                };
                let mut statuses = Vec::new();
                if step == Step::Accept {
                    statuses.push(status(now, TaskState::Accepted, "accepted"));
                }
                statuses.push(status(now, TaskState::Preparing, "preparing"));
                Outcome { statuses, next: out.next.map(|(_, s)| (wait, s)) }
            }
            Step::Prepared => {
                if registry.fault(&image) == Some(Fault::Missing) {
                    let mut s = status(now, TaskState::Rejected, "preparing");
                    s.err = format!("No such image: {}", shown_image(&image));
                    return Outcome { statuses: vec![s], next: None };
                }
                self.images.insert(shown_image(&image));
                let c = t.spec.container_spec.clone().unwrap_or_default();
                let argv = images::process(&image, &c.command, &c.args);
                let id = new_id();
                let hostname = if c.hostname.is_empty() { id[..12].to_string() } else { c.hostname.clone() };
                self.containers.insert(
                    t.id.clone(),
                    Container {
                        id,
                        name: String::new(),
                        task_id: t.id.clone(),
                        service_id: t.service_id.clone(),
                        image: shown_image(&image),
                        behaviour: images::behaviour(&image, &argv),
                        argv,
                        hostname,
                        created: now,
                        started: None,
                        finished: None,
                        exit_code: None,
                        logs: Vec::new(),
                    },
                );
                let mut statuses = vec![status(now, TaskState::Ready, "prepared")];
                if t.desired_state >= TaskState::Running {
                    // Allowed to run: it starts at once.
                    statuses.push(status(now, TaskState::Starting, "starting"));
                    return Outcome { statuses, ..self.schedule(&t.id, Duration::from_millis(300), Step::Started) };
                }
                Outcome { statuses, next: None }
            }
            Step::Start => Outcome {
                statuses: vec![status(now, TaskState::Starting, "starting")],
                ..self.schedule(&t.id, Duration::from_millis(300), Step::Started)
            },
            Step::Started => {
                let Some(c) = self.containers.get_mut(&t.id) else { return Outcome::default() };
                c.started = Some(now);
                let exit = match (registry.fault(&image), &c.behaviour) {
                    (Some(Fault::Crash(code)), _) => Some((Duration::from_millis(500), code, Vec::new())),
                    (_, Behaviour::Exit { code, after, output }) => Some((*after, *code, output.clone())),
                    (_, Behaviour::Ticker { limit: Some(n), .. }) => Some((Duration::from_secs(*n), 0, Vec::new())),
                    _ => None,
                };
                for line in startup_logs(&c.image).into_iter().chain(images::prelude(&c.argv)) {
                    c.logs.push((now, line));
                }
                let mut s = status(now, TaskState::Running, "started");
                s.container_status =
                    Some(ContainerStatus { container_id: c.id.clone(), pid: 1000 + (c.id.len() as i64), exit_code: 0 });
                let mut out = Outcome { statuses: vec![s], next: None };
                if let Some((after, code, output)) = exit {
                    for line in output {
                        c.logs.push((now, line));
                    }
                    c.exit_code = Some(code);
                    out.next = self.schedule(&t.id, after, Step::Exit).next;
                }
                out
            }
            Step::Exit => {
                let Some(c) = self.containers.get_mut(&t.id) else { return Outcome::default() };
                c.finished = Some(now);
                let code = c.exit_code.unwrap_or(0);
                let mut s = if code == 0 {
                    status(now, TaskState::Complete, "finished")
                } else {
                    let mut s = status(now, TaskState::Failed, "started");
                    s.err = format!("task: non-zero exit ({code})");
                    s
                };
                s.container_status = Some(ContainerStatus { container_id: c.id.clone(), pid: 0, exit_code: code });
                Outcome { statuses: vec![s], next: None }
            }
            Step::Stopped => {
                let mut s = status(now, TaskState::Shutdown, "shutdown");
                if let Some(c) = self.containers.get_mut(&t.id) {
                    if c.running() {
                        c.finished = Some(now);
                        c.exit_code = Some(0);
                    }
                    s.container_status = Some(ContainerStatus {
                        container_id: c.id.clone(),
                        pid: 0,
                        exit_code: c.exit_code.unwrap_or(0),
                    });
                }
                Outcome { statuses: vec![s], next: None }
            }
        }
    }

    /// The task is gone from the swarm: its container goes too.
    pub fn forget(&mut self, task: &str) {
        self.containers.remove(task);
        self.pending.remove(task);
    }
}

/// What well-known images print when they start.
fn startup_logs(image: &str) -> Vec<String> {
    let (repo, _) = images::split_ref(image);
    match repo.as_str() {
        "nginx" => vec![
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration".into(),
            "/docker-entrypoint.sh: Configuration complete; ready for start up".into(),
        ],
        "redis" => vec!["* Ready to accept connections tcp".into()],
        "httpd" => vec![
            "[mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4 (Unix) configured -- resuming normal operations"
                .into(),
        ],
        _ => Vec::new(),
    }
}
