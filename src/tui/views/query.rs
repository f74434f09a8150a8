//! Query: the SQL editor, then the statement's result in the shared grid,
//! with how far it has been read and counted and how long it took (or the
//! statement's plan, while it is asked for).

use super::super::app::{App, Load, QueryResult};
use super::super::text::grouped;
use super::super::theme::theme;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

const PROMPT: &str = "SQL› ";
/// The editor's continuation lines are marked under the prompt.
const MORE: &str = "   ┆ ";

/// Draws the tab; returns where the result's rows are, when there are rows.
pub(crate) fn draw(f: &mut Frame, app: &App, area: Rect) -> Option<Rect> {
    // The editor grows with its lines, up to a third of the tab.
    let most = (area.height / 3).max(1);
    let tall = u16::try_from(app.query.editor.lines())
        .unwrap_or(u16::MAX)
        .clamp(1, most);
    let [line, body] = Layout::vertical([Constraint::Length(tall), Constraint::Min(1)]).areas(area);
    let at = editor(f, app, line);
    let rows = below(f, app, body);
    // Tab's choices go over whatever the editor has below it.
    if let (Some((row, col)), Some(c)) = (at, &app.query.completing) {
        let word = app.query.editor.chars_before(c.len);
        let x = line.x + PROMPT.chars().count() as u16 + col.saturating_sub(word);
        choices(f, c, x, line.y + row + 1);
    }
    rows
}

/// The statement's plan, or its result, or what to type.
fn below(f: &mut Frame, app: &App, body: Rect) -> Option<Rect> {
    if let Some(p) = app.query.plan.as_ref().filter(|_| app.query.editing) {
        plan(f, &p.lines, body);
        return None;
    }
    let Some(r) = &app.query.result else {
        let help = "Type one statement and press Enter to run it; Alt-Enter (or a paste) \
                    adds a line, Tab completes a table, column or keyword, Ctrl-X shows its \
                    plan, Ctrl-E edits it in $EDITOR. Only reading is allowed: writes, \
                    ATTACH and PRAGMAs that set something are refused. ↑/↓ on the first or \
                    last line recall the statements run before. For example:\n\n  \
                    SELECT doc_type, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC";
        f.render_widget(
            Paragraph::new(help)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::TOP)),
            body,
        );
        return None;
    };
    // The column's place on the right stays whole; the result's status
    // (after the mark of an earlier statement's result) takes the room
    // left, cut with … when it has to be.
    let position = format!(" {} ", super::grid::position(&r.grid, body.width));
    let room = usize::from(body.width).saturating_sub(super::fit::width(&position) + 1);
    let mut title = earlier(app.query.result_of_earlier());
    if !matches!(r.page, Load::Failed(_)) {
        title.extend(status(r));
    }
    let block = Block::default()
        .borders(Borders::TOP)
        .title(super::fit::line(title, room));
    let rows = match &r.page {
        Load::Loading => {
            f.render_widget(Paragraph::new("").block(block), body);
            return None;
        }
        Load::Failed(e) => {
            f.render_widget(
                Paragraph::new(text::cell(e))
                    .style(theme().bad)
                    .wrap(Wrap { trim: false })
                    .block(block),
                body,
            );
            return None;
        }
        Load::Loaded(p) | Load::Stale(p, _) => &p.rows,
    };
    if rows.is_empty() {
        f.render_widget(Paragraph::new("no rows").block(block), body);
        return None;
    }
    let block = block.title(Line::styled(position, theme().dim).right_aligned());
    Some(super::grid::draw(
        f, body, block, &r.grid, &r.shown, r.selected,
    ))
}

