//! The app driven as the event loop drives it, with the real workers' code
//! run in turn on the test's thread, and frames drawn by ratatui's
//! TestBackend. Shared by the screen tests.
#![allow(dead_code)]

use super::common::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use egregora_inspect::tui::app::{App, Drawn};
use egregora_inspect::tui::event::handle_input;
use egregora_inspect::tui::keys::Action;
use egregora_inspect::tui::sessions::QueryThreads;
use egregora_inspect::tui::views::draw;
use egregora_inspect::tui::worker::{Job, Long, Notify, Reply, Route, Worker};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};

/// The app with the real workers' code, run in turn on this thread: the
/// jobs it asks for, routed as the event loop routes them (scans to their
/// own worker), and every reply back through `App::on_reply`.
pub struct Harness {
    pub app: App,
    pub browse: Worker,
    pub scan: Worker,
    pub watch: Worker,
    /// The Query tab's threads (real threads: the harness waits for them).
    pub query: QueryThreads,
    replies: Receiver<Reply>,
    send: Notify,
    _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub size: (u16, u16),
    /// While set, the work the app runs on a thread of its own (a plan,
    /// an export, a snapshot) waits in `held` until `run_held`.
    pub hold_long: bool,
    held: Vec<Long>,
    /// Where the last frame drew its list rows, and its cursor if shown.
    pub(crate) drawn: Drawn,
    pub(crate) cursor: Option<(u16, u16)>,
}

/// A temp folder whose path has the same length on every run, so a
/// snapshot can hide it without moving anything drawn after it.
pub fn fixed_tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("egi-")
        .rand_bytes(10)
        .tempdir_in("/tmp")
        .unwrap()
}

impl Harness {
    pub fn open(dir: tempfile::TempDir, path: PathBuf) -> Harness {
        Harness::with_app(dir, App::new(path), false)
    }

    /// `app` with the real workers on its path; with `hold_long`, work on
    /// threads of its own waits for `run_held`.
    pub fn with_app(dir: tempfile::TempDir, app: App, hold_long: bool) -> Harness {
        let path = app.path().to_path_buf();
        let browse = Worker::new(path.clone(), app.requests.latest.clone());
        let scan = Worker::new(path.clone(), app.requests.latest.clone());
        let watch = Worker::new(path.clone(), app.requests.latest.clone());
        let (tx, replies) = channel();
        let tx = Mutex::new(tx);
        let send = Arc::new(move |r: Reply| {
            let _ = tx.lock().unwrap().send(r);
        });
        let query = QueryThreads::new(&path, app.requests.latest.clone(), send.clone());
        let mut h = Harness {
            app,
            browse,
            scan,
            watch,
            query,
            replies,
            send,
            _dir: dir,
            path,
            size: (120, 36),
            hold_long,
            held: Vec::new(),
            drawn: Drawn::default(),
            cursor: None,
        };
        h.app.resize(h.size.0, h.size.1);
        h.settle();
        h
    }

    pub fn demo() -> Harness {
        let dir = fixed_tempdir();
        let p = dir.path().join("demo.sqlite");
        bin().args(["demo", "--legacy"]).arg(&p).assert().success();
        Harness::open(dir, p)
    }

    /// A demo store of `docs` documents named `name`, changed by `sql`
    /// before the app opens it.
    pub fn demo_with(name: &str, docs: u64, sql: &str) -> Harness {
        let dir = fixed_tempdir();
        let p = dir.path().join(name);
        bin()
            .args(["demo", "--docs", &docs.to_string()])
            .arg(&p)
            .assert()
            .success();
        exec(&p, sql);
        Harness::open(dir, p)
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.app.resize(w, h);
        self.settle();
    }

    /// Serves every job the app asked for, until it asks for nothing more.
    pub fn settle(&mut self) {
        for _ in 0..50 {
            self.frame();
            let jobs: Vec<Job> = self.app.requests.outbox.drain(..).collect();
            if jobs.is_empty() {
                return;
            }
            for job in jobs {
                // Routed and dispatched by the worker's own code; what runs
                // on a thread of its own in the app runs in turn here.
                let worker = match job.route() {
                    Route::Query => {
                        if let Job::Query(q) = job {
                            self.query.handle(q);
                        }
                        self.wait_for_queries();
                        continue;
                    }
                    Route::Scan => &mut self.scan,
                    Route::Browse => &mut self.browse,
                    Route::Watch => &mut self.watch,
                };
                let (held, hold) = (std::cell::RefCell::new(Vec::new()), self.hold_long);
                worker.dispatch(job, &self.send, &|long| {
                    if hold {
                        held.borrow_mut().push(long);
                    } else {
                        long();
                    }
                });
                self.held.extend(held.into_inner());
                for r in self.replies.try_iter().collect::<Vec<_>>() {
                    self.app.on_reply(r);
                }
            }
        }
        panic!("the app kept asking");
    }

