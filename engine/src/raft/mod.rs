//! Manager consensus: one raft-rs node per manager, driven by the engine's virtual
//! clock, over a simulated network that delivers messages after a latency and drops
//! them across a partition or to a powered-off node. No I/O, no wall clock, no thread
//! RNG: each member gets a fixed election timeout drawn from the seeded entropy
//! (swarmkit: tick 1 s, heartbeat 1 tick, election 10 ticks; FIDELITY.md), so the same
//! seed and the same faults elect the same leaders.
//!
//! Entries are opaque bytes (serialized store ops); the caller applies what each
//! member commits, in order.

use crate::ids::Entropy;
use raft::eraftpb::{ConfChange, ConfChangeType, Entry, EntryType, Message};
use raft::storage::{MemStorage, Storage};
use raft::{Config, RawNode, StateRole};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// swarmkit's tick interval.
pub const TICK: Duration = Duration::from_secs(1);
/// One-way network latency between managers, in virtual time.
pub const LATENCY: Duration = Duration::from_millis(2);
/// Entries every member has applied are dropped from the logs, but for this many:
/// the logs grow as long as the slowest member lags, not as long as the swarm lives.
const KEEP_ENTRIES: u64 = 1024;

/// What a member applied, in log order: a data entry for its store, or a snapshot
/// (a member that joined or fell behind the leader's log): its store is then the
/// leader's as of `index`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Committed {
    Entry { member: u64, index: u64, term: u64, data: Vec<u8> },
    Snapshot { member: u64, index: u64 },
}

struct Member {
    node: RawNode<MemStorage>,
    up: bool,
    /// Which side of a partition it is on (0 when the network is whole).
    side: u32,
}

/// A message on its way, ordered by delivery time then sending order.
#[derive(Debug, Clone)]
struct InFlight {
    at: Duration,
    seq: u64,
    msg: Message,
}

/// The managers of one swarm.
/// The quorum of a group of `n` members: a strict majority.
pub fn quorum(n: usize) -> usize {
    n / 2 + 1
}

pub struct Group {
    members: BTreeMap<u64, Member>,
    /// Time since the group started, advanced by the caller.
    now: Duration,
    next_tick: Duration,
    inflight: Vec<InFlight>,
    seq: u64,
    logger: slog::Logger,
    /// (term, leader) pairs seen, to check that a term never has two leaders.
    leaders: BTreeSet<(u64, u64)>,
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let members: Vec<String> = self
            .members
            .iter()
            .map(|(id, m)| {
                let r = &m.node.raft;
                format!("{id}:{:?} t{} lead{} up{} side{}", r.state, r.term, r.leader_id, m.up, m.side)
            })
            .collect();
        f.debug_struct("Group")
            .field("members", &members)
            .field("leader", &self.leader())
            .field("now", &self.now)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProposeError {
    /// This member is not the leader (or is down): the caller finds the leader.
    NotLeader { leader: Option<u64> },
    /// No leader anywhere reachable: the swarm cannot change.
    NoLeader,
}

fn config(id: u64, election: usize) -> Config {
    Config {
        id,
        election_tick: election,
        heartbeat_tick: 1,
        // A single-value range: raft-rs draws it with an unseeded RNG otherwise.
        min_election_tick: election,
        max_election_tick: election + 1,
        check_quorum: true,
        pre_vote: true,
        ..Config::default()
    }
}

impl Group {
    /// A group whose first member is `first` (the `swarm init` node), leader at once.
    pub fn new(first: u64, entropy: &mut Entropy) -> Group {
        let logger = slog::Logger::root(slog::Discard, slog::o!());
        let mut g = Group {
            members: BTreeMap::new(),
            now: Duration::ZERO,
            next_tick: TICK,
            inflight: Vec::new(),
            seq: 0,
            logger,
            leaders: BTreeSet::new(),
        };
        let storage = MemStorage::new_with_conf_state((vec![first], vec![]));
        g.insert(first, storage, entropy);
        if let Some(m) = g.members.get_mut(&first) {
            let _ = m.node.campaign();
        }
        g.settle();
        g
    }

    fn insert(&mut self, id: u64, storage: MemStorage, entropy: &mut Entropy) {
        // Distinct timeouts: with fixed ones, two members that drew the same would
        // split every vote forever (raft-rs would redraw them at random each round).
        let taken: BTreeSet<usize> = self.members.values().map(|m| m.node.raft.election_timeout()).collect();
        let mut election = 10 + entropy.below(10) as usize;
        while taken.contains(&election) && taken.len() < 10 {
            election = 10 + (election - 9) % 10;
        }
        if let Ok(node) = RawNode::new(&config(id, election), storage, &self.logger) {
            self.members.insert(id, Member { node, up: true, side: 0 });
        }
    }

