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
        self.machines().iter().any(|m| {
            m.up && matches!(&m.membership, Membership::Active { cluster: c, node_id: n } if c == cluster && n == node_id)
        })
    }

    /// Runs the control loops of a swarm with a leader until nothing changes, then
    /// hands new work to the agents.
    pub(crate) fn settle(&mut self, cluster: &str) {
        for _ in 0..MAX_PASSES {
            let Some(swarm) = self.swarms.get_mut(cluster) else { return };
            if swarm.store.leader().is_none() {
                return;
            }
            let mut manager_state = std::mem::take(&mut swarm.manager);
            let mut pass = Pass { now: self.now, entropy: &mut self.entropy, changes: Vec::new(), timers: Vec::new() };
            manager::step(&mut pass, &swarm.store, &mut manager_state);
            let (changes, timers) = (pass.changes, pass.timers);
            swarm.manager = manager_state;
            for (after, timer) in timers {
                let service = match timer {
                    manager::Timer::Service(id) => Some(id),
                    manager::Timer::Wake => None,
                };
                self.schedule(after, Event::Manager { cluster: cluster.to_string(), service });
            }
            if changes.is_empty() {
                break;
            }
            let _ = self.commit(cluster, changes);
        }
        self.dispatch(cluster);
    }

    /// The dispatcher: tells agents about tasks given to their node or whose desired
    /// state changed, and about tasks that are gone.
    fn dispatch(&mut self, cluster: &str) {
        let Some(swarm) = self.swarms.get_mut(cluster) else { return };
        let tasks = std::mem::take(&mut swarm.manager.dispatch);
        let forgotten = std::mem::take(&mut swarm.manager.forgotten);
        let by_node: BTreeMap<String, usize> = self
            .machines
            .iter()
            .enumerate()
            .filter(|(_, m)| m.up && m.cluster_id() == Some(cluster))
            .filter_map(|(i, m)| m.node_id().map(|n| (n.to_string(), i)))
            .collect();
        for (node, task) in forgotten {
            if let Some(&i) = by_node.get(&node) {
                self.machines[i].agent.forget(&task);
            }
        }
        for id in tasks {
            let Some(task) = self.swarms.get(cluster).and_then(|s| s.store.tasks.get(&id)).cloned() else { continue };
            let Some(&i) = by_node.get(&task.node_id) else { continue };
            let outcome = self.machines[i].agent.assign(&task);
            self.follow_up(i, &id, outcome);
        }
    }

    fn follow_up(&mut self, machine: usize, task: &str, outcome: Outcome) {
        if let Some((after, step)) = outcome.next {
            self.schedule(after, Event::Agent { machine, task: task.to_string(), step });
        }
    }

    /// An agent's step: it reports the task's new status to its swarm.
    pub(crate) fn agent_step(&mut self, machine: usize, task_id: &str, step: Step) -> Option<String> {
        let m = self.machines.get(machine)?;
        if !m.up {
            return None;
        }
        let cluster = m.cluster_id()?.to_string();
        let task = self.swarms.get(&cluster)?.store.tasks.get(task_id)?.clone();
        let now = self.now;
        let (agent, entropy, registry) = (&mut self.machines[machine].agent, &mut self.entropy, &self.registry);
        let outcome = agent.step(&task, step, now, registry, || crate::ids::hex(&entropy.bytes::<32>()));
        if let Some(status) = &outcome.status {
            if let Some(c) = self.machines[machine].agent.containers.get_mut(task_id)
                && c.name.is_empty()
            {
                let service = self.swarms.get(&cluster).and_then(|s| s.store.services.get(&task.service_id));
                let name = service.map(|s| s.spec.name.clone()).unwrap_or_default();
                let slot = if task.slot > 0 { task.slot.to_string() } else { task.node_id.clone() };
                c.name = format!("{name}.{slot}.{task_id}");
            }
            let change = Change::SetTaskStatus { id: task_id.to_string(), status: status.clone() };
            let _ = self.commit(&cluster, vec![change]);
        }
        self.follow_up(machine, task_id, outcome);
        Some(cluster)
    }
}
