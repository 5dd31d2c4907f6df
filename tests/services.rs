//! Golden transcripts of services in action (issue scenarios): placement, drain,
//! constraints, rolling updates, automatic rollback, pending tasks, published ports.

mod common;

use common::{transcript, transcript_with_files};

const SWARM3: &str = "\
node1$ docker swarm init --advertise-addr $(hostname -i)
node1$ T=$(docker swarm join-token -q worker)
node2$ docker swarm join --token $T 127.10.0.11:2377
node3$ docker swarm join --token $T 127.10.0.11:2377
";

#[test]
fn six_replicas_two_per_node_then_drain() {
    let script = format!(
        "{SWARM3}node1$ docker service create --name web --replicas 6 --publish 8080:80 nginx
node1$ docker service ls
node1$ docker service ps web
node1$ docker node update --availability drain node2
node1$ sleep 5
node1$ docker service ps web
node1$ docker node ps node2
node2$ docker ps -a
"
    );
    insta::assert_snapshot!(transcript(&script, 3, 1));
}

#[test]
fn manager_constraint_scaled_up_and_down() {
    let script = "\
node1$ docker swarm init
node1$ M=$(docker swarm join-token -q manager)
node1$ W=$(docker swarm join-token -q worker)
node2$ docker swarm join --token $M 127.10.0.11:2377
node3$ docker swarm join --token $W 127.10.0.11:2377
node4$ docker swarm join --token $W 127.10.0.11:2377
node5$ docker swarm join --token $W 127.10.0.11:2377
node6$ docker swarm join --token $W 127.10.0.11:2377
node7$ docker swarm join --token $W 127.10.0.11:2377
node8$ docker swarm join --token $W 127.10.0.11:2377
node1$ docker service create -d --name admin --constraint node.role==manager redis
node1$ docker service scale -d admin=5
node1$ sleep 10
node1$ docker service ps admin
node1$ docker service scale -d admin=2
node1$ sleep 5
node1$ docker service ps admin
";
    let out = transcript(script, 8, 1);
    // All five on the two managers, then one per manager.
    let after_up = out.split("scale -d admin=2").next().unwrap_or_default();
    assert!(!after_up.contains("node3") || !after_up.lines().any(|l| l.contains("admin.") && l.contains("node3")));
    insta::assert_snapshot!(out);
}

#[test]
fn rolling_update_two_at_a_time_fifteen_seconds_apart() {
    let script = format!(
        "{SWARM3}node1$ docker service create -d --name web --replicas 6 --update-parallelism 2 --update-delay 15s nginx:1.26
node1$ sleep 10
node1$ docker service update -d --image nginx:1.27 web
node1$ sleep 5
node1$ docker service ps --filter desired-state=running web
node1$ sleep 17
node1$ docker service ps --filter desired-state=running web
node1$ sleep 17
node1$ docker service ps --filter desired-state=running web
node1$ sleep 10
node1$ docker service inspect --pretty web
"
    );
    insta::assert_snapshot!(transcript(&script, 3, 1));
}

#[test]
fn crashing_image_rolls_back_automatically() {
    let script = format!(
        "{SWARM3}node1$ docker service create -d --name web --replicas 3 nginx:1.26
node1$ sleep 10
node1$ lab image crash nginx:1.27
node1$ docker service update --update-failure-action rollback --image nginx:1.27 web
node1$ docker service ps web
node1$ docker service inspect --format '{{{{.UpdateStatus.State}}}}: {{{{.UpdateStatus.Message}}}}' web
"
    );
    insta::assert_snapshot!(transcript(&script, 3, 1));
}

