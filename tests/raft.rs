//! Managers under faults, through Raft: a leader that dies and is replaced, a
//! two-manager swarm that loses its quorum and gets it back, `--force-new-cluster`,
//! and a partition. Golden transcripts (seeded), plus the timing and determinism
//! they promise.

mod common;

use common::{docker, transcript};
use std::time::Duration;
use swarmlab_engine::sim::Cluster;

const NO_LEADER: &str = "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";

/// Three managers (node1 leads) and one worker, running a service.
const THREE_MANAGERS: &str = "\
node1$ docker swarm init --advertise-addr $(hostname -i)
node1$ MANAGER=$(docker swarm join-token -q manager)
node1$ WORKER=$(docker swarm join-token -q worker)
node2$ docker swarm join --token $MANAGER 127.10.0.11:2377
node3$ docker swarm join --token $MANAGER 127.10.0.11:2377
node4$ docker swarm join --token $WORKER 127.10.0.11:2377
node1$ docker service create -d --name web --replicas 4 nginx
node1$ sleep 5
node1$ docker node ls
";

#[test]
fn the_leader_powers_off_and_another_manager_takes_over() {
    let script = format!(
        "{THREE_MANAGERS}node2$ lab node off node1
# The followers still wait for node1: no leader answers yet.
node2$ ! docker node ls
node2$ sleep 20
node2$ docker node ls
node2$ docker service scale web=6 -d
node2$ sleep 40
node2$ docker node ls
node2$ docker service ls
node2$ lab node on node1
node2$ sleep 10
node1$ docker node ls
node1$ docker service ps web --filter desired-state=running --format '{{{{.Name}}}} {{{{.Node}}}} {{{{.CurrentState}}}}'
"
    );
    insta::assert_snapshot!(transcript(&script, 4, 1));
}

#[test]
fn two_managers_lose_the_quorum_and_get_it_back() {
    let script = "\
node1$ docker swarm init --advertise-addr $(hostname -i)
node1$ MANAGER=$(docker swarm join-token -q manager)
node1$ WORKER=$(docker swarm join-token -q worker)
node2$ docker swarm join --token $MANAGER 127.10.0.11:2377
node3$ docker swarm join --token $WORKER 127.10.0.11:2377
node1$ docker service create -d --name web --replicas 3 nginx
node1$ sleep 5
node1$ lab node off node2
# node1 still leads for a moment, but cannot commit: it gives up when it steps down.
node1$ ! docker service scale web=4 -d
node1$ sleep 10
node1$ ! docker service scale web=4 -d
node1$ ! docker node ls
node1$ ! docker service ls
node1$ docker info --format '{{.Swarm.Error}}'
# The worker's tasks keep running without a leader.
node3$ docker ps --format '{{.Names}} {{.Status}}'
node1$ lab node on node2
node1$ sleep 20
node1$ docker service scale web=4 -d
node1$ sleep 5
node1$ docker node ls
node1$ docker service ls
";
    insta::assert_snapshot!(transcript(script, 3, 1));
}

#[test]
fn force_new_cluster_recovers_a_swarm_that_lost_its_quorum() {
    let script = format!(
        "{THREE_MANAGERS}node1$ lab node off node2
node1$ lab node off node3
# Without news from a quorum, node1 steps down within two election timeouts.
node1$ sleep 40
node1$ ! docker service ls
node1$ docker swarm init --force-new-cluster --advertise-addr $(hostname -i)
node1$ docker node ls
node1$ docker service scale web=2 -d
node1$ sleep 40
node1$ docker node ls
node1$ docker service ps web --filter desired-state=running --format '{{{{.Name}}}} {{{{.Node}}}}'
node1$ docker info --format '{{{{.Swarm.Managers}}}} managers, {{{{.Swarm.Nodes}}}} nodes'
"
    );
    insta::assert_snapshot!(transcript(&script, 4, 1));
}

#[test]
fn a_partition_leaves_the_majority_side_in_charge() {
    let script = format!(
        "{THREE_MANAGERS}node1$ lab partition node1
node1$ sleep 30
node1$ ! docker node ls
node2$ docker node ls
node2$ docker service scale web=5 -d
node1$ lab heal
node1$ sleep 20
node1$ docker node ls
node1$ docker service ls
"
    );
    insta::assert_snapshot!(transcript(&script, 4, 1));
}

