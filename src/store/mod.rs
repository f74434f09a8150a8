//! Everything SQLite. Knows nothing of the terminal.
//!
//! `read` answers what the store holds (pages, tables, queries, counts,
//! exports); `inspection` judges it against the spec (catalog, findings, data
//! checks); `plan` and `apply` are the only way anything is written.

pub mod apply;
pub mod cancel;
pub mod cell;
pub mod change;
pub mod demo;
pub mod duckdb;
pub mod error;
pub mod extensions;
pub mod identify;
pub mod inspection;
pub mod matching;
pub mod open;
pub mod plan;
pub mod read;
pub mod spec;
pub mod values;

pub use error::{Result, StoreError};
