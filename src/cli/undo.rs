//! `undo`: the newest undo file beside the store (or one named), applied as
//! a change of its own, itself undoable; `--list` shows them.

use super::change::{self, ChangeFlags, OK};
use crate::store::change::undo_files;
use crate::store::identify::resolve;
use crate::text::escape;
use anyhow::Result;
use std::ffi::OsStr;
use std::path::Path;

pub fn undo(raw: &OsStr, list: bool, file: Option<&Path>, flags: ChangeFlags) -> u8 {
    match run(raw, list, file, flags) {
        Ok(code) => code,
        Err(e) => change::failed(&e, flags.json),
    }
}

fn run(raw: &OsStr, list: bool, file: Option<&Path>, flags: ChangeFlags) -> Result<u8> {
    let path = resolve(raw)?;
    if list {
        return print_list(&path, flags.json);
    }
    change::json_needs_yes(flags)?;
    let preview = crate::store::change::undo(&path, file)?;
    if let Some(done) = change::decide(&preview, flags)? {
        change::print_done(&done, flags.json);
    }
    Ok(OK)
}

fn print_list(path: &Path, json: bool) -> Result<u8> {
    let files = undo_files(path)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&files)?);
        return Ok(OK);
    }
    if files.is_empty() {
        println!("no undo files beside {}", escape(&path.to_string_lossy()));
        return Ok(OK);
    }
    println!(
        "{:<25} {:<8} {:>8}  file (newest first; undo --file FILE picks one)",
        "when", "command", "rows"
    );
    for f in &files {
        println!(
            "{:<25} {:<8} {:>8}  {}",
            escape(&f.header.when),
            escape(&f.header.command),
            f.header.rows,
            escape(&f.path.to_string_lossy())
        );
        if let Some(w) = f.header.what.first() {
            let first = w.lines().next().unwrap_or_default();
            println!(
                "{:<25} {}",
                "",
                escape(&first.chars().take(90).collect::<String>())
            );
        }
    }
    Ok(OK)
}
