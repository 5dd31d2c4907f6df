//! Slips the lab can name while a step does not hold: a command of the step run on
//! another node than its block names, and nodes split between two swarms (a swarm
//! created on the wrong node, a node joined to the wrong one). Pure: the step, what
//! the learner ran since it opened, and the swarms the cluster has.

use super::Step;
use super::check::command_kind;
use swarmlab_engine::sim::{Cluster, Membership};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slip {
    /// `command` belongs on one of `want` (as the step's blocks say); it ran on `ran_on`.
    /// `changed`: it changed the cluster, so running it again on the right node may not
    /// be enough.
    WrongNode { command: String, want: Vec<String>, ran_on: String, changed: bool },
    /// The cluster's nodes are in more than one swarm: each swarm's nodes, its leader
    /// (or first manager) first.
    Swarms(Vec<Vec<String>>),
}

impl Slip {
    /// Whether the slip left the cluster somewhere the step may not reach by going on.
    pub fn needs_redo(&self) -> bool {
        match self {
            Slip::WrongNode { changed, .. } => *changed,
            Slip::Swarms(_) => true,
        }
    }
}

/// The slips in `ran` (node, command; oldest first) and in the cluster's swarms.
pub fn find(step: &Step, ran: &[(String, String)], swarms: &[Vec<String>]) -> Vec<Slip> {
    let mut slips = Vec::new();
    // Each command of the step's blocks, and the nodes it belongs on.
    let mut homes: Vec<(String, Vec<String>)> = Vec::new();
    for (node, commands) in step.runnables() {
        for c in commands {
            let Some((kind, _)) = command_kind(c) else { continue };
            match homes.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, nodes)) if !nodes.iter().any(|n| n == node) => nodes.push(node.to_string()),
                Some(_) => {}
                None => homes.push((kind, vec![node.to_string()])),
            }
        }
    }
    for (i, (node, command)) in ran.iter().enumerate() {
        let Some((kind, reads)) = command_kind(command) else { continue };
        let Some((_, want)) = homes.iter().find(|(k, _)| *k == kind) else { continue };
        if want.contains(node) {
            continue;
        }
        // Put right since: the same command ran where it belongs afterwards.
        let righted =
            ran[i + 1..].iter().any(|(n, c)| want.contains(n) && command_kind(c).is_some_and(|(k, _)| k == kind));
        let slip = Slip::WrongNode { command: kind, want: want.clone(), ran_on: node.clone(), changed: !reads };
        if !slips.contains(&slip) && (!righted || !reads) {
            slips.push(slip);
        }
    }
    if swarms.len() > 1 {
        slips.push(Slip::Swarms(swarms.to_vec()));
    }
    slips
}

/// The cluster's swarms: the hostnames in each, its leader (else a manager) first,
/// ordered by their first node.
pub fn swarms(c: &Cluster) -> Vec<Vec<String>> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (i, m) in c.machines().iter().enumerate() {
        let Membership::Active { cluster, node_id } = &m.membership else { continue };
        let head = c.swarm_of(i).is_some_and(|s| {
            s.leader_node() == Some(node_id.as_str())
                || (s.leader_node().is_none()
                    && s.store().nodes.get(node_id).is_some_and(|n| n.manager_status.is_some()))
        });
        match out.iter_mut().find(|(id, _)| id == cluster) {
            Some((_, nodes)) if head => nodes.insert(0, m.hostname.clone()),
            Some((_, nodes)) => nodes.push(m.hostname.clone()),
            None => out.push((cluster.clone(), vec![m.hostname.clone()])),
        }
    }
    out.into_iter().map(|(_, nodes)| nodes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn ran(lines: &[(&str, &str)]) -> Vec<(String, String)> {
        lines.iter().map(|(n, c)| (n.to_string(), c.to_string())).collect()
    }

    /// Lesson 2, step 3: node3 joins as a manager.
    fn manager_join() -> Step {
        crate::lesson::bundled(Lang::En)[1].steps[2].clone()
    }

    #[test]
    fn a_join_on_another_node_than_the_blocks_is_named_and_asks_for_a_redo() {
        let step = manager_join();
        let slips = find(
            &step,
            &ran(&[("node2", "docker swarm join --token $(docker -H node1 swarm join-token -q manager) node1:2377")]),
            &[],
        );
        assert_eq!(
            slips,
            [Slip::WrongNode {
                command: "docker swarm join".into(),
                want: vec!["node3".into()],
                ran_on: "node2".into(),
                changed: true
            }]
        );
        assert!(slips[0].needs_redo());
        // Done right afterwards, the slip still counts: node2 changed the cluster.
        let later = ran(&[
            ("node2", "docker swarm join --token X node1:2377"),
            ("node3", "docker swarm join --token X node1:2377"),
        ]);
        assert_eq!(find(&step, &later, &[]).len(), 1);
    }

    #[test]
    fn a_read_on_another_node_is_named_until_it_runs_where_it_belongs() {
        let lessons = crate::lesson::bundled(Lang::En);
        // Lesson 1's `docker service ps hello` runs on node1.
        let lists = |s: &&Step| s.runnables().any(|(_, c)| c.iter().any(|c| c == "docker service ps hello"));
        let step = lessons[0].steps.iter().find(lists).expect("a step listing tasks").clone();
        let slips = find(&step, &ran(&[("node2", "docker service ps -q hello")]), &[]);
        assert!(matches!(&slips[..], [Slip::WrongNode { changed: false, .. }]), "{slips:?}");
        assert!(!slips[0].needs_redo());
        let righted = ran(&[("node2", "docker service ps hello"), ("node1", "docker service ps hello")]);
        assert!(find(&step, &righted, &[]).is_empty());
        // Commands the step does not name are the learner's own business.
        assert!(find(&step, &ran(&[("node3", "docker version")]), &[]).is_empty());
    }

    #[test]
    fn nodes_in_two_swarms_are_a_slip_and_the_cluster_says_which() {
        let mut c = Cluster::new(swarmlab_engine::sim::ClusterConfig { nodes: 4, ..Default::default() });
        let docker = swarmlab_engine::docker;
        docker(&mut c, 0, "swarm init");
        docker(&mut c, 2, "swarm init");
        let token = docker(&mut c, 2, "swarm join-token -q worker").stdout;
        docker(&mut c, 3, &format!("swarm join --token {} node3:2377", token.trim()));
        let found = swarms(&c);
        assert_eq!(found, [vec!["node1".to_string()], vec!["node3".to_string(), "node4".to_string()]]);
        let slips = find(&manager_join(), &[], &found);
        assert_eq!(slips, [Slip::Swarms(found)]);
    }
}
