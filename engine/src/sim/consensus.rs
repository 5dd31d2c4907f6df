//! Changing a swarm through Raft: changes are proposed on the leader and applied by
//! every manager once committed; the engine's clock drives the group's ticks; a new
//! leader restarts the control loops and its dispatcher, which first marks every node
//! Unknown until it registers again.

use super::swarm::{SwarmState, batch_entry};
use super::{Cluster, Event, TraceEntry};
use crate::manager::state::ManagerState;
use crate::raft::Committed;
use crate::store::{self, Change};
use crate::time::Timestamp;
use crate::types::{NodeState, NodeStatus};
use std::time::Duration;

/// Why a change did not commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitError {
    /// No leader: the swarm cannot change.
    NoLeader,
    /// The leader proposed it but cannot reach a quorum: it gives up when it steps
    /// down, `after` from now (swarmkit `ErrLostLeadership`).
    LostLeadership { after: Duration },
    /// The leader could not apply it (a bug, or a race the checks missed).
    Apply(store::ApplyError),
}

/// swarmkit `markNodesUnknown`.
pub const UNKNOWN_MESSAGE: &str = "Node moved to \"unknown\" state due to leadership change in cluster";
/// swarmkit's expiry for a node left Unknown.
pub const UNKNOWN_EXPIRED: &str = "heartbeat failure for node in \"unknown\" state";

impl Cluster {
    pub(crate) fn create_swarm(&mut self, id: String, first_node: &str) {
        let swarm = SwarmState::new(first_node, self.now, &mut self.entropy);
        self.swarms.insert(id, swarm);
    }

    /// Commits changes through the swarm's leader, stamped with the current time.
    pub(crate) fn commit(&mut self, cluster: &str, changes: Vec<Change>) -> Result<(), CommitError> {
        if changes.is_empty() {
            return Ok(());
        }
        let leader = self.swarms.get(cluster).and_then(|s| s.group.leader()).ok_or(CommitError::NoLeader)?;
        self.commit_via(cluster, leader, changes)
    }

    /// Commits changes proposed on member `leader` (the leader that serves a client).
    pub(crate) fn commit_via(&mut self, cluster: &str, leader: u64, changes: Vec<Change>) -> Result<(), CommitError> {
        if changes.is_empty() {
            return Ok(());
        }
        let now = self.now;
        let swarm = self.swarms.get_mut(cluster).ok_or(CommitError::NoLeader)?;
        let batch = swarm.file(now, changes);
        let entry = batch_entry(batch);
        let committed = swarm.group.propose(leader, entry.clone()).map_err(|_| CommitError::NoLeader)?;
        let done = committed
            .iter()
            .any(|c| matches!(c, Committed::Entry { member, data, .. } if *member == leader && *data == entry));
        self.absorb(cluster, committed);
        let swarm = self.swarms.get_mut(cluster).ok_or(CommitError::NoLeader)?;
        if let Some(e) = swarm.take_failure(batch) {
            return Err(CommitError::Apply(e));
        }
        if done { Ok(()) } else { Err(CommitError::LostLeadership { after: swarm.group.step_down_after(leader) }) }
    }

    /// Applies what members committed, then follows what Raft decided.
    fn absorb(&mut self, cluster: &str, committed: Vec<Committed>) {
        let tracing = self.tracing;
        let Some(swarm) = self.swarms.get_mut(cluster) else { return };
        if !committed.is_empty() {
            let applied = swarm.apply(committed, tracing);
            self.trace.extend(applied.traced.into_iter().map(|op| TraceEntry { cluster: cluster.to_string(), op }));
        }
        self.follow(cluster);
    }

    /// Brings every swarm's group to time `at`; returns the swarms whose managers
    /// were busy (an election, a catch-up), to be settled.
    pub(super) fn sync_raft(&mut self, at: Timestamp) -> Vec<String> {
        let mut busy = Vec::new();
        let ids: Vec<String> = self.swarms.keys().cloned().collect();
        for cluster in ids {
            let Some(swarm) = self.swarms.get_mut(&cluster) else { continue };
            let rel = Duration::from_nanos(u64::try_from((at.0 - swarm.started.0).max(0)).unwrap_or(0));
            if swarm.group.quiet() {
                swarm.group.skip_to(rel);
                continue;
            }
            let committed = swarm.group.advance_to(rel);
            self.absorb(&cluster, committed);
            busy.push(cluster);
        }
        busy
    }

    /// Follows the group: a new leader takes over the control loops; managers that
    /// joined or left the store join or leave the group; a busy group gets its next
    /// tick scheduled.
    pub(super) fn follow(&mut self, cluster: &str) {
        for _ in 0..16 {
            let Some(swarm) = self.swarms.get_mut(cluster) else { return };
            let leader = swarm.group.leader();
            if leader != swarm.loops_on {
                self.take_over(cluster, leader);
                continue;
            }
            if swarm.membership_dirty && leader.is_some() {
                swarm.membership_dirty = false;
                self.reconcile_members(cluster);
                continue;
            }
            break;
        }
        self.wake_raft(cluster);
    }

