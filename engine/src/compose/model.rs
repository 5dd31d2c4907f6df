//! The compose file model `docker stack deploy` uses: our own types, after docker/cli's
//! `compose/types`, holding only what swarm acts on.

use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Compose {
    pub version: String,
    /// Sorted by name, as docker/cli's loader returns them.
    pub services: Vec<ServiceConfig>,
    pub networks: BTreeMap<String, NetworkConfig>,
    pub volumes: BTreeMap<String, VolumeConfig>,
    pub secrets: BTreeMap<String, FileObject>,
    pub configs: BTreeMap<String, FileObject>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceConfig {
    pub name: String,
    pub image: String,
    pub command: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    /// `KEY=value`, or `KEY` alone (taken from the environment when deployed).
    pub environment: BTreeMap<String, Option<String>>,
    pub hostname: String,
    pub labels: BTreeMap<String, String>,
    pub ports: Vec<PortConfig>,
    /// Network name to its aliases; empty when the service names none (default network).
    pub networks: BTreeMap<String, Vec<String>>,
    pub secrets: Vec<FileReference>,
    pub configs: Vec<FileReference>,
    pub volumes: Vec<VolumeMount>,
    pub stop_grace_period: Option<Duration>,
    pub user: String,
    pub working_dir: String,
    pub deploy: Deploy,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortConfig {
    /// `ingress` or `host`.
    pub mode: String,
    pub target: u32,
    pub published: Option<u32>,
    /// `tcp`, `udp` or `sctp`.
    pub protocol: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReference {
    pub source: String,
    pub target: String,
    pub uid: String,
    pub gid: String,
    pub mode: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeMount {
    /// `volume`, `bind` or `tmpfs`.
    pub kind: String,
    pub source: String,
    pub target: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deploy {
    /// `replicated` (default), `global`, `replicated-job` or `global-job`.
    pub mode: String,
    pub replicas: Option<u64>,
    pub labels: BTreeMap<String, String>,
    pub update_config: Option<UpdateConfig>,
    pub rollback_config: Option<UpdateConfig>,
    pub limits: Resources,
    pub reservations: Resources,
    pub restart_policy: Option<RestartPolicy>,
    pub constraints: Vec<String>,
    /// `spread` descriptors, in order.
    pub preferences: Vec<String>,
    pub max_replicas_per_node: Option<u64>,
    /// `vip` or `dnsrr`.
    pub endpoint_mode: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resources {
    pub nano_cpus: Option<i64>,
    pub memory_bytes: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateConfig {
    pub parallelism: Option<u64>,
    pub delay: Option<Duration>,
    pub failure_action: String,
    pub monitor: Option<Duration>,
    pub max_failure_ratio: Option<f32>,
    pub order: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestartPolicy {
    pub condition: String,
    pub delay: Option<Duration>,
    pub max_attempts: Option<u64>,
    pub window: Option<Duration>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkConfig {
    pub driver: String,
    pub external: bool,
    /// The real name: `name:`, or the external network's name.
    pub name: String,
    pub attachable: bool,
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeConfig {
    pub driver: String,
    pub external: bool,
    pub name: String,
}

/// A top-level secret or config: from a file, or external (created beforehand).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileObject {
    pub file: String,
    pub external: bool,
    pub name: String,
    pub labels: BTreeMap<String, String>,
}
