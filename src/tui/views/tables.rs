//! Tables: every table and view with its kind and row count; browsing one.

use super::super::app::{App, Load};
use super::super::text::grouped;
use super::super::theme::theme;
use crate::store::inspection::inspect::RowCount;
use crate::store::spec::ObjectClass;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};

/// Draws the tab; returns where the rows of its list are.
pub(crate) fn draw(f: &mut Frame, app: &App, area: Rect) -> Option<Rect> {
    if let Some(b) = &app.tables.browse {
        // A table's rows are changed (E, D) only where a change can find
        // them again, in a store that may be written.
        let read_only = (!b.keyed || app.store.writable.is_err()).then(|| "read-only".to_string());
        let o = &b.sort.order;
        let order = (*o != Default::default()).then(|| {
            let arrow = if o.desc { "↓" } else { "↑" };
            format!("sort {} {arrow}", text::cell(o.sort.label()))
        });
        let notes: Vec<String> = read_only
            .into_iter()
            .chain(crate::store::read::tables::scope(b.keyed))
            .chain(order)
            .collect();
        let mut title = if notes.is_empty() {
            text::cell(&b.table)
        } else {
            format!("{} ({})", text::cell(&b.table), notes.join(", "))
        };
        // The column's place stays whole; a sort's progress takes the room
        // left, and the name and notes are cut with … before it goes.
        let position = format!(" {} ", super::grid::position(&b.grid, area.width));
        let room = usize::from(area.width).saturating_sub(super::fit::width(&position) + 1);
        if let Some(building) = &b.sort.list.building {
            let left = room.saturating_sub(super::fit::width(&title));
            title.push_str(&super::documents::sorting_note(building, left));
        }
        let block = Block::default()
            .borders(Borders::TOP)
            .title(super::fit::cut(&title, room));
        match &b.page {
            Load::Loading => {
                f.render_widget(Paragraph::new("loading…").block(block), area);
                return None;
            }
            Load::Failed(e) => {
                f.render_widget(Paragraph::new(text::cell(e)).block(block), area);
                return None;
            }
            Load::Loaded(_) | Load::Stale(..) => {}
        }
        let block = block.title(Line::styled(position, theme().dim));
        return Some(super::grid::draw(
            f, area, block, &b.grid, &b.shown, b.selected,
        ));
    }
    let Some(ins) = app.store.inspection.loaded() else {
        f.render_widget(
            Paragraph::new(super::chrome::not_read(app, "no tables to show")),
            area,
        );
        return None;
    };
    let rows: Vec<Row> = ins
        .objects
        .iter()
        .map(|o| {
            let count = app
                .store
                .counts
                .iter()
                .find(|c| c.0 == o.name)
                .map(|c| &c.1)
                .unwrap_or(&o.rows);
            let n = match count {
                RowCount::Counted(n) => grouped(*n),
                RowCount::NotCounted => "counting…".into(),
                RowCount::Failed(e) => format!("? ({})", text::cell(e)),
            };
            let style = match o.class {
                ObjectClass::Legacy | ObjectClass::Leftover => theme().warn,
                ObjectClass::V3 => Style::default(),
                ObjectClass::Other | ObjectClass::Upstream => theme().dim,
            };
            Row::new([
                text::cell(&o.name),
                o.kind.to_string(),
                o.class.label().to_string(),
                n,
            ])
            .style(style)
        })
        .collect();
    let header = Row::new(["name", "type", "kind", "rows"]).style(theme().bold);
    let widths = [
        Constraint::Min(20),
        Constraint::Length(14),
        Constraint::Length(10),
        Constraint::Length(24),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(Block::default().borders(Borders::TOP))
        .row_highlight_style(theme().selected);
    let mut state = TableState::default().with_selected(Some(app.tables.selected));
    f.render_stateful_widget(table, area, &mut state);
    Some(super::grid::below_header(
        Block::default().borders(Borders::TOP).inner(area),
    ))
}
