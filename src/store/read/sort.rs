//! The orders a grid can be read in: as inserted (rowid), or by any column,
//! either way. A column an index leads is paged by keyset on that index;
//! any other by a sorted list built once (see `sorted`).

use crate::store::inspection::catalog::LiveTable;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Sort {
    /// Insertion order (rowid).
    #[default]
    Inserted,
    CreatedAt,
    Id,
    Slug,
    /// Any other column, by name.
    Column(String),
}

/// How pages in a sort's order are read: decided from the live table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortPath {
    /// By rowid (or a WITHOUT ROWID table's key).
    Rowid,
    /// By keyset on an index the column leads.
    Index,
    /// No index gives the order: through a sorted list of rowids (or keys)
    /// built once in the background; until it is there, each page is a
    /// scan with a top-N sort, as `ORDER BY col LIMIT n` is.
    List,
}

impl Sort {
    /// The documents' indexed orders (the spec's indexes).
    pub const ALL: [Sort; 4] = [Sort::Inserted, Sort::CreatedAt, Sort::Id, Sort::Slug];

    pub fn label(&self) -> &str {
        match self {
            Sort::Inserted => "inserted",
            other => other.column().unwrap_or_default(),
        }
    }

    /// The sort column; None sorts by rowid alone.
    pub fn column(&self) -> Option<&str> {
        match self {
            Sort::Inserted => None,
            Sort::CreatedAt => Some("created_at"),
            Sort::Id => Some("id"),
            Sort::Slug => Some("slug"),
            Sort::Column(c) => Some(c),
        }
    }

    /// The sort on column `name` (the named sorts for the spec's indexed
    /// columns, so a sort has one spelling).
    pub fn by_column(name: &str) -> Sort {
        Sort::ALL
            .into_iter()
            .find(|s| s.column().is_some_and(|c| c.eq_ignore_ascii_case(name)))
            .unwrap_or_else(|| Sort::Column(name.to_string()))
    }

    /// The sort a name stands for: `inserted` (or `rowid`) or a column
    /// (whether the table has it is for the caller to say).
    pub fn parse(name: &str) -> Option<Sort> {
        match name.to_ascii_lowercase().as_str() {
            "" => None,
            "inserted" | "rowid" => Some(Sort::Inserted),
            _ => Some(Sort::by_column(name)),
        }
    }

    /// How `live`'s pages are read in this order. A column that is not
    /// there reads as NULL everywhere: rowid order.
    pub fn path(&self, live: &LiveTable) -> SortPath {
        let Some(c) = self.column().and_then(|n| live.column(n)) else {
            return SortPath::Rowid;
        };
        // An INTEGER PRIMARY KEY is the rowid itself.
        let rowid_alias = !live.without_rowid
            && c.pk == 1
            && c.decl_type.eq_ignore_ascii_case("INTEGER")
            && live.columns.iter().filter(|x| x.pk > 0).count() == 1;
        if rowid_alias {
            SortPath::Rowid
        } else if live.leads_index(&c.name) {
            SortPath::Index
        } else {
            SortPath::List
        }
    }
}
