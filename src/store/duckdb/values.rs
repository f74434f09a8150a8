//! DuckDB values in the V3 conventions (DESIGN §9): how the shell is asked
//! for each column, and how its JSON becomes an SQLite value.

use crate::store::spec::quote;
use rusqlite::types::{Value as Sql, ValueRef};
use serde_json::Value;
use std::hash::Hasher;

/// How one column is read: the expression the shell runs, and whether the
/// text it prints is hex for bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ColumnRead {
    pub name: String,
    pub select: String,
    #[serde(skip)]
    pub blob: bool,
}

/// The expression that prints `col` (of DuckDB type `duck_type`) in the V3
/// conventions; `fill` replaces a NULL (init's fill for doc_type/status).
pub fn read_column(col: &str, duck_type: &str, fill: Option<&str>) -> ColumnRead {
    let q = quote(col);
    let t = duck_type.to_ascii_uppercase();
    let mut blob = false;
    let mut select = if t == "TIMESTAMP WITH TIME ZONE" || t == "TIMESTAMPTZ" {
        format!("strftime({q} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')")
    } else if t.starts_with("TIMESTAMP") {
        format!("strftime({q}::TIMESTAMP, '%Y-%m-%dT%H:%M:%S.%fZ')")
    } else if t == "DATE" {
        format!("strftime({q}, '%Y-%m-%d')")
    } else if t.ends_with(']') || t.starts_with("STRUCT") || t.starts_with("MAP") {
        // DuckDB's own `[a, b]` text is not JSON.
        format!("to_json({q})::VARCHAR")
    } else if t == "BLOB" {
        blob = true;
        format!("hex({q})")
    } else if t == "BOOLEAN" {
        format!("{q}::INTEGER")
    } else {
        match crate::store::duckdb::catalog::sqlite_type(&t) {
            "INTEGER" | "REAL" => q.clone(),
            _ => format!("{q}::VARCHAR"),
        }
    };
    if let Some(f) = fill {
        select = format!("coalesce({select}, {})", crate::store::spec::literal(f));
    }
    ColumnRead {
        name: col.to_string(),
        select,
        blob,
    }
}

/// The shell's JSON value as the SQLite value written.
pub fn to_sql(v: Value, blob: bool) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => n.as_f64().map_or(Sql::Text(n.to_string()), Sql::Real),
        },
        Value::String(s) if blob => match unhex(&s) {
            Some(b) => Sql::Blob(b),
            None => Sql::Text(s),
        },
        Value::String(s) => Sql::Text(s),
        other => Sql::Text(other.to_string()),
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    b.chunks(2)
        .map(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
        .collect()
}

/// Adds one value to a table's running digest: its storage class and its
/// bytes, so a value that changed class or content changes the digest.
pub fn digest(h: &mut impl Hasher, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => h.write_u8(0),
        ValueRef::Integer(i) => {
            h.write_u8(1);
            h.write_i64(i);
        }
        ValueRef::Real(r) => {
            h.write_u8(2);
            h.write_u64(r.to_bits());
        }
        ValueRef::Text(t) => {
            h.write_u8(3);
            h.write_usize(t.len());
            h.write(t);
        }
        ValueRef::Blob(b) => {
            h.write_u8(4);
            h.write_usize(b.len());
            h.write(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_duckdb_type_is_read_in_the_v3_conventions() {
        let sel = |t: &str| read_column("c", t, None).select;
        assert_eq!(
            sel("TIMESTAMP WITH TIME ZONE"),
            "strftime(\"c\" AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')"
        );
        assert_eq!(sel("DATE"), "strftime(\"c\", '%Y-%m-%d')");
        assert_eq!(sel("VARCHAR[]"), "to_json(\"c\")::VARCHAR");
        assert_eq!(sel("JSON"), "\"c\"::VARCHAR");
        assert_eq!(sel("BIGINT"), "\"c\"");
        assert!(read_column("c", "BLOB", None).blob);
        assert_eq!(
            read_column("status", "VARCHAR", Some("draft")).select,
            "coalesce(\"status\"::VARCHAR, 'draft')"
        );
    }

    #[test]
    fn json_values_become_sqlite_values() {
        use serde_json::json;
        assert_eq!(to_sql(json!(null), false), Sql::Null);
        assert_eq!(to_sql(json!(true), false), Sql::Integer(1));
        assert_eq!(to_sql(json!(12), false), Sql::Integer(12));
        assert_eq!(to_sql(json!(1.5), false), Sql::Real(1.5));
        assert_eq!(to_sql(json!("00FF"), true), Sql::Blob(vec![0, 255]));
        assert_eq!(to_sql(json!("00FF"), false), Sql::Text("00FF".into()));
    }
}
