//! DuckDB values in the V3 conventions (DESIGN §9): how the shell is asked
//! for each column, and how its JSON becomes an SQLite value.

use crate::store::spec::quote;
use rusqlite::ToSql;
use rusqlite::types::{ToSqlOutput, ValueRef};

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
    } else if t == "FLOAT" {
        // Printed as a FLOAT, its shortest text is another DOUBLE.
        format!("{q}::DOUBLE")
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

/// A value as it is bound: borrowed from the shell's output, text with
/// its quotes undoubled, or bytes decoded from the shell's hex.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound<'a> {
    Ref(ValueRef<'a>),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl Bound<'_> {
    pub fn value(&self) -> ValueRef<'_> {
        match self {
            Bound::Ref(v) => *v,
            Bound::Text(t) => ValueRef::Text(t),
            Bound::Blob(b) => ValueRef::Blob(b),
        }
    }
}

impl ToSql for Bound<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(self.value()))
    }
}

/// The bytes a BLOB's hex text stands for; None when it is not hex.
pub(crate) fn unhex(b: &[u8]) -> Option<Vec<u8>> {
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

/// Whether SQLite holds `stored` where `sent` was bound: the same
/// storage class and the same bytes or number (a zero REAL keeps no sign
/// in SQLite; a NaN becomes NULL, and differs).
pub fn same(stored: ValueRef<'_>, sent: ValueRef<'_>) -> bool {
    stored == sent
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
        assert_eq!(sel("FLOAT"), "\"c\"::DOUBLE");
        assert!(read_column("c", "BLOB", None).blob);
        assert_eq!(
            read_column("status", "VARCHAR", Some("draft")).select,
            "coalesce(\"status\"::VARCHAR, 'draft')"
        );
    }

    #[test]
    fn a_stored_value_is_the_same_only_in_class_and_bytes() {
        assert!(same(ValueRef::Text(b"12"), ValueRef::Text(b"12")));
        assert!(same(ValueRef::Real(0.5), ValueRef::Real(0.5)));
        assert!(same(ValueRef::Real(0.0), ValueRef::Real(-0.0)));
        for (stored, sent) in [
            (ValueRef::Integer(12), ValueRef::Text(b"12")),
            (ValueRef::Text(b"1.5"), ValueRef::Real(1.5)),
            (ValueRef::Integer(1), ValueRef::Real(1.0)),
            (ValueRef::Blob(b"ab"), ValueRef::Text(b"ab")),
            (ValueRef::Null, ValueRef::Real(f64::NAN)),
            (ValueRef::Text(b"ab"), ValueRef::Text(b"ac")),
        ] {
            assert!(!same(stored, sent), "{stored:?} vs {sent:?}");
        }
    }
}
