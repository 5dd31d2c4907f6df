//! Random compose files through `docker stack deploy`: built from compose's own keys
//! and values at random depths (so most are almost right, like files copied from the
//! web), plus arbitrary text. The deploy path never panics, answers with docker's exit
//! codes, says why it failed, and a file that does not load deploys nothing.

mod common;

use common::docker;
use proptest::prelude::*;
use std::cell::RefCell;
use swarmlab_engine::cli::{self, Env};

thread_local! {
    /// The file the current case deploys (a `ReadFile` is a plain fn).
    static FILE: RefCell<String> = const { RefCell::new(String::new()) };
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    match path {
        "/tmp/x.yml" => Ok(FILE.with(|f| f.borrow().clone().into_bytes())),
        "/tmp/pw.txt" | "./pw.txt" => Ok(b"s3cret".to_vec()),
        _ => Err(format!("open {path}: no such file or directory")),
    }
}

const KEYS: &[&str] = &[
    "version",
    "services",
    "web",
    "api",
    "image",
    "ports",
    "deploy",
    "replicas",
    "mode",
    "networks",
    "secrets",
    "configs",
    "environment",
    "command",
    "labels",
    "resources",
    "limits",
    "memory",
    "cpus",
    "restart_policy",
    "condition",
    "update_config",
    "parallelism",
    "order",
    "placement",
    "constraints",
    "max_replicas_per_node",
    "external",
    "driver",
    "file",
    "source",
    "target",
    "published",
    "protocol",
    "aliases",
    "build",
    "depends_on",
    "x-extra",
    "<<",
    "volumes",
    "endpoint_mode",
    "preferences",
    "spread",
    "healthcheck",
    "delay",
];
const VALUES: &[&str] = &[
    "nginx",
    "\"3.8\"",
    "3",
    "\"8080:80\"",
    "80",
    "global",
    "replicated",
    "on-failure",
    "overlay",
    "true",
    "64M",
    "0.5",
    "start-first",
    "node.role==manager",
    "${TAG:-1}",
    "${",
    "[]",
    "{}",
    "[a, b]",
    "./pw.txt",
    "-1",
    "dnsrr",
    "ingress",
    "host",
    "\"5000-5002:80\"",
    "*anchor",
    "&anchor x",
    "null",
    "~",
    "'quoted'",
    "\"a=b\"",
    "10s",
    "foo",
];

/// A line: a key at some depth, with a value, a list item, or nothing after it.
fn line() -> impl Strategy<Value = String> {
    (0usize..5, prop::sample::select(KEYS), prop::sample::select(VALUES), 0u8..4).prop_map(|(depth, k, v, shape)| {
        let indent = "  ".repeat(depth);
        match shape {
            0 => format!("{indent}{k}:"),
            1 => format!("{indent}{k}: {v}"),
            2 => format!("{indent}- {v}"),
            _ => format!("{indent}- {k}: {v}"),
        }
    })
}

fn compose_like() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..25).prop_map(|lines| {
        // Most real files start this way; the rest is up to chance.
        format!("version: \"3.8\"\nservices:\n{}\n", lines.join("\n"))
    })
}

fn deploy(text: &str) -> (cli::Output, String, String) {
    let mut c = common::initialised(3, 1);
    let state = |c: &mut swarmlab_engine::sim::Cluster| {
        ["service ls -q", "network ls -q", "secret ls -q", "config ls -q"]
            .iter()
            .map(|q| docker(c, 0, q).stdout)
            .collect::<String>()
    };
    let before = state(&mut c);
    FILE.with(|f| *f.borrow_mut() = text.to_string());
    let argv = common::split("stack deploy -c /tmp/x.yml x");
    let out = cli::run(&argv, &mut c.client(0), Env { read: Some(&read), ..Env::default() });
    c.run_until_idle();
    let after = state(&mut c);
    (out, before, after)
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let (out, before, after) = deploy(text);
    prop_assert!(matches!(out.code, 0 | 1), "exit {} for\n{text}\n{}", out.code, out.stderr);
    if out.code != 0 {
        prop_assert!(!out.stderr.trim().is_empty(), "a failure says why:\n{text}");
    }
    // A file that does not load (its errors name the file) deploys nothing.
    if out.stderr.starts_with("/tmp/x.yml") {
        prop_assert_eq!(&before, &after, "nothing deployed for\n{}\n{}", text, out.stderr);
        prop_assert_eq!(&out.stdout, "");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn compose_like_files_never_break_the_deploy_path(text in compose_like()) {
        check(&text)?;
    }

    #[test]
    fn arbitrary_text_never_breaks_the_deploy_path(text in "\\PC{0,300}") {
        check(&text)?;
    }
}

#[test]
fn a_valid_file_from_the_vocabulary_deploys() {
    let (out, _, after) =
        deploy("version: \"3.8\"\nservices:\n  web:\n    image: nginx\n    ports:\n      - \"8080:80\"\n");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(after.lines().count() >= 2, "a service and its network: {after}");
}
