//! The orders the Documents grid can be read in: each by an index, so a
//! page is a keyset step, never a sort of every row.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Insertion order (rowid).
    #[default]
    Inserted,
    CreatedAt,
    Id,
    Slug,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Inserted, Sort::CreatedAt, Sort::Id, Sort::Slug];

    pub fn label(self) -> &'static str {
        match self {
            Sort::Inserted => "inserted",
            Sort::CreatedAt => "created_at",
            Sort::Id => "id",
            Sort::Slug => "slug",
        }
    }

    /// The sort column; None sorts by rowid alone.
    pub fn column(self) -> Option<&'static str> {
        match self {
            Sort::Inserted => None,
            Sort::CreatedAt => Some("created_at"),
            Sort::Id => Some("id"),
            Sort::Slug => Some("slug"),
        }
    }

    /// The sort on column `name`, if pages can be read in its order by an
    /// index (the others would sort every row for each page).
    pub fn by_column(name: &str) -> Option<Sort> {
        Sort::ALL
            .into_iter()
            .find(|s| s.column().is_some_and(|c| c.eq_ignore_ascii_case(name)))
    }

    /// The sort a name stands for: `inserted` (or `rowid`) or a sort column.
    pub fn parse(name: &str) -> Option<Sort> {
        match name.to_ascii_lowercase().as_str() {
            "inserted" | "rowid" => Some(Sort::Inserted),
            other => Sort::by_column(other),
        }
    }
}
