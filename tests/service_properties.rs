//! Property tests over random clusters, services, constraints, drains, pauses and node
//! failures: once settled, each replicated service runs as many tasks as fit; nothing
//! runs on a drained or down node; constraints, max-per-node and reservations hold; a
//! stop-first slot never has two running tasks; tasks only move forward.

mod common;

use common::docker;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::time::Duration;
use swarmlab_engine::manager::scheduler::constraint;
use swarmlab_engine::sim::Cluster;
use swarmlab_engine::types::{NodeAvailability, NodeState, TaskState};

const NODES: usize = 5;

#[derive(Debug, Clone)]
enum Op {
    Create { name: u8, replicas: u8, constraint: u8, max_per_node: u8, reserve_gb: u8, order_start_first: bool },
    Scale { name: u8, replicas: u8 },
    Update { name: u8 },
    Availability { node: usize, which: u8 },
    Power { node: usize, on: bool },
    Label { node: usize },
    Wait { secs: u8 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..3, 0u8..9, 0u8..4, 0u8..3, 0u8..3, any::<bool>()).prop_map(|(name, replicas, constraint, max_per_node, reserve_gb, order_start_first)| Op::Create { name, replicas, constraint, max_per_node, reserve_gb, order_start_first }),
        2 => (0u8..3, 0u8..9).prop_map(|(name, replicas)| Op::Scale { name, replicas }),
        1 => (0u8..3).prop_map(|name| Op::Update { name }),
        2 => (1..NODES, 0u8..3).prop_map(|(node, which)| Op::Availability { node, which }),
        1 => (1..NODES, any::<bool>()).prop_map(|(node, on)| Op::Power { node, on }),
        1 => (0..NODES).prop_map(|node| Op::Label { node }),
        2 => (1u8..30).prop_map(|secs| Op::Wait { secs }),
    ]
}

const CONSTRAINTS: [&str; 4] = ["", "node.role==manager", "node.role==worker", "node.labels.zone==a"];

fn apply(c: &mut Cluster, op: &Op) {
    match op {
        Op::Create { name, replicas, constraint, max_per_node, reserve_gb, order_start_first } => {
            let mut args = format!("service create -d --name s{name} --replicas {replicas}");
            let cons = CONSTRAINTS[*constraint as usize];
            if !cons.is_empty() {
                args.push_str(&format!(" --constraint {cons}"));
            }
            if *max_per_node > 0 {
                args.push_str(&format!(" --replicas-max-per-node {max_per_node}"));
            }
            if *reserve_gb > 0 {
                args.push_str(&format!(" --reserve-memory {reserve_gb}g"));
            }
            if *order_start_first {
                args.push_str(" --update-order start-first");
            }
            args.push_str(" nginx");
            docker(c, 0, &args);
        }
        Op::Scale { name, replicas } => {
            docker(c, 0, &format!("service scale -d s{name}={replicas}"));
        }
        Op::Update { name } => {
            docker(c, 0, &format!("service update -d --force s{name}"));
        }
        Op::Availability { node, which } => {
            let a = ["active", "pause", "drain"][*which as usize];
            docker(c, 0, &format!("node update --availability {a} node{}", node + 1));
        }
        Op::Power { node, on } => {
            if *on {
                c.power_on(*node);
            } else {
                c.power_off(*node);
            }
        }
        Op::Label { node } => {
            docker(c, 0, &format!("node update --label-add zone=a node{}", node + 1));
        }
        Op::Wait { secs } => c.advance(Duration::from_secs(u64::from(*secs))),
    }
}

/// Checks that hold at every moment: states only move forward; no stop-first slot
/// runs two tasks at once.
fn always(c: &Cluster, seen: &mut BTreeMap<String, TaskState>) -> Result<(), TestCaseError> {
    for (_, swarm) in c.swarms() {
        let store = &swarm.store();
        for t in store.tasks.values() {
            let before = seen.insert(t.id.clone(), t.status.state).unwrap_or(TaskState::New);
            prop_assert!(t.status.state >= before, "task {} went back from {:?} to {:?}", t.id, before, t.status.state);
        }
        for s in store.services.values() {
            let start_first = s.spec.update_config.as_ref().is_some_and(|u| u.order == "start-first");
            if start_first {
                continue;
            }
            let mut running: BTreeMap<u64, usize> = BTreeMap::new();
            for t in store
                .service_tasks(&s.id)
                .filter(|t| t.status.state == TaskState::Running && t.desired_state == TaskState::Running)
            {
                *running.entry(t.slot).or_default() += 1;
            }
            prop_assert!(running.values().all(|n| *n <= 1), "stop-first slot with two running tasks: {running:?}");
        }
    }
    Ok(())
}

