//! swarmlab's engine: a deterministic Docker Swarm simulation and the docker command
//! line on top of it. No async runtime, no wall clock, no real I/O: time moves only
//! when the caller advances it, and all randomness comes from one seed.
//!
//! A three-node swarm with a service, as a program embedding the engine builds one:
//!
//! ```
//! use swarmlab_engine::docker;
//! use swarmlab_engine::sim::{Cluster, ClusterConfig};
//!
//! let mut swarm = Cluster::new(ClusterConfig { nodes: 3, ..ClusterConfig::default() });
//! docker(&mut swarm, 0, "swarm init");
//! let token = docker(&mut swarm, 0, "swarm join-token -q worker").stdout;
//! for node in [1, 2] {
//!     let joined = docker(&mut swarm, node, &format!("swarm join --token {} node1:2377", token.trim()));
//!     assert_eq!(joined.stdout, "This node joined a swarm as a worker.\n");
//! }
//! docker(&mut swarm, 0, "service create -d --name web --replicas 3 nginx");
//! swarm.run_until_idle();
//! let ls = docker(&mut swarm, 0, "service ls --format '{{.Name}} {{.Replicas}}'");
//! assert_eq!(ls.stdout, "web 3/3\n");
//! ```

// Text is built with write!, not push_str(&format!()): one allocation less each.
#![warn(clippy::format_push_string)]

pub mod agent;
pub mod api;
pub mod ca;
pub mod cli;
pub mod compose;
pub mod ids;
pub mod manager;
pub mod naming;
pub mod raft;
pub mod reference;
pub mod sim;
pub mod store;
pub mod time;
pub mod types;

/// Runs a docker command line on node `node` (0-based) of `cluster`, its words split as
/// a shell splits them (quotes, backslashes; no variables): `docker(&mut c, 0, "node ls")`.
pub fn docker(cluster: &mut sim::Cluster, node: usize, line: &str) -> cli::Output {
    let argv = cli::service::parse::shlex(line);
    cli::run(&argv, &mut cluster.client(node), cli::Env::default())
}
