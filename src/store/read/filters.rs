//! The WHERE terms that select documents: the Documents tab's filters and
//! search (and a finding's rows), shared by its pages, its count and the
//! export, so all three select the same rows.

use crate::store::cell::Cell;
use crate::store::inspection::catalog::LiveTable;
use crate::store::spec::quote;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

/// Which of the five columns the grid shows a table has; a store in an older
/// shape may lack some, and they then read as NULL.
pub(crate) fn col(live: &LiveTable, name: &str) -> String {
    match live.column(name) {
        Some(c) => quote(&c.name),
        None => "NULL".into(),
    }
}

/// The values a filter keeps (a doc_type or status picker's), NULL among
/// them as None; none: no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picked(pub Vec<Option<String>>);

impl Picked {
    pub fn one(value: &str) -> Picked {
        Picked(vec![Some(value.to_string())])
    }

    /// How the Documents header says it: `post, profile, ∅ NULL` (NULL
    /// marked as the grid marks it, never the text `NULL`).
    pub fn label(&self) -> String {
        let each: Vec<&str> = self
            .0
            .iter()
            .map(|v| v.as_deref().unwrap_or("∅ NULL"))
            .collect();
        each.join(", ")
    }

    /// The one value kept, when it is one text value.
    pub fn single(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Some(v)] => Some(v),
            _ => None,
        }
    }
}

impl From<Option<&str>> for Picked {
    fn from(v: Option<&str>) -> Picked {
        v.map(Picked::one).unwrap_or_default()
    }
}

impl std::ops::Deref for Picked {
    type Target = [Option<String>];
    fn deref(&self) -> &[Option<String>] {
        &self.0
    }
}

/// The WHERE term that keeps rows whose `c` (SQL) is one of `values` (NULL
/// by IS NULL), with `hint` before each use of the column, and its
/// arguments; None for no values.
pub(crate) fn one_of(
    c: &str,
    values: &[Option<String>],
    hint: &str,
) -> Option<(String, Vec<Value>)> {
    let texts: Vec<Value> = values.iter().flatten().cloned().map(Value::Text).collect();
    let null = values.iter().any(Option::is_none);
    let listed = match texts.len() {
        0 => None,
        1 => Some(format!("{hint}{c} = ?")),
        n => Some(format!("{hint}{c} IN ({})", vec!["?"; n].join(", "))),
    };
    let term = match (listed, null) {
        (None, false) => return None,
        (None, true) => format!("{hint}{c} IS NULL"),
        (Some(l), false) => l,
        (Some(l), true) => format!("({l} OR {hint}{c} IS NULL)"),
    };
    Some((term, texts))
}

/// What selects documents: any of these doc_types and any of these
/// statuses (none: all), a search, a list of rows, one column's value.
pub(crate) struct FilterSet<'a> {
    pub types: &'a [Option<String>],
    pub statuses: &'a [Option<String>],
    pub search: Option<&'a str>,
    pub rowids: Option<&'a [i64]>,
    pub value: Option<&'a ValueFilter>,
}

/// What a value filter written as a statement reads.
#[derive(Debug, Clone, Copy)]
pub enum Rows<'a> {
    Table(&'a str),
    /// The user's statement.
    Query(&'a str),
}

/// Rows whose `column` is `value` (NULL included), or, for a JSON array
/// column (`element`), holds it among its elements: a value picked among a
/// column's frequencies.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueFilter {
    pub column: String,
    pub value: Cell,
    pub element: bool,
}

/// How a value picked in Documents filters the list: `doc_type` and
/// `status` as their own filters (`t`, `s`) do, any other as a value.
#[derive(Debug, Clone, PartialEq)]
pub enum DocFilter {
    Type(String),
    Status(String),
    Value(ValueFilter),
}

impl ValueFilter {
    /// The filter of Documents this value becomes.
    pub fn doc_filter(self) -> DocFilter {
        match (&self.value, self.column.as_str(), self.element) {
            (Cell::Text { text, .. }, "doc_type", false) => DocFilter::Type(text.clone()),
            (Cell::Text { text, .. }, "status", false) => DocFilter::Status(text.clone()),
            _ => DocFilter::Value(self),
        }
    }

    /// The value to compare with, when it is known whole (a value cut for
    /// the grid, or shown lossily, cannot select exactly).
    pub fn exact(c: &Cell) -> Option<Value> {
        Some(match c {
            Cell::Null => Value::Null,
            Cell::Integer(i) => Value::Integer(*i),
            Cell::Real(f) => Value::Real(*f),
            Cell::Text {
                text,
                invalid: false,
                cut_from: None,
            } => Value::Text(text.clone()),
            Cell::Blob { len, head } if *len == head.len() as i64 => Value::Blob(head.clone()),
            _ => return None,
        })
    }

    /// The WHERE term for `col` (SQL) and its argument.
    pub(crate) fn term(&self, col: &str) -> (String, Value) {
        let v = ValueFilter::exact(&self.value).unwrap_or(Value::Null);
        if self.element {
            let arrays = format!("CASE WHEN json_valid({col}) THEN {col} END");
            (
                format!("EXISTS (SELECT 1 FROM json_each({arrays}) WHERE value IS ?)"),
                v,
            )
        } else {
            (format!("{col} IS ?"), v)
        }
    }

