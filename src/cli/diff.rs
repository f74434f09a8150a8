//! `diff OLD NEW`: the rows only in one store and those changed, per
//! table. Exit 0 same, 1 different, 2 error.

use super::shared::{EXIT_OK, EXIT_PROBLEMS, fail};
use crate::store::change::Value;
use crate::store::change::diff::{RowKind, TableDiff, diff as compare};
use crate::store::identify::resolve;
use crate::text::escape;
use anyhow::Result;
use std::ffi::OsStr;

/// Characters of a value shown.
const VALUE_CHARS: usize = 60;

pub fn diff(old: &OsStr, new: &OsStr, tables: &[String], json: bool) -> u8 {
    let run = || -> Result<u8> {
        let (a, b) = (resolve(old)?, resolve(new)?);
        let found = compare(&a, &b, tables)?;
        let same = found.iter().all(TableDiff::same);
        if json {
            println!(
                "{}",
                serde_json::json!({
                    "ok": true,
                    "same": same,
                    "old": a.to_string_lossy(),
                    "new": b.to_string_lossy(),
                    "tables": found.iter().map(table_json).collect::<Vec<_>>(),
                })
            );
        } else {
            println!("old   {}", escape(&a.to_string_lossy()));
            println!("new   {}\n", escape(&b.to_string_lossy()));
            for t in &found {
                print_table(t);
            }
            println!(
                "\n{}",
                if same {
                    "same: every table holds the same rows"
                } else {
                    "different"
                }
            );
        }
        Ok(if same { EXIT_OK } else { EXIT_PROBLEMS })
    };
    run().unwrap_or_else(|e| fail(&e, json))
}

fn key(k: &[(String, Value)]) -> String {
    let parts: Vec<String> = k
        .iter()
        .map(|(n, v)| format!("{}={}", escape(n), escape(&v.shown(VALUE_CHARS))))
        .collect();
    parts.join(", ")
}

fn print_table(t: &TableDiff) {
    let name = escape(&t.table);
    if let Some(side) = t.only_in {
        println!("{name}: only in {side}");
        return;
    }
    for (cols, side) in [(&t.columns_only_old, "old"), (&t.columns_only_new, "new")] {
        for c in cols {
            println!("{name}: column {} only in {side}", escape(c));
        }
    }
    if let Some(why) = &t.not_compared {
        println!("{name}: rows not compared: {}", escape(why));
        return;
    }
    if t.only_old + t.only_new + t.changed == 0 {
        println!("{name}: same rows");
        return;
    }
    let cols: Vec<String> = t
        .changed_columns
        .iter()
        .map(|c| escape(c).into_owned())
        .collect();
    println!(
        "{name} (by {}): {} only in old, {} only in new, {} changed{}",
        t.key.join(", "),
        t.only_old,
        t.only_new,
        t.changed,
        if cols.is_empty() {
            String::new()
        } else {
            format!(" (columns {})", cols.join(", "))
        }
    );
    for r in &t.rows {
        let what = match r.kind {
            RowKind::OnlyOld => "only in old",
            RowKind::OnlyNew => "only in new",
            RowKind::Changed => "changed",
        };
        println!("  {what:<12} {}", key(&r.key));
        for c in &r.columns {
            let v = |x: &Option<Value>| {
                x.as_ref().map_or(String::new(), |v| {
                    escape(&v.shown(VALUE_CHARS)).into_owned()
                })
            };
            println!(
                "    {}: {} → {}",
                escape(&c.column),
                v(&c.before),
                v(&c.after)
            );
        }
    }
}

/// A table's diff in JSON, its rows' keys as objects.
fn table_json(t: &TableDiff) -> serde_json::Value {
    let mut v = serde_json::to_value(t).unwrap_or_default();
    let rows: Vec<serde_json::Value> = t
        .rows
        .iter()
        .map(|r| {
            let key: serde_json::Map<String, serde_json::Value> = r
                .key
                .iter()
                .map(|(k, x)| (k.clone(), serde_json::to_value(x).unwrap_or_default()))
                .collect();
            serde_json::json!({"kind": r.kind, "key": key, "columns": r.columns})
        })
        .collect();
    v["rows"] = serde_json::Value::Array(rows);
    v
}
