//! A row of a browsed table or of a query's result, a column a line, as a
//! document's detail shows its columns: pretty JSON, NULL marked, the
//! storage class where it is not text, a value cut for the grid said so.

use super::super::app::App;
use super::super::keys::{Action, Ctx};
use super::super::tab::Tab;
use super::super::theme::theme;
use crate::store::cell::{CELL_CHARS, Cell};
use crate::text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

/// Whether the tab on screen shows a row this way.
pub(crate) fn shown(app: &App) -> bool {
    match app.tab {
        Tab::Tables => app
            .tables
            .browse
            .as_ref()
            .is_some_and(|b| b.record.is_some()),
        Tab::Query => {
            !app.query.editing
                && app
                    .query
                    .result
                    .as_ref()
                    .is_some_and(|r| r.record.is_some())
        }
        _ => false,
    }
}

/// Draws the row; returns its last scroll position.
pub(crate) fn draw(f: &mut Frame, app: &App, area: Rect) -> u16 {
    let Some((what, names, cells, scroll)) = row(app) else {
        return 0;
    };
    let title = format!(
        "{what} · {} back, {}/{} the rows before and after",
        app.keys.short(Ctx::Record, Action::Back),
        app.keys.short(Ctx::Record, Action::PrevDocument),
        app.keys.short(Ctx::Record, Action::NextDocument),
    );
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Line::styled(title, theme().bold));
    let inner = block.inner(area);
    let width = usize::from(inner.width.saturating_sub(2));
    let lines = super::detail::column_lines(
        names.iter().map(String::as_str).zip(cells.iter()),
        width,
        CELL_CHARS,
    );
    let end = super::scroll::scroll_end(lines.len(), inner.height);
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(end), 0)),
        area,
    );
    end
}

/// The row shown: what it is, its columns' names and values, its scroll.
fn row(app: &App) -> Option<(String, &[String], &[Cell], u16)> {
    match app.tab {
        Tab::Tables => {
            let b = app.tables.browse.as_ref()?;
            let page = b.page.loaded()?;
            let (rowid, cells) = page.rows.get(b.selected)?;
            let what = match rowid {
                Some(r) => format!("{} rowid {r}", text::cell(&b.table)),
                None => format!("{} row {}", text::cell(&b.table), b.selected + 1),
            };
            Some((what, &page.columns, cells, b.record?))
        }
        Tab::Query => {
            let r = app.query.result.as_ref()?;
            let page = r.page.loaded()?;
            let cells = page.rows.get(r.selected)?;
            let what = format!("row {} of the result", page.start + r.selected as u64 + 1);
            Some((what, &r.names, cells, r.record?))
        }
        _ => None,
    }
}
