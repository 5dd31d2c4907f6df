//! Faults as engine operations: a node powers off (its containers die, its heartbeats
//! stop, so the managers mark it Down and reschedule its tasks) and comes back.

use super::{Cluster, Membership, Power};
use crate::store::Change;
use crate::types::{NodeState, NodeStatus, TaskState, TaskStatus};

impl Cluster {
    /// Powers machine `idx` off.
    pub fn power_off(&mut self, idx: usize) {
        let Some(m) = self.machines.get_mut(idx) else { return };
        if !m.powered() {
            return;
        }
        m.power = Power::Off;
        m.agent = Default::default();
        self.lose(idx);
    }

    /// Cuts machine `idx` off the network: its managers and peers stop hearing from
    /// it, while its containers keep running.
    pub fn disconnect(&mut self, idx: usize) {
        let Some(m) = self.machines.get_mut(idx) else { return };
        if !m.reachable() {
            return;
        }
        m.power = Power::Disconnected;
        self.lose(idx);
    }

    /// Brings a cut-off machine back: it reports Ready again; containers of tasks that
    /// were moved elsewhere meanwhile are stopped, the others carry on.
    pub fn reconnect(&mut self, idx: usize) {
        let Some(m) = self.machines.get_mut(idx) else { return };
        if m.power != Power::Disconnected {
            return;
        }
        m.power = Power::On;
        self.rejoin(idx);
    }

    /// Kills a running container on machine `idx` (its task, by container name or ID
    /// prefix, or task name `web.1`): it exits with 137 and the restart policy decides.
    pub fn crash(&mut self, idx: usize, reference: &str) -> Result<String, String> {
        let m = self.machines.get(idx).ok_or_else(|| "no such node".to_string())?;
        let running = || m.agent.containers.iter().filter(|(_, c)| c.running());
        // `web.1` names a task exactly (not web.10); otherwise an ID or name prefix.
        let task_name = |name: &str| name.split('.').take(2).collect::<Vec<_>>().join(".");
        let mut found: Vec<(String, String)> = running()
            .filter(|(_, c)| task_name(&c.name) == reference || c.name == reference || c.id == reference)
            .map(|(task, c)| (task.clone(), c.name.clone()))
            .collect();
        if found.is_empty() {
            found = running()
                .filter(|(_, c)| c.id.starts_with(reference) || c.name.starts_with(reference))
                .map(|(task, c)| (task.clone(), c.name.clone()))
                .collect();
        }
        let (task, name) = match found.as_slice() {
            [one] => one.clone(),
            [] => return Err(format!("no running container {reference} on {}", m.hostname)),
            _ => return Err(format!("{reference} names several containers on {}", m.hostname)),
        };
        let outcome = self.machines[idx].agent.kill(&task, 137);
        self.follow_up(idx, &task, outcome);
        Ok(name)
    }

    /// Splits the network in two: the machines in `side` on one side, every other
    /// machine on the other. Managers talk only within a side; nodes that cannot reach
    /// the leader stop being heard by it.
    pub fn partition(&mut self, side: &[usize]) {
        let before: Vec<bool> = (0..self.machines.len()).map(|i| self.heard(i)).collect();
        for (i, m) in self.machines.iter_mut().enumerate() {
            m.side = u32::from(side.contains(&i));
        }
        self.network_changed(&before);
    }

    /// Heals a partition.
    pub fn heal(&mut self) {
        let before: Vec<bool> = (0..self.machines.len()).map(|i| self.heard(i)).collect();
        for m in self.machines.iter_mut() {
            m.side = 0;
        }
        self.network_changed(&before);
    }

    /// Is machine `idx` heard by its swarm's leader?
    fn heard(&self, idx: usize) -> bool {
        let m = &self.machines[idx];
        m.cluster_id().zip(m.node_id()).is_some_and(|(c, n)| self.node_answers(c, n))
    }

    /// After the sides changed: Raft members move, nodes the leader stopped hearing
    /// time out, nodes it hears again come back.
    fn network_changed(&mut self, before: &[bool]) {
        for i in 0..self.machines.len() {
            self.sync_member(i);
        }
        let clusters: Vec<String> = self.swarms.keys().cloned().collect();
        for c in &clusters {
            self.follow(c);
        }
        for (i, was) in before.iter().enumerate() {
            match (*was, self.heard(i)) {
                (true, false) => self.expire_heartbeats(i),
                (false, true) => self.rejoin(i),
                _ => {}
            }
        }
    }

    /// The swarm stops hearing from machine `idx`: its Raft member (if a manager)
    /// goes quiet and its heartbeats expire.
    fn lose(&mut self, idx: usize) {
        self.sync_member(idx);
        if let Some(c) = self.machines[idx].cluster_id().map(String::from) {
            self.follow(&c);
        }
        self.expire_heartbeats(idx);
    }

    /// Machine `idx` stops sending heartbeats to its swarm.
    fn expire_heartbeats(&mut self, idx: usize) {
        let Membership::Active { cluster, node_id } = self.machines[idx].membership.clone() else { return };
        self.heartbeats_stop(&cluster, &node_id);
    }

    /// Tells machine `idx`'s Raft member (if it is a manager) whether it runs and
    /// which side of the network it is on: a cut-off machine is alone on its side.
    pub(crate) fn sync_member(&mut self, idx: usize) {
        let m = &self.machines[idx];
        let cut = m.power == Power::Disconnected;
        let (powered, side) = (m.powered(), if cut { 1000 + idx as u32 } else { m.side });
        let active = matches!(m.membership, Membership::Active { .. });
        let Some(node_id) = m.node_id().map(String::from) else { return };
        let Some(cluster) = m.cluster_id().map(String::from) else { return };
        let Some(swarm) = self.swarms.get_mut(&cluster) else { return };
        if let Some(id) = swarm.raft_id(&node_id) {
            swarm.group.set_up(id, powered && active);
            swarm.group.set_side(id, side);
        }
    }

