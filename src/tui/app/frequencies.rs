//! `f`: the values of the grid's current column by frequency, counted by
//! SQL on a thread of its own; Enter on a value filters the grid by it.

use super::{App, FreqView, Load, Overlay, cursor};
use crate::store::cancel::Canceller;
use crate::store::read::filters::{Rows, ValueFilter};
use crate::store::read::frequencies::FreqSource;
use crate::tui::keys::Action;
use crate::tui::tab::Tab;
use crate::tui::worker::{Job, Reply};

impl App {
    /// Asks for the frequencies of the column under the grid's cursor.
    pub(super) fn open_frequencies(&mut self) {
        let Some((source, column)) = self.freq_source() else {
            return;
        };
        let ticket = self.requests.ticket();
        let cancel = Canceller::new();
        self.overlay = Some(Overlay::Frequencies(FreqView {
            column: column.clone(),
            from: self.tab,
            ticket,
            result: Load::Loading,
            groups: 0,
            selected: 0,
            cancel: cancel.clone(),
        }));
        self.requests.outbox.push(Job::Frequencies {
            ticket,
            source,
            column,
            cancel,
        });
    }

    /// What the grid on screen reads, and its current column.
    fn freq_source(&self) -> Option<(FreqSource, String)> {
        match self.tab {
            Tab::Documents => {
                let col = self.docs.grid.current()?.to_string();
                Some((FreqSource::Documents(self.doc_selection()), col))
            }
            Tab::Tables => {
                let b = self.tables.browse.as_ref()?;
                Some((
                    FreqSource::Table(b.table.clone()),
                    b.grid.current()?.to_string(),
                ))
            }
            Tab::Query => {
                let r = self.query.result.as_ref()?;
                let source = FreqSource::Query {
                    sql: r.sql.clone(),
                    index: r.grid.col,
                    width: r.names.len(),
                };
                Some((source, r.grid.current()?.to_string()))
            }
            _ => None,
        }
    }

    pub(super) fn update_frequencies(&mut self, action: Action) {
        let page = self.page();
        let Some(Overlay::Frequencies(v)) = &mut self.overlay else {
            return;
        };
        let n = v.result.loaded().map_or(0, |f| f.top.len());
        if let Some(to) = cursor::step(action, v.selected, n, page) {
            v.selected = to;
            return;
        }
        match action {
            Action::Cancel | Action::Quit => {
                v.cancel.cancel();
                self.overlay = None;
            }
            Action::Open => self.filter_by_frequency(),
            _ => {}
        }
    }

    /// Enter: the grid shows only the rows with the value picked.
    fn filter_by_frequency(&mut self) {
        let Some(Overlay::Frequencies(v)) = &self.overlay else {
            return;
        };
        let Some(picked) = v
            .result
            .loaded()
            .and_then(|f| f.top.get(v.selected))
            .map(|x| x.value.clone())
        else {
            return;
        };
        let element = v.result.loaded().is_some_and(|f| f.elements);
        let filter = ValueFilter {
            column: v.column.clone(),
            value: picked,
            element,
        };
        if ValueFilter::exact(&filter.value).is_none() {
            return self
                .say("this value is cut or not UTF-8 here, so it cannot select rows exactly");
        }
        let from = v.from;
        self.overlay = None;
        match from {
            Tab::Documents => {
                let q = &mut self.docs.query;
                let text = match &filter.value {
                    crate::store::cell::Cell::Text { text, .. } => Some(text.clone()),
                    _ => None,
                };
                // doc_type and status filter as `t` and `s` do.
                match (filter.column.as_str(), text) {
                    ("doc_type", Some(t)) => q.doc_type = Some(t),
                    ("status", Some(t)) => q.status = Some(t),
                    _ => q.value = Some(filter),
                }
                self.requery();
            }
            Tab::Tables => {
                let Some(table) = self.tables.browse.as_ref().map(|b| b.table.clone()) else {
                    return;
                };
                self.filter_as_sql(filter.statement(Rows::Table(&table)));
            }
            Tab::Query => {
                let Some(sql) = self.query.result.as_ref().map(|r| r.sql.clone()) else {
                    return;
                };
                self.filter_as_sql(filter.statement(Rows::Query(&sql)));
            }
            _ => {}
        }
    }

    /// A table or a statement is filtered by a statement on the SQL line,
    /// which the user sees and may change.
    fn filter_as_sql(&mut self, sql: Option<String>) {
        let Some(sql) = sql else {
            return self.say("this value cannot be written in SQL");
        };
        self.go(Tab::Query);
        self.query.input = tui_input::Input::new(sql);
        self.query.editing = true;
        self.update_query(Action::Submit);
    }

    pub(super) fn on_frequencies(&mut self, reply: Reply) {
        let Some(Overlay::Frequencies(v)) = &mut self.overlay else {
            return;
        };
        match reply {
            Reply::FreqProgress { ticket, groups } if ticket == v.ticket => v.groups = groups,
            Reply::Frequencies { ticket, result } if ticket == v.ticket => {
                v.result = match result {
                    Ok(f) => Load::Loaded(f),
                    Err(e) => Load::Failed(e),
                };
            }
            _ => {}
        }
    }
}
