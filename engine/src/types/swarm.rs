//! moby `api/types/swarm`: nodes, the swarm (cluster) object and its requests.

use super::{is_false, is_zero_i64, is_zero_u64};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub type Labels = BTreeMap<String, String>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    #[serde(rename = "Index", default, skip_serializing_if = "is_zero_u64")]
    pub index: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeRole {
    #[default]
    Worker,
    Manager,
}

impl NodeRole {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeRole::Worker => "worker",
            NodeRole::Manager => "manager",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeAvailability {
    #[default]
    Active,
    Pause,
    Drain,
}

impl NodeAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeAvailability::Active => "active",
            NodeAvailability::Pause => "pause",
            NodeAvailability::Drain => "drain",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Self::Active),
            "pause" => Some(Self::Pause),
            "drain" => Some(Self::Drain),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeState {
    #[default]
    Unknown,
    Down,
    Ready,
    Disconnected,
}

impl NodeState {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeState::Unknown => "unknown",
            NodeState::Down => "down",
            NodeState::Ready => "ready",
            NodeState::Disconnected => "disconnected",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reachability {
    #[default]
    Unknown,
    Unreachable,
    Reachable,
}

impl Reachability {
    pub fn as_str(self) -> &'static str {
        match self {
            Reachability::Unknown => "unknown",
            Reachability::Unreachable => "unreachable",
            Reachability::Reachable => "reachable",
        }
    }
}

/// What `/info` reports as `Swarm.LocalNodeState`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LocalNodeState {
    #[default]
    #[serde(rename = "inactive")]
    Inactive,
    Pending,
    Active,
    Error,
    Locked,
}

