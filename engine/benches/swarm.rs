//! A 1,000-node swarm built through the docker command line: init, 999 joins, node ls.
//! Target: ≤ 50 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use swarmlab_engine::cli::{self, Env};
use swarmlab_engine::sim::{Cluster, ClusterConfig};

fn docker(c: &mut Cluster, idx: usize, args: &[&str]) -> cli::Output {
    let argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    cli::run(&argv, &mut c.client(idx), Env::default())
}

fn thousand_node_swarm() -> usize {
    let mut c = Cluster::new(ClusterConfig { nodes: 1000, ..ClusterConfig::default() });
    docker(&mut c, 0, &["swarm", "init", "--advertise-addr", "127.10.0.11"]);
    let token = docker(&mut c, 0, &["swarm", "join-token", "-q", "worker"]).stdout;
    let token = token.trim();
    for idx in 1..1000 {
        let out = docker(&mut c, idx, &["swarm", "join", "--token", token, "127.10.0.11:2377"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    docker(&mut c, 0, &["node", "ls"]).stdout.len()
}

fn bench(c: &mut Criterion) {
    c.bench_function("1000-node swarm: init + 999 joins + node ls", |b| b.iter(thousand_node_swarm));
}

criterion_group!(benches, bench);
criterion_main!(benches);
