use std::time::Duration;
use swarmlab_engine::api::{Api, Filters};
use swarmlab_engine::cli::{self, Env};
use swarmlab_engine::sim::{Cluster, ClusterConfig};
use swarmlab_engine::types::*;

#[test]
fn six_replicas_spread_two_per_node_and_run() {
    let mut c = Cluster::new(ClusterConfig::default());
    let argv = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    assert_eq!(cli::run(&argv("swarm init"), &mut c.client(0), Env::default()).code, 0);
    let token =
        cli::run(&argv("swarm join-token -q worker"), &mut c.client(0), Env::default()).stdout.trim().to_string();
    for i in 1..3 {
        let out =
            cli::run(&argv(&format!("swarm join --token {token} 127.10.0.11:2377")), &mut c.client(i), Env::default());
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let spec = ServiceSpec {
        name: "web".into(),
        task_template: TaskSpec {
            container_spec: Some(ContainerSpec { image: "nginx".into(), ..Default::default() }),
            ..Default::default()
        },
        mode: ServiceMode { replicated: Some(ReplicatedService { replicas: Some(6) }), ..Default::default() },
        ..Default::default()
    };
    let (id, _) = c.client(0).service_create(spec, true).expect("created");
    c.advance(Duration::from_secs(10));
    let mut f = Filters::default();
    f.add("service", &id);
    let tasks = c.client(0).task_list(&f).expect("tasks");
    for _t in &tasks {}
    assert_eq!(tasks.iter().filter(|t| t.status.state == TaskState::Running).count(), 6);
    let per_node: std::collections::BTreeMap<_, usize> = tasks.iter().fold(Default::default(), |mut m, t| {
        *m.entry(t.node_id.clone()).or_default() += 1;
        m
    });
    assert!(per_node.values().all(|n| *n == 2), "{per_node:?}");
}