impl LocalNodeState {
    pub fn as_str(self) -> &'static str {
        match self {
            LocalNodeState::Inactive => "inactive",
            LocalNodeState::Pending => "pending",
            LocalNodeState::Active => "active",
            LocalNodeState::Error => "error",
            LocalNodeState::Locked => "locked",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeSpec {
    #[serde(rename = "Name", default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(rename = "Labels", default)]
    pub labels: Labels,
    #[serde(rename = "Role", default)]
    pub role: NodeRole,
    #[serde(rename = "Availability", default)]
    pub availability: NodeAvailability,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Platform {
    #[serde(rename = "Architecture", default, skip_serializing_if = "String::is_empty")]
    pub architecture: String,
    #[serde(rename = "OS", default, skip_serializing_if = "String::is_empty")]
    pub os: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    #[serde(rename = "NanoCPUs", default, skip_serializing_if = "is_zero_i64")]
    pub nano_cpus: i64,
    #[serde(rename = "MemoryBytes", default, skip_serializing_if = "is_zero_i64")]
    pub memory_bytes: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginDescription {
    #[serde(rename = "Type", default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(rename = "Name", default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineDescription {
    #[serde(rename = "EngineVersion", default, skip_serializing_if = "String::is_empty")]
    pub engine_version: String,
    #[serde(rename = "Labels", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: Labels,
    #[serde(rename = "Plugins", default, skip_serializing_if = "Vec::is_empty")]
    pub plugins: Vec<PluginDescription>,
}

/// TLS information; the byte fields are carried base64-encoded, as Go's JSON does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsInfo {
    #[serde(rename = "TrustRoot", default, skip_serializing_if = "String::is_empty")]
    pub trust_root: String,
    #[serde(rename = "CertIssuerSubject", default, skip_serializing_if = "String::is_empty")]
    pub cert_issuer_subject: String,
    #[serde(rename = "CertIssuerPublicKey", default, skip_serializing_if = "String::is_empty")]
    pub cert_issuer_public_key: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeDescription {
    #[serde(rename = "Hostname", default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    #[serde(rename = "Platform", default)]
    pub platform: Platform,
    #[serde(rename = "Resources", default)]
    pub resources: Resources,
    #[serde(rename = "Engine", default)]
    pub engine: EngineDescription,
    #[serde(rename = "TLSInfo", default)]
    pub tls_info: TlsInfo,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeStatus {
    #[serde(rename = "State", default)]
    pub state: NodeState,
    #[serde(rename = "Message", default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(rename = "Addr", default, skip_serializing_if = "String::is_empty")]
    pub addr: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerStatus {
    #[serde(rename = "Leader", default, skip_serializing_if = "is_false")]
    pub leader: bool,
    #[serde(rename = "Reachability", default)]
    pub reachability: Reachability,
    #[serde(rename = "Addr", default, skip_serializing_if = "String::is_empty")]
    pub addr: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(rename = "Version", default)]
    pub version: Version,
    #[serde(rename = "CreatedAt", default)]
    pub created_at: Timestamp,
    #[serde(rename = "UpdatedAt", default)]
    pub updated_at: Timestamp,
    #[serde(rename = "Spec", default)]
    pub spec: NodeSpec,
    #[serde(rename = "Description", default)]
    pub description: NodeDescription,
    #[serde(rename = "Status", default)]
    pub status: NodeStatus,
    #[serde(rename = "ManagerStatus", default, skip_serializing_if = "Option::is_none")]
    pub manager_status: Option<ManagerStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrchestrationConfig {
    #[serde(rename = "TaskHistoryRetentionLimit", default, skip_serializing_if = "Option::is_none")]
    pub task_history_retention_limit: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaftConfig {
    #[serde(rename = "SnapshotInterval", default, skip_serializing_if = "is_zero_u64")]
    pub snapshot_interval: u64,
    #[serde(rename = "KeepOldSnapshots", default, skip_serializing_if = "Option::is_none")]
    pub keep_old_snapshots: Option<u64>,
    #[serde(rename = "LogEntriesForSlowFollowers", default, skip_serializing_if = "is_zero_u64")]
    pub log_entries_for_slow_followers: u64,
    #[serde(rename = "ElectionTick", default)]
    pub election_tick: i64,
    #[serde(rename = "HeartbeatTick", default)]
    pub heartbeat_tick: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatcherConfig {
    /// Nanoseconds.
    #[serde(rename = "HeartbeatPeriod", default, skip_serializing_if = "is_zero_i64")]
    pub heartbeat_period: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaConfig {
    /// Nanoseconds.
    #[serde(rename = "NodeCertExpiry", default, skip_serializing_if = "is_zero_i64")]
    pub node_cert_expiry: i64,
    #[serde(rename = "ForceRotate", default, skip_serializing_if = "is_zero_u64")]
    pub force_rotate: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDefaults {}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptionConfig {
    #[serde(rename = "AutoLockManagers", default)]
    pub auto_lock_managers: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwarmSpec {
    #[serde(rename = "Name", default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(rename = "Labels", default)]
    pub labels: Labels,
    #[serde(rename = "Orchestration")]
    pub orchestration: OrchestrationConfig,
    #[serde(rename = "Raft")]
    pub raft: RaftConfig,
    #[serde(rename = "Dispatcher")]
    pub dispatcher: DispatcherConfig,
    #[serde(rename = "CAConfig")]
    pub ca_config: CaConfig,
    #[serde(rename = "TaskDefaults", default)]
    pub task_defaults: TaskDefaults,
    #[serde(rename = "EncryptionConfig", default)]
    pub encryption_config: EncryptionConfig,
}

impl Default for SwarmSpec {
    /// swarmkit's defaults for a new cluster (`manager.defaultClusterSpec`).
    fn default() -> Self {
        SwarmSpec {
            name: "default".into(),
            labels: Labels::new(),
            orchestration: OrchestrationConfig { task_history_retention_limit: Some(5) },
            raft: RaftConfig {
                snapshot_interval: 10_000,
                keep_old_snapshots: Some(0),
                log_entries_for_slow_followers: 500,
                election_tick: 10,
                heartbeat_tick: 1,
            },
            dispatcher: DispatcherConfig { heartbeat_period: 5_000_000_000 },
            ca_config: CaConfig { node_cert_expiry: 90 * 24 * 3600 * 1_000_000_000, force_rotate: 0 },
            task_defaults: TaskDefaults {},
            encryption_config: EncryptionConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterInfo {
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(rename = "Version", default)]
    pub version: Version,
    #[serde(rename = "CreatedAt", default)]
    pub created_at: Timestamp,
    #[serde(rename = "UpdatedAt", default)]
    pub updated_at: Timestamp,
    #[serde(rename = "Spec")]
    pub spec: SwarmSpec,
    #[serde(rename = "TLSInfo", default)]
    pub tls_info: TlsInfo,
    #[serde(rename = "RootRotationInProgress", default)]
    pub root_rotation_in_progress: bool,
    #[serde(rename = "DefaultAddrPool", default)]
    pub default_addr_pool: Vec<String>,
    #[serde(rename = "SubnetSize", default)]
    pub subnet_size: u32,
    #[serde(rename = "DataPathPort", default)]
    pub data_path_port: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinTokens {
    #[serde(rename = "Worker", default)]
    pub worker: String,
    #[serde(rename = "Manager", default)]
    pub manager: String,
}

/// `GET /swarm`: the cluster object with its join tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Swarm {
    #[serde(flatten)]
    pub cluster: ClusterInfo,
    #[serde(rename = "JoinTokens", default)]
    pub join_tokens: JoinTokens,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
    #[serde(rename = "NodeID")]
    pub node_id: String,
    #[serde(rename = "Addr")]
    pub addr: String,
}

/// `Swarm` section of `/info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwarmInfo {
    #[serde(rename = "NodeID", default)]
    pub node_id: String,
    #[serde(rename = "NodeAddr", default)]
    pub node_addr: String,
    #[serde(rename = "LocalNodeState", default)]
    pub local_node_state: LocalNodeState,
    #[serde(rename = "ControlAvailable", default, skip_serializing_if = "is_false")]
    pub control_available: bool,
    #[serde(rename = "Error", default)]
    pub error: String,
    #[serde(rename = "RemoteManagers", default)]
    pub remote_managers: Option<Vec<Peer>>,
    #[serde(rename = "Nodes", default, skip_serializing_if = "is_zero_i64")]
    pub nodes: i64,
    #[serde(rename = "Managers", default, skip_serializing_if = "is_zero_i64")]
    pub managers: i64,
    #[serde(rename = "Cluster", default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterInfo>,
    #[serde(rename = "Warnings", default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// `POST /swarm/init`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitRequest {
    #[serde(rename = "ListenAddr", default)]
    pub listen_addr: String,
    #[serde(rename = "AdvertiseAddr", default)]
    pub advertise_addr: String,
    #[serde(rename = "DataPathAddr", default)]
    pub data_path_addr: String,
    #[serde(rename = "DataPathPort", default)]
    pub data_path_port: u32,
    #[serde(rename = "ForceNewCluster", default)]
    pub force_new_cluster: bool,
    /// Only the fields the CLI sets (task history limit …); the rest keep swarmkit's defaults.
    #[serde(rename = "Spec", default)]
    pub spec: SpecPatch,
    #[serde(rename = "AutoLockManagers", default)]
    pub auto_lock_managers: bool,
    #[serde(rename = "Availability", default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<NodeAvailability>,
    #[serde(rename = "DefaultAddrPool", default)]
    pub default_addr_pool: Vec<String>,
    #[serde(rename = "SubnetSize", default)]
    pub subnet_size: u32,
}

/// The part of a swarm spec a CLI flag can change; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_history_retention_limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_interval: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_old_snapshots: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_period: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_cert_expiry: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_lock_managers: Option<bool>,
}

impl SpecPatch {
    pub fn is_empty(&self) -> bool {
        *self == SpecPatch::default()
    }

    pub fn apply_to(&self, spec: &mut SwarmSpec) {
        if let Some(v) = self.task_history_retention_limit {
            spec.orchestration.task_history_retention_limit = Some(v);
        }
        if let Some(v) = self.snapshot_interval {
            spec.raft.snapshot_interval = v;
        }
        if let Some(v) = self.keep_old_snapshots {
            spec.raft.keep_old_snapshots = Some(v);
        }
        if let Some(v) = self.heartbeat_period {
            spec.dispatcher.heartbeat_period = v;
        }
        if let Some(v) = self.node_cert_expiry {
            spec.ca_config.node_cert_expiry = v;
        }
        if let Some(v) = self.auto_lock_managers {
            spec.encryption_config.auto_lock_managers = v;
        }
    }
}

/// `POST /swarm/join`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    #[serde(rename = "ListenAddr", default)]
    pub listen_addr: String,
    #[serde(rename = "AdvertiseAddr", default)]
    pub advertise_addr: String,
    #[serde(rename = "DataPathAddr", default)]
    pub data_path_addr: String,
    #[serde(rename = "RemoteAddrs", default)]
    pub remote_addrs: Vec<String>,
    #[serde(rename = "JoinToken", default)]
    pub join_token: String,
    #[serde(rename = "Availability", default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<NodeAvailability>,
}

/// Query flags of `POST /swarm/update`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateFlags {
    pub rotate_worker_token: bool,
    pub rotate_manager_token: bool,
    pub rotate_manager_unlock_key: bool,
}
