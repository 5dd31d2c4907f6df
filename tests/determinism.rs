//! Same seed and script: the same transcript and the same store trace, byte for byte.
//! Another seed: other IDs and tokens, the same shape.

mod common;

use swarmlab::headless::script;
use swarmlab::headless::{Session, run_script};
use swarmlab_engine::sim::ClusterConfig;

const SCRIPT: &str = "\
node1$ docker swarm init --advertise-addr $(hostname -i)
node1$ T=$(docker swarm join-token -q worker)
node1$ M=$(docker swarm join-token -q manager)
node2$ docker swarm join --token $T 127.10.0.11:2377
node3$ docker swarm join --token $M 127.10.0.11:2377
node4$ docker swarm join --token $M 127.10.0.11:2377
node1$ docker swarm join-token --rotate worker
node2$ docker swarm leave
node1$ docker swarm leave --force
node3$ sleep 30
node3$ docker node ls
node3$ docker node inspect self
";

fn config(seed: u64) -> ClusterConfig {
    ClusterConfig { nodes: 4, seed, ..ClusterConfig::default() }
}

fn play(seed: u64) -> (String, String) {
    let steps = script::parse(SCRIPT, "t").expect("parses");
    let mut s = Session::new(config(seed));
    s.cluster.set_tracing(true);
    let t = s.play(&steps);
    assert!(t.failures.is_empty(), "{:?}", t.failures);
    let trace = serde_json::to_string(s.cluster.trace()).expect("trace serializes");
    (t.text, trace)
}

#[test]
fn same_seed_same_transcript_and_trace() {
    let (a, trace_a) = play(7);
    let (b, trace_b) = play(7);
    assert_eq!(a, b);
    assert_eq!(trace_a, trace_b);
    assert!(trace_a.len() > 1000, "the trace records the ops");
}

#[test]
fn another_seed_other_ids_same_shape() {
    let (a, _) = play(7);
    let (b, _) = play(8);
    assert_ne!(a, b);
    let ids = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| {
                w.len() == 25
                    && w.chars().any(|c| c.is_ascii_digit())
                    && w.chars().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
            })
            .map(str::to_string)
            .collect()
    };
    let (ia, ib) = (ids(&a), ids(&b));
    assert_eq!(ia.len(), ib.len(), "same number of IDs printed");
    assert!(ia.iter().all(|id| !ib.contains(id)), "no ID shared between seeds");
    // Which manager wins the election after the leader leaves depends on the seed.
    let leader =
        |t: &str| t.lines().find(|l| l.contains(" Leader ")).map(|l| l.split_whitespace().nth(1).map(str::to_string));
    assert!(leader(&a).is_some() && leader(&b).is_some(), "a leader is elected with either seed");
}

#[test]
fn the_bundled_example_runs_clean_and_stable() {
    let a = run_script(swarmlab::EXAMPLE_SCRIPT, "example", ClusterConfig::default()).expect("parses");
    let b = run_script(swarmlab::EXAMPLE_SCRIPT, "example", ClusterConfig::default()).expect("parses");
    assert!(a.failures.is_empty(), "{:?}", a.failures);
    assert_eq!(a.text, b.text);
}
