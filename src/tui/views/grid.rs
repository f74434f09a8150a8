//! A grid of rows with a column cursor: the columns that fit from the
//! grid's first one, widths from the content, the cursor's column header
//! and cell marked. Documents and a browsed table draw through it.

use super::super::app::GridState;
use super::super::text::{Kind, Shown};
use super::super::theme::theme;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Row, Table, TableState};

/// Draws `rows` under `names` in `area`, row `selected` highlighted;
/// returns where the rows are.
pub(crate) fn draw(
    f: &mut Frame,
    area: Rect,
    block: Block<'_>,
    grid: &GridState,
    rows: &[Vec<Shown>],
    selected: usize,
) -> Rect {
    let inner = block.inner(area);
    let shown = grid.visible(inner.width);
    let widths = grid.widths();
    // The last column takes what room is left: a table wider than its area
    // would have every column squeezed instead.
    let mut left = inner.width;
    let drawn: Vec<u16> = shown
        .iter()
        .map(|&i| {
            let w = widths.get(i).copied().unwrap_or(8).min(left);
            left = left.saturating_sub(w + super::super::app::GRID_GAP);
            w
        })
        .collect();
    let header = Row::new(shown.iter().map(|&i| {
        let name = text::cell(grid.names.get(i).map_or("", String::as_str));
        let style = if i == grid.col {
            theme().column_cursor
        } else {
            theme().bold
        };
        Cell::from(Line::styled(name, style))
    }));
    let body: Vec<Row> = rows
        .iter()
        .enumerate()
        .map(|(r, cells)| {
            Row::new(shown.iter().zip(&drawn).map(|(&i, &w)| {
                let cell = cells.get(i);
                let w = usize::from(w);
                let span = cell.map(|c| ended(c.span(), w)).unwrap_or_default();
                // Numbers line up by their last digit, as in a spreadsheet.
                let line = match cell.map(|c| c.kind) {
                    Some(Kind::Number) => Line::from(span).right_aligned(),
                    _ => Line::from(span),
                };
                let c = Cell::from(line);
                if r == selected && i == grid.col {
                    c.style(theme().cell_cursor)
                } else {
                    c
                }
            }))
        })
        .collect();
    let constraints: Vec<Constraint> = drawn.iter().map(|&w| Constraint::Length(w)).collect();
    let table = Table::new(body, constraints)
        .header(header)
        .block(block)
        .column_spacing(super::super::app::GRID_GAP)
        .row_highlight_style(theme().selected);
    let mut state = TableState::default().with_selected(Some(selected));
    f.render_stateful_widget(table, area, &mut state);
    below_header(inner)
}

/// The lines of a table's rows: its area under the header line.
pub(crate) fn below_header(inner: Rect) -> Rect {
    Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

/// A cell wider than its column, cut to end in `…` so a cut is never
/// taken for the whole value.
fn ended(span: ratatui::text::Span<'_>, width: usize) -> ratatui::text::Span<'_> {
    if span.width() <= width || width == 0 {
        return span;
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in span.content.chars() {
        let w = ratatui::text::Span::raw(c.to_string()).width();
        if used + w + 1 > width {
            break;
        }
        used += w;
        kept.push(c);
    }
    kept.push('…');
    ratatui::text::Span::styled(kept, span.style)
}

/// Where the cursor stands among the columns: `col 3/23 title ◂ ▸`, the
/// arrows saying there are columns off screen that side.
pub(crate) fn position(grid: &GridState, width: u16) -> String {
    let (hidden_left, hidden_right) = grid.hidden(width);
    let left = if hidden_left { " ◂" } else { "" };
    let right = if hidden_right { " ▸" } else { "" };
    format!(
        "col {}/{} {}{left}{right}",
        grid.col + 1,
        grid.names.len(),
        text::cell(grid.current().unwrap_or(""))
    )
}
