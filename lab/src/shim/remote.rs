//! The engine's [`Api`] spoken over the Docker Engine API: what the `docker` shim in a
//! pane uses to reach its node's daemon. Requests are shaped as moby's Go client
//! shapes them, so the daemon sees the same traffic from this shim and from the real
//! docker CLI.

use crate::wire::{self, Reply, Req};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::time::Duration;
use swarmlab_engine::agent::images;
use swarmlab_engine::api::{Api, ApiError, ApiResult, Filters};
use swarmlab_engine::time::Timestamp;
use swarmlab_engine::types::*;

/// Carries one request to a daemon and brings its reply back.
pub trait Transport {
    fn send(&mut self, req: Req) -> Result<Reply, ApiError>;
    /// Lets time pass while a command polls; the daemon's clock runs by itself, so
    /// over a socket this is real waiting.
    fn wait(&mut self, d: Duration) {
        std::thread::sleep(d);
    }
}

pub struct RemoteApi<T: Transport> {
    transport: T,
    /// The daemon's time in its last answer, until the command waits.
    now: Option<Timestamp>,
}

impl<T: Transport> RemoteApi<T> {
    pub fn new(transport: T) -> Self {
        RemoteApi { transport, now: None }
    }

    fn call(&mut self, req: Req) -> ApiResult<Reply> {
        let reply = self.transport.send(req)?;
        self.now = reply.now.or(self.now);
        if (200..300).contains(&reply.status) { Ok(reply) } else { Err(reply.to_error()) }
    }

    fn get<R: DeserializeOwned>(&mut self, req: Req) -> ApiResult<R> {
        let reply = self.call(req)?;
        serde_json::from_slice(&reply.body)
            .map_err(|e| ApiError::internal(format!("error reading the daemon's answer: {e}")))
    }

    fn unit(&mut self, req: Req) -> ApiResult<()> {
        self.call(req).map(|_| ())
    }

    /// moby's client pins the image to the registry's digest before sending the spec;
    /// a registry that cannot be reached leaves it as given, with this warning.
    fn pin(&mut self, spec: &mut ServiceSpec) -> Vec<String> {
        let Some(c) = spec.task_template.container_spec.as_mut() else { return Vec::new() };
        if c.image.contains('@') {
            return Vec::new();
        }
        let image = c.image.clone();
        match self.get::<serde_json::Value>(Req::new("GET", &format!("/distribution/{image}/json"))) {
            Ok(v) => {
                let digest = v.pointer("/Descriptor/digest").and_then(|d| d.as_str()).unwrap_or_default();
                c.image = images::pinned(&image, digest);
                let platforms: Vec<PlatformSpec> = v["Platforms"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| PlatformSpec {
                        architecture: p["architecture"].as_str().unwrap_or_default().to_string(),
                        os: p["os"].as_str().unwrap_or_default().to_string(),
                    })
                    .collect();
                if !platforms.is_empty() {
                    spec.task_template.placement.get_or_insert_with(Default::default).platforms = platforms;
                }
                Vec::new()
            }
            Err(_) => vec![images::digest_warning(&image)],
        }
    }

    fn logs(&mut self, path: String, opts: &LogsOptions, details: bool) -> ApiResult<Vec<LogLine>> {
        let mut req = Req::new("GET", &path).param("stdout", "1").param("stderr", "1").param("timestamps", "1");
        if details {
            req = req.param("details", "1");
        }
        req = req.param("tail", opts.tail.map_or("all".to_string(), |n| n.to_string()));
        let reply = self.call(req)?;
        let mut lines = Vec::new();
        for frame in wire::unframe(&reply.body) {
            let text = String::from_utf8_lossy(&frame);
            let text = text.strip_suffix('\n').unwrap_or(&text);
            let (ts, rest) = text.split_once(' ').unwrap_or((text, ""));
            let timestamp = Timestamp::parse_rfc3339(ts).unwrap_or_default();
            let (attrs, text) = if details {
                let (a, t) = rest.split_once(' ').unwrap_or((rest, ""));
                (parse_attrs(a), t.to_string())
            } else {
                (Vec::new(), rest.to_string())
            };
            lines.push(LogLine { timestamp, source: String::new(), text, attrs });
        }
        Ok(lines)
    }

