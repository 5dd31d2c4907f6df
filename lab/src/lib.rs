//! swarmlab, the terminal lab: headless runner today; the TUI, daemon sockets and
//! lessons build on it.

pub mod control;
pub mod daemon;
pub mod headless;
pub mod i18n;
pub mod runtime;
pub mod script;
pub mod shell;
pub mod shim;
pub mod term;
pub mod wire;
pub mod world;

/// The example script shipped with swarmlab: a three-node swarm.
pub const EXAMPLE_SCRIPT: &str = include_str!("../../examples/three-node-swarm.sh");
