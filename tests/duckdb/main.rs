//! Upstream's DuckDB store (DESIGN §9), made by the duckdb shell from
//! upstream's own DDL: check, import, the app's snapshot, and the app on it
//! in a real terminal. One binary, so the shell runs side by side.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/harness.rs"]
mod harness;

mod app;
mod check;
mod import;
mod relations;
mod snapshot;
mod tmux;
