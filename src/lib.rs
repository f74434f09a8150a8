//! egregora-inspect: inspect, initialize and migrate the egregora V3 store.

#![forbid(unsafe_code)]

pub mod cli;
pub mod store;
pub mod text;
pub mod tui;
