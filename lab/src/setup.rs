//! Ready-made starting points: a swarm already initialised, for free play and for
//! lessons that skip the set-up.

use crate::headless::Session;
use crate::headless::script;
use crate::world::World;

/// The commands that form a swarm: node1 initialises it; the next `managers - 1`
/// nodes join as managers, the rest as workers.
pub fn swarm_script(nodes: &[String], managers: usize) -> Vec<script::Step> {
    let mut lines = vec![
        "node1$ docker swarm init --advertise-addr 127.10.0.11".to_string(),
        "node1$ MANAGER_TOKEN=$(docker swarm join-token -q manager)".to_string(),
        "node1$ WORKER_TOKEN=$(docker swarm join-token -q worker)".to_string(),
    ];
    for (i, node) in nodes.iter().enumerate().skip(1) {
        let token = if i < managers.max(1) { "$MANAGER_TOKEN" } else { "$WORKER_TOKEN" };
        lines.push(format!("{node}$ docker swarm join --token {token} 127.10.0.11:2377"));
    }
    script::parse(&lines.join("\n"), "setup").unwrap_or_default()
}

/// Forms the swarm of `swarm_script` in the lab's cluster. Returns what failed, if anything.
pub fn ready_swarm(world: &World, managers: usize) -> Result<(), String> {
    let nodes: Vec<String> = world.read(|c| c.machines().iter().map(|m| m.hostname.clone()).collect());
    let mut failure = None;
    world.replace(|cluster| {
        let mut session = Session::on(cluster);
        failure = session.play(&swarm_script(&nodes, managers)).failures.into_iter().next();
        session.cluster
    });
    failure.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use swarmlab_engine::cli::{self, Env};
    use swarmlab_engine::sim::ClusterConfig;

    #[test]
    fn builds_the_asked_number_of_managers() {
        let world = World::at(ClusterConfig { nodes: 5, ..ClusterConfig::default() }, crate::clock::Speed::Paused);
        ready_swarm(&world, 3).unwrap();
        let mut c = world.cluster();
        let out = cli::run(&["node".into(), "ls".into()], &mut c.client(0), Env::default()).stdout;
        assert_eq!(out.lines().filter(|l| l.contains("Leader") || l.contains("Reachable")).count(), 3, "{out}");
        assert_eq!(out.lines().count(), 6);
    }
}
