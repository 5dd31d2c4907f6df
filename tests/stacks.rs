//! Stacks end to end through `swarmlab run`'s engine: golden transcripts of deploying,
//! redeploying and removing compose files (tests/fixtures/compose), and what they
//! leave in the cluster.

mod common;

use common::{docker, transcript};

fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/compose/{rel}", env!("CARGO_MANIFEST_DIR"))
}

const JOIN_THREE: &str = "\
node1$ docker swarm init --advertise-addr $(hostname -i)
node1$ WORKER=$(docker swarm join-token -q worker)
node2$ docker swarm join --token $WORKER 127.10.0.11:2377
node3$ docker swarm join --token $WORKER 127.10.0.11:2377
";

/// The paths in transcripts do not depend on where the repository is.
fn portable(text: String) -> String {
    text.replace(&fixture(""), "fixtures/")
}

#[test]
fn two_service_stack_deploy_redeploy_and_remove() {
    let app = fixture("app/docker-compose.yml");
    let scaled = fixture("app/docker-compose.scaled.yml");
    let script = format!(
        "{JOIN_THREE}node1$ docker stack deploy -c {app} x
node1$ sleep 10
node1$ docker stack ls
node1$ docker stack services x
node1$ docker stack ps x
node1$ docker network ls --filter name=x_
node1$ docker service inspect x_api1 --format '{{{{.Spec.TaskTemplate.Resources.Limits.MemoryBytes}}}} {{{{.Spec.TaskTemplate.RestartPolicy.Condition}}}} {{{{len .Endpoint.VirtualIPs}}}}'
node2$ curl -s 127.10.0.12:5000
node3$ curl -s 127.10.0.13:5001
node1$ docker stack deploy -c {scaled} x
node1$ sleep 10
node1$ docker service ls --format '{{{{.Name}}}} {{{{.Replicas}}}}'
node1$ docker service inspect x_api1 --format '{{{{.Version.Index}}}} {{{{if .PreviousSpec}}}}updated{{{{else}}}}never updated{{{{end}}}}'
node1$ docker stack ps x --filter desired-state=running --format '{{{{.Name}}}} {{{{.CurrentState}}}}'
node1$ docker stack rm x
node1$ sleep 10
node1$ ! docker stack ps x
node1$ docker network ls --format '{{{{.Name}}}}'
"
    );
    insta::assert_snapshot!(portable(transcript(&script, 3, 7)));
}

#[test]
fn a_stack_with_a_secret_and_a_config_reads_them_back() {
    let file = fixture("secrets/docker-compose.yml");
    let script = format!(
        "{JOIN_THREE}node1$ docker stack deploy -c {file} s
node1$ sleep 10
node1$ docker secret ls --format '{{{{.Name}}}} {{{{.Labels}}}}'
node1$ docker config ls --format '{{{{.Name}}}} {{{{.Labels}}}}'
node1$ CID=$(docker ps -q --filter name=s_web)
node1$ docker exec $CID cat /run/secrets/db_password
node1$ docker exec $CID cat /etc/nginx/conf.d/site.conf
node1$ docker exec $CID ls /run/secrets
node1$ docker exec $CID nslookup kv
node1$ docker exec $CID getent hosts tasks.s_cache
node1$ ! docker exec $CID nslookup api
node1$ ! docker secret rm s_db_password
node1$ docker stack deploy -c {file} s
node1$ docker stack rm s
node1$ docker secret ls
"
    );
    insta::assert_snapshot!(portable(transcript(&script, 3, 7)));
}

/// What the cluster holds, to show a failed deploy left it untouched.
fn state(c: &mut swarmlab_engine::sim::Cluster) -> String {
    let mut s = String::new();
    for cmd in ["service ls -q", "network ls -q", "secret ls -q", "config ls -q"] {
        s.push_str(&docker(c, 0, cmd).stdout);
    }
    s
}

