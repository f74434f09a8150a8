//! The app on a DuckDB file (DESIGN §9): an import into a snapshot under
//! the cache folder, one per source at a stable path, reused while the
//! source (and its .wal) keep their size and mtime. A sidecar beside the
//! snapshot records what it was taken from; a snapshot is never written
//! by the app (`open::writable` refuses it).

use crate::store::cancel::Canceller;
use crate::store::duckdb::import::{self, ImportProgress};
use crate::store::duckdb::{DuckStore, partial, wal_path};
use crate::store::error::{Result, StoreError};
use serde::{Deserialize, Serialize};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

/// `$XDG_CACHE_HOME/egregora-inspect/snapshots` (or the platform's own).
pub fn default_cache_dir() -> Result<PathBuf> {
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy()
        .map_err(|e| StoreError::Refused(format!("no cache folder: {e}")))?;
    Ok(base.cache_dir().join("egregora-inspect").join("snapshots"))
}

/// What a snapshot was taken from: the source's size and mtime, and its
/// .wal's, so a change to either makes a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStamp {
    pub size: u64,
    pub mtime_ns: i128,
    pub wal_size: u64,
    pub wal_mtime_ns: i128,
}

impl SourceStamp {
    pub fn of(source: &Path) -> SourceStamp {
        let m = |p: &Path| {
            std::fs::metadata(p).map_or((0, 0), |m| {
                use std::os::unix::fs::MetadataExt;
                (
                    m.size(),
                    i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
                )
            })
        };
        let (size, mtime_ns) = m(source);
        let (wal_size, wal_mtime_ns) = m(&wal_path(source));
        SourceStamp {
            size,
            mtime_ns,
            wal_size,
            wal_mtime_ns,
        }
    }
}

/// The sidecar's content: what the snapshot beside it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(skip)]
    pub path: PathBuf,
    pub source: PathBuf,
    pub stamp: SourceStamp,
    /// The writer's DuckDB version (`v1.4.4`).
    pub duckdb_version: String,
    /// When it was taken, `YYYY-MM-DD HH:MM:SS` UTC.
    pub taken: String,
}

impl Snapshot {
    /// Whether the source moved on since the snapshot was taken.
    pub fn source_changed(&self) -> bool {
        SourceStamp::of(&self.source) != self.stamp
    }
}

/// The stable path of `source`'s snapshot in `cache`.
pub fn snapshot_path(source: &Path, cache: &Path) -> PathBuf {
    let mut h = DefaultHasher::new();
    source.hash(&mut h);
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(40)
        .collect();
    cache.join(format!("{stem}-{:016x}.sqlite", h.finish()))
}

fn sidecar(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".source.json");
    PathBuf::from(p)
}

/// Whether `path` is a snapshot of a DuckDB store (never written here).
pub fn is_snapshot(path: &Path) -> bool {
    sidecar(path).is_file()
}

/// The snapshot at `path`, as its sidecar records it.
pub fn read(path: &Path) -> Option<Snapshot> {
    let text = std::fs::read_to_string(sidecar(path)).ok()?;
    let mut s: Snapshot = serde_json::from_str(&text).ok()?;
    s.path = path.to_path_buf();
    path.is_file().then_some(s)
}

/// `source`'s snapshot in `cache` when there is one and the source is as
/// it was when it was taken.
pub fn current(source: &Path, cache: &Path) -> Option<Snapshot> {
    read(&snapshot_path(source, cache)).filter(|s| !s.source_changed())
}

/// `source`'s snapshot in `cache`: the one there while the source is
/// unchanged, else a new import that replaces it whole. Snapshots whose
/// source is gone are pruned.
pub fn snapshot(
    source: &Path,
    cache: &Path,
    progress: &mut dyn FnMut(&ImportProgress),
    cancel: &Canceller,
) -> Result<Snapshot> {
    std::fs::create_dir_all(cache)
        .map_err(|e| StoreError::io(format!("cannot create {}", cache.display()), e))?;
    if let Some(s) = current(source, cache) {
        return Ok(s);
    }
    let path = snapshot_path(source, cache);
    if cancel.is_cancelled() {
        return Err(StoreError::Cancelled);
    }
    let store = DuckStore::open(source)?;
    let stamp = SourceStamp::of(source);
    // What a killed app left of its copy (its process gone) goes first.
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    partial::sweep(cache, &format!("{name}.new-"));
    partial::sweep(cache, &format!(".{name}.new-"));
    let fresh = path.with_extension(format!("sqlite.new-{}", std::process::id()));
    let _ = std::fs::remove_file(&fresh);
    let plan = import::plan(&store, Some(&fresh))?;
    import::run(&plan, &store, cancel, progress)?;
    // Stopped after the copy: the copy goes, no snapshot takes its place.
    if cancel.is_cancelled() {
        let _ = std::fs::remove_file(&fresh);
        return Err(StoreError::Cancelled);
    }
    let snap = Snapshot {
        path: path.clone(),
        source: source.to_path_buf(),
        stamp,
        duckdb_version: store.writer.clone(),
        taken: now_utc(),
    };
    let io = |e| StoreError::io(format!("cannot keep the snapshot {}", path.display()), e);
    let text = serde_json::to_string_pretty(&snap).unwrap_or_default();
    std::fs::write(sidecar(&path), text).map_err(io)?;
    // Replaces the old snapshot whole: an app reading it sees a new file.
    std::fs::rename(&fresh, &path).map_err(io)?;
    prune(cache, &path);
    Ok(snap)
}

/// Removes snapshots whose source no longer exists, and any other of the
/// same source as `kept` (one named by an older path hash).
fn prune(cache: &Path, kept: &Path) {
    let Ok(list) = std::fs::read_dir(cache) else {
        return;
    };
    for e in list.filter_map(|e| e.ok()) {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "sqlite")
            && let Some(s) = read(&p)
            && p != kept
            && (read(kept).is_some_and(|k| k.source == s.source) || !s.source.exists())
        {
            let _ = std::fs::remove_file(&p);
            let _ = std::fs::remove_file(sidecar(&p));
        }
    }
}

/// The time now as `YYYY-MM-DD HH:MM:SS` UTC (days from the civil
/// calendar algorithm; no date library for one line).
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_paths_are_stable_per_source() {
        let cache = Path::new("/c");
        let a = snapshot_path(Path::new("/site/.egregora/pipeline.duckdb"), cache);
        assert_eq!(
            a,
            snapshot_path(Path::new("/site/.egregora/pipeline.duckdb"), cache)
        );
        assert_ne!(
            a,
            snapshot_path(Path::new("/other/.egregora/pipeline.duckdb"), cache)
        );
        assert!(a.to_string_lossy().starts_with("/c/pipeline-"));
    }

    #[test]
    fn the_time_reads_as_utc() {
        let t = now_utc();
        assert_eq!(t.len(), 19, "{t}");
        assert!(t.starts_with("20"), "{t}");
    }
}
