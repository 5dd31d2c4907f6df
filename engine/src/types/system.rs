//! moby `api/types/system` (`/info`) and `api/types` (`/version`), the fields the
//! docker CLI prints.

use super::SwarmInfo;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginsInfo {
    #[serde(rename = "Volume", default)]
    pub volume: Vec<String>,
    #[serde(rename = "Network", default)]
    pub network: Vec<String>,
    #[serde(rename = "Authorization", default)]
    pub authorization: Option<Vec<String>>,
    #[serde(rename = "Log", default)]
    pub log: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    #[serde(rename = "ID", default)]
    pub id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeInfo {
    #[serde(rename = "path", default)]
    pub path: String,
}

/// `GET /info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemInfo {
    #[serde(rename = "ID", default)]
    pub id: String,
    #[serde(rename = "Containers", default)]
    pub containers: i64,
    #[serde(rename = "ContainersRunning", default)]
    pub containers_running: i64,
    #[serde(rename = "ContainersPaused", default)]
    pub containers_paused: i64,
    #[serde(rename = "ContainersStopped", default)]
    pub containers_stopped: i64,
    #[serde(rename = "Images", default)]
    pub images: i64,
    #[serde(rename = "Driver", default)]
    pub driver: String,
    #[serde(rename = "DriverStatus", default)]
    pub driver_status: Vec<[String; 2]>,
    #[serde(rename = "Plugins", default)]
    pub plugins: PluginsInfo,
    #[serde(rename = "LoggingDriver", default)]
    pub logging_driver: String,
    #[serde(rename = "CgroupDriver", default)]
    pub cgroup_driver: String,
    #[serde(rename = "CgroupVersion", default)]
    pub cgroup_version: String,
    #[serde(rename = "KernelVersion", default)]
    pub kernel_version: String,
    #[serde(rename = "OperatingSystem", default)]
    pub operating_system: String,
    #[serde(rename = "OSType", default)]
    pub os_type: String,
    #[serde(rename = "Architecture", default)]
    pub architecture: String,
    #[serde(rename = "NCPU", default)]
    pub ncpu: i64,
    #[serde(rename = "MemTotal", default)]
    pub mem_total: i64,
    #[serde(rename = "DockerRootDir", default)]
    pub docker_root_dir: String,
    #[serde(rename = "Name", default)]
    pub name: String,
    #[serde(rename = "Labels", default)]
    pub labels: Vec<String>,
    #[serde(rename = "ExperimentalBuild", default)]
    pub experimental_build: bool,
    #[serde(rename = "ServerVersion", default)]
    pub server_version: String,
    #[serde(rename = "Runtimes", default)]
    pub runtimes: BTreeMap<String, RuntimeInfo>,
    #[serde(rename = "DefaultRuntime", default)]
    pub default_runtime: String,
    #[serde(rename = "Swarm", default)]
    pub swarm: SwarmInfo,
    #[serde(rename = "LiveRestoreEnabled", default)]
    pub live_restore_enabled: bool,
    #[serde(rename = "Isolation", default)]
    pub isolation: String,
    #[serde(rename = "InitBinary", default)]
    pub init_binary: String,
    #[serde(rename = "ContainerdCommit", default)]
    pub containerd_commit: Commit,
    #[serde(rename = "RuncCommit", default)]
    pub runc_commit: Commit,
    #[serde(rename = "InitCommit", default)]
    pub init_commit: Commit,
    #[serde(rename = "SecurityOptions", default)]
    pub security_options: Vec<String>,
    #[serde(rename = "Debug", default)]
    pub debug: bool,
    /// The daemon's clock (RFC 3339); clients over HTTP read the virtual time here.
    #[serde(rename = "SystemTime", default)]
    pub system_time: String,
    #[serde(rename = "Warnings", default)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentVersion {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Version")]
    pub version: String,
    #[serde(rename = "Details", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
}

/// `GET /version`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemVersion {
    #[serde(rename = "Platform", default)]
    pub platform: BTreeMap<String, String>,
    #[serde(rename = "Components", default)]
    pub components: Vec<ComponentVersion>,
    #[serde(rename = "Version")]
    pub version: String,
    #[serde(rename = "ApiVersion")]
    pub api_version: String,
    #[serde(rename = "MinAPIVersion", default)]
    pub min_api_version: String,
    #[serde(rename = "GitCommit")]
    pub git_commit: String,
    #[serde(rename = "GoVersion")]
    pub go_version: String,
    #[serde(rename = "Os")]
    pub os: String,
    #[serde(rename = "Arch")]
    pub arch: String,
    #[serde(rename = "KernelVersion", default)]
    pub kernel_version: String,
    #[serde(rename = "BuildTime", default)]
    pub build_time: String,
}
