//! The service, task and container side of a node's daemon.

use super::client::NodeClient;
use crate::api::*;
use crate::manager::services as svc;
use crate::store::Store;
use crate::time::{Timestamp, human_duration};
use crate::types::*;
use std::time::Duration;

/// swarmkit `naming.Task`: `service.slot.taskid` (global: `service.nodeid.taskid`).
pub fn task_name(store: &Store, t: &Task) -> String {
    let service = store.services.get(&t.service_id).map(|s| s.spec.name.as_str()).unwrap_or("");
    crate::naming::task(service, t.slot, &t.node_id, &t.id)
}

/// The swarm's names generator style: `adjective_surname`.
const ADJECTIVES: &[&str] = &[
    "admiring",
    "affectionate",
    "amazing",
    "awesome",
    "blissful",
    "bold",
    "brave",
    "busy",
    "charming",
    "clever",
    "cool",
    "compassionate",
    "competent",
    "confident",
    "dazzling",
    "determined",
    "dreamy",
    "eager",
    "ecstatic",
    "elastic",
    "elegant",
    "epic",
    "exciting",
    "fervent",
    "festive",
    "focused",
    "friendly",
    "funny",
    "gallant",
    "gifted",
    "gracious",
    "happy",
    "hopeful",
    "inspiring",
    "jolly",
    "keen",
    "kind",
    "laughing",
    "loving",
    "lucid",
    "magical",
    "modest",
    "musing",
    "nice",
    "nostalgic",
    "optimistic",
    "peaceful",
    "practical",
    "priceless",
    "quirky",
    "relaxed",
    "romantic",
    "serene",
    "sharp",
    "stoic",
    "sweet",
    "tender",
    "trusting",
    "upbeat",
    "vibrant",
    "vigilant",
    "wizardly",
    "wonderful",
    "youthful",
    "zealous",
    "zen",
];
const SURNAMES: &[&str] = &[
    "agnesi",
    "archimedes",
    "babbage",
    "bardeen",
    "bartik",
    "bell",
    "bohr",
    "booth",
    "brattain",
    "cannon",
    "carson",
    "clarke",
    "curie",
    "darwin",
    "dijkstra",
    "einstein",
    "elion",
    "euclid",
    "euler",
    "faraday",
    "fermat",
    "feynman",
    "franklin",
    "galileo",
    "gauss",
    "goldberg",
    "goodall",
    "hamilton",
    "hawking",
    "heisenberg",
    "hopper",
    "hypatia",
    "jackson",
    "johnson",
    "kepler",
    "knuth",
    "lamarr",
    "lovelace",
    "maxwell",
    "mcclintock",
    "meitner",
    "mendel",
    "newton",
    "noether",
    "pascal",
    "pasteur",
    "payne",
    "perlman",
    "ritchie",
    "sammet",
    "shannon",
    "sinoussi",
    "tesla",
    "thompson",
    "torvalds",
    "turing",
    "wescoff",
    "wilson",
    "wing",
    "wozniak",
    "yalow",
];

fn parse_desired(s: &str) -> Option<TaskState> {
    serde_json::from_value(serde_json::Value::String(s.to_lowercase())).ok()
}

