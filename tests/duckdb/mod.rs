//! Upstream's DuckDB store (DESIGN §9), made by the duckdb shell from
//! upstream's own DDL: check, import, the app's snapshot, and the app on it
//! in a real terminal.

mod app;
mod check;
mod import;
mod relations;
mod snapshot;
mod tmux;
