//! moby `api/types/swarm` services: specs, modes, update configs and endpoints.

use super::{Labels, Version, is_false, is_zero_i64, is_zero_u64};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mount {
    #[serde(rename = "Type", default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(rename = "Source", default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(rename = "Target", default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    #[serde(rename = "ReadOnly", default, skip_serializing_if = "is_false")]
    pub read_only: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsConfig {}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerSpec {
    #[serde(rename = "Image", default, skip_serializing_if = "String::is_empty")]
    pub image: String,
    #[serde(rename = "Labels", default, skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
    #[serde(rename = "Command", default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    #[serde(rename = "Args", default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    #[serde(rename = "Hostname", default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    #[serde(rename = "Env", default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    #[serde(rename = "Dir", default, skip_serializing_if = "String::is_empty")]
    pub dir: String,
    #[serde(rename = "User", default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(rename = "Init", default, skip_serializing_if = "Option::is_none")]
    pub init: Option<bool>,
    #[serde(rename = "TTY", default, skip_serializing_if = "is_false")]
    pub tty: bool,
    #[serde(rename = "ReadOnly", default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(rename = "Mounts", default, skip_serializing_if = "Vec::is_empty")]
    pub mounts: Vec<Mount>,
    /// Nanoseconds.
    #[serde(rename = "StopGracePeriod", default, skip_serializing_if = "Option::is_none")]
    pub stop_grace_period: Option<i64>,
    #[serde(rename = "DNSConfig", default, skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<DnsConfig>,
    #[serde(rename = "Secrets", default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<SecretReference>,
    #[serde(rename = "Configs", default, skip_serializing_if = "Vec::is_empty")]
    pub configs: Vec<ConfigReference>,
    #[serde(rename = "Isolation", default, skip_serializing_if = "String::is_empty")]
    pub isolation: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    #[serde(rename = "NanoCPUs", default, skip_serializing_if = "is_zero_i64")]
    pub nano_cpus: i64,
    #[serde(rename = "MemoryBytes", default, skip_serializing_if = "is_zero_i64")]
    pub memory_bytes: i64,
    #[serde(rename = "Pids", default, skip_serializing_if = "is_zero_i64")]
    pub pids: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    #[serde(rename = "NanoCPUs", default, skip_serializing_if = "is_zero_i64")]
    pub nano_cpus: i64,
    #[serde(rename = "MemoryBytes", default, skip_serializing_if = "is_zero_i64")]
    pub memory_bytes: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRequirements {
    #[serde(rename = "Limits", default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Limit>,
    #[serde(rename = "Reservations", default, skip_serializing_if = "Option::is_none")]
    pub reservations: Option<Reservation>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartPolicy {
    /// "none", "on-failure" or "any".
    #[serde(rename = "Condition", default, skip_serializing_if = "String::is_empty")]
    pub condition: String,
    /// Nanoseconds.
    #[serde(rename = "Delay", default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<i64>,
    #[serde(rename = "MaxAttempts", default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u64>,
    /// Nanoseconds.
    #[serde(rename = "Window", default, skip_serializing_if = "Option::is_none")]
    pub window: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpreadOver {
    #[serde(rename = "SpreadDescriptor")]
    pub spread_descriptor: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementPreference {
    #[serde(rename = "Spread")]
    pub spread: Option<SpreadOver>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformSpec {
    #[serde(rename = "Architecture", default, skip_serializing_if = "String::is_empty")]
    pub architecture: String,
    #[serde(rename = "OS", default, skip_serializing_if = "String::is_empty")]
    pub os: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    #[serde(rename = "Constraints", default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<String>,
    #[serde(rename = "Preferences", default, skip_serializing_if = "Vec::is_empty")]
    pub preferences: Vec<PlacementPreference>,
    #[serde(rename = "MaxReplicas", default, skip_serializing_if = "is_zero_u64")]
    pub max_replicas: u64,
    #[serde(rename = "Platforms", default, skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<PlatformSpec>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkAttachmentConfig {
    #[serde(rename = "Target", default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    #[serde(rename = "Aliases", default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSpec {
    #[serde(rename = "ContainerSpec", default, skip_serializing_if = "Option::is_none")]
    pub container_spec: Option<ContainerSpec>,
    #[serde(rename = "Resources", default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    #[serde(rename = "RestartPolicy", default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<RestartPolicy>,
    #[serde(rename = "Placement", default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    #[serde(rename = "Networks", default, skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<NetworkAttachmentConfig>,
    #[serde(rename = "ForceUpdate", default)]
    pub force_update: u64,
    #[serde(rename = "Runtime", default, skip_serializing_if = "String::is_empty")]
    pub runtime: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicatedService {
    #[serde(rename = "Replicas", default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalService {}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicatedJob {
    #[serde(rename = "MaxConcurrent", default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent: Option<u64>,
    #[serde(rename = "TotalCompletions", default, skip_serializing_if = "Option::is_none")]
    pub total_completions: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceMode {
    #[serde(rename = "Replicated", default, skip_serializing_if = "Option::is_none")]
    pub replicated: Option<ReplicatedService>,
    #[serde(rename = "Global", default, skip_serializing_if = "Option::is_none")]
    pub global: Option<GlobalService>,
    #[serde(rename = "ReplicatedJob", default, skip_serializing_if = "Option::is_none")]
    pub replicated_job: Option<ReplicatedJob>,
    #[serde(rename = "GlobalJob", default, skip_serializing_if = "Option::is_none")]
    pub global_job: Option<GlobalService>,
}

/// Which of the four modes a service runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeKind {
    Replicated,
    Global,
    ReplicatedJob,
    GlobalJob,
}

impl ServiceMode {
    pub fn kind(&self) -> ModeKind {
        if self.global.is_some() {
            ModeKind::Global
        } else if self.replicated_job.is_some() {
            ModeKind::ReplicatedJob
        } else if self.global_job.is_some() {
            ModeKind::GlobalJob
        } else {
            ModeKind::Replicated
        }
    }
    pub fn replicas(&self) -> Option<u64> {
        self.replicated.as_ref().map(|r| r.replicas.unwrap_or(1))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateConfig {
    #[serde(rename = "Parallelism", default)]
    pub parallelism: u64,
    /// Nanoseconds.
    #[serde(rename = "Delay", default, skip_serializing_if = "is_zero_i64")]
    pub delay: i64,
    #[serde(rename = "FailureAction", default, skip_serializing_if = "String::is_empty")]
    pub failure_action: String,
    /// Nanoseconds.
    #[serde(rename = "Monitor", default, skip_serializing_if = "is_zero_i64")]
    pub monitor: i64,
    #[serde(rename = "MaxFailureRatio", default, serialize_with = "go_float32")]
    pub max_failure_ratio: f32,
    #[serde(rename = "Order", default)]
    pub order: String,
}

impl Eq for UpdateConfig {}

impl UpdateConfig {
    /// `c` with swarmkit's defaults (`defaults.Service.Update`) where it leaves a gap;
    /// no config at all means one task at a time.
    pub fn or_defaults(c: Option<&UpdateConfig>) -> UpdateConfig {
        let mut c = c.cloned().unwrap_or(UpdateConfig { parallelism: 1, ..UpdateConfig::default() });
        if c.failure_action.is_empty() {
            c.failure_action = "pause".into();
        }
        if c.monitor == 0 {
            c.monitor = 5_000_000_000;
        }
        if c.order.is_empty() {
            c.order = "stop-first".into();
        }
        c
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortConfig {
    #[serde(rename = "Name", default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(rename = "Protocol", default, skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    #[serde(rename = "TargetPort", default, skip_serializing_if = "is_zero_u32")]
    pub target_port: u32,
    #[serde(rename = "PublishedPort", default, skip_serializing_if = "is_zero_u32")]
    pub published_port: u32,
    #[serde(rename = "PublishMode", default, skip_serializing_if = "String::is_empty")]
    pub publish_mode: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointSpec {
    #[serde(rename = "Mode", default, skip_serializing_if = "String::is_empty")]
    pub mode: String,
    #[serde(rename = "Ports", default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PortConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointVirtualIp {
    #[serde(rename = "NetworkID", default, skip_serializing_if = "String::is_empty")]
    pub network_id: String,
    #[serde(rename = "Addr", default, skip_serializing_if = "String::is_empty")]
    pub addr: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    #[serde(rename = "Spec", default)]
    pub spec: EndpointSpec,
    #[serde(rename = "Ports", default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PortConfig>,
    #[serde(rename = "VirtualIPs", default, skip_serializing_if = "Vec::is_empty")]
    pub virtual_ips: Vec<EndpointVirtualIp>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSpec {
    #[serde(rename = "Name", default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(rename = "Labels", default)]
    pub labels: Labels,
    #[serde(rename = "TaskTemplate", default)]
    pub task_template: TaskSpec,
    #[serde(rename = "Mode", default)]
    pub mode: ServiceMode,
    #[serde(rename = "UpdateConfig", default, skip_serializing_if = "Option::is_none")]
    pub update_config: Option<UpdateConfig>,
    #[serde(rename = "RollbackConfig", default, skip_serializing_if = "Option::is_none")]
    pub rollback_config: Option<UpdateConfig>,
    #[serde(rename = "EndpointSpec", default, skip_serializing_if = "Option::is_none")]
    pub endpoint_spec: Option<EndpointSpec>,
}

impl ServiceSpec {
    pub fn container(&self) -> &ContainerSpec {
        static EMPTY: ContainerSpec = ContainerSpec {
            image: String::new(),
            labels: Labels::new(),
            command: Vec::new(),
            args: Vec::new(),
            hostname: String::new(),
            env: Vec::new(),
            dir: String::new(),
            user: String::new(),
            init: None,
            tty: false,
            read_only: false,
            mounts: Vec::new(),
            stop_grace_period: None,
            dns_config: None,
            secrets: Vec::new(),
            configs: Vec::new(),
            isolation: String::new(),
        };
        self.task_template.container_spec.as_ref().unwrap_or(&EMPTY)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateStatus {
    /// updating, paused, completed, rollback_started, rollback_paused, rollback_completed
    #[serde(rename = "State", default, skip_serializing_if = "String::is_empty")]
    pub state: String,
    #[serde(rename = "StartedAt", default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Timestamp>,
    #[serde(rename = "CompletedAt", default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<Timestamp>,
    #[serde(rename = "Message", default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceStatus {
    #[serde(rename = "RunningTasks")]
    pub running_tasks: u64,
    #[serde(rename = "DesiredTasks")]
    pub desired_tasks: u64,
    #[serde(rename = "CompletedTasks")]
    pub completed_tasks: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobStatus {
    #[serde(rename = "JobIteration", default)]
    pub job_iteration: Version,
    #[serde(rename = "LastExecution", default, skip_serializing_if = "Timestamp::is_zero")]
    pub last_execution: Timestamp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(rename = "Version", default)]
    pub version: Version,
    #[serde(rename = "CreatedAt", default)]
    pub created_at: Timestamp,
    #[serde(rename = "UpdatedAt", default)]
    pub updated_at: Timestamp,
    #[serde(rename = "Spec", default)]
    pub spec: ServiceSpec,
    #[serde(rename = "PreviousSpec", default, skip_serializing_if = "Option::is_none")]
    pub previous_spec: Option<ServiceSpec>,
    #[serde(rename = "Endpoint", default)]
    pub endpoint: Endpoint,
    #[serde(rename = "UpdateStatus", default, skip_serializing_if = "Option::is_none")]
    pub update_status: Option<UpdateStatus>,
    #[serde(rename = "ServiceStatus", default, skip_serializing_if = "Option::is_none")]
    pub service_status: Option<ServiceStatus>,
    #[serde(rename = "JobStatus", default, skip_serializing_if = "Option::is_none")]
    pub job_status: Option<JobStatus>,
}

impl ServiceSpec {
    /// What the daemon returns: the container isolation and runtime as moby converts
    /// them, and with `defaults`, swarmkit's defaults for what the spec leaves unset
    /// (`defaults.InterpolateService`).
    pub fn for_display(mut self, defaults: bool) -> ServiceSpec {
        let t = &mut self.task_template;
        if let Some(c) = t.container_spec.as_mut() {
            if c.isolation.is_empty() {
                c.isolation = "default".into();
            }
            if defaults && c.stop_grace_period.is_none() {
                c.stop_grace_period = Some(10_000_000_000);
            }
        }
        if t.runtime.is_empty() {
            t.runtime = "container".into();
        }
        if defaults {
            let r = t.restart_policy.get_or_insert_with(RestartPolicy::default);
            if r.condition.is_empty() {
                r.condition = "any".into();
            }
            r.delay.get_or_insert(5_000_000_000);
            r.max_attempts.get_or_insert(0);
            if !matches!(self.mode.kind(), ModeKind::ReplicatedJob | ModeKind::GlobalJob) {
                for cfg in [&mut self.update_config, &mut self.rollback_config] {
                    *cfg = Some(UpdateConfig::or_defaults(cfg.as_ref()));
                }
            }
            self.endpoint_spec.get_or_insert_with(|| EndpointSpec { mode: "vip".into(), ports: Vec::new() });
        }
        self
    }

    /// The mode as the daemon stores it: a replicated service without a count runs
    /// one replica (moby's ServiceSpecToGRPC), and inspect shows `"Replicas": 1`.
    pub fn with_replicas_defaulted(mut self) -> ServiceSpec {
        if self.mode.kind() == ModeKind::Replicated && self.mode.replicated.as_ref().and_then(|r| r.replicas).is_none()
        {
            self.mode.replicated = Some(ReplicatedService { replicas: Some(1) });
        }
        self
    }

    /// The spec as stored: what the daemon adds for display is not kept.
    pub fn stored(mut self) -> ServiceSpec {
        if let Some(c) = self.task_template.container_spec.as_mut()
            && c.isolation == "default"
        {
            c.isolation.clear();
        }
        if self.task_template.runtime == "container" {
            self.task_template.runtime.clear();
        }
        self
    }
}

/// Go's encoding/json writes a whole float32 without a fraction: `0`, not `0.0`.
fn go_float32<S: serde::Serializer>(v: &f32, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 1e21 { s.serialize_i64(*v as i64) } else { s.serialize_f32(*v) }
}

/// Where a secret or config appears in the container: a file, with owner and mode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileTarget {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "UID")]
    pub uid: String,
    #[serde(rename = "GID")]
    pub gid: String,
    #[serde(rename = "Mode")]
    pub mode: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretReference {
    #[serde(rename = "File", default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileTarget>,
    #[serde(rename = "SecretID")]
    pub secret_id: String,
    #[serde(rename = "SecretName")]
    pub secret_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigReference {
    #[serde(rename = "File", default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileTarget>,
    #[serde(rename = "ConfigID")]
    pub config_id: String,
    #[serde(rename = "ConfigName")]
    pub config_name: String,
}
