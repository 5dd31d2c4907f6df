//! The Docker Engine API as typed calls. The docker command line (`cli`) talks to a
//! daemon only through [`Api`], so the same commands run against the embedded engine
//! ([`crate::sim::NodeClient`]), over HTTP through a node's socket, or against a real
//! Docker daemon.

mod errors;

pub use errors::*;

use crate::types::{
    Config, ConfigSpec, ContainerInspect, ContainerSummary, InitRequest, JoinRequest, LogLine, LogsOptions,
    NetworkCreateRequest, NetworkInspect, Node, NodeSpec, Secret, SecretSpec, Service, ServiceSpec, Swarm, SwarmSpec,
    SystemInfo, SystemVersion, Task, UpdateFlags,
};
use std::collections::BTreeMap;
use std::time::Duration;

pub type ApiResult<T> = Result<T, ApiError>;

/// Docker's `filters.Args`: each key maps to the values given for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters(pub BTreeMap<String, Vec<String>>);

impl Filters {
    pub fn add(&mut self, key: &str, value: &str) {
        self.0.entry(key.to_string()).or_default().push(value.to_string());
    }

    pub fn get(&self, key: &str) -> &[String] {
        self.0.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// moby `filters.Args.Validate`: every key must be accepted.
    pub fn validate(&self, accepted: &[&str]) -> ApiResult<()> {
        match self.0.keys().find(|k| !accepted.contains(&k.as_str())) {
            Some(k) => Err(ApiError::invalid(format!("invalid filter '{k}'"))),
            None => Ok(()),
        }
    }
}

/// The calls a docker client makes on one daemon (one virtual node).
pub trait Api {
    fn version(&mut self) -> ApiResult<SystemVersion>;
    fn info(&mut self) -> ApiResult<SystemInfo>;

    /// Returns the new node's ID.
    fn swarm_init(&mut self, req: InitRequest) -> ApiResult<String>;
    fn swarm_join(&mut self, req: JoinRequest) -> ApiResult<()>;
    fn swarm_leave(&mut self, force: bool) -> ApiResult<()>;
    fn swarm_inspect(&mut self) -> ApiResult<Swarm>;
    fn swarm_update(&mut self, version: u64, spec: SwarmSpec, flags: UpdateFlags) -> ApiResult<()>;
    /// `GET /swarm/unlockkey`: empty while autolock is off.
    fn swarm_unlock_key(&mut self) -> ApiResult<String>;

    fn node_list(&mut self, filters: &Filters) -> ApiResult<Vec<Node>>;
    /// By full ID, then hostname, then ID prefix, as the daemon resolves it.
    fn node_inspect(&mut self, reference: &str) -> ApiResult<Node>;
    fn node_update(&mut self, reference: &str, version: u64, spec: NodeSpec) -> ApiResult<()>;
    fn node_remove(&mut self, reference: &str, force: bool) -> ApiResult<()>;

    /// `GET /distribution/{image}/json`: the digest a registry has for an image.
    fn distribution_inspect(&mut self, image: &str) -> ApiResult<String>;
    /// Returns the new service's ID and the daemon's warnings. With `query_registry`
    /// the daemon pins the image to its digest.
    fn service_create(&mut self, spec: ServiceSpec, query_registry: bool) -> ApiResult<(String, Vec<String>)>;
    /// With `status`, each service carries its running/desired task counts.
    fn service_list(&mut self, filters: &Filters, status: bool) -> ApiResult<Vec<Service>>;
    /// With `insert_defaults`, unset settings show swarmkit's defaults.
    fn service_inspect(&mut self, reference: &str, insert_defaults: bool) -> ApiResult<Service>;
    /// `rollback` asks for the previous spec (`--rollback`, `service rollback`).
    /// Returns the daemon's warnings.
    fn service_update(
        &mut self,
        reference: &str,
        version: u64,
        spec: ServiceSpec,
        rollback: bool,
        query_registry: bool,
    ) -> ApiResult<Vec<String>>;
    fn service_remove(&mut self, reference: &str) -> ApiResult<()>;
    fn service_logs(&mut self, reference: &str, opts: &LogsOptions) -> ApiResult<Vec<LogLine>>;
    fn task_list(&mut self, filters: &Filters) -> ApiResult<Vec<Task>>;
    fn task_inspect(&mut self, id: &str) -> ApiResult<Task>;

    /// Returns the new secret's ID; `spec.data` is the content, base64.
    fn secret_create(&mut self, spec: SecretSpec) -> ApiResult<String>;
    fn secret_list(&mut self, filters: &Filters) -> ApiResult<Vec<Secret>>;
    fn secret_inspect(&mut self, reference: &str) -> ApiResult<Secret>;
    fn secret_remove(&mut self, reference: &str) -> ApiResult<()>;
    /// Only the labels of a secret may change.
    fn secret_update(&mut self, reference: &str, version: u64, spec: SecretSpec) -> ApiResult<()>;
    /// Returns the new config's ID; `spec.data` is the content, base64.
    fn config_create(&mut self, spec: ConfigSpec) -> ApiResult<String>;
    fn config_list(&mut self, filters: &Filters) -> ApiResult<Vec<Config>>;
    fn config_inspect(&mut self, reference: &str) -> ApiResult<Config>;
    fn config_remove(&mut self, reference: &str) -> ApiResult<()>;
    /// Only the labels of a config may change.
    fn config_update(&mut self, reference: &str, version: u64, spec: ConfigSpec) -> ApiResult<()>;

    /// Returns the new network's ID.
    fn network_create(&mut self, req: NetworkCreateRequest) -> ApiResult<String>;
    /// This node's local networks and the swarm's.
    fn network_list(&mut self, filters: &Filters) -> ApiResult<Vec<NetworkInspect>>;
    fn network_inspect(&mut self, reference: &str) -> ApiResult<NetworkInspect>;
    fn network_remove(&mut self, reference: &str) -> ApiResult<()>;

    /// Containers of this node (`docker ps`).
    fn container_list(&mut self, all: bool) -> ApiResult<Vec<ContainerSummary>>;
    fn container_inspect(&mut self, reference: &str) -> ApiResult<ContainerInspect>;
    fn container_logs(&mut self, reference: &str, opts: &LogsOptions) -> ApiResult<Vec<LogLine>>;
    /// Runs a command in a running container: what it printed and its exit code.
    fn container_exec(&mut self, reference: &str, argv: &[String]) -> ApiResult<(String, i32)>;

    /// Lets time pass while a command waits (progress bars poll the daemon).
    fn sleep(&mut self, d: Duration);
    /// The daemon's current time, for "5 seconds ago".
    fn now(&mut self) -> crate::time::Timestamp;
}
