//! Raft's cost. The whole engine: a swarm of 5 managers and 100 workers converging a
//! service, every store change proposed on the leader and applied by all five managers
//! (target: 10,000 changes in ≤ 200 ms). And the consensus core alone: five managers
//! committing 10,000 entries through raft-rs over the simulated network.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::time::Duration;
use swarmlab_engine::cli::{self, Env};
use swarmlab_engine::ids::Entropy;
use swarmlab_engine::raft::{Committed, Group};
use swarmlab_engine::sim::{Cluster, ClusterConfig};

fn docker(c: &mut Cluster, idx: usize, args: &str) -> cli::Output {
    let argv: Vec<String> = args.split(' ').map(String::from).collect();
    cli::run(&argv, &mut c.client(idx), Env::default())
}

/// 5 managers and 100 workers, idle.
fn swarm() -> Cluster {
    let mut c = Cluster::new(ClusterConfig { nodes: 105, ..ClusterConfig::default() });
    docker(&mut c, 0, "swarm init");
    let m = docker(&mut c, 0, "swarm join-token -q manager").stdout.trim().to_string();
    let w = docker(&mut c, 0, "swarm join-token -q worker").stdout.trim().to_string();
    for i in 1..105 {
        let token = if i < 5 { &m } else { &w };
        let out = docker(&mut c, i, &format!("swarm join --token {token} 127.10.0.11:2377"));
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    c.run_until_idle();
    c
}

/// Creates a service of 1,500 replicas and runs until every task runs; returns how
/// many store changes the managers committed.
fn converge(mut c: Cluster) -> u64 {
    let before = c.swarms().next().map_or(0, |(_, s)| s.store().index);
    docker(&mut c, 1, "service create -d --name web --replicas 1500 nginx");
    c.run_until_idle();
    let (_, swarm) = c.swarms().next().expect("a swarm");
    swarm.store().index - before
}

fn ten_thousand() -> usize {
    let mut e = Entropy::new(1);
    let mut g = Group::new(1, &mut e);
    for id in 2..=5 {
        g.add(id, &mut e).expect("add");
    }
    g.advance(Duration::from_secs(2));
    let mut committed = 0;
    for i in 0..10_000u32 {
        let out = g.propose(1, format!("{{\"op\":{i},\"change\":\"SetTaskStatus\"}}").into_bytes()).expect("leader");
        committed += out.iter().filter(|c| matches!(c, Committed::Entry { member: 1, .. })).count();
    }
    committed
}

fn bench(c: &mut Criterion) {
    assert_eq!(ten_thousand(), 10_000);
    let mut probe = swarm();
    let changes = converge(swarm());
    assert!(changes >= 10_000, "only {changes} changes");
    let entries = |c: &Cluster| c.swarms().next().map_or(0, |(_, s)| s.raft_status().commit_index);
    let first = entries(&probe);
    docker(&mut probe, 0, "service create -d --name web --replicas 1500 nginx");
    probe.run_until_idle();
    println!("{changes} store changes in {} Raft entries", entries(&probe) - first);
    let (_, s) = probe.swarms().next().expect("a swarm");
    assert_eq!(s.replicas().count(), 5);
    assert!(s.replicas().all(|(_, r)| r == s.store()), "every manager holds the same store");
    let mut g = c.benchmark_group("raft");
    g.sample_size(10);
    g.bench_function(format!("5 managers + 100 workers commit {changes} changes"), |b| {
        b.iter_batched(swarm, converge, BatchSize::LargeInput)
    });
    g.bench_function("5 managers commit 10,000 entries", |b| b.iter(ten_thousand));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