/// The SQL editor: the prompt beside its first line and the text, the
/// cursor shown while editing, and how many lines are off screen above and
/// below; returns the cursor's row and column in the text then.
fn editor(f: &mut Frame, app: &App, area: Rect) -> Option<(u16, u16)> {
    let q = &app.query;
    let width = PROMPT.chars().count() as u16;
    let [gutter, text] =
        Layout::horizontal([Constraint::Length(width), Constraint::Min(1)]).areas(area);
    let marks: Vec<Line> = (0..gutter.height)
        .map(|i| Line::styled(if i == 0 { PROMPT } else { MORE }, theme().warn))
        .collect();
    f.render_widget(Paragraph::new(marks), gutter);
    f.render_widget(&q.editor.area, text);
    let style = if q.editing { theme().bold } else { theme().dim };
    f.buffer_mut().set_style(text, style);
    // Drawing scrolled the text to the cursor: what it left out is said.
    let (top, left) = q.editor.area.scroll_offset();
    let above = usize::from(top);
    let below = q
        .editor
        .lines()
        .saturating_sub(above + usize::from(text.height));
    off_screen(f, text, above, below);
    if q.editing && app.overlay.is_none() {
        let at = q.editor.area.screen_cursor();
        let row = clamp(at.row.saturating_sub(above), text.height);
        let col = clamp(at.col.saturating_sub(usize::from(left)), text.width);
        f.set_cursor_position(Position::new(text.x + col, text.y + row));
        return Some((row, col));
    }
    None
}

fn clamp(n: usize, within: u16) -> u16 {
    u16::try_from(n)
        .unwrap_or(u16::MAX)
        .min(within.saturating_sub(1))
}

/// "↑ 3 more lines" at the right of the first line drawn, "↓ 2 more lines"
/// of the last, when the statement goes on past the editor's lines.
fn off_screen(f: &mut Frame, text: Rect, above: usize, below: usize) {
    let say = |n: usize, arrow: &str| {
        let lines = if n == 1 { "line" } else { "lines" };
        format!(" {arrow} {n} more {lines}")
    };
    let mut marks = Vec::new();
    match (above, below) {
        (0, 0) => {}
        (a, b) if text.height == 1 && a > 0 && b > 0 => {
            marks.push((text.y, format!(" ↑ {a} ↓ {b} more lines")));
        }
        (a, b) => {
            if a > 0 {
                marks.push((text.y, say(a, "↑")));
            }
            if b > 0 {
                marks.push((text.bottom().saturating_sub(1), say(b, "↓")));
            }
        }
    }
    for (y, mark) in marks {
        let w = (mark.chars().count() as u16).min(text.width);
        let at = Rect::new(text.right().saturating_sub(w), y, w, 1);
        f.render_widget(Paragraph::new(Line::styled(mark, theme().dim)), at);
    }
}

/// Tab's choices in a box whose first letters stand under the word
/// completed (`x`), from line `y` down (above the word when there is no
/// room below), kept on the screen; eight at a time, scrolling with the
/// one taken, the rest said at the bottom ("↑ 3 · ↓ 12 more").
fn choices(f: &mut Frame, c: &crate::tui::app::Completing, x: u16, y: u16) {
    let screen = f.area();
    let shown = CHOICES.min(c.options.len());
    let width = c
        .options
        .iter()
        .map(|o| o.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(16, 40) as u16
        + 2;
    let want = shown as u16 + 2;
    let room_below = screen.height.saturating_sub(y + 1);
    // The word's line is `y - 1`: above it there are `y - 1` lines.
    let (y, height) = if room_below >= want.min(5) {
        (y, want.min(room_below))
    } else {
        let room_above = y.saturating_sub(2);
        let h = want.min(room_above);
        (y.saturating_sub(1 + h), h)
    };
    if height < 3 {
        return;
    }
    let width = width.min(screen.width);
    let x = x.saturating_sub(1).min(screen.width.saturating_sub(width));
    let rect = Rect::new(x, y, width, height);
    let fits = usize::from(height - 2);
    let start = c.at.map_or(0, |i| i.saturating_sub(fits - 1));
    let lines: Vec<Line> = c
        .options
        .iter()
        .enumerate()
        .skip(start)
        .take(fits)
        .map(|(i, o)| {
            let cell = text::cell(o);
            if c.at == Some(i) {
                Line::styled(cell, theme().selected)
            } else {
                Line::raw(cell)
            }
        })
        .collect();
    let after = c.options.len().saturating_sub(start + fits);
    let rest = match (start, after) {
        (0, 0) => String::new(),
        (0, b) => format!(" ↓ {b} more "),
        (a, 0) => format!(" ↑ {a} more "),
        (a, b) => format!(" ↑ {a} · ↓ {b} more "),
    };
    let title = format!(" {} · Tab ", c.options.len());
    f.render_widget(ratatui::widgets::Clear, rect);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(title)
                .title_bottom(Line::from(rest).right_aligned())
                .style(theme().dim),
        ),
        rect,
    );
}

