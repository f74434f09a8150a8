//! The loop: input, worker replies, and a once-a-second poll for writes by
//! other processes. Draws after every batch of messages.

use super::app::App;
use super::keys::Action;
use super::views;
use super::worker::{Reply, Workers};
use crossterm::event::{Event, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

pub enum Msg {
    Input(Event),
    Reply(Reply),
    /// SIGTERM or SIGHUP: leave cleanly.
    Signal,
}

const POLL_EVERY: Duration = Duration::from_secs(1);

/// Hands the terminal to the user's editor on a statement, and back: the
/// statement as edited, or why not.
pub type Outside<'a> = &'a mut dyn FnMut(&str) -> anyhow::Result<String>;

pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    rx: &Receiver<Msg>,
    workers: &Workers,
    outside: Outside<'_>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    app.resize(size.width, size.height);
    let mut last_poll = Instant::now();
    let mut leaving = false;
    loop {
        flush(app, workers);
        let mut drawn = Default::default();
        terminal.draw(|f| drawn = views::draw(f, app))?;
        app.drawn(drawn);
        flush(app, workers);
        let mut wait = POLL_EVERY.saturating_sub(last_poll.elapsed());
        if let Some(at) = app.next_tick() {
            wait = wait.min(at.saturating_duration_since(Instant::now()));
        }
        let first = match rx.recv_timeout(wait) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        for msg in first.into_iter().chain(rx.try_iter()) {
            match msg {
                Msg::Input(ev) => {
                    handle_input(app, ev);
                    // Keys typed after the one that asked for the editor
                    // are the edited statement's, not this one's.
                    if let Some(sql) = app.requests.outside.take() {
                        let got = outside(&sql);
                        // The editor drew over the screen: all of it again.
                        terminal.clear()?;
                        app.edited_outside(got);
                    }
                }
                Msg::Reply(r) => app.on_reply(r),
                Msg::Signal => {
                    leaving = true;
                    app.stop_first_snapshot();
                    if app.running() {
                        app.update(Action::Cancel);
                    }
                }
            }
        }
        let run = std::mem::take(&mut app.requests.history);
        if let Some(file) = app.history_file.clone() {
            for sql in run {
                if let Err(e) = super::history::append(&file, &sql) {
                    app.say(format!("SQL history not saved: {e:#}"));
                }
            }
        }
        if let Some(clip) = app.requests.clip.take() {
            let how = super::clipboard::copy(&clip.bytes);
            app.copied(&clip, how);
        }
        app.tick(Instant::now());
        if last_poll.elapsed() >= POLL_EVERY {
            last_poll = Instant::now();
            app.second();
        }
        if (app.quit || leaving) && !app.running() {
            return Ok(());
        }
    }
}

fn flush(app: &mut App, workers: &Workers) {
    for job in app.requests.outbox.drain(..) {
        workers.send(job);
    }
}

/// A terminal event: a key through the key table, the mouse wheel, a resize.
pub fn handle_input(app: &mut App, ev: Event) {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            if let Some(a) = app.keys.lookup(app.mode().contexts(), &k) {
                app.update(a);
            }
        }
        Event::Mouse(m) => {
            let a = match m.kind {
                MouseEventKind::ScrollDown => Some(Action::Down),
                MouseEventKind::ScrollUp => Some(Action::Up),
                MouseEventKind::Down(MouseButton::Left) => {
                    app.click(m.column, m.row);
                    None
                }
                _ => None,
            };
            if let Some(a) = a {
                for _ in 0..3 {
                    app.update(a);
                }
            }
        }
        Event::Resize(w, h) => app.resize(w, h),
        Event::Paste(text) => app.paste(&text),
        _ => {}
    }
}
