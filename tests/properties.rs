//! Property tests: random sequences of swarm and node commands on random nodes never
//! panic and keep the swarm's invariants; random argv never panics and always ends with
//! one of docker's exit codes.

mod common;

use common::docker;
use proptest::prelude::*;
use std::time::Duration;
use swarmlab_engine::manager::leadership::quorum;
use swarmlab_engine::sim::{Cluster, ClusterConfig, Membership};

const NODES: usize = 4;

#[derive(Debug, Clone)]
enum Op {
    Init,
    Join { manager_token: bool, via: usize },
    Leave { force: bool },
    Promote(usize),
    Demote(usize),
    Availability(usize, &'static str),
    Label(usize),
    Remove { target: usize, force: bool },
    Rotate,
    Sleep(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::Init),
        4 => (any::<bool>(), 0..NODES).prop_map(|(manager_token, via)| Op::Join { manager_token, via }),
        1 => any::<bool>().prop_map(|force| Op::Leave { force }),
        2 => (0..NODES).prop_map(Op::Promote),
        2 => (0..NODES).prop_map(Op::Demote),
        1 => (0..NODES, prop_oneof![Just("active"), Just("pause"), Just("drain")]).prop_map(|(n, a)| Op::Availability(n, a)),
        1 => (0..NODES).prop_map(Op::Label),
        1 => (0..NODES, any::<bool>()).prop_map(|(target, force)| Op::Remove { target, force }),
        1 => Just(Op::Rotate),
        2 => (1u64..40).prop_map(Op::Sleep),
    ]
}

/// Counts what must add up: nodes created and removed.
#[derive(Default)]
struct Ledger {
    created: usize,
    removed: usize,
}

fn apply(c: &mut Cluster, actor: usize, op: &Op, ledger: &mut Ledger) {
    let host = |n: usize| format!("node{}", n + 1);
    match op {
        Op::Init => {
            if docker(c, actor, "swarm init").code == 0 {
                ledger.created += 1;
            }
        }
        Op::Join { manager_token, via } => {
            let role = if *manager_token { "manager" } else { "worker" };
            let token = docker(c, *via, &format!("swarm join-token -q {role}"));
            if token.code == 0 {
                let addr = &c.machines()[*via].addr;
                let out = docker(c, actor, &format!("swarm join --token {} {addr}:2377", token.stdout.trim()));
                if out.code == 0 {
                    ledger.created += 1;
                }
                c.advance(out.delay);
            }
        }
        Op::Leave { force } => {
            docker(c, actor, if *force { "swarm leave --force" } else { "swarm leave" });
        }
        Op::Promote(t) => {
            docker(c, actor, &format!("node promote {}", host(*t)));
        }
        Op::Demote(t) => {
            docker(c, actor, &format!("node demote {}", host(*t)));
        }
        Op::Availability(t, a) => {
            docker(c, actor, &format!("node update --availability {a} {}", host(*t)));
        }
        Op::Label(t) => {
            docker(c, actor, &format!("node update --label-add zone=z{t} {}", host(*t)));
        }
        Op::Remove { target, force } => {
            // By ID, so that a duplicate hostname (a node that rejoined) is no obstacle.
            let ids: Vec<String> = c
                .swarm_of(actor)
                .map(|s| {
                    s.store()
                        .nodes
                        .values()
                        .filter(|n| n.description.hostname == host(*target))
                        .map(|n| n.id.clone())
                        .collect()
                })
                .unwrap_or_default();
            for id in ids {
                let args = if *force { format!("node rm --force {id}") } else { format!("node rm {id}") };
                if docker(c, actor, &args).code == 0 {
                    ledger.removed += 1;
                }
            }
        }
        Op::Rotate => {
            docker(c, actor, "swarm join-token --rotate -q worker");
        }
        Op::Sleep(s) => c.advance(Duration::from_secs(*s)),
    }
    c.advance(Duration::ZERO);
}

