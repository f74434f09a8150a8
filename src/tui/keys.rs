//! The one key table: it drives dispatch, the status-line hints and the `?`
//! overlay (through `keymap::Keymap`, which also applies the user's own
//! keys), and their labels are written from the bound keys, so the three
//! cannot drift apart.

use super::tab::Tab;
use crossterm::event::{KeyCode, KeyModifiers};
use strum::EnumIter;

/// What the user means; keys map to these and only `App::update` acts on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter)]
pub enum Action {
    /// Leave the app.
    Quit,
    /// Show the list of keys.
    Help,
    /// Show this run's messages, whole, newest first.
    Messages,
    /// Next tab.
    NextTab,
    /// Previous tab.
    PrevTab,
    /// Go to a tab.
    GoTab(Tab),
    /// Read the store again.
    Refresh,
    /// Open the init plan.
    Init,
    /// Open the fold-legacy plan.
    FoldLegacy,
    /// Scan the rows for bad values (the data checks).
    DataChecks,
    /// Move up one line.
    Up,
    /// Move down one line.
    Down,
    /// Move up one page.
    PageUp,
    /// Move down one page.
    PageDown,
    /// Jump to the start.
    Top,
    /// Jump to the end.
    Bottom,
    /// Open the selected document or table.
    Open,
    /// Close the current view or clear the search.
    Back,
    /// Pick the doc_types to keep.
    FilterType,
    /// Pick the statuses to keep.
    FilterStatus,
    /// Sort by the column under the cursor, any column (again: back to
    /// inserted order).
    Sort,
    /// Reverse the sort: newest (or last) first.
    SortReverse,
    /// The column cursor one column left.
    ColumnLeft,
    /// The column cursor one column right.
    ColumnRight,
    /// Make the current column narrower.
    Narrow,
    /// Make the current column wider.
    Widen,
    /// Choose the columns shown.
    Columns,
    /// Copy the current cell (a document: its id).
    Copy,
    /// Copy the row or document as a JSON object.
    CopyRow,
    /// Export what the grid shows to a file.
    Export,
    /// Down half a page.
    HalfPageDown,
    /// Up half a page.
    HalfPageUp,
    /// The previous document of the list.
    PrevDocument,
    /// The next document of the list.
    NextDocument,
    /// The next data-check finding.
    NextFinding,
    /// The previous data-check finding.
    PrevFinding,
    /// The next link of a document (an author, the parent).
    NextLink,
    /// The previous link of a document.
    PrevLink,
    /// The next page of a list, older.
    Older,
    /// The previous page of a list, newer.
    Newer,
    /// Show or hide a column in the chooser.
    Toggle,
    /// Type a search.
    Search,
    /// Type SQL: the Query tab's statement line.
    Sql,
    /// The previous statement run (the SQL line's history).
    HistoryPrev,
    /// The next statement run.
    HistoryNext,
    /// A new line in the SQL editor.
    NewLine,
    /// Complete the word before the cursor (table, column, keyword).
    Complete,
    /// `EXPLAIN QUERY PLAN` of the statement, as a tree.
    ExplainPlan,
    /// Edit the statement in `$VISUAL`/`$EDITOR`.
    EditOutside,
    /// The values of the column under the cursor, most frequent first.
    Frequencies,
    /// Edit the current cell (a change, previewed first).
    EditCell,
    /// Delete the current row (a change, previewed first).
    DeleteRow,
    /// Fix what the picked finding's rule repairs (previewed first).
    FixFinding,
    /// Take the last change of this run back (previewed first).
    Undo,
    /// The line editor's value becomes NULL.
    SetNull,
    /// Run the plan in the dialog.
    Confirm,
    /// Close the dialog or the prompt without running; cancel a running plan.
    Cancel,
    /// Use what was typed in the prompt.
    Submit,
    /// Change the text or move its cursor in the prompt.
    Edit(Edit),
    /// A character typed in the prompt (not bound: whatever key no binding
    /// of the prompt claims).
    Type(char),
}

