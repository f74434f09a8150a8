//! `demo`: a sample store, into a new temporary folder unless a PATH is
//! given; `--demo`: the same, then the app on it.

use super::shared::{EXIT_OK, fail};
use crate::store::demo;
use crate::store::identify::resolve;
use crate::text::escape;
use anyhow::{Context, Result};
use std::ffi::OsStr;

/// `demo [PATH]`: without PATH, into a new temporary folder (never the
/// default store path, where a real store would later be expected).
pub fn demo(raw: Option<&OsStr>, docs: u64, legacy: bool) -> u8 {
    let run = || -> Result<()> {
        let path = match raw {
            Some(raw) => resolve(raw)?,
            None => new_temp_folder()?.join("pipeline.sqlite"),
        };
        let start = std::time::Instant::now();
        demo::write_demo(&path, demo::DemoOptions { docs, legacy })?;
        println!(
            "wrote {} documents{} to {} in {:.1} s",
            docs,
            if legacy {
                " and the V2 legacy tables"
            } else {
                ""
            },
            escape(&path.to_string_lossy()),
            start.elapsed().as_secs_f64()
        );
        Ok(())
    };
    match run() {
        Ok(()) => EXIT_OK,
        Err(e) => fail(&e, false),
    }
}

/// A new folder under the system's temporary folder, kept after the run.
fn new_temp_folder() -> Result<std::path::PathBuf> {
    let base = std::env::temp_dir();
    for n in 0..1000u32 {
        let dir = base.join(format!("egregora-inspect-demo-{}-{n}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot create {}", dir.display()));
            }
        }
    }
    anyhow::bail!("cannot find a free folder name under {}", base.display())
}

/// `--demo`: a demo store with legacy tables in a new temporary folder, then
/// the app on it.
pub fn tui_demo(launch: Option<crate::tui::app::Launch>) -> u8 {
    let run = || -> Result<std::path::PathBuf> {
        let path = new_temp_folder()?.join("pipeline.sqlite");
        demo::write_demo(
            &path,
            demo::DemoOptions {
                docs: 300,
                legacy: true,
            },
        )?;
        let mut app = crate::tui::app::App::new(path.clone());
        app.launch = launch;
        crate::tui::run_app(app)?;
        Ok(path)
    };
    match run() {
        Ok(path) => {
            println!(
                "the demo store stays at {}",
                escape(&path.to_string_lossy())
            );
            EXIT_OK
        }
        Err(e) => fail(&e, false),
    }
}