/// How many of Tab's choices are listed at a time.
const CHOICES: usize = 8;

/// The statement's plan as SQLite's tree.
fn plan(f: &mut Frame, lines: &Load<Vec<String>>, body: Rect) {
    let block = Block::default()
        .borders(Borders::TOP)
        .title(" EXPLAIN QUERY PLAN · Esc closes · Enter runs the statement ");
    let para = match lines {
        Load::Loaded(l) | Load::Stale(l, _) => {
            Paragraph::new(l.iter().map(|s| Line::raw(s.clone())).collect::<Vec<_>>())
        }
        Load::Loading => Paragraph::new("reading the plan…").style(theme().dim),
        Load::Failed(e) => Paragraph::new(text::cell(e)).style(theme().bad),
    };
    f.render_widget(para.wrap(Wrap { trim: false }).block(block), body);
}

/// The statement a result belongs to, when the editor holds another: on
/// one line, cut, so the rows are never read as the new statement's.
fn earlier(sql: Option<&str>) -> Vec<Span<'static>> {
    let Some(sql) = sql else {
        return Vec::new();
    };
    let line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = line.chars().take(EARLIER_CHARS).collect();
    let more = if cut.len() < line.len() { "…" } else { "" };
    vec![Span::styled(
        format!(
            " result of an earlier statement: {}{more} ·",
            text::cell(&cut)
        ),
        theme().warn,
    )]
}

/// How much of an earlier statement its result's title shows.
const EARLIER_CHARS: usize = 32;

/// The result's title: the rows shown, how many in all and how long the
/// statement took ("35 rows · 12 ms"), or how many so far; what runs.
fn status(r: &QueryResult) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut seen = 0;
    if let Some(p) = r.page.loaded().filter(|p| !p.rows.is_empty()) {
        seen = p.start + p.rows.len() as u64;
        out.push(Span::raw(format!(
            " rows {}–{} ·",
            grouped(p.start + 1),
            grouped(seen)
        )));
    }
    // The count may have gone further than the rows read.
    let passed = seen.max(r.counted);
    let count = match (&r.count, r.total()) {
        (_, Some(0)) => Span::raw(" no rows"),
        (_, Some(n)) => Span::raw(format!(" {} {}", grouped(n), plural(n))),
        (Load::Failed(e), None) if e.contains("cancelled") => Span::styled(
            format!(" ≥ {} rows · count stopped", grouped(passed)),
            theme().dim,
        ),
        (Load::Failed(e), None) => Span::styled(format!(" count: {}", text::cell(e)), theme().dim),
        _ => Span::styled(
            format!(" ≥ {} rows so far · counting…", grouped(passed)),
            theme().dim,
        ),
    };
    out.push(count);
    if let Some(took) = r.took {
        out.push(Span::raw(format!(" · {}", duration(took))));
    }
    match r.running {
        Some(0) => out.push(Span::styled(" · running… (Esc stops)", theme().warn)),
        Some(n) => out.push(Span::styled(
            format!(" · {} rows passed… (Esc stops)", grouped(n)),
            theme().warn,
        )),
        None => {}
    }
    out.push(Span::raw(" "));
    out
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "row" } else { "rows" }
}

/// How long a run took, as people read it: 12 ms, 1.4 s, 2 min 5 s.
fn duration(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    match ms {
        0 => "< 1 ms".to_string(),
        1..1_000 => format!("{ms} ms"),
        1_000..60_000 => format!("{:.1} s", d.as_secs_f64()),
        _ => format!("{} min {} s", ms / 60_000, (ms / 1000) % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::{duration, grouped};
    use std::time::Duration;

    #[test]
    fn counts_and_times_read_as_people_say_them() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(duration(Duration::from_micros(300)), "< 1 ms");
        assert_eq!(duration(Duration::from_millis(12)), "12 ms");
        assert_eq!(duration(Duration::from_millis(1_450)), "1.4 s");
        assert_eq!(duration(Duration::from_secs(125)), "2 min 5 s");
    }
}
