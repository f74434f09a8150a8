//! The small dialogs: the column chooser and the export.

use super::super::app::{App, Chooser, ExportDialog, ExportPhase};
use super::super::keys::{Action, Ctx};
use super::super::theme::theme;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, List, ListItem, ListState, Paragraph};

/// The chooser: every column, ticked when shown, in the order shown.
pub(crate) fn chooser(f: &mut Frame, app: &App, ch: &Chooser, screen: Rect) {
    let area = screen.centered(
        Constraint::Length(56.min(screen.width)),
        Constraint::Length((ch.items.len() as u16 + 3).min(screen.height)),
    );
    f.render_widget(Clear, area);
    let keys = &app.keys;
    let title = format!(
        " columns: {} show/hide, {} apply, {} cancel ",
        keys.short(Ctx::Chooser, Action::Toggle),
        keys.short(Ctx::Chooser, Action::Submit),
        keys.short(Ctx::Chooser, Action::Cancel),
    );
    let items: Vec<ListItem> = ch
        .items
        .iter()
        .map(|(name, on)| {
            let mark = if *on { "[x] " } else { "[ ] " };
            ListItem::new(Line::from(vec![
                Span::styled(mark, if *on { theme().ok } else { theme().dim }),
                Span::raw(text::cell(name)),
            ]))
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(title)
                .border_style(theme().dialog_border),
        )
        .highlight_style(theme().selected);
    let mut state = ListState::default().with_selected(Some(ch.selected));
    f.render_stateful_widget(list, area, &mut state);
}

/// The export: the file name to edit, then a gauge.
pub(crate) fn export(f: &mut Frame, app: &App, d: &ExportDialog, screen: Rect) {
    let area = screen.centered(
        Constraint::Length(76.min(screen.width)),
        Constraint::Length(5.min(screen.height)),
    );
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" export {} ", d.what))
        .border_style(theme().dialog_border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let keys = &app.keys;
    match &d.phase {
        ExportPhase::Naming => {
            let value = d.input.value();
            let at = value
                .char_indices()
                .nth(d.input.cursor())
                .map_or(value.len(), |(i, _)| i);
            let lines = vec![
                Line::from(vec![
                    Span::styled("file: ", theme().dim),
                    Span::raw(text::cell(&value[..at])),
                    Span::styled("▏", theme().warn),
                    Span::raw(text::cell(&value[at..])),
                ]),
                Line::styled(
                    format!(
                        "{} export ({}; never over a file) · {} cancel",
                        keys.short(Ctx::ExportPath, Action::Submit),
                        crate::store::read::export::Format::CHOICES,
                        keys.short(Ctx::ExportPath, Action::Cancel),
                    ),
                    theme().dim,
                ),
            ];
            f.render_widget(Paragraph::new(lines), inner);
        }
        ExportPhase::Running { rows, total, .. } => {
            let (ratio, label) = match total {
                Some(t) if *t > 0 => (
                    (*rows as f64 / *t as f64).min(1.0),
                    format!("{rows} of {t} rows"),
                ),
                _ => (0.0, format!("{rows} rows")),
            };
            let stop = keys.short(Ctx::Exporting, Action::Cancel);
            let [gauge, foot] =
                ratatui::layout::Layout::vertical([Constraint::Length(1), Constraint::Length(1)])
                    .areas(inner);
            f.render_widget(
                Gauge::default()
                    .gauge_style(theme().gauge)
                    .ratio(ratio)
                    .label(label),
                gauge,
            );
            f.render_widget(
                Paragraph::new(format!("{stop} stops and removes the partial file"))
                    .style(theme().dim),
                foot,
            );
        }
    }
}
