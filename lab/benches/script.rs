//! A 100-line transcript script through `swarmlab run`'s engine. Target: ≤ 30 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use swarmlab::headless::run_script;
use swarmlab_engine::sim::ClusterConfig;

/// 100 lines: a 10-node swarm formed, inspected, reshaped and partly dismantled.
fn script() -> String {
    let mut s = String::from(
        "node1$ docker swarm init --advertise-addr $(hostname -i)\nnode1$ W=$(docker swarm join-token -q worker)\nnode1$ M=$(docker swarm join-token -q manager)\n",
    );
    for n in 2..=10 {
        let token = if n <= 3 { "$M" } else { "$W" };
        s.push_str(&format!("node{n}$ docker swarm join --token {token} 127.10.0.11:2377\n"));
    }
    for n in 1..=10 {
        s.push_str(&format!("node1$ docker node inspect --pretty node{n}\n"));
        s.push_str(&format!("node1$ docker node update --label-add zone=z{} node{n}\n", n % 3));
        s.push_str(&format!(
            "node2$ docker node inspect -f '{{{{.Spec.Availability}}}} {{{{json .Spec.Labels}}}}' node{n}\n"
        ));
        s.push_str("node3$ docker node ls\n");
        s.push_str(&format!("node1$ docker node ps node{n}\n"));
        s.push_str(&format!("node{n}$ hostname -i\n"));
        s.push_str(&format!("node1$ docker node ls -q --filter name=node{n}\n"));
    }
    for n in 4..=10 {
        s.push_str(&format!("node1$ docker node update --availability drain node{n}\n"));
    }
    for n in 4..=9 {
        s.push_str(&format!("node{n}$ docker swarm leave\n"));
    }
    s.push_str("node1$ sleep 30\nnode1$ docker node ls\nnode1$ docker info\nnode1$ docker swarm join-token --rotate worker\nnode1$ docker node demote node3\n");
    assert_eq!(s.lines().count(), 100);
    s
}

fn bench(c: &mut Criterion) {
    let src = script();
    c.bench_function("100-line script", |b| {
        b.iter(|| {
            let t = run_script(&src, "bench", ClusterConfig { nodes: 10, ..ClusterConfig::default() }).expect("parses");
            assert!(t.failures.is_empty(), "{:?}", t.failures);
            t.text.len()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
