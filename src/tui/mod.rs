//! The terminal app. Never writes SQL: it asks the store layer, through one
//! worker thread.

pub mod app;
pub mod event;
pub mod keys;
pub mod text;
pub mod views;
pub mod worker;

use anyhow::{Context, Result, bail};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use event::Msg;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::mpsc;

/// Puts the terminal back: raw mode off, main screen, cursor shown. Safe to
/// call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        std::io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Runs the app on `path` until the user quits.
pub fn run(path: &Path) -> Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "the app needs a terminal; for a report use `egregora-inspect check {}`",
            crate::text::escape(&path.to_string_lossy())
        );
    }
    // A panic restores the terminal before its message is printed.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        hook(info);
    }));

    let (tx, rx) = mpsc::channel::<Msg>();
    let mut app = app::App::new(path.to_path_buf());
    let spawn = || {
        let (jobs_tx, jobs_rx) = mpsc::channel();
        let reply_tx = tx.clone();
        worker::spawn(
            path.to_path_buf(),
            jobs_rx,
            app.latest_window.clone(),
            move |r| {
                let _ = reply_tx.send(Msg::Reply(r));
            },
        );
        jobs_tx
    };
    let workers = event::Workers {
        browse: spawn(),
        scan: spawn(),
    };
    let input_tx = tx.clone();
    std::thread::spawn(move || {
        while let Ok(ev) = crossterm::event::read() {
            if input_tx.send(Msg::Input(ev)).is_err() {
                break;
            }
        }
    });
    {
        use signal_hook::consts::{SIGHUP, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])
            .context("cannot watch signals")?;
        let sig_tx = tx.clone();
        std::thread::spawn(move || {
            for _ in signals.forever() {
                if sig_tx.send(Msg::Signal).is_err() {
                    break;
                }
            }
        });
    }

    enable_raw_mode().context("cannot switch the terminal to raw mode")?;
    let _guard = Guard;
    execute!(std::io::stdout(), EnterAlternateScreen, EnableMouseCapture)
        .context("cannot set up the terminal")?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))
        .context("cannot set up the terminal")?;
    terminal.hide_cursor().ok();
    event::run(&mut terminal, &mut app, &rx, &workers)
}
