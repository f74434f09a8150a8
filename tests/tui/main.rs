//! The app's screen tests in one binary: one link for all of them, not one
//! per file. Each module is one part of the app, driven through the real
//! key routing and workers (`harness`), the real event loop, or tmux.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/harness.rs"]
mod harness;
#[path = "../common/screen.rs"]
mod screen;

mod app_tmux;
mod change;
mod detail;
mod editor;
mod event_loop;
mod grid;
mod live;
mod modes;
mod narrow;
mod picker;
mod query;
mod record;
mod screens;
mod sorting;
mod states;
mod tasks;
mod tmux;
