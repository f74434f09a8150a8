//! The event loop itself (`event::run`) on a TestBackend, with the real
//! worker threads: scripted keys go in as the terminal would send them, and
//! the last frame drawn shows what they did.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use egregora_inspect::tui::app::App;
use egregora_inspect::tui::event::{Msg, run};
use egregora_inspect::tui::worker::Workers;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::layout::{Position, Size};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn key(c: char) -> Msg {
    chord(KeyCode::Char(c), KeyModifiers::NONE)
}

fn chord(c: KeyCode, m: KeyModifiers) -> Msg {
    Msg::Input(Event::Key(KeyEvent::new(c, m)))
}

fn screen_of(b: &ratatui::buffer::Buffer) -> String {
    (0..b.area.height)
        .map(|y| {
            (0..b.area.width)
                .map(|x| b[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

/// A TestBackend the script's thread reads too: it waits for what the
/// last frame shows instead of sleeping a guessed time.
#[derive(Clone)]
struct Shared(Arc<Mutex<TestBackend>>);

impl Shared {
    fn new(w: u16, h: u16) -> Shared {
        Shared(Arc::new(Mutex::new(TestBackend::new(w, h))))
    }

    fn buffer(&self) -> ratatui::buffer::Buffer {
        self.0.lock().unwrap().buffer().clone()
    }

    /// Waits until the last frame shows `needle`; why not, after 20 s.
    fn wait_for(&self, needle: &str) -> Result<(), String> {
        self.wait_until(needle, |screen, _| screen.contains(needle))
    }

    /// Waits until the last frame (as text, and as cells) passes `test`.
    fn wait_until(
        &self,
        what: &str,
        test: impl Fn(&str, &ratatui::buffer::Buffer) -> bool,
    ) -> Result<(), String> {
        let start = Instant::now();
        loop {
            let b = self.buffer();
            let screen = screen_of(&b);
            if test(&screen, &b) {
                return Ok(());
            }
            if start.elapsed() > Duration::from_secs(20) {
                return Err(format!("waited for {what}; the screen:\n{screen}"));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Whether the row of the line starting with `start` is drawn selected.
fn selected(b: &ratatui::buffer::Buffer, start: &str) -> bool {
    let line = |y: u16| -> String {
        (0..b.area.width)
            .map(|x| b[(x, y)].symbol().to_string())
            .collect()
    };
    (0..b.area.height)
        .find(|y| line(*y).starts_with(start))
        .is_some_and(|y| {
            (0..b.area.width).any(|x| {
                b[(x, y)]
                    .modifier
                    .contains(ratatui::style::Modifier::REVERSED)
            })
        })
}

impl Backend for Shared {
    type Error = <TestBackend as Backend>::Error;
    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        self.0.lock().unwrap().draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.lock().unwrap().hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.lock().unwrap().show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.0.lock().unwrap().get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> Result<(), Self::Error> {
        self.0.lock().unwrap().set_cursor_position(p)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.0.lock().unwrap().clear()
    }
    fn clear_region(&mut self, t: ClearType) -> Result<(), Self::Error> {
        self.0.lock().unwrap().clear_region(t)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.0.lock().unwrap().size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.0.lock().unwrap().window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.lock().unwrap().flush()
    }
}

/// Runs `script` beside the loop, then a signal: should a key meant to
/// quit not quit (or a wait fail), the loop still ends and the test fails.
fn beside(
    tx: std::sync::mpsc::Sender<Msg>,
    script: impl FnOnce(&std::sync::mpsc::Sender<Msg>) -> Result<(), String> + Send + 'static,
) -> std::thread::JoinHandle<Result<(), String>> {
    std::thread::spawn(move || {
        let r = script(&tx);
        let _ = tx.send(Msg::Signal);
        r
    })
}

/// A demo store, the app on it and its real workers, and the channel the
/// loop reads (the terminal's events go in by `tx`).
fn demo_loop() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    std::sync::mpsc::Sender<Msg>,
    std::sync::mpsc::Receiver<Msg>,
    App,
    Workers,
) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("demo.sqlite");
    bin().args(["demo"]).arg(&p).assert().success();
    let (tx, rx) = channel::<Msg>();
    let app = App::new(p.clone());
    let reply_tx = tx.clone();
    let workers = Workers::spawn(&p, &app.requests.latest, move |r| {
        let _ = reply_tx.send(Msg::Reply(r));
    });
    (dir, p, tx, rx, app, workers)
}

#[test]
fn the_loop_routes_keys_and_replies_and_quits_on_q() {
    let (_dir, p, tx, rx, mut app, workers) = demo_loop();
    // The Documents tab, its rows read by the workers, the second selected.
    let second: String = scalar(
        &p,
        "SELECT id FROM documents ORDER BY rowid LIMIT 1 OFFSET 1",
    );
    let shared = Shared::new(120, 30);
    let (seen, row) = (shared.clone(), second.clone());
    let script = beside(tx, move |tx| {
        tx.send(key('2')).unwrap();
        // The first page, read by the workers, before the cursor moves.
        seen.wait_for(&row)?;
        tx.send(key('j')).unwrap();
        seen.wait_until("the second row selected", |_, b| selected(b, &row))?;
        tx.send(key('q')).unwrap();
        Ok(())
    });
    let mut terminal = Terminal::new(shared.clone()).unwrap();
    let mut outside = |_: &str| -> anyhow::Result<String> { panic!("no editor was asked for") };
    run(&mut terminal, &mut app, &rx, &workers, &mut outside).unwrap();
    script.join().unwrap().unwrap();
    assert!(app.quit, "q quits");
    let b = shared.buffer();
    let screen = screen_of(&b);
    let first: String = scalar(&p, "SELECT id FROM documents ORDER BY rowid LIMIT 1");
    assert!(
        selected(&b, &second),
        "the second row is selected:\n{screen}"
    );
    assert!(!selected(&b, &first), "and not the first:\n{screen}");
}

#[test]
fn ctrl_e_hands_the_statement_to_the_editor_and_reads_it_back() {
    let (dir, _, tx, rx, mut app, workers) = demo_loop();
    // The statements run go to the file the app is given, never the
    // user's own.
    let history = dir.path().join("state").join("history");
    app.history_file = Some(history.clone());
    let shared = Shared::new(120, 30);
    let seen = shared.clone();
    let script = beside(tx, move |tx| {
        for m in [key(':'), key('S'), key('1')] {
            tx.send(m).unwrap();
        }
        seen.wait_for("SQL› S1")?;
        // The first time the editor fails; the second it answers.
        tx.send(chord(KeyCode::Char('e'), KeyModifiers::CONTROL))
            .unwrap();
        seen.wait_for("vi exited with 1")?;
        tx.send(chord(KeyCode::Char('e'), KeyModifiers::CONTROL))
            .unwrap();
        tx.send(chord(KeyCode::Enter, KeyModifiers::NONE)).unwrap();
        // The result's column, under the statement that says `answer` too.
        seen.wait_until("the result", |screen, _| {
            screen.lines().any(|l| l.starts_with("answer"))
        })?;
        // Esc on the result goes back to the editor, Esc again leaves it.
        tx.send(chord(KeyCode::Esc, KeyModifiers::NONE)).unwrap();
        tx.send(chord(KeyCode::Esc, KeyModifiers::NONE)).unwrap();
        tx.send(key('q')).unwrap();
        Ok(())
    });
    let mut terminal = Terminal::new(shared.clone()).unwrap();
    let mut asked: Vec<String> = Vec::new();
    let mut outside = |sql: &str| -> anyhow::Result<String> {
        asked.push(sql.to_string());
        if asked.len() == 1 {
            anyhow::bail!("vi exited with 1; the statement is as it was");
        }
        Ok("SELECT 41 + 1 AS answer\n-- from the editor\n".to_string())
    };
    run(&mut terminal, &mut app, &rx, &workers, &mut outside).unwrap();
    script.join().unwrap().unwrap();
    assert!(app.quit, "q quits");
    assert_eq!(asked, ["S1", "S1"], "the statement as typed goes out");
    let screen = screen_of(&shared.buffer());
    assert!(screen.contains("SQL› SELECT 41 + 1 AS answer"), "{screen}");
    assert!(screen.contains("┆ -- from the editor"), "{screen}");
    let answer = screen
        .lines()
        .position(|l| l.starts_with("answer"))
        .expect(&screen);
    let value = screen.lines().nth(answer + 1).unwrap_or_default();
    assert!(value.trim_start().starts_with("42"), "{screen}");
    let log: Vec<&String> = app.log.iter().map(|(_, m)| m).collect();
    assert!(
        log.iter().any(|m| m.contains("vi exited with 1")),
        "{log:?}"
    );
    // A statement of two lines is kept as one JSON string line.
    assert_eq!(
        std::fs::read_to_string(&history).unwrap(),
        "\"SELECT 41 + 1 AS answer\\n-- from the editor\"\n"
    );
}
