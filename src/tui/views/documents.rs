//! Documents: the grid, paged by the rows it draws.

use super::super::app::{App, Load};
use super::super::text::grouped;
use super::super::theme::theme;
use crate::store::read::filters::Picked;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Draws the tab; returns where the rows are, when there are rows.
pub(crate) fn draw(f: &mut Frame, app: &App, area: Rect) -> Option<Rect> {
    let [head, grid] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let q = &app.docs.query;
    let mut spans = vec![
        Span::styled("sort ", theme().dim),
        Span::raw(text::cell(&q.sort_label())),
    ];
    for (all, name, picked) in [
        (" · type all", " · doc_type ∈ ", &q.doc_type),
        (" · status all", " · status ∈ ", &q.status),
    ] {
        if picked.is_empty() {
            spans.push(Span::styled(all, theme().dim));
        } else {
            spans.push(Span::styled(name, theme().dim));
            // Many values would push the count off the line: the first
            // few, and how many more.
            let label = match picked.len() {
                n if n > 3 => format!("{} +{}", Picked(picked[..3].to_vec()).label(), n - 3),
                _ => picked.label(),
            };
            spans.push(Span::styled(text::cell(&label), theme().warn));
        }
    }
    match &app.docs.input {
        Some(input) => {
            // The cursor as a bar between the characters it stands between.
            let value = input.value();
            let at = value
                .char_indices()
                .nth(input.cursor())
                .map_or(value.len(), |(i, _)| i);
            spans.push(Span::styled(" · search: ", theme().warn));
            spans.push(Span::raw(text::cell(&value[..at])));
            spans.push(Span::styled("▏", theme().warn));
            spans.push(Span::raw(text::cell(&value[at..])));
        }
        None => {
            if let Some(s) = &q.search {
                spans.push(Span::styled(" · search ", theme().dim));
                spans.push(Span::styled(format!("“{}”", text::cell(s)), theme().warn));
            }
        }
    }
    if let Some(ids) = &q.rowids {
        spans.push(Span::styled(
            format!(" · the {} rows named (Esc: all)", grouped(ids.len() as u64)),
            theme().warn,
        ));
    }
    if let Some(v) = &q.value {
        spans.push(Span::styled(
            format!(" · where {} (Esc: all)", text::cell(&v.label())),
            theme().warn,
        ));
    }
    match app.docs.searching {
        Some(0) => spans.push(Span::styled(" · searching… no match so far", theme().warn)),
        Some(n) => spans.push(Span::styled(
            format!(" · searching… {} so far", grouped(n)),
            theme().warn,
        )),
        None => {}
    }
    // The count stays whole at the end; a sort's progress stands beside
    // the sort it is about, in the room the filters and the count leave
    // (they matter more than its detail); when the filters overflow the
    // line they are cut, leaving "sorting…" its place.
    let mut count = count(app);
    let width = usize::from(head.width);
    let filters: usize = spans.iter().map(Span::width).sum();
    if filters + count.width() > width
        && let Some(short) = count.content.strip_suffix(" documents")
    {
        // Tight: the word goes before any figure or filter does.
        count = Span::styled(short.to_string(), count.style);
    }
    if let Some(b) = &app.docs.list.building {
        let used: usize = spans.iter().map(Span::width).sum::<usize>() + count.width();
        let mut note = sorting_note(b, width.saturating_sub(used));
        if used > width {
            // The filters are cut anyway: cut them for the note too.
            note = format!(" · {}…", sort_word(b));
            let room = width.saturating_sub(count.width() + super::fit::width(&note));
            spans = super::fit::line(spans, room).spans;
        }
        let at = spans.len().min(2);
        spans.insert(at, Span::styled(note, theme().warn));
    }
    let mut spans = super::fit::line(spans, width.saturating_sub(count.width())).spans;
    spans.push(count);
    let line = super::fit::line(spans, width);
    f.render_widget(Paragraph::new(line), head);

    let block = Block::default().borders(Borders::TOP);
    let rows = match &app.docs.rows {
        Load::Loading => {
            let what = if q.search.is_some() {
                "searching… (Esc stops it)"
            } else {
                "loading…"
            };
            f.render_widget(Paragraph::new(what).block(block), grid);
            return None;
        }
        Load::Failed(e) => {
            f.render_widget(
                Paragraph::new(text::cell(e))
                    .style(theme().bad)
                    .block(block),
                grid,
            );
            return None;
        }
        Load::Loaded(r) | Load::Stale(r, _) => r,
    };
    if rows.is_empty() {
        let why = if q.search.is_some() || !q.doc_type.is_empty() || !q.status.is_empty() {
            "no match (Esc clears the search and filters)"
        } else {
            "no documents"
        };
        f.render_widget(Paragraph::new(why).block(block), grid);
        return None;
    }
    let block = block.title(Line::styled(
        format!(" {} ", super::grid::position(&app.docs.grid, grid.width)),
        theme().dim,
    ));
    Some(super::grid::draw(
        f,
        grid,
        block,
        &app.docs.grid,
        &app.docs.shown,
        app.docs.selected,
    ))
}

/// How many documents the filters and search select, "of" how many in all
/// when they select fewer; "≥ N so far" while counted.
fn count(app: &App) -> Span<'static> {
    let all = app.store.charts.loaded().map(|c| c.rows);
    match (
        app.docs.count.loaded(),
        app.docs.count_so_far,
        &app.docs.count,
    ) {
        (Some(&n), _, _) => {
            let of = all
                .filter(|&a| a != n)
                .map(|a| format!(" of {}", grouped(a)))
                .unwrap_or_default();
            Span::styled(format!(" · {}{of} documents", grouped(n)), theme().dim)
        }
        (None, Some(n), _) => Span::styled(
            format!(" · ≥ {} so far, counting…", grouped(n)),
            theme().warn,
        ),
        (None, None, Load::Failed(e)) => {
            Span::styled(format!(" · count: {}", text::cell(e)), theme().dim)
        }
        (None, None, _) => Span::styled(" · counting…", theme().dim),
    }
}

fn sort_word(b: &crate::tui::app::Building) -> &'static str {
    if b.again { "sorting again" } else { "sorting" }
}

/// How far the sorted list has got, in the most detail that fits `room`
/// columns: " · sorting: 400,000 of 1,000,000 rows (Esc stops)", then
/// without the key (the status line has it), then " · sorting 40%", then
/// " · sorting…", else nothing.
pub(super) fn sorting_note(b: &crate::tui::app::Building, room: usize) -> String {
    let what = sort_word(b);
    // Every row read, SQLite's sorter merges them: no count to show.
    let (far, short) = match b.at {
        None => (String::new(), String::new()),
        Some(at) => match at.total {
            Some(t) if at.rows >= t => (
                format!(": {} rows read, ordering them", grouped(t)),
                ": ordering".to_string(),
            ),
            Some(t) => (
                format!(": {} of {} rows", grouped(at.rows), grouped(t)),
                format!(" {}%", at.rows.saturating_mul(100) / t.max(1)),
            ),
            None => (
                format!(": {} rows read", grouped(at.rows)),
                format!(": {}", grouped(at.rows)),
            ),
        },
    };
    [
        format!(" · {what}{far} (Esc stops)"),
        format!(" · {what}{far}"),
        format!(" · {what}{short}"),
    ]
    .into_iter()
    .chain([format!(" · {what}…")])
    .find(|note| super::fit::width(note) <= room)
    // No room at all: the status line's "stop sort" still says it.
    .unwrap_or_default()
}
