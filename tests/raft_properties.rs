//! Property test over managers under random faults (power cuts, network cuts,
//! partitions, heals) interleaved with service changes sent to random nodes: a change
//! acknowledged to the client is never lost; once everything is back, every manager
//! holds the same store; no term ever has two leaders; nothing panics.

mod common;

use common::docker;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::time::Duration;
use swarmlab_engine::sim::Cluster;

const NODES: usize = 6;

#[derive(Debug, Clone)]
enum Op {
    Create { via: usize, name: u8 },
    Scale { via: usize, name: u8, replicas: u8 },
    Power { node: usize, on: bool },
    Cut { node: usize, on: bool },
    Partition { side: Vec<usize> },
    Heal,
    Wait { secs: u8 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..NODES, 0u8..20).prop_map(|(via, name)| Op::Create { via, name }),
        2 => (0..NODES, 0u8..20, 0u8..6).prop_map(|(via, name, replicas)| Op::Scale { via, name, replicas }),
        2 => (0..NODES, any::<bool>()).prop_map(|(node, on)| Op::Power { node, on }),
        1 => (0..NODES, any::<bool>()).prop_map(|(node, on)| Op::Cut { node, on }),
        1 => prop::collection::vec(0..NODES, 1..3).prop_map(|side| Op::Partition { side }),
        1 => Just(Op::Heal),
        3 => (1u8..40).prop_map(|secs| Op::Wait { secs }),
    ]
}

/// Five managers (node1..node5) and a worker (node6).
fn swarm(seed: u64) -> Cluster {
    common::swarm(NODES, 5, seed)
}

fn check_terms(c: &Cluster) -> Result<(), TestCaseError> {
    for (_, s) in c.swarms() {
        let seen = s.group().leaders_seen();
        let terms: BTreeSet<u64> = seen.iter().map(|(t, _)| *t).collect();
        prop_assert_eq!(terms.len(), seen.len(), "two leaders in one term: {:?}", seen);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn acknowledged_changes_survive_and_managers_converge(seed in 0u64..1000, ops in prop::collection::vec(op(), 1..30)) {
        let mut c = swarm(seed);
        let mut acked: BTreeSet<String> = BTreeSet::new();
        for op in &ops {
            match op {
                Op::Create { via, name } => {
                    let out = docker(&mut c, *via, &format!("service create -d --name s{name} nginx"));
                    if out.code == 0 {
                        acked.insert(format!("s{name}"));
                    }
                    // Docker's words when it refuses: no leader, lost leadership, a name taken.
                    prop_assert!(out.code == 0 || !out.stderr.is_empty());
                }
                Op::Scale { via, name, replicas } => {
                    let out = docker(&mut c, *via, &format!("service scale -d s{name}={replicas}"));
                    prop_assert!(out.code == 0 || !out.stderr.is_empty());
                }
                Op::Power { node, on: true } => c.power_on(*node),
                Op::Power { node, on: false } => c.power_off(*node),
                Op::Cut { node, on: true } => c.reconnect(*node),
                Op::Cut { node, on: false } => c.disconnect(*node),
                Op::Partition { side } => c.partition(side),
                Op::Heal => c.heal(),
                Op::Wait { secs } => c.advance(Duration::from_secs(u64::from(*secs))),
            }
            check_terms(&c)?;
        }
        // Everything comes back: one network, every machine on and connected.
        c.heal();
        for i in 0..NODES {
            c.reconnect(i);
            c.power_on(i);
        }
        c.advance(Duration::from_secs(90));
        check_terms(&c)?;
        // Healed and settled, the managers go quiet: nothing left to run.
        c.run_until_idle();
        prop_assert_eq!(c.next_event_at(), None, "the swarm never settles");
        let (_, swarm) = c.swarms().next().expect("a swarm");
        prop_assert!(swarm.leader_node().is_some(), "five managers back and no leader: {:?}", swarm.raft_status());
        let store = swarm.store();
        let names: BTreeSet<String> = store.services.values().map(|s| s.spec.name.clone()).collect();
        for a in &acked {
            prop_assert!(names.contains(a), "acknowledged service {} lost; have {:?}", a, names);
        }
        for (id, replica) in swarm.replicas() {
            prop_assert!(replica == store, "manager {} diverged: index {} vs {}", id, replica.index, store.index);
        }
        let ls = docker(&mut c, 0, "service ls -q");
        prop_assert_eq!(ls.code, 0, "{}", ls.stderr);
        prop_assert_eq!(ls.stdout.lines().count(), names.len());
    }
}