    /// Adds a manager (promote, join as manager): a conf change through the leader,
    /// then a new member that catches up from the log.
    pub fn add(&mut self, id: u64, entropy: &mut Entropy) -> Result<Vec<Committed>, ProposeError> {
        let leader = self.leader().ok_or(ProposeError::NoLeader)?;
        let cc = ConfChange { change_type: ConfChangeType::AddNode, node_id: id, ..ConfChange::default() };
        let node = &mut self.members.get_mut(&leader).ok_or(ProposeError::NoLeader)?.node;
        node.propose_conf_change(Vec::new(), cc).map_err(|_| ProposeError::NoLeader)?;
        // The new member starts from the group's first configuration plus itself, as
        // the first member did, and replays the log, or gets a snapshot where the log
        // was compacted.
        let mut voters: Vec<u64> = node.raft.prs().conf().voters().ids().iter().collect();
        voters.push(id);
        voters.sort_unstable();
        voters.dedup();
        self.insert(id, MemStorage::new_with_conf_state((voters, vec![])), entropy);
        Ok(self.settle())
    }

    /// Removes a manager (demote, leave, node rm).
    pub fn remove(&mut self, id: u64) -> Result<Vec<Committed>, ProposeError> {
        let leader = self.leader().ok_or(ProposeError::NoLeader)?;
        let cc = ConfChange { change_type: ConfChangeType::RemoveNode, node_id: id, ..ConfChange::default() };
        let node = &mut self.members.get_mut(&leader).ok_or(ProposeError::NoLeader)?.node;
        node.propose_conf_change(Vec::new(), cc).map_err(|_| ProposeError::NoLeader)?;
        let out = self.settle();
        self.members.remove(&id);
        Ok(out)
    }

    /// The member that leads now, seen from a member that is up (the highest term wins).
    pub fn leader(&self) -> Option<u64> {
        self.members
            .iter()
            .filter(|(_, m)| m.up && m.node.raft.state == StateRole::Leader)
            .max_by_key(|(_, m)| m.node.raft.term)
            .map(|(id, _)| *id)
    }

    /// The leader `id` believes in, if it is up and has one.
    pub fn leader_seen_by(&self, id: u64) -> Option<u64> {
        let m = self.members.get(&id).filter(|m| m.up)?;
        let l = m.node.raft.leader_id;
        (l != 0).then_some(l)
    }

    pub fn term(&self, id: u64) -> u64 {
        self.members.get(&id).map_or(0, |m| m.node.raft.term)
    }

    pub fn commit_index(&self, id: u64) -> u64 {
        self.members.get(&id).map_or(0, |m| m.node.raft.raft_log.committed)
    }

    /// How many entries member `id`'s log holds (compaction keeps it short).
    pub fn log_len(&self, id: u64) -> usize {
        self.members.get(&id).map_or(0, |m| {
            let s = &m.node.raft.raft_log.store;
            (s.last_index().unwrap_or(0) + 1).saturating_sub(s.first_index().unwrap_or(0)) as usize
        })
    }

    pub fn members(&self) -> impl Iterator<Item = u64> + '_ {
        self.members.keys().copied()
    }

    /// Every (term, leader) pair any member has been leader in.
    pub fn leaders_seen(&self) -> &BTreeSet<(u64, u64)> {
        &self.leaders
    }

    /// Proposes `data` on `id`, which must be the leader; what got committed meanwhile
    /// (the proposal itself once a quorum has it) comes back.
    pub fn propose(&mut self, id: u64, data: Vec<u8>) -> Result<Vec<Committed>, ProposeError> {
        let leader = self.leader_seen_by(id);
        let m = self.members.get_mut(&id).filter(|m| m.up).ok_or(ProposeError::NotLeader { leader })?;
        if m.node.raft.state != StateRole::Leader {
            return Err(match leader {
                Some(l) => ProposeError::NotLeader { leader: Some(l) },
                None => ProposeError::NoLeader,
            });
        }
        m.node.propose(Vec::new(), data).map_err(|_| ProposeError::NoLeader)?;
        Ok(self.settle())
    }

    /// Time since the group started.
    pub fn now(&self) -> Duration {
        self.now
    }

    pub fn is_up(&self, id: u64) -> bool {
        self.members.get(&id).is_some_and(|m| m.up)
    }

    /// Can `from` and `to` talk (both up, same side of any partition)?
    pub fn connected(&self, from: u64, to: u64) -> bool {
        from == to && self.is_up(from) || self.reachable(from, to)
    }

    /// How many voting members the configuration holds.
    pub fn voters(&self) -> usize {
        self.members.len()
    }

