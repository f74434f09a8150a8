//! A store while `import` writes it: a hidden file beside DEST, named by
//! the writing process, removed unless finished. One left by a process
//! that was killed (SIGKILL runs no cleanup) is removed by the next.

use crate::store::error::{Result, StoreError};
use std::path::{Path, PathBuf};

/// The new store while it is written, then linked to DEST (never over a
/// file).
pub(crate) struct Partial {
    pub(crate) path: PathBuf,
    dest: PathBuf,
    done: bool,
}

impl Partial {
    pub(crate) fn new(dest: &Path) -> Result<Partial> {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "store".into());
        let prefix = format!(".{name}.importing-");
        if let Some(dir) = dest.parent() {
            sweep(dir, &prefix);
        }
        let path = dest.with_file_name(format!("{prefix}{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        Ok(Partial {
            path,
            dest: dest.to_path_buf(),
            done: false,
        })
    }

    pub(crate) fn finish(mut self) -> Result<()> {
        let io = |what: &str, e| StoreError::io(format!("{what} {}", self.dest.display()), e);
        std::fs::File::open(&self.path)
            .and_then(|f| f.sync_all())
            .map_err(|e| io("cannot sync", e))?;
        // A hard link fails when DEST appeared meanwhile: never over a file.
        std::fs::hard_link(&self.path, &self.dest).map_err(|e| io("cannot create", e))?;
        self.done = true;
        let _ = std::fs::remove_file(&self.path);
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.done {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                let mut p = self.path.as_os_str().to_owned();
                p.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(p));
            }
        }
    }
}

/// Removes the files in `dir` named `prefix` then the id of a process
/// that is gone (and whatever follows it: `-journal`, a further suffix).
/// A running process's file is its own, never touched.
pub(crate) fn sweep(dir: &Path, prefix: &str) {
    let Ok(list) = std::fs::read_dir(dir) else {
        return;
    };
    for e in list.filter_map(|e| e.ok()) {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(pid) = digits.parse::<i32>()
            && !alive(pid)
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Whether process `pid` exists (a signal 0 that finds it, even one this
/// process may not signal).
fn alive(pid: i32) -> bool {
    let Some(pid) = rustix::process::Pid::from_raw(pid) else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e != rustix::io::Errno::SRCH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_gone_process_s_files_are_swept() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mine = format!(".s.sqlite.importing-{}", std::process::id());
        let names = [
            mine.as_str(),
            ".s.sqlite.importing-999999999",
            ".s.sqlite.importing-999999999-journal",
            ".s.sqlite.importing-x",
            ".t.sqlite.importing-999999999",
        ];
        for n in names {
            std::fs::write(dir.path().join(n), b"").unwrap_or_else(|e| panic!("{e}"));
        }
        sweep(dir.path(), ".s.sqlite.importing-");
        let left: Vec<bool> = names.iter().map(|n| dir.path().join(n).exists()).collect();
        assert_eq!(left, [true, false, false, true, true]);
    }
}
