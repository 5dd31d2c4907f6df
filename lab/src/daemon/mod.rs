//! One Docker daemon per virtual node: a unix socket in the lab's runtime directory
//! serving the Docker Engine API, answering as that node. The docker shim in the panes
//! and the real docker CLI both talk to it.

pub mod routes;
pub mod serve;

use crate::clock::Speed;
use crate::wire::{self, API_VERSION, Reply};
use crate::world::World;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Response, StatusCode, header};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use swarmlab_engine::api::{Api, ApiError};
use swarmlab_engine::sim::ClusterConfig;

/// Request bodies larger than this are refused (a service spec is a few kilobytes).
const MAX_BODY: usize = 16 * 1024 * 1024;

#[derive(Clone)]
struct Node {
    world: Arc<World>,
    idx: usize,
}

/// Binds every node's socket in `dir` (`node1.sock`, …), then serves them all: a
/// client can connect as soon as this returns. Call inside the runtime.
pub fn spawn_all(world: &Arc<World>, dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let names: Vec<String> = world.read(|c| c.machines().iter().map(|m| m.hostname.clone()).collect());
    let mut sockets = Vec::new();
    for (idx, name) in names.into_iter().enumerate() {
        let path = dir.join(format!("{name}.sock"));
        let _ = std::fs::remove_file(&path);
        let listener = tokio::net::UnixListener::bind(&path)?;
        tokio::spawn(serve::serve(listener, router(world, idx), serve::Limits::default()));
        sockets.push((name, path));
    }
    Ok(sockets)
}

/// The API of node `idx`, to serve on its socket.
pub fn router(world: &Arc<World>, idx: usize) -> axum::Router {
    axum::Router::new().fallback(handle).with_state(Node { world: world.clone(), idx })
}

async fn handle(State(node): State<Node>, request: Request) -> Response<Body> {
    let method = request.method().as_str().to_string();
    let target = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_string();
    let mut req = wire::parse_target(&method, &target);
    let announced = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY as u64) {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
    }
    req.body = match axum::body::to_bytes(request.into_body(), MAX_BODY).await {
        Ok(b) => b.to_vec(),
        Err(e) if too_large(&e) => return plain(StatusCode::PAYLOAD_TOO_LARGE, "request body too large"),
        // The client stopped before the end of its body: Go's decoder reads an early EOF.
        Err(_) => return answer(Reply::error(&ApiError::invalid("unexpected EOF")), None),
    };
    if let Some(refusal) = refused_version(&req) {
        return answer(refusal, None);
    }
    if req.path == "/swarmlab/lab" {
        return lab(&node.world, &req.body);
    }
    if req.path == "/swarmlab/history" {
        // `["docker node ls …"]`: a command the pane's docker shim is about to run.
        let name = node.world.read(|c| c.machines().get(node.idx).map(|m| m.hostname.clone()).unwrap_or_default());
        if let Ok([command]) = serde_json::from_slice::<[String; 1]>(&req.body) {
            node.world.record(&name, &command);
        }
        return plain(StatusCode::NO_CONTENT, "");
    }
    let (reply, swarm) = {
        let mut cluster = node.world.cluster();
        let mut api = cluster.client(node.idx);
        let mut reply = routes::route(&mut api, &req);
        reply.now = Some(api.now());
        let swarm = (req.path == "/_ping").then(|| swarm_header(&mut api));
        (reply, swarm)
    };
    if !reply.delay.is_zero() {
        // The real daemon blocks this long (a join that times out); at 10x, a tenth.
        let factor = match node.world.speed() {
            Speed::Times(n) if n > 0 => n,
            _ => 1,
        };
        tokio::time::sleep(reply.delay / factor).await;
    }
    answer(reply, swarm)
}

