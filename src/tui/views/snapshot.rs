//! Upstream's DuckDB store while its first snapshot is taken: the Overview
//! shows what the catalog says (the file, its DuckDB version, the tables
//! and their rows, the shape against the spec) and how far the copy is;
//! the other tabs say they wait for it.

use super::super::app::{App, FirstSnapshot, Load};
use super::super::keys::{Action, Ctx};
use super::super::text::grouped;
use super::super::theme::theme;
use crate::store::inspection::inspect::RowCount;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{LineGauge, Paragraph, Wrap};

/// The Overview before the snapshot; returns its last scroll position.
pub(crate) fn overview(f: &mut Frame, app: &App, first: &FirstSnapshot, area: Rect) -> u16 {
    let [head, gauge, rest] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    let cat = first.catalog.loaded();
    let what = cat.map_or_else(
        || "egregora's DuckDB store".to_string(),
        |d| d.store.describe(),
    );
    let badge = if first.running {
        Span::styled(
            " taking the first snapshot ",
            theme().warn.patch(theme().bold),
        )
    } else {
        Span::styled(" no snapshot ", theme().alarm)
    };
    let lines = vec![
        Line::from(vec![
            badge,
            Span::raw("  "),
            Span::raw(text::cell(&first.source.to_string_lossy())),
        ]),
        Line::from(Span::styled(text::cell(&what), theme().dim)),
        Line::from(Span::styled(
            format!(
                "read through the duckdb shell, never written; every tab opens once the snapshot is taken ({} stops it)",
                app.keys.short(Ctx::Global, Action::Quit)
            ),
            theme().dim,
        )),
    ];
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), head);
    f.render_widget(progress(first), gauge);
    let para = Paragraph::new(catalog_lines(first)).wrap(Wrap { trim: false });
    let end = super::scroll::scroll_end(para.line_count(rest.width), rest.height);
    f.render_widget(para.scroll((app.scroll.min(end), 0)), rest);
    end
}

/// The copy's gauge: rows copied (then verified) of all the tables' rows.
fn progress(first: &FirstSnapshot) -> LineGauge<'static> {
    let (ratio, label) = match (&first.note, &first.progress) {
        (Some(note), p) => (
            p.as_ref().map_or(0.0, |p| fraction(p.done, p.total)),
            text::cell(note),
        ),
        (None, None) => (0.0, "starting the copy…".to_string()),
        (None, Some(p)) => (
            fraction(p.done, p.total),
            format!(
                "{} {}: {} of {} rows ({:.0}%)",
                p.phase,
                text::cell(&p.table),
                grouped(p.done),
                grouped(p.total),
                fraction(p.done, p.total) * 100.0
            ),
        ),
    };
    LineGauge::default()
        .ratio(ratio)
        .label(label)
        .filled_style(theme().ok)
        .unfilled_style(theme().dim)
}

fn fraction(done: u64, total: u64) -> f64 {
    if total == 0 {
        1.0
    } else {
        (done as f64 / total as f64).clamp(0.0, 1.0)
    }
}

/// The tables with their rows, then the shape's findings.
fn catalog_lines(first: &FirstSnapshot) -> Vec<Line<'static>> {
    let d = match &first.catalog {
        Load::Loading => return vec![Line::from(""), Line::from("Reading the catalog…")],
        Load::Failed(e) => {
            return vec![
                Line::from(""),
                Line::from(Span::styled(
                    format!("The catalog could not be read: {}", text::cell(e)),
                    theme().warn,
                )),
            ];
        }
        Load::Loaded(d) | Load::Stale(d, _) => d,
    };
    let ins = &d.inspection;
    let mut lines = vec![
        Line::from(""),
        Line::from(vec![
            Span::styled("Shape against the V3 spec: ", theme().bold),
            Span::styled(format!(" {} ", ins.badge(None)), theme().badge(ins, None)),
        ]),
        Line::from(""),
        Line::from(Span::styled("Tables", theme().bold)),
    ];
    for o in &ins.objects {
        let rows = match &o.rows {
            RowCount::Counted(n) => format!("{:>10} rows", grouped(*n)),
            RowCount::NotCounted => format!("{:>15}", "not counted"),
            RowCount::Failed(e) => format!("rows not counted: {}", text::cell(e)),
        };
        lines.push(Line::from(format!(
            "  {:<5} {:<22} {rows}  {}",
            o.kind,
            text::cell(&o.name),
            o.class.label()
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("Findings", theme().bold)));
    if ins.findings.is_empty() {
        lines.push(Line::from(Span::styled(
            "  none: the store matches the V3 spec",
            theme().ok,
        )));
    }
    lines.extend(ins.findings.iter().map(super::overview::finding_line));
    lines
}

/// A tab that needs rows, before the snapshot is open.
pub(crate) fn waiting(f: &mut Frame, first: &FirstSnapshot, area: Rect) {
    let why = match (&first.note, &first.progress) {
        (Some(note), _) => text::cell(note),
        (None, Some(p)) => format!(
            "waiting for the snapshot: {} {} ({:.0}%)",
            p.phase,
            text::cell(&p.table),
            fraction(p.done, p.total) * 100.0
        ),
        (None, None) => "waiting for the snapshot: starting the copy".into(),
    };
    f.render_widget(
        Paragraph::new(vec![
            Line::from(""),
            Line::from(Span::styled(why, theme().warn)),
            Line::from(Span::styled(
                "The rows are read from the snapshot; the Overview shows the catalog meanwhile.",
                theme().dim,
            )),
        ])
        .wrap(Wrap { trim: false }),
        area,
    );
}

/// The header's right side: the source, its DuckDB version, the copy.
pub(crate) fn header(first: &FirstSnapshot) -> String {
    let name = first
        .source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match first.catalog.loaded() {
        Some(d) => format!(
            "{name} · DuckDB {} · taking the first snapshot",
            d.store.writer.trim_start_matches('v')
        ),
        None => format!("{name} · taking the first snapshot"),
    }
}
