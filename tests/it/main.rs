//! The integration tests but the screens', in one binary so the tests that
//! wait (on a lock, a process, the duckdb shell) run beside those that
//! compute: the command line through the real binary (`cli`), the store
//! on real files (`store`), and upstream's DuckDB store (`duckdb`).
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/harness.rs"]
mod harness;

#[path = "../cli/mod.rs"]
mod cli;
#[path = "../duckdb/mod.rs"]
mod duckdb;
#[path = "../store/mod.rs"]
mod store;
