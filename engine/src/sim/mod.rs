//! The simulated world: virtual machines, the swarms they form, a virtual clock that
//! only the caller advances, a seeded source of randomness and a queue of timed
//! events. Same seed and same calls give the same trace, byte for byte.

mod client;
mod consensus;
mod control;
mod events;
mod exec;
mod faults;
mod info;
mod machine;
mod membership;
mod mesh;
mod networks;
mod secrets;
mod services;
mod swarm;

pub use client::NodeClient;
pub use consensus::CommitError;
pub use events::Event;
pub use info::{API_VERSION, MIN_API_VERSION};
pub use machine::{Block, Machine, Membership, Power, split_host_port};
pub use mesh::Answer;
pub use services::task_name;
pub use swarm::{RaftStatus, SwarmState};

use crate::ids::Entropy;
use crate::store::StoreOp;
use crate::time::{DEFAULT_EPOCH, Timestamp};
use std::collections::{BTreeMap, BinaryHeap};
use std::time::Duration;

/// The engine version every virtual node reports (moby v28.2.2).
pub const ENGINE_VERSION: &str = "28.2.2";

#[derive(Debug, Clone)]
pub struct ClusterConfig {
    pub nodes: usize,
    pub seed: u64,
    pub nano_cpus: i64,
    pub memory_bytes: i64,
    /// Virtual time at start.
    pub epoch: Timestamp,
    /// Where the nodes' addresses are.
    pub block: Block,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            nodes: 3,
            seed: 1,
            nano_cpus: 2_000_000_000,
            memory_bytes: 2 * 1024 * 1024 * 1024,
            epoch: DEFAULT_EPOCH,
            block: Block::default(),
        }
    }
}

/// What happened, in order: the store ops each swarm committed. Two runs with the same
/// seed and inputs produce equal traces.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TraceEntry {
    pub cluster: String,
    pub op: StoreOp,
}

pub struct Cluster {
    now: Timestamp,
    /// The registry every node pulls from; lessons can break images in it.
    pub registry: crate::agent::images::Registry,
    pub(crate) entropy: Entropy,
    machines: Vec<Machine>,
    swarms: BTreeMap<String, SwarmState>,
    events: BinaryHeap<events::Scheduled>,
    /// Round-robin position per (service, published port).
    mesh_turns: BTreeMap<(String, u32), usize>,
    event_seq: u64,
    trace: Vec<TraceEntry>,
    /// Status reports each machine's agent could not deliver while its swarm had no
    /// leader, sent when it registers with the next one.
    unreported: Vec<Vec<crate::store::Change>>,
    /// Keep every op in `trace` (tests compare traces; the lab does not need them).
    tracing: bool,
}

impl Cluster {
    pub fn new(config: ClusterConfig) -> Self {
        let mut entropy = Entropy::new(config.seed);
        let machines = (1..=config.nodes)
            .map(|n| Machine {
                hostname: format!("node{n}"),
                addr: config.block.node(n),
                nano_cpus: config.nano_cpus,
                memory_bytes: config.memory_bytes,
                engine_id: uuid(&mut entropy),
                membership: Membership::Inactive,
                power: Power::On,
                side: 0,
                agent: Default::default(),
                networks: Vec::new(),
            })
            .collect();
        Cluster {
            now: config.epoch,
            registry: Default::default(),
            entropy,
            machines,
            swarms: BTreeMap::new(),
            events: BinaryHeap::new(),
            mesh_turns: BTreeMap::new(),
            event_seq: 0,
            trace: Vec::new(),
            unreported: vec![Vec::new(); config.nodes],
            tracing: false,
        }
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    pub fn machines(&self) -> &[Machine] {
        &self.machines
    }

    pub fn machine_index(&self, hostname: &str) -> Option<usize> {
        self.machines.iter().position(|m| m.hostname == hostname)
    }

    pub(crate) fn machine_mut(&mut self, idx: usize) -> &mut Machine {
        &mut self.machines[idx]
    }

    pub fn swarm(&self, cluster_id: &str) -> Option<&SwarmState> {
        self.swarms.get(cluster_id)
    }

    pub fn swarms(&self) -> impl Iterator<Item = (&String, &SwarmState)> {
        self.swarms.iter()
    }

    /// The swarm machine `idx` belongs to, if any.
    pub fn swarm_of(&self, idx: usize) -> Option<&SwarmState> {
        self.machines.get(idx).and_then(|m| m.cluster_id()).and_then(|c| self.swarms.get(c))
    }

    pub fn trace(&self) -> &[TraceEntry] {
        &self.trace
    }

    /// Starts (or stops) recording every store op in `trace`.
    pub fn set_tracing(&mut self, on: bool) {
        self.tracing = on;
    }

    /// The docker daemon of machine `idx`, as a client would see it.
    pub fn client(&mut self, idx: usize) -> NodeClient<'_> {
        NodeClient::new(self, idx)
    }

