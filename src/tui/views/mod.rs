//! Rendering: pure functions of the App state. One file per tab and dialog.

mod change;
mod chrome;
mod detail;
mod dialog;
mod documents;
mod fit;
mod frequencies;
mod grid;
pub mod help;
mod messages;
mod overview;
mod popups;
mod query;
mod record;
mod schema;
mod scroll;
mod snapshot;
mod tables;
mod tasks;

use super::app::{App, Drawn, MIN_HEIGHT, MIN_WIDTH, Overlay};
use super::tab::Tab;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::Paragraph;

/// Draws the app; returns where it drew what a click can pick, and the
/// last scroll position of the scrolled page on top (the one `App::drawn`
/// keeps scrolling within), 0 for the rest.
pub fn draw(f: &mut Frame, app: &App) -> Drawn {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Terminal too small: {}×{}, need {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it or press q.",
            area.width, area.height
        );
        f.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return Drawn::default();
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut drawn = Drawn {
        tabs: chrome::tabs(f, app, tabs),
        ..Drawn::default()
    };
    let end = match app.tab {
        // Upstream's store before its first snapshot: nothing to read yet.
        Tab::Overview if let Some(first) = &app.overview.first => {
            snapshot::overview(f, app, first, body)
        }
        _ if let Some(first) = &app.overview.first => {
            snapshot::waiting(f, first, body);
            0
        }
        Tab::Overview => {
            let (end, at) = overview::draw(f, app, body);
            drawn.scrolled_to = at;
            end
        }
        Tab::Documents if app.detail.is_some() => detail::draw(f, app, body),
        Tab::Documents => {
            drawn.rows = documents::draw(f, app, body);
            0
        }
        Tab::Schema => schema::draw(f, app, body),
        Tab::Tables | Tab::Query if record::shown(app) => record::draw(f, app, body),
        Tab::Tables => {
            drawn.rows = tables::draw(f, app, body);
            0
        }
        Tab::Query => {
            drawn.rows = query::draw(f, app, body);
            0
        }
    };
    chrome::status(f, app, status);
    drawn.scroll_end = match &app.overlay {
        Some(Overlay::Plan(_)) => dialog::draw(
            f,
            app,
            area.centered(Constraint::Percentage(90), Constraint::Percentage(85)),
        ),
        Some(Overlay::Change(d)) => change::dialog(f, app, d, area),
        Some(Overlay::Edit(e)) => {
            change::editor(f, app, e, area);
            0
        }
        Some(Overlay::Picker(p)) => {
            drawn.popup_rows = Some(popups::picker(f, app, p, area));
            0
        }
        Some(Overlay::Columns(ch)) => {
            popups::chooser(f, app, ch, area);
            0
        }
        Some(Overlay::Export(d)) => {
            popups::export(f, app, d, area);
            0
        }
        Some(Overlay::Frequencies(v)) => {
            drawn.popup_rows = frequencies::draw(f, app, v, area);
            0
        }
        Some(Overlay::Tasks(v)) => {
            let (end, marked) = tasks::draw(f, app, v, area);
            drawn.task = marked;
            end
        }
        Some(Overlay::Messages { scroll }) => messages::draw(f, app, area, *scroll),
        Some(Overlay::Help { scroll }) => {
            help::draw(f, help::area(area, &app.keys), *scroll, &app.keys)
        }
        None => end,
    };
    drawn
}
