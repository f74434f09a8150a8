//! One document in full: every column, wrapped text, pretty JSON, lists.

use super::super::app::{App, Load};
use super::super::theme::theme;
use crate::store::cell::Cell;
use crate::text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub(crate) fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Some(d) = &app.detail else { return };
    let block = Block::default()
        .borders(Borders::TOP)
        .title(format!("document (rowid {})", d.rowid));
    let cols = match &d.doc {
        Load::Loading => return f.render_widget(Paragraph::new("loading…").block(block), area),
        Load::Failed(e) => {
            return f.render_widget(Paragraph::new(text::cell(e)).block(block), area);
        }
        Load::Loaded(None) => {
            return f.render_widget(
                Paragraph::new("this document is gone (changed on disk)").block(block),
                area,
            );
        }
        Load::Loaded(Some(c)) => c,
    };
    let mut lines: Vec<Line> = Vec::new();
    for (name, cell) in cols {
        lines.push(Line::from(Span::styled(text::cell(name), theme().heading)));
        lines.extend(value_lines(cell));
        lines.push(Line::from(""));
    }
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((d.scroll, 0)),
        area,
    );
}

fn value_lines(c: &Cell) -> Vec<Line<'static>> {
    let indent = |s: String| Line::from(format!("  {s}"));
    match c {
        Cell::Null => vec![Line::from(Span::styled("  NULL", theme().null))],
        Cell::Text {
            text: t,
            invalid,
            cut_from,
        } => {
            let mut out: Vec<Line> = match json_lines(t) {
                Some(l) => l.into_iter().map(indent).collect(),
                None => text::lines(t).into_iter().map(indent).collect(),
            };
            if *invalid {
                out.push(Line::from(Span::styled(
                    "  (not valid UTF-8: shown lossily, � marks the bad bytes)",
                    theme().warn,
                )));
            }
            if let Some(n) = cut_from {
                out.push(Line::from(Span::styled(
                    format!(
                        "  (cut: the first {} of {n} characters)",
                        crate::store::cell::DETAIL_CHARS
                    ),
                    theme().warn,
                )));
            }
            out
        }
        other => vec![indent(text::cell(&other.summary()))],
    }
}

/// JSON text as lines: an array of scalars as a list, anything else pretty.
fn json_lines(t: &str) -> Option<Vec<String>> {
    let s = t.trim_start();
    if !(s.starts_with('[') || s.starts_with('{')) {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(t).ok()?;
    if let serde_json::Value::Array(items) = &v
        && items.iter().all(|i| !i.is_array() && !i.is_object())
    {
        if items.is_empty() {
            return Some(vec!["(empty list)".into()]);
        }
        return Some(
            items
                .iter()
                .map(|i| match i {
                    serde_json::Value::String(s) => format!("• {}", text::cell(s)),
                    other => format!("• {other}"),
                })
                .collect(),
        );
    }
    let pretty = serde_json::to_string_pretty(&v).ok()?;
    Some(
        pretty
            .lines()
            .map(|l| text::escape(l).into_owned())
            .collect(),
    )
}
