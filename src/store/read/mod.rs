//! Reading what the store holds: document pages, tables, user queries,
//! frequencies, exports, tasks. Nothing here writes.

pub mod backlinks;
pub mod complete;
pub mod doc_counts;
pub mod document;
pub mod documents;
pub mod export;
pub mod filters;
pub mod frequencies;
pub mod parent;
pub mod query;
pub mod row_key;
pub(crate) mod sample;
pub mod search;
pub mod sort;
pub mod sorted;
pub mod tables;
pub mod tasks;
