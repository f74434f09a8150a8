//! `f`: the values of the grid's current column by frequency, counted by
//! SQL on a thread of its own; Enter on a value filters the grid by it.

use super::{App, Effect, FreqView, Load, Overlay, cursor};
use crate::store::cancel::Canceller;
use crate::store::read::filters::{DocFilter, Picked, Rows, ValueFilter};
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
        let page = self.top_page();
        if let Some(Overlay::Frequencies(v)) = &mut self.overlay {
            let effect = v.update(action, page);
            self.apply(effect);
        }
    }

    /// Enter on a value: the grid it was asked from shows only its rows.
    pub(super) fn filter_by_value(&mut self, from: Tab, filter: ValueFilter) {
        match from {
            Tab::Documents => {
                let q = &mut self.docs.query;
                match filter.doc_filter() {
                    DocFilter::Type(t) => q.doc_type = Picked::one(&t),
                    DocFilter::Status(s) => q.status = Picked::one(&s),
                    DocFilter::Value(v) => q.value = Some(v),
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
            // The other tabs have no grid to filter.
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
        let effect = self.query.run_sql(sql);
        self.apply(effect);
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

impl FreqView {
    /// Moves over the values; Enter asks to filter by the value picked;
    /// Esc stops a count still running and closes.
    pub(crate) fn update(&mut self, action: Action, page: usize) -> Effect {
        let n = self.result.loaded().map_or(0, |f| f.top.len());
        if let Some(to) = cursor::step(action, self.selected, n, page) {
            self.selected = to;
            return Effect::Done;
        }
        match action {
            Action::Cancel | Action::Quit => {
                self.cancel.cancel();
                Effect::Close
            }
            Action::Open => self.picked(),
            _ => Effect::Done,
        }
    }

    fn picked(&self) -> Effect {
        let Some(f) = self.result.loaded() else {
            return Effect::Done;
        };
        let Some(value) = f.top.get(self.selected).map(|x| x.value.clone()) else {
            return Effect::Done;
        };
        if ValueFilter::exact(&value).is_none() {
            return Effect::Say(
                "this value is cut or not UTF-8 here, so it cannot select rows exactly".into(),
            );
        }
        let filter = ValueFilter {
            column: self.column.clone(),
            value,
            element: f.elements,
        };
        Effect::Filter(self.from, filter)
    }
}