/// Checks that hold once the swarm has settled.
fn settled(c: &Cluster) -> Result<(), TestCaseError> {
    for (_, swarm) in c.swarms() {
        let store = swarm.store();
        // Without a leader (quorum lost) nothing is orchestrated, as in Docker.
        if swarm.leader_node().is_none() {
            continue;
        }
        for s in store.services.values() {
            let tasks: Vec<_> = store.service_tasks(&s.id).collect();
            let running: Vec<_> = tasks
                .iter()
                .filter(|t| t.status.state == TaskState::Running && t.desired_state == TaskState::Running)
                .collect();
            let replicas = s.spec.mode.replicas().unwrap_or(0) as usize;
            // A start-first slot whose new task failed before running keeps its old task
            // too (swarmkit pauses the update and retires nothing): count slots there.
            let start_first = s.spec.update_config.as_ref().is_some_and(|u| u.order == "start-first");
            let slots: std::collections::BTreeSet<u64> = running.iter().map(|t| t.slot).collect();
            let count = if start_first { slots.len() } else { running.len() };
            prop_assert!(count <= replicas, "{} runs {} of {}", s.spec.name, count, replicas);
            if count < replicas {
                let unplaced = tasks
                    .iter()
                    .filter(|t| t.status.state == TaskState::Pending && t.status.err.starts_with("no suitable node"))
                    .count();
                prop_assert!(
                    count + unplaced >= replicas,
                    "{}: {} running, {} unplaced, {} wanted",
                    s.spec.name,
                    count,
                    unplaced,
                    replicas
                );
            }
            let placement = s.spec.task_template.placement.clone().unwrap_or_default();
            let cons = constraint::parse_all(&placement.constraints).unwrap_or_default();
            let mut per_node: BTreeMap<&str, u64> = BTreeMap::new();
            for t in &running {
                let node = &store.nodes[&t.node_id];
                prop_assert!(
                    constraint::node_matches(&cons, node),
                    "{} runs on {} against {:?}",
                    s.spec.name,
                    node.description.hostname,
                    placement.constraints
                );
                *per_node.entry(&t.node_id).or_default() += 1;
            }
            if placement.max_replicas > 0 {
                prop_assert!(per_node.values().all(|n| *n <= placement.max_replicas));
            }
        }
        let mut reserved: BTreeMap<&str, i64> = BTreeMap::new();
        for t in store
            .tasks
            .values()
            .filter(|t| t.desired_state == TaskState::Running && t.status.state == TaskState::Running)
        {
            let node = &store.nodes[&t.node_id];
            prop_assert!(
                node.status.state != NodeState::Down && node.spec.availability != NodeAvailability::Drain,
                "task {} meant to run on {} which is {:?}/{:?}",
                t.id,
                node.description.hostname,
                node.status.state,
                node.spec.availability
            );
            let mem = t.spec.resources.as_ref().and_then(|r| r.reservations.as_ref()).map_or(0, |r| r.memory_bytes);
            *reserved.entry(&t.node_id).or_default() += mem;
        }
        for (node, mem) in reserved {
            prop_assert!(mem <= store.nodes[node].description.resources.memory_bytes, "node {node} over-reserved");
        }
    }
    Ok(())
}

/// Builds the swarm the properties run on: node1 manager, `managers - 1` more.
fn swarm(seed: u64, managers: usize) -> Cluster {
    common::swarm(NODES, managers, seed)
}

/// Runs `ops` a second apart, checking `always` throughout, then settles and checks.
fn run(c: &mut Cluster, ops: &[Op]) -> Result<(), TestCaseError> {
    let mut seen = BTreeMap::new();
    for op in ops {
        apply(c, op);
        always(c, &mut seen)?;
        for _ in 0..4 {
            c.advance(Duration::from_millis(250));
            always(c, &mut seen)?;
        }
    }
    // Let everything settle: heartbeats expire, restarts and updates finish.
    c.advance(Duration::from_secs(120));
    always(c, &mut seen)?;
    settled(c)
}

