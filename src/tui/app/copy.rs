//! `y` and `Y`: a whole value or row, read by the worker, handed to the
//! event loop for the clipboard (see `tui::clipboard`).

use super::{App, Clip};
use crate::store::read::documents::RowKey;
use crate::store::values::Copied;
use crate::tui::keys::Action;
use crate::tui::worker::{Failure, Request};

impl App {
    pub(super) fn ask_copy(
        &mut self,
        table: &str,
        rowid: RowKey,
        action: Action,
        column: Option<String>,
    ) {
        if let Some(r) = copy_request(table, rowid, action, column) {
            self.send(r);
        }
    }

    pub(super) fn on_copied(&mut self, what: String, result: Result<Copied, Failure>) {
        match result {
            Ok(Copied::Bytes { bytes, note }) => {
                let what = match note {
                    Some(n) => format!("{what} ({n})"),
                    None => what,
                };
                self.requests.clip = Some(Clip { bytes, what });
            }
            Ok(Copied::Nothing(why)) => self.say(format!("nothing copied: {why}")),
            // A copy is not read again by itself: the user presses y again.
            Err(Failure::Locked) => {
                self.say("nothing copied: another process holds a lock on the store; try again")
            }
            Err(e) => self.say(format!("nothing copied: {e}")),
        }
    }

    /// The clipboard took the clip (or could not): the status line says so.
    pub fn copied(&mut self, clip: &Clip, how: Result<&str, String>) {
        match how {
            Ok(via) => self.say(format!(
                "copied {}: {} bytes ({via})",
                clip.what,
                crate::tui::text::grouped(clip.bytes.len())
            )),
            Err(e) => self.say(format!("could not copy: {e}")),
        }
    }
}

/// The read of a whole value (`y`, with the cursor's `column`) or row
/// (`Y`) to copy; none for `y` with no column under the cursor.
pub(super) fn copy_request(
    table: &str,
    rowid: RowKey,
    action: Action,
    column: Option<String>,
) -> Option<Request> {
    let (column, what) = match (action, column) {
        (Action::Copy, Some(c)) => {
            let what = format!(
                "{} of {}",
                crate::text::cell(&c),
                crate::text::cell(&rowid.to_string())
            );
            (Some(c), what)
        }
        (Action::Copy, None) => return None,
        _ => (
            None,
            format!("{} as JSON", crate::text::cell(&rowid.to_string())),
        ),
    };
    Some(Request::Copy {
        table: table.to_string(),
        rowid,
        column,
        what,
    })
}
