//! Ready-made starting points: a swarm already initialised, for free play and for
//! lessons that skip the set-up.

use crate::world::World;
use swarmlab_engine::cli::{self, Env};

/// node1 initialises a swarm; the next `managers - 1` nodes join as managers, the
/// rest as workers. Returns what failed, if anything.
pub fn ready_swarm(world: &World, managers: usize) -> Result<(), String> {
    let mut c = world.cluster();
    let n = c.machines().len();
    let mut docker = |idx: usize, args: &[&str]| {
        let argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let out = cli::run(&argv, &mut c.client(idx), Env::default());
        if out.code == 0 { Ok(out.stdout) } else { Err(out.stderr) }
    };
    docker(0, &["swarm", "init", "--advertise-addr", "127.10.0.11"])?;
    let manager = docker(0, &["swarm", "join-token", "-q", "manager"])?;
    let worker = docker(0, &["swarm", "join-token", "-q", "worker"])?;
    for idx in 1..n {
        let token = if idx < managers.max(1) { manager.trim() } else { worker.trim() };
        docker(idx, &["swarm", "join", "--token", token, "127.10.0.11:2377"])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use swarmlab_engine::sim::ClusterConfig;

    #[test]
    fn builds_the_asked_number_of_managers() {
        let world = World::at(ClusterConfig { nodes: 5, ..ClusterConfig::default() }, crate::world::Speed::Paused);
        ready_swarm(&world, 3).unwrap();
        let mut c = world.cluster();
        let out = cli::run(&["node".into(), "ls".into()], &mut c.client(0), Env::default()).stdout;
        assert_eq!(out.lines().filter(|l| l.contains("Leader") || l.contains("Reachable")).count(), 3, "{out}");
        assert_eq!(out.lines().count(), 6);
    }
}
