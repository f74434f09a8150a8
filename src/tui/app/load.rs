//! Data that arrives from a worker, and what is known while it does not.

use super::super::worker::Failure;

/// Data that arrives from the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Loaded(T),
    /// The last good data, and why it may no longer be so (a lock held
    /// by another process; a file gone).
    Stale(T, String),
    Failed(String),
}

impl<T> Load<T> {
    /// The data to show: loaded, or stale but the last known.
    pub fn loaded(&self) -> Option<&T> {
        match self {
            Load::Loaded(t) | Load::Stale(t, _) => Some(t),
            _ => None,
        }
    }

    /// Takes a worker's answer. A lock keeps the last good data, marked
    /// stale; any other failure replaces it with the reason.
    pub(crate) fn settle(&mut self, got: Result<T, Failure>) {
        let old = std::mem::replace(self, Load::Loading);
        *self = match (got, old) {
            (Ok(t), _) => Load::Loaded(t),
            (Err(Failure::Locked), Load::Loaded(t) | Load::Stale(t, _)) => {
                Load::Stale(t, Failure::Locked.to_string())
            }
            (Err(why), _) => Load::Failed(why.to_string()),
        };
    }

    pub fn stale(&self) -> Option<&str> {
        match self {
            Load::Stale(_, why) => Some(why),
            _ => None,
        }
    }
}

impl<T> From<Result<T, Failure>> for Load<T> {
    fn from(r: Result<T, Failure>) -> Self {
        let mut l = Load::Loading;
        l.settle(r);
        l
    }
}
