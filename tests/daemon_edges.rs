//! The node sockets against clients that misbehave: wrong API versions, bodies that
//! stop short or are too large, specs moby refuses, requests past the lab's budget,
//! and connections that never send anything. Each gets moby's answer (or the lab's,
//! in its words) and the daemon goes on answering.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use swarmlab::clock::Speed;
use swarmlab::daemon::serve::{Limits, serve};
use swarmlab::world::World;
use swarmlab_engine::sim::ClusterConfig;

struct Daemon {
    _rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
    socket: PathBuf,
}

fn daemon(limits: Limits) -> Daemon {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("node1.sock");
    let world: Arc<World> = World::at(ClusterConfig { nodes: 1, ..ClusterConfig::default() }, Speed::Paused);
    {
        let _enter = rt.enter();
        let listener = tokio::net::UnixListener::bind(&socket).unwrap();
        rt.spawn(serve(listener, swarmlab::daemon::router(&world, 0), limits));
    }
    Daemon { _rt: rt, _dir: dir, socket }
}

/// Sends raw bytes, half-closes, and returns (status, content type, body).
fn raw(socket: &Path, request: &[u8]) -> (u16, String, String) {
    let mut s = UnixStream::connect(socket).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let kind = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-type: ").map(str::to_string))
        .unwrap_or_default();
    (status, kind, body.to_string())
}

fn get(socket: &Path, path: &str) -> (u16, String, String) {
    raw(socket, format!("GET {path} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n").as_bytes())
}

fn post(socket: &Path, path: &str, body: &str) -> (u16, String, String) {
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    raw(socket, req.as_bytes())
}

#[test]
fn api_versions_outside_the_daemons_range_are_refused_as_moby_does() {
    let d = daemon(Limits::default());
    let (status, kind, body) = get(&d.socket, "/v0.1/_ping");
    assert_eq!((status, kind.as_str()), (400, "text/plain; charset=utf-8"));
    assert_eq!(
        body,
        "client version 0.1 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version\n"
    );
    let (status, kind, body) = get(&d.socket, "/v99/version");
    assert_eq!((status, kind.as_str()), (400, "application/json"));
    assert_eq!(body, "{\"message\":\"client version 99 is too new. Maximum supported API version is 1.50\"}\n");
    assert_eq!(get(&d.socket, "/v1.24/_ping").0, 200);
    assert_eq!(get(&d.socket, "/v1.50/version").0, 200);
    assert_eq!(get(&d.socket, "/_ping").0, 200, "no prefix: the daemon's own version");
    let (status, _, body) = get(&d.socket, "/v0.1/no/such/route");
    assert_eq!((status, body.as_str()), (404, "{\"message\":\"page not found\"}\n"));
}

#[test]
fn a_body_shorter_than_announced_is_an_early_end_not_a_large_body() {
    let d = daemon(Limits::default());
    let short = "POST /v1.50/services/create HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"Name\":";
    let (status, _, body) = raw(&d.socket, short.as_bytes());
    assert_eq!((status, body.as_str()), (400, "{\"message\":\"unexpected EOF\"}\n"));
    let large =
        format!("POST /v1.50/services/create HTTP/1.1\r\nHost: docker\r\nContent-Length: {}\r\n\r\n", 17 * 1024 * 1024);
    assert_eq!(raw(&d.socket, large.as_bytes()).0, 413);
    assert_eq!(get(&d.socket, "/_ping").0, 200);
}

#[test]
fn specs_are_refused_in_mobys_words_and_past_the_budget_in_the_labs() {
    use serde_json::json;
    let d = daemon(Limits::default());
    assert_eq!(post(&d.socket, "/v1.50/swarm/init", "{\"ListenAddr\":\"0.0.0.0:2377\"}").0, 200);
    let create = |extra: serde_json::Value| {
        let mut spec = json!({ "Name": "web", "TaskTemplate": { "ContainerSpec": { "Image": "nginx" } } });
        if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
            s.extend(e.clone());
        }
        post(&d.socket, "/v1.50/services/create", &spec.to_string())
    };
    // Compared with a real daemon and moby v28.2.2's source: two modes is the daemon's
    // 400; swarmkit's constraint error and a missing network are 500s.
    let (status, _, body) = create(json!({ "Mode": { "Replicated": { "Replicas": 1 }, "Global": {} } }));
    assert_eq!((status, body.as_str()), (400, "{\"message\":\"must specify only one service mode\"}\n"));
    let placement = json!({ "ContainerSpec": { "Image": "nginx" }, "Placement": { "Constraints": ["node.foo~bar"] } });
    let (status, _, body) = create(json!({ "TaskTemplate": placement }));
    assert_eq!(
        (status, body.as_str()),
        (500, "{\"message\":\"rpc error: code = Unknown desc = constraint expected one operator from ==, !=\"}\n")
    );
    let networks = json!({ "ContainerSpec": { "Image": "nginx" }, "Networks": [{ "Target": "nonet" }] });
    let (status, _, body) = create(json!({ "TaskTemplate": networks }));
    assert_eq!((status, body.as_str()), (500, "{\"message\":\"network nonet not found\"}\n"));
    let (status, _, body) = create(json!({ "Mode": { "Replicated": { "Replicas": u64::MAX } } }));
    assert_eq!(status, 400);
    assert!(body.contains("swarmlab: 18446744073709551615 replicas is more than this lab simulates"), "{body}");
    assert_eq!(create(json!({})).0, 201, "the daemon carries on");
}

#[test]
fn the_oldest_connections_make_room_for_new_ones() {
    let d = daemon(Limits { header_timeout: Duration::from_secs(60), max_connections: 64 });
    // More connections that send nothing than the cap: a new one is still answered...
    let mut idle: Vec<UnixStream> = (0..200).map(|_| UnixStream::connect(&d.socket).unwrap()).collect();
    assert_eq!(get(&d.socket, "/_ping").2, "OK");
    // ...because the oldest were closed, long before their header deadline.
    let first = &mut idle[0];
    first.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(first.read(&mut [0; 16]).ok(), Some(0), "the oldest idle connection was closed");
    let last = idle.last_mut().unwrap();
    last.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    assert!(last.read(&mut [0; 16]).is_err(), "the newest is still open");
}

#[test]
fn a_client_that_never_finishes_its_headers_is_dropped_at_the_deadline() {
    let d = daemon(Limits { header_timeout: Duration::from_millis(300), max_connections: 256 });
    let mut slow = UnixStream::connect(&d.socket).unwrap();
    slow.write_all(b"GET /_ping HTTP/1.1\r\nHost: dock").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let started = std::time::Instant::now();
    let mut buf = Vec::new();
    assert!(slow.read_to_end(&mut buf).is_ok(), "the server closed the slow connection");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(get(&d.socket, "/_ping").2, "OK");
}