/// Three managers running a service of three replicas.
fn three_managers(seed: u64) -> Cluster {
    let mut c = common::swarm(3, 3, seed);
    docker(&mut c, 0, "service create -d --name web --replicas 3 nginx");
    c.advance(Duration::from_secs(5));
    c
}

/// Seconds from the leader's power-off until a manager answers `node ls` again.
fn election_after(c: &mut Cluster) -> u64 {
    c.power_off(0);
    for s in 1..=60 {
        c.advance(Duration::from_secs(1));
        if docker(c, 1, "node ls").code == 0 {
            return s;
        }
    }
    panic!("no leader after a minute");
}

#[test]
fn a_new_leader_is_elected_within_the_election_timeout_for_every_seed() {
    for seed in 1..=20 {
        let mut c = three_managers(seed);
        let waited = election_after(&mut c);
        // Election timeouts are 10 to 19 ticks of 1 s; the first follower to time out
        // may find the other still in its leader's lease and win at its own timeout.
        assert!((10..=20).contains(&waited), "seed {seed}: elected after {waited} s");
        let ls = docker(&mut c, 1, "node ls --format {{.Hostname}}:{{.ManagerStatus}}").stdout;
        assert!(ls.contains("node1:Unreachable"), "{ls}");
        assert_eq!(ls.matches(":Leader").count(), 1, "{ls}");
        assert!(!ls.contains("node1:Leader"), "{ls}");
        let scaled = docker(&mut c, 1, "service scale -d web=5");
        assert_eq!(scaled.code, 0, "the new leader accepts changes: {}", scaled.stderr);
    }
}

#[test]
fn nodes_show_unknown_for_a_moment_after_a_leader_change() {
    let mut c = three_managers(3);
    election_after(&mut c);
    let ls = docker(&mut c, 1, "node ls --format {{.Hostname}}:{{.Status}}").stdout;
    assert!(ls.contains("node1:Unknown"), "the lost leader is Unknown first: {ls}");
    let inspect = docker(&mut c, 1, "node inspect node1 --format {{.Status.Message}}").stdout;
    assert_eq!(inspect.trim(), "Node moved to \"unknown\" state due to leadership change in cluster");
    c.advance(Duration::from_secs(3));
    let ls = docker(&mut c, 1, "node ls --format {{.Hostname}}:{{.Status}}").stdout;
    assert!(ls.contains("node2:Ready") && ls.contains("node3:Ready"), "{ls}");
    c.advance(Duration::from_secs(40));
    let ls = docker(&mut c, 1, "node ls --format {{.Hostname}}:{{.Status}}").stdout;
    assert!(ls.contains("node1:Down"), "{ls}");
    let inspect = docker(&mut c, 1, "node inspect node1 --format {{.Status.Message}}").stdout;
    assert_eq!(inspect.trim(), "heartbeat failure for node in \"unknown\" state");
}

#[test]
fn the_same_seed_and_faults_give_the_same_election_and_transcript() {
    let run = || {
        let mut c = three_managers(7);
        c.set_tracing(true);
        let waited = election_after(&mut c);
        let ls = docker(&mut c, 1, "node ls").stdout;
        let raft = c.swarms().next().map(|(_, s)| s.raft_status());
        (waited, ls, raft, format!("{:?}", c.trace()))
    };
    let (a, b) = (run(), run());
    assert!(a.2.as_ref().is_some_and(|r| r.leader.is_some()), "{:?}", a.2);
    assert_eq!(a, b);
}

#[test]
fn demote_and_leave_refuse_to_lose_the_quorum() {
    let mut c = three_managers(2);
    c.power_off(2);
    c.advance(Duration::from_secs(30));
    let out = docker(&mut c, 0, "node demote node2");
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Error response from daemon: rpc error: code = FailedPrecondition desc = can't remove member from the raft: this would result in a loss of quorum\n"
    );
    let out = docker(&mut c, 1, "swarm leave");
    assert!(out.stderr.contains("Removing this node leaves 1 managers out of 3."), "{}", out.stderr);
    // With node3 back, demoting it keeps a quorum of two.
    c.power_on(2);
    c.advance(Duration::from_secs(5));
    assert_eq!(docker(&mut c, 0, "node demote node3").code, 0);
    c.advance(Duration::from_secs(5));
    let managers = docker(&mut c, 0, "node ls --filter role=manager -q").stdout.lines().count();
    assert_eq!(managers, 2);
    let raft = c.swarms().next().map(|(_, s)| s.raft_status()).expect("a swarm");
    assert_eq!(raft.members.len(), 2, "node3 left the Raft group: {raft:?}");
}

