//! The routing mesh for real: a TCP listener on every swarm node's loopback address
//! for every published port, answering with whichever task the engine's mesh picks
//! (round-robin), so `curl 127.10.0.12:8080` from a pane shows load balancing. A port
//! that cannot be bound gets a nearby free one, and a notice says so.

use crate::world::World;
use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use swarmlab_engine::sim::{Cluster, Membership};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Where a published port of a node actually listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub node: usize,
    pub port: u16,
    pub bound: u16,
}

/// A published port that answers elsewhere than asked: `port` was taken on `addr`
/// (by another program), so the mesh listens on `alt` there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub port: u16,
    pub addr: String,
    pub alt: u16,
}

pub struct Mesh {
    task: JoinHandle<()>,
    moved: Option<mpsc::Receiver<Moved>>,
}

impl Mesh {
    /// Keeps the listeners in step with the cluster's published ports.
    pub fn start(world: Arc<World>) -> Mesh {
        let (tx, rx) = mpsc::channel(16);
        let task = tokio::spawn(reconcile(world, tx));
        Mesh { task, moved: Some(rx) }
    }

    /// Ports answering elsewhere than asked (taken once).
    pub fn moved(&mut self) -> mpsc::Receiver<Moved> {
        self.moved.take().unwrap_or_else(|| mpsc::channel(1).1)
    }
}

impl Drop for Mesh {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// (node, published TCP port) pairs that should answer: every node of a swarm, for
/// every port its services publish.
pub fn wanted(c: &Cluster) -> BTreeSet<(usize, u16)> {
    let mut out = BTreeSet::new();
    for (idx, m) in c.machines().iter().enumerate() {
        let Membership::Active { cluster, .. } = &m.membership else { continue };
        let Some(swarm) = c.swarm(cluster) else { continue };
        for s in swarm.store().services.values() {
            for p in s.endpoint.ports.iter().filter(|p| p.protocol == "tcp" || p.protocol.is_empty()) {
                if let Ok(port) = u16::try_from(p.published_port)
                    && port > 0
                {
                    out.insert((idx, port));
                }
            }
        }
    }
    out
}

async fn reconcile(world: Arc<World>, moved: mpsc::Sender<Moved>) {
    let mut changes = world.subscribe();
    let mut live: BTreeMap<(usize, u16), JoinHandle<()>> = BTreeMap::new();
    loop {
        let want = world.read(wanted);
        live.retain(|key, task| {
            let keep = want.contains(key);
            if !keep {
                task.abort();
            }
            keep
        });
        let missing: Vec<(usize, u16)> = want.iter().filter(|k| !live.contains_key(k)).copied().collect();
        for (node, port) in missing {
            let addr = world.read(|c| c.machines()[node].addr);
            match bind(addr, port).await {
                Some((listener, bound)) => {
                    if bound != port {
                        let _ = moved.try_send(Moved { port, addr: addr.to_string(), alt: bound });
                    }
                    live.insert(
                        (node, port),
                        tokio::spawn(serve(world.clone(), listener, Binding { node, port, bound })),
                    );
                }
                None => {
                    // Nothing free nearby: try again on the next change.
                }
            }
        }
        if changes.changed().await.is_err() {
            return;
        }
        // Let a burst of changes settle before looking again.
        tokio::time::sleep(Duration::from_millis(50)).await;
        changes.mark_unchanged();
    }
}

/// Binds `port`, or the nearest free port above it (8000 + port below 1024).
async fn bind(addr: Ipv4Addr, port: u16) -> Option<(TcpListener, u16)> {
    let first = if port < 1024 { 8000 + port } else { port + 1 };
    let candidates = std::iter::once(port).chain((first..=u16::MAX).take(100));
    for p in candidates {
        if let Ok(l) = TcpListener::bind(SocketAddr::from((addr, p))).await {
            return Some((l, p));
        }
    }
    None
}

async fn serve(world: Arc<World>, listener: TcpListener, b: Binding) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(answer(world.clone(), stream, b));
    }
}

/// Reads one HTTP request, then answers as the task the mesh picks, and closes.
async fn answer(world: Arc<World>, mut stream: TcpStream, b: Binding) {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let read = async {
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(5), read).await;
    let answer = world.cluster().route(b.node, u32::from(b.port));
    let Some(a) = answer.filter(|a| a.status == 200) else { return };
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        a.body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(a.body.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Speed;
    use swarmlab_engine::cli::{self, Env};
    use swarmlab_engine::sim::ClusterConfig;

    async fn get(addr: &str) -> String {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("send");
        let mut out = String::new();
        s.read_to_string(&mut out).await.expect("read");
        out
    }

    fn container(page: &str) -> String {
        page.split("container <b>").nth(1).and_then(|r| r.split('<').next()).unwrap_or_default().to_string()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn published_ports_answer_round_robin_and_move_off_taken_ports() {
        // Taken before the lab starts: the mesh must move to a nearby port and say so.
        let taken = std::net::TcpListener::bind("127.10.0.12:28090").expect("bind a port to take");
        let world = World::at(ClusterConfig::default(), Speed::Paused);
        crate::setup::ready_swarm(&world, 1).expect("swarm");
        {
            let mut c = world.cluster();
            let argv: Vec<String> =
                "service create -d --name web --replicas 2 -p 28090:80 nginx".split(' ').map(String::from).collect();
            cli::run(&argv, &mut c.client(0), Env::default());
        }
        world.skip_ahead();
        let mut mesh = Mesh::start(world.clone());
        let mut moved = mesh.moved();
        let notice = tokio::time::timeout(Duration::from_secs(5), moved.recv()).await.ok().flatten();
        assert_eq!(notice, Some(Moved { port: 28090, addr: "127.10.0.12".into(), alt: 28091 }));
        let a = container(&get("127.10.0.11:28090").await);
        let b = container(&get("127.10.0.11:28090").await);
        assert!(!a.is_empty() && !b.is_empty() && a != b, "{a} {b}");
        assert_eq!(container(&get("127.10.0.12:28091").await).len(), 12);
        // The service goes: so do its listeners.
        {
            let mut c = world.cluster();
            cli::run(&["service".into(), "rm".into(), "web".into()], &mut c.client(0), Env::default());
        }
        let start = std::time::Instant::now();
        while TcpStream::connect("127.10.0.11:28090").await.is_ok() {
            assert!(start.elapsed() < Duration::from_secs(5), "the listener closes");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        drop(taken);
    }
}
