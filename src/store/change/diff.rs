//! `diff OLD NEW`: every table of either store compared row by row, both
//! sides read in key order (the primary key, else the rowid) and merged as
//! they stream, so memory stays the same at any size. Only counts, the
//! names of the columns that changed and the first rows are kept.

use super::rows::{ColumnChange, Value};
use crate::store::error::{Result, StoreError};
use crate::store::open::open_read_only;
use crate::store::spec::{literal, quote};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};
use serde::Serialize;
use std::cmp::Ordering;
use std::path::Path;

/// Rows of each kind a table's diff keeps to show.
const FIRST_ROWS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowKind {
    OnlyOld,
    OnlyNew,
    Changed,
}

/// A row that differs: its key, and for a changed row each changed column.
#[derive(Debug, Clone, Serialize)]
pub struct RowDiff {
    pub kind: RowKind,
    pub key: Vec<(String, Value)>,
    pub columns: Vec<ColumnChange>,
}

/// One table compared.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TableDiff {
    pub table: String,
    /// "old" or "new" when the table is in one store only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only_in: Option<&'static str>,
    /// Why its rows could not be compared (no key both sides share).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_compared: Option<String>,
    /// The key rows are matched by: its primary key, or `rowid`.
    pub key: Vec<String>,
    pub columns_only_old: Vec<String>,
    pub columns_only_new: Vec<String>,
    pub only_old: u64,
    pub only_new: u64,
    pub changed: u64,
    /// Every column that changed in some row.
    pub changed_columns: Vec<String>,
    /// The first rows that differ.
    pub rows: Vec<RowDiff>,
}

impl TableDiff {
    pub fn same(&self) -> bool {
        self.only_in.is_none()
            && self.not_compared.is_none()
            && self.columns_only_old.is_empty()
            && self.columns_only_new.is_empty()
            && self.only_old + self.only_new + self.changed == 0
    }
}

/// A table's shape: its columns (name, primary-key position) and whether
/// it has a rowid.
struct Shape {
    name: String,
    columns: Vec<(String, i64)>,
    rowid: bool,
}

fn tables(conn: &Connection, path: &Path) -> Result<Vec<Shape>> {
    let err = |e| StoreError::sqlite(path, "cannot read the catalog", e);
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
        .map_err(err)?;
    let list: Vec<(String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(err)?
        .collect::<rusqlite::Result<_>>()
        .map_err(err)?;
    let mut out = Vec::new();
    for (name, sql) in list {
        let columns = conn
            .prepare(&format!(
                "SELECT name, pk FROM pragma_table_info({}) ORDER BY cid",
                literal(&name)
            ))
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<(String, i64)>>>()
            })
            .map_err(err)?;
        let rowid = !crate::store::inspection::catalog::is_without_rowid(&sql.unwrap_or_default());
        out.push(Shape {
            name,
            columns,
            rowid,
        });
    }
    Ok(out)
}

fn key_of(s: &Shape) -> Vec<String> {
    let mut pk: Vec<&(String, i64)> = s.columns.iter().filter(|c| c.1 > 0).collect();
    pk.sort_by_key(|c| c.1);
    pk.into_iter().map(|c| c.0.to_ascii_lowercase()).collect()
}

/// Compares every table of `old` and `new` (those named in `only`, when
/// any). Returns one diff per table, by name.
pub fn diff(old: &Path, new: &Path, only: &[String]) -> Result<Vec<TableDiff>> {
    let a = open_read_only(old)?;
    let b = open_read_only(new)?;
    let (ta, tb) = (tables(&a.conn, old)?, tables(&b.conn, new)?);
    let find = |list: &'_ [Shape], n: &str| -> Option<usize> {
        list.iter().position(|t| t.name.eq_ignore_ascii_case(n))
    };
    let mut names: Vec<String> = ta.iter().map(|t| t.name.clone()).collect();
    for t in &tb {
        if find(&ta, &t.name).is_none() {
            names.push(t.name.clone());
        }
    }
    names.sort_by_key(|n| n.to_ascii_lowercase());
    for o in only {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(o)) {
            return Err(StoreError::Refused(format!(
                "no table {} in either store",
                crate::text::escape(o)
            )));
        }
    }
    let mut out = Vec::new();
    for name in names {
        if !only.is_empty() && !only.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
            continue;
        }
        let d = match (find(&ta, &name), find(&tb, &name)) {
            (Some(i), Some(j)) => compare(&a.conn, &b.conn, &ta[i], &tb[j])
                .map_err(|e| StoreError::sqlite(new, format!("cannot compare {name}"), e))?,
            (Some(_), None) => one_side(name, "old"),
            (None, Some(_)) => one_side(name, "new"),
            (None, None) => continue,
        };
        out.push(d);
    }
    Ok(out)
}

fn one_side(table: String, side: &'static str) -> TableDiff {
    TableDiff {
        table,
        only_in: Some(side),
        ..TableDiff::default()
    }
}

