//! The `duckdb` command-line shell, run once per stream: `-readonly -safe
//! -jsonlines`, rows parsed as they arrive, the process stopped on cancel.
//! No DuckDB is compiled in (DESIGN §9).

use crate::store::error::{Result, StoreError};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

/// The variable that names the shell when it is not on PATH.
pub const SHELL_VAR: &str = "EGREGORA_INSPECT_DUCKDB";

/// How much of the shell's stderr is kept for its error message.
const STDERR_AT_MOST: u64 = 64 * 1024;

#[derive(Debug, Clone)]
pub struct Shell {
    pub path: PathBuf,
}

impl Shell {
    /// The shell named by EGREGORA_INSPECT_DUCKDB, else `duckdb` on PATH.
    /// `store` is named in the error when there is none.
    pub fn find(store: &Path) -> Result<Shell> {
        const GET: &str = "pip install duckdb-cli (or the system's duckdb package)";
        let path = match std::env::var_os(SHELL_VAR).filter(|v| !v.is_empty()) {
            Some(p) => Some(PathBuf::from(&p))
                .filter(|p| is_executable(p))
                .ok_or_else(|| {
                    StoreError::NoDuckDbShell(format!(
                        "{SHELL_VAR} names {}, which is not an executable file: point it at a duckdb binary, or {GET}",
                        Path::new(&p).display()
                    ))
                })?,
            None => std::env::var_os("PATH")
                .and_then(|paths| {
                    std::env::split_paths(&paths)
                        .map(|d| d.join("duckdb"))
                        .find(|p| is_executable(p))
                })
                .ok_or_else(|| {
                    let what = crate::store::identify::identify(store)
                        .map_or_else(|_| "a DuckDB file".into(), |i| i.describe());
                    StoreError::NoDuckDbShell(format!(
                        "{} is {what}; reading it needs the duckdb shell, which is not on PATH: {GET}",
                        store.display()
                    ))
                })?,
        };
        Ok(Shell {
            path: real_binary(&path).unwrap_or(path),
        })
    }

    /// The shell's version, as `-version` prints its first word (`v1.5.6`).
    pub fn version(&self) -> Result<String> {
        let out = Command::new(&self.path)
            .arg("-version")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| StoreError::io(format!("cannot run {}", self.path.display()), e))?;
        let text = String::from_utf8_lossy(&out.stdout);
        Ok(text
            .split_whitespace()
            .next()
            .unwrap_or("unknown")
            .to_string())
    }

    /// Runs `sql` on `db` read-only; its rows come from the stream.
    pub fn stream(&self, db: &Path, sql: &str) -> Result<Rows> {
        self.run(db, sql, &["-jsonlines"])
    }

    /// `stream` with the rows printed as SQL literals (see `quoted`), read
    /// in blocks: the bulk copy's way.
    pub(crate) fn stream_quoted(&self, db: &Path, sql: &str) -> Result<Rows> {
        self.run(db, sql, &crate::store::duckdb::quoted::ARGS)
    }

    fn run(&self, db: &Path, sql: &str, format: &[&str]) -> Result<Rows> {
        let mut child = Command::new(&self.path)
            .args(["-readonly", "-safe", "-bail"])
            .args(format)
            .arg(db)
            .arg(sql)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group: a wrapper's child (PyPI's `duckdb`
            // runs the real binary as one) is stopped with it.
            .process_group(0)
            .spawn()
            .map_err(|e| StoreError::io(format!("cannot run {}", self.path.display()), e))?;
        // A MiB of pipe, not 64 KiB: the shell prints hundreds of MB, and
        // each time the pipe fills, it and its reader stop and wake.
        #[cfg(target_os = "linux")]
        if let Some(out) = child.stdout.as_ref() {
            // Above the system's limit it stays as it was: still correct.
            let _ = rustix::pipe::fcntl_setpipe_size(out, 1 << 20);
        }
        let stderr = child.stderr.take().map(|mut err| {
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = (&mut err).take(STDERR_AT_MOST).read_to_string(&mut text);
                // Drained to the end so the shell never blocks on a full pipe.
                let _ = std::io::copy(&mut err, &mut std::io::sink());
                text
            })
        });
        // A pipe's whole 64 KiB per read, not 8: an import reads hundreds
        // of MB, and each read is a system call and a wake-up of the shell.
        let stdout = child
            .stdout
            .take()
            .map(|o| BufReader::with_capacity(1 << 16, o));
        Ok(Rows {
            child,
            stdout,
            stderr,
            db: db.to_path_buf(),
            line: String::new(),
            done: false,
        })
    }

    /// Every row of `sql`, for the small catalog queries.
    pub fn collect(&self, db: &Path, sql: &str) -> Result<Vec<Vec<Value>>> {
        let mut rows = self.stream(db, sql)?;
        let mut all = Vec::new();
        while let Some(r) = rows.next_row()? {
            all.push(r);
        }
        Ok(all)
    }
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The DuckDB binary behind `path`. PyPI's `duckdb` is a Python script
/// that runs the binary in its package folder with a `-cmd` that `-safe`
/// refuses, and a stop of the script would leave DuckDB running: the
/// binary is run directly. A launcher in front of that (pyenv's shims) is
/// seen through by starting it once and reading its child's executable.
fn real_binary(path: &Path) -> Option<PathBuf> {
    if is_elf(path) {
        return None;
    }
    static SEEN: std::sync::Mutex<Vec<(PathBuf, PathBuf)>> = std::sync::Mutex::new(Vec::new());
    if let Some((_, real)) = SEEN.lock().ok()?.iter().find(|(p, _)| p == path) {
        return Some(real.clone());
    }
    let real = python_package_binary(path).or_else(|| started_binary(path))?;
    if let Ok(mut seen) = SEEN.lock() {
        seen.push((path.to_path_buf(), real.clone()));
    }
    Some(real)
}

