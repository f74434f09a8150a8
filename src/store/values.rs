//! Values as data leaves the app: JSON by DESIGN §4's rules (NULL as null,
//! numbers as numbers, text as strings, a BLOB or text that is not UTF-8 as
//! `{"$hex": "…"}`, the fold-legacy convention), and whole values read for
//! copying, never past a cap.

use crate::store::cell::Cell;
use crate::store::read::row_key::{KeyColumns, RowKey};
use crate::store::spec::quote;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};
use std::io::{self, Write};

/// The most a copy carries: a clipboard is not a file (`e` exports).
pub const COPY_BYTES: i64 = 1 << 20;

/// One value as JSON, written straight to `out`.
pub fn write_json(out: &mut dyn Write, v: ValueRef<'_>) -> io::Result<()> {
    match v {
        ValueRef::Null => out.write_all(b"null"),
        ValueRef::Integer(i) => write!(out, "{i}"),
        ValueRef::Real(f) if f.is_finite() => {
            serde_json::to_writer(out, &f).map_err(io::Error::from)
        }
        ValueRef::Real(f) => serde_json::to_writer(out, &f.to_string()).map_err(io::Error::from),
        ValueRef::Text(b) => match std::str::from_utf8(b) {
            Ok(s) => serde_json::to_writer(out, s).map_err(io::Error::from),
            Err(_) => write_hex(out, b),
        },
        ValueRef::Blob(b) => write_hex(out, b),
    }
}

fn write_hex(out: &mut dyn Write, b: &[u8]) -> io::Result<()> {
    out.write_all(b"{\"$hex\":\"")?;
    for x in b {
        write!(out, "{x:02x}")?;
    }
    out.write_all(b"\"}")
}

/// One row as a JSON object, its keys in column order: `names[i]` is the
/// row's result column `i`.
pub fn write_object(out: &mut dyn Write, names: &[String], row: &Row<'_>) -> io::Result<()> {
    out.write_all(b"{")?;
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, name).map_err(io::Error::from)?;
        out.write_all(b":")?;
        let v = row.get_ref(i).map_err(io::Error::other)?;
        write_json(out, v)?;
    }
    out.write_all(b"}")
}

/// What a copy reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Copied {
    /// The bytes to copy, and how they were made from the value.
    Bytes {
        bytes: Vec<u8>,
        note: Option<String>,
    },
    /// Nothing to copy: why (a NULL, a value over the cap, a row gone).
    Nothing(String),
}

