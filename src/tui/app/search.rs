//! Documents' search prompt: the list follows what is typed once typing
//! pauses; Enter keeps the search, Esc goes back to the one from before.

use super::state::Charts;
use super::{Cx, DocsState};
use crate::tui::keys::{Action, Edit};
use tui_input::InputRequest;

/// The longest search the prompt takes, in characters.
const SEARCH_CHARS: usize = 200;

impl DocsState {
    /// An action while the search prompt is open: the list follows what
    /// is typed (once typing pauses, see App::tick); Enter keeps it, Esc
    /// goes back to the search from before.
    pub(crate) fn update_search(&mut self, action: Action, charts: &Charts, cx: &mut Cx<'_>) {
        let Some(input) = self.input.as_mut() else {
            return;
        };
        let request = match action {
            Action::Submit | Action::Cancel => {
                let keep = if action == Action::Submit {
                    typed(input.value())
                } else {
                    self.search_before.take()
                };
                self.input = None;
                self.typed_at = None;
                if keep != self.query.search {
                    self.query.search = keep;
                    self.requery(charts, cx);
                }
                return;
            }
            Action::Type(c) if input.value().chars().count() < SEARCH_CHARS => {
                InputRequest::InsertChar(c)
            }
            Action::Edit(e) => edit_request(e),
            _ => return,
        };
        if input.handle(request).is_some_and(|r| r.value) {
            self.typed_at = Some(std::time::Instant::now());
        }
    }

    /// The prompt's text, searched as it stands (typing has paused).
    pub(crate) fn search_as_typed(&mut self, charts: &Charts, cx: &mut Cx<'_>) {
        self.typed_at = None;
        let Some(input) = &self.input else {
            return;
        };
        let typed = typed(input.value());
        if typed != self.query.search {
            self.query.search = typed;
            self.requery(charts, cx);
        }
    }
}

/// The line editor's request for an edit.
pub(super) fn edit_request(e: Edit) -> InputRequest {
    match e {
        Edit::Left => InputRequest::GoToPrevChar,
        Edit::Right => InputRequest::GoToNextChar,
        Edit::WordLeft => InputRequest::GoToPrevWord,
        Edit::WordRight => InputRequest::GoToNextWord,
        Edit::Home => InputRequest::GoToStart,
        Edit::End => InputRequest::GoToEnd,
        Edit::Backspace => InputRequest::DeletePrevChar,
        Edit::Delete => InputRequest::DeleteNextChar,
        Edit::DeleteWord => InputRequest::DeletePrevWord,
        Edit::DeleteToStart => InputRequest::DeleteFromStart,
        Edit::DeleteToEnd => InputRequest::DeleteTillEnd,
    }
}

/// A search as typed: trimmed, none when empty.
fn typed(value: &str) -> Option<String> {
    let t = value.trim();
    (!t.is_empty()).then(|| t.to_string())
}
