//! Serving one node's socket: HTTP/1.1 connections with a deadline for each request's
//! headers and a cap on how many are open at once, so that clients that connect and
//! send nothing (or too slowly) cannot keep the daemon from answering the next one.

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::net::UnixListener;
use tokio::task::AbortHandle;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a connection may take to send a request's headers, counted from when
    /// it is ready for the next one (an idle keep-alive connection closes after it).
    pub header_timeout: Duration,
    /// Connections open at once; at the cap, the oldest is closed to make room.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { header_timeout: Duration::from_secs(10), max_connections: 256 }
    }
}

/// Accepts and serves connections until the listener fails for good.
pub async fn serve(listener: UnixListener, app: Router, limits: Limits) {
    let mut open: VecDeque<AbortHandle> = VecDeque::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors, most likely: wait for connections to close.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        open.retain(|c| !c.is_finished());
        while open.len() >= limits.max_connections.max(1) {
            if let Some(oldest) = open.pop_front() {
                oldest.abort();
            }
        }
        let service = TowerToHyperService::new(app.clone());
        let task = tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            // A client may shut its side once its request is sent, as Go's server allows.
            http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).half_close(true);
            // A connection that fails (timed out, reset) only ends itself.
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
        });
        open.push_back(task.abort_handle());
    }
}
