//! Golden transcripts of swarm and node flows through `swarmlab run`'s engine. Seeded,
//! so IDs and tokens are stable; the layouts and messages are Docker 28.2.2's (the
//! fidelity test checks the ID-free ones against real recordings).

mod common;

use common::{docker, transcript};

const JOIN_THREE: &str = "\
node1$ docker swarm init --advertise-addr $(hostname -i)
node1$ WORKER=$(docker swarm join-token -q worker)
node1$ MANAGER=$(docker swarm join-token -q manager)
node2$ docker swarm join --token $WORKER 127.10.0.11:2377
node3$ docker swarm join --token $WORKER 127.10.0.11:2377
";

#[test]
fn init_join_and_tokens() {
    let script = format!(
        "{JOIN_THREE}node1$ docker swarm join-token worker
node1$ docker swarm join-token manager
node1$ docker swarm join-token --rotate manager
node1$ docker swarm join-token -q --rotate worker
node4$ ! docker swarm join --token $MANAGER 127.10.0.11:2377
node1$ MANAGER=$(docker swarm join-token -q manager)
node4$ docker swarm join --token $MANAGER 127.10.0.11:2377
node1$ docker node ls
node1$ docker node ls -q
node1$ docker node ls --filter role=manager --format '{{{{.Hostname}}}}: {{{{.ManagerStatus}}}}'
node1$ docker info
node2$ docker info
"
    );
    insta::assert_snapshot!(transcript(&script, 4, 1));
}

#[test]
fn promote_demote_and_availability() {
    let script = format!(
        "{JOIN_THREE}node1$ docker node promote node2 node3
node1$ docker node promote node2
node1$ docker node ls
node1$ docker node demote node3
node1$ docker node demote node3
node1$ docker node update --availability drain node2
node1$ docker node update --availability pause --label-add zone=eu --label-add ssd node3
node1$ docker node ls
node2$ docker node inspect --pretty node3
node2$ docker node inspect -f '{{{{.Spec.Availability}}}} {{{{json .Spec.Labels}}}}' node3
node1$ docker node update --label-rm ssd --availability active node3
node1$ docker node inspect node3
"
    );
    insta::assert_snapshot!(transcript(&script, 3, 1));
}

#[test]
fn workers_cannot_manage_and_nodes_leave() {
    let script = format!(
        "{JOIN_THREE}node2$ ! docker node ls
node2$ ! docker swarm join-token worker
node2$ ! docker node promote node3
node2$ docker swarm leave
node1$ docker node ls
node1$ ! docker node rm node2
node1$ sleep 20
node1$ docker node ls
node1$ docker node inspect -f '{{{{.Status.State}}}} {{{{.Status.Message}}}}' node2
node1$ docker node rm node2
node3$ ! docker swarm leave --bogus
node3$ docker swarm leave -f
node1$ sleep 1m
node1$ docker node rm --force node3
node1$ docker node ls
"
    );
    insta::assert_snapshot!(transcript(&script, 3, 1));
}

#[test]
fn manager_leave_refusals_and_leader_failover() {
    let script = format!(
        "{JOIN_THREE}node1$ docker node promote node2
node2$ ! docker swarm leave
node1$ docker node promote node3
node2$ ! docker swarm leave
node1$ docker swarm leave --force
node2$ ! docker node ls
node2$ sleep 25
node2$ docker node ls
node3$ docker info --format '{{{{.Swarm.Managers}}}} managers, {{{{.Swarm.Nodes}}}} nodes'
"
    );
    insta::assert_snapshot!(transcript(&script, 3, 1));
}

#[test]
fn bad_tokens_and_unreachable_managers() {
    let mut c = common::initialised(3, 1);
    let token = docker(&mut c, 0, "swarm join-token -q worker").stdout.trim().to_string();
    let mut log = String::new();
    // Right CA, wrong secret.
    let mut wrong_secret = token.clone();
    wrong_secret.replace_range(token.len() - 3.., "abc");
    // A CA digest that is not this swarm's.
    let wrong_ca = format!("SWMTKN-1-{}1-{}", "0".repeat(49), &token[token.len() - 25..]);
    for (label, args) in [
        ("malformed", "swarm join --token SWMTKN-1-nope 127.10.0.11:2377".to_string()),
        (
            "digest past 256 bits",
            format!("swarm join --token SWMTKN-1-{}-{} 127.10.0.11:2377", "z".repeat(50), "0".repeat(25)),
        ),
        ("wrong secret", format!("swarm join --token {wrong_secret} 127.10.0.11:2377")),
        ("wrong CA", format!("swarm join --token {wrong_ca} 127.10.0.11:2377")),
        ("no manager there", format!("swarm join --token {token} 127.10.0.13:2377")),
        ("pending", format!("swarm join --token {token} 127.10.0.11:2377")),
        ("pending info", "info --format {{.Swarm.LocalNodeState}}".to_string()),
        ("leave pending", "swarm leave".to_string()),
        ("join at last", format!("swarm join --token {token} 127.10.0.11")),
    ] {
        let out = docker(&mut c, 1, &args);
        log.push_str(&format!("# {label} (exit {}, waited {:?})\n{}{}", out.code, out.delay, out.stdout, out.stderr));
    }
    insta::assert_snapshot!(log);
}
