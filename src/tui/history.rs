//! The SQL editor's history, kept across runs in
//! `$XDG_STATE_HOME/egregora-inspect/history` (`~/.local/state/…` when the
//! variable is unset): one statement a line (a statement of several lines
//! as a JSON string), oldest first, the last `KEEP` kept. A history that cannot be read or written never stops the
//! app; it says so once.

use anyhow::{Context, Result, anyhow};
use etcetera::BaseStrategy;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Statements kept.
pub const KEEP: usize = 500;

pub fn path() -> Result<PathBuf> {
    let base = etcetera::choose_base_strategy()
        .map_err(|e| anyhow!("cannot find the state folder: {e}"))?;
    let dir = base
        .state_dir()
        .unwrap_or_else(|| base.data_dir())
        .join("egregora-inspect");
    Ok(dir.join("history"))
}

/// The statements run before, oldest first (none when there is no file).
/// A file grown past twice KEEP is cut back to the last KEEP.
pub fn load(p: &Path) -> Result<Vec<String>> {
    let bytes = match std::fs::read(p) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", shown(p))),
    };
    let text = String::from_utf8_lossy(&bytes);
    let all: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let kept: Vec<String> = all[all.len().saturating_sub(KEEP)..]
        .iter()
        .map(|s| parse(s))
        .collect();
    if all.len() > 2 * KEEP {
        let text: String = kept.iter().map(|s| format!("{}\n", line_of(s))).collect();
        std::fs::write(p, text).with_context(|| format!("cannot write {}", shown(p)))?;
    }
    Ok(kept)
}

/// Adds `sql` (on one line) at the end of the history file `p`.
pub fn append(p: &Path, sql: &str) -> Result<()> {
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", shown(dir)))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(p)
        .with_context(|| format!("cannot write {}", shown(p)))?;
    writeln!(f, "{}", line_of(sql)).with_context(|| format!("cannot write {}", shown(p)))
}

/// A statement as its line of the file: as it is, or a JSON string when
/// it has several lines (a statement never starts with `"`).
fn line_of(sql: &str) -> String {
    let text = crate::text::sql_text(sql);
    if text.contains('\n') {
        serde_json::to_string(text.trim()).unwrap_or_else(|_| crate::text::one_line(&text))
    } else {
        crate::text::one_line(&text)
    }
}

/// A line of the file as its statement.
fn parse(line: &str) -> String {
    match serde_json::from_str::<String>(line) {
        Ok(sql) if line.starts_with('"') => crate::text::sql_text(&sql).trim().to_string(),
        _ => crate::text::one_line(line),
    }
}

fn shown(p: &std::path::Path) -> String {
    crate::text::escape(&p.to_string_lossy()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::{line_of, parse};

    #[test]
    fn a_statement_of_several_lines_comes_back_whole() {
        let sql = "SELECT 1 -- one\n, 2";
        let line = line_of(sql);
        assert!(!line.contains('\n'), "{line}");
        assert_eq!(parse(&line), sql);
        assert_eq!(line_of("SELECT\t1"), "SELECT    1");
        assert_eq!(parse("SELECT 'a\u{1b}'"), "SELECT 'a '");
        assert_eq!(parse("\"unclosed"), "\"unclosed");
    }
}
