//! A list of tasks, newest first: each with its type, status and times,
//! its error, and its payload as pretty JSON.

use super::super::app::{App, Load, TasksView};
use super::super::keys::{Action, Ctx};
use super::super::text::grouped;
use super::super::theme::theme;
use super::detail::value_lines;
use crate::store::cell::Cell;
use crate::store::read::tasks::{Task, TaskSelection};
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Draws the list; returns its last scroll position.
/// Draws the list; returns its last scroll position and the task marked
/// (the first whose heading is on screen).
pub(crate) fn draw(f: &mut Frame, app: &App, v: &TasksView, screen: Rect) -> (u16, Option<usize>) {
    let area = screen.centered(Constraint::Percentage(90), Constraint::Percentage(85));
    f.render_widget(Clear, area);
    let shown = match v.page.loaded() {
        Some(rows) if !rows.is_empty() => {
            let from = v.before + 1;
            let to = v.before + rows.len() as u64;
            // The failed count comes from its own read after a write: it
            // is shown only once it agrees with the page.
            let total = match &v.selection {
                TaskSelection::Failed => match app.store.tasks.loaded() {
                    Some(Some(t)) => Some(t.failed),
                    _ => None,
                },
                TaskSelection::Rows(r) => Some(r.len() as u64),
            };
            match total {
                Some(t) if t >= to => {
                    format!(" {}–{} of {}", grouped(from), grouped(to), grouped(t))
                }
                _ => format!(" {}–{}", grouped(from), grouped(to)),
            }
        }
        _ => String::new(),
    };
    // Only the keys that work now.
    let mut keys: Vec<String> = [(Action::Older, "older"), (Action::Newer, "newer")]
        .into_iter()
        .filter(|(a, _)| app.works(Ctx::Tasks, *a))
        .map(|(a, what)| format!("{} {what}", app.keys.short(Ctx::Tasks, a)))
        .collect();
    if app.works(Ctx::Tasks, Action::Open) {
        keys.push(format!(
            "{} ▶'s document",
            app.keys.short(Ctx::Tasks, Action::Open)
        ));
    }
    if app.works(Ctx::Tasks, Action::Copy) {
        keys.push(format!(
            "{} copy ▶'s id",
            app.keys.short(Ctx::Tasks, Action::Copy)
        ));
    }
    keys.push(format!(
        "{} close",
        app.keys.short(Ctx::Tasks, Action::Cancel)
    ));
    // What the list is on top, its keys along the bottom: on a narrow
    // screen neither pushes the other off, and a cut says so with ….
    let room = usize::from(area.width.saturating_sub(2));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(super::fit::cut(&format!(" {}{shown} ", v.title), room))
        .title_bottom(super::fit::cut(&format!(" {} ", keys.join(", ")), room))
        .border_style(theme().dialog_border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    // The first task whose heading is on screen is marked (else the one
    // the view is inside): y and Y copy it.
    let mut marked = None;
    let lines: Vec<Line> = match &v.page {
        Load::Loading => vec![Line::from("reading the tasks…")],
        Load::Failed(e) => vec![Line::styled(text::cell(e), theme().bad)],
        Load::Loaded(rows) | Load::Stale(rows, _) if rows.is_empty() => {
            vec![Line::from("no such tasks")]
        }
        Load::Loaded(rows) | Load::Stale(rows, _) => {
            let cards: Vec<Vec<Line>> =
                rows.iter().map(|t| card(t, inner.width as usize)).collect();
            let mut start = 0usize;
            let top = v.scroll as usize;
            for (i, c) in cards.iter().enumerate() {
                if start >= top {
                    marked = Some(i);
                    break;
                }
                marked = Some(i);
                start += c.len();
            }
            cards
                .into_iter()
                .enumerate()
                .flat_map(|(i, mut c)| {
                    if Some(i) == marked
                        && let Some(head) = c.first_mut()
                    {
                        head.spans.insert(0, Span::styled("▶ ", theme().heading));
                    }
                    c
                })
                .collect()
        }
    };
    let end = super::scroll::scroll_end(lines.len(), inner.height);
    f.render_widget(Paragraph::new(lines).scroll((v.scroll, 0)), inner);
    (end, marked)
}

/// One task: a heading line, then its times, error and payload.
fn card(t: &Task, width: usize) -> Vec<Line<'static>> {
    let field = |name: &str| {
        t.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or(Cell::Null, |(_, c)| c.clone())
    };
    let short = |name: &str| match field(name) {
        Cell::Null => "∅".to_string(),
        c => text::cell(&c.summary()),
    };
    let status = field("status").summary();
    let status_style = if status == crate::store::spec::TASK_FAILED {
        theme().bad
    } else {
        theme().bold
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}  ", short("created_at")), theme().heading),
        Span::styled(format!("{}  ", short("task_type")), theme().bold),
        Span::styled(text::cell(&status), status_style),
        Span::styled(format!("  task {}", short("task_id")), theme().dim),
    ])];
    lines.push(Line::styled(
        format!("  processed_at {}", short("processed_at")),
        theme().dim,
    ));
    if let Some(d) = &t.target {
        let named = format!("  {} {}", d.field, text::cell(&d.value));
        lines.push(match (&d.rowid, &d.label) {
            (None, _) => Line::styled(format!("{named}  (not in documents)"), theme().warn),
            (Some(_), label) => Line::from(vec![
                Span::styled(named, theme().heading),
                Span::raw(format!(
                    "  → {}",
                    label.as_deref().map(text::cell).unwrap_or_default()
                )),
            ]),
        });
    }
    for name in ["error", "payload"] {
        lines.push(Line::styled(format!("  {name}"), theme().heading));
        // Indented under the heading as the detail indents its values.
        lines.extend(
            value_lines(&field(name), width.saturating_sub(2))
                .into_iter()
                .map(|l| {
                    let mut spans = vec![Span::raw("  ")];
                    spans.extend(l.spans);
                    Line::from(spans).style(l.style)
                }),
        );
    }
    lines.push(Line::styled("─".repeat(width.min(200)), theme().dim));
    lines
}