impl NodeClient<'_> {
    /// moby pins the image to a digest when asked; an image the registry does not
    /// have keeps its tag, with docker's warning.
    fn pin_image(&mut self, spec: &mut ServiceSpec) -> Vec<String> {
        let Some(c) = spec.task_template.container_spec.as_mut() else { return Vec::new() };
        match self.sim().registry.pin(&c.image) {
            Some(pinned) => {
                c.image = pinned;
                // moby's client also records the platforms the registry lists.
                let placement = spec.task_template.placement.get_or_insert_with(Default::default);
                placement.platforms =
                    vec![crate::types::PlatformSpec { architecture: "amd64".into(), os: "linux".into() }];
                Vec::new()
            }
            None => vec![crate::agent::images::digest_warning(&c.image)],
        }
    }

    /// moby's populateNetworkID: each attachment names its network by ID.
    fn populate_networks(&self, cluster: &str, spec: &mut ServiceSpec) -> ApiResult<()> {
        let store = self.store_of(cluster)?;
        for a in &mut spec.task_template.networks {
            match crate::manager::networks::find(store, &a.target) {
                Ok(n) => a.target = n.id.clone(),
                Err(_) if ["bridge", "host", "none"].contains(&a.target.as_str()) => {
                    return Err(ApiError::new(
                        403,
                        format!(
                            "The network {} cannot be used with services. Only networks scoped to the swarm can be used, such as those created with the overlay driver.",
                            a.target
                        ),
                    ));
                }
                Err(e) if e.status == 404 => return Err(ApiError::internal(format!("network {} not found", a.target))),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    pub(super) fn svc_create(
        &mut self,
        mut spec: ServiceSpec,
        query_registry: bool,
    ) -> ApiResult<(String, Vec<String>)> {
        let (cluster, _) = self.manager_ids()?;
        self.populate_networks(&cluster, &mut spec)?;
        let warnings = if query_registry { self.pin_image(&mut spec) } else { Vec::new() };
        if spec.name.is_empty() {
            let sim = self.sim_mut();
            let a = ADJECTIVES[sim.entropy.below(ADJECTIVES.len() as u64) as usize];
            let b = SURNAMES[sim.entropy.below(SURNAMES.len() as u64) as usize];
            spec.name = format!("{a}_{b}");
        }
        let id = self.sim_mut().entropy.id();
        let changes = svc::create(self.store_of(&cluster)?, id.clone(), spec.with_replicas_defaulted())?;
        self.commit_settle(&cluster, changes)?;
        Ok((id, warnings))
    }

    pub(super) fn svc_list(&mut self, filters: &Filters, status: bool) -> ApiResult<Vec<Service>> {
        let (cluster, _) = self.manager_ids()?;
        filters.validate(&["name", "id", "label", "mode", "runtime"])?;
        let store = self.store_of(&cluster)?;
        let prefix = |v: &str, ps: &[String]| ps.is_empty() || ps.iter().any(|p| v.starts_with(p.as_str()));
        let mut out = Vec::new();
        for s in store.services.values() {
            let mode = match s.spec.mode.kind() {
                ModeKind::Replicated => "replicated",
                ModeKind::Global => "global",
                ModeKind::ReplicatedJob => "replicated-job",
                ModeKind::GlobalJob => "global-job",
            };
            let labels_ok = filters.get("label").iter().all(|kv| match kv.split_once('=') {
                Some((k, v)) => s.spec.labels.get(k).is_some_and(|x| x == v),
                None => s.spec.labels.contains_key(kv.as_str()),
            });
            let mode_ok = filters.get("mode").is_empty() || filters.get("mode").iter().any(|m| m == mode);
            if prefix(&s.spec.name, filters.get("name")) && prefix(&s.id, filters.get("id")) && labels_ok && mode_ok {
                let mut s = s.clone();
                if status {
                    s.service_status = Some(service_status(store, &s));
                }
                out.push(s);
            }
        }
        Ok(out)
    }

    pub(super) fn svc_inspect(&mut self, reference: &str, insert_defaults: bool) -> ApiResult<Service> {
        let (cluster, _) = self.manager_ids()?;
        let mut s = svc::find(self.store_of(&cluster)?, reference)?.clone();
        s.spec = s.spec.for_display(insert_defaults);
        s.previous_spec = s.previous_spec.map(|p| p.for_display(insert_defaults));
        Ok(s)
    }

    pub(super) fn svc_update(
        &mut self,
        reference: &str,
        version: u64,
        mut spec: ServiceSpec,
        rollback: bool,
        query_registry: bool,
    ) -> ApiResult<Vec<String>> {
        let (cluster, _) = self.manager_ids()?;
        self.populate_networks(&cluster, &mut spec)?;
        let warnings = if query_registry { self.pin_image(&mut spec) } else { Vec::new() };
        let now = self.sim_mut().now();
        let store = self.store_of(&cluster)?;
        let id = svc::find(store, reference)?.id.clone();
        let changes = svc::update(store, &id, version, spec.stored().with_replicas_defaulted(), rollback, now)?;
        self.commit_settle(&cluster, changes)?;
        Ok(warnings)
    }

    pub(super) fn svc_remove(&mut self, reference: &str) -> ApiResult<()> {
        let (cluster, _) = self.manager_ids()?;
        let store = self.store_of(&cluster)?;
        let id = svc::find(store, reference)?.id.clone();
        self.commit_settle(&cluster, vec![crate::store::Change::RemoveService { id }])
    }

    pub(super) fn task_list_impl(&mut self, filters: &Filters) -> ApiResult<Vec<Task>> {
        let (cluster, _) = self.manager_ids()?;
        filters.validate(&["name", "id", "label", "service", "node", "desired-state", "_up-to-date", "runtime"])?;
        let store = self.store_of(&cluster)?;
        let mut services = Vec::new();
        for s in filters.get("service") {
            services.push(svc::find(store, s)?.id.clone());
        }
        let mut nodes = Vec::new();
        for n in filters.get("node") {
            nodes.push(crate::manager::controlapi::find_node(store, n)?.id.clone());
        }
        let mut desired = Vec::new();
        for d in filters.get("desired-state") {
            match parse_desired(d) {
                Some(s) => desired.push(s),
                None if d.is_empty() => {}
                None => return Err(ApiError::invalid(format!("Invalid desired-state filter: '{d}'"))),
            }
        }
        let prefix = |v: &str, ps: &[String]| ps.is_empty() || ps.iter().any(|p| v.starts_with(p.as_str()));
        let candidates: Box<dyn Iterator<Item = &Task>> = match services.as_slice() {
            [one] => Box::new(store.service_tasks(one)),
            _ => Box::new(store.tasks.values()),
        };
        Ok(candidates
            .filter(|t| services.is_empty() || services.contains(&t.service_id))
            .filter(|t| nodes.is_empty() || nodes.contains(&t.node_id))
            .filter(|t| desired.is_empty() || desired.contains(&t.desired_state))
            .filter(|t| prefix(&t.id, filters.get("id")))
            .filter(|t| prefix(&task_name(store, t), filters.get("name")))
            // swarmkit matches a task's labels filter against its service's labels.
            .filter(|t| {
                let labels = store.services.get(&t.service_id).map(|s| &s.spec.labels);
                filters.get("label").iter().all(|kv| {
                    let (k, v) = kv.split_once('=').map_or((kv.as_str(), None), |(k, v)| (k, Some(v)));
                    labels.and_then(|l| l.get(k)).is_some_and(|x| v.is_none_or(|v| v == x))
                })
            })
            .filter(|t| {
                filters.get("_up-to-date").is_empty()
                    || store
                        .services
                        .get(&t.service_id)
                        .is_some_and(|s| !crate::manager::orchestrator::is_task_dirty(s, t))
            })
            .cloned()
            .collect())
    }

    pub(super) fn task_inspect_impl(&mut self, id: &str) -> ApiResult<Task> {
        let (cluster, _) = self.manager_ids()?;
        let store = self.store_of(&cluster)?;
        if let Some(t) = store.tasks.get(id) {
            return Ok(t.clone());
        }
        let found: Vec<&Task> = store.tasks.values().filter(|t| !id.is_empty() && t.id.starts_with(id)).collect();
        match found.len() {
            1 => Ok(found[0].clone()),
            0 => Err(ApiError::not_found(format!("task {id} not found"))),
            l => Err(ApiError::internal(format!("task {id} is ambiguous ({l} matches found)"))),
        }
    }

    pub(super) fn svc_logs(&mut self, reference: &str, opts: &LogsOptions) -> ApiResult<Vec<LogLine>> {
        let (cluster, _) = self.manager_ids()?;
        let store = self.store_of(&cluster)?;
        let service = svc::find(store, reference)?;
        let names: std::collections::BTreeMap<String, (String, Vec<(String, String)>)> = store
            .service_tasks(&service.id)
            .map(|t| {
                let host = store.nodes.get(&t.node_id).map(|n| n.description.hostname.clone()).unwrap_or_default();
                let attrs = vec![
                    ("com.docker.swarm.node.id".to_string(), t.node_id.clone()),
                    ("com.docker.swarm.service.id".to_string(), service.id.clone()),
                    ("com.docker.swarm.task.id".to_string(), t.id.clone()),
                ];
                (
                    t.id.clone(),
                    (format!("{}@{host}", crate::naming::task(&service.spec.name, t.slot, &t.node_id, &t.id)), attrs),
                )
            })
            .collect();
        let now = self.sim_mut().now();
        let mut lines: Vec<LogLine> = Vec::new();
        for m in self.sim().machines() {
            for (task, c) in &m.agent.containers {
                if let Some((source, attrs)) = names.get(task) {
                    // Each node's agent tails its own containers (swarmkit's log broker):
                    // --tail N is N lines per task, not N in all.
                    let own: Vec<LogLine> = container_lines(c, now)
                        .into_iter()
                        .map(|(ts, text)| LogLine { timestamp: ts, source: source.clone(), text, attrs: attrs.clone() })
                        .collect();
                    lines.extend(tail(own, opts.tail));
                }
            }
        }
        lines.sort_by(|a, b| (a.timestamp, &a.source).cmp(&(b.timestamp, &b.source)));
        Ok(lines)
    }

    pub(super) fn local_container(&self, reference: &str) -> ApiResult<&crate::agent::executor::Container> {
        let m = self.machine_ref();
        let found: Vec<_> = m
            .agent
            .containers
            .values()
            .filter(|c| {
                c.id == reference
                    || c.name == reference
                    || c.name == reference.trim_start_matches('/')
                    || (!reference.is_empty() && c.id.starts_with(reference))
            })
            .collect();
        match found.as_slice() {
            [one] => Ok(one),
            [] => Err(ApiError::not_found(format!("No such container: {reference}"))),
            _ => Err(ApiError::invalid(format!("multiple IDs found with provided prefix: {reference}"))),
        }
    }

    pub(super) fn containers(&mut self, all: bool) -> ApiResult<Vec<ContainerSummary>> {
        let now = self.sim_mut().now();
        let m = self.machine_ref();
        let node_id = m.node_id().unwrap_or_default().to_string();
        let mut list: Vec<ContainerSummary> = m
            .agent
            .containers
            .values()
            .filter(|c| all || c.running())
            .map(|c| {
                let service = c.name.split('.').next().unwrap_or("").to_string();
                let labels: Labels = [
                    ("com.docker.swarm.node.id".to_string(), node_id.clone()),
                    ("com.docker.swarm.service.id".to_string(), c.service_id.clone()),
                    ("com.docker.swarm.service.name".to_string(), service),
                    ("com.docker.swarm.task".to_string(), String::new()),
                    ("com.docker.swarm.task.id".to_string(), c.task_id.clone()),
                    (
                        "com.docker.swarm.task.name".to_string(),
                        c.name.rsplit_once('.').map(|(n, _)| n.to_string()).unwrap_or_default(),
                    ),
                ]
                .into();
                ContainerSummary {
                    id: c.id.clone(),
                    names: vec![format!("/{}", c.name)],
                    image: c.image.clone(),
                    command: c.argv.join(" "),
                    created: c.created.0 / 1_000_000_000,
                    labels,
                    state: container_state(c).into(),
                    status: container_status(c, now),
                }
            })
            .collect();
        list.sort_by(|a, b| (b.created, &b.id).cmp(&(a.created, &a.id)));
        Ok(list)
    }

    pub(super) fn container_inspect_impl(&mut self, reference: &str) -> ApiResult<ContainerInspect> {
        let c = self.local_container(reference)?.clone();
        let (path, args) = c.argv.split_first().map(|(p, a)| (p.clone(), a.to_vec())).unwrap_or_default();
        Ok(ContainerInspect {
            id: c.id.clone(),
            created: c.created.rfc3339_nano(),
            path,
            args,
            state: ContainerState {
                status: container_state(&c).into(),
                running: c.running(),
                pid: if c.running() { 1000 + c.id.len() as i64 } else { 0 },
                exit_code: c.exit_code.filter(|_| !c.running()).unwrap_or(0),
                started_at: c.started.map_or("0001-01-01T00:00:00Z".into(), |t| t.rfc3339_nano()),
                finished_at: c.finished.map_or("0001-01-01T00:00:00Z".into(), |t| t.rfc3339_nano()),
                ..ContainerState::default()
            },
            image: c.image.clone(),
            name: format!("/{}", c.name),
            restart_count: 0,
            config: ContainerConfig {
                hostname: c.hostname.clone(),
                env: Vec::new(),
                cmd: c.argv.clone(),
                image: c.image.clone(),
                labels: Labels::new(),
            },
        })
    }

    pub(super) fn container_logs_impl(&mut self, reference: &str, opts: &LogsOptions) -> ApiResult<Vec<LogLine>> {
        let now = self.sim_mut().now();
        let c = self.local_container(reference)?;
        let lines = container_lines(c, now)
            .into_iter()
            .map(|(timestamp, text)| LogLine { timestamp, source: String::new(), text, attrs: Vec::new() })
            .collect();
        Ok(tail(lines, opts.tail))
    }

    pub(super) fn sleep_impl(&mut self, d: Duration) {
        self.sim_mut().advance(d);
    }
}

fn tail(lines: Vec<LogLine>, n: Option<usize>) -> Vec<LogLine> {
    match n {
        Some(n) if n < lines.len() => lines[lines.len() - n..].to_vec(),
        _ => lines,
    }
}

/// A container's log so far, including the lines a ticker (ping) has printed by `now`.
fn container_lines(c: &crate::agent::executor::Container, now: Timestamp) -> Vec<(Timestamp, String)> {
    let mut lines = c.logs.clone();
    if let (crate::agent::images::Behaviour::Ticker { line, limit }, Some(start)) = (&c.behaviour, c.started) {
        let end = c.finished.unwrap_or(now);
        let mut n = end.since(start).as_secs();
        if let Some(l) = limit {
            n = n.min(*l);
        }
        for seq in 0..n.min(10_000) {
            lines.push((start.plus(Duration::from_secs(seq)), line.replace("{seq}", &seq.to_string())));
        }
    }
    lines.sort_by_key(|(t, _)| *t);
    lines
}

fn container_state(c: &crate::agent::executor::Container) -> &'static str {
    if c.running() {
        "running"
    } else if c.finished.is_some() {
        "exited"
    } else {
        "created"
    }
}

/// `docker ps` STATUS: "Up 7 seconds", "Exited (0) 5 seconds ago", "Created".
fn container_status(c: &crate::agent::executor::Container, now: Timestamp) -> String {
    match (c.started, c.finished) {
        (Some(s), None) => format!("Up {}", human_duration(now.since(s))),
        (_, Some(f)) => format!("Exited ({}) {} ago", c.exit_code.unwrap_or(0), human_duration(now.since(f))),
        _ => "Created".into(),
    }
}

/// swarmkit `ListServiceStatuses`.
fn service_status(store: &Store, s: &Service) -> ServiceStatus {
    let mut st = ServiceStatus::default();
    let global = match s.spec.mode.kind() {
        ModeKind::Replicated => {
            st.desired_tasks = s.spec.mode.replicas().unwrap_or(1);
            false
        }
        ModeKind::ReplicatedJob => {
            st.desired_tasks = s.spec.mode.replicated_job.as_ref().and_then(|j| j.max_concurrent).unwrap_or(1);
            false
        }
        _ => true,
    };
    let iteration = s.job_status.as_ref().map(|j| j.job_iteration.index);
    for t in store.service_tasks(&s.id) {
        if let Some(it) = iteration {
            if t.job_iteration.as_ref().map(|v| v.index) != Some(it) {
                continue;
            }
            if t.status.state == TaskState::Complete {
                st.completed_tasks += 1;
            }
        }
        if t.status.state == TaskState::Running {
            st.running_tasks += 1;
        }
        if global && t.desired_state == TaskState::Running {
            st.desired_tasks += 1;
        }
        if global && t.status.state != TaskState::Complete && t.desired_state == TaskState::Complete {
            st.desired_tasks += 1;
        }
    }
    st
}
