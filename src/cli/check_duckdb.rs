//! `check` on upstream's DuckDB store: the same report as for SQLite, its
//! file line naming DuckDB, read through the shell.

use super::{EXIT_OK, EXIT_PROBLEMS, check_json_body, fail, print_check_body};
use crate::store::duckdb::DuckStore;
use crate::store::duckdb::inspect::{DuckInspection, inspect_duckdb};
use crate::text::escape;
use std::path::Path;

pub(super) fn check(path: &Path, json: bool, data: bool) -> u8 {
    let run = || -> anyhow::Result<DuckInspection> {
        let store = DuckStore::open(path)?;
        Ok(inspect_duckdb(&store, data)?)
    };
    match run() {
        Ok(d) => {
            let ins = &d.inspection;
            let ok = ins.ok(d.data.as_deref());
            if json {
                let mut doc = check_json_body(ins, d.data.as_deref(), ok);
                doc["file"] = serde_json::json!({
                    "format": "duckdb",
                    "size_bytes": ins.facts.size_bytes,
                    "duckdb_version": d.store.writer,
                    "storage_version": d.store.storage_version,
                    "wal": d.store.wal,
                });
                println!("{doc}");
            } else {
                println!("store    {}", escape(&ins.path.to_string_lossy()));
                println!("state    {}", ins.state.label());
                println!(
                    "file     {} bytes, {}",
                    ins.facts.size_bytes,
                    escape(&d.store.describe())
                );
                println!("         read through the duckdb shell, read-only; never written");
                print_check_body(ins, d.data.as_deref());
            }
            if ok { EXIT_OK } else { EXIT_PROBLEMS }
        }
        Err(e) => fail(&e, json),
    }
}
