//! Holds the workspace's end-to-end tests (`tests/`), which span both crates.
