//! The app on upstream's DuckDB store: on its snapshot when one is there
//! (a new one taken behind it when the source changed since), else up at
//! once on what the catalog says while the first snapshot is taken.

use crate::store::duckdb::DuckStore;
use crate::store::duckdb::keeper::Keeper;
use crate::store::duckdb::snapshot::{self, default_cache_dir};
use crate::text::escape;
use crate::tui::app::App;
use anyhow::Result;
use std::io::IsTerminal;
use std::path::Path;

/// The app to run on `source`. What stops it before any screen (no
/// terminal, no shell, a file newer than the shell) is said here.
pub(super) fn prepare(source: &Path) -> Result<App> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the app needs a terminal; for a report use `egregora-inspect check {}`",
            escape(&source.to_string_lossy())
        );
    }
    let cache = default_cache_dir()?;
    if let Some(snap) = snapshot::current(source, &cache) {
        let path = snap.path.clone();
        return Ok(App::on_snapshot(Keeper::start(snap, cache, None), path));
    }
    // The last snapshot stays on screen while a new one is taken.
    if let Some(old) = snapshot::read(&snapshot::snapshot_path(source, &cache)) {
        let path = old.path.clone();
        let note = "the DuckDB file changed: taking a new snapshot…".to_string();
        return Ok(App::on_snapshot(
            Keeper::start(old, cache, Some(note)),
            path,
        ));
    }
    DuckStore::open(source)?;
    std::fs::create_dir_all(&cache)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", cache.display()))?;
    Ok(App::taking_snapshot(source.to_path_buf(), cache))
}