fn is_elf(path: &Path) -> bool {
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == b"\x7fELF")
}

/// `#!/prefix/bin/python3.11` → `/prefix/lib/python*/site-packages/duckdb_cli/duckdb`.
fn python_package_binary(path: &Path) -> Option<PathBuf> {
    let mut head = [0u8; 256];
    let n = std::fs::File::open(path).ok()?.read(&mut head).ok()?;
    let first = std::str::from_utf8(head.get(..n)?).ok()?.lines().next()?;
    let interpreter = PathBuf::from(first.strip_prefix("#!")?.split_whitespace().next()?);
    if !interpreter
        .file_name()?
        .to_string_lossy()
        .starts_with("python")
    {
        return None;
    }
    let prefix = interpreter.parent()?.parent()?;
    std::fs::read_dir(prefix.join("lib"))
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("site-packages/duckdb_cli/duckdb"))
        .find(|p| is_executable(p) && is_elf(p))
}

/// Starts the launcher (waiting on its stdin, so it only starts), finds
/// the DuckDB binary among the processes it started, and stops them all.
fn started_binary(path: &Path) -> Option<PathBuf> {
    let mut child = Command::new(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .ok()?;
    let root = child.id();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut found = None;
    while found.is_none() && std::time::Instant::now() < deadline {
        found = descendants(root).into_iter().find_map(|pid| {
            let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok()?;
            let named = exe.file_name()?.to_string_lossy().starts_with("duckdb");
            (named && is_elf(&exe)).then_some(exe)
        });
        if found.is_none() {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    if let Some(pid) = rustix::process::Pid::from_raw(root as i32) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    let _ = child.wait();
    found
}

/// `pid` and every process under it, from /proc's children lists.
fn descendants(pid: u32) -> Vec<u32> {
    let mut all = vec![pid];
    let mut i = 0;
    while i < all.len() && all.len() < 64 {
        let p = all[i];
        if let Ok(list) = std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")) {
            all.extend(
                list.split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
        i += 1;
    }
    all
}

/// The rows of one running statement. Dropping it stops the shell.
pub struct Rows {
    child: Child,
    stdout: Option<BufReader<ChildStdout>>,
    stderr: Option<std::thread::JoinHandle<String>>,
    db: PathBuf,
    line: String,
    done: bool,
}

impl Rows {
    /// The next row's values in column order; None after the last. A
    /// failed statement is its error, after the rows it printed.
    pub fn next_row(&mut self) -> Result<Option<Vec<Value>>> {
        self.next_of::<Value>()
    }

    fn next_of<'a, T: serde::Deserialize<'a>>(&'a mut self) -> Result<Option<Vec<T>>> {
        if !self.next_line()? {
            return Ok(None);
        }
        parse_row(&self.db, &self.line).map(Some)
    }

    /// The next `size` bytes of output (fewer at its end), as printed,
    /// to parse elsewhere (see `feed`); None after the last.
    pub(crate) fn next_block(&mut self, size: usize) -> Result<Option<Vec<u8>>> {
        if self.done {
            return Ok(None);
        }
        let Some(out) = self.stdout.as_mut() else {
            return self.finish().map(|()| None);
        };
        let mut block = Vec::with_capacity(size);
        (&mut *out)
            .take(size as u64)
            .read_to_end(&mut block)
            .map_err(|e| StoreError::io("cannot read the duckdb shell's output", e))?;
        if block.is_empty() {
            return self.finish().map(|()| None);
        }
        Ok(Some(block))
    }

    /// The shell's process group, to stop it from another thread.
    pub(crate) fn group(&self) -> Option<rustix::process::Pid> {
        rustix::process::Pid::from_raw(self.child.id() as i32)
    }

    /// Reads the next row's line; false after the last.
    fn next_line(&mut self) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        let Some(out) = self.stdout.as_mut() else {
            return self.finish().map(|()| false);
        };
        // An empty result prints one blank line.
        loop {
            self.line.clear();
            let n = out
                .read_line(&mut self.line)
                .map_err(|e| StoreError::io("cannot read the duckdb shell's output", e))?;
            if n == 0 {
                return self.finish().map(|()| false);
            }
            if !self.line.trim().is_empty() {
                return Ok(true);
            }
        }
    }

    /// Waits for the shell's exit; its error when it failed.
    fn finish(&mut self) -> Result<()> {
        self.done = true;
        self.stdout = None;
        let status = self
            .child
            .wait()
            .map_err(|e| StoreError::io("cannot wait for the duckdb shell", e))?;
        let err = self
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        if status.success() {
            return Ok(());
        }
        Err(shell_error(&self.db, &err, status.code()))
    }

    /// Stops the shell and every process it started.
    pub fn stop(&mut self) {
        if self.done {
            return;
        }
        self.done = true;
        if let Some(pid) = rustix::process::Pid::from_raw(self.child.id() as i32) {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Rows {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One line the shell printed for `db`, as the row's values in column
/// order (their text borrowed from the line where it can be).
fn parse_row<'a, T: serde::Deserialize<'a>>(db: &Path, line: &'a str) -> Result<Vec<T>> {
    let mut de = serde_json::Deserializer::from_str(line);
    de.deserialize_map(RowVisitor(std::marker::PhantomData))
        .map_err(|e| StoreError::DuckDb {
            path: db.to_path_buf(),
            message: format!("the shell printed a line that is not a JSON row: {e}"),
        })
}

/// A JSON object's values in the order printed (the shell prints the
/// columns in order), its keys ignored: no map, no key strings.
struct RowVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: serde::Deserialize<'de>> Visitor<'de> for RowVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object, one row")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let mut row = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some((IgnoredAny, v)) = map.next_entry::<IgnoredAny, T>()? {
            row.push(v);
        }
        Ok(row)
    }
}

/// The shell's stderr as one of the errors the user can act on.
pub(crate) fn shell_error(db: &Path, stderr: &str, code: Option<i32>) -> StoreError {
    if let Some(held) = held_by(stderr) {
        return StoreError::DuckDbHeld {
            path: db.to_path_buf(),
            pid: held.0,
            process: held.1,
        };
    }
    if let Some((storage, range)) = too_new(stderr) {
        let writer = match crate::store::identify::identify(db) {
            Ok(crate::store::identify::Identity::DuckDb { writer, .. }) => writer,
            _ => "unknown".into(),
        };
        let shell = Shell::find(db)
            .and_then(|s| s.version())
            .unwrap_or_else(|_| "unknown".into());
        return StoreError::DuckDbTooNew {
            path: db.to_path_buf(),
            writer,
            storage,
            shell,
            range,
        };
    }
    let first = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("the shell exited with {}", code.unwrap_or(-1)));
    // Named with what its header says, so a damaged file is recognisable.
    let what = crate::store::identify::identify(db)
        .map_or_else(|_| "a DuckDB file".into(), |i| i.describe());
    StoreError::DuckDb {
        path: db.to_path_buf(),
        message: format!("{first} ({what})"),
    }
}

/// `Conflicting lock is held in /…/python3.11 (PID 22147)` → (22147, python3.11).
fn held_by(stderr: &str) -> Option<(u32, String)> {
    let rest = &stderr[stderr.find("Conflicting lock is held in ")? + 28..];
    let open = rest.find(" (PID ")?;
    let exe = &rest[..open];
    let pid = rest[open + 6..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    let name = Path::new(exe)
        .file_name()
        .map_or_else(|| exe.to_string(), |n| n.to_string_lossy().into_owned());
    Some((pid, name))
}

/// `…version number 69, but we can only read versions between 64 and 68`
/// → (69, "64 to 68").
fn too_new(stderr: &str) -> Option<(u64, String)> {
    let rest = &stderr[stderr.find("with version number ")? + 20..];
    let storage = rest.split(',').next()?.trim().parse().ok()?;
    let between = &rest[rest.find("between ")? + 8..];
    let mut words = between.split_whitespace();
    let low = words.next()?;
    let high = words.nth(1)?.trim_end_matches('.');
    Some((storage, format!("{low} to {high}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_is_read_from_duckdbs_message() {
        let err = "IO Error: Could not set lock on file \"/s/p.duckdb\": Conflicting lock is held in /usr/bin/python3.11 (PID 22147). See also https://duckdb.org/docs";
        assert_eq!(held_by(err), Some((22147, "python3.11".into())));
        assert_eq!(held_by("IO Error: Corrupt database file"), None);
    }

    #[test]
    fn the_readable_versions_are_read_from_duckdbs_message() {
        let err = "IO Error: Trying to read a database file with version number 69, but we can only read versions between 64 and 68.\nThe database file was created with a newer version of DuckDB.";
        assert_eq!(too_new(err), Some((69, "64 to 68".into())));
    }
}