    /// Moves the clock to `at` (time since the group started) without ticking: for a
    /// quiet group, where ticks would only exchange heartbeats.
    pub fn skip_to(&mut self, at: Duration) {
        if at > self.now {
            self.now = at;
        }
        while self.next_tick <= self.now {
            self.next_tick += TICK;
        }
    }

    /// Lets time run to `at`, ticking and delivering on the way.
    /// The group's clock may be a few latencies ahead of `at` (`settle` moves it):
    /// ticks that fell due meanwhile still run.
    pub fn advance_to(&mut self, at: Duration) -> Vec<Committed> {
        self.advance(at.saturating_sub(self.now))
    }

    /// When the leader `id`, cut off from its quorum, steps down (check_quorum runs
    /// every election timeout, counted on its own clock).
    pub fn step_down_after(&self, id: u64) -> Duration {
        let Some(m) = self.members.get(&id) else { return Duration::ZERO };
        let raft = &m.node.raft;
        let left = raft.election_timeout().saturating_sub(raft.election_elapsed).max(1);
        // Followers heard since the last check count once more: the check after that
        // is the one that fails.
        let active = raft.prs().iter().filter(|(pid, p)| **pid == id || p.recent_active).count();
        let extra = if active > self.members.len() / 2 { raft.election_timeout() } else { 0 };
        let to_tick = self.next_tick.saturating_sub(self.now);
        to_tick + TICK * (left + extra - 1) as u32
    }

    /// Hands leadership to `to` (swarmkit transfers it before a leader is demoted).
    pub fn transfer_leader(&mut self, to: u64) -> Vec<Committed> {
        if let Some(l) = self.leader()
            && let Some(m) = self.members.get_mut(&l)
        {
            m.node.transfer_leader(to);
        }
        self.settle()
    }

    /// Would ticking change anything? False while an election is due or under way, a
    /// leader has lost its quorum but not yet stepped down, a follower lags, or
    /// messages are in flight. Members that cannot form a quorum and know they have no
    /// leader are quiet: nothing changes until a fault heals.
    pub fn quiet(&self) -> bool {
        if !self.inflight.is_empty() {
            return false;
        }
        let quorum = quorum(self.members.len());
        let ups: Vec<(u64, &Member)> = self.members.iter().filter(|(_, m)| m.up).map(|(i, m)| (*i, m)).collect();
        let sides: BTreeSet<u32> = ups.iter().map(|(_, m)| m.side).collect();
        for side in sides {
            let part: Vec<&(u64, &Member)> = ups.iter().filter(|(_, m)| m.side == side).collect();
            let leaders: Vec<&&(u64, &Member)> =
                part.iter().filter(|(_, m)| m.node.raft.state == StateRole::Leader).collect();
            if part.len() >= quorum {
                let [(lid, leader)] = leaders.as_slice() else { return false };
                let last = leader.node.raft.raft_log.last_index();
                let settled = part.iter().all(|(id, m)| {
                    m.node.raft.term == leader.node.raft.term
                        && m.node.raft.leader_id == *lid
                        && m.node.raft.raft_log.last_index() == last
                        && m.node.raft.raft_log.applied == leader.node.raft.raft_log.committed
                        && (id == lid || m.node.raft.state == StateRole::Follower)
                });
                if !settled {
                    return false;
                }
            } else if part.iter().any(|(_, m)| m.node.raft.state == StateRole::Leader || m.node.raft.leader_id != 0) {
                return false;
            }
        }
        true
    }

    pub fn set_up(&mut self, id: u64, up: bool) {
        if let Some(m) = self.members.get_mut(&id) {
            m.up = up;
        }
        // A node that goes down loses what was on its way to it.
        if !up {
            self.inflight.retain(|f| f.msg.to != id);
        }
    }

    /// Splits the members: those in `side` on one side, the rest on the other; an
    /// empty set heals the network.
    pub fn partition(&mut self, side: &BTreeSet<u64>) {
        for (id, m) in self.members.iter_mut() {
            m.side = u32::from(side.contains(id));
        }
    }

    /// Puts member `id` on a side of the network: members talk only within a side.
    pub fn set_side(&mut self, id: u64, side: u32) {
        if let Some(m) = self.members.get_mut(&id) {
            m.side = side;
        }
    }

    fn reachable(&self, from: u64, to: u64) -> bool {
        match (self.members.get(&from), self.members.get(&to)) {
            (Some(a), Some(b)) => a.up && b.up && a.side == b.side,
            _ => false,
        }
    }

    /// When the group next needs the clock: a tick or a delivery.
    pub fn next_event(&self) -> Duration {
        self.inflight.iter().map(|f| f.at).min().map_or(self.next_tick, |d| d.min(self.next_tick))
    }