    /// A new leader (or none): control loops start over on it, and its dispatcher
    /// marks every node that is not down Unknown until the node registers again.
    fn take_over(&mut self, cluster: &str, leader: Option<u64>) {
        let now = self.now;
        let Some(swarm) = self.swarms.get_mut(cluster) else { return };
        swarm.loops_on = leader;
        swarm.epoch += 1;
        let Some(store) = leader.and_then(|l| swarm.replica(l)) else {
            swarm.manager = ManagerState::default();
            return;
        };
        let resumed = ManagerState::resume(store, now);
        let wakes = resumed.wake_times();
        let epoch = swarm.epoch;
        let nodes: Vec<(String, String)> = store
            .nodes
            .values()
            .filter(|n| n.status.state != NodeState::Down)
            .map(|n| (n.id.clone(), n.status.addr.clone()))
            .collect();
        let changes = nodes
            .iter()
            .map(|(id, addr)| Change::SetNodeStatus {
                id: id.clone(),
                status: NodeStatus { state: NodeState::Unknown, message: UNKNOWN_MESSAGE.into(), addr: addr.clone() },
            })
            .collect();
        swarm.manager = resumed;
        let _ = self.commit(cluster, changes);
        for at in wakes.into_iter().filter(|t| *t > now) {
            self.schedule(at.since(now), Event::Manager { cluster: cluster.to_string(), service: None });
        }
        for (node_id, _) in nodes {
            if self.node_answers(cluster, &node_id) {
                // The agent's session breaks; it reconnects to the new leader.
                let after = Duration::from_millis(1000 + self.entropy.below(1000));
                self.schedule(after, Event::Register { cluster: cluster.to_string(), node_id, epoch });
            } else {
                let after = self.heartbeat_period() * 6;
                self.schedule(after, Event::HeartbeatExpired { cluster: cluster.to_string(), node_id, epoch });
            }
        }
    }

    /// A heartbeat period as the dispatcher draws it: 5 s ± 0.5 s.
    fn heartbeat_period(&mut self) -> Duration {
        Duration::from_millis(4500 + self.entropy.below(1001))
    }

    /// Heartbeats of `node_id` stop now: the leader's dispatcher marks it Down after
    /// its grace period (3 heartbeat periods), unless a new leader comes first.
    pub(crate) fn heartbeats_stop(&mut self, cluster: &str, node_id: &str) {
        let after = self.heartbeat_period() * 3;
        let epoch = self.swarm(cluster).map_or(0, |s| s.epoch);
        self.schedule(after, Event::HeartbeatExpired { cluster: cluster.into(), node_id: node_id.into(), epoch });
    }

    /// swarmkit's role manager: managers in the store join the group, members whose
    /// node stopped being a manager leave it (a leader hands over first).
    fn reconcile_members(&mut self, cluster: &str) {
        let Some(swarm) = self.swarms.get_mut(cluster) else { return };
        let (joining, leaving) = swarm.membership_changes();
        for node_id in joining {
            let Some(swarm) = self.swarms.get_mut(cluster) else { return };
            let out = swarm.add_member(&node_id, &mut self.entropy);
            self.absorb(cluster, out);
        }
        for id in leaving {
            let Some(swarm) = self.swarms.get_mut(cluster) else { return };
            if swarm.group.leader() == Some(id) {
                let heir = swarm.group.members().find(|m| *m != id && swarm.group.connected(id, *m));
                if let Some(heir) = heir {
                    let out = swarm.group.transfer_leader(heir);
                    self.absorb(cluster, out);
                }
            }
            let Some(swarm) = self.swarms.get_mut(cluster) else { return };
            let out = swarm.remove_member(id);
            self.absorb(cluster, out);
        }
    }

    /// Schedules the group's next tick while it is busy.
    pub(super) fn wake_raft(&mut self, cluster: &str) {
        let now = self.now;
        let Some(swarm) = self.swarms.get_mut(cluster) else { return };
        if swarm.group.quiet() {
            return;
        }
        let at = swarm.started.plus(swarm.group.next_event()).max(now);
        // One pending wake-up per swarm: the earliest needed.
        if swarm.raft_wake.is_some_and(|w| w >= now && w <= at) {
            return;
        }
        swarm.raft_wake = Some(at);
        self.schedule(at.since(now), Event::Raft { cluster: cluster.to_string() });
    }

    /// A node reconnects to a new leader's dispatcher: Ready again, and it reports
    /// what it could not tell while there was no leader.
    pub(super) fn register(&mut self, cluster: &str, node_id: &str, epoch: u64) -> Option<String> {
        let swarm = self.swarms.get(cluster)?;
        if swarm.epoch != epoch || !self.node_answers(cluster, node_id) {
            return None;
        }
        let node = swarm.store().nodes.get(node_id)?;
        let mut changes = Vec::new();
        if node.status.state != NodeState::Ready {
            let status = NodeStatus { state: NodeState::Ready, message: String::new(), addr: node.status.addr.clone() };
            changes.push(Change::SetNodeStatus { id: node_id.to_string(), status });
        }
        let machine = self.machines.iter().position(|m| m.node_id() == Some(node_id))?;
        changes.extend(self.unreported.get_mut(machine).map(std::mem::take).unwrap_or_default());
        self.report(machine, cluster, changes);
        Some(cluster.to_string())
    }

    /// Manager `node_id` left the swarm: its Raft member stops answering.
    pub(crate) fn member_gone(&mut self, cluster: &str, node_id: &str) {
        if let Some(swarm) = self.swarms.get_mut(cluster)
            && let Some(id) = swarm.raft_id(node_id)
        {
            swarm.group.set_up(id, false);
        }
        self.follow(cluster);
    }

    /// An agent tells its swarm: committed now, or kept until a leader hears it.
    pub(crate) fn report(&mut self, machine: usize, cluster: &str, changes: Vec<Change>) {
        if self.swarms.get(cluster).is_some_and(|s| s.group.leader().is_some()) {
            let _ = self.commit(cluster, changes);
        } else if let Some(kept) = self.unreported.get_mut(machine) {
            kept.extend(changes);
        }
    }
}
