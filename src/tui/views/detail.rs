//! One document in full: every column, wrapped text, pretty JSON, lists.

use super::super::app::{App, Load};
use super::super::keys::{Action, Ctx};
use super::super::theme::theme;
use crate::store::cell::{Cell, DETAIL_CHARS};
use crate::store::read::backlinks::{Backlinks, Named};
use crate::store::read::documents::{DocView, LinkKind};
use crate::text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Draws the open document; returns its last scroll position.
pub(crate) fn draw(f: &mut Frame, app: &App, area: Rect) -> u16 {
    let Some(d) = &app.detail else { return 0 };
    let kind = match d.doc.loaded() {
        Some(Some(v)) => v.doc_type.as_deref().map(text::cell).unwrap_or_default(),
        _ => String::new(),
    };
    let back = match d.path.len() {
        0 => String::new(),
        n => format!(" · {n} back"),
    };
    let block = Block::default().borders(Borders::TOP).title(format!(
        "document {kind} ({}){back}",
        text::cell(&d.rowid.to_string())
    ));
    let note = |f: &mut Frame, text: String| {
        f.render_widget(Paragraph::new(text).block(block.clone()), area);
        0
    };
    let cols = match &d.doc {
        Load::Loading => return note(f, "loading…".into()),
        Load::Failed(e) => return note(f, text::cell(e)),
        Load::Loaded(None) | Load::Stale(None, _) => {
            return note(f, "this document is gone (changed on disk)".into());
        }
        Load::Loaded(Some(c)) | Load::Stale(Some(c), _) => c,
    };
    let width = area.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    // Each value cut here, with how much of how much is shown.
    let cut: Vec<String> = cols
        .columns
        .iter()
        .filter_map(|(n, c)| match c {
            Cell::Text {
                cut_from: Some(total),
                ..
            } => Some(format!(
                "{} (the first {} of {} characters)",
                text::cell(n),
                text::count(crate::store::cell::DETAIL_CHARS as u64),
                text::count(*total as u64)
            )),
            _ => None,
        })
        .collect();
    if !cut.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("cut here: {}", cut.join(", ")),
            theme().warn,
        )));
        lines.push(Line::from(""));
    }
    lines.extend(link_lines(app, cols, d.link));
    lines.extend(backlink_lines(&d.backlinks, cols.links.len(), d.link));
    let mut cache = d.wrapped.borrow_mut();
    if cache.as_ref().is_none_or(|(w, _)| *w != width) {
        let named = cols.columns.iter().map(|(n, c)| (n.as_str(), c));
        *cache = Some((width, column_lines(named, width, DETAIL_CHARS)));
    }
    let columns: &[Line<'static>] = cache.as_ref().map_or(&[], |(_, l)| l.as_slice());
    let rows = area.height.saturating_sub(1) as usize;
    let end = super::scroll::scroll_end(lines.len() + columns.len(), rows as u16);
    // Only the lines on screen are handed to the paragraph.
    let shown: Vec<Line> = lines
        .iter()
        .chain(columns)
        .skip(d.scroll as usize)
        .take(rows)
        .cloned()
        .collect();
    f.render_widget(Paragraph::new(shown).block(block), area);
    end
}

/// Every column: its name (and storage class), its value wrapped to `width`.
/// Each column's name (and storage class), then its value, `width` wide;
/// a value cut at `cut_at` characters says so.
pub(super) fn column_lines<'a>(
    cols: impl Iterator<Item = (&'a str, &'a Cell)>,
    width: usize,
    cut_at: i64,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (name, cell) in cols {
        let mut head = vec![Span::styled(text::cell(name), theme().heading)];
        if let Some(class) = storage_class(cell) {
            head.push(Span::styled(format!("  ({class})"), theme().dim));
        }
        lines.push(Line::from(head));
        lines.extend(cut_value_lines(cell, width, cut_at));
        lines.push(Line::from(""));
    }
    lines
}

/// The documents this one points at, the picked one marked: Enter opens it.
fn link_lines(app: &App, doc: &DocView, picked: Option<usize>) -> Vec<Line<'static>> {
    if doc.links.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::from(vec![
        Span::styled("links", theme().heading),
        Span::styled(
            format!(
                "  ({} picks, {} opens)",
                app.keys.short(Ctx::Detail, Action::NextLink),
                app.keys.short(Ctx::Detail, Action::Open)
            ),
            theme().dim,
        ),
    ])];
    for (i, l) in doc.links.iter().enumerate() {
        let what = match l.kind {
            LinkKind::Author => "author",
            LinkKind::Parent => "parent",
            LinkKind::ParentMessage => "message",
            LinkKind::NamedBy | LinkKind::Annotation => "",
        };
        let key = text::cell(&l.key);
        let shown = match (&l.label, &l.rowid) {
            (_, None) if l.kind == LinkKind::ParentMessage => {
                Span::styled(format!("{key}  (not in messages)"), theme().warn)
            }
            (_, None) => Span::styled(format!("{key}  (not in documents)"), theme().warn),
            (Some(label), Some(_)) => Span::raw(format!("{}  ({key})", text::cell(label))),
            (None, Some(_)) => Span::raw(key),
        };
        let mark = if picked == Some(i) { "▸ " } else { "  " };
        let line = Line::from(vec![Span::raw(format!("{mark}{what:<7} ")), shown]);
        lines.push(if picked == Some(i) {
            line.patch_style(theme().selected)
        } else {
            line
        });
    }
    lines.push(Line::from(""));
    lines
}

