//! The Query tab's statement in the user's own editor (`$VISUAL`, else
//! `$EDITOR`, else `vi`): written to a file of its own, edited, read back.
//! The terminal is handed over meanwhile (see `run_app`).

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::process::Command;

/// The editor the environment names: `$VISUAL`, else `$EDITOR`, else `vi`.
pub fn editor() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".into())
}

/// `sql` as the editor leaves it. An editor that fails or cannot be
/// started leaves the statement as it was (the error says why).
pub fn edit(sql: &str) -> Result<String> {
    let mut file = tempfile::Builder::new()
        .prefix("egregora-inspect-")
        .suffix(".sql")
        .tempfile()
        .context("cannot make a file for the editor")?;
    file.write_all(sql.as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .context("cannot write the statement for the editor")?;
    let editor = editor();
    // Through the shell, so an editor with arguments (`code --wait`) runs.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status()
        .with_context(|| format!("cannot start {editor}"))?;
    if !status.success() {
        let code = status
            .code()
            .map_or_else(|| "a signal".to_string(), |c| c.to_string());
        bail!(
            "{} exited with {code}; the statement is as it was",
            crate::text::escape(&editor)
        );
    }
    let bytes = std::fs::read(file.path()).context("cannot read the statement back")?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("the edited statement is not UTF-8; it is as it was"))?;
    Ok(text.trim_end_matches(['\n', '\r']).to_string())
}
