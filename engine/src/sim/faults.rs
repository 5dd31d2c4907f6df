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
        if !m.up && !m.cut {
            return;
        }
        m.up = false;
        m.cut = false;
        m.agent = Default::default();
        self.lose(idx);
    }

    /// Cuts machine `idx` off the network: its managers and peers stop hearing from
    /// it, while its containers keep running.
    pub fn disconnect(&mut self, idx: usize) {
        let Some(m) = self.machines.get_mut(idx) else { return };
        if !m.up {
            return;
        }
        m.up = false;
        m.cut = true;
        self.lose(idx);
    }

    /// Brings a cut-off machine back: it reports Ready again; containers of tasks that
    /// were moved elsewhere meanwhile are stopped, the others carry on.
    pub fn reconnect(&mut self, idx: usize) {
        let Some(m) = self.machines.get_mut(idx) else { return };
        if !m.cut {
            return;
        }
        m.cut = false;
        m.up = true;
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

    /// The swarm stops hearing from machine `idx`: managers hold an election if it
    /// led, and its heartbeats expire.
    fn lose(&mut self, idx: usize) {
        let m = &self.machines[idx];
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
        if m.up || m.cut {
            return;
        }
        m.up = true;
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
        let Some(store) = self.swarm(&cluster).map(|s| &s.store) else { return };
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

#[cfg(test)]
mod tests {
    use crate::cli::{self, Env};
    use crate::sim::{Cluster, ClusterConfig};

    fn docker(c: &mut Cluster, idx: usize, args: &str) -> String {
        let argv: Vec<String> = args.split(' ').map(String::from).collect();
        let out = cli::run(&argv, &mut c.client(idx), Env::default());
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
