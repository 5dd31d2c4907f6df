//! The manager side of a swarm, named after swarmkit's: `controlapi` validates requests
//! against the store and turns them into store changes; `leadership` decides who leads
//! (Raft takes this over).

pub mod controlapi;
pub mod leadership;