/// The line editor's moves and deletions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, EnumIter)]
pub enum Edit {
    #[default]
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    Backspace,
    Delete,
    DeleteWord,
    DeleteToStart,
    DeleteToEnd,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter)]
pub(crate) enum Ctx {
    Global,
    Scroll,
    Documents,
    /// A text prompt (the search, the SQL line, a file name): keys no
    /// binding claims are typed.
    Input,
    /// The search prompt.
    Search,
    /// The Query tab's SQL line.
    Sql,
    /// The Query tab's result.
    QueryGrid,
    /// The values of a column by frequency.
    Frequencies,
    /// The `?` overlay: keys no binding claims close it.
    Help,
    /// The message log.
    Messages,
    Detail,
    Tables,
    Browse,
    /// A grid of rows (Documents, a browsed table): its columns and values.
    Grid,
    /// The Overview: its findings, its tasks.
    Overview,
    /// The Overview with a data finding picked.
    Finding,
    /// The Schema tab: its two panes.
    Schema,
    /// A list of tasks.
    Tasks,
    /// The column chooser.
    Chooser,
    /// A filter picker (what is typed narrows it, as in `Input`).
    Picker,
    /// The export's file name prompt (its text edited as in `Input`).
    ExportPath,
    /// A row of a browsed table or a query's result, a column a line.
    Record,
    /// The line editor of `E` (its text edited as in `Input`).
    CellEdit,
    /// An export running.
    Exporting,
    /// A plan shown, waiting for a yes or no.
    Confirm,
    /// A plan running.
    Running,
    /// A plan blocked by rows (a NULL or repeated id): Enter lists them.
    Blocked,
    /// A plan dialog whose work has ended (done, failed, blocked, loading):
    /// it closes, and the keys of the screen under it close it and act.
    Ended,
    /// The terminal is too small to draw the app: only quitting works.
    TooSmall,
}

