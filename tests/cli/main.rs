//! The command line through the real binary: each command's output, exit
//! codes and refusals, locks waited out, bad input that changes nothing.
//! One binary, so the tests that wait on a lock or a process run side by
//! side.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod bad_input;
mod change;
mod check;
mod completions;
mod default_path;
mod diff;
mod export;
mod export_formats;
mod lock_wait;
mod query;
