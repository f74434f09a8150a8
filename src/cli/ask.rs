//! Asking before a write, and the signals that stop one.

use crate::store::cancel::Canceller;
use anyhow::{Context, Result};
use std::io::{BufRead, IsTerminal, Write};

/// Asks on the terminal; without one, refuses at once rather than wait.
pub(crate) fn confirm() -> Result<bool> {
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
pub(crate) fn watch_signals(cancel: &Canceller) -> Result<signal_hook::iterator::Handle> {
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
