//! egregora-inspect: inspect, initialize and migrate the egregora V3 store.

pub mod store;