    /// `web.1.<task id>@node1`, looked up from the IDs the daemon attached, as the
    /// docker CLI names the sources of service logs.
    fn name_sources(&mut self, lines: &mut [LogLine]) {
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for line in lines {
            let attr = |k: &str| line.attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone()).unwrap_or_default();
            let task_id = attr("com.docker.swarm.task.id");
            if !names.contains_key(&task_id) {
                let name = self.source_name(&task_id, &attr("com.docker.swarm.node.id"));
                names.insert(task_id.clone(), name);
            }
            line.source = names.get(&task_id).cloned().unwrap_or_default();
        }
    }

    fn source_name(&mut self, task_id: &str, node_id: &str) -> String {
        let Ok(task) = self.task_inspect(task_id) else { return task_id.to_string() };
        let service = self.service_inspect(&task.service_id, false).map(|s| s.spec.name).unwrap_or_default();
        let host = self.node_inspect(node_id).map(|n| n.description.hostname).unwrap_or_else(|_| node_id.to_string());
        format!("{}@{host}", swarmlab_engine::naming::task(&service, task.slot, &task.node_id, &task.id))
    }
}

fn parse_attrs(s: &str) -> Vec<(String, String)> {
    s.split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (wire::unescape(k, true), wire::unescape(v, true)))
        .collect()
}

fn filtered(req: Req, f: &Filters) -> Req {
    if f.0.is_empty() { req } else { req.param("filters", wire::filters_to_json(f)) }
}

impl<T: Transport> Api for RemoteApi<T> {
    fn version(&mut self) -> ApiResult<SystemVersion> {
        self.get(Req::new("GET", "/version"))
    }

    fn info(&mut self) -> ApiResult<SystemInfo> {
        self.get(Req::new("GET", "/info"))
    }

    fn swarm_init(&mut self, req: InitRequest) -> ApiResult<String> {
        self.get(Req::new("POST", "/swarm/init").json(&req))
    }

    fn swarm_join(&mut self, req: JoinRequest) -> ApiResult<()> {
        self.unit(Req::new("POST", "/swarm/join").json(&req))
    }

    fn swarm_leave(&mut self, force: bool) -> ApiResult<()> {
        let req = Req::new("POST", "/swarm/leave");
        self.unit(if force { req.param("force", "1") } else { req })
    }

    fn swarm_inspect(&mut self) -> ApiResult<Swarm> {
        self.get(Req::new("GET", "/swarm"))
    }

    fn swarm_update(&mut self, version: u64, spec: SwarmSpec, flags: UpdateFlags) -> ApiResult<()> {
        let req = Req::new("POST", "/swarm/update")
            .param("version", version.to_string())
            .param("rotateWorkerToken", flags.rotate_worker_token.to_string())
            .param("rotateManagerToken", flags.rotate_manager_token.to_string())
            .param("rotateManagerUnlockKey", flags.rotate_manager_unlock_key.to_string())
            .json(&spec);
        self.unit(req)
    }

    fn swarm_unlock_key(&mut self) -> ApiResult<String> {
        let v: serde_json::Value = self.get(Req::new("GET", "/swarm/unlockkey"))?;
        Ok(v.get("UnlockKey").and_then(|k| k.as_str()).unwrap_or_default().to_string())
    }

    fn node_list(&mut self, filters: &Filters) -> ApiResult<Vec<Node>> {
        self.get(filtered(Req::new("GET", "/nodes"), filters))
    }

    fn node_inspect(&mut self, reference: &str) -> ApiResult<Node> {
        self.get(Req::new("GET", &format!("/nodes/{reference}")))
    }

