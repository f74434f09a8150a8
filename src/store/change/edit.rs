//! One cell set or one row deleted, as a change: what the app's `E` and
//! `D` ask for. The store writes the SQL from the row's key; a JSON column
//! (by the spec) takes only JSON of its shape.

use super::rows::Value;
use crate::store::error::{Result, StoreError};
use crate::store::spec::{JsonShape, Spec, literal, quote};

/// Which row: by its primary key's columns, or by rowid.
#[derive(Debug, Clone, PartialEq)]
pub enum RowKey {
    Rowid(i64),
    Columns(Vec<(String, Value)>),
}

/// `value` as an SQL literal.
fn sql_value(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        // Rust's shortest round-trip text: SQLite reads the same double back.
        Value::Real(f) if f.is_finite() => format!("{f:?}"),
        Value::Real(_) => "NULL".into(),
        Value::Text(b) => match std::str::from_utf8(b) {
            Ok(s) => literal(s),
            Err(_) => format!("CAST({} AS TEXT)", hex(b)),
        },
        Value::Blob(b) => hex(b),
    }
}

fn hex(b: &[u8]) -> String {
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("x'{h}'")
}

fn condition(key: &RowKey) -> Result<String> {
    match key {
        RowKey::Rowid(r) => Ok(format!("rowid = {r}")),
        RowKey::Columns(cols) if cols.is_empty() => Err(StoreError::Refused(
            "a row needs a key to be changed".into(),
        )),
        RowKey::Columns(cols) => Ok(cols
            .iter()
            .map(|(c, v)| match v {
                Value::Null => format!("{} IS NULL", quote(c)),
                v => format!("{} = {}", quote(c), sql_value(v)),
            })
            .collect::<Vec<_>>()
            .join(" AND ")),
    }
}

/// The statement that sets `column` of the row to `value` (None: NULL).
pub(crate) fn update(
    table: &str,
    key: &RowKey,
    column: &str,
    value: Option<&str>,
) -> Result<String> {
    if let Some(v) = value {
        json_check(table, column, v)?;
    }
    let v = value.map_or("NULL".to_string(), literal);
    Ok(format!(
        "UPDATE {} SET {} = {v} WHERE {}",
        quote(table),
        quote(column),
        condition(key)?
    ))
}

/// The statement that deletes the row.
pub(crate) fn delete(table: &str, key: &RowKey) -> Result<String> {
    Ok(format!(
        "DELETE FROM {} WHERE {}",
        quote(table),
        condition(key)?
    ))
}

/// A JSON column of the spec takes only JSON of its shape.
pub(crate) fn json_check(table: &str, column: &str, value: &str) -> Result<()> {
    let shape = Spec::v3()
        .table(table)
        .and_then(|t| {
            t.columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(column))
        })
        .and_then(|c| c.json);
    let Some(shape) = shape else {
        return Ok(());
    };
    let parsed: serde_json::Value = serde_json::from_str(value).map_err(|e| {
        StoreError::Refused(format!("{column} holds JSON, and this is not JSON: {e}"))
    })?;
    let fits = match shape {
        JsonShape::Array => parsed.is_array(),
        JsonShape::Object => parsed.is_object(),
        JsonShape::Any => true,
    };
    if !fits {
        let want = if shape == JsonShape::Array {
            "array"
        } else {
            "object"
        };
        return Err(StoreError::Refused(format!(
            "{column} holds a JSON {want}; this is not one"
        )));
    }
    Ok(())
}