/// The new task of a start-first update is drained before it runs: swarmkit pauses the
/// update and, the new task never having run, keeps the old one; the orchestrator
/// replaces the drained one. The slot runs two tasks until the learner acts, as in Docker.
#[test]
fn start_first_update_drained_before_running_pauses_and_keeps_the_old_task() {
    let mut c = swarm(6782169950093247, 1);
    let create =
        Op::Create { name: 1, replicas: 1, constraint: 0, max_per_node: 0, reserve_gb: 0, order_start_first: true };
    run(&mut c, &[create, Op::Update { name: 1 }]).unwrap_or_else(|e| panic!("{e}"));
    apply(&mut c, &Op::Update { name: 1 });
    // Drain the node the new task went to, before it runs.
    let ps = docker(&mut c, 0, "service ps s1 --format {{.Node}}/{{.CurrentState}}").stdout;
    let newest = ps.lines().next().unwrap_or_default();
    assert!(!newest.contains("Running"), "the new task is not running yet: {ps}");
    let node = newest.split('/').next().and_then(|n| n.strip_prefix("node")).and_then(|n| n.parse::<usize>().ok());
    let node = node.expect("a node name") - 1;
    run(&mut c, &[Op::Availability { node, which: 2 }]).unwrap_or_else(|e| panic!("{e}"));
    let status = docker(&mut c, 0, "service inspect s1 --format {{.UpdateStatus.State}}");
    assert_eq!(status.stdout, "paused\n");
    let ps = docker(&mut c, 0, "service ps s1 --filter desired-state=running --format {{.Name}}/{{.CurrentState}}");
    let running: Vec<&str> = ps.stdout.lines().filter(|l| l.starts_with("s1.1/Running")).collect();
    assert_eq!(running.len(), 2, "{}", ps.stdout);
}

/// Found by the property below: a second update while the first one's new task is still
/// starting. swarmkit cancels the first run; the second replaces every task in the slot.
#[test]
fn second_update_mid_start_first_replaces_the_whole_slot() {
    let mut c = swarm(69952320150282030, 1);
    let ops = [
        Op::Create { name: 1, replicas: 0, constraint: 2, max_per_node: 0, reserve_gb: 0, order_start_first: true },
        Op::Power { node: 2, on: false },
        Op::Scale { name: 1, replicas: 1 },
        Op::Update { name: 1 },
        Op::Update { name: 1 },
    ];
    run(&mut c, &ops).unwrap_or_else(|e| panic!("{e}"));
    let status = docker(&mut c, 0, "service inspect s1 --format {{.UpdateStatus.State}}");
    assert_eq!(status.stdout, "completed\n");
}

/// A worker is powered off and drained before it is seen down: the replacement waits
/// for the old task to stop, which it never reports. swarmkit stops waiting once the
/// node is down (or after a minute); so must we.
#[test]
fn replacement_for_a_task_on_a_powered_off_node_starts() {
    let mut c = swarm(1749021951520583765, 2);
    let ops = [
        Op::Create { name: 0, replicas: 4, constraint: 2, max_per_node: 0, reserve_gb: 0, order_start_first: false },
        Op::Power { node: 2, on: false },
        Op::Availability { node: 2, which: 2 },
    ];
    run(&mut c, &ops).unwrap_or_else(|e| panic!("{e}"));
    let ls = docker(&mut c, 0, "service ls --format {{.Replicas}}");
    assert_eq!(ls.stdout, "4/4\n");
}

/// An update's new task waits on a powered-off node for its old task to stop; the node
/// is then seen down. Restarting the new task must cancel its pending start, or the
/// start revives it and the slot gets two replacements.
#[test]
fn restarted_task_never_starts_from_an_old_delayed_start() {
    let mut c = swarm(0, 1);
    let ops = [
        Op::Create { name: 0, replicas: 5, constraint: 0, max_per_node: 2, reserve_gb: 0, order_start_first: false },
        Op::Power { node: 1, on: false },
        Op::Update { name: 0 },
        Op::Availability { node: 2, which: 2 },
        Op::Availability { node: 3, which: 2 },
        Op::Scale { name: 0, replicas: 3 },
    ];
    run(&mut c, &ops).unwrap_or_else(|e| panic!("{e}"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn services_keep_their_invariants(seed in any::<u64>(), managers in 1usize..3, ops in prop::collection::vec(op(), 1..25)) {
        let mut c = swarm(seed, managers);
        run(&mut c, &ops)?;
    }
}
