//! The app driven as the event loop drives it, with the real workers' code
//! run in turn on the test's thread, and frames drawn by ratatui's
//! TestBackend. Shared by the screen tests.
#![allow(dead_code)]

use super::common::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use egregora_inspect::tui::app::{App, Clip, Drawn};
use egregora_inspect::tui::event::handle_input;
use egregora_inspect::tui::keys::Action;
use egregora_inspect::tui::sessions::QueryThreads;
use egregora_inspect::tui::tab::Tab;
use egregora_inspect::tui::views::draw;
use egregora_inspect::tui::worker::{Job, Notify, Reply, Route, Worker};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use strum::IntoEnumIterator;

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
    /// Where the last frame drew its list rows, and its cursor if shown.
    drawn: Drawn,
    cursor: Option<(u16, u16)>,
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
        let app = App::new(path.clone());
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
                worker.dispatch(job, &self.send, &|long| long());
                for r in self.replies.try_iter().collect::<Vec<_>>() {
                    self.app.on_reply(r);
                }
            }
        }
        panic!("the app kept asking");
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
    // The number before each " bytes" and " pages".
    for unit in [" bytes", " pages"] {
        let mut from = 0;
        while let Some(i) = s[from..].find(unit).map(|i| i + from) {
            let start = s[..i]
                .rfind(|c: char| !c.is_ascii_digit())
                .map_or(0, |j| j + 1);
            s.replace_range(start..i, &"#".repeat(i - start));
            from = i + unit.len();
        }
    }
    // The plan's space: "space: about 4.0 MB needed, 77.5 GB free" (the
    // free space is the machine's).
    for (start, end) in [("space: about ", " needed"), ("needed, ", " free")] {
        let mut from = 0;
        while let Some(i) = s[from..].find(start).map(|i| i + from + start.len()) {
            let Some(j) = s[i..].find(end).map(|j| i + j) else {
                break;
            };
            let n = s[i..j].chars().count();
            s.replace_range(i..j, &"#".repeat(n));
            from = i + n;
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

/// Readers of the screen: what a test checks is what the user sees, drawn
/// by the real views from a fresh frame, not the app's fields.
impl Harness {
    /// The screen's lines, as drawn now, trailing blanks cut.
    pub fn lines(&mut self) -> Vec<String> {
        let b = self.render();
        (0..b.area.height)
            .map(|y| line_of(&b, y, 0, b.area.width).trim_end().to_string())
            .collect()
    }

    /// The tab whose title the tab bar marks.
    pub fn tab(&mut self) -> Tab {
        let b = self.render();
        let marked: String = (0..b.area.width)
            .filter(|&x| reversed(&b, x, 0))
            .map(|x| b[(x, 0)].symbol().to_string())
            .collect();
        let n: usize = marked
            .trim()
            .split(' ')
            .next()
            .and_then(|d| d.parse().ok())
            .unwrap_or_else(|| panic!("no tab marked: {marked:?}"));
        Tab::iter().nth(n - 1).expect("a tab's number")
    }

    /// The line under the tab bar: the Documents filters, the SQL line.
    pub fn head(&mut self) -> String {
        self.lines().swap_remove(1)
    }

    /// The status line: the keys that work now, then the last message.
    pub fn status(&mut self) -> String {
        self.lines().pop().unwrap_or_default()
    }

    /// The title of the popup over the tabs (a dialog, `?`, a chooser…),
    /// when one is open: only popups draw a box all round.
    pub fn overlay(&mut self) -> Option<String> {
        self.lines().into_iter().find_map(|line| {
            let from = line.find('┌')? + '┌'.len_utf8();
            let to = from + line[from..].find('┐')?;
            Some(line[from..to].trim_matches('─').trim().to_string())
        })
    }

    /// Where the text cursor stands, when one is shown.
    pub fn cursor(&mut self) -> Option<(u16, u16)> {
        self.render();
        self.cursor
    }

    /// How many rows the list on screen has room for (its page).
    pub fn page(&mut self) -> usize {
        self.render();
        self.drawn.rows.map_or(0, |r| r.height as usize)
    }

    /// The rows of the list on screen (Documents, a table, a result), as
    /// drawn: none when no list is drawn.
    pub fn rows(&mut self) -> Vec<String> {
        let b = self.render();
        let Some(r) = self.drawn.rows else {
            return Vec::new();
        };
        (r.y..r.y + r.height)
            .map(|y| line_of(&b, y, r.x, r.width).trim_end().to_string())
            .take_while(|l| !l.is_empty())
            .collect()
    }

    /// Which of `rows` is drawn selected.
    pub fn selected_row(&mut self) -> Option<usize> {
        let b = self.render();
        let r = self.drawn.rows?;
        (r.y..r.y + r.height).position(|y| (r.x..r.x + r.width).all(|x| reversed(&b, x, y)))
    }

    /// The grid's column titles as drawn, each with its first column.
    pub fn header(&mut self) -> Vec<(String, u16)> {
        let b = self.render();
        let Some(r) = self.drawn.rows else {
            return Vec::new();
        };
        let y = r.y - 1;
        let bold = |x: u16| b[(x, y)].modifier.contains(Modifier::BOLD);
        let mut out = Vec::new();
        for x in r.x..r.x + r.width {
            if bold(x) && (x == r.x || !bold(x - 1)) {
                let end = (x..r.x + r.width)
                    .find(|&e| !bold(e))
                    .unwrap_or(r.x + r.width);
                out.push((line_of(&b, y, x, end - x).trim().to_string(), x));
            }
        }
        out
    }

    /// The widths the grid draws its columns at, but the last (which
    /// takes the room left).
    pub fn widths(&mut self) -> Vec<u16> {
        let starts: Vec<u16> = self.header().iter().map(|(_, x)| *x).collect();
        // Columns stand one cell apart.
        starts.windows(2).map(|w| w[1] - w[0] - 1).collect()
    }

    /// The line a popup's list draws selected, from its left border on.
    pub fn popup_selected(&mut self) -> Option<String> {
        let b = self.render();
        (1..b.area.height).find_map(|y| {
            let x =
                (1..b.area.width).find(|&x| b[(x - 1, y)].symbol() == "│" && reversed(&b, x, y))?;
            let end = (x..b.area.width).find(|&e| !reversed(&b, e, y))?;
            Some(line_of(&b, y, x, end - x).trim().to_string())
        })
    }

    /// The column the grid's cursor is on (its title underlined).
    pub fn column(&mut self) -> Option<String> {
        let b = self.render();
        let y = self.drawn.rows?.y - 1;
        let header = self.header();
        header
            .into_iter()
            .find(|(_, x)| b[(*x, y)].modifier.contains(Modifier::UNDERLINED))
            .map(|(name, _)| name)
    }

    /// The cells of column `name`, row by row, as drawn.
    pub fn cells(&mut self, name: &str) -> Vec<String> {
        let header = self.header();
        let Some(i) = header.iter().position(|(n, _)| n == name) else {
            panic!("no column {name:?} drawn: {header:?}");
        };
        let rows = self.rows().len() as u16;
        let b = self.render();
        let Some(r) = self.drawn.rows else {
            return Vec::new();
        };
        let from = header[i].1;
        let to = header.get(i + 1).map_or(r.x + r.width, |(_, x)| *x);
        (r.y..r.y + rows)
            .map(|y| line_of(&b, y, from, to - from).trim().to_string())
            .collect()
    }

    /// The cell of column `name` in the row drawn selected.
    pub fn selected(&mut self, name: &str) -> Option<String> {
        let at = self.selected_row()?;
        self.cells(name).into_iter().nth(at)
    }

    /// The selected row's first cell: its key as drawn.
    pub fn selected_key(&mut self) -> Option<String> {
        let first = self.header().into_iter().next()?.0;
        self.selected(&first)
    }

    /// The rowids of the documents Documents lists, by the ids drawn.
    pub fn rowids(&mut self) -> Vec<i64> {
        let c = open(&self.path);
        self.cells("id")
            .iter()
            .map(|id| {
                c.query_row("SELECT rowid FROM documents WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .unwrap_or_else(|e| panic!("{id:?} drawn: {e}"))
            })
            .collect()
    }

    /// The rowid of the document the detail shows, from its title.
    pub fn detail_rowid(&mut self) -> Option<i64> {
        let head = self.head();
        let at = head.strip_prefix("document ")?.find("(rowid ")? + "document (rowid ".len();
        let digits: String = head[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    }

    /// The newest message whole, as `M`'s log shows it (the status line
    /// cuts a long one); the log is closed again.
    pub fn said(&mut self) -> String {
        self.key(KeyCode::Char('M'));
        let lines = self.lines();
        let top = lines
            .iter()
            .position(|l| l.contains("messages of this run"))
            .expect("the log opens");
        let inner = |l: &String| {
            let from = l.find('│').map_or(0, |i| i + '│'.len_utf8());
            let to = l.rfind('│').filter(|&i| i >= from).unwrap_or(l.len());
            l[from..to].trim().to_string()
        };
        let mut said = Vec::new();
        for l in lines[top + 1..].iter().map(inner) {
            // Each message starts with its time: "0:00:01  ".
            let timed = l.len() > 9 && l.as_bytes()[1] == b':' && l.as_bytes()[4] == b':';
            if l.contains('└') || (timed && !said.is_empty()) {
                break;
            }
            said.push(if timed { l[9..].to_string() } else { l });
        }
        self.key(KeyCode::Esc);
        said.join(" ").trim().to_string()
    }

    /// The line drawn marked (reversed) under the tab bar: the finding
    /// picked, a list's selected row, a popup's pick; its marked text.
    pub fn marked(&mut self) -> Option<String> {
        let b = self.render();
        (1..b.area.height).find_map(|y| {
            let x = (0..b.area.width).find(|&x| reversed(&b, x, y))?;
            let end = (x..b.area.width)
                .find(|&e| !reversed(&b, e, y))
                .unwrap_or(b.area.width);
            Some(line_of(&b, y, x, end - x).trim().to_string())
        })
    }

    /// The lines inside the popup on top, between its borders.
    pub fn popup_lines(&mut self) -> Vec<String> {
        let lines = self.lines();
        let Some(top) = lines
            .iter()
            .position(|l| l.contains('┌') && l.contains('┐'))
        else {
            return Vec::new();
        };
        lines[top + 1..]
            .iter()
            .take_while(|l| !l.contains('└'))
            .map(|l| {
                let from = l.find('│').map_or(0, |i| i + '│'.len_utf8());
                let to = l.rfind('│').filter(|&i| i >= from).unwrap_or(l.len());
                l[from..to].trim().to_string()
            })
            .collect()
    }

    /// Picks the Overview's data finding whose line holds `what` (n, as
    /// the user does, until it is marked); how many n it took.
    pub fn pick_finding(&mut self, what: &str) -> usize {
        for n in 1..=30 {
            self.act(Action::NextFinding);
            if self.marked().is_some_and(|m| m.contains(what)) {
                return n;
            }
        }
        panic!("no finding {what:?}:\n{}", self.text());
    }

    /// What the app put on the clipboard, taken as the event loop takes it.
    pub fn clip(&mut self) -> Option<Clip> {
        self.app.requests.clip.take()
    }

    /// Whether the app asked to quit (the event loop then ends).
    pub fn quits(&self) -> bool {
        self.app.quit
    }
}

/// The text of line `y` of `b`, `width` cells from column `x`.
fn line_of(b: &Buffer, y: u16, x: u16, width: u16) -> String {
    (x..x + width).map(|x| b[(x, y)].symbol()).collect()
}

fn reversed(b: &Buffer, x: u16, y: u16) -> bool {
    b[(x, y)].modifier.contains(Modifier::REVERSED)
}