    /// Powers machine `idx` back on: the node registers again as Ready, and reports
    /// the containers it lost as failed.
    pub fn power_on(&mut self, idx: usize) {
        let Some(m) = self.machines.get_mut(idx) else { return };
        if m.powered() {
            return;
        }
        m.power = Power::On;
        self.rejoin(idx);
    }

    /// Machine `idx` answers its swarm again: Ready, and a report on each task it was
    /// given. Tasks moved away meanwhile are shut down; a task whose container still
    /// runs carries on; any other failed (its container died, or its next step was
    /// lost while nobody listened).
    fn rejoin(&mut self, idx: usize) {
        let m = &self.machines[idx];
        let addr = m.addr.to_string();
        let Membership::Active { cluster, node_id } = m.membership.clone() else { return };
        let Some(store) = self.swarm(&cluster).map(|s| s.store()) else { return };
        let mut changes = Vec::new();
        if store.nodes.get(&node_id).is_some_and(|n| n.status.state != NodeState::Ready) {
            changes.push(Change::SetNodeStatus {
                id: node_id.clone(),
                status: NodeStatus { state: NodeState::Ready, message: String::new(), addr },
            });
        }
        let agent = &self.machines[idx].agent;
        let now = self.now();
        let mut stopped = Vec::new();
        for t in store
            .node_tasks(&node_id)
            .filter(|t| t.status.state <= TaskState::Running && t.status.state >= TaskState::Assigned)
        {
            let alive = agent.containers.get(&t.id).is_some_and(|c| c.running());
            let status = if t.desired_state > TaskState::Running && t.desired_state != TaskState::Complete {
                stopped.push(t.id.clone());
                TaskStatus {
                    timestamp: now,
                    state: TaskState::Shutdown,
                    message: "shutdown".into(),
                    ..TaskStatus::default()
                }
            } else if t.status.state == TaskState::Running && alive {
                continue;
            } else {
                TaskStatus {
                    timestamp: now,
                    state: TaskState::Failed,
                    message: "started".into(),
                    err: "task: non-zero exit (137)".into(),
                    ..TaskStatus::default()
                }
            };
            changes.push(Change::SetTaskStatus { id: t.id.clone(), status });
        }
        for id in stopped {
            self.machines[idx].agent.forget(&id);
        }
        self.sync_member(idx);
        self.follow(&cluster);
        self.report(idx, &cluster, changes);
        self.settle(&cluster);
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::{Cluster, ClusterConfig};

    fn docker(c: &mut Cluster, idx: usize, args: &str) -> String {
        let out = crate::docker(c, idx, args);
        out.stdout + &out.stderr
    }

    fn swarm_with_web() -> Cluster {
        let mut c = Cluster::new(ClusterConfig::default());
        docker(&mut c, 0, "swarm init");
        let token = docker(&mut c, 0, "swarm join-token -q worker");
        for i in 1..3 {
            docker(&mut c, i, &format!("swarm join --token {} 127.10.0.11:2377", token.trim()));
        }
        docker(&mut c, 0, "service create -d --name web --replicas 3 nginx");
        c.run_until_idle();
        c
    }

    #[test]
    fn a_disconnected_node_goes_down_and_comes_back_without_its_moved_tasks() {
        let mut c = swarm_with_web();
        c.disconnect(2);
        c.run_until_idle();
        assert!(docker(&mut c, 0, "node ls").lines().any(|l| l.contains("node3") && l.contains(" Down ")));
        let ps = docker(&mut c, 0, "service ps --format {{.Node}}/{{.DesiredState}} web");
        assert!(ps.contains("node3/Shutdown"), "{ps}");
        // swarmkit counts tasks observed running: the cut-off node's task still is.
        assert_eq!(docker(&mut c, 0, "service ls --format {{.Replicas}}").trim(), "4/3");
        // Cut off, its container still runs: the moved task is stopped on reconnect.
        assert_eq!(c.machines()[2].agent.containers.values().filter(|c| c.running()).count(), 1);
        c.reconnect(2);
        c.run_until_idle();
        assert!(docker(&mut c, 0, "node ls").lines().any(|l| l.contains("node3") && l.contains(" Ready ")));
        assert_eq!(c.machines()[2].agent.containers.values().filter(|c| c.running()).count(), 0);
        assert_eq!(docker(&mut c, 0, "service ls --format {{.Replicas}}").trim(), "3/3");
    }

    #[test]
    fn a_crashed_container_fails_its_task_and_the_restart_policy_replaces_it() {
        let mut c = swarm_with_web();
        let running = c.machines()[1].agent.containers.values().find(|c| c.running()).map(|c| c.name.clone());
        let running = running.expect("node2 runs a web task");
        assert_eq!(c.crash(1, &running), Ok(running.clone()));
        c.run_until_idle();
        let ps = docker(&mut c, 0, "service ps --no-trunc --format {{.Error}} web");
        assert!(ps.contains("task: non-zero exit (137)"), "{ps}");
        assert_eq!(docker(&mut c, 0, "service ls --format {{.Replicas}}").trim(), "3/3");
        assert!(c.crash(1, "nope").is_err());
    }
}
