//! Where the user is, said once: the view on screen, the input context and
//! the state that changes what keys mean (a plan running, a finding
//! picked). The app computes one `Mode` per key or frame; the key contexts,
//! dispatch and the status-line hints are all derived from it.

use super::keys::Ctx;
use strum::EnumIter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter)]
pub enum Mode {
    /// The terminal is too small for the layout: only quitting works.
    TooSmall,
    /// A plan or a change's preview shown, waiting for a yes or no.
    PlanConfirm,
    /// A plan or a change running.
    PlanRunning,
    /// A plan that cannot run, blocked by rows it names.
    PlanBlocked,
    /// A plan or change dialog whose work has ended (done, failed,
    /// blocked, loading).
    PlanEnded,
    /// The `?` list of keys.
    Help,
    /// The message log.
    Messages,
    /// The column chooser.
    Chooser,
    /// A filter picker: typing narrows it.
    Picker,
    /// A column's values by frequency.
    Frequencies,
    /// A list of tasks over the Overview.
    Tasks,
    /// The export's file name prompt.
    ExportNaming,
    /// `E`'s line editor on one cell.
    CellEdit,
    /// An export running.
    Exporting,
    /// Typing a search in Documents.
    Search,
    /// Typing in the Query tab's SQL line.
    Sql,
    /// A document's detail.
    Detail,
    /// The Documents grid.
    Documents,
    /// A table browsed read-only.
    Browse,
    /// A row of a browsed table or a query's result, a column a line.
    Record,
    /// The list of tables.
    Tables,
    /// The Overview with a data finding picked.
    Finding,
    Overview,
    Schema,
    /// The Query tab's result grid.
    QueryResult,
}

impl Mode {
    /// The key contexts in force, most specific first: a key means what the
    /// first context that binds it says.
    pub(crate) fn contexts(self) -> &'static [Ctx] {
        use Ctx::*;
        match self {
            Mode::TooSmall => &[TooSmall],
            Mode::PlanConfirm => &[Confirm, Scroll],
            Mode::PlanRunning => &[Running, Scroll],
            Mode::PlanBlocked => &[Blocked, Ended, Scroll, Global],
            Mode::PlanEnded => &[Ended, Scroll, Global],
            Mode::Help => &[Help, Scroll],
            Mode::Messages => &[Messages, Scroll],
            Mode::Chooser => &[Chooser],
            Mode::Picker => &[Picker, Input],
            Mode::Frequencies => &[Frequencies, Scroll],
            Mode::Tasks => &[Tasks, Scroll],
            Mode::ExportNaming => &[ExportPath, Input],
            Mode::CellEdit => &[CellEdit, Input],
            Mode::Exporting => &[Exporting],
            Mode::Search => &[Search, Input],
            Mode::Sql => &[Sql, Input],
            Mode::Detail => &[Detail, Scroll, Global],
            Mode::Documents => &[Documents, Grid, Scroll, Global],
            Mode::Browse => &[Browse, Grid, Scroll, Global],
            Mode::Record => &[Record, Scroll, Global],
            Mode::Tables => &[Tables, Scroll, Global],
            Mode::Finding => &[Finding, Scroll, Global],
            Mode::Overview => &[Overview, Scroll, Global],
            Mode::Schema => &[Schema, Scroll, Global],
            Mode::QueryResult => &[QueryGrid, Grid, Scroll, Global],
        }
    }

    /// The contexts in which no key may mean two things. A finished
    /// dialog's keys shadow the global ones on purpose (they close it, and
    /// the keys of the screen under it close it and act), so that pair is
    /// left out.
    pub(crate) fn unambiguous(self) -> &'static [Ctx] {
        match self {
            Mode::PlanEnded => &[Ctx::Ended, Ctx::Scroll],
            // Enter lists the rows there, and closes elsewhere.
            Mode::PlanBlocked => &[Ctx::Blocked, Ctx::Scroll],
            // The SQL editor's own keys come first on purpose: Ctrl-E
            // edits outside there, and ends the line in the other prompts.
            Mode::Sql => &[Ctx::Sql],
            other => other.contexts(),
        }
    }
}