/// What points at the document, below its links, numbered on from them
/// (`from`): the count of each kind, then the first ones, the picked one
/// marked.
fn backlink_lines(
    back: &Load<Backlinks>,
    from: usize,
    picked: Option<usize>,
) -> Vec<Line<'static>> {
    let heading = |more: &str| {
        Line::from(vec![
            Span::styled("backlinks", theme().heading),
            Span::styled(more.to_string(), theme().dim),
        ])
    };
    let b = match back {
        Load::Loading => return vec![heading(": counting…"), Line::from("")],
        Load::Failed(e) => {
            return vec![heading(&format!(": {}", text::cell(e))), Line::from("")];
        }
        Load::Loaded(b) | Load::Stale(b, _) => b,
    };
    let mut lines = vec![heading("")];
    let mut at = from;
    let mut kind = |lines: &mut Vec<Line<'static>>, said: String, n: &Named| {
        lines.push(Line::styled(format!("  {said}"), theme().bold));
        for l in &n.first {
            let label = l.label.as_deref().map(text::cell).unwrap_or_default();
            let line = Line::from(format!(
                "{}{label}  ({})",
                if picked == Some(at) { "▸   " } else { "    " },
                text::cell(&l.key)
            ));
            lines.push(if picked == Some(at) {
                line.patch_style(theme().selected)
            } else {
                line
            });
            at += 1;
        }
        let more = n.total.saturating_sub(n.first.len() as u64);
        if more > 0 {
            lines.push(Line::styled(format!("    and {} more", more), theme().dim));
        }
    };
    if let Some(n) = &b.named_by {
        kind(&mut lines, named_by(n), n);
    }
    let a = &b.annotations;
    let said = match a.total {
        0 => "no annotations".to_string(),
        1 => "1 annotation".to_string(),
        n => format!("{} annotations", n),
    };
    kind(&mut lines, said, a);
    lines.push(Line::from(""));
    lines
}

/// How many documents name a profile: "12 posts name this profile", or
/// by doc_type when they are of several.
fn named_by(n: &Named) -> String {
    let count = |k: u64, what: &str| match k {
        1 => format!("1 {what} names"),
        k => format!("{} {what}s name", k),
    };
    match n.by_type.as_slice() {
        [] => "no document names this profile".into(),
        [(t, k)] => format!("{} this profile", count(*k, &text::cell(t))),
        many => {
            let each: Vec<String> = many
                .iter()
                .map(|(t, k)| format!("{} {}", k, text::cell(t)))
                .collect();
            format!(
                "{} this profile ({})",
                count(n.total, "document"),
                each.join(", ")
            )
        }
    }
}

/// The storage class of a value that is not text, named as SQLite names it.
fn storage_class(c: &Cell) -> Option<&'static str> {
    match c {
        Cell::Integer(_) => Some("integer"),
        Cell::Real(_) => Some("real"),
        Cell::Blob { .. } => Some("blob"),
        Cell::Null | Cell::Text { .. } => None,
    }
}

/// One value as lines `width` wide: indented under its column's name,
/// the continuation of a wrapped line indented further.
pub(super) fn value_lines(c: &Cell, width: usize) -> Vec<Line<'static>> {
    cut_value_lines(c, width, DETAIL_CHARS)
}

/// As `value_lines`, for a value cut at `cut_at` characters.
fn cut_value_lines(c: &Cell, width: usize, cut_at: i64) -> Vec<Line<'static>> {
    let wrap = |lines: Vec<String>| -> Vec<Line<'static>> {
        lines
            .iter()
            .flat_map(|l| wrapped(l, width))
            .map(Line::from)
            .collect()
    };
    match c {
        Cell::Null => vec![Line::from(Span::styled("  ∅ NULL", theme().null))],
        Cell::Text {
            text: t,
            invalid,
            cut_from,
        } => {
            let mut out = wrap(json_lines(t).unwrap_or_else(|| text::lines(t)));
            if *invalid {
                out.push(Line::from(Span::styled(
                    "  (not valid UTF-8: shown lossily, � marks the bad bytes)",
                    theme().warn,
                )));
            }
            if let Some(n) = cut_from {
                out.push(Line::from(Span::styled(
                    format!(
                        "  (cut: the first {} of {} characters)",
                        text::count(cut_at as u64),
                        text::count(*n as u64)
                    ),
                    theme().warn,
                )));
            }
            out
        }
        other => wrap(vec![text::cell(&other.summary())]),
    }
}

/// A line indented by two under its heading, wrapped to `width`; each
/// continuation is indented two more than the line's own indentation.
fn wrapped(line: &str, width: usize) -> Vec<String> {
    if line.is_empty() {
        return vec![String::new()];
    }
    let own = line.len() - line.trim_start_matches(' ').len();
    let more = " ".repeat(own + 4);
    let opts = textwrap::Options::new(width.max(8))
        .initial_indent("  ")
        .subsequent_indent(&more)
        .break_words(true);
    textwrap::wrap(line, opts)
        .into_iter()
        .map(|c| c.into_owned())
        .collect()
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
