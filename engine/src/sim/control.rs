//! Running the swarm: after every change the leader's control loops settle the store,
//! the dispatcher hands tasks to node agents, and agents report back.

use super::{Cluster, Event, Membership};
use crate::agent::executor::{Outcome, Step};
use crate::manager::{self, Pass};
use crate::store::Change;
use std::collections::BTreeMap;

/// More passes than any real convergence needs: a guard against a loop that never settles.
const MAX_PASSES: usize = 10_000;

impl Cluster {
    /// Does the node still answer its manager (its machine is up and runs it)?
    pub(crate) fn node_answers(&self, cluster: &str, node_id: &str) -> bool {
        let side = self.leader_side(cluster);
        self.machines().iter().any(|m| {
            m.reachable() && side.is_none_or(|s| s == m.side)
                && matches!(&m.membership, Membership::Active { cluster: c, node_id: n } if c == cluster && n == node_id)
        })
    }

    /// The side of the network the swarm's leader is on, when a partition matters.
    fn leader_side(&self, cluster: &str) -> Option<u32> {
        let leader = self.swarms.get(cluster)?.leader_node()?;
        self.machines().iter().find(|m| m.node_id() == Some(leader)).map(|m| m.side)
    }

    /// Runs the control loops of a swarm with a leader until nothing changes, then
    /// hands new work to the agents.
    pub(crate) fn settle(&mut self, cluster: &str) {
        for _ in 0..MAX_PASSES {
            let Some(swarm) = self.swarms.get_mut(cluster) else { return };
            let Some(leader) = swarm.loops_on else { return };
            let mut manager_state = std::mem::take(&mut swarm.manager);
            let Some(store) = swarm.replica(leader) else { return };
            let mut pass = Pass { now: self.now, entropy: &mut self.entropy, changes: Vec::new(), timers: Vec::new() };
            manager::step(&mut pass, store, &mut manager_state);
            let (changes, timers) = (pass.changes, pass.timers);
            swarm.manager = manager_state;
            for (after, timer) in timers {
                let service = match timer {
                    manager::Timer::Service(id) => Some(id),
                    manager::Timer::Wake => None,
                };
                self.schedule(after, Event::Manager { cluster: cluster.to_string(), service });
            }
            // Without a quorum nothing commits: the loops wait for the next leader.
            if changes.is_empty() || self.commit_via(cluster, leader, changes).is_err() {
                break;
            }
        }
        self.dispatch(cluster);
    }

    /// The dispatcher: tells agents about tasks given to their node or whose desired
    /// state changed, and about tasks that are gone.
    fn dispatch(&mut self, cluster: &str) {
        let side = self.leader_side(cluster);
        let Some(swarm) = self.swarms.get_mut(cluster) else { return };
        let tasks = std::mem::take(&mut swarm.manager.dispatch);
        let forgotten = std::mem::take(&mut swarm.manager.forgotten);
        let by_node: BTreeMap<String, usize> = self
            .machines
            .iter()
            .enumerate()
            .filter(|(_, m)| m.reachable() && m.cluster_id() == Some(cluster) && side.is_none_or(|s| s == m.side))
            .filter_map(|(i, m)| m.node_id().map(|n| (n.to_string(), i)))
            .collect();
        for (node, task) in forgotten {
            if let Some(&i) = by_node.get(&node) {
                self.machines[i].agent.forget(&task);
            }
        }
        for id in tasks {
            let Cluster { swarms, machines, .. } = &mut *self;
            let Some(task) = swarms.get(cluster).and_then(|s| s.store().tasks.get(&id)) else { continue };
            let Some(&i) = by_node.get(&task.node_id) else { continue };
            let outcome = machines[i].agent.assign(task);
            self.follow_up(i, &id, outcome);
        }
    }

    pub(super) fn follow_up(&mut self, machine: usize, task: &str, outcome: Outcome) {
        if let Some((after, step)) = outcome.next {
            self.schedule(after, Event::Agent { machine, task: task.to_string(), step });
        }
    }

    /// An agent's step: it reports the task's new status to its swarm.
    pub(crate) fn agent_step(&mut self, machine: usize, task_id: &str, step: Step) -> Option<String> {
        let m = self.machines.get(machine)?;
        if !m.reachable() {
            return None;
        }
        let cluster = m.cluster_id()?.to_string();
        let now = self.now;
        let Cluster { swarms, machines, entropy, registry, .. } = self;
        let task = swarms.get(&cluster)?.store().tasks.get(task_id)?;
        let agent = &mut machines[machine].agent;
        let mut outcome = agent.step(task, step, now, registry, || crate::ids::hex(&entropy.bytes::<32>()));
        let (service_id, slot, node_id) = (task.service_id.clone(), task.slot, task.node_id.clone());
        if !outcome.statuses.is_empty() {
            if let Some(c) = self.machines[machine].agent.containers.get_mut(task_id)
                && c.name.is_empty()
            {
                let service = self.swarms.get(&cluster).and_then(|s| s.store().services.get(&service_id));
                let name = service.map(|s| s.spec.name.clone()).unwrap_or_default();
                c.name = crate::naming::task(&name, slot, &node_id, task_id);
            }
            let statuses = std::mem::take(&mut outcome.statuses);
            let changes =
                statuses.into_iter().map(|status| Change::SetTaskStatus { id: task_id.to_string(), status }).collect();
            self.report(machine, &cluster, changes);
        }
        self.follow_up(machine, task_id, outcome);
        Some(cluster)
    }
}
