//! The Documents tab: windows of rows, the detail view, filters, sort, search.

use super::*;

impl App {
    pub(super) fn request_window(&mut self, anchor: Anchor, select: Select) {
        let ticket = self.next_ticket();
        self.docs.ticket = ticket;
        self.docs.select_after = select;
        let height = self.page.get().max(1);
        self.docs.asked_height = height;
        self.docs.searching = None;
        // A query still running for an older ticket is stopped.
        self.latest_window.store(ticket, Ordering::Relaxed);
        self.send(Request::Window {
            ticket,
            query: self.docs.query.clone(),
            counts: self.charts.loaded().cloned(),
            anchor,
            height,
        });
    }

    pub(super) fn update_docs(&mut self, action: Action) {
        if let Some(d) = self.detail.as_mut() {
            let page = self.page.get().max(1) as u16;
            match action {
                Action::Back => self.detail = None,
                Action::Down => d.scroll = d.scroll.saturating_add(1),
                Action::Up => d.scroll = d.scroll.saturating_sub(1),
                Action::PageDown => d.scroll = d.scroll.saturating_add(page),
                Action::PageUp => d.scroll = d.scroll.saturating_sub(page),
                Action::Top => d.scroll = 0,
                _ => {}
            }
            return;
        }
        let rows: &[DocRow] = self.docs.rows.loaded().map(Vec::as_slice).unwrap_or(&[]);
        let h = self.page.get().max(1);
        let sel = self.docs.selected.min(rows.len().saturating_sub(1));
        match action {
            Action::Down if sel + 1 < rows.len() => self.docs.selected = sel + 1,
            Action::Down if rows.len() >= h && rows.len() > 1 => {
                let key = rows[1].key.clone();
                self.request_window(
                    Anchor::From {
                        key,
                        inclusive: true,
                    },
                    Select::Last,
                );
            }
            Action::Up if sel > 0 => self.docs.selected = sel - 1,
            Action::Up => {
                if let Some(first) = rows.first() {
                    let key = first.key.clone();
                    self.request_window(Anchor::Before { key, n: 1 }, Select::First);
                }
            }
            Action::PageDown => {
                if let Some(last) = rows.last() {
                    let key = last.key.clone();
                    self.request_window(
                        Anchor::From {
                            key,
                            inclusive: false,
                        },
                        Select::Keep,
                    );
                }
            }
            Action::PageUp => {
                if let Some(first) = rows.first() {
                    let key = first.key.clone();
                    self.request_window(Anchor::Before { key, n: h }, Select::Keep);
                }
            }
            Action::Top => self.request_window(Anchor::Start, Select::First),
            Action::Bottom => self.request_window(Anchor::End, Select::Last),
            Action::Open => {
                if let Some(row) = rows.get(sel) {
                    let rowid = row.key.rowid;
                    let ticket = self.next_ticket();
                    self.detail = Some(DetailState {
                        rowid,
                        doc: Load::Loading,
                        scroll: 0,
                        ticket,
                    });
                    self.send(Request::Document { ticket, rowid });
                }
            }
            Action::FilterType => {
                let values: Vec<String> = Spec::v3().doc_types.clone();
                self.docs.query.doc_type = cycle(&values, self.docs.query.doc_type.take());
                self.requery();
            }
            Action::FilterStatus => {
                let mut values: Vec<String> = self
                    .charts
                    .loaded()
                    .map(|c| c.by_status.iter().map(|s| s.0.clone()).collect())
                    .unwrap_or_default();
                if values.is_empty() {
                    values = ["draft", "published", "archived"]
                        .map(String::from)
                        .to_vec();
                }
                values.sort();
                self.docs.query.status = cycle(&values, self.docs.query.status.take());
                self.requery();
            }
            Action::Sort => {
                self.docs.query.sort = self.docs.query.sort.next();
                self.requery();
            }
            Action::Search => {
                self.docs.input = Some(self.docs.query.search.clone().unwrap_or_default())
            }
            Action::Back => {
                let cleared = Query {
                    sort: self.docs.query.sort,
                    ..Query::default()
                };
                if self.docs.query != cleared {
                    self.docs.query = cleared;
                    self.requery();
                }
            }
            _ => {}
        }
    }

    pub(super) fn requery(&mut self) {
        self.docs.rows = Load::Loading;
        self.request_window(Anchor::Start, Select::First);
    }

    /// Typing in the search prompt.
    pub fn search_input(&mut self, key: crossterm::event::KeyEvent) {
        use crossterm::event::{KeyCode, KeyModifiers};
        let Some(text) = self.docs.input.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Enter => {
                let t = text.trim().to_string();
                self.docs.input = None;
                self.docs.query.search = (!t.is_empty()).then_some(t);
                self.requery();
            }
            KeyCode::Esc => self.docs.input = None,
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.docs.input = None
            }
            KeyCode::Char(c) if !c.is_control() && text.chars().count() < 200 => text.push(c),
            _ => {}
        }
    }
}

/// The next value after `current` in `values`, then none (all), then the first.
fn cycle(values: &[String], current: Option<String>) -> Option<String> {
    match current {
        None => values.first().cloned(),
        Some(c) => values
            .iter()
            .position(|v| *v == c)
            .and_then(|i| values.get(i + 1))
            .cloned(),
    }
}
