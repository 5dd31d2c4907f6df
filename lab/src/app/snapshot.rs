//! What the cluster view shows, read off the engine in one go: per node its role,
//! state and tasks; for the swarm its quorum and leader. Plain data, compared to
//! decide whether the screen needs redrawing.

use swarmlab_engine::cli::format::{natural_cmp, title};
use swarmlab_engine::sim::{Cluster, Membership, Power};
use swarmlab_engine::types::TaskState;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub nodes: Vec<NodeView>,
    /// The swarm of the first node that is in one.
    pub quorum: Option<Quorum>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    /// Its address in the lab's block, as `hostname -i` prints it.
    pub addr: String,
    pub powered: bool,
    pub connected: bool,
    /// None while the machine is in no swarm.
    pub role: Option<Role>,
    pub leader: bool,
    /// Ready, Down … as `docker node ls` says.
    pub status: String,
    pub availability: String,
    pub tasks: Vec<TaskView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Manager,
    Worker,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskView {
    /// `web.1`, or `web` for a global task.
    pub name: String,
    pub service: String,
    pub state: TaskState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quorum {
    pub reachable: usize,
    pub managers: usize,
    pub leader: Option<String>,
    /// Raft term and commit index, as the leader (or a manager that is up) sees them.
    pub term: u64,
    pub commit: u64,
}

impl Quorum {
    pub fn held(&self) -> bool {
        self.reachable >= swarmlab_engine::raft::quorum(self.managers)
    }
}

pub fn snapshot(c: &Cluster) -> Snapshot {
    let mut out = Snapshot::default();
    for (idx, m) in c.machines().iter().enumerate() {
        let mut v = NodeView {
            name: m.hostname.clone(),
            addr: m.addr.to_string(),
            powered: m.powered(),
            connected: m.power != Power::Disconnected,
            ..NodeView::default()
        };
        if let (Membership::Active { node_id, .. }, Some(swarm)) = (&m.membership, c.swarm_of(idx)) {
            let store = swarm.store();
            if let Some(n) = store.nodes.get(node_id) {
                v.role = Some(if n.manager_status.is_some() { Role::Manager } else { Role::Worker });
                v.leader = swarm.leader_node() == Some(node_id.as_str());
                // As `docker node ls` prints them: Ready, Active.
                v.status = title(n.status.state.as_str());
                v.availability = title(n.spec.availability.as_str());
            }
            let mut tasks: Vec<TaskView> = store
                .node_tasks(node_id)
                .filter(|t| t.desired_state <= TaskState::Running && t.status.state <= TaskState::Running)
                .filter_map(|t| {
                    let service = store.services.get(&t.service_id)?.spec.name.clone();
                    let name = if t.slot > 0 { format!("{service}.{}", t.slot) } else { service.clone() };
                    Some(TaskView { name, service, state: t.status.state })
                })
                .collect();
            // `web.10` after `web.9`, as docker sorts them.
            tasks.sort_by(|a, b| natural_cmp(&a.name, &b.name));
            v.tasks = tasks;
            if out.quorum.is_none() {
                let raft = swarm.raft_status();
                let reachable = raft.members.iter().filter(|(_, _, up)| *up).count();
                let hostname = |id: &str| store.nodes.get(id).map(|n| n.description.hostname.clone());
                let leader = raft.leader.as_deref().and_then(hostname);
                out.quorum = Some(Quorum {
                    reachable,
                    managers: raft.members.len(),
                    leader,
                    term: raft.term,
                    commit: raft.commit_index,
                });
            }
        }
        out.nodes.push(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use swarmlab_engine::sim::ClusterConfig;

    #[test]
    fn shows_roles_leader_quorum_and_running_tasks() {
        let mut c = Cluster::new(ClusterConfig::default());
        let docker = |c: &mut Cluster, i: usize, args: &str| swarmlab_engine::docker(c, i, args).stdout;
        assert_eq!(snapshot(&c).quorum, None);
        docker(&mut c, 0, "swarm init");
        let token = docker(&mut c, 0, "swarm join-token -q worker");
        docker(&mut c, 1, &format!("swarm join --token {} 127.10.0.11:2377", token.trim()));
        docker(&mut c, 0, "service create -d --name web --replicas 4 nginx");
        c.run_until_idle();
        let s = snapshot(&c);
        let q = s.quorum.clone().expect("a swarm");
        assert_eq!((q.reachable, q.managers, q.leader), (1, 1, Some("node1".into())));
        assert_eq!(q.term, 1);
        assert!(q.commit > 5, "init, join and the service's tasks were committed: {}", q.commit);
        assert_eq!((s.nodes[0].role, s.nodes[0].leader), (Some(Role::Manager), true));
        assert_eq!(s.nodes[1].role, Some(Role::Worker));
        assert_eq!(s.nodes[2].role, None);
        let names: Vec<&str> = s.nodes.iter().flat_map(|n| n.tasks.iter().map(|t| t.name.as_str())).collect();
        assert_eq!(names.len(), 4);
        assert!(s.nodes.iter().all(|n| n.tasks.iter().all(|t| t.state == TaskState::Running)));
        c.power_off(1);
        let s = snapshot(&c);
        assert!(!s.nodes[1].powered);
    }
}
