//! Schema: the spec beside the live tables, column by column; indexes; DDL.

use super::super::app::{App, Load};
use crate::store::spec::Spec;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Load::Loaded(ins) = &app.inspection else {
        return f.render_widget(Paragraph::new("no schema to show"), area);
    };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let ok = Style::default().fg(Color::Green);
    let bad = Style::default().fg(Color::Red);
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = vec![Line::from(vec![
        Span::styled(format!("  {:<16} {:<18}", "spec", ""), bold),
        Span::styled("live", bold),
    ])];
    for t in &Spec::v3().tables {
        lines.push(Line::from(""));
        let live = ins.live(&t.name);
        let head = match (live, ins.object(&t.name)) {
            (Some(l), _) => {
                Span::styled(format!("{} (live: {})", t.name, text::cell(&l.name)), bold)
            }
            (None, Some(o)) => Span::styled(format!("{} — live is a {}", t.name, o.kind), bad),
            (None, None) => Span::styled(format!("{} — missing", t.name), bad),
        };
        lines.push(Line::from(head));
        for (pos, c) in t.columns.iter().enumerate() {
            let spec = format!(
                "{} {}{}",
                c.decl_type,
                if c.not_null { "NN" } else { "" },
                if c.primary_key { " PK" } else { "" }
            );
            let (mark, style, live_txt) = match live.map(|l| {
                (
                    l.columns
                        .iter()
                        .position(|x| x.name.eq_ignore_ascii_case(&c.name)),
                    l,
                )
            }) {
                None | Some((None, _)) => ("✗", bad, "missing".to_string()),
                Some((Some(i), l)) => {
                    let lc = &l.columns[i];
                    let txt = format!(
                        "{} {}{}{}",
                        if lc.decl_type.is_empty() {
                            "(none)"
                        } else {
                            &lc.decl_type
                        },
                        if lc.not_null { "NN" } else { "" },
                        if lc.pk > 0 { " PK" } else { "" },
                        if i != pos {
                            format!(" @{}", i + 1)
                        } else {
                            String::new()
                        }
                    );
                    let same = lc.decl_type.eq_ignore_ascii_case(&c.decl_type)
                        && lc.not_null == c.not_null
                        && (lc.pk > 0) == c.primary_key
                        && (i == pos || t.name != "documents");
                    if same {
                        ("✓", ok, txt)
                    } else {
                        ("≠", Style::default().fg(Color::Yellow), txt)
                    }
                }
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::raw(format!("{:<16} {:<18}", c.name, spec)),
                Span::styled(text::cell(&live_txt), style),
            ]));
        }
        if let Some(l) = live {
            for lc in l.columns.iter().filter(|lc| t.column(&lc.name).is_none()) {
                lines.push(Line::from(vec![
                    Span::styled("+ ", super::warn()),
                    Span::raw(format!(
                        "{:<16} {:<18}",
                        text::cell(&lc.name),
                        "(not in spec)"
                    )),
                    Span::styled(
                        format!("{} extra, kept", text::cell(&lc.decl_type)),
                        super::warn(),
                    ),
                ]));
            }
        }
        for idx in &t.indexes {
            let present = live.is_some_and(|l| {
                l.indexes
                    .iter()
                    .any(|i| i.name.eq_ignore_ascii_case(&idx.name))
            });
            let (mark, style) = if present { ("✓", ok) } else { ("✗", bad) };
            lines.push(Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::raw(format!("index {} ({})", idx.name, idx.columns.join(", "))),
            ]));
        }
    }
    f.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::RIGHT))
            .scroll((app.scroll, 0)),
        left,
    );

    let mut ddl: Vec<Line> = vec![Line::from(Span::styled("Live DDL", bold))];
    for e in &ins.entries {
        if let Some(sql) = &e.sql {
            ddl.push(Line::from(""));
            ddl.extend(
                text::lines(sql)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, super::dim()))),
            );
        }
    }
    f.render_widget(
        Paragraph::new(ddl)
            .wrap(Wrap { trim: false })
            .scroll((app.scroll, 0)),
        right,
    );
}
