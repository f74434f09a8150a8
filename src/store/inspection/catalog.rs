//! Reads the live catalog: schema entries, columns and indexes.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};
use serde::Serialize;

/// What a catalog object is: `sqlite_schema`'s types, and a virtual table
/// told apart from a table. Shown and serialised as SQLite names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Table,
    VirtualTable,
    View,
    Index,
    Trigger,
}

impl ObjectKind {
    pub fn label(self) -> &'static str {
        match self {
            ObjectKind::Table => "table",
            ObjectKind::VirtualTable => "virtual table",
            ObjectKind::View => "view",
            ObjectKind::Index => "index",
            ObjectKind::Trigger => "trigger",
        }
    }

    /// A `sqlite_schema.type`; None for a type SQLite does not write.
    fn parse(kind: &str) -> Option<ObjectKind> {
        match kind {
            "table" => Some(ObjectKind::Table),
            "view" => Some(ObjectKind::View),
            "index" => Some(ObjectKind::Index),
            "trigger" => Some(ObjectKind::Trigger),
            _ => None,
        }
    }

    /// A table or a view: what holds rows.
    pub(crate) fn has_rows(self) -> bool {
        !matches!(self, ObjectKind::Index | ObjectKind::Trigger)
    }
}

impl std::fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `pad`, so a width in the format string holds.
        f.pad(self.label())
    }
}

impl Serialize for ObjectKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

/// One row of `sqlite_schema`, internal objects left out.
#[derive(Debug, Clone, Serialize)]
pub struct SchemaEntry {
    #[serde(rename = "type")]
    pub kind: ObjectKind,
    pub name: String,
    pub table: String,
    pub sql: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LiveColumn {
    pub name: String,
    pub decl_type: String,
    pub not_null: bool,
    /// Position in the primary key, 0 when not part of it.
    pub pk: u32,
    pub default: Option<String>,
    /// 0 normal, 1 hidden (virtual tables), 2/3 generated.
    pub hidden: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LiveIndex {
    pub name: String,
    pub table: String,
    /// Column names in order; None for an expression.
    pub columns: Vec<Option<String>>,
    pub unique: bool,
    pub partial: bool,
    /// `c` made by CREATE INDEX, `u` by UNIQUE, `pk` by PRIMARY KEY.
    pub origin: String,
    pub sql: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LiveTable {
    pub name: String,
    pub columns: Vec<LiveColumn>,
    pub indexes: Vec<LiveIndex>,
    pub without_rowid: bool,
    pub sql: Option<String>,
}

impl LiveIndex {
    /// Whether this index is the spec's: same columns in order, same
    /// uniqueness, not partial.
    pub(crate) fn matches(&self, spec: &crate::store::spec::IndexSpec) -> bool {
        self.unique == spec.unique
            && !self.partial
            && self.columns.len() == spec.columns.len()
            && self
                .columns
                .iter()
                .zip(&spec.columns)
                .all(|(a, b)| a.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(b)))
    }
}

impl LiveTable {
    pub(crate) fn column(&self, name: &str) -> Option<&LiveColumn> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Whether an index (not partial) leads with column `name`: a lookup of
    /// a value of it reads the index, not the table.
    pub(crate) fn leads_index(&self, name: &str) -> bool {
        self.indexes.iter().any(|i| {
            !i.partial
                && i.columns
                    .first()
                    .and_then(|c| c.as_deref())
                    .is_some_and(|c| c.eq_ignore_ascii_case(name))
        })
    }
}

/// Text from the catalog, read lossily: names can hold any bytes.
pub(crate) fn lossy(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<String>> {
    Ok(match row.get_ref(idx)? {
        ValueRef::Null => None,
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
    })
}

pub(crate) fn entries(conn: &Connection) -> rusqlite::Result<Vec<SchemaEntry>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema
         WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        let Some(kind) = ObjectKind::parse(&lossy(r, 0)?.unwrap_or_default()) else {
            return Ok(None);
        };
        Ok(Some(SchemaEntry {
            kind,
            name: lossy(r, 1)?.unwrap_or_default(),
            table: lossy(r, 2)?.unwrap_or_default(),
            sql: lossy(r, 3)?,
        }))
    })?;
    rows.filter_map(Result::transpose).collect()
}

pub(crate) fn table(
    conn: &Connection,
    name: &str,
    sql: Option<String>,
) -> rusqlite::Result<LiveTable> {
    let mut stmt = conn.prepare(
        "SELECT name, type, \"notnull\", pk, dflt_value, hidden FROM pragma_table_xinfo(?1) ORDER BY cid",
    )?;
    let columns = stmt
        .query_map([name], |r| {
            Ok(LiveColumn {
                name: lossy(r, 0)?.unwrap_or_default(),
                decl_type: lossy(r, 1)?.unwrap_or_default(),
                not_null: r.get::<_, i64>(2)? != 0,
                pk: u32::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
                default: lossy(r, 4)?,
                hidden: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let indexes = indexes(conn, name)?;
    let without_rowid = sql.as_deref().is_some_and(is_without_rowid);
    Ok(LiveTable {
        name: name.to_string(),
        columns,
        indexes,
        without_rowid,
        sql,
    })
}

/// `name`'s columns and indexes, with its DDL read from the catalog (so
/// that a WITHOUT ROWID table is known as one).
pub(crate) fn table_named(conn: &Connection, name: &str) -> rusqlite::Result<LiveTable> {
    let sql: Option<String> = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
            [name],
            |r| lossy(r, 0),
        )
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    table(conn, name, sql)
}

/// The column names of table or view `name`; none when SQLite cannot say.
pub(crate) fn column_names(conn: &Connection, name: &str) -> Vec<String> {
    let read = || -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
        let names = stmt.query_map([name], |r| r.get::<_, String>(0))?;
        names.collect()
    };
    read().unwrap_or_default()
}

pub(crate) fn is_without_rowid(sql: &str) -> bool {
    let tail = sql.rsplit(')').next().unwrap_or("").to_ascii_uppercase();
    tail.contains("WITHOUT") && tail.contains("ROWID")
}

pub(crate) fn indexes(conn: &Connection, table: &str) -> rusqlite::Result<Vec<LiveIndex>> {
    let mut list = conn.prepare(
        "SELECT il.name, il.\"unique\", il.origin, il.partial, s.sql
         FROM pragma_index_list(?1) AS il LEFT JOIN sqlite_schema AS s ON s.name = il.name
         ORDER BY il.seq DESC",
    )?;
    let mut cols = conn.prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")?;
    let found = list
        .query_map([table], |r| {
            Ok((
                lossy(r, 0)?.unwrap_or_default(),
                r.get::<_, i64>(1)? != 0,
                lossy(r, 2)?.unwrap_or_default(),
                r.get::<_, i64>(3)? != 0,
                lossy(r, 4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(found.len());
    for (name, unique, origin, partial, sql) in found {
        let columns = cols
            .query_map([&name], |r| lossy(r, 0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(LiveIndex {
            name,
            table: table.to_string(),
            columns,
            unique,
            partial,
            origin,
            sql,
        });
    }
    Ok(out)
}
