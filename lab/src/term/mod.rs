//! Real shells in pseudo-terminals, one per virtual node: spawning them with the
//! node's environment, reading their output on a thread each, writing keys to them.

pub mod keys;
pub mod pty;
pub mod shell;
