//! What one run of the shell answers about a DuckDB file: its tables and
//! views, their columns with DuckDB's types, primary keys and indexes, and
//! the rows of each table.

use crate::store::duckdb::shell::Shell;
use crate::store::error::Result;
use serde_json::Value;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuckColumn {
    pub name: String,
    /// DuckDB's type name: `TIMESTAMP WITH TIME ZONE`, `VARCHAR[]`, `JSON`…
    pub duck_type: String,
    pub not_null: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuckIndex {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuckTable {
    pub name: String,
    pub columns: Vec<DuckColumn>,
    pub primary_key: Vec<String>,
    pub indexes: Vec<DuckIndex>,
}

impl DuckTable {
    pub fn column(&self, name: &str) -> Option<&DuckColumn> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DuckCatalog {
    pub tables: Vec<DuckTable>,
    pub views: Vec<String>,
}

impl DuckCatalog {
    pub fn table(&self, name: &str) -> Option<&DuckTable> {
        self.tables
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
    }
}

/// Every row has the same seven columns: (kind, table, name, type, flag,
/// position, list).
const CATALOG_SQL: &str = "\
SELECT 'table', table_name, NULL, NULL, NULL, NULL, NULL FROM duckdb_tables() \
 WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal \
UNION ALL SELECT 'view', view_name, NULL, NULL, NULL, NULL, NULL FROM duckdb_views() \
 WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal \
UNION ALL SELECT 'column', table_name, column_name, data_type, NOT is_nullable, column_index, NULL \
 FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal \
UNION ALL SELECT 'pk', table_name, NULL, NULL, NULL, NULL, to_json(constraint_column_names)::VARCHAR \
 FROM duckdb_constraints() WHERE database_name = current_database() AND schema_name = 'main' \
 AND constraint_type = 'PRIMARY KEY' \
UNION ALL SELECT 'index', table_name, index_name, NULL, is_unique, NULL, expressions::VARCHAR \
 FROM duckdb_indexes() WHERE database_name = current_database() AND schema_name = 'main'";

/// The count of every table as SQL, made by SQL from the catalog: the
/// counts come in the catalog's run, from the same state of the file.
const COUNTS_SQL: &str = "\
SET VARIABLE egregora_inspect_counts = (SELECT coalesce(string_agg(\
 'SELECT ''' || replace(table_name, '''', '''''') || ''', count(*), coalesce(max(rowid), -1) FROM \"' \
 || replace(table_name, '\"', '\"\"') || '\"', ' UNION ALL '), \
 'SELECT NULL::VARCHAR, 0::BIGINT, 0::BIGINT WHERE false') FROM duckdb_tables() \
 WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal)";

/// The file's catalog and the rows of each table, in one run of the shell.
pub fn read(shell: &Shell, db: &Path) -> Result<(DuckCatalog, Vec<TableRows>)> {
    let rows = shell.collect(
        db,
        &format!(
            "{COUNTS_SQL}; {CATALOG_SQL}; \
             SELECT 'count', * FROM query(getvariable('egregora_inspect_counts'))"
        ),
    )?;

    let text = |r: &[Value], i: usize| r.get(i).and_then(Value::as_str).unwrap_or("").to_string();
    let mut cat = DuckCatalog::default();
    let mut columns: Vec<(String, i64, DuckColumn)> = Vec::new();
    let mut pks: Vec<(String, Vec<String>)> = Vec::new();
    let mut indexes: Vec<(String, DuckIndex)> = Vec::new();
    let mut counts = Vec::new();
    for r in &rows {
        match text(r, 0).as_str() {
            "table" => cat.tables.push(DuckTable {
                name: text(r, 1),
                columns: Vec::new(),
                primary_key: Vec::new(),
                indexes: Vec::new(),
            }),
            "view" => cat.views.push(text(r, 1)),
            "column" => columns.push((
                text(r, 1),
                r.get(5).and_then(Value::as_i64).unwrap_or(0),
                DuckColumn {
                    name: text(r, 2),
                    duck_type: text(r, 3),
                    not_null: r.get(4).and_then(Value::as_bool).unwrap_or(false),
                },
            )),
            "pk" => pks.push((
                text(r, 1),
                serde_json::from_str(&text(r, 6)).unwrap_or_default(),
            )),
            "index" => indexes.push((
                text(r, 1),
                DuckIndex {
                    name: text(r, 2),
                    columns: index_columns(&text(r, 6)),
                    unique: r.get(4).and_then(Value::as_bool).unwrap_or(false),
                },
            )),
            "count" => counts.extend(table_rows(r)),
            _ => {}
        }
    }
    columns.sort_by_key(|(_, pos, _)| *pos);
    for t in &mut cat.tables {
        t.columns = columns
            .iter()
            .filter(|(table, _, _)| *table == t.name)
            .map(|(_, _, c)| c.clone())
            .collect();
        t.primary_key = pks
            .iter()
            .find(|(table, _)| *table == t.name)
            .map(|(_, k)| k.clone())
            .unwrap_or_default();
        t.indexes = indexes
            .iter()
            .filter(|(table, _)| *table == t.name)
            .map(|(_, i)| i.clone())
            .collect();
    }
    cat.tables.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((cat, counts))
}

/// `[repo_path, "timestamp"]` → the column names (an expression stays as written).
fn index_columns(list: &str) -> Vec<String> {
    list.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(", ")
        .filter(|s| !s.is_empty())
        .map(|s| {
            let s = s.trim();
            s.strip_prefix('"')
                .and_then(|x| x.strip_suffix('"'))
                .map_or_else(|| s.to_string(), |x| x.replace("\"\"", "\""))
        })
        .collect()
}

/// A table's rows, and its highest rowid (-1 when empty): reads go by
/// rowid ranges up to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRows {
    pub name: String,
    pub rows: u64,
    pub last_rowid: i64,
}

/// A `count` row: ('count', table, rows, highest rowid).
fn table_rows(r: &[Value]) -> Option<TableRows> {
    Some(TableRows {
        name: r.get(1)?.as_str()?.to_string(),
        rows: r.get(2)?.as_u64()?,
        last_rowid: r.get(3)?.as_i64()?,
    })
}

/// The SQLite type a DuckDB type maps to (DESIGN §9): timestamps, dates,
/// lists, JSON and UUIDs are text in the V3 conventions.
pub fn sqlite_type(duck_type: &str) -> &'static str {
    let t = duck_type.to_ascii_uppercase();
    if t.ends_with(']') || t.starts_with("STRUCT") || t.starts_with("MAP") {
        return "TEXT";
    }
    match t.as_str() {
        "TINYINT" | "SMALLINT" | "INTEGER" | "BIGINT" | "UTINYINT" | "USMALLINT" | "UINTEGER"
        | "BOOLEAN" => "INTEGER",
        "FLOAT" | "DOUBLE" => "REAL",
        "BLOB" => "BLOB",
        _ => "TEXT",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_columns_are_read_from_duckdbs_list() {
        assert_eq!(
            index_columns("[repo_path, \"timestamp\"]"),
            vec!["repo_path".to_string(), "timestamp".to_string()]
        );
        assert_eq!(index_columns("[doc_type]"), vec!["doc_type".to_string()]);
    }

    #[test]
    fn the_type_map_follows_the_v3_conventions() {
        for (duck, sqlite) in [
            ("TIMESTAMP WITH TIME ZONE", "TEXT"),
            ("DATE", "TEXT"),
            ("VARCHAR[]", "TEXT"),
            ("JSON", "TEXT"),
            ("UUID", "TEXT"),
            ("BIGINT", "INTEGER"),
            ("BOOLEAN", "INTEGER"),
            ("DOUBLE", "REAL"),
            ("BLOB", "BLOB"),
            ("HUGEINT", "TEXT"),
        ] {
            assert_eq!(sqlite_type(duck), sqlite, "{duck}");
        }
    }
}
