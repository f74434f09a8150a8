//! The small dialogs: the column chooser, a filter picker and the export.

use super::super::app::{App, Chooser, ExportDialog, ExportPhase, Load, Picker};
use super::super::keys::{Action, Ctx};
use super::super::text::grouped;
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
                    format!("{} of {} rows", grouped(*rows), grouped(*t)),
                ),
                _ => (0.0, format!("{} rows", grouped(*rows))),
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

/// A filter picker: what is typed, the values it keeps with their counts
/// (ticked when picked), and what is picked. Returns the rows the list has.
pub(crate) fn picker(f: &mut Frame, app: &App, p: &Picker, screen: Rect) -> usize {
    let shown = p.shown();
    let rows = match &p.values {
        Load::Loaded(_) | Load::Stale(..) => shown.len().max(1),
        _ => 1,
    };
    let area = screen.centered(
        Constraint::Length(64.min(screen.width)),
        Constraint::Length((rows as u16 + 4).min(screen.height * 85 / 100)),
    );
    f.render_widget(Clear, area);
    let keys = &app.keys;
    let title = format!(
        " {}: {} picks, {} applies, {} cancels ",
        p.column,
        keys.short(Ctx::Picker, Action::Toggle),
        keys.short(Ctx::Picker, Action::Submit),
        keys.short(Ctx::Picker, Action::Cancel),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .border_style(theme().dialog_border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [typed, list, foot] = ratatui::layout::Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let value = p.input.value();
    let at = value
        .char_indices()
        .nth(p.input.cursor())
        .map_or(value.len(), |(i, _)| i);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("narrow: ", theme().dim),
            Span::raw(text::cell(&value[..at])),
            Span::styled("▏", theme().warn),
            Span::raw(text::cell(&value[at..])),
        ])),
        typed,
    );
    let picked = if p.picked.is_empty() {
        "none picked: Enter keeps all".to_string()
    } else {
        let each: Vec<String> = p
            .picked
            .iter()
            .map(|v| v.as_deref().map_or("∅ NULL".into(), text::cell))
            .collect();
        format!("picked: {}", each.join(", "))
    };
    f.render_widget(Paragraph::new(picked).style(theme().dim), foot);
    let note = |f: &mut Frame, what: String, style| {
        f.render_widget(Paragraph::new(what).style(style), list);
        list.height as usize
    };
    match &p.values {
        Load::Loading => return note(f, "counting the values…".into(), theme().warn),
        Load::Failed(e) => return note(f, text::cell(e), theme().bad),
        _ if shown.is_empty() => {
            return note(f, "no value holds what is typed".into(), theme().dim);
        }
        _ => {}
    }
    let known = &crate::store::spec::Spec::v3().doc_types;
    let width = shown
        .iter()
        .map(|(v, _)| v.as_deref().map_or(6, |v| text::cell(v).chars().count()))
        .max()
        .unwrap_or(4)
        .min(40);
    let items: Vec<ListItem> = shown
        .iter()
        .map(|(v, n)| {
            let on = p.picked.contains(v);
            let mark = if on { "[x] " } else { "[ ] " };
            let (shown, style) = match v {
                None => ("∅ NULL".to_string(), theme().null),
                Some(v) => (text::cell(v), ratatui::style::Style::default()),
            };
            let cut: String = shown.chars().take(width).collect();
            let mut spans = vec![
                Span::styled(mark, if on { theme().ok } else { theme().dim }),
                Span::styled(format!("{cut:<width$}"), style),
                Span::raw(format!("  {:>9}", grouped(*n))),
            ];
            let unknown = p.column == "doc_type" && v.as_ref().is_some_and(|v| !known.contains(v));
            if unknown {
                spans.push(Span::styled("  unknown type", theme().warn));
            }
            ListItem::new(Line::from(spans))
        })
        .collect();
    let list_widget = List::new(items).highlight_style(theme().selected);
    let mut state = ListState::default().with_selected(Some(p.selected));
    f.render_stateful_widget(list_widget, list, &mut state);
    list.height as usize
}