#[test]
fn reservations_too_large_stay_pending() {
    let script = format!(
        "{SWARM3}node1$ docker service create -d --name big --reserve-memory 8g nginx
node1$ sleep 2
node1$ docker service ps big
node1$ docker service ps --no-trunc big
node1$ docker service ls
"
    );
    let out = transcript(&script, 3, 1);
    assert!(out.contains("\"no suitable node (insufficient resources on 3 nodes)\""), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn publish_add_and_missing_images() {
    let script = format!(
        "{SWARM3}node1$ docker service create -d --name web nginx
node1$ docker service update -d --publish-add published=80,target=80 web
node1$ sleep 10
node1$ docker service ls
node1$ docker service inspect --format '{{{{json .Endpoint.Ports}}}}' web
node1$ lab image missing nginx:9.9
node1$ docker service create -d --name broken --restart-max-attempts 1 nginx:9.9
node1$ sleep 20
node1$ docker service ps broken
"
    );
    insta::assert_snapshot!(transcript(&script, 3, 1));
}

#[test]
fn routing_mesh_round_robins_from_any_node() {
    let script = format!(
        "{SWARM3}node1$ docker service create -d --name who --replicas 3 --publish 8080:80 traefik/whoami
node1$ sleep 10
node1$ curl -s 127.10.0.11:8080
node2$ curl -s 127.10.0.12:8080
node3$ curl -s http://127.10.0.13:8080/
node1$ curl -s 127.10.0.11:8080
node1$ ! curl -s 127.10.0.11:9999
"
    );
    let out = transcript(&script, 3, 1);
    let hosts: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix("Hostname: ")).collect();
    assert_eq!(hosts.len(), 4);
    assert_ne!(hosts[0], hosts[1]);
    assert_ne!(hosts[1], hosts[2]);
    assert_eq!(hosts[0], hosts[3], "three tasks, so the fourth request comes back to the first");
    insta::assert_snapshot!(out);
}

#[test]
fn global_service_follows_nodes_and_jobs_complete() {
    let script = "\
node1$ docker swarm init
node1$ T=$(docker swarm join-token -q worker)
node2$ docker swarm join --token $T 127.10.0.11:2377
node1$ docker service create -d --mode global --name agent redis
node1$ sleep 5
node1$ docker service ls
node3$ docker swarm join --token $T 127.10.0.11:2377
node1$ sleep 5
node1$ docker service ps agent
node1$ docker node update --availability drain node2
node1$ sleep 5
node1$ docker service ps agent
node1$ docker service create -d --mode replicated-job --replicas 4 --max-concurrent 2 --name batch busybox echo done
node1$ sleep 30
node1$ docker service ls
node1$ docker service ps batch
node1$ docker service logs --raw batch
";
    let out = transcript(script, 3, 1);
    // One agent per active node, none left on the drained one.
    let last_ps = out.rsplit("docker service ps agent").next().unwrap_or_default();
    let running = |node: &str| last_ps.lines().any(|l| l.contains(node) && l.contains("Running   "));
    assert!(running("node1") && running("node3") && !running("node2"), "{last_ps}");
    // swarmkit reports a job's desired tasks as its max-concurrent.
    assert!(out.contains("0/2 (4/4 completed)"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn service_logs_tail_counts_lines_per_task() {
    let script = format!(
        "{SWARM3}node1$ docker service create -q --name web --replicas 3 nginx
node1$ docker service logs --tail 1 web
"
    );
    let t = transcript(&script, 3, 1);
    let logs: Vec<&str> = t.lines().skip_while(|l| !l.contains("service logs")).skip(1).collect();
    assert_eq!(logs.len(), 3, "one line from each of the three tasks:\n{t}");
    for slot in ["web.1.", "web.2.", "web.3."] {
        assert!(logs.iter().any(|l| l.starts_with(slot)), "{slot} missing:\n{t}");
    }
}

#[test]
fn a_secret_and_a_config_are_read_back_inside_the_container() {
    let files = [("pw.txt", "s3cret"), ("app.conf", "port=80\n")];
    let script = format!(
        "{SWARM3}node1$ docker secret create db_pw pw.txt
node1$ docker config create app_conf app.conf
node1$ docker service create -d -q --name app --secret db_pw --config source=app_conf,target=/etc/app.conf nginx
node1$ sleep 10
"
    );
    let t = transcript_with_files(&script, 3, 1, &files);
    assert!(!t.contains("rror"), "{t}");
    // Read it back on whichever node runs the task.
    let mut found = false;
    for node in 1..=3 {
        let probe = format!(
            "{script}node{node}$ C=$(docker ps -q)\nnode{node}$ ! docker exec $C cat /run/secrets/db_pw /etc/app.conf /nope\n"
        );
        let t = transcript_with_files(&probe, 3, 1, &files);
        if t.contains("s3cret") {
            assert!(t.contains("s3cretport=80\ncat: can't open '/nope': No such file or directory"), "{t}");
            found = true;
        }
    }
    assert!(found, "some node runs the task and shows its secret");
}
