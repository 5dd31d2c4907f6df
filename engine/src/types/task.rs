//! moby `api/types/swarm` tasks.

use super::{Labels, PortConfig, TaskSpec, Version, is_zero_u64};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Task states in swarmkit's order: a task only ever moves forward through them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskState {
    #[default]
    New,
    Allocated,
    Pending,
    Assigned,
    Accepted,
    Preparing,
    Ready,
    Starting,
    Running,
    Complete,
    Shutdown,
    Failed,
    Rejected,
    Remove,
    Orphaned,
}

impl TaskState {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::New => "new",
            TaskState::Allocated => "allocated",
            TaskState::Pending => "pending",
            TaskState::Assigned => "assigned",
            TaskState::Accepted => "accepted",
            TaskState::Preparing => "preparing",
            TaskState::Ready => "ready",
            TaskState::Starting => "starting",
            TaskState::Running => "running",
            TaskState::Complete => "complete",
            TaskState::Shutdown => "shutdown",
            TaskState::Failed => "failed",
            TaskState::Rejected => "rejected",
            TaskState::Remove => "remove",
            TaskState::Orphaned => "orphaned",
        }
    }

    /// Past running: the task's container is gone or never came.
    pub fn is_terminal(self) -> bool {
        self > TaskState::Running
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerStatus {
    #[serde(rename = "ContainerID", default)]
    pub container_id: String,
    #[serde(rename = "PID", default)]
    pub pid: i64,
    #[serde(rename = "ExitCode", default)]
    pub exit_code: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortStatus {
    #[serde(rename = "Ports", default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PortConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskStatus {
    #[serde(rename = "Timestamp", default)]
    pub timestamp: Timestamp,
    #[serde(rename = "State", default)]
    pub state: TaskState,
    #[serde(rename = "Message", default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(rename = "Err", default, skip_serializing_if = "String::is_empty")]
    pub err: String,
    #[serde(rename = "ContainerStatus", default, skip_serializing_if = "Option::is_none")]
    pub container_status: Option<ContainerStatus>,
    #[serde(rename = "PortStatus", default)]
    pub port_status: PortStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(rename = "Version", default)]
    pub version: Version,
    #[serde(rename = "CreatedAt", default)]
    pub created_at: Timestamp,
    #[serde(rename = "UpdatedAt", default)]
    pub updated_at: Timestamp,
    #[serde(rename = "Labels", default)]
    pub labels: Labels,
    #[serde(rename = "Spec", default)]
    pub spec: TaskSpec,
    #[serde(rename = "ServiceID", default, skip_serializing_if = "String::is_empty")]
    pub service_id: String,
    #[serde(rename = "Slot", default, skip_serializing_if = "is_zero_u64")]
    pub slot: u64,
    #[serde(rename = "NodeID", default, skip_serializing_if = "String::is_empty")]
    pub node_id: String,
    #[serde(rename = "Status", default)]
    pub status: TaskStatus,
    #[serde(rename = "DesiredState", default)]
    pub desired_state: TaskState,
    /// The task's address on each network it is attached to.
    #[serde(rename = "NetworksAttachments", default, skip_serializing_if = "Vec::is_empty")]
    pub networks_attachments: Vec<super::NetworkAttachment>,
    #[serde(rename = "JobIteration", default, skip_serializing_if = "Option::is_none")]
    pub job_iteration: Option<Version>,
}
