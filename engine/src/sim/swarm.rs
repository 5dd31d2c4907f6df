//! One swarm as its managers hold it: a Raft group, a copy of the store per manager,
//! and the control-loop state of the manager that leads.
//!
//! Raft entries carry the number of a batch of store ops proposed on the leader; every
//! manager applies the batches its Raft member commits, in log order, to its own
//! replica. The batches stay in memory beside the group (the simulation shares one
//! process, so encoding them to bytes would buy nothing) until every replica has
//! them; then they are folded into a base store, where a manager joining later starts
//! before it replays the batches still kept.

use crate::manager::state::ManagerState;
use crate::raft::{Committed, Group};
use crate::store::{self, Change, Store, StoreOp};
use crate::time::Timestamp;
use crate::types::{ManagerStatus, Reachability};
use std::collections::{BTreeMap, VecDeque};

#[derive(Debug)]
pub struct SwarmState {
    pub(crate) group: Group,
    /// Each manager's copy of the store, by Raft member ID.
    replicas: BTreeMap<u64, Store>,
    /// Raft member ID of each manager node.
    raft_ids: BTreeMap<String, u64>,
    next_raft_id: u64,
    /// Proposed batches not yet folded into `base`: the first is number `first_batch`,
    /// the number its Raft entry carries.
    batches: VecDeque<Batch>,
    first_batch: u64,
    /// The store the kept batches start from: what the folded ones made of the empty
    /// store (or of what a `--force-new-cluster` kept). A manager joining starts here.
    base: Store,
    /// The next batch each member's replica expects: it has every one before.
    applied: BTreeMap<u64, u64>,
    /// Control-loop state of the leader they run on.
    pub manager: ManagerState,
    /// The member the control loops run on: the leader when they started.
    pub(crate) loops_on: Option<u64>,
    /// Bumped at every change of leader: the old leader's dispatcher timers lapse.
    pub(crate) epoch: u64,
    /// Virtual time the group's clock counts from.
    pub(crate) started: Timestamp,
    /// The last Raft index the trace holds.
    traced: u64,
    /// A manager joined, left or changed role: the group's membership follows.
    pub(crate) membership_dirty: bool,
    /// A Raft wake-up is scheduled at this time.
    pub(crate) raft_wake: Option<Timestamp>,
    /// Why the last batch a leader applied failed, by batch number.
    failures: BTreeMap<u64, store::ApplyError>,
}

/// Raft state for the lab's cluster view and for tests.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RaftStatus {
    pub term: u64,
    /// Node ID of the leader, if there is one.
    pub leader: Option<String>,
    pub commit_index: u64,
    /// Manager node IDs with their Raft member ID and whether the leader hears them
    /// (without a leader: whether they run).
    pub members: Vec<(String, u64, bool)>,
}

/// Batches are folded into the base once every replica has them and this many wait.
const FOLD_AFTER: usize = 16;

/// A proposed batch of ops. Committed once a member applied it: a batch whose Raft
/// entry was dropped (its leader lost office first) never is, and is folded as nothing.
#[derive(Debug)]
struct Batch {
    ops: Vec<StoreOp>,
    committed: bool,
}

/// What applying committed entries produced: ops for the trace (leader's, in order).
pub(crate) struct Applied {
    pub traced: Vec<StoreOp>,
}

impl SwarmState {
    /// A new swarm whose first manager is `node_id`, leader at once.
    pub(crate) fn new(node_id: &str, started: Timestamp, entropy: &mut crate::ids::Entropy) -> SwarmState {
        SwarmState {
            group: Group::new(1, entropy),
            replicas: BTreeMap::from([(1, Store::default())]),
            raft_ids: BTreeMap::from([(node_id.to_string(), 1)]),
            next_raft_id: 2,
            batches: VecDeque::new(),
            first_batch: 0,
            base: Store::default(),
            applied: BTreeMap::from([(1, 0)]),
            manager: ManagerState::default(),
            loops_on: Some(1),
            epoch: 0,
            started,
            traced: 0,
            membership_dirty: false,
            raft_wake: None,
            failures: BTreeMap::new(),
        }
    }

    /// `--force-new-cluster`: a group of one, `node_id`, keeping its own replica.
    pub(crate) fn refound(&mut self, node_id: &str, now: Timestamp, entropy: &mut crate::ids::Entropy) {
        let id = self.raft_ids.get(node_id).copied().unwrap_or(0);
        let store = self.replicas.remove(&id).unwrap_or_else(|| self.store().clone());
        let raft_id = self.next_raft_id;
        self.next_raft_id += 1;
        self.group = Group::new(raft_id, entropy);
        self.base = store.clone();
        self.replicas = BTreeMap::from([(raft_id, store)]);
        self.raft_ids = BTreeMap::from([(node_id.to_string(), raft_id)]);
        // The new log starts empty: a manager joining later replays it on top of the
        // kept store.
        self.batches.clear();
        self.first_batch = 0;
        self.applied = BTreeMap::from([(raft_id, 0)]);
        self.started = now;
        self.traced = 0;
        self.raft_wake = None;
        self.loops_on = None;
    }