    /// A statement of the rows of `of` with this value, the value written in
    /// as a literal: for the SQL line, where the user sees and may change
    /// it. None when the value cannot be written exactly.
    pub fn statement(&self, of: Rows<'_>) -> Option<String> {
        let from = match of {
            Rows::Table(t) => quote(t),
            Rows::Query(sql) => format!("({})", crate::store::read::query::body(sql)),
        };
        let term = self.where_sql(&quote(&self.column))?;
        Some(format!("SELECT * FROM {from} WHERE {term}"))
    }

    /// The term as SQL text for `col` (SQL), the value as a literal.
    fn where_sql(&self, col: &str) -> Option<String> {
        let lit = match ValueFilter::exact(&self.value)? {
            Value::Null => "NULL".to_string(),
            Value::Integer(i) => i.to_string(),
            Value::Real(f) if f.is_finite() => format!("{f:?}"),
            Value::Real(_) => return None,
            Value::Text(t) => format!("'{}'", t.replace('\'', "''")),
            Value::Blob(b) => format!(
                "X'{}'",
                b.iter().map(|x| format!("{x:02x}")).collect::<String>()
            ),
        };
        Some(if self.element {
            format!(
                "EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid({col}) THEN {col} END) WHERE value IS {lit})"
            )
        } else {
            format!("{col} IS {lit}")
        })
    }

    /// How the grid's header says it: `tags ∋ "news"`, `title = "x"`,
    /// `title IS NULL` (as the filter compares: `=` never matches NULL).
    pub fn label(&self) -> String {
        let v = match &self.value {
            Cell::Null => "NULL".to_string(),
            Cell::Text { text, .. } => format!("“{text}”"),
            other => other.summary(),
        };
        let op = match (self.element, &self.value) {
            (true, _) => "∋",
            (false, Cell::Null) => "IS",
            (false, _) => "=",
        };
        format!("{} {op} {v}", self.column)
    }
}

impl FilterSet<'_> {
    pub(crate) fn terms(&self, live: &LiveTable, hint: bool) -> (Vec<String>, Vec<Value>) {
        let hint = if hint { "+" } else { "" };
        let mut filters = Vec::new();
        let mut args = Vec::new();
        if let Some(ids) = self.rowids {
            // A finding's few rows, fetched by rowid.
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            filters.push("rowid IN (SELECT value FROM json_each(?))".to_string());
            args.push(Value::Text(format!("[{}]", list.join(","))));
        }
        for (name, values) in [("doc_type", self.types), ("status", self.statuses)] {
            if let Some((term, a)) = one_of(&col(live, name), values, hint) {
                filters.push(term);
                args.extend(a);
            }
        }
        if let Some(f) = self.value {
            let (term, arg) = f.term(&col(live, &f.column));
            filters.push(term);
            args.push(arg);
        }
        if let Some(s) = self.search.filter(|s| !s.is_empty()) {
            let pattern = format!(
                "%{}%",
                s.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            let cols: Vec<String> = ["id", "slug", "title", "content"]
                .iter()
                .filter(|c| live.column(c).is_some())
                .map(|c| format!("{} LIKE ? ESCAPE '\\'", col(live, c)))
                .collect();
            if !cols.is_empty() {
                filters.push(format!("({})", cols.join(" OR ")));
                for _ in 0..cols.len() {
                    args.push(Value::Text(pattern.clone()));
                }
            }
        }
        (filters, args)
    }
}

/// Two filters that each match many rows can match few together (in the demo
/// no profile is archived): walking the sort's index then reads nearly every
/// row to fill a page. Their rowids, intersected on the two filters' own
/// indexes (a merge of index entries, no row read), tell: when at most this
/// many match, the page is read from that list.
pub const SPARSE_ROWS: usize = 1000;

/// The rowids two large filters match together, when they are few (see
/// SPARSE_ROWS): a JSON array, for `json_each`. None when the page should be
/// found the usual way.
/// Only for a page the usual way: no search, no filter index asked for, no
/// rowids named.
pub(crate) fn sparse_rowids(
    conn: &Connection,
    live: &LiveTable,
    types: &Picked,
    statuses: &Picked,
) -> rusqlite::Result<Option<String>> {
    if types.is_empty() || statuses.is_empty() {
        return Ok(None);
    }
    let leads = |name: &str| live.leads_index(name);
    if live.without_rowid || !leads("doc_type") || !leads("status") {
        return Ok(None);
    }
    let from = quote(&live.name);
    let (Some((t, mut args)), Some((st, sargs))) = (
        one_of(&col(live, "doc_type"), types, ""),
        one_of(&col(live, "status"), statuses, ""),
    ) else {
        return Ok(None);
    };
    args.extend(sargs);
    let sql = format!(
        "SELECT rowid FROM {from} WHERE {t} INTERSECT SELECT rowid FROM {from} WHERE {st} ORDER BY 1 LIMIT ?"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let cap = i64::try_from(SPARSE_ROWS + 1).unwrap_or(i64::MAX);
    args.push(Value::Integer(cap));
    let ids = stmt
        .query_map(params_from_iter(args), |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    if ids.len() > SPARSE_ROWS {
        return Ok(None);
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    Ok(Some(format!("[{}]", list.join(","))))
}
