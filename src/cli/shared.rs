//! What every command's output shares: exit codes, the one-line failure
//! (with its JSON object under --json), the question before a write, and
//! signals that cancel a running write.

use crate::store::StoreError;
use crate::store::cancel::Canceller;
use crate::text::escape;
use anyhow::{Context, Result};
use std::io::{BufRead, IsTerminal, Write};

pub(super) const EXIT_OK: u8 = 0;
/// The reader of stdout went away (`| head`): the output was cut, so no
/// verdict is given; the code a tool killed by SIGPIPE ends with (128 + 13).
pub const EXIT_PIPE: u8 = 141;
pub(super) const EXIT_PROBLEMS: u8 = 1;
pub(super) const EXIT_ERROR: u8 = 2;

/// Prints a one-line reason on stderr, never a backtrace; with `--json`
/// also one JSON object on stdout, so a script reading stdout always gets
/// JSON.
pub(super) fn fail(e: &anyhow::Error, json: bool) -> u8 {
    // The reader stopped reading (`| head`): the output ends there.
    let closed = e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    });
    if closed {
        return EXIT_PIPE;
    }
    let message = format!("{e:#}");
    eprintln!("error: {}", escape(&message));
    if json {
        let kind = e
            .downcast_ref::<StoreError>()
            .map_or("failed", StoreError::kind);
        println!(
            "{}",
            serde_json::json!({"ok": false, "error": {"kind": kind, "message": message}})
        );
    }
    EXIT_ERROR
}

/// Asks on the terminal; without one, refuses at once rather than wait.
pub(super) fn confirm() -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "refusing to write without confirmation: no terminal to ask on; pass --yes to apply"
        );
    }
    eprint!("Apply this plan? [y/N] ");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the answer")?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// SIGINT, SIGTERM and SIGHUP cancel the running plan (it rolls back).
pub(super) fn watch_signals(cancel: &Canceller) -> Result<signal_hook::iterator::Handle> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
        .context("cannot watch signals")?;
    let handle = signals.handle();
    let cancel = cancel.clone();
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            cancel.cancel();
        }
    });
    Ok(handle)
}