#[test]
fn demoting_the_leader_hands_leadership_over_at_once() {
    let mut c = three_managers(4);
    assert_eq!(docker(&mut c, 1, "node demote node1").code, 0);
    let raft = c.swarms().next().map(|(_, s)| s.raft_status()).expect("a swarm");
    assert!(raft.leader.is_some(), "no gap without a leader: {raft:?}");
    assert_eq!(raft.members.len(), 2);
    let ls = docker(&mut c, 1, "node ls --format {{.Hostname}}:{{.ManagerStatus}}").stdout;
    assert!(ls.contains("node1:\n"), "{ls}");
}

#[test]
fn the_no_leader_error_is_dockers() {
    let mut c = three_managers(5);
    c.power_off(1);
    c.power_off(2);
    c.advance(Duration::from_secs(40));
    let out = docker(&mut c, 0, "service ls");
    assert_eq!(out.stderr, format!("Error response from daemon: rpc error: code = Unknown desc = {NO_LEADER}\n"));
}

#[test]
fn a_manager_powered_back_on_catches_up_from_the_log() {
    let mut c = three_managers(6);
    c.power_off(2);
    c.advance(Duration::from_secs(2));
    // Changes node3 misses while it is off.
    assert_eq!(docker(&mut c, 0, "service scale -d web=6").code, 0);
    assert_eq!(docker(&mut c, 0, "service create -d --name api --replicas 2 nginx").code, 0);
    c.advance(Duration::from_secs(30));
    let (_, s) = c.swarms().next().expect("a swarm");
    let node3 = s.raft_status().members.iter().find(|(_, _, up)| !up).map(|(_, id, _)| *id).expect("node3 is off");
    let behind = s.replicas().find(|(id, _)| *id == node3).map(|(_, r)| r.index).unwrap_or_default();
    assert!(behind < s.store().index, "node3 missed the changes");
    c.power_on(2);
    c.advance(Duration::from_secs(5));
    let (_, s) = c.swarms().next().expect("a swarm");
    assert!(s.replicas().all(|(_, r)| r == s.store()), "every manager holds the leader's store");
    let ls = docker(&mut c, 2, "service ls --format {{.Name}}:{{.Replicas}}").stdout;
    assert_eq!(ls, "api:2/2\nweb:6/6\n");
}

#[test]
fn a_crash_looping_swarm_keeps_its_logs_short_and_late_managers_catch_up_from_a_snapshot() {
    let mut c = common::swarm(3, 1, 1);
    assert_eq!(docker(&mut c, 0, "service create -d --name crash busybox false").code, 0);
    assert_eq!(docker(&mut c, 0, "service create -d --name web --replicas 2 nginx").code, 0);
    c.advance(Duration::from_secs(2 * 3600));
    {
        let (_, swarm) = c.swarms().next().expect("a swarm");
        let group = swarm.group();
        assert!(group.commit_index(1) > 4000, "enough entries to compact: {}", group.commit_index(1));
        assert!(group.log_len(1) < 2100, "the log keeps only the latest entries: {}", group.log_len(1));
        assert!(swarm.kept_batches() < 600, "applied batches are folded: {}", swarm.kept_batches());
    }
    // Two managers join long after the log began: they start from the leader's store.
    assert_eq!(docker(&mut c, 0, "node promote node2 node3").code, 0);
    c.advance(Duration::from_secs(10));
    {
        let (_, swarm) = c.swarms().next().expect("a swarm");
        let stores: Vec<String> =
            swarm.replicas().map(|(_, s)| serde_json::to_string(&s.services).unwrap_or_default()).collect();
        assert_eq!(stores.len(), 3);
        assert!(stores.iter().all(|s| *s == stores[0]), "every manager holds the same services");
    }
    // The first manager goes: the others lead on, from what they were given.
    c.power_off(0);
    c.advance(Duration::from_secs(60));
    let ls = docker(&mut c, 1, "service ls --format '{{.Name}}'");
    assert_eq!((ls.code, ls.stdout.as_str()), (0, "crash\nweb\n"), "{}", ls.stderr);
    assert_eq!(docker(&mut c, 1, "service scale -d web=3").code, 0);
    c.advance(Duration::from_secs(10));
    let ps = docker(&mut c, 2, "service ps web -q --filter desired-state=running");
    assert_eq!(ps.stdout.lines().count(), 3, "{}", ps.stdout);
}
