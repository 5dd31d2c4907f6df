//! The routing mesh's decision: which running task answers a request to a node's
//! published port, and what its simulated server says. Ingress ports answer on every
//! node and go round-robin over the service's running tasks; host-mode ports answer
//! only on nodes running a task. The lab binds real sockets and asks this.

use super::Cluster;
use crate::agent::images::{self, Behaviour};
use crate::types::TaskState;

/// What a request to a published port gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// The container that answered (its hostname, as `$HOSTNAME` inside it).
    pub hostname: String,
    pub body: String,
}

impl Cluster {
    /// Routes a TCP request arriving at `port` on machine `idx`; None when nothing
    /// listens there (connection refused).
    pub fn route(&mut self, idx: usize, port: u32) -> Option<Answer> {
        let m = self.machines.get(idx)?;
        if !m.reachable() {
            return None;
        }
        let cluster = m.cluster_id()?.to_string();
        let node_id = m.node_id()?.to_string();
        let store = self.swarms.get(&cluster)?.store();
        let (service, ingress, target) = store.services.values().find_map(|s| {
            s.endpoint
                .ports
                .iter()
                .find(|p| p.published_port == port && p.protocol == "tcp")
                .map(|p| (s, p.publish_mode != "host", p.target_port))
        })?;
        let mut running: Vec<(String, String)> = store
            .service_tasks(&service.id)
            .filter(|t| t.status.state == TaskState::Running && t.desired_state == TaskState::Running)
            .filter(|t| ingress || t.node_id == node_id)
            .map(|t| (t.id.clone(), t.node_id.clone()))
            .collect();
        running.sort();
        if running.is_empty() {
            return None;
        }
        let key = (service.id.clone(), port);
        let turn = self.mesh_turns.entry(key).or_insert(0);
        let (task_id, task_node) = running[*turn % running.len()].clone();
        *turn += 1;
        let machine = self.machines.iter().find(|m| m.node_id() == Some(task_node.as_str()) && m.reachable())?;
        let c = machine.agent.containers.get(&task_id)?;
        let serves = matches!(c.behaviour, Behaviour::Serve { http_port: Some(p) } if u32::from(p) == target);
        if !serves {
            // The task runs but nothing listens on the target port inside it.
            return Some(Answer { status: 0, hostname: c.hostname.clone(), body: String::new() });
        }
        Some(Answer { status: 200, hostname: c.hostname.clone(), body: page(&c.image, &c.hostname) })
    }
}

/// The page a simulated web server serves, naming the container that answered.
fn page(image: &str, hostname: &str) -> String {
    let (repo, _) = images::split_ref(image);
    match repo.as_str() {
        "traefik/whoami" | "containous/whoami" => {
            format!("Hostname: {hostname}\nIP: 127.0.0.1\nRemoteAddr: 10.0.0.2:51234\nGET / HTTP/1.1\n")
        }
        "nginx" => format!(
            "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>Served by container <b>{hostname}</b> ({image}).</p>\n</body>\n</html>\n"
        ),
        "httpd" => format!("<html><body><h1>It works!</h1><p>{hostname}</p></body></html>\n"),
        _ => format!("Hello from {hostname} ({image})\n"),
    }
}
