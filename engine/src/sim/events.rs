//! Timed events: what happens later in virtual time (heartbeats that stop, elections).

use super::Cluster;
use crate::agent::executor::Step;
use crate::manager::leadership;
use crate::store::Change;
use crate::time::Timestamp;
use crate::types::{NodeState, NodeStatus};
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The dispatcher stops hearing from a node: it goes Down.
    HeartbeatExpired { cluster: String, node_id: String },
    /// The managers of a swarm without a leader hold an election.
    Election { cluster: String },
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
            Event::HeartbeatExpired { cluster, node_id } => {
                let node = self.swarm(&cluster).and_then(|s| s.store.nodes.get(&node_id))?;
                if self.node_answers(&cluster, &node_id) || node.status.state == NodeState::Down {
                    return None;
                }
                let status = NodeStatus {
                    state: NodeState::Down,
                    message: "heartbeat failure".into(),
                    addr: node.status.addr.clone(),
                };
                let _ = self.commit(&cluster, vec![Change::SetNodeStatus { id: node_id, status }]);
                Some(cluster)
            }
            Event::Election { cluster } => {
                self.elect(&cluster);
                Some(cluster)
            }
            Event::Manager { cluster, service } => {
                if let (Some(id), Some(swarm)) = (service, self.swarms.get_mut(&cluster)) {
                    swarm.manager.dirty_services.insert(id);
                }
                Some(cluster)
            }
            Event::Agent { machine, task, step } => self.agent_step(machine, &task, step),
        }
    }

    /// Elects a leader among the reachable managers when a quorum of them is up.
    pub(crate) fn elect(&mut self, cluster: &str) {
        let pick = self.entropy.next_u64();
        let Some(swarm) = self.swarm(cluster) else {
            return;
        };
        let reachable: Vec<String> =
            swarm.store.managers().filter(|n| self.manager_reachable(cluster, &n.id)).map(|n| n.id.clone()).collect();
        let changes = leadership::elect(&swarm.store, &reachable, pick);
        let _ = self.commit(cluster, changes);
    }
}