/// Did reading the body stop at the size limit (rather than on an early end)?
fn too_large(e: &axum::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// moby's version middleware, for the routes it serves (an unknown path is "page not
/// found" whatever its version). Clients older than 1.24 get the message as plain text.
fn refused_version(req: &wire::Req) -> Option<Reply> {
    let version = req.version.as_deref()?;
    let error = wire::unsupported_version(version).filter(|_| routes::serves(req))?;
    if wire::compare_versions(version, "1.24").is_lt() {
        let body = format!("{}\n", error.message).into_bytes();
        return Some(Reply { status: error.status, body, ..Reply::empty(error.status) });
    }
    Some(Reply::error(&error))
}

/// A reply with the headers moby's middleware puts on every answer.
fn answer(reply: Reply, swarm: Option<String>) -> Response<Body> {
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    h.insert("Api-Version", HeaderValue::from_static(API_VERSION));
    h.insert("Docker-Experimental", HeaderValue::from_static("false"));
    h.insert("Ostype", HeaderValue::from_static("linux"));
    h.insert(header::SERVER, HeaderValue::from_static("Docker/28.2.2 (linux)"));
    if let Some(now) = reply.now.and_then(|t| HeaderValue::from_str(&t.0.to_string()).ok()) {
        h.insert(wire::NOW_HEADER, now);
    }
    if let Some(swarm) = swarm.and_then(|s| HeaderValue::from_str(&s).ok()) {
        h.insert("Swarm", swarm);
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache, no-store, must-revalidate"));
        h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        h.insert("Builder-Version", HeaderValue::from_static("2"));
    }
    response
}

/// moby's `Swarm` ping header: `inactive`, `pending`, `error`, `locked`, or
/// `active/manager` / `active/worker`.
fn swarm_header(api: &mut dyn Api) -> String {
    let Ok(info) = api.info() else { return "inactive".into() };
    let state = info.swarm.local_node_state.as_str().to_string();
    if state == "active" {
        let role = if info.swarm.control_available { "manager" } else { "worker" };
        format!("active/{role}")
    } else {
        state
    }
}

/// `swarmlab daemon`: serves every node's socket until a signal ends it, printing
/// `node1 unix:///…/node1.sock` lines and the shim directory first.
pub fn run_headless(config: ClusterConfig) -> std::process::ExitCode {
    use std::io::Write;
    let fail = |what: &str, e: std::io::Error| {
        eprintln!("swarmlab: {what}: {e}");
        std::process::ExitCode::from(1)
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail("cannot start", e),
    };
    let dir = match crate::runtime::RuntimeDir::create() {
        Ok(d) => d,
        Err(e) => return fail("cannot create the runtime directory", e),
    };
    let shims = match dir.install_shims() {
        Ok(b) => b,
        Err(e) => return fail("cannot install the shims", e),
    };
    let claim = crate::block::claim();
    let config = ClusterConfig { block: claim.block, ..config };
    let code = runtime.block_on(async {
        let world = World::new(config);
        tokio::spawn(world.clone().drive());
        let sockets = match spawn_all(&world, dir.path()) {
            Ok(s) => s,
            Err(e) => return fail("cannot bind the node sockets", e),
        };
        let _mesh = crate::mesh::Mesh::start(world.clone());
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "runtime {}", dir.path().display());
        let _ = writeln!(out, "shims {}", shims.display());
        let addrs: Vec<_> = world.cluster().machines().iter().map(|m| m.addr).collect();
        for ((name, path), addr) in sockets.iter().zip(addrs) {
            let _ = writeln!(out, "{name} unix://{} {addr}", path.display());
        }
        let _ = out.flush();
        drop(out);
        match endings() {
            Ok(ended) => ended.await,
            Err(e) => return fail("cannot catch signals", e),
        }
        std::process::ExitCode::SUCCESS
    });
    drop(runtime);
    drop(dir);
    code
}

/// Resolves on any signal that asks the lab to end: SIGINT and SIGQUIT (sent from
/// outside: in raw mode Ctrl-C is a key), SIGTERM, SIGHUP (the terminal closed).
pub fn endings() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let kinds = [SignalKind::interrupt(), SignalKind::quit(), SignalKind::terminate(), SignalKind::hangup()];
    let mut signals = kinds.into_iter().map(signal).collect::<std::io::Result<Vec<_>>>()?;
    Ok(async move {
        let waits = signals.iter_mut().map(|s| Box::pin(s.recv()));
        futures::future::select_all(waits).await;
    })
}

/// The `lab` command from a pane: `["node","off","node2"]` in, `{"stdout","stderr","code"}` out.
fn lab(world: &World, body: &[u8]) -> Response<Body> {
    use crate::control::{self, Applied, Clock};
    let args: Vec<String> = serde_json::from_slice(body).unwrap_or_default();
    let result = control::parse(&args).and_then(|action| {
        let applied = control::apply(&mut world.cluster(), &action)?;
        Ok(match applied {
            Applied::Done(said) => said,
            Applied::ForTheClock(clock) => {
                match clock {
                    Clock::Speed(s) => world.set_speed(s),
                    Clock::Skip => world.skip_ahead(),
                    Clock::Reset => world.reset(),
                }
                control::done(clock)
            }
        })
    });
    let texts = crate::i18n::Texts::new(world.lang());
    let v = match result {
        Ok(said) => serde_json::json!({ "stdout": said.text(&texts), "stderr": "", "code": 0 }),
        Err(e) => serde_json::json!({ "stdout": "", "stderr": format!("lab: {}", e.text(&texts)), "code": 2 }),
    };
    let mut r = Response::new(Body::from(v.to_string()));
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

fn plain(status: StatusCode, text: &str) -> Response<Body> {
    let mut r = Response::new(Body::from(text.to_string()));
    *r.status_mut() = status;
    r
}
