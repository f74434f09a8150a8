//! Everything SQLite. Knows nothing of the terminal.

pub mod apply;
pub mod catalog;
pub mod checks;
pub mod demo;
pub mod documents;
pub mod error;
pub mod fold;
pub mod identify;
pub mod inspect;
pub mod integrity;
pub mod lock_wait;
pub mod open;
pub mod plan;
pub mod spec;
pub mod tables;

pub use error::{Result, StoreError};