    /// Runs the work held back (see `hold_long`), then serves what the app
    /// asks after it.
    pub fn run_held(&mut self) -> &mut Self {
        for long in std::mem::take(&mut self.held) {
            long();
        }
        for r in self.replies.try_iter().collect::<Vec<_>>() {
            self.app.on_reply(r);
        }
        self.settle();
        self
    }

    /// Runs the work held back, handing the app its replies up to the
    /// first that `stop` matches: what the screen shows while that work is
    /// under way (the replies after it are dropped).
    pub fn run_held_until(&mut self, stop: impl Fn(&Reply) -> bool) -> &mut Self {
        for long in std::mem::take(&mut self.held) {
            long();
        }
        for r in self.replies.try_iter().collect::<Vec<_>>() {
            let last = stop(&r);
            self.app.on_reply(r);
            if last {
                break;
            }
        }
        self.settle();
        self
    }

    /// Waits until the Query tab's session has answered every request,
    /// handing its replies to the app (a count may still run).
    fn wait_for_queries(&mut self) {
        self.wait_on(self.query.pending.clone());
    }

    /// Waits until the counts of statements have ended, then serves what
    /// the app asks.
    pub fn wait_counts(&mut self) -> &mut Self {
        self.wait_on(self.query.counting.clone());
        self.settle();
        self
    }

    /// Hands the app the replies come so far (a count's progress among
    /// them), without waiting for more, then serves what it asks.
    pub fn take_replies(&mut self) -> &mut Self {
        for r in self.replies.try_iter().collect::<Vec<_>>() {
            self.app.on_reply(r);
        }
        self.settle();
        self
    }

    /// Whether a count of a statement still runs.
    pub fn counting(&self) -> bool {
        self.query.counting.load(Ordering::SeqCst) > 0
    }

    fn wait_on(&mut self, busy: Arc<std::sync::atomic::AtomicUsize>) {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let idle = busy.load(Ordering::SeqCst) == 0;
            for r in self.replies.try_iter() {
                self.app.on_reply(r);
            }
            if idle {
                return;
            }
            assert!(std::time::Instant::now() < until, "a query never answered");
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }

    pub fn act(&mut self, a: Action) -> &mut Self {
        self.app.update(a);
        self.settle();
        self
    }

    pub fn key(&mut self, c: KeyCode) -> &mut Self {
        handle_input(
            &mut self.app,
            Event::Key(KeyEvent::new(c, KeyModifiers::NONE)),
        );
        self.settle();
        self
    }

    /// A key pressed faster than the work it asks for is served: drawn,
    /// its requests left waiting for `settle`.
    pub fn press(&mut self, c: KeyCode) -> &mut Self {
        handle_input(
            &mut self.app,
            Event::Key(KeyEvent::new(c, KeyModifiers::NONE)),
        );
        self.frame();
        self
    }

    /// A key with modifiers (Alt-Enter, Ctrl-x), as the terminal sends it.
    pub fn chord(&mut self, c: KeyCode, m: KeyModifiers) -> &mut Self {
        handle_input(&mut self.app, Event::Key(KeyEvent::new(c, m)));
        self.settle();
        self
    }

    /// Text pasted, as the terminal sends it.
    pub fn paste(&mut self, text: &str) -> &mut Self {
        handle_input(&mut self.app, Event::Paste(text.to_string()));
        self.settle();
        self
    }

    /// A mouse event at column `x`, line `y`, as the terminal sends it.
    pub fn mouse(&mut self, kind: MouseEventKind, x: u16, y: u16) -> &mut Self {
        handle_input(
            &mut self.app,
            Event::Mouse(MouseEvent {
                kind,
                column: x,
                row: y,
                modifiers: KeyModifiers::NONE,
            }),
        );
        self.settle();
        self
    }