    fn node_update(&mut self, reference: &str, version: u64, spec: NodeSpec) -> ApiResult<()> {
        let req = Req::new("POST", &format!("/nodes/{reference}/update")).param("version", version.to_string());
        self.unit(req.json(&spec))
    }

    fn node_remove(&mut self, reference: &str, force: bool) -> ApiResult<()> {
        let req = Req::new("DELETE", &format!("/nodes/{reference}"));
        self.unit(if force { req.param("force", "1") } else { req })
    }

    fn distribution_inspect(&mut self, image: &str) -> ApiResult<String> {
        let v: serde_json::Value = self.get(Req::new("GET", &format!("/distribution/{image}/json")))?;
        Ok(v.pointer("/Descriptor/digest").and_then(|d| d.as_str()).unwrap_or_default().to_string())
    }

    fn service_create(&mut self, mut spec: ServiceSpec, query_registry: bool) -> ApiResult<(String, Vec<String>)> {
        let mut warnings = if query_registry { self.pin(&mut spec) } else { Vec::new() };
        let v: serde_json::Value = self.get(Req::new("POST", "/services/create").json(&spec))?;
        warnings.extend(strings(&v["Warnings"]));
        Ok((v["ID"].as_str().unwrap_or_default().to_string(), warnings))
    }

    fn service_list(&mut self, filters: &Filters, status: bool) -> ApiResult<Vec<Service>> {
        let req = filtered(Req::new("GET", "/services"), filters);
        self.get(if status { req.param("status", "true") } else { req })
    }

    fn service_inspect(&mut self, reference: &str, insert_defaults: bool) -> ApiResult<Service> {
        self.get(
            Req::new("GET", &format!("/services/{reference}")).param("insertDefaults", insert_defaults.to_string()),
        )
    }

    fn service_update(
        &mut self,
        reference: &str,
        version: u64,
        mut spec: ServiceSpec,
        rollback: bool,
        query_registry: bool,
    ) -> ApiResult<Vec<String>> {
        let mut warnings = if query_registry { self.pin(&mut spec) } else { Vec::new() };
        let mut req = Req::new("POST", &format!("/services/{reference}/update"));
        if rollback {
            req = req.param("rollback", "previous");
        }
        let v: serde_json::Value = self.get(req.param("version", version.to_string()).json(&spec))?;
        warnings.extend(strings(&v["Warnings"]));
        Ok(warnings)
    }

    fn service_remove(&mut self, reference: &str) -> ApiResult<()> {
        self.unit(Req::new("DELETE", &format!("/services/{reference}")))
    }

    fn service_logs(&mut self, reference: &str, opts: &LogsOptions) -> ApiResult<Vec<LogLine>> {
        let mut lines = self.logs(format!("/services/{reference}/logs"), opts, true)?;
        self.name_sources(&mut lines);
        Ok(lines)
    }

    fn task_list(&mut self, filters: &Filters) -> ApiResult<Vec<Task>> {
        self.get(filtered(Req::new("GET", "/tasks"), filters))
    }

    fn task_inspect(&mut self, id: &str) -> ApiResult<Task> {
        self.get(Req::new("GET", &format!("/tasks/{id}")))
    }

    fn container_exec(&mut self, reference: &str, argv: &[String]) -> ApiResult<(String, i32)> {
        let v: serde_json::Value = self.get(Req::new("POST", &format!("/swarmlab/exec/{reference}")).json(&argv))?;
        let code = v["ExitCode"].as_i64().unwrap_or(1) as i32;
        Ok((v["Output"].as_str().unwrap_or_default().to_string(), code))
    }

    fn secret_create(&mut self, spec: SecretSpec) -> ApiResult<String> {
        let v: serde_json::Value = self.get(Req::new("POST", "/secrets/create").json(&spec))?;
        Ok(v["ID"].as_str().unwrap_or_default().to_string())
    }