/// The whole value of `column` in row `key` of `table` (text as stored,
/// a number as written by SQLite, a BLOB as hex), or the whole row as a
/// JSON object when `column` is None; nothing when it is over COPY_BYTES.
pub fn copy(
    conn: &Connection,
    table: &str,
    key: &RowKey,
    column: Option<&str>,
) -> rusqlite::Result<Copied> {
    let keys = KeyColumns::read(conn, table)?;
    let at = keys.compare("=");
    let args = keys.args(key);
    let names: Vec<String> = match column {
        Some(c) => vec![c.to_string()],
        None => {
            let mut st = conn.prepare(
                "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden IN (0, 2, 3) ORDER BY cid",
            )?;
            st.query_map([table], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()?
        }
    };
    // Each value's size first, so a huge one is not read at all.
    let sizes: Vec<String> = names
        .iter()
        .map(|n| format!("coalesce(octet_length({}), 0)", quote(n)))
        .collect();
    let t = quote(table);
    let total: Option<i64> = conn
        .query_row(
            &format!("SELECT {} FROM {t} WHERE {at}", sizes.join(" + ")),
            rusqlite::params_from_iter(&args),
            |r| r.get(0),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    let Some(total) = total else {
        return Ok(Copied::Nothing("the row is gone".into()));
    };
    if total > COPY_BYTES {
        return Ok(Copied::Nothing(format!(
            "{} is over the {} copy limit (e exports it)",
            human(total),
            human(COPY_BYTES)
        )));
    }
    let cols: Vec<String> = names.iter().map(|n| quote(n)).collect();
    let sql = format!("SELECT {} FROM {t} WHERE {at}", cols.join(", "));
    conn.query_row(&sql, rusqlite::params_from_iter(&args), |r| {
        let mut bytes = Vec::new();
        if column.is_none() {
            write_object(&mut bytes, &names, r)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            return Ok(Copied::Bytes { bytes, note: None });
        }
        Ok(match r.get_ref(0)? {
            ValueRef::Null => Copied::Nothing("the value is NULL".into()),
            ValueRef::Integer(i) => Copied::Bytes {
                bytes: i.to_string().into_bytes(),
                note: None,
            },
            ValueRef::Real(f) => Copied::Bytes {
                bytes: f.to_string().into_bytes(),
                note: None,
            },
            ValueRef::Text(b) => Copied::Bytes {
                bytes: b.to_vec(),
                note: std::str::from_utf8(b)
                    .is_err()
                    .then(|| "not UTF-8: copied as stored".to_string()),
            },
            ValueRef::Blob(b) => Copied::Bytes {
                bytes: b
                    .iter()
                    .map(|x| format!("{x:02x}"))
                    .collect::<String>()
                    .into_bytes(),
                note: Some("a BLOB: copied as hex".into()),
            },
        })
    })
}

/// A value as the grid holds it, when it is whole there (a statement's
/// result has no rowid to read it again by); else why not.
fn whole(c: &Cell) -> Result<ValueRef<'_>, String> {
    let cut = || "the value is cut here: e exports it whole".to_string();
    match c {
        Cell::Null => Ok(ValueRef::Null),
        Cell::Integer(i) => Ok(ValueRef::Integer(*i)),
        Cell::Real(f) => Ok(ValueRef::Real(*f)),
        Cell::Text {
            text,
            invalid: false,
            cut_from: None,
        } => Ok(ValueRef::Text(text.as_bytes())),
        Cell::Text { invalid: true, .. } => {
            Err("the value is not UTF-8 and shown lossily here: e exports it as stored".into())
        }
        Cell::Text { .. } => Err(cut()),
        Cell::Blob { len, head } if *len == head.len() as i64 => Ok(ValueRef::Blob(head)),
        Cell::Blob { .. } => Err(cut()),
    }
}

/// The bytes `y` copies of a held value (a BLOB as hex).
pub fn cell_bytes(c: &Cell) -> Result<Vec<u8>, String> {
    Ok(match whole(c)? {
        ValueRef::Null => return Err("the value is NULL".into()),
        ValueRef::Integer(i) => i.to_string().into_bytes(),
        ValueRef::Real(f) => f.to_string().into_bytes(),
        ValueRef::Text(b) => b.to_vec(),
        ValueRef::Blob(b) => b
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
            .into_bytes(),
    })
}

/// A held row as a JSON object, when every value of it is whole.
pub fn cells_json(names: &[String], cells: &[Cell]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    out.push(b'{');
    for (i, (name, c)) in names.iter().zip(cells).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let v = whole(c).map_err(|why| format!("{}: {why}", crate::text::escape(name)))?;
        serde_json::to_writer(&mut out, name).map_err(|e| e.to_string())?;
        out.push(b':');
        write_json(&mut out, v).map_err(|e| e.to_string())?;
    }
    out.push(b'}');
    Ok(out)
}