impl Ctx {
    pub(crate) fn title(self) -> &'static str {
        match self {
            Ctx::Global => "Everywhere",
            Ctx::Scroll => "Lists and pages",
            Ctx::Documents => "Documents",
            Ctx::Input => "Typing",
            Ctx::Search => "Typing a search",
            Ctx::Sql => "Typing SQL",
            Ctx::QueryGrid => "A query's result",
            Ctx::Frequencies => "Values by frequency",
            Ctx::Help => "This list",
            Ctx::Messages => "The message log",
            Ctx::Detail => "A document",
            Ctx::Tables => "Tables",
            Ctx::Browse => "Browsing a table",
            Ctx::Grid => "Documents, browsed tables, query results",
            Ctx::Overview => "Overview",
            Ctx::Finding => "A data finding picked",
            Ctx::Schema => "Schema",
            Ctx::Tasks => "Tasks",
            Ctx::Chooser => "Choosing columns",
            Ctx::Picker => "Picking filter values (typing narrows)",
            Ctx::ExportPath => "Naming an export",
            Ctx::Record => "A row, a column a line",
            Ctx::CellEdit => "Editing a cell",
            Ctx::Exporting => "An export running",
            Ctx::Confirm => "Plan dialog",
            Ctx::Running => "A plan running",
            Ctx::Blocked => "A plan blocked by rows",
            Ctx::Ended => "A plan finished",
            Ctx::TooSmall => "Terminal too small",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct K(pub KeyCode, pub KeyModifiers);

const fn k(c: char) -> K {
    K(KeyCode::Char(c), KeyModifiers::NONE)
}
const fn ctrl(c: char) -> K {
    K(KeyCode::Char(c), KeyModifiers::CONTROL)
}
const fn code(c: KeyCode) -> K {
    K(c, KeyModifiers::NONE)
}

impl K {
    /// How the key is written in hints and help.
    pub(crate) fn label(self) -> String {
        let name = match self.0 {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Delete => "Del".into(),
            other => other.to_string(),
        };
        if self.1.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{name}")
        } else if self.1.contains(KeyModifiers::ALT) {
            format!("Alt-{name}")
        } else {
            name
        }
    }
}

/// When a binding does something, beside the binding in `KEYS`: its hint
/// is shown only then. The app answers each (see `App::holds`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter)]
pub enum When {
    Always,
    /// The store is writable and its state is one init changes.
    InitMayRun,
    /// The store is writable and legacy tables are left.
    FoldMayRun,
    /// The data checks found something.
    DataFindings,
    /// Some tasks failed (with no finding picked).
    FailedTasks,
    /// The tasks list has a newer page.
    NewerTasks,
    /// The tasks list has an older page.
    OlderTasks,
    /// A link of the document is picked.
    LinkPicked,
    /// The document has links.
    HasLinks,
    /// A statement is running.
    QueryBusy,
    /// Nothing runs for the query's result, and Esc did not just leave
    /// the SQL editor for it.
    BackToEditor,
    /// Statements were run before (or the statement has lines to move to).
    HasHistory,
    /// The grid on screen has a row under the cursor that can be read again.
    RowUnderCursor,
    /// The grid on screen has rows to count or export.
    GridRows,
    /// The plan on screen is blocked by rows it names.
    BlockedRows,
    /// The document shown is the list's (not one reached by a link).
    OnListDocument,
    /// The store has a documents table to list.
    HasDocuments,
    /// The grid has a column under its cursor to sort by.
    SortableColumn,
    /// A sorted list is being built for the Documents sort.
    Sorting,
    /// The browsed table pages by rowid, so it can be read in any order.
    BrowseSortable,
    /// No sorted list is being built for the browsed table (Esc goes back).
    NotSortingBrowse,
    /// The document is read and still there.
    DocShown,
    /// The store has tables to browse.
    HasTables,
    /// The tasks list marks a task.
    TaskMarked,
    /// The task the list marks names a document that is there.
    TaskNamesDocument,
    /// The Schema tab's list keys scroll its spec pane.
    SpecPane,
    /// The Schema tab's list keys scroll its DDL pane.
    DdlPane,
    /// The row under the grid's cursor can be changed: a writable SQLite
    /// store, a table row found by its rowid.
    RowChangeable,
    /// The picked finding's rule is one `fix` repairs, and the store is
    /// writable.
    FixableFinding,
    /// A change of this run can be taken back.
    CanUndo,
    /// The data checks are running.
    ChecksRunning,
    /// The row shown a column a line has rows before it.
    RowBefore,
}

pub(crate) struct Binding {
    pub ctx: Ctx,
    /// What the config file calls it (`[keys] name = [...]`); bindings of one
    /// intent in several contexts share it.
    pub name: &'static str,
    pub keys: &'static [K],
    pub action: Action,
    pub help: &'static str,
    /// Its few words in the status line, if it is shown there.
    pub hint: Option<&'static str>,
    /// When it does something.
    pub when: When,
}

impl Binding {
    /// The binding, doing something only when `w` holds.
    const fn when(self, w: When) -> Binding {
        Binding { when: w, ..self }
    }
}

/// Every key of `keys`, as the `?` overlay lists them: `j/↓`.
pub(crate) fn label(keys: &[K]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for key in keys {
        let l = key.label();
        if !seen.contains(&l) {
            seen.push(l);
        }
    }
    seen.join("/")
}

/// The first of `keys`, as the status line shows it, and Esc beside it when
/// Esc also does it (`n/Esc`): the line has room for little, and `?` lists
/// every key.
pub(crate) fn short_label(keys: &[K]) -> String {
    let first = keys.first().map(|k| k.label()).unwrap_or_default();
    let esc = K(KeyCode::Esc, KeyModifiers::NONE);
    if first != "Esc" && keys.contains(&esc) {
        format!("{first}/Esc")
    } else {
        first
    }
}

const fn b(
    ctx: Ctx,
    name: &'static str,
    keys: &'static [K],
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        ctx,
        name,
        keys,
        action,
        help,
        hint,
        when: When::Always,
    }
}