    /// Draws a frame and tells the app it was drawn, as the event loop does.
    pub fn frame(&mut self) -> Buffer {
        let (w, h) = self.size;
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        let mut drawn = Default::default();
        t.draw(|f| drawn = draw(f, &self.app)).unwrap();
        let b = t.backend();
        let at = b.cursor_position();
        self.cursor = b.cursor_visible().then_some((at.x, at.y));
        self.drawn = drawn.clone();
        self.app.drawn(drawn);
        t.backend().buffer().clone()
    }

    pub fn render(&mut self) -> Buffer {
        self.frame()
    }

    /// The screen as text, with what differs between machines and runs (the
    /// temp path, the backup time, SQLite's version, the file's byte and
    /// page counts) masked by as many characters as it had.
    pub fn text(&mut self) -> String {
        let b = self.render();
        let mut s = String::new();
        for y in 0..b.area.height {
            for x in 0..b.area.width {
                s.push_str(b[(x, y)].symbol());
            }
            s.push('\n');
        }
        mask(&s, self.path.parent().unwrap())
    }
}

/// `screen` with the run's own values masked, every line keeping its width.
pub fn mask(screen: &str, dir: &Path) -> String {
    let dir = dir.to_string_lossy().into_owned();
    let token = format!("[TMP{}]", "-".repeat(dir.chars().count().saturating_sub(5)));
    let mut s = screen.replace(&dir, &token);
    // A backup's time stamp, as much of it as is on screen.
    while let Some(i) = s.find(".bak-2") {
        let from = i + 5;
        let end = s[from..]
            .find(|c: char| !(c.is_ascii_digit() || c == 'T' || c == 'Z' || c == '-'))
            .map_or(s.len(), |j| from + j);
        let n = s[from..end].chars().count();
        s.replace_range(from..end, &"~".repeat(n));
    }
    // The number before each " bytes" and " pages" (its digits: the
    // commas that group them stay).
    for unit in [" bytes", " pages"] {
        let mut from = 0;
        while let Some(i) = s[from..].find(unit).map(|i| i + from) {
            let start = s[..i]
                .rfind(|c: char| !(c.is_ascii_digit() || c == ','))
                .map_or(0, |j| j + 1);
            let masked: String = s[start..i]
                .chars()
                .map(|c| if c == ',' { ',' } else { '#' })
                .collect();
            s.replace_range(start..i, &masked);
            from = i + unit.len();
        }
    }
    // The plan's space: "space: about 4.0 MB needed, 77.5 GB free" (the
    // free space is the machine's). Each figure becomes 8 #s, the blanks
    // after the line's end giving or taking what that changes, so the
    // line keeps its width whatever the disk holds.
    for (start, end) in [("space: about ", " needed"), ("needed, ", " free")] {
        let mut from = 0;
        while let Some(i) = s[from..].find(start).map(|i| i + from + start.len()) {
            let Some(j) = s[i..].find(end).map(|j| i + j) else {
                break;
            };
            let n = s[i..j].chars().count();
            let after = j + end.len();
            let blanks = s[after..].chars().take_while(|c| *c == ' ').count();
            let (wide, keep) = if n + blanks >= 8 {
                (8, n + blanks - 8)
            } else {
                (n, blanks)
            };
            s.replace_range(after..after + blanks, &" ".repeat(keep));
            s.replace_range(i..j, &"#".repeat(wide));
            from = i + wide;
        }
    }
    // SQLite's version: "SQLite 3.50.4 ·".
    let mut from = 0;
    while let Some(i) = s[from..].find("SQLite ").map(|i| i + from + 7) {
        let end = s[i..]
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(s.len(), |j| i + j);
        let masked: String = s[i..end]
            .chars()
            .map(|c| if c == '.' { '.' } else { '#' })
            .collect();
        s.replace_range(i..end, &masked);
        from = end;
    }
    s
}

/// Where `needle` is first drawn in `b`: (column, row).
pub fn find(b: &ratatui::buffer::Buffer, needle: &str) -> (u16, u16) {
    for y in 0..b.area.height {
        let row: String = (0..b.area.width)
            .map(|x| b[(x, y)].symbol().to_string())
            .collect();
        if let Some(i) = row.find(needle) {
            return (row[..i].chars().count() as u16, y);
        }
    }
    panic!("{needle:?} not on screen");
}
