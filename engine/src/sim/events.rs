//! Timed events: what happens later in virtual time (heartbeats that stop, Raft ticks,
//! nodes registering with a new leader).

use super::Cluster;
use crate::agent::executor::Step;
use crate::store::Change;
use crate::time::Timestamp;
use crate::types::{NodeState, NodeStatus};
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The dispatcher of leader `epoch` stops hearing from a node: it goes Down.
    HeartbeatExpired { cluster: String, node_id: String, epoch: u64 },
    /// A swarm's Raft group has work at this tick (an election, a catch-up).
    Raft { cluster: String },
    /// A node registers with the dispatcher of leader `epoch`.
    Register { cluster: String, node_id: String, epoch: u64 },
    /// A swarm's control loops asked to be woken (restart or update delays), about
    /// one service or in general.
    Manager { cluster: String, service: Option<String> },
    /// A node's agent takes the next step with one of its tasks.
    Agent { machine: usize, task: String, step: Step },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Scheduled {
    pub at: Timestamp,
    pub seq: u64,
    pub event: Event,
}

// Earliest first, then in scheduling order: a min-heap over (at, seq).
impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Cluster {
    /// Runs one event; returns the swarm it touched, to be settled.
    pub(super) fn handle(&mut self, event: Event) -> Option<String> {
        match event {
            Event::HeartbeatExpired { cluster, node_id, epoch } => {
                let swarm = self.swarm(&cluster).filter(|s| s.epoch == epoch)?;
                let node = swarm.store().nodes.get(&node_id)?;
                if self.node_answers(&cluster, &node_id) || node.status.state == NodeState::Down {
                    return None;
                }
                let message = if node.status.state == NodeState::Unknown {
                    super::consensus::UNKNOWN_EXPIRED
                } else {
                    "heartbeat failure"
                };
                let status =
                    NodeStatus { state: NodeState::Down, message: message.into(), addr: node.status.addr.clone() };
                let _ = self.commit(&cluster, vec![Change::SetNodeStatus { id: node_id, status }]);
                Some(cluster)
            }
            Event::Raft { cluster } => {
                // Only the wake-up asked for last counts: an earlier one may have
                // replaced a later one that still sits in the queue.
                let swarm = self.swarms.get_mut(&cluster)?;
                if swarm.raft_wake != Some(self.now) {
                    return None;
                }
                swarm.raft_wake = None;
                self.wake_raft(&cluster);
                Some(cluster)
            }
            Event::Register { cluster, node_id, epoch } => self.register(&cluster, &node_id, epoch),
            Event::Manager { cluster, service } => {
                if let (Some(id), Some(swarm)) = (service, self.swarms.get_mut(&cluster)) {
                    swarm.manager.dirty_services.insert(id);
                }
                Some(cluster)
            }
            Event::Agent { machine, task, step } => self.agent_step(machine, &task, step),
        }
    }
}
