//! `docker stack deploy` of a 50-service stack (3 replicas each, two networks, a
//! published port on every tenth service) on a 20-node swarm, timed from the command
//! to every task running. Target: ≤ 100 ms.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::sync::OnceLock;
use swarmlab_engine::cli::{self, Env};
use swarmlab_engine::sim::{Cluster, ClusterConfig};

static COMPOSE: OnceLock<String> = OnceLock::new();

fn compose() -> &'static str {
    COMPOSE.get_or_init(|| {
        let mut f = String::from("version: \"3.8\"\nservices:\n");
        for i in 0..50 {
            f.push_str(&format!(
                "  svc{i}:\n    image: nginx:1.27\n    networks: [front, back]\n    environment:\n      - INDEX={i}\n    deploy:\n      replicas: 3\n      resources:\n        limits:\n          memory: 32M\n      restart_policy:\n        condition: on-failure\n"
            ));
            if i % 10 == 0 {
                f.push_str(&format!("    ports:\n      - \"{}:80\"\n", 8000 + i));
            }
        }
        f.push_str("networks:\n  front: {}\n  back: {}\n");
        f
    })
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    match path {
        "stack.yml" => Ok(compose().as_bytes().to_vec()),
        _ => Err(format!("open {path}: no such file or directory")),
    }
}

fn docker(c: &mut Cluster, idx: usize, args: &str) -> cli::Output {
    let argv: Vec<String> = args.split(' ').map(str::to_string).collect();
    cli::run(&argv, &mut c.client(idx), Env { read: Some(&read), ..Env::default() })
}

fn swarm() -> Cluster {
    let mut c = Cluster::new(ClusterConfig { nodes: 20, ..ClusterConfig::default() });
    docker(&mut c, 0, "swarm init --advertise-addr 127.10.0.11");
    let token = docker(&mut c, 0, "swarm join-token -q worker").stdout;
    for idx in 1..20 {
        docker(&mut c, idx, &format!("swarm join --token {} 127.10.0.11:2377", token.trim()));
    }
    c.run_until_idle();
    c
}

fn deploy_and_converge(mut c: Cluster) -> Cluster {
    let out = docker(&mut c, 0, "stack deploy -d -c stack.yml big");
    assert_eq!(out.code, 0, "{}", out.stderr);
    c.run_until_idle();
    c
}

fn bench(c: &mut Criterion) {
    // Check once that the deploy converges: 150 tasks running.
    let mut done = deploy_and_converge(swarm());
    let running = docker(&mut done, 0, "stack ps big --filter desired-state=running -q").stdout.lines().count();
    assert_eq!(running, 150);
    let mut g = c.benchmark_group("stack");
    g.sample_size(20);
    g.bench_function("deploy 50 services x 3 replicas on 20 nodes, to converged", |b| {
        b.iter_batched(swarm, deploy_and_converge, BatchSize::LargeInput)
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
