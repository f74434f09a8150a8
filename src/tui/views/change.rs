//! A change from the app: `E`'s line editor, then the change dialog with
//! its preview (each row's columns before → after) and its outcome.

use super::super::app::{App, CellEditor, ChangeDialog, ChangePhase};
use super::super::keys::{Action, Ctx};
use super::super::text::grouped;
use super::super::theme::theme;
use crate::store::change::{ColumnChange, Op, RowChange, TableCount, Value};
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// How much of a value a preview line shows.
const VALUE_CHARS: usize = 120;

/// The line editor: the cell it edits, the value (or NULL), and why the
/// value cannot be offered when it cannot.
pub(crate) fn editor(f: &mut Frame, app: &App, e: &CellEditor, screen: Rect) {
    let area = screen.centered(
        Constraint::Percentage(80),
        Constraint::Length(10.min(screen.height)),
    );
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(
            " edit {} of rowid {} in {} ",
            text::cell(&e.column),
            e.rowid,
            text::cell(&e.table)
        ))
        .border_style(theme().dialog_border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [value, why, foot] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let keys = &app.keys;
    let shown = match &e.input {
        None => Line::styled("reading the whole value…", theme().dim),
        Some(_) if e.null => Line::from(vec![
            Span::styled("NULL", theme().dim),
            Span::styled("▏", theme().warn),
        ]),
        Some(input) => {
            let v = input.value();
            let at = v
                .char_indices()
                .nth(input.cursor())
                .map_or(v.len(), |(i, _)| i);
            // The cursor stays in sight: what comes before it is cut from
            // its start when the box cannot hold it all.
            let room =
                (value.width as usize * value.height as usize).saturating_sub(value.width as usize);
            let before = text::cell(&v[..at]);
            let n = before.chars().count();
            let before = if n > room && room > 1 {
                let kept: String = before.chars().skip(n - room + 1).collect();
                format!("…{kept}")
            } else {
                before
            };
            Line::from(vec![
                Span::raw(before),
                Span::styled("▏", theme().warn),
                Span::raw(text::cell(&v[at..])),
            ])
        }
    };
    f.render_widget(Paragraph::new(shown).wrap(Wrap { trim: false }), value);
    if let Some(error) = &e.error {
        f.render_widget(
            Paragraph::new(Line::styled(text::cell(error), theme().bad)),
            why,
        );
    }
    f.render_widget(
        Paragraph::new(Line::styled(
            format!(
                "{} preview the change · {} NULL · {} cancel",
                keys.short(Ctx::CellEdit, Action::Submit),
                keys.short(Ctx::CellEdit, Action::SetNull),
                keys.short(Ctx::CellEdit, Action::Cancel),
            ),
            theme().dim,
        )),
        foot,
    );
}