/// A byte count for a person: 1.5 MB.
pub(crate) fn human(n: i64) -> String {
    crate::store::plan::human(u64::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(v: ValueRef<'_>) -> String {
        let mut out = Vec::new();
        write_json(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn values_follow_the_json_rules() {
        assert_eq!(json(ValueRef::Null), "null");
        assert_eq!(json(ValueRef::Integer(-7)), "-7");
        assert_eq!(json(ValueRef::Real(1.5)), "1.5");
        assert_eq!(json(ValueRef::Text(b"a\"\x1b")), "\"a\\\"\\u001b\"");
        assert_eq!(json(ValueRef::Text(b"\xff")), "{\"$hex\":\"ff\"}");
        assert_eq!(json(ValueRef::Blob(&[0, 0x1b])), "{\"$hex\":\"001b\"}");
    }

    #[test]
    fn held_values_are_copied_only_when_whole() {
        let t = |s: &str, cut_from| Cell::Text {
            text: s.into(),
            invalid: false,
            cut_from,
        };
        assert_eq!(cell_bytes(&t("a\x1b", None)).unwrap(), b"a\x1b");
        assert!(
            cell_bytes(&t("ab", Some(900)))
                .unwrap_err()
                .contains("cut here")
        );
        assert!(cell_bytes(&Cell::Null).unwrap_err().contains("NULL"));
        let blob = Cell::Blob {
            len: 2,
            head: vec![0, 255],
        };
        assert_eq!(cell_bytes(&blob).unwrap(), b"00ff");
        let names = ["n".to_string(), "b".to_string()];
        let row = cells_json(&names, &[Cell::Integer(3), blob]).unwrap();
        assert_eq!(
            String::from_utf8(row).unwrap(),
            r#"{"n":3,"b":{"$hex":"00ff"}}"#
        );
        let cut = cells_json(&names, &[Cell::Null, t("x", Some(5))]).unwrap_err();
        assert!(cut.starts_with("b: the value is cut"), "{cut}");
    }

    #[test]
    fn copies_read_whole_values_within_the_cap() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(&format!(
            "CREATE TABLE t (a, b, \"c d\");
             INSERT INTO t VALUES ('x\x1by', NULL, 2.5), (x'00ff', 3, zeroblob({}));",
            COPY_BYTES + 1
        ))
        .unwrap();
        let bytes = |r| match r {
            Copied::Bytes { bytes, .. } => String::from_utf8(bytes).unwrap(),
            Copied::Nothing(why) => format!("nothing: {why}"),
        };
        assert_eq!(
            bytes(copy(&c, "t", &RowKey::Rowid(1), Some("a")).unwrap()),
            "x\x1by"
        );
        assert_eq!(
            bytes(copy(&c, "t", &RowKey::Rowid(1), Some("b")).unwrap()),
            "nothing: the value is NULL"
        );
        assert_eq!(
            bytes(copy(&c, "t", &RowKey::Rowid(2), Some("a")).unwrap()),
            "00ff"
        );
        assert_eq!(
            bytes(copy(&c, "t", &RowKey::Rowid(1), None).unwrap()),
            r#"{"a":"x\u001by","b":null,"c d":2.5}"#
        );
        assert!(
            bytes(copy(&c, "t", &RowKey::Rowid(2), None).unwrap())
                .contains("over the 1.0 MB copy limit")
        );
        assert_eq!(
            bytes(copy(&c, "t", &RowKey::Rowid(9), None).unwrap()),
            "nothing: the row is gone"
        );
    }
}

/// The longest value the app's line editor takes, in bytes: a longer one
/// is changed with `exec`.
pub const EDIT_BYTES: i64 = 64 * 1024;

/// A cell's value as the line editor starts from, or why it cannot be
/// edited there.
#[derive(Debug, Clone, PartialEq)]
pub enum Editable {
    Null,
    /// Text, or a number as SQLite writes it.
    Text(String),
    Refused(String),
}

/// The whole value of `column` in row `key` of `table`, for editing.
pub fn editable(
    conn: &Connection,
    table: &str,
    key: &RowKey,
    column: &str,
) -> rusqlite::Result<Editable> {
    let keys = KeyColumns::read(conn, table)?;
    let sql = format!(
        "SELECT octet_length({c}), {c} FROM {t} WHERE {at}",
        c = quote(column),
        t = quote(table),
        at = keys.compare("=")
    );
    let args = keys.args(key);
    let got = conn.query_row(&sql, rusqlite::params_from_iter(&args), |r| {
        if r.get::<_, Option<i64>>(0)?.unwrap_or(0) > EDIT_BYTES {
            return Ok(Editable::Refused(format!(
                "the value is over {}: change it with `exec`",
                human(EDIT_BYTES)
            )));
        }
        Ok(match r.get_ref(1)? {
            ValueRef::Null => Editable::Null,
            ValueRef::Integer(i) => Editable::Text(i.to_string()),
            ValueRef::Real(f) => Editable::Text(f.to_string()),
            ValueRef::Text(b) => match std::str::from_utf8(b) {
                Ok(s) => Editable::Text(s.to_string()),
                Err(_) => {
                    Editable::Refused("the value is not UTF-8: change it with `exec`".to_string())
                }
            },
            ValueRef::Blob(_) => {
                Editable::Refused("a BLOB is not edited here: change it with `exec`".to_string())
            }
        })
    });
    match got {
        Err(rusqlite::Error::QueryReturnedNoRows) => {
            Ok(Editable::Refused("the row is gone".into()))
        }
        other => other,
    }
}
