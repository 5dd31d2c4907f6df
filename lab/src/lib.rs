//! swarmlab, the terminal lab: the live lab (TUI, node sockets, routing mesh, shell
//! panes), the headless runner, and the shims panes run.

// Text is built with write!, not push_str(&format!()): one allocation less each.
#![warn(clippy::format_push_string)]

pub mod app;
pub mod bench;
pub mod block;
pub mod clock;
pub mod coach;
pub mod control;
pub mod daemon;
pub mod headless;
pub mod i18n;
pub mod lesson;
pub mod mesh;
pub mod runtime;
pub mod setup;
pub mod shim;
pub mod term;
pub mod tui;
pub mod ui;
pub mod wire;
pub mod world;

/// The example script shipped with swarmlab: a three-node swarm.
pub const EXAMPLE_SCRIPT: &str = include_str!("../../examples/three-node-swarm.sh");
