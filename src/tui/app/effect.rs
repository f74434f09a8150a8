//! What a feature's own update asks of the app. A feature changes only its
//! own state; what reaches beyond it (closing its overlay, a message, a
//! read, a filter on another view) it returns as an `Effect`, and
//! `App::apply` carries it out.

use super::state::{Clip, Requests};
use crate::store::duckdb::snapshot::Snapshot;
use crate::store::read::filters::ValueFilter;
use crate::store::read::query::session::Cmd;
use crate::store::read::tasks::{TaskAnchor, TaskSelection};
use crate::tui::keys::Action;
use crate::tui::tab::Tab;
use crate::tui::worker::Job;
use std::path::PathBuf;

/// What a feature's update may use beyond its own state: the page and
/// width the last frame drew, and the queue its reads go out by.
pub(crate) struct Cx<'a> {
    pub page: usize,
    pub width: u16,
    pub requests: &'a mut Requests,
}

impl<'a> Cx<'a> {
    pub(crate) fn new(page: usize, width: u16, requests: &'a mut Requests) -> Cx<'a> {
        Cx {
            page,
            width,
            requests,
        }
    }
}

#[derive(Debug)]
pub(crate) enum Effect {
    /// Nothing beyond the feature's own state.
    Done,
    /// The overlay the feature is closes.
    Close,
    /// It closes, saying why in the status line.
    Closed(String),
    /// It closes, and the action goes to the screen under it.
    Pass(Action),
    /// It closes, and Documents lists just these rows.
    ListRows(Vec<i64>),
    /// A message for the status line.
    Say(String),
    /// The app quits.
    Quit,
    /// Documents shows these columns, in this order.
    Columns(Vec<String>),
    /// The grid of this tab shows only the rows with this value.
    Filter(Tab, ValueFilter),
    /// The tasks list opens on these tasks, under this title.
    OpenTasks(TaskSelection, String),
    /// The first snapshot of upstream's store is taken: the app opens it,
    /// and a keeper watches its source (new snapshots go to the folder).
    Snapshot(Box<Snapshot>, PathBuf),
    /// The tasks list reads the page at this anchor.
    Tasks(TaskAnchor),
    /// The change dialog opens while this change is previewed.
    Preview(String, crate::tui::worker::ChangeAsk),
    /// The export of the grid on screen opens.
    OpenExport,
    /// The frequencies of the grid's current column open.
    OpenFrequencies,
    /// The document with this rowid opens in the detail.
    OpenDocument(crate::store::read::documents::RowKey),
    /// The window `[`/`]` asked for came: the detail follows the list.
    FollowList,
    /// The column chooser opens.
    OpenChooser,
    /// The picker of this column's values opens (`doc_type`, `status`).
    OpenPicker(&'static str),
    /// Documents keeps the rows whose column has one of these values.
    Pick(&'static str, crate::store::read::filters::Picked),
    /// The document's detail closes: back to the list.
    CloseDetail,
    /// The previous (Up) or next (Down) document of the list opens.
    StepDocument(Action),
    /// The data checks running stop.
    StopChecks,
    /// `x` on the picked finding.
    FixFinding,
    /// A document's `message` parent opens: that row of `messages`.
    OpenMessage {
        key: String,
        row: crate::store::read::documents::RowKey,
    },
    /// `E` on the grid's current cell.
    EditCell,
    /// `D` on the grid's current row.
    DeleteRow,
    /// Long work starts (a plan, an export): what the status line said is
    /// not about it.
    Start(Box<Job>),
    /// The Query tab's statement runs (`remember`: it is new to the
    /// history file).
    RunSql { sql: String, remember: bool },
    /// The Query tab's session reads this window, or the end, under a new
    /// ticket.
    AskQuery(Cmd),
    /// What runs for the Query tab's statement stops.
    StopQuery,
    /// The plan of this statement is read.
    Explain(String),
    /// This statement goes to `$VISUAL`/`$EDITOR` (the event loop hands
    /// the terminal over and back).
    EditOutside(String),
    /// This goes on the clipboard.
    Copy(Clip),
}
