//! Query: the SQL line, then the statement's result in the shared grid,
//! with how far it has been read and counted.

use super::super::app::{App, Load, QueryResult};
use super::super::theme::theme;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

const PROMPT: &str = "SQL› ";

/// Draws the tab; returns where the result's rows are, when there are rows.
pub(crate) fn draw(f: &mut Frame, app: &App, area: Rect) -> Option<Rect> {
    let [line, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    sql_line(f, app, line);
    let Some(r) = &app.query.result else {
        let help = "Type one statement and press Enter. Only reading is allowed: writes, \
                    ATTACH and PRAGMAs that set something are refused. ↑/↓ recall the \
                    statements run before. For example:\n\n  SELECT doc_type, count(*) \
                    FROM documents GROUP BY 1 ORDER BY 2 DESC";
        f.render_widget(
            Paragraph::new(help)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::TOP)),
            body,
        );
        return None;
    };
    let mut block = Block::default().borders(Borders::TOP);
    if !matches!(r.page, Load::Failed(_)) {
        block = block.title(Line::from(status(r)));
    }
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
    block = block.title(
        Line::styled(
            format!(" {} ", super::grid::position(&r.grid, body.width)),
            theme().dim,
        )
        .right_aligned(),
    );
    Some(super::grid::draw(
        f, body, block, &r.grid, &r.shown, r.selected,
    ))
}

/// The SQL line: what is typed (its cursor shown while editing), scrolled
/// so the cursor stays in view.
fn sql_line(f: &mut Frame, app: &App, area: Rect) {
    let q = &app.query;
    let room = area.width.saturating_sub(PROMPT.chars().count() as u16) as usize;
    let scroll = q.input.visual_scroll(room.saturating_sub(1));
    let text: String = q.input.value().chars().skip(scroll).collect();
    let style = if q.editing { theme().bold } else { theme().dim };
    let line = Line::from(vec![
        Span::styled(PROMPT, theme().warn),
        Span::styled(text, style),
    ]);
    f.render_widget(Paragraph::new(line), area);
    if q.editing && app.overlay.is_none() {
        let at = q.input.visual_cursor().saturating_sub(scroll) as u16;
        f.set_cursor_position(Position::new(
            area.x + PROMPT.chars().count() as u16 + at.min(room as u16),
            area.y,
        ));
    }
}

/// The result's title: the rows shown of how many, and what runs.
fn status(r: &QueryResult) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    if let Some(p) = r.page.loaded().filter(|p| !p.rows.is_empty()) {
        out.push(Span::raw(format!(
            " rows {}–{}",
            p.start + 1,
            p.start + p.rows.len() as u64
        )));
    }
    let count = match (&r.count, r.total()) {
        (_, Some(0)) => Span::raw(" no rows"),
        (_, Some(n)) => Span::raw(format!(" of {n}")),
        (Load::Failed(e), None) if e.contains("cancelled") => {
            Span::styled(" · count stopped", theme().dim)
        }
        (Load::Failed(e), None) => {
            Span::styled(format!(" · count: {}", text::cell(e)), theme().dim)
        }
        _ => Span::styled(" · counting…", theme().dim),
    };
    out.push(count);
    match r.running {
        Some(0) => out.push(Span::styled(" · running… (Esc stops)", theme().warn)),
        Some(n) => out.push(Span::styled(
            format!(" · {n} rows passed… (Esc stops)"),
            theme().warn,
        )),
        None => {}
    }
    out.push(Span::raw(" "));
    out
}
