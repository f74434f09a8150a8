//! Everything SQLite. Knows nothing of the terminal.

pub mod error;
pub mod identify;
pub mod open;
pub mod spec;

pub use error::{Result, StoreError};
