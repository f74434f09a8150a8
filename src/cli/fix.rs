//! `fix`: the data findings a rule repairs by itself, as one change; the
//! rest listed for a person. Exit 0 when nothing is left, 1 otherwise.

use super::change::{self, ChangeFlags};
use super::shared::{EXIT_OK, EXIT_PROBLEMS};
use crate::store::identify::resolve;
use crate::store::inspection::finding::Code;
use anyhow::Result;
use std::ffi::OsStr;

pub fn fix(raw: &OsStr, only: &[String], flags: ChangeFlags) -> u8 {
    match run(raw, only, flags) {
        Ok(code) => code,
        Err(e) => change::failed(&e, flags.json),
    }
}

fn run(raw: &OsStr, only: &[String], flags: ChangeFlags) -> Result<u8> {
    change::json_needs_yes(flags)?;
    let codes = only.iter().map(|c| code(c)).collect::<Result<Vec<_>>>()?;
    let path = resolve(raw)?;
    let preview = crate::store::change::fix(&path, &codes)?;
    let left = match change::decide(&preview, flags)? {
        Some(done) => {
            // The preview listed what is left; the outcome says it again
            // only in JSON.
            change::print_done(&done, flags.json);
            done.left.len()
        }
        None => preview.left.len(),
    };
    Ok(if left == 0 { EXIT_OK } else { EXIT_PROBLEMS })
}

fn code(name: &str) -> Result<Code> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).map_err(|_| {
        let can: Vec<&str> = crate::store::change::FIXABLE
            .iter()
            .map(|c| c.label())
            .collect();
        anyhow::anyhow!(
            "unknown code {:?}: fix repairs {}",
            crate::text::escape(name),
            can.join(", ")
        )
    })
}