const CTRL_LEFT: K = K(KeyCode::Left, KeyModifiers::CONTROL);
const CTRL_RIGHT: K = K(KeyCode::Right, KeyModifiers::CONTROL);
const ENTER: K = code(KeyCode::Enter);
const ESC: K = code(KeyCode::Esc);

/// The default keys. A config file may give any name other keys (see
/// `keymap`).
#[rustfmt::skip]
pub(crate) static KEYS: &[Binding] = &[
    b(Ctx::Confirm, "run_plan", &[k('y'), k('Y')], Action::Confirm, "run the plan", Some("run")),
    b(Ctx::Confirm, "close_plan", &[k('n'), ESC, k('q'), ctrl('c')], Action::Cancel, "close, write nothing", Some("close")),
    b(Ctx::Running, "cancel_plan", &[ESC, k('q'), ctrl('c')], Action::Cancel, "cancel: roll back, write nothing", Some("cancel")),
    b(Ctx::Blocked, "blocking_rows", &[ENTER], Action::Open, "list the rows that block the plan (in Documents)", Some("its rows")).when(When::BlockedRows),
    b(Ctx::Ended, "close_finished", &[ENTER, ESC, k('q'), k('n')], Action::Cancel, "close (so do the tab and action keys)", Some("close")),
    b(Ctx::TooSmall, "quit", &[k('q'), ctrl('c')], Action::Quit, "quit (nothing else works until the terminal is larger)", Some("quit")),
    b(Ctx::Chooser, "down", &[k('j'), code(KeyCode::Down)], Action::Down, "down a line", None),
    b(Ctx::Chooser, "up", &[k('k'), code(KeyCode::Up)], Action::Up, "up a line", None),
    b(Ctx::Chooser, "toggle_column", &[k(' '), k('x')], Action::Toggle, "show or hide the column", Some("show/hide")),
    b(Ctx::Chooser, "apply_columns", &[ENTER], Action::Submit, "show the columns ticked, in this order", Some("apply")),
    b(Ctx::Chooser, "cancel_columns", &[ESC, k('q')], Action::Cancel, "close, change nothing", Some("cancel")),
    b(Ctx::Picker, "picker_down", &[code(KeyCode::Down)], Action::Down, "down a line", None),
    b(Ctx::Picker, "picker_up", &[code(KeyCode::Up)], Action::Up, "up a line", None),
    b(Ctx::Picker, "picker_page_down", &[code(KeyCode::PageDown)], Action::PageDown, "down a page", None),
    b(Ctx::Picker, "picker_page_up", &[code(KeyCode::PageUp)], Action::PageUp, "up a page", None),
    b(Ctx::Picker, "pick_value", &[k(' ')], Action::Toggle, "pick the value, or put it back", Some("pick")),
    b(Ctx::Picker, "apply_filter", &[ENTER], Action::Submit, "keep the values picked (none: all)", Some("apply")),
    b(Ctx::Picker, "cancel_filter", &[ESC, ctrl('c')], Action::Cancel, "close, change nothing", Some("cancel")),
    b(Ctx::ExportPath, "start_export", &[ENTER], Action::Submit, "export to this file (.csv, .json or .ndjson)", Some("export")),
    b(Ctx::ExportPath, "cancel_export", &[ESC, ctrl('c')], Action::Cancel, "close, export nothing", Some("cancel")),
    b(Ctx::Exporting, "stop_export", &[ESC, k('q'), ctrl('c')], Action::Cancel, "stop, remove the partial file", Some("stop")),
    b(Ctx::CellEdit, "preview_edit", &[ENTER], Action::Submit, "preview the change (y then commits it)", Some("preview")),
    b(Ctx::CellEdit, "set_null", &[ctrl('n')], Action::SetNull, "the value becomes NULL", Some("NULL")),
    b(Ctx::CellEdit, "cancel_edit", &[ESC, ctrl('c')], Action::Cancel, "close, change nothing", Some("cancel")),
    b(Ctx::Search, "keep_search", &[ENTER], Action::Submit, "keep the search typed (the list follows it as you type)", Some("keep")),
    b(Ctx::Search, "cancel_search", &[ESC, ctrl('c')], Action::Cancel, "close the prompt, back to the search from before", Some("cancel")),
    b(Ctx::Sql, "run_query", &[ENTER], Action::Submit, "run the statement (only reading is allowed)", Some("run")),
    b(Ctx::Sql, "leave_sql", &[ESC, ctrl('c')], Action::Cancel, "stop a running statement, else leave the SQL line", Some("leave")),
    b(Ctx::Sql, "new_line", &[K(KeyCode::Enter, KeyModifiers::ALT)], Action::NewLine, "a new line (a pasted newline is one too)", Some("line")),
    b(Ctx::Sql, "complete", &[code(KeyCode::Tab)], Action::Complete, "complete a table, column or keyword (again: the next one)", Some("complete")),
    b(Ctx::Sql, "explain", &[ctrl('x')], Action::ExplainPlan, "EXPLAIN QUERY PLAN of the statement, as a tree", Some("plan")),
    b(Ctx::Sql, "edit_outside", &[ctrl('e')], Action::EditOutside, "edit the statement in $VISUAL or $EDITOR", Some("$EDITOR")),
    b(Ctx::Sql, "history_prev", &[code(KeyCode::Up)], Action::HistoryPrev, "up a line; on the first line, the statement run before", Some("history")).when(When::HasHistory),
    b(Ctx::Sql, "history_next", &[code(KeyCode::Down)], Action::HistoryNext, "down a line; on the last line, the statement run after", None),
    b(Ctx::Frequencies, "filter_value", &[ENTER], Action::Open, "filter the grid by this value", Some("filter")),
    b(Ctx::Frequencies, "close_frequencies", &[ESC, k('q'), k('f')], Action::Cancel, "close (a count still running stops)", Some("close")),
    b(Ctx::Input, "edit_left", &[code(KeyCode::Left)], Action::Edit(Edit::Left), "cursor left", None),
    b(Ctx::Input, "edit_right", &[code(KeyCode::Right)], Action::Edit(Edit::Right), "cursor right", None),
    b(Ctx::Input, "edit_word_left", &[CTRL_LEFT], Action::Edit(Edit::WordLeft), "a word left", None),
    b(Ctx::Input, "edit_word_right", &[CTRL_RIGHT], Action::Edit(Edit::WordRight), "a word right", None),
    b(Ctx::Input, "edit_home", &[code(KeyCode::Home), ctrl('a')], Action::Edit(Edit::Home), "to the start", None),
    b(Ctx::Input, "edit_end", &[code(KeyCode::End), ctrl('e')], Action::Edit(Edit::End), "to the end", None),
    b(Ctx::Input, "edit_backspace", &[code(KeyCode::Backspace), ctrl('h')], Action::Edit(Edit::Backspace), "delete before the cursor", None),
    b(Ctx::Input, "edit_delete", &[code(KeyCode::Delete), ctrl('d')], Action::Edit(Edit::Delete), "delete at the cursor", None),
    b(Ctx::Input, "edit_delete_word", &[ctrl('w')], Action::Edit(Edit::DeleteWord), "delete the word before", None),
    b(Ctx::Input, "edit_delete_to_start", &[ctrl('u')], Action::Edit(Edit::DeleteToStart), "delete to the start", None),
    b(Ctx::Input, "edit_delete_to_end", &[ctrl('k')], Action::Edit(Edit::DeleteToEnd), "delete to the end", None),
    b(Ctx::Help, "close_help", &[ESC, k('?')], Action::Back, "close it (so does any key not listed here)", Some("close")),
    b(Ctx::Help, "quit", &[k('q'), ctrl('c')], Action::Quit, "quit", Some("quit")),
    b(Ctx::Messages, "close_messages", &[ESC, k('q'), k('M')], Action::Cancel, "close the log", Some("close")),
    b(Ctx::Documents, "open", &[ENTER], Action::Open, "open the document", Some("open")).when(When::RowUnderCursor),
    b(Ctx::Documents, "clear_filters", &[ESC], Action::Back, "stop a sort being built, else clear search and filters", Some("stop sort")).when(When::Sorting),
    b(Ctx::Documents, "search", &[k('/')], Action::Search, "search id, slug, title, content (case folds for ASCII letters only)", Some("search")).when(When::HasDocuments),
    b(Ctx::Documents, "filter_type", &[k('t')], Action::FilterType, "filter by doc_type: pick among the values present", Some("type")).when(When::HasDocuments),
    b(Ctx::Documents, "filter_status", &[k('s')], Action::FilterStatus, "filter by status: pick among the values present", Some("status")).when(When::HasDocuments),
    b(Ctx::Documents, "sort", &[k('o')], Action::Sort, "sort by this column, any one (again: inserted order)", Some("sort")).when(When::SortableColumn),
    b(Ctx::Documents, "reverse_sort", &[k('O')], Action::SortReverse, "reverse the sort (newest or last first)", None).when(When::HasDocuments),
    b(Ctx::Documents, "columns", &[k('c')], Action::Columns, "choose the columns shown", Some("columns")).when(When::HasDocuments),
    b(Ctx::Grid, "column_left", &[k('h'), code(KeyCode::Left)], Action::ColumnLeft, "column cursor left", None),
    b(Ctx::Grid, "column_right", &[k('l'), code(KeyCode::Right)], Action::ColumnRight, "column cursor right", None),
    b(Ctx::Grid, "narrow", &[k('<')], Action::Narrow, "narrow the column", None),
    b(Ctx::Grid, "widen", &[k('>')], Action::Widen, "widen the column", None),
    b(Ctx::Grid, "copy", &[k('y')], Action::Copy, "copy the cell (in full)", Some("copy")).when(When::RowUnderCursor),
    b(Ctx::Grid, "copy_row", &[k('Y')], Action::CopyRow, "copy the row as JSON", None).when(When::RowUnderCursor),
    b(Ctx::Grid, "export", &[k('e')], Action::Export, "export to a file (csv, json, ndjson)", Some("export")).when(When::GridRows),
    b(Ctx::Grid, "edit_cell", &[k('E')], Action::EditCell, "edit the cell (previewed, then y commits; u takes it back)", Some("edit")).when(When::RowChangeable),
    b(Ctx::Grid, "frequencies", &[k('f')], Action::Frequencies, "the column's values by frequency", Some("freq")).when(When::GridRows),
    b(Ctx::Grid, "delete_row", &[k('D')], Action::DeleteRow, "delete the row (previewed, then y commits; u takes it back)", None).when(When::RowChangeable),
    b(Ctx::QueryGrid, "stop_query", &[ESC], Action::Cancel, "stop the running statement", Some("stop")).when(When::QueryBusy),
    b(Ctx::QueryGrid, "stop_query", &[ESC], Action::Cancel, "back to the SQL editor (not right after Esc left it)", Some("editor")).when(When::BackToEditor),
    b(Ctx::QueryGrid, "show_row", &[ENTER], Action::Open, "show the row, a column a line", Some("row")).when(When::GridRows),
    b(Ctx::Detail, "back", &[ESC, code(KeyCode::Backspace)], Action::Back, "back along the links followed, then to the list", Some("back")),
    b(Ctx::Detail, "prev_document", &[k('[')], Action::PrevDocument, "the previous document of the list", Some("prev")).when(When::OnListDocument),
    b(Ctx::Detail, "next_document", &[k(']')], Action::NextDocument, "the next document of the list", Some("next")).when(When::OnListDocument),
    b(Ctx::Detail, "follow_link", &[ENTER], Action::Open, "open the link picked (an author's profile, the parent)", Some("open")).when(When::LinkPicked),
    b(Ctx::Detail, "next_link", &[k('n')], Action::NextLink, "pick the next link (authors, parent)", Some("link")).when(When::HasLinks),
    b(Ctx::Detail, "prev_link", &[k('N')], Action::PrevLink, "pick the previous link", None).when(When::HasLinks),
    b(Ctx::Detail, "copy", &[k('y')], Action::Copy, "copy the document's id", Some("copy id")).when(When::DocShown),
    b(Ctx::Detail, "copy_row", &[k('Y')], Action::CopyRow, "copy the document as JSON", None).when(When::DocShown),
    b(Ctx::Schema, "spec_pane", &[k('h'), code(KeyCode::Left)], Action::ColumnLeft, "scroll the spec beside the live tables", Some("spec")).when(When::DdlPane),
    b(Ctx::Schema, "ddl_pane", &[k('l'), code(KeyCode::Right)], Action::ColumnRight, "scroll the live DDL", Some("DDL")).when(When::SpecPane),
    b(Ctx::Tables, "open", &[ENTER], Action::Open, "browse the table", Some("browse")).when(When::HasTables),
    b(Ctx::Browse, "back", &[ESC, code(KeyCode::Backspace)], Action::Back, "stop a sort being built, else back to the tables", Some("back")).when(When::NotSortingBrowse),
    b(Ctx::Browse, "sort", &[k('o')], Action::Sort, "sort by this column, any one (again: rowid order)", Some("sort")).when(When::SortableColumn),
    b(Ctx::Browse, "reverse_sort", &[k('O')], Action::SortReverse, "reverse the order (last first)", None).when(When::BrowseSortable),
    b(Ctx::Browse, "show_row", &[ENTER], Action::Open, "show the row, a column a line", Some("row")).when(When::GridRows),
    b(Ctx::Record, "back_to_grid", &[ESC, code(KeyCode::Backspace)], Action::Back, "back to the grid", Some("back")),
    b(Ctx::Record, "prev_row", &[k('[')], Action::PrevDocument, "the previous row", Some("prev")).when(When::RowBefore),
    b(Ctx::Record, "next_row", &[k(']')], Action::NextDocument, "the next row", Some("next")),
    b(Ctx::Record, "copy", &[k('y')], Action::Copy, "copy the value of the grid's current column (in full)", Some("copy")).when(When::RowUnderCursor),
    b(Ctx::Record, "copy_row", &[k('Y')], Action::CopyRow, "copy the row as JSON", None).when(When::RowUnderCursor),
    b(Ctx::Overview, "next_finding", &[k('n')], Action::NextFinding, "the next data-check finding", Some("next finding")).when(When::DataFindings),
    b(Ctx::Overview, "prev_finding", &[k('N')], Action::PrevFinding, "the previous data-check finding", None).when(When::DataFindings),
    b(Ctx::Overview, "stop_checks", &[ESC], Action::Cancel, "stop the data checks running", Some("stop")).when(When::ChecksRunning),
    b(Ctx::Overview, "failed_tasks", &[ENTER], Action::Open, "list the failed tasks, newest first", Some("failed tasks")).when(When::FailedTasks),
    b(Ctx::Finding, "next_finding", &[k('n')], Action::NextFinding, "the next data-check finding", Some("next finding")).when(When::DataFindings),
    b(Ctx::Finding, "prev_finding", &[k('N')], Action::PrevFinding, "the previous data-check finding", None).when(When::DataFindings),
    b(Ctx::Finding, "open", &[ENTER], Action::Open, "list the rows the finding names", Some("its rows")),
    b(Ctx::Finding, "fix_finding", &[k('x')], Action::FixFinding, "fix what the rule repairs by itself (previewed first)", Some("fix")).when(When::FixableFinding),
    b(Ctx::Finding, "unpick_finding", &[ESC], Action::Back, "put the finding down (Enter lists the failed tasks again)", Some("unpick")),
    b(Ctx::Tasks, "older_tasks", &[k(']')], Action::Older, "the next page of tasks (older)", Some("older")).when(When::OlderTasks),
    b(Ctx::Tasks, "newer_tasks", &[k('[')], Action::Newer, "the previous page of tasks (newer)", Some("newer")).when(When::NewerTasks),
    b(Ctx::Tasks, "open_document", &[ENTER], Action::Open, "open the document the ▶ task names (Esc comes back)", Some("its document")).when(When::TaskNamesDocument),
    b(Ctx::Tasks, "copy", &[k('y')], Action::Copy, "copy the marked (▶) task's id", Some("copy id")).when(When::TaskMarked),
    b(Ctx::Tasks, "copy_row", &[k('Y')], Action::CopyRow, "copy the marked (▶) task as JSON", None).when(When::TaskMarked),
    b(Ctx::Tasks, "close_tasks", &[ESC, k('q'), code(KeyCode::Backspace)], Action::Cancel, "close the list", Some("close")),
    b(Ctx::Scroll, "down", &[k('j'), code(KeyCode::Down)], Action::Down, "down a line", None),
    b(Ctx::Scroll, "up", &[k('k'), code(KeyCode::Up)], Action::Up, "up a line", None),
    b(Ctx::Scroll, "page_down", &[code(KeyCode::PageDown), ctrl('f'), k(' ')], Action::PageDown, "down a page", None),
    b(Ctx::Scroll, "page_up", &[code(KeyCode::PageUp), ctrl('b')], Action::PageUp, "up a page", None),
    b(Ctx::Scroll, "half_page_down", &[ctrl('d')], Action::HalfPageDown, "down half a page", None),
    b(Ctx::Scroll, "half_page_up", &[ctrl('u')], Action::HalfPageUp, "up half a page", None),
    b(Ctx::Scroll, "top", &[k('g'), code(KeyCode::Home)], Action::Top, "to the start", None),
    b(Ctx::Scroll, "bottom", &[k('G'), code(KeyCode::End)], Action::Bottom, "to the end", None),
    b(Ctx::Global, "tab_overview", &[k('1')], Action::GoTab(Tab::Overview), "Overview", None),
    b(Ctx::Global, "tab_documents", &[k('2')], Action::GoTab(Tab::Documents), "Documents", None),
    b(Ctx::Global, "tab_schema", &[k('3')], Action::GoTab(Tab::Schema), "Schema", None),
    b(Ctx::Global, "tab_tables", &[k('4')], Action::GoTab(Tab::Tables), "Tables", None),
    b(Ctx::Global, "tab_query", &[k('5')], Action::GoTab(Tab::Query), "Query", None),
    b(Ctx::Global, "next_tab", &[code(KeyCode::Tab)], Action::NextTab, "next tab", None),
    b(Ctx::Global, "prev_tab", &[code(KeyCode::BackTab)], Action::PrevTab, "previous tab", None),
    b(Ctx::Global, "init", &[k('i')], Action::Init, "init: show the plan", Some("init")).when(When::InitMayRun),
    b(Ctx::Global, "fold_legacy", &[k('F')], Action::FoldLegacy, "fold-legacy: show the plan", Some("fold")).when(When::FoldMayRun),
    b(Ctx::Global, "data_checks", &[k('d')], Action::DataChecks, "data checks: scan for bad rows", None),
    b(Ctx::Global, "sql", &[k(':')], Action::Sql, "type SQL (the Query tab)", Some("sql")),
    b(Ctx::Global, "undo", &[k('u')], Action::Undo, "take the last change back (previewed first)", Some("undo")).when(When::CanUndo),
    b(Ctx::Global, "refresh", &[k('r')], Action::Refresh, "refresh", None),
    b(Ctx::Global, "messages", &[k('M')], Action::Messages, "this run's messages, whole, newest first", None),
    b(Ctx::Global, "help", &[k('?')], Action::Help, "all keys", Some("keys")),
    b(Ctx::Global, "quit", &[k('q'), ctrl('c')], Action::Quit, "quit", Some("quit")),
];