    /// Lets `d` of virtual time pass: ticks every member that is up once per second,
    /// delivers messages as they arrive. Returns what members committed.
    pub fn advance(&mut self, d: Duration) -> Vec<Committed> {
        let until = self.now + d;
        let mut out = Vec::new();
        loop {
            let next = self.next_event();
            if next > until {
                break;
            }
            self.now = self.now.max(next);
            if self.next_tick == next {
                for m in self.members.values_mut().filter(|m| m.up) {
                    m.node.tick();
                }
                self.next_tick += TICK;
            }
            self.deliver_due();
            out.extend(self.process());
        }
        self.now = until;
        out
    }

    /// Runs the network until no message is left in flight, without ticks: what one
    /// round of proposals and acknowledgements needs. Time moves by the latencies.
    pub fn settle(&mut self) -> Vec<Committed> {
        let mut out = self.process();
        for _ in 0..1000 {
            let Some(at) = self.inflight.iter().map(|f| f.at).min() else { break };
            self.now = self.now.max(at);
            self.deliver_due();
            out.extend(self.process());
        }
        out
    }

    /// Drops the entries every member (up or not) has applied from every log, keeping
    /// the last `KEEP_ENTRIES`; done in steps of as many, so it costs little. A member
    /// that needs a dropped entry (one added later) gets a snapshot instead.
    fn compact(&mut self) {
        let Some(floor) = self.members.values().map(|m| m.node.raft.raft_log.applied).min() else { return };
        let upto = floor.saturating_sub(KEEP_ENTRIES);
        for m in self.members.values_mut() {
            let store = &m.node.raft.raft_log.store;
            if upto >= store.first_index().unwrap_or(0) + KEEP_ENTRIES {
                let _ = store.wl().compact(upto);
            }
        }
    }

    fn deliver_due(&mut self) {
        let now = self.now;
        let mut due: Vec<InFlight> = Vec::new();
        self.inflight.retain(|f| {
            if f.at <= now {
                due.push(f.clone());
                false
            } else {
                true
            }
        });
        due.sort_by_key(|f| (f.at, f.seq));
        for f in due {
            if !self.reachable(f.msg.from, f.msg.to) {
                continue;
            }
            if let Some(m) = self.members.get_mut(&f.msg.to) {
                let _ = m.node.step(f.msg);
            }
        }
    }

    fn send(&mut self, msgs: Vec<Message>) {
        for msg in msgs {
            self.seq += 1;
            self.inflight.push(InFlight { at: self.now + LATENCY, seq: self.seq, msg });
        }
    }

    /// Handles every member's Ready: persist, send, apply committed entries.
    fn process(&mut self) -> Vec<Committed> {
        let mut out = Vec::new();
        let ids: Vec<u64> = self.members.keys().copied().collect();
        for id in ids {
            while let Some(m) = self.members.get_mut(&id).filter(|m| m.up && m.node.has_ready()) {
                let store = m.node.raft.raft_log.store.clone();
                let mut ready = m.node.ready();
                let mut to_send = ready.take_messages();
                if *ready.snapshot() != raft::eraftpb::Snapshot::default() {
                    let snap = ready.snapshot().clone();
                    out.push(Committed::Snapshot { member: id, index: snap.get_metadata().index });
                    let _ = store.wl().apply_snapshot(snap);
                }
                let mut committed = ready.take_committed_entries();
                if !ready.entries().is_empty() {
                    let _ = store.wl().append(ready.entries());
                }
                if let Some(hs) = ready.hs() {
                    store.wl().set_hardstate(hs.clone());
                }
                to_send.extend(ready.take_persisted_messages());
                let mut light = m.node.advance(ready);
                if let Some(commit) = light.commit_index() {
                    store.wl().mut_hard_state().set_commit(commit);
                }
                to_send.extend(light.take_messages());
                committed.extend(light.take_committed_entries());
                apply(id, &mut m.node, committed, &mut out);
                m.node.advance_apply();
                if m.node.raft.state == StateRole::Leader {
                    self.leaders.insert((m.node.raft.term, id));
                }
                self.send(to_send);
            }
        }
        self.compact();
        out
    }
}

/// Applies committed entries on one member: conf changes to raft, data to `out`.
fn apply(id: u64, node: &mut RawNode<MemStorage>, entries: Vec<Entry>, out: &mut Vec<Committed>) {
    for e in entries {
        match e.get_entry_type() {
            EntryType::EntryConfChange => {
                let mut cc = ConfChange::default();
                if protobuf::Message::merge_from_bytes(&mut cc, &e.data).is_ok()
                    && let Ok(cs) = node.apply_conf_change(&cc)
                {
                    node.raft.raft_log.store.wl().set_conf_state(cs);
                }
            }
            _ if e.data.is_empty() => {}
            _ => out.push(Committed::Entry { member: id, index: e.index, term: e.term, data: e.data.to_vec() }),
        }
    }
}

#[cfg(test)]
mod tests;
