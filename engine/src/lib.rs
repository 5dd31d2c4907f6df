//! swarmlab's engine: a deterministic Docker Swarm simulation and the docker command
//! line on top of it. No async runtime, no wall clock, no real I/O: time moves only
//! when the caller advances it, and all randomness comes from one seed.

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
