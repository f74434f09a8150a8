//! `exec`: one INSERT, UPDATE or DELETE, previewed, asked, committed with
//! an undo file.

use super::change::{self, ChangeFlags, OK};
use crate::store::change::{Unseen, commit_unseen};
use crate::store::identify::resolve;
use anyhow::Result;
use std::ffi::OsStr;

pub fn exec(raw: &OsStr, sql: &str, flags: ChangeFlags) -> u8 {
    match run(raw, sql, flags) {
        Ok(code) => code,
        Err(e) => change::failed(&e, flags.json),
    }
}

fn run(raw: &OsStr, sql: &str, flags: ChangeFlags) -> Result<u8> {
    change::json_needs_yes(flags)?;
    let path = resolve(raw)?;
    let sql = change::sql_arg(sql)?;
    if flags.yes && !flags.dry_run {
        // Nobody looks at a preview in between: one run, under the lock.
        let done = change::commit(|c| commit_unseen(Unseen::Exec(&path, &sql), c))?;
        change::print_done(&done, flags.json);
        return Ok(OK);
    }
    let preview = crate::store::change::exec(&path, &sql)?;
    if let Some(done) = change::decide(&preview, flags)? {
        change::print_done(&done, flags.json);
    }
    Ok(OK)
}
