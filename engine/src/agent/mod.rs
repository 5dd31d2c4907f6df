//! The agent side of each node: the simulated registry and container executor.

pub mod executor;
pub mod images;
