//! Schema: the spec beside the live tables, column by column; indexes; DDL.

use super::super::app::App;
use super::super::theme::theme;
use crate::store::inspection::compare::{Mark, Presence};
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub(crate) fn draw(f: &mut Frame, app: &App, area: Rect) -> u16 {
    let Some(ins) = app.store.inspection.loaded() else {
        f.render_widget(
            Paragraph::new(super::chrome::not_read(app, "no schema to show")),
            area,
        );
        return 0;
    };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let bad = theme().bad;
    let bold = theme().bold;
    let mut lines: Vec<Line> = vec![Line::from(vec![
        Span::styled(format!("  {:<16} {:<18}", "spec", ""), bold),
        Span::styled("live", bold),
    ])];
    for t in ins.side_by_side() {
        lines.push(Line::from(""));
        lines.push(Line::from(match &t.presence {
            Presence::Table(live) => {
                Span::styled(format!("{} (live: {})", t.name, text::cell(live)), bold)
            }
            Presence::Other(kind) => Span::styled(format!("{} — live is a {kind}", t.name), bad),
            Presence::Missing => Span::styled(format!("{} — missing", t.name), bad),
        }));
        for c in &t.columns {
            let (sign, style) = mark(c.mark);
            let (spec, live) = match c.mark {
                Mark::Missing => (c.spec.clone(), "missing".to_string()),
                Mark::Extra => (
                    "(not in spec)".to_string(),
                    format!("{} extra, kept", text::cell(&c.live)),
                ),
                Mark::Same | Mark::Differs => (c.spec.clone(), text::cell(&c.live)),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{sign} "), style),
                Span::raw(format!("{:<16} {:<18}", text::cell(&c.name), spec)),
                Span::styled(live, style),
            ]));
        }
        for idx in &t.indexes {
            let (sign, style) = mark(idx.mark);
            lines.push(Line::from(vec![
                Span::styled(format!("{sign} "), style),
                Span::raw(format!("index {} ({})", idx.name, idx.columns.join(", "))),
            ]));
        }
    }
    // Each pane scrolls on its own; the list keys move the one picked
    // (h/l), whose title says so.
    let title = |name: &str, picked: bool| {
        let style = if picked { theme().heading } else { theme().dim };
        Line::from(Span::styled(
            format!("{name}{}", if picked { " ◂ scrolling" } else { "" }),
            style,
        ))
    };
    let spec_rows = left.height.saturating_sub(1);
    let spec_end = super::scroll::scroll_end(lines.len(), spec_rows);
    f.render_widget(
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::RIGHT | Borders::TOP)
                    .title(title("spec beside live", !app.ddl_pane)),
            )
            .scroll((app.scroll.min(spec_end), 0)),
        left,
    );

    let width = right.width.saturating_sub(1) as usize;
    let mut ddl: Vec<Line> = Vec::new();
    for e in &ins.entries {
        if let Some(sql) = &e.sql {
            if !ddl.is_empty() {
                ddl.push(Line::from(""));
            }
            ddl.extend(
                text::lines(sql)
                    .iter()
                    .flat_map(|l| indented(l, width))
                    .map(|l| Line::from(Span::styled(l, theme().dim))),
            );
        }
    }
    let ddl_rows = right.height.saturating_sub(1);
    let ddl_end = super::scroll::scroll_end(ddl.len(), ddl_rows);
    f.render_widget(
        Paragraph::new(ddl)
            .block(
                Block::default()
                    .borders(Borders::TOP)
                    .title(title("live DDL", app.ddl_pane)),
            )
            .scroll((app.ddl_scroll.min(ddl_end), 0)),
        right,
    );
    if app.ddl_pane { ddl_end } else { spec_end }
}

/// A line of DDL wrapped to `width`, its continuation lines indented so a
/// wrapped line reads apart from the next statement's.
fn indented(line: &str, width: usize) -> Vec<String> {
    let opts = textwrap::Options::new(width.max(8)).subsequent_indent("    ");
    textwrap::wrap(line, opts)
        .into_iter()
        .map(|c| c.into_owned())
        .collect()
}

/// The sign and style of a mark: ✓ as the spec says, ≠ differs, ✗ missing,
/// + extra.
fn mark(m: Mark) -> (&'static str, Style) {
    match m {
        Mark::Same => ("✓", theme().ok),
        Mark::Differs => ("≠", theme().warn),
        Mark::Missing => ("✗", theme().bad),
        Mark::Extra => ("+", theme().warn),
    }
}
