//! Judging a store against the spec: the live catalog, its comparison with
//! the V3 shape, the data checks and business rules, and the findings they
//! yield.

pub mod catalog;
pub mod checks;
pub mod compare;
pub mod finding;
pub mod inspect;
pub mod integrity;
pub(crate) mod rules;
mod table_shape;
