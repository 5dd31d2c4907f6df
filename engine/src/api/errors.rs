//! Docker-shaped errors: the daemon's message, its HTTP status, and the gRPC wrapping
//! swarmkit errors keep on their way through the daemon.

use std::fmt;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status the daemon answers with.
    pub status: u16,
    /// The daemon's message, printed after "Error response from daemon: ".
    pub message: String,
    /// How long the real daemon takes before it answers with this error (a join that
    /// times out blocks for 20 s). Callers wait this long in virtual or real time.
    pub delay: Duration,
}

/// gRPC status codes as swarmkit's errors print them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Unknown,
    InvalidArgument,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    Unimplemented,
}

impl Code {
    fn name(self) -> &'static str {
        match self {
            Code::Unknown => "Unknown",
            Code::InvalidArgument => "InvalidArgument",
            Code::NotFound => "NotFound",
            Code::AlreadyExists => "AlreadyExists",
            Code::FailedPrecondition => "FailedPrecondition",
            Code::Unimplemented => "Unimplemented",
        }
    }

    fn status(self) -> u16 {
        match self {
            Code::Unknown => 500,
            Code::InvalidArgument => 400,
            Code::NotFound => 404,
            Code::AlreadyExists => 409,
            Code::FailedPrecondition => 400,
            Code::Unimplemented => 501,
        }
    }
}

impl ApiError {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError { status, message: message.into(), delay: Duration::ZERO }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, message)
    }
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(503, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, message)
    }
    /// A swarmkit gRPC error passed through the daemon: `rpc error: code = X desc = …`.
    pub fn grpc(code: Code, desc: impl Into<String>) -> Self {
        Self::new(code.status(), format!("rpc error: code = {} desc = {}", code.name(), desc.into()))
    }
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The docker client trims the daemon's message.
        write!(f, "Error response from daemon: {}", self.message.trim())
    }
}

impl std::error::Error for ApiError {}

// moby daemon/cluster/errors.go
pub const ERR_NO_SWARM: &str = "This node is not part of a swarm";
pub const ERR_SWARM_EXISTS: &str =
    "This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.";
pub const ERR_JOIN_TIMEOUT: &str = "Timeout was reached before node joined. The attempt to join the swarm will continue in the background. Use the \"docker info\" command to see the current swarm status of your node.";
pub const ERR_NOT_MANAGER: &str = "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";
pub const ERR_NO_MANAGER_INACTIVE: &str = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";
// swarmkit manager/state/raft: ErrNoClusterLeader, through the daemon as a gRPC Unknown.
pub const ERR_NO_LEADER: &str = "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";
