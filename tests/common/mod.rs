//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use swarmlab::headless;
use swarmlab_engine::cli::{self, Env, Output};
use swarmlab_engine::sim::{Cluster, ClusterConfig};

/// Runs `docker <args>` (shell-like split on spaces, `'…'` kept together) on node `idx`.
pub fn docker(cluster: &mut Cluster, idx: usize, args: &str) -> Output {
    let argv = split(args);
    cli::run(&argv, &mut cluster.client(idx), Env { read: Some(&files), ..Env::default() })
}

/// The files the recorded sessions used, without touching the disk.
fn files(path: &str) -> Result<Vec<u8>, String> {
    match path {
        "/tmp/pw.txt" => Ok(b"s3cret".to_vec()),
        "/tmp/app.conf" => Ok(b"port=80".to_vec()),
        "/tmp/empty.txt" => Ok(Vec::new()),
        // The compose files the real docker CLI deployed (tests/fixtures/compose).
        "/tmp/stack.yml" => Ok(include_bytes!("../fixtures/compose/stack.yml").to_vec()),
        "/tmp/sc.yml" => Ok(include_bytes!("../fixtures/compose/sc.yml").to_vec()),
        "/tmp/bad.yml" => Ok(include_bytes!("../fixtures/compose/bad.yml").to_vec()),
        "/tmp/indent.yml" => Ok(include_bytes!("../fixtures/compose/indent.yml").to_vec()),
        _ => Err(format!("open {path}: no such file or directory")),
    }
}

pub fn split(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in args.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A cluster whose node1 has run `docker swarm init`.
pub fn initialised(nodes: usize, seed: u64) -> Cluster {
    let mut c = Cluster::new(ClusterConfig { nodes, seed, ..ClusterConfig::default() });
    let out = docker(&mut c, 0, "swarm init --advertise-addr 127.10.0.11");
    assert_eq!(out.code, 0, "{}", out.stderr);
    c
}

/// A swarm of `nodes` machines, all joined: node1 initialised it, the next
/// `managers - 1` joined as managers, the rest as workers.
pub fn swarm(nodes: usize, managers: usize, seed: u64) -> Cluster {
    let mut c = Cluster::new(ClusterConfig { nodes, seed, ..ClusterConfig::default() });
    assert_eq!(docker(&mut c, 0, "swarm init").code, 0);
    let w = docker(&mut c, 0, "swarm join-token -q worker").stdout.trim().to_string();
    let m = docker(&mut c, 0, "swarm join-token -q manager").stdout.trim().to_string();
    for i in 1..nodes {
        let token = if i < managers { &m } else { &w };
        let out = docker(&mut c, i, &format!("swarm join --token {token} 127.10.0.11:2377"));
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    c
}

/// Like `transcript`, in a fresh directory holding `files`, as a lesson's commands run.
pub fn transcript_with_files(script: &str, nodes: usize, seed: u64, files: &[(&str, &str)]) -> String {
    let dir = swarmlab::headless::files::Workdir::temporary().expect("a temporary directory");
    dir.provide(files.iter().copied()).expect("files written");
    let steps = swarmlab::headless::script::parse(script, "test").expect("script parses");
    let config = ClusterConfig { nodes, seed, ..ClusterConfig::default() };
    let t = headless::Session::new(config).in_dir(dir).play(&steps);
    assert!(t.failures.is_empty(), "unexpected failures: {:#?}\n{}", t.failures, t.text);
    t.text
}

/// Plays a script on a fresh cluster and returns the transcript, asserting that every
/// step went as the script expected.
pub fn transcript(script: &str, nodes: usize, seed: u64) -> String {
    let t = headless::run_script(script, "test", ClusterConfig { nodes, seed, ..ClusterConfig::default() })
        .expect("script parses");
    assert!(t.failures.is_empty(), "unexpected failures: {:#?}\n{}", t.failures, t.text);
    t.text
}
