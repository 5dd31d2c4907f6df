//! Faults as engine operations: a node powers off (its containers die, its heartbeats
//! stop, so the managers mark it Down and reschedule its tasks) and comes back.

use super::{Cluster, Event, Membership};
use crate::store::Change;
use crate::types::{NodeState, NodeStatus, TaskState, TaskStatus};
use std::time::Duration;

impl Cluster {
    /// Powers machine `idx` off.
    pub fn power_off(&mut self, idx: usize) {
        let Some(m) = self.machines.get_mut(idx) else { return };
        if !m.up {
            return;
        }
        m.up = false;
        m.agent = Default::default();
        let Membership::Active { cluster, node_id } = m.membership.clone() else { return };
        let was_leader = self.swarm(&cluster).and_then(|s| s.store.leader()).is_some_and(|l| l.id == node_id);
        let is_manager =
            self.swarm(&cluster).and_then(|s| s.store.nodes.get(&node_id)).is_some_and(|n| n.manager_status.is_some());
        if is_manager {
            self.elect_without(&cluster, &node_id, was_leader);
        }
        // Three heartbeat periods of 5 s (± 0.5 s) without news: Down.
        let jitter = Duration::from_millis(4500 + self.entropy.below(1001));
        self.schedule(jitter * 3, Event::HeartbeatExpired { cluster, node_id });
    }

    /// Powers machine `idx` back on: the node registers again as Ready, and reports
    /// the containers it lost as failed.
    pub fn power_on(&mut self, idx: usize) {
        let Some(m) = self.machines.get_mut(idx) else { return };
        if m.up {
            return;
        }
        m.up = true;
        let addr = m.addr.to_string();
        let Membership::Active { cluster, node_id } = m.membership.clone() else { return };
        let Some(store) = self.swarm(&cluster).map(|s| &s.store) else { return };
        let mut changes = Vec::new();
        if store.nodes.get(&node_id).is_some_and(|n| n.status.state != NodeState::Ready) {
            changes.push(Change::SetNodeStatus {
                id: node_id.clone(),
                status: NodeStatus { state: NodeState::Ready, message: String::new(), addr },
            });
        }
        for t in store
            .node_tasks(&node_id)
            .filter(|t| t.status.state <= TaskState::Running && t.status.state >= TaskState::Assigned)
        {
            let status = if t.desired_state > TaskState::Running && t.desired_state != TaskState::Complete {
                TaskStatus {
                    timestamp: self.now(),
                    state: TaskState::Shutdown,
                    message: "shutdown".into(),
                    ..TaskStatus::default()
                }
            } else {
                TaskStatus {
                    timestamp: self.now(),
                    state: TaskState::Failed,
                    message: "started".into(),
                    err: "task: non-zero exit (137)".into(),
                    ..TaskStatus::default()
                }
            };
            changes.push(Change::SetTaskStatus { id: t.id.clone(), status });
        }
        let _ = self.commit(&cluster, changes);
        self.elect(&cluster);
        self.settle(&cluster);
    }

    /// A manager stops answering: it becomes unreachable; if it led, the others hold
    /// an election after their timeout.
    fn elect_without(&mut self, cluster: &str, node_id: &str, was_leader: bool) {
        let Some(n) = self.swarm(cluster).and_then(|s| s.store.nodes.get(node_id)).cloned() else { return };
        if let Some(ms) = n.manager_status {
            let status = crate::types::ManagerStatus {
                leader: false,
                reachability: crate::types::Reachability::Unreachable,
                ..ms
            };
            let _ =
                self.commit(cluster, vec![Change::SetManagerStatus { id: node_id.to_string(), status: Some(status) }]);
        }
        if was_leader {
            let ticks = 10 + self.entropy.below(10);
            self.schedule(Duration::from_secs(ticks), Event::Election { cluster: cluster.to_string() });
        } else {
            // The leader keeps its place only while a majority of managers answer.
            self.elect(cluster);
        }
    }
}