    fn secret_list(&mut self, filters: &Filters) -> ApiResult<Vec<Secret>> {
        self.get(filtered(Req::new("GET", "/secrets"), filters))
    }

    fn secret_inspect(&mut self, reference: &str) -> ApiResult<Secret> {
        self.get(Req::new("GET", &format!("/secrets/{reference}")))
    }

    fn secret_remove(&mut self, reference: &str) -> ApiResult<()> {
        self.unit(Req::new("DELETE", &format!("/secrets/{reference}")))
    }

    fn config_create(&mut self, spec: ConfigSpec) -> ApiResult<String> {
        let v: serde_json::Value = self.get(Req::new("POST", "/configs/create").json(&spec))?;
        Ok(v["ID"].as_str().unwrap_or_default().to_string())
    }

    fn config_list(&mut self, filters: &Filters) -> ApiResult<Vec<Config>> {
        self.get(filtered(Req::new("GET", "/configs"), filters))
    }

    fn config_inspect(&mut self, reference: &str) -> ApiResult<Config> {
        self.get(Req::new("GET", &format!("/configs/{reference}")))
    }

    fn config_remove(&mut self, reference: &str) -> ApiResult<()> {
        self.unit(Req::new("DELETE", &format!("/configs/{reference}")))
    }

    fn secret_update(&mut self, reference: &str, version: u64, spec: SecretSpec) -> ApiResult<()> {
        let req = Req::new("POST", &format!("/secrets/{reference}/update")).param("version", version.to_string());
        self.unit(req.json(&spec))
    }

    fn config_update(&mut self, reference: &str, version: u64, spec: ConfigSpec) -> ApiResult<()> {
        let req = Req::new("POST", &format!("/configs/{reference}/update")).param("version", version.to_string());
        self.unit(req.json(&spec))
    }

    fn network_create(&mut self, req: NetworkCreateRequest) -> ApiResult<String> {
        let v: serde_json::Value = self.get(Req::new("POST", "/networks/create").json(&req))?;
        Ok(v["Id"].as_str().unwrap_or_default().to_string())
    }

    fn network_list(&mut self, filters: &Filters) -> ApiResult<Vec<NetworkInspect>> {
        self.get(filtered(Req::new("GET", "/networks"), filters))
    }

    fn network_inspect(&mut self, reference: &str) -> ApiResult<NetworkInspect> {
        self.get(Req::new("GET", &format!("/networks/{reference}")))
    }

    fn network_remove(&mut self, reference: &str) -> ApiResult<()> {
        self.unit(Req::new("DELETE", &format!("/networks/{reference}")))
    }

    fn container_list(&mut self, all: bool) -> ApiResult<Vec<ContainerSummary>> {
        let req = Req::new("GET", "/containers/json");
        self.get(if all { req.param("all", "1") } else { req })
    }

    fn container_inspect(&mut self, reference: &str) -> ApiResult<ContainerInspect> {
        self.get(Req::new("GET", &format!("/containers/{reference}/json")))
    }

    fn container_logs(&mut self, reference: &str, opts: &LogsOptions) -> ApiResult<Vec<LogLine>> {
        self.logs(format!("/containers/{reference}/logs"), opts, false)
    }

    fn sleep(&mut self, d: Duration) {
        self.transport.wait(d);
        self.now = None;
    }

    /// The daemon's time: as its last answer gave it, else from a ping (a daemon that
    /// does not say it is asked for its `/info`).
    fn now(&mut self) -> Timestamp {
        if let Some(now) = self.now {
            return now;
        }
        if let Some(now) = self.transport.send(Req::new("GET", "/_ping")).ok().and_then(|r| r.now) {
            self.now = Some(now);
            return now;
        }
        self.info().ok().and_then(|i| Timestamp::parse_rfc3339(&i.system_time)).unwrap_or_default()
    }
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}
