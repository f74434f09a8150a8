//! The state of the small dialogs and of the last frame: plain data the
//! app keeps, filled by its features.

use super::load::Load;
use crate::store::cancel::Canceller;
use crate::store::read::export::Source;
use crate::store::read::frequencies::Frequencies;
use crate::store::read::tasks::{Task, TaskAnchor, TaskSelection};
use crate::tui::tab::Tab;

/// The column chooser: every column of `documents`, ticked when shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Chooser {
    pub items: Vec<(String, bool)>,
    pub selected: usize,
}

/// What the event loop puts on the clipboard, and how the status line
/// names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    pub bytes: Vec<u8>,
    pub what: String,
}

#[derive(Debug)]
pub enum ExportPhase {
    Naming,
    Running {
        /// Rows written so far, and in all when known.
        rows: u64,
        total: Option<u64>,
        cancel: Canceller,
    },
}

#[derive(Debug)]
pub struct ExportDialog {
    /// What is exported, as the dialog names it.
    pub what: String,
    pub source: Source,
    pub input: tui_input::Input,
    pub phase: ExportPhase,
}

/// `f`: a column's values by frequency, over the grid it was asked from.
#[derive(Debug)]
pub struct FreqView {
    pub column: String,
    /// The grid it was asked from (its tab).
    pub from: Tab,
    pub ticket: u64,
    pub result: Load<Frequencies>,
    /// Groups read so far while it counts.
    pub groups: u64,
    pub selected: usize,
    pub cancel: Canceller,
}

/// Where the last frame drew what a click can pick.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Drawn {
    /// The last scroll position of the scrolled page on top (0 for lists).
    pub scroll_end: u16,
    /// Each tab's title: its first and last column on the top line.
    pub tabs: Vec<(u16, u16, Tab)>,
    /// The rows of the list on screen, one line each.
    pub rows: Option<ratatui::layout::Rect>,
    /// How many rows the list of a popup over it has room for.
    pub popup_rows: Option<usize>,
    /// The Overview drew from this line to show the finding just picked.
    pub scrolled_to: Option<u16>,
}

/// A list of tasks, newest first, a page at a time.
#[derive(Debug)]
pub struct TasksView {
    pub title: String,
    pub selection: TaskSelection,
    pub page: Load<Vec<Task>>,
    /// Where the page was read from, and how many newer tasks come before it.
    pub anchor: TaskAnchor,
    pub before: u64,
    pub scroll: u16,
    pub ticket: u64,
}
