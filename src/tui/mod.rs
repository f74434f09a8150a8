//! The terminal app. Never writes SQL: it asks the store layer through its
//! worker threads, and draws what comes back.

pub mod app;
mod clipboard;
pub mod config;
pub mod event;
mod history;
pub mod keymap;
pub mod keys;
mod lists;
mod long;
mod messages;
pub mod mode;
pub mod outside;
mod scans;
mod searching;
pub mod sessions;
pub mod tab;
pub mod text;
pub mod theme;
pub mod views;
pub mod worker;

use anyhow::{Context, Result, bail};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use event::Msg;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

/// Puts the terminal back: mouse capture off, then ratatui's restore (raw
/// mode off, main screen, cursor shown). Safe to call more than once.
fn restore() {
    let _ = execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste
    );
    ratatui::restore();
}

struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Runs `app` (on a store, or on upstream's DuckDB store and its snapshot)
/// until the user quits.
pub(crate) fn run_app(mut app: app::App) -> Result<()> {
    let path = app.path.clone();
    let config = config::load()?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "the app needs a terminal; for a report use `egregora-inspect check {}`",
            crate::text::escape(&path.to_string_lossy())
        );
    }
    let (tx, rx) = mpsc::channel::<Msg>();
    app.keys = config.keys;
    // A history that cannot be read costs its recall, never the app.
    match history::path().and_then(|p| {
        app.history_file = Some(p.clone());
        history::load(&p)
    }) {
        Ok(h) => app.query.history = h,
        Err(e) => app.say(format!("SQL history not read: {e:#}")),
    }
    theme::choose(config.theme);
    let reply_tx = tx.clone();
    let workers = worker::Workers::spawn(&path, &app.requests.latest, move |r| {
        let _ = reply_tx.send(Msg::Reply(r));
    });
    let input_tx = tx.clone();
    let gate = Arc::new(Gate::default());
    let input_gate = gate.clone();
    std::thread::spawn(move || read_input(&input_gate, |ev| input_tx.send(Msg::Input(ev)).is_ok()));
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

    let mut terminal = ratatui::try_init().context("cannot set up the terminal")?;
    let _guard = Guard;
    // ratatui's panic hook restores the terminal; mouse capture goes first.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(
            std::io::stdout(),
            DisableMouseCapture,
            DisableBracketedPaste
        );
        hook(info);
    }));
    // Pasted text arrives whole, so its newlines are not Enter keys that
    // would run half a statement.
    execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste)
        .context("cannot set up the terminal")?;
    terminal.hide_cursor().ok();
    let mut outside = |sql: &str| {
        gate.hold();
        restore();
        let got = outside::edit(sql);
        let back = enter();
        gate.release();
        back.and(got)
    };
    event::run(&mut terminal, &mut app, &rx, &workers, &mut outside)
}

/// The terminal as the app uses it, again after an editor had it.
fn enter() -> Result<()> {
    crossterm::terminal::enable_raw_mode().context("cannot set up the terminal")?;
    execute!(
        std::io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
    .context("cannot set up the terminal")
}

/// Lets the input thread stop reading while another program (the user's
/// editor) has the terminal: a read would take that program's keys.
#[derive(Default)]
struct Gate {
    held: AtomicBool,
    idle: AtomicBool,
}

/// How long the input thread waits for a key before it looks at the gate.
const INPUT_POLL: Duration = Duration::from_millis(50);

impl Gate {
    /// Closes the gate and waits (briefly) until the input thread is idle.
    fn hold(&self) {
        self.held.store(true, Ordering::SeqCst);
        let since = Instant::now();
        while !self.idle.load(Ordering::SeqCst) && since.elapsed() < Duration::from_secs(1) {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn release(&self) {
        // Idle is for the thread to say again once the gate is next held.
        self.idle.store(false, Ordering::SeqCst);
        self.held.store(false, Ordering::SeqCst);
    }
}

/// Terminal events to `send` until it says stop or the terminal is gone;
/// none read while the gate is held.
fn read_input(gate: &Gate, send: impl Fn(crossterm::event::Event) -> bool) {
    loop {
        if gate.held.load(Ordering::SeqCst) {
            gate.idle.store(true, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(10));
            continue;
        }
        gate.idle.store(false, Ordering::SeqCst);
        match crossterm::event::poll(INPUT_POLL) {
            Ok(false) => continue,
            Ok(true) => {}
            Err(_) => return,
        }
        let Ok(ev) = crossterm::event::read() else {
            return;
        };
        if !send(ev) {
            return;
        }
    }
}
