//! The tabs along the top.

use strum::{EnumIter, IntoEnumIterator};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, EnumIter)]
pub enum Tab {
    #[default]
    Overview,
    Documents,
    Schema,
    Tables,
    Query,
}

impl Tab {
    pub(crate) fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Documents => "Documents",
            Tab::Schema => "Schema",
            Tab::Tables => "Tables",
            Tab::Query => "Query",
        }
    }

    /// 0-based, as drawn.
    pub(crate) fn index(self) -> usize {
        Tab::iter().position(|t| t == self).unwrap_or(0)
    }

    /// The tab `step` places after this one, wrapping around.
    pub(crate) fn cycle(self, step: isize) -> Tab {
        let all: Vec<Tab> = Tab::iter().collect();
        let n = all.len() as isize;
        all[(self.index() as isize + step).rem_euclid(n) as usize]
    }
}
