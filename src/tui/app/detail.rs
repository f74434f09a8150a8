//! One document in full, and the way taken through its links: an author's
//! profile, an annotation's parent, and back.

use super::{App, DetailState, Load, Visited};
use crate::store::read::documents::RowKey;
use crate::store::read::documents::{DocView, LinkKind};
use crate::tui::keys::Action;
use crate::tui::worker::{Failure, Request};

impl App {
    pub(super) fn update_detail(&mut self, action: Action) {
        // Scrolling the detail is App::scroll_by's.
        match action {
            Action::Back => self.go_back(),
            // The list's neighbours are the neighbours of the document
            // opened from it, not of one reached by a link.
            Action::NextDocument | Action::PrevDocument if !self.on_list_document() => {
                self.say("[ and ] step through the list: Esc goes back to its document first")
            }
            Action::NextDocument => self.step_document(Action::Down),
            Action::PrevDocument => self.step_document(Action::Up),
            Action::NextLink | Action::PrevLink => self.pick_link(action),
            Action::Open => self.follow_link(),
            Action::Copy | Action::CopyRow => self.copy_document(action),
            _ => {}
        }
    }

    /// Shows the document at `rowid`, read on the worker.
    pub(super) fn show_document(
        &mut self,
        rowid: RowKey,
        scroll: u16,
        link: Option<usize>,
        path: Vec<Visited>,
    ) {
        let ticket = self.requests.ticket();
        self.detail = Some(DetailState {
            rowid: rowid.clone(),
            doc: Load::Loading,
            scroll,
            link,
            path,
            ticket,
            wrapped: Default::default(),
        });
        self.send(Request::Document { ticket, rowid });
    }

    /// The open document, read again (after a write by another process):
    /// it shows its old values until the new ones come.
    pub(super) fn reread_document(&mut self) {
        let ticket = self.requests.ticket();
        if let Some(d) = self.detail.as_mut() {
            d.ticket = ticket;
            let rowid = d.rowid.clone();
            self.send(Request::Document { ticket, rowid });
        }
    }

    pub(super) fn on_document(&mut self, ticket: u64, result: Result<Option<DocView>, Failure>) {
        let Some(d) = self.detail.as_mut().filter(|d| d.ticket == ticket) else {
            return;
        };
        let links = match &result {
            Ok(Some(v)) => v.links.len(),
            Err(Failure::Locked) => return d.doc.settle(result),
            _ => 0,
        };
        // The first link is picked, so Enter follows it at once.
        d.link = match d.link {
            Some(i) if i < links => Some(i),
            _ if links > 0 => Some(0),
            _ => None,
        };
        d.doc.settle(result);
        d.wrapped.take();
    }

    /// The links of the open document, once read.
    fn links(&self) -> &[crate::store::read::documents::Link] {
        self.detail
            .as_ref()
            .and_then(|d| d.doc.loaded())
            .and_then(|v| v.as_ref())
            .map_or(&[], |v| v.links.as_slice())
    }

    /// Whether the open document has a link picked.
    pub(super) fn link_picked(&self) -> bool {
        let n = self.links().len();
        self.detail
            .as_ref()
            .and_then(|d| d.link)
            .is_some_and(|i| i < n)
    }

    /// Whether the document shown is the one the list has selected (not
    /// one reached by following a link).
    pub(super) fn on_list_document(&self) -> bool {
        self.detail.as_ref().is_some_and(|d| d.path.is_empty())
    }

    pub(super) fn links_count(&self) -> usize {
        self.links().len()
    }

    fn pick_link(&mut self, action: Action) {
        let n = self.links().len();
        let Some(d) = self.detail.as_mut() else {
            return;
        };
        if n == 0 {
            return;
        }
        d.link = Some(match (action, d.link) {
            (Action::NextLink, Some(i)) => (i + 1) % n,
            (Action::PrevLink, Some(i)) => (i + n - 1) % n,
            (Action::PrevLink, None) => n - 1,
            _ => 0,
        });
    }

    /// Enter: the linked document, the way back remembered; a link to a
    /// document that is not there says so.
    fn follow_link(&mut self) {
        let Some(link) = self
            .detail
            .as_ref()
            .and_then(|d| d.link)
            .and_then(|i| self.links().get(i))
            .cloned()
        else {
            return;
        };
        let Some(target) = link.rowid else {
            let key = crate::text::cell(&link.key);
            return self.say(match link.kind {
                LinkKind::Author => format!("no profile has subject_uuid {key}"),
                LinkKind::Parent => format!("the parent {key} is not in documents"),
                LinkKind::ParentMessage => format!("the parent message {key} is not in messages"),
            });
        };
        if link.kind == LinkKind::ParentMessage {
            return self.open_message(&link.key, &target);
        }
        let Some(d) = self.detail.take() else {
            return;
        };
        let mut path = d.path;
        path.push(Visited {
            rowid: d.rowid,
            scroll: d.scroll,
            link: d.link,
        });
        self.show_document(target, 0, None, path);
    }

    /// Backspace/Esc: the document a link was followed from, else the list.
    fn go_back(&mut self) {
        let Some(mut d) = self.detail.take() else {
            return;
        };
        if let Some(v) = d.path.pop() {
            self.show_document(v.rowid, v.scroll, v.link, d.path);
        }
    }
}
