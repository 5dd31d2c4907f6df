//! Inputs that once aborted or fooled the lab: a replica count past what the lab can
//! simulate, `$(…)` nested twenty thousand deep, a compose file over 1 MiB. Each is
//! answered (refused, or done whole) and the session carries on.

mod common;

use common::transcript_with_files;

const SWARM: &str = "node1$ docker swarm init\n";

#[test]
fn replica_counts_past_the_budget_are_refused_by_every_command_that_sets_one() {
    let stack = "services:\n  web:\n    image: nginx\n    deploy:\n      replicas: 10000000\n";
    let t = transcript_with_files(
        &format!(
            "{SWARM}node1$ ! docker service create --replicas 10000000 nginx
node1$ docker service create -d --name web --replicas 2 nginx
node1$ ! docker service scale web=10000000
node1$ ! docker service update -d --replicas 10000000 web
node1$ ! docker stack deploy -c big.yml big
node1$ sleep 5
node1$ docker service ls --format '{{{{.Name}}}} {{{{.Replicas}}}}'
"
        ),
        1,
        1,
        &[("big.yml", stack)],
    );
    let refusal = "more than this lab simulates: at most 10000 tasks in a swarm";
    assert_eq!(t.matches(refusal).count(), 4, "{t}");
    assert!(
        t.contains("failed to create service big_web: Error response from daemon: swarmlab: 10000000 replicas is more than this lab simulates: at most 10000 tasks in a swarm (2 already asked for by other services)"),
        "{t}"
    );
    assert!(t.ends_with("web 2/2\n"), "web kept its two replicas, big_web was never made:\n{t}");
}

#[test]
fn deeply_nested_substitutions_are_refused_not_a_crash() {
    let deep = format!("node1$ echo {}hostname{}\n", "$(echo ".repeat(20_000), ")".repeat(20_000));
    assert!(deep.len() > 60_000);
    let t = transcript_with_files(&format!("node1$ ! {}node1$ echo still here\n", &deep[7..]), 1, 1, &[]);
    assert!(t.contains("swarmlab: $(…) nested more than 32 levels deep"), "{}", &t[t.len().saturating_sub(300)..]);
    assert!(t.ends_with("still here\n"));
    let fine = format!("node1$ echo {}hostname{}\n", "$(echo ".repeat(30), ")".repeat(30));
    assert!(transcript_with_files(&fine, 1, 1, &[]).ends_with("\nhostname\n"), "30 levels are fine");
}

#[test]
fn a_compose_file_over_one_mebibyte_is_read_whole() {
    // Three services, the third after more than 1 MiB of comments.
    let padding = "# padding line to make the file large\n".repeat(30_000);
    let stack = format!("services:\n  a:\n    image: nginx\n  b:\n    image: nginx\n{padding}  c:\n    image: nginx\n");
    assert!(stack.len() > 1024 * 1024);
    let t = transcript_with_files(
        &format!(
            "{SWARM}node1$ docker stack deploy -c stack.yml s\nnode1$ docker service ls --format '{{{{.Name}}}}'\n"
        ),
        1,
        1,
        &[("stack.yml", &stack)],
    );
    assert!(t.ends_with("s_a\ns_b\ns_c\n"), "{}", &t[t.len().saturating_sub(400)..]);
}

#[test]
fn compose_files_read_as_the_real_cli_reads_them() {
    // Both compared with docker CLI 28.2.2's `stack config` and `stack deploy`: a
    // nested default is not expanded (the inner text stays), and the image it makes
    // is refused on the client; only the first YAML document counts.
    let nested = "services:\n  web:\n    image: \"nginx:${A:-${B:-x}}\"\n";
    let two = "services:\n  web:\n    image: nginx\n---\nservices:\n  api:\n    image: httpd\n";
    let no_image = "services:\n  web:\n    ports: [\"80\"]\n";
    let t = transcript_with_files(
        &format!(
            "{SWARM}node1$ docker stack config -c nested.yml
node1$ ! docker stack deploy -c nested.yml s
node1$ docker stack config -c no-image.yml
node1$ docker stack config -c two.yml
"
        ),
        1,
        1,
        &[("nested.yml", nested), ("two.yml", two), ("no-image.yml", no_image)],
    );
    let config_without_image = "version: \"3.13\"\nservices:\n  web:\n    ports:\n      - mode: ingress\n        target: 80\n        protocol: tcp\n";
    assert!(t.contains(&format!("config -c no-image.yml\n{config_without_image}")), "{t}");
    assert!(
        t.contains("config -c nested.yml\nversion: \"3.13\"\nservices:\n  web:\n    image: nginx:${B:-x}\n"),
        "{t}"
    );
    assert!(t.contains("invalid image reference for service web: invalid reference format\n"), "{t}");
    assert!(t.ends_with("config -c two.yml\nversion: \"3.13\"\nservices:\n  web:\n    image: nginx\n"), "{t}");
}
