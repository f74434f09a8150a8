//! Everything SQLite. Knows nothing of the terminal.

pub mod apply;
pub mod cancel;
pub mod catalog;
pub mod cell;
pub mod checks;
pub mod compare;
pub mod demo;
pub mod doc_counts;
pub mod document;
pub mod documents;
pub mod error;
pub mod export;
pub mod extensions;
pub mod filters;
pub mod finding;
pub mod frequencies;
pub mod identify;
pub mod inspect;
pub mod integrity;
pub mod matching;
pub mod open;
pub mod plan;
pub mod query;
pub(crate) mod rules;
pub(crate) mod sample;
pub mod spec;
pub mod tables;
pub mod tasks;
pub mod values;

pub use error::{Result, StoreError};