#[test]
fn a_wrongly_indented_file_names_its_line_and_deploys_nothing() {
    let mut c = common::initialised(3, 1);
    let before = state(&mut c);
    // Service keys one level too shallow: `image` and `ports` beside `api1`.
    let out = docker(&mut c, 0, "stack deploy -c /tmp/bad.yml b");
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    assert_eq!(out.stderr, "/tmp/bad.yml:3:3: services.api1 must be a mapping\n");
    // The deploy-level block under a list item: a YAML error, with its place.
    let out = docker(&mut c, 0, "stack deploy -c /tmp/indent.yml i");
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr, "/tmp/indent.yml:7:7: yaml: while parsing a block mapping, did not find expected key\n");
    assert_eq!(state(&mut c), before, "nothing was deployed");
}

#[test]
fn several_files_merge_and_prune_removes_what_is_gone() {
    let mut c = common::initialised(3, 1);
    let (app, over) = (fixture("app/docker-compose.yml"), fixture("app/override.yml"));
    let out = docker_fs(&mut c, &format!("stack deploy -d -c {app} -c {over} x"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "Creating network x_default\nCreating service x_api1\nCreating service x_api2\nCreating service x_cache\n"
    );
    assert_eq!(out.stderr, "", "-d given: no background notice");
    c.run_until_idle();
    let ls = docker(&mut c, 0, "stack services x --format '{{.Name}} {{.Replicas}}'");
    assert_eq!(ls.stdout, "x_api1 3/3\nx_api2 1/1\nx_cache 1/1\n");
    let id = |c: &mut swarmlab_engine::sim::Cluster, s: &str| {
        docker(c, 0, &format!("service inspect -f '{{{{.ID}}}}' {s}")).stdout.trim().to_string()
    };
    let (id1, id2) = (id(&mut c, "x_api1"), id(&mut c, "x_api2"));
    let out = docker_fs(&mut c, &format!("stack deploy -d --prune -c {app} x"));
    assert_eq!(
        out.stdout,
        format!("Removing service x_cache\nUpdating service x_api1 (id: {id1})\nUpdating service x_api2 (id: {id2})\n")
    );
    assert_eq!(docker(&mut c, 0, "stack ls").stdout, "NAME      SERVICES\nx         2\n");
}

#[test]
fn refusals_read_like_docker() {
    let mut c = common::initialised(3, 1);
    let token = docker(&mut c, 0, "swarm join-token -q worker").stdout;
    docker(&mut c, 1, &format!("swarm join --token {} 127.10.0.11:2377", token.trim()));
    let out = docker(&mut c, 1, "stack deploy -c /tmp/stack.yml x");
    assert_eq!(out.code, 1);
    assert!(out.stderr.ends_with(
        "this node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again\n"
    ));
    let ext = std::env::temp_dir().join(format!("swarmlab-external-{}.yml", std::process::id()));
    let ext = ext.to_string_lossy().into_owned();
    std::fs::write(&ext, "version: '3.8'\nservices:\n  web:\n    image: nginx\n    networks: [shared]\nnetworks:\n  shared:\n    external: true\n").unwrap();
    let out = docker_fs(&mut c, &format!("stack deploy -c {ext} e"));
    assert!(out.stderr.ends_with("network \"shared\" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed\n"), "{}", out.stderr);
    assert_eq!(docker(&mut c, 0, "network create -d overlay shared").code, 0);
    let out = docker_fs(&mut c, &format!("stack deploy -c {ext} e"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "Creating service e_web\n", "an external network is not created");
    let _ = std::fs::remove_file(&ext);
    let out = docker(&mut c, 0, "network rm shared");
    assert!(out.stderr.contains("is in use by service"), "{}", out.stderr);
}

/// `docker` with the real file system, for files a test writes.
fn docker_fs(c: &mut swarmlab_engine::sim::Cluster, args: &str) -> swarmlab_engine::cli::Output {
    let env =
        swarmlab_engine::cli::Env { read: Some(&swarmlab::headless::files::read_without_stdin), ..Default::default() };
    swarmlab_engine::cli::run(&common::split(args), &mut c.client(0), env)
}
