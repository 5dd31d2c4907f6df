//! swarmkit's BenchmarkScheduler, here: 1,000 ready nodes and 1k / 10k / 100k pending
//! tasks of one service, each to be assigned in one scheduling pass. Targets (about
//! 100x swarmkit on 2 cores): 2 ms, 15 ms, 200 ms. And a 100-node swarm converging a
//! 10,000-replica service to running. Target: 300 ms.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::time::Duration;
use swarmlab_engine::api::Api;
use swarmlab_engine::cli::{self, Env};
use swarmlab_engine::ids::Entropy;
use swarmlab_engine::manager::{Pass, scheduler, state::ManagerState};
use swarmlab_engine::sim::{Cluster, ClusterConfig};
use swarmlab_engine::store::{Change, Store, StoreOp, apply};
use swarmlab_engine::time::Timestamp;
use swarmlab_engine::types::*;

fn store_with(nodes: usize, tasks: usize) -> (Store, ManagerState) {
    let mut store = Store::default();
    let mut e = Entropy::new(1);
    let at = Timestamp(0);
    let op = |store: &mut Store, change| apply(store, &StoreOp { at, change }).expect("apply");
    for i in 0..nodes {
        let mut n = Node { id: e.id(), ..Node::default() };
        n.description.hostname = format!("node{i}");
        n.description.resources = Resources { nano_cpus: 2_000_000_000, memory_bytes: 2 << 30 };
        n.status.state = NodeState::Ready;
        op(&mut store, Change::CreateNode(Box::new(n)));
    }
    let service = Service {
        id: e.id(),
        spec: ServiceSpec { name: "bench".into(), ..ServiceSpec::default() },
        ..Service::default()
    };
    op(&mut store, Change::CreateService(Box::new(service.clone())));
    let mut state = ManagerState::default();
    for _ in 0..tasks {
        let t = Task {
            id: e.id(),
            service_id: service.id.clone(),
            desired_state: TaskState::Running,
            status: TaskStatus { state: TaskState::Pending, ..TaskStatus::default() },
            ..Task::default()
        };
        state.unassigned.insert(t.id.clone());
        op(&mut store, Change::CreateTask(Box::new(t)));
    }
    (store, state)
}

fn scheduling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scheduler: 1000 nodes");
    g.sample_size(10);
    for tasks in [1_000, 10_000, 100_000] {
        let (store, state) = store_with(1000, tasks);
        g.bench_function(format!("{tasks} pending tasks"), |b| {
            b.iter_batched(
                || state.clone(),
                |mut state| {
                    let mut e = Entropy::new(2);
                    let mut pass = Pass { now: Timestamp(0), entropy: &mut e, changes: Vec::new(), timers: Vec::new() };
                    scheduler::schedule(&mut pass, &store, &mut state);
                    assert_eq!(pass.changes.len(), tasks);
                    pass.changes.len()
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

fn hundred_node_swarm() -> Cluster {
    let mut c = Cluster::new(ClusterConfig { nodes: 100, ..ClusterConfig::default() });
    let run = |c: &mut Cluster, i: usize, args: &str| {
        let argv: Vec<String> = args.split(' ').map(String::from).collect();
        cli::run(&argv, &mut c.client(i), Env::default())
    };
    run(&mut c, 0, "swarm init");
    let token = run(&mut c, 0, "swarm join-token -q worker").stdout.trim().to_string();
    for i in 1..100 {
        run(&mut c, i, &format!("swarm join --token {token} 127.10.0.11:2377"));
    }
    c
}

fn convergence(c: &mut Criterion) {
    let mut g = c.benchmark_group("convergence");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("100 nodes, 10000 replicas to running", |b| {
        b.iter_batched(
            hundred_node_swarm,
            |mut cluster| {
                let spec = ServiceSpec {
                    name: "web".into(),
                    task_template: TaskSpec {
                        container_spec: Some(ContainerSpec { image: "nginx".into(), ..ContainerSpec::default() }),
                        ..TaskSpec::default()
                    },
                    mode: ServiceMode {
                        replicated: Some(ReplicatedService { replicas: Some(10_000) }),
                        ..ServiceMode::default()
                    },
                    ..ServiceSpec::default()
                };
                cluster.client(0).service_create(spec, true).expect("create");
                cluster.run_until_idle();
                cluster
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, scheduling, convergence);
criterion_main!(benches);
