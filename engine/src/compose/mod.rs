//! Compose files for `docker stack deploy`: read with serde-saphyr into a tree that keeps
//! line and column, variables substituted as docker/cli does.

mod check;
pub mod convert;
pub mod interpolate;
mod load;
mod merge;
pub mod model;
mod objects;
mod service;
pub mod yaml;

pub use load::{LoadError, Loaded, config_all, load, load_all};