    /// The store as the swarm knows it: the leader's copy, else the most advanced one.
    pub fn store(&self) -> &Store {
        self.knowing().and_then(|id| self.replicas.get(&id)).unwrap_or(&EMPTY)
    }

    /// The member whose replica `store` shows.
    fn knowing(&self) -> Option<u64> {
        let id = self.group.leader().or(self.loops_on).filter(|id| self.replicas.contains_key(id));
        id.or_else(|| self.replicas.iter().max_by_key(|(id, s)| (s.index, std::cmp::Reverse(**id))).map(|(id, _)| *id))
    }

    /// The managers' Raft group.
    pub fn group(&self) -> &Group {
        &self.group
    }

    /// Every manager's copy of the store, by Raft member ID.
    pub fn replicas(&self) -> impl Iterator<Item = (u64, &Store)> {
        self.replicas.iter().map(|(id, s)| (*id, s))
    }

    /// The copy of the store held by member `id`.
    pub(crate) fn replica(&self, id: u64) -> Option<&Store> {
        self.replicas.get(&id)
    }

    pub fn raft_id(&self, node_id: &str) -> Option<u64> {
        self.raft_ids.get(node_id).copied()
    }

    pub(crate) fn node_of(&self, raft_id: u64) -> Option<&str> {
        self.raft_ids.iter().find(|(_, r)| **r == raft_id).map(|(n, _)| n.as_str())
    }

    /// The leader that answers manager `node_id`: itself when it leads, else the leader
    /// it follows when it can reach it.
    pub fn leader_for(&self, node_id: &str) -> Option<u64> {
        let me = self.raft_id(node_id)?;
        let seen = self.group.leader_seen_by(me)?;
        let leads = |id: u64| self.group.leader_seen_by(id) == Some(id);
        (seen == me || self.group.connected(me, seen) && leads(seen)).then_some(seen)
    }

    /// The node that leads now, if any.
    pub fn leader_node(&self) -> Option<&str> {
        self.group.leader().and_then(|id| self.node_of(id))
    }

    /// Manager status as the leader `from` reports it (swarmkit fills it from Raft's
    /// member list at read time): Leader, and Reachable when its transport hears the
    /// member.
    pub fn manager_status(&self, node_id: &str, stored: &ManagerStatus, from: Option<u64>) -> ManagerStatus {
        let id = self.raft_id(node_id);
        let leader = id.is_some() && id == from.or_else(|| self.group.leader());
        let reachable = match (id, from.or_else(|| self.group.leader())) {
            (Some(id), Some(l)) => self.group.connected(l, id),
            (Some(id), None) => self.group.is_up(id),
            (None, _) => false,
        };
        ManagerStatus {
            leader,
            reachability: if reachable { Reachability::Reachable } else { Reachability::Unreachable },
            addr: stored.addr.clone(),
        }
    }

    /// Managers the leader `from` hears (its own node included).
    pub fn reachable_managers(&self, from: Option<u64>) -> Vec<String> {
        let Some(from) = from.or_else(|| self.group.leader()) else { return Vec::new() };
        self.raft_ids.iter().filter(|(_, id)| self.group.connected(from, **id)).map(|(n, _)| n.clone()).collect()
    }

    pub fn raft_status(&self) -> RaftStatus {
        let leader = self.group.leader();
        let probe = leader.or_else(|| self.raft_ids.values().copied().find(|id| self.group.is_up(*id)));
        RaftStatus {
            term: probe.map_or(0, |id| self.group.term(id)),
            leader: leader.and_then(|id| self.node_of(id)).map(String::from),
            commit_index: probe.map_or(0, |id| self.group.commit_index(id)),
            members: self
                .raft_ids
                .iter()
                .map(|(n, id)| {
                    let heard = match leader {
                        Some(l) => self.group.connected(l, *id),
                        None => self.group.is_up(*id),
                    };
                    (n.clone(), *id, heard)
                })
                .collect(),
        }
    }

    /// Files a batch of changes made at `at`; the number goes into a Raft entry.
    pub(crate) fn file(&mut self, at: Timestamp, changes: Vec<Change>) -> u64 {
        let ops = changes.into_iter().map(|change| StoreOp { at, change }).collect();
        self.batches.push_back(Batch { ops, committed: false });
        self.first_batch + (self.batches.len() - 1) as u64
    }

    /// How many batches wait to be folded into the base (for tests of memory).
    pub fn kept_batches(&self) -> usize {
        self.batches.len()
    }