/// The change dialog; returns the last scroll position of its text.
pub(crate) fn dialog(f: &mut Frame, app: &App, d: &ChangeDialog, screen: Rect) -> u16 {
    let area = screen.centered(Constraint::Percentage(90), Constraint::Percentage(85));
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", d.title))
        .border_style(theme().dialog_border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [body, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let keys = &app.keys;
    let closes = format!("{} closes", keys.short(Ctx::Ended, Action::Cancel));
    let (lines, foot_line) = match &d.phase {
        ChangePhase::Previewing => (
            vec![Line::styled(
                "recording the change to show it (rolled back: nothing is written)…",
                theme().dim,
            )],
            Line::raw(closes),
        ),
        ChangePhase::Preview(p) => {
            let foot = if p.preview.rows > 0 {
                Line::from(vec![
                    Span::styled(
                        format!(" {} ", keys.short(Ctx::Confirm, Action::Confirm)),
                        theme().run_key,
                    ),
                    Span::raw(" run: commit it   "),
                    Span::styled(
                        format!(" {} ", keys.short(Ctx::Confirm, Action::Cancel)),
                        theme().key,
                    ),
                    Span::raw(" close, write nothing (default)   j/k scroll"),
                ])
            } else {
                Line::raw(format!("nothing it can change · {closes}"))
            };
            (preview_lines(&p.preview, &p.rows), foot)
        }
        ChangePhase::Committing { .. } => (
            vec![Line::raw("committing in one transaction…")],
            Line::raw(format!(
                "{} cancels (rolls back)",
                keys.short(Ctx::Running, Action::Cancel)
            )),
        ),
        ChangePhase::Done(r) => {
            let (msg, style) = match r {
                Ok(s) => (s.clone(), theme().ok),
                Err(e) => (e.clone(), theme().bad),
            };
            (
                vec![Line::styled(text::cell(&msg), style)],
                Line::raw(closes),
            )
        }
    };
    let p = Paragraph::new(lines).wrap(Wrap { trim: false });
    let end = super::scroll::scroll_end(p.line_count(body.width), body.height);
    f.render_widget(p.scroll((d.scroll, 0)), body);
    f.render_widget(Paragraph::new(foot_line), foot);
    end
}

fn preview_lines(p: &crate::store::change::Preview, rows: &[RowChange]) -> Vec<Line<'static>> {
    let bold = theme().bold;
    let n = match p.rows {
        1 => "1 row changes".to_string(),
        n => format!("{} rows change", grouped(n)),
    };
    let mut lines = vec![
        Line::styled(
            format!(
                "{n} in {}, in one transaction",
                text::cell(&p.path.to_string_lossy())
            ),
            bold,
        ),
        Line::raw(text::cell(&TableCount::summary(&p.tables))),
    ];
    for w in &p.what {
        for l in text::lines(w) {
            lines.push(Line::styled(format!("  {l}"), theme().dim));
        }
    }
    for r in rows {
        lines.push(Line::raw(""));
        lines.extend(row_lines(r));
    }
    let more = p.rows.saturating_sub(rows.len() as u64);
    if more > 0 {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                "… and {} more rows (`exec --dry-run --json` lists every one)",
                grouped(more)
            ),
            theme().dim,
        ));
    }
    if !p.left.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("left for a person ({}):", p.left.len()),
            theme().warn,
        ));
        for f in &p.left {
            lines.push(Line::raw(format!(
                "  {} {}",
                f.code.label(),
                text::cell(&f.message)
            )));
        }
    }
    lines
}

/// One changed row: its table, what happens to it, its key, then each
/// column before → after.
fn row_lines(r: &RowChange) -> Vec<Line<'static>> {
    let key: Vec<String> = r
        .key
        .iter()
        .map(|(k, v)| format!("{} {}", text::cell(k), shown(v)))
        .collect();
    let style = match r.op {
        Op::Delete => theme().bad,
        Op::Insert => theme().ok,
        Op::Update => theme().bold,
    };
    let mut out = vec![Line::styled(
        format!(
            "{} {} {}",
            text::cell(&r.table),
            r.op.label(),
            key.join(", ")
        ),
        style,
    )];
    let width = r
        .columns
        .iter()
        .map(|c| text::cell(&c.column).chars().count())
        .max()
        .unwrap_or(0);
    for c in &r.columns {
        out.push(column_line(c, width));
    }
    out
}

fn column_line(c: &ColumnChange, width: usize) -> Line<'static> {
    // An inserted row had no value before, a deleted one has none after:
    // said in words, never with the grid's sign for NULL.
    let side = |v: &Option<Value>| v.as_ref().map_or("(none)".to_string(), shown);
    Line::from(vec![
        Span::styled(
            format!("  {:<width$}  ", text::cell(&c.column)),
            theme().dim,
        ),
        Span::raw(side(&c.before)),
        Span::styled(" → ", theme().warn),
        Span::raw(side(&c.after)),
    ])
}

fn shown(v: &Value) -> String {
    text::cell(&v.shown(VALUE_CHARS))
}
