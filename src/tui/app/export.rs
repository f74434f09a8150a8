//! `e`: the grid's rows to a file. The path is shown and editable first;
//! the export runs on a thread of its own with a gauge; Esc stops it and
//! the partial file is removed.

use super::{App, Effect, ExportDialog, ExportPhase, Overlay, QueryResult};
use crate::store::cancel::Canceller;
use crate::store::read::export::{DocSelection, Format, Source};
use crate::tui::keys::Action;
use crate::tui::tab::Tab;
use crate::tui::worker::{Job, Reply};
use tui_input::{Input, InputRequest};

impl App {
    /// The documents the Documents tab lists, in its order, every column.
    pub(super) fn doc_selection(&self) -> DocSelection {
        let q = &self.docs.query;
        DocSelection {
            types: q.doc_type.0.clone(),
            statuses: q.status.0.clone(),
            search: q.search.clone(),
            rowids: q.rowids.clone(),
            value: q.value.clone(),
            sort: q.sort.clone(),
            desc: q.desc,
            columns: None,
        }
    }

    pub(super) fn open_export(&mut self) {
        let (what, source, stem) = match (self.tab, &self.tables.browse) {
            (Tab::Query, _) => {
                let Some(r) = self.query.result.as_ref() else {
                    return;
                };
                let what = match r.total() {
                    Some(n) => {
                        format!("the {} rows of the statement", crate::tui::text::grouped(n))
                    }
                    None => "the rows of the statement".into(),
                };
                (what, Source::Query(r.sql.clone()), "query".to_string())
            }
            (Tab::Tables, Some(b)) => (
                format!("table {}", crate::text::cell(&b.table)),
                Source::Table(b.table.clone()),
                b.table.clone(),
            ),
            _ => {
                let q = &self.docs.query;
                let live = self
                    .store
                    .inspection
                    .loaded()
                    .and_then(|i| i.live("documents"));
                let columns: Vec<String> = q
                    .grid_columns()
                    .into_iter()
                    .filter(|c| live.is_none_or(|l| l.column(c).is_some()))
                    .collect();
                let sel = DocSelection {
                    columns: Some(columns),
                    ..self.doc_selection()
                };
                let n = self.docs.count.loaded().copied();
                let what = match n {
                    Some(n) => format!("{} documents as listed", crate::tui::text::grouped(n)),
                    None => "the documents as listed".into(),
                };
                (
                    what,
                    Source::Documents(Box::new(sel)),
                    "documents".to_string(),
                )
            }
        };
        let name: String = stem
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.overlay = Some(Overlay::Export(ExportDialog {
            what,
            source,
            input: Input::new(crate::store::read::export::free_name(
                std::path::Path::new("."),
                &name,
                "csv",
            )),
            phase: ExportPhase::Naming,
        }));
    }

    pub(super) fn update_export(&mut self, action: Action) {
        let total = match self.tab {
            Tab::Query => self.query.result.as_ref().and_then(QueryResult::total),
            _ => self.docs.count.loaded().copied(),
        };
        if let Some(Overlay::Export(d)) = &mut self.overlay {
            let effect = d.update(action, total);
            self.apply(effect);
        }
    }

    pub(super) fn on_export_reply(&mut self, reply: Reply) {
        let Some(Overlay::Export(d)) = &mut self.overlay else {
            return;
        };
        match reply {
            Reply::ExportProgress { rows: n, total: t } => {
                if let ExportPhase::Running { rows, total, .. } = &mut d.phase {
                    *rows = n;
                    *total = total.or(t);
                }
            }
            Reply::Exported(result) => {
                let stopped = matches!(&d.phase, ExportPhase::Running { cancel, .. } if cancel.is_cancelled());
                match result {
                    Ok((n, path)) => {
                        self.overlay = None;
                        self.say(format!(
                            "exported {} rows to {}",
                            crate::tui::text::grouped(n),
                            crate::text::cell(&path.to_string_lossy())
                        ))
                    }
                    Err(e) if stopped => {
                        self.overlay = None;
                        self.say(format!("export: {e}"))
                    }
                    // The dialog stays, the name typed in it, to be mended.
                    Err(e) => {
                        d.phase = ExportPhase::Naming;
                        self.say(format!("export: {e}"))
                    }
                }
            }
            _ => {}
        }
    }
}

impl ExportDialog {
    /// The name is edited; Enter starts the export (`total`: the rows it
    /// will write, when known), Esc closes or stops it.
    pub(crate) fn update(&mut self, action: Action, total: Option<u64>) -> Effect {
        match (&self.phase, action) {
            (ExportPhase::Running { cancel, .. }, Action::Cancel | Action::Quit) => {
                cancel.cancel();
                Effect::Say("stopping the export".into())
            }
            (ExportPhase::Running { .. }, _) => Effect::Done,
            (ExportPhase::Naming, Action::Cancel) => Effect::Close,
            (ExportPhase::Naming, Action::Submit) => self.start(total),
            (ExportPhase::Naming, Action::Type(c)) => {
                self.input.handle(InputRequest::InsertChar(c));
                Effect::Done
            }
            (ExportPhase::Naming, Action::Edit(e)) => {
                self.input.handle(super::docs::edit_request(e));
                Effect::Done
            }
            (ExportPhase::Naming, _) => Effect::Done,
        }
    }

    fn start(&mut self, total: Option<u64>) -> Effect {
        let path = std::path::PathBuf::from(self.input.value().trim());
        let format = match Format::for_file(&path) {
            Ok(f) => f,
            Err(e) => return Effect::Say(e.to_string()),
        };
        let cancel = Canceller::new();
        let total = match self.source {
            Source::Documents(_) | Source::Query(_) => total,
            Source::Table(_) => None,
        };
        self.phase = ExportPhase::Running {
            rows: 0,
            total,
            cancel: cancel.clone(),
        };
        Effect::Start(Box::new(Job::Export {
            source: self.source.clone(),
            path,
            format,
            cancel,
        }))
    }
}