    /// Folds the batches every replica has applied into the base: the log of ops
    /// stays as long as the managers lag, not as long as the swarm lives.
    fn fold(&mut self) {
        let Some(upto) = self.applied.values().copied().min() else { return };
        while self.first_batch < upto {
            let Some(batch) = self.batches.pop_front() else { break };
            if batch.committed {
                // As the replicas applied it: up to the first op that fails.
                for op in &batch.ops {
                    if store::apply(&mut self.base, op).is_err() {
                        break;
                    }
                }
            }
            self.first_batch += 1;
        }
    }

    pub(crate) fn take_failure(&mut self, batch: u64) -> Option<store::ApplyError> {
        self.failures.remove(&batch)
    }

    /// Applies what members committed to their replicas; the member running the
    /// control loops also tells them what changed. Ops enter the trace once, when
    /// the leader applies them.
    pub(crate) fn apply(&mut self, committed: Vec<Committed>, tracing: bool) -> Applied {
        let mut traced = Vec::new();
        for c in committed {
            match c {
                Committed::Entry { member, index, data, .. } => {
                    let Some(batch) = batch_number(&data) else { continue };
                    // A replica that starts from the base already has the folded batches.
                    let next = self.applied.get(&member).copied().unwrap_or(self.first_batch);
                    if batch < next {
                        continue;
                    }
                    let Some(kept) = batch.checked_sub(self.first_batch).and_then(|i| self.batches.get_mut(i as usize))
                    else {
                        continue;
                    };
                    let Some(replica) = self.replicas.get_mut(&member) else { continue };
                    kept.committed = true;
                    self.applied.insert(member, batch + 1);
                    let on_leader = self.loops_on == Some(member);
                    for op in &kept.ops {
                        if on_leader {
                            self.manager.observe(&op.change, replica);
                            if matches!(
                                op.change,
                                Change::CreateNode(_) | Change::SetManagerStatus { .. } | Change::RemoveNode { .. }
                            ) {
                                self.membership_dirty = true;
                            }
                        }
                        if let Err(e) = store::apply(replica, op) {
                            if on_leader {
                                self.failures.insert(batch, e);
                            }
                            break;
                        }
                        if on_leader && tracing && index > self.traced {
                            traced.push(op.clone());
                        }
                    }
                    if on_leader {
                        self.traced = self.traced.max(index);
                    }
                }
                Committed::Snapshot { member, .. } => {
                    let copy = self.store().clone();
                    let next = self.knowing().and_then(|id| self.applied.get(&id).copied()).unwrap_or(self.first_batch);
                    self.replicas.insert(member, copy);
                    self.applied.insert(member, next);
                }
            }
        }
        if self.batches.len() > FOLD_AFTER {
            self.fold();
        }
        Applied { traced }
    }

    /// Managers in the leader's store that are not Raft members yet, and members
    /// whose node is no longer a manager.
    pub(crate) fn membership_changes(&self) -> (Vec<String>, Vec<u64>) {
        let store = self.store();
        let joining = store.managers().filter(|n| !self.raft_ids.contains_key(&n.id)).map(|n| n.id.clone()).collect();
        let leaving = self
            .raft_ids
            .iter()
            .filter(|(n, _)| store.nodes.get(*n).is_none_or(|n| n.manager_status.is_none()))
            .map(|(_, id)| *id)
            .collect();
        (joining, leaving)
    }

    /// Adds manager `node_id` to the group; its replica fills from the log.
    pub(crate) fn add_member(&mut self, node_id: &str, entropy: &mut crate::ids::Entropy) -> Vec<Committed> {
        let id = self.next_raft_id;
        self.next_raft_id += 1;
        self.replicas.insert(id, self.base.clone());
        self.applied.insert(id, self.first_batch);
        self.raft_ids.insert(node_id.to_string(), id);
        match self.group.add(id, entropy) {
            Ok(c) => c,
            Err(_) => {
                self.replicas.remove(&id);
                self.applied.remove(&id);
                self.raft_ids.remove(node_id);
                Vec::new()
            }
        }
    }

    /// Removes member `id` (a demoted or removed manager).
    pub(crate) fn remove_member(&mut self, id: u64) -> Vec<Committed> {
        let out = self.group.remove(id).unwrap_or_default();
        if !self.group.members().any(|m| m == id) {
            self.replicas.remove(&id);
            self.applied.remove(&id);
            self.raft_ids.retain(|_, r| *r != id);
        }
        out
    }
}

static EMPTY: Store = Store {
    index: 0,
    cluster: None,
    nodes: BTreeMap::new(),
    services: BTreeMap::new(),
    tasks: BTreeMap::new(),
    secrets: BTreeMap::new(),
    configs: BTreeMap::new(),
    networks: BTreeMap::new(),
    tasks_by_service: BTreeMap::new(),
    tasks_by_node: BTreeMap::new(),
};

pub(crate) fn batch_entry(batch: u64) -> Vec<u8> {
    batch.to_le_bytes().to_vec()
}

fn batch_number(data: &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(data.try_into().ok()?))
}