fn compare(a: &Connection, b: &Connection, sa: &Shape, sb: &Shape) -> rusqlite::Result<TableDiff> {
    let mut d = TableDiff {
        table: sa.name.clone(),
        ..TableDiff::default()
    };
    let has = |s: &Shape, c: &str| s.columns.iter().any(|x| x.0.eq_ignore_ascii_case(c));
    d.columns_only_old = sa
        .columns
        .iter()
        .filter(|c| !has(sb, &c.0))
        .map(|c| c.0.clone())
        .collect();
    d.columns_only_new = sb
        .columns
        .iter()
        .filter(|c| !has(sa, &c.0))
        .map(|c| c.0.clone())
        .collect();
    let (ka, kb) = (key_of(sa), key_of(sb));
    let key: Vec<String> = if !ka.is_empty() && ka == kb {
        ka
    } else if sa.rowid && sb.rowid {
        vec!["rowid".into()]
    } else {
        d.not_compared = Some("the two sides share no primary key and one has no rowid".into());
        return Ok(d);
    };
    d.key = key.clone();
    let common: Vec<String> = sa
        .columns
        .iter()
        .filter(|c| has(sb, &c.0) && !key.contains(&c.0.to_ascii_lowercase()))
        .map(|c| c.0.clone())
        .collect();
    let sql = |s: &Shape| {
        let q = |c: &String| {
            if c == "rowid" {
                "rowid".to_string()
            } else {
                quote(c)
            }
        };
        let keys: Vec<String> = key.iter().map(q).collect();
        let order: Vec<String> = keys.iter().map(|k| format!("{k} COLLATE BINARY")).collect();
        let cols: Vec<String> = keys.iter().cloned().chain(common.iter().map(q)).collect();
        format!(
            "SELECT {} FROM {} ORDER BY {}",
            cols.join(", "),
            quote(&s.name),
            order.join(", ")
        )
    };
    let mut stmt_a = a.prepare(&sql(sa))?;
    let mut stmt_b = b.prepare(&sql(sb))?;
    let (mut rows_a, mut rows_b) = (stmt_a.query([])?, stmt_b.query([])?);
    let nk = key.len();
    let mut ra = rows_a.next()?;
    let mut rb = rows_b.next()?;
    loop {
        let order = match (ra, rb) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(x), Some(y)) => cmp_keys(x, y, nk)?,
        };
        match order {
            Ordering::Less => {
                if let Some(x) = ra {
                    d.only_old += 1;
                    keep(&mut d, RowKind::OnlyOld, x, &key, Vec::new())?;
                }
                ra = rows_a.next()?;
            }
            Ordering::Greater => {
                if let Some(y) = rb {
                    d.only_new += 1;
                    keep(&mut d, RowKind::OnlyNew, y, &key, Vec::new())?;
                }
                rb = rows_b.next()?;
            }
            Ordering::Equal => {
                if let (Some(x), Some(y)) = (ra, rb) {
                    changed(&mut d, x, y, &key, &common)?;
                }
                ra = rows_a.next()?;
                rb = rows_b.next()?;
            }
        }
    }
    Ok(d)
}

fn changed(
    d: &mut TableDiff,
    x: &Row<'_>,
    y: &Row<'_>,
    key: &[String],
    common: &[String],
) -> rusqlite::Result<()> {
    let nk = key.len();
    let shown = d.rows.iter().filter(|r| r.kind == RowKind::Changed).count() < FIRST_ROWS;
    let mut cols = Vec::new();
    let mut any = false;
    for (i, c) in common.iter().enumerate() {
        let (va, vb) = (x.get_ref(nk + i)?, y.get_ref(nk + i)?);
        if va == vb {
            continue;
        }
        any = true;
        if !d.changed_columns.contains(c) {
            d.changed_columns.push(c.clone());
        }
        if shown {
            cols.push(ColumnChange {
                column: c.clone(),
                before: Some(va.into()),
                after: Some(vb.into()),
            });
        }
    }
    if any {
        d.changed += 1;
        keep(d, RowKind::Changed, x, key, cols)?;
    }
    Ok(())
}

/// Keeps a differing row while fewer than FIRST_ROWS of its kind are kept.
fn keep(
    d: &mut TableDiff,
    kind: RowKind,
    r: &Row<'_>,
    key: &[String],
    columns: Vec<ColumnChange>,
) -> rusqlite::Result<()> {
    if d.rows.iter().filter(|x| x.kind == kind).count() >= FIRST_ROWS {
        return Ok(());
    }
    let key = key
        .iter()
        .enumerate()
        .map(|(i, k)| Ok((k.clone(), Value::from(r.get_ref(i)?))))
        .collect::<rusqlite::Result<_>>()?;
    d.rows.push(RowDiff { kind, key, columns });
    Ok(())
}

fn cmp_keys(x: &Row<'_>, y: &Row<'_>, n: usize) -> rusqlite::Result<Ordering> {
    for i in 0..n {
        let o = cmp_value(x.get_ref(i)?, y.get_ref(i)?);
        if o != Ordering::Equal {
            return Ok(o);
        }
    }
    Ok(Ordering::Equal)
}

/// SQLite's order with the BINARY collation: NULL, numbers, text, BLOBs.
fn cmp_value(a: ValueRef<'_>, b: ValueRef<'_>) -> Ordering {
    use ValueRef as V;
    let rank = |v: &V<'_>| match v {
        V::Null => 0,
        V::Integer(_) | V::Real(_) => 1,
        V::Text(_) => 2,
        V::Blob(_) => 3,
    };
    match (a, b) {
        (V::Integer(x), V::Integer(y)) => x.cmp(&y),
        (V::Integer(x), V::Real(y)) => (x as f64).total_cmp(&y),
        (V::Real(x), V::Integer(y)) => x.total_cmp(&(y as f64)),
        (V::Real(x), V::Real(y)) => x.total_cmp(&y),
        (V::Text(x), V::Text(y)) | (V::Blob(x), V::Blob(y)) => x.cmp(y),
        (a, b) => rank(&a).cmp(&rank(&b)),
    }
}