    /// Moves virtual time forward by `d`, running every event due on the way.
    pub fn advance(&mut self, d: Duration) {
        let _ = self.advance_at_most(d, usize::MAX);
    }

    /// Like `advance`, but runs at most `instants` busy instants: idle time is skipped
    /// in one jump, while a cluster that is never idle (a task restarting forever)
    /// costs work in proportion to the time simulated. Past the budget the clock
    /// stops where the work did; the error says how far it got.
    pub fn advance_at_most(&mut self, d: Duration, instants: usize) -> Result<(), Duration> {
        let start = self.now;
        let until = self.now.plus(d);
        let mut spent = 0;
        while self.events.peek().is_some_and(|e| e.at <= until) {
            if spent == instants {
                for cluster in self.sync_raft(self.now) {
                    self.settle(&cluster);
                }
                return Err(self.now.since(start));
            }
            self.run_instant();
            spent += 1;
        }
        self.now = until;
        for cluster in self.sync_raft(until) {
            self.settle(&cluster);
        }
        Ok(())
    }

    /// When the next timed event is due, if any: a caller running the engine at
    /// wall-clock speed can sleep until then.
    pub fn next_event_at(&self) -> Option<Timestamp> {
        self.events.peek().map(|e| e.at)
    }

    /// Runs every pending event, jumping time to each; returns how far time moved.
    /// Stops early (with events left) after a million instants.
    pub fn run_until_idle(&mut self) -> Duration {
        let start = self.now;
        let mut instants = 0;
        while !self.events.is_empty() && instants < 1_000_000 {
            self.run_instant();
            instants += 1;
        }
        self.now.since(start)
    }

    /// Like `run_until_idle`, but never past `limit` of virtual time: a service that
    /// restarts forever (a command that exits, restart policy `any`) is never idle.
    pub fn run_until_idle_within(&mut self, limit: Duration) -> Duration {
        let start = self.now;
        let horizon = start.plus(limit);
        while self.events.peek().is_some_and(|e| e.at <= horizon) {
            self.run_instant();
        }
        self.now.since(start)
    }

    /// Runs every event due at the earliest pending instant, then lets the swarms they
    /// touched settle: a thousand tasks starting at once cost one pass, not a thousand.
    fn run_instant(&mut self) {
        let Some(at) = self.events.peek().map(|e| e.at) else { return };
        self.now = self.now.max(at);
        let mut touched: std::collections::BTreeSet<String> = self.sync_raft(self.now).into_iter().collect();
        while self.events.peek().is_some_and(|e| e.at == at) {
            if let Some(e) = self.events.pop() {
                touched.extend(self.handle(e.event));
            }
        }
        for cluster in touched {
            self.settle(&cluster);
        }
    }

    pub(crate) fn schedule(&mut self, after: Duration, event: Event) {
        self.event_seq += 1;
        self.events.push(events::Scheduled { at: self.now.plus(after), seq: self.event_seq, event });
    }
}

/// A random (version 4) UUID from the seeded source.
fn uuid(e: &mut Entropy) -> String {
    let mut b = e.bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = crate::ids::hex(&b);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}
