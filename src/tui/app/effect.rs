//! What a feature's own update asks of the app. A feature changes only its
//! own state; what reaches beyond it (closing its overlay, a message, a
//! read, a filter on another view) it returns as an `Effect`, and
//! `App::apply` carries it out.

use super::state::Clip;
use crate::store::read::filters::ValueFilter;
use crate::store::read::query::session::Cmd;
use crate::store::read::tasks::TaskAnchor;
use crate::tui::keys::Action;
use crate::tui::tab::Tab;
use crate::tui::worker::Job;

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
    /// The tasks list reads the page at this anchor.
    Tasks(TaskAnchor),
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
    /// This goes on the clipboard.
    Copy(Clip),
    /// The export of the grid on screen opens.
    OpenExport,
    /// The frequencies of the grid's current column open.
    OpenFrequencies,
}
