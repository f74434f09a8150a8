//! DuckDB values in the V3 conventions (DESIGN §9): how the shell is asked
//! for each column, and how its JSON becomes an SQLite value.

use crate::store::spec::quote;
use rusqlite::ToSql;
use rusqlite::types::{ToSqlOutput, ValueRef};
use serde::de::{Deserialize, Deserializer, Visitor};
use std::borrow::Cow;
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

/// One value of a JSON row as the shell printed it, its text borrowed from
/// the line where it has no escapes: a row costs no allocation per cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
}

impl<'de> Deserialize<'de> for Cell<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CellVisitor)
    }
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a null, number, boolean or string")
    }
    fn visit_unit<E>(self) -> Result<Cell<'de>, E> {
        Ok(Cell::Null)
    }
    fn visit_none<E>(self) -> Result<Cell<'de>, E> {
        Ok(Cell::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Cell<'de>, E> {
        Ok(Cell::Int(i64::from(b)))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Cell<'de>, E> {
        Ok(Cell::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Cell<'de>, E> {
        // Beyond i64 it stays exact as text.
        Ok(i64::try_from(u).map_or_else(|_| Cell::Text(Cow::Owned(u.to_string())), Cell::Int))
    }
    fn visit_f64<E>(self, r: f64) -> Result<Cell<'de>, E> {
        Ok(Cell::Real(r))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Cell<'de>, E> {
        Ok(Cell::Text(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Cell<'de>, E> {
        Ok(Cell::Text(Cow::Owned(s.to_string())))
    }
    fn visit_string<E>(self, s: String) -> Result<Cell<'de>, E> {
        Ok(Cell::Text(Cow::Owned(s)))
    }
}

/// A cell as it is bound: borrowed, or bytes decoded from the shell's hex.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound<'a> {
    Ref(ValueRef<'a>),
    Blob(Vec<u8>),
}

impl Bound<'_> {
    pub fn value(&self) -> ValueRef<'_> {
        match self {
            Bound::Ref(v) => *v,
            Bound::Blob(b) => ValueRef::Blob(b),
        }
    }
}

impl ToSql for Bound<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(self.value()))
    }
}

/// The SQLite value a cell is written as (`blob`: the column is hex bytes).
pub fn bound<'a>(c: &'a Cell<'a>, blob: bool) -> Bound<'a> {
    match c {
        Cell::Null => Bound::Ref(ValueRef::Null),
        Cell::Int(i) => Bound::Ref(ValueRef::Integer(*i)),
        Cell::Real(r) => Bound::Ref(ValueRef::Real(*r)),
        Cell::Text(t) => match blob.then(|| unhex(t)).flatten() {
            Some(b) => Bound::Blob(b),
            None => Bound::Ref(ValueRef::Text(t.as_bytes())),
        },
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

/// A table's running digest of the values copied, to compare them with
/// what is read back: a multiply-rotate hash over eight bytes at a time
/// (SipHash, made to resist chosen keys, cost a tenth of the copy; a copy
/// that lost or changed a value is no adversary).
#[derive(Debug, Default, Clone)]
pub struct Digest(u64);

impl Digest {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Digest {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut a = [0u8; 8];
            a.copy_from_slice(w);
            self.add(u64::from_le_bytes(a));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut a = [0u8; 8];
            a[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(a));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_i64(&mut self, i: i64) {
        self.add(i as u64);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
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
    fn the_digest_tells_values_apart() {
        let of = |vals: &[ValueRef<'_>]| {
            let mut h = Digest::default();
            for v in vals {
                digest(&mut h, *v);
            }
            h.finish()
        };
        let a = of(&[ValueRef::Text(b"abcdefghi"), ValueRef::Integer(1)]);
        assert_eq!(a, of(&[ValueRef::Text(b"abcdefghi"), ValueRef::Integer(1)]));
        for other in [
            of(&[ValueRef::Text(b"abcdefghj"), ValueRef::Integer(1)]),
            of(&[ValueRef::Text(b"abcdefgh"), ValueRef::Integer(1)]),
            of(&[ValueRef::Integer(1), ValueRef::Text(b"abcdefghi")]),
            of(&[ValueRef::Blob(b"abcdefghi"), ValueRef::Integer(1)]),
            of(&[ValueRef::Text(b"abcdefghi"), ValueRef::Real(1.0)]),
            of(&[ValueRef::Text(b"abcdefghi"), ValueRef::Null]),
        ] {
            assert_ne!(a, other);
        }
    }

    #[test]
    fn json_cells_bind_as_sqlite_values() {
        let line = r#"[null, true, 12, 1.5, "00FF", "a\"b", 18446744073709551615]"#;
        let row: Vec<Cell> = serde_json::from_str(line).unwrap();
        assert_eq!(
            row,
            vec![
                Cell::Null,
                Cell::Int(1),
                Cell::Int(12),
                Cell::Real(1.5),
                Cell::Text("00FF".into()),
                Cell::Text("a\"b".into()),
                Cell::Text("18446744073709551615".into()),
            ]
        );
        assert!(matches!(row[4], Cell::Text(Cow::Borrowed(_))), "no copy");
        assert_eq!(bound(&row[4], true), Bound::Blob(vec![0, 255]));
        assert_eq!(bound(&row[4], false).value(), ValueRef::Text(b"00FF"));
        assert_eq!(bound(&row[2], false).value(), ValueRef::Integer(12));
        assert_eq!(bound(&row[0], true).value(), ValueRef::Null);
    }
}
