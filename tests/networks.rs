//! Networks as each node sees them: local bridges beside the swarm's overlays,
//! addresses from the default pool, and the refusals in Docker's words.

mod common;

use common::docker;

#[test]
fn local_and_swarm_networks_each_in_their_place() {
    let mut c = common::initialised(3, 1);
    let token = docker(&mut c, 0, "swarm join-token -q worker").stdout;
    docker(&mut c, 1, &format!("swarm join --token {} 127.10.0.11:2377", token.trim()));
    // A bridge is local to the node that made it.
    assert_eq!(docker(&mut c, 1, "network create mybridge").code, 0);
    let names = |c: &mut swarmlab_engine::sim::Cluster, n| docker(c, n, "network ls --format '{{.Name}}'").stdout;
    assert!(names(&mut c, 1).contains("mybridge\n"));
    assert!(!names(&mut c, 0).contains("mybridge"));
    // Outside a swarm there is no docker_gwbridge and no overlay.
    assert_eq!(names(&mut c, 2), "bridge\nhost\nnone\n");
    let out = docker(&mut c, 2, "network create -d overlay o");
    assert!(out.stderr.contains("This node is not a swarm manager."), "{}", out.stderr);
    let out = docker(&mut c, 1, "network create -d overlay o");
    assert!(out.stderr.contains("Cannot create a multi-host network from a worker node."), "{}", out.stderr);
    // Overlays take the next /24 of 10.0.0.0/8; the worker sees one once it runs a task on it.
    assert_eq!(docker(&mut c, 0, "network create -d overlay back").code, 0);
    let subnet = docker(&mut c, 0, "network inspect -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}' back");
    assert_eq!(subnet.stdout, "10.0.1.0/24\n");
    assert!(!names(&mut c, 1).contains("back"));
    assert_eq!(docker(&mut c, 0, "service create -d --name api --network back --mode global nginx").code, 0);
    c.run_until_idle();
    assert!(names(&mut c, 1).contains("back\n"), "{}", names(&mut c, 1));
    let on_worker = docker(&mut c, 1, "network inspect -f '{{len .Containers}} {{len .Peers}}' back");
    assert_eq!(on_worker.stdout, "1 2\n");
    // A task's address and the service's VIP come from the network's subnet.
    let vip = docker(&mut c, 0, "service inspect -f '{{range .Endpoint.VirtualIPs}}{{.Addr}}{{end}}' api");
    assert_eq!(vip.stdout, "10.0.1.2/24\n");
    let out = docker(&mut c, 0, "network rm back");
    assert!(out.stderr.contains("is in use by service"), "{}", out.stderr);
    assert_eq!(out.code, 1);
    let out = docker(&mut c, 1, "network rm bridge");
    assert_eq!(
        out.stderr,
        "Error response from daemon: bridge is a pre-defined network and cannot be removed\nexit status 1\n"
    );
    // A freed subnet is taken again, never one in use.
    assert_eq!(docker(&mut c, 1, "network create second").code, 0);
    assert_eq!(docker(&mut c, 1, "network rm mybridge").stdout, "mybridge\n");
    assert_eq!(docker(&mut c, 1, "network create third").code, 0);
    let subnets = docker(&mut c, 1, "network inspect -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}' second third");
    assert_eq!(subnets.stdout, "172.20.0.0/16\n172.19.0.0/16\n");
    // --network-rm by name, and the network is free again.
    assert_eq!(docker(&mut c, 0, "service update -d --network-rm back api").code, 0);
    c.run_until_idle();
    assert_eq!(docker(&mut c, 0, "service update -d --network-add back --network-add back api").code, 1);
    assert_eq!(docker(&mut c, 0, "service rm api").code, 0);
    c.run_until_idle();
    assert_eq!(docker(&mut c, 0, "network rm back").stdout, "back\n");
}
