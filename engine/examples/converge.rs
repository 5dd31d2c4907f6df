//! Profiling aid: a 100-node swarm converging a service of N replicas (default 2,000).
use swarmlab_engine::api::Api;
use swarmlab_engine::cli::{self, Env};
use swarmlab_engine::sim::{Cluster, ClusterConfig};
use swarmlab_engine::types::*;

fn main() {
    let replicas: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
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
    let spec = ServiceSpec {
        name: "web".into(),
        task_template: TaskSpec {
            container_spec: Some(ContainerSpec { image: "nginx".into(), ..Default::default() }),
            ..Default::default()
        },
        mode: ServiceMode { replicated: Some(ReplicatedService { replicas: Some(replicas) }), ..Default::default() },
        ..Default::default()
    };
    let t = std::time::Instant::now();
    c.client(0).service_create(spec, true).expect("create");
    c.run_until_idle();
    eprintln!("{replicas} replicas converged in {:?}", t.elapsed());
}