fn check_invariants(c: &mut Cluster, ledger: &Ledger, settled: bool) -> Result<(), TestCaseError> {
    let mut total = 0;
    for (id, swarm) in c.swarms() {
        let store = swarm.store();
        total += store.nodes.len();
        let leaders = usize::from(swarm.leader_node().is_some());
        let seen = swarm.group().leaders_seen();
        let terms: std::collections::BTreeSet<u64> = seen.iter().map(|(t, _)| *t).collect();
        prop_assert_eq!(terms.len(), seen.len(), "swarm {} had two leaders in one term: {:?}", id, seen);
        let managers = store.managers().count();
        let reachable = store
            .managers()
            .filter(|n| {
                c.machines()
                    .iter()
                    .any(|m| m.membership == Membership::Active { cluster: id.clone(), node_id: n.id.clone() })
            })
            .count();
        if settled && managers > 0 && reachable >= quorum(managers) {
            prop_assert_eq!(leaders, 1, "swarm {} has a quorum ({}/{}) but no leader", id, reachable, managers);
        }
    }
    prop_assert_eq!(total, ledger.created - ledger.removed, "node count = joins - removals");
    // Manager-only commands answer exactly on managers of a swarm that has a leader.
    for idx in 0..NODES {
        let is_manager_with_leader = c.machines()[idx].node_id().zip(c.swarm_of(idx)).is_some_and(|(nid, s)| {
            s.store().nodes.get(nid).is_some_and(|n| n.manager_status.is_some()) && s.leader_for(nid).is_some()
        });
        let is_worker = c.machines()[idx]
            .node_id()
            .zip(c.swarm_of(idx))
            .is_some_and(|(nid, s)| s.store().nodes.get(nid).is_some_and(|n| n.manager_status.is_none()));
        let out = docker(c, idx, "node ls -q");
        prop_assert_eq!(out.code == 0, is_manager_with_leader, "node{} answered node ls: {}", idx + 1, out.stderr);
        if is_worker {
            prop_assert!(
                out.stderr.contains("Worker nodes can't be used to view or modify cluster state"),
                "{}",
                out.stderr
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_swarm_sessions_keep_invariants(seed in any::<u64>(), ops in prop::collection::vec((0..NODES, op()), 1..40)) {
        let mut c = Cluster::new(ClusterConfig { nodes: NODES, seed, ..ClusterConfig::default() });
        let mut ledger = Ledger::default();
        for (actor, op) in &ops {
            apply(&mut c, *actor, op, &mut ledger);
            check_invariants(&mut c, &ledger, false)?;
        }
        c.run_until_idle();
        check_invariants(&mut c, &ledger, true)?;
    }

    #[test]
    fn random_argv_never_panics(
        node in 0..3usize,
        words in prop::collection::vec(prop_oneof![
            Just("swarm".to_string()), Just("node".to_string()), Just("init".to_string()), Just("join".to_string()),
            Just("join-token".to_string()), Just("leave".to_string()), Just("update".to_string()), Just("ls".to_string()),
            Just("inspect".to_string()), Just("promote".to_string()), Just("demote".to_string()), Just("rm".to_string()),
            Just("ps".to_string()), Just("info".to_string()), Just("version".to_string()), Just("--format".to_string()),
            Just("-f".to_string()), Just("-q".to_string()), Just("--filter".to_string()), Just("--force".to_string()),
            Just("--token".to_string()), Just("--availability".to_string()), Just("--role".to_string()),
            Just("--label-add".to_string()), Just("--label-rm".to_string()), Just("--pretty".to_string()),
            Just("--rotate".to_string()), Just("self".to_string()), Just("node1".to_string()), Just("worker".to_string()),
            Just("manager".to_string()), Just("{{.ID}}".to_string()), Just("{{json .}}".to_string()), Just("{{".to_string()),
            Just("{{.Nope.Nope}}".to_string()), Just("--".to_string()), Just("-".to_string()), Just("".to_string()),
            Just("--advertise-addr".to_string()), Just("--listen-addr".to_string()), Just("--task-history-limit".to_string()),
            "[a-z=:.,{}\\-]{0,12}", "\\PC{0,8}",
        ], 0..8),
    ) {
        let mut c = common::initialised(3, 5);
        let out = swarmlab_engine::cli::run(&words, &mut c.client(node), Default::default());
        prop_assert!([0, 1, 64, 125].contains(&out.code), "exit {} for {:?}", out.code, words);
        if out.code != 0 {
            prop_assert!(!out.stderr.is_empty(), "a failure says why: {:?}", words);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Malformed service flags get docker's errors, create nothing and never panic.
    #[test]
    fn bad_service_input_creates_nothing(
        words in prop::collection::vec(prop_oneof![
            Just("--publish".to_string()), Just("-p".to_string()), Just("8080:80".to_string()), Just("abc".to_string()),
            Just("published=80,target=80".to_string()), Just("published=80".to_string()), Just("80/xyz".to_string()),
            Just("--constraint".to_string()), Just("node.role==manager".to_string()), Just("foo".to_string()),
            Just("--mount".to_string()), Just("type=bind,source=/a,target=/b".to_string()), Just("source=/x".to_string()),
            Just("--restart-delay".to_string()), Just("5".to_string()), Just("5s".to_string()), Just("-1s".to_string()),
            Just("--limit-memory".to_string()), Just("10x".to_string()), Just("512m".to_string()),
            Just("--reserve-cpu".to_string()), Just("0.5".to_string()), Just("1/0".to_string()),
            Just("--replicas".to_string()), Just("-3".to_string()), Just("2".to_string()), Just("--mode".to_string()),
            Just("global".to_string()), Just("bogus".to_string()), Just("--update-max-failure-ratio".to_string()),
            Just("2".to_string()), Just("--name".to_string()), Just("bad name".to_string()), Just("--bogus".to_string()),
            Just("--restart-condition".to_string()), Just("sometimes".to_string()), Just("--update-order".to_string()),
            "[a-z0-9=:,./-]{0,10}",
        ], 0..6),
    ) {
        let mut c = common::initialised(3, 9);
        let before = c.swarms().map(|(_, s)| s.store().services.len()).sum::<usize>();
        let mut argv: Vec<String> = vec!["service".into(), "create".into(), "-d".into()];
        argv.extend(words.iter().cloned());
        argv.push("nginx".into());
        let out = swarmlab_engine::cli::run(&argv, &mut c.client(0), Default::default());
        let after = c.swarms().map(|(_, s)| s.store().services.len()).sum::<usize>();
        prop_assert!([0, 1, 125].contains(&out.code), "exit {} for {:?}", out.code, argv);
        if out.code != 0 {
            prop_assert!(!out.stderr.is_empty());
            prop_assert_eq!(before, after, "a failed create left a service: {:?}\n{}", argv, out.stderr);
        } else {
            prop_assert_eq!(before + 1, after);
        }
    }
}
