//! One document in full, and the way taken through its links: an author's
//! profile, an annotation's parent, and back. The detail owns its update;
//! leaving it, or stepping along the list, it asks of the app.

use super::copy::copy_request;
use super::{App, Cx, DetailState, Effect, Load, Requests, Visited};
use crate::store::read::backlinks::Backlinks;
use crate::store::read::documents::{DocView, Link, LinkKind, RowKey};
use crate::tui::keys::Action;
use crate::tui::worker::{Failure, Request};
use std::sync::atomic::Ordering;

/// How many backlinks of each kind the detail lists (all are counted).
pub(crate) const BACKLINKS_SHOWN: usize = 20;

impl App {
    pub(super) fn update_detail(&mut self, action: Action) {
        if self.overview.tasks_left.is_some()
            && matches!(action, Action::NextDocument | Action::PrevDocument)
        {
            return self.say("[ and ] step through the list: this document was opened from a task");
        }
        let mut cx = Cx::new(self.page(), self.size.0, &mut self.requests);
        let effect = match self.detail.as_mut() {
            Some(d) => d.update(action, &mut cx),
            None => return,
        };
        self.apply(effect);
    }

    /// Shows the document at `rowid` from the list, read on the worker.
    pub(super) fn show_document(&mut self, rowid: RowKey) {
        self.overview.tasks_left = None;
        let mut cx = Cx::new(self.page(), self.size.0, &mut self.requests);
        self.detail = Some(DetailState::open(rowid, 0, None, Vec::new(), &mut cx));
    }

    /// Back to the list: a backlinks scan still running stops.
    pub(super) fn close_detail(&mut self) {
        self.detail = None;
        self.back_to_tasks();
        let ticket = self.requests.ticket();
        self.requests
            .latest
            .backlinks
            .store(ticket, Ordering::Relaxed);
    }

    /// The open document, read again (after a write): it shows its old
    /// values until the new ones come.
    pub(super) fn reread_document(&mut self) {
        let mut cx = Cx::new(self.page(), self.size.0, &mut self.requests);
        if let Some(d) = self.detail.as_mut() {
            d.request(&mut cx);
        }
    }
}

impl DetailState {
    /// The document at `rowid`, asked of the worker; `path` is the way
    /// back along the links followed to it.
    pub(crate) fn open(
        rowid: RowKey,
        scroll: u16,
        link: Option<usize>,
        path: Vec<Visited>,
        cx: &mut Cx<'_>,
    ) -> DetailState {
        let mut d = DetailState {
            rowid,
            doc: Load::Loading,
            scroll,
            link,
            backlinks: Load::Loading,
            back_ticket: 0,
            path,
            ticket: 0,
            wrapped: Default::default(),
        };
        d.request(cx);
        d
    }

    fn request(&mut self, cx: &mut Cx<'_>) {
        self.ticket = cx.requests.ticket();
        cx.requests.send(Request::Document {
            ticket: self.ticket,
            rowid: self.rowid.clone(),
        });
    }

    /// Scrolling is the app's (see `scroll`); the rest is here.
    pub(crate) fn update(&mut self, action: Action, cx: &mut Cx<'_>) -> Effect {
        match action {
            Action::Back => self.go_back(cx),
            // The list's neighbours are the neighbours of the document
            // opened from it, not of one reached by a link.
            Action::NextDocument | Action::PrevDocument if !self.on_list_document() => Effect::Say(
                "[ and ] step through the list: Esc goes back to its document first".into(),
            ),
            Action::NextDocument => Effect::StepDocument(Action::Down),
            Action::PrevDocument => Effect::StepDocument(Action::Up),
            Action::NextLink | Action::PrevLink => {
                self.pick_link(action);
                Effect::Done
            }
            Action::Open => self.follow_link(cx),
            Action::Copy | Action::CopyRow => {
                let id = Some("id".to_string());
                if let Some(r) = copy_request("documents", self.rowid.clone(), action, id) {
                    cx.requests.send(r);
                }
                Effect::Done
            }
            _ => Effect::Done,
        }
    }

    /// The document came (or why not): the first link is picked, so Enter
    /// follows it at once; its backlinks are asked for, on the scan
    /// worker, so they never hold it up.
    pub(crate) fn on_document(
        &mut self,
        ticket: u64,
        result: Result<Option<DocView>, Failure>,
        requests: &mut Requests,
    ) {
        if self.ticket != ticket {
            return;
        }
        let links = match &result {
            Ok(Some(v)) => v.links.len(),
            Err(Failure::Locked) => return self.doc.settle(result),
            _ => 0,
        };
        let found = matches!(result, Ok(Some(_)));
        self.doc.settle(result);
        self.wrapped.take();
        // A backlink picked before (the way back) is kept while they come.
        let waiting = found && self.link.is_some_and(|i| i >= links);
        if !waiting {
            self.link = self.link.filter(|&i| i < self.targets().len());
        }
        if self.link.is_none() && links > 0 {
            self.link = Some(0);
        }
        if found {
            self.back_ticket = requests.ticket();
            requests
                .latest
                .backlinks
                .store(self.back_ticket, Ordering::Relaxed);
            requests.send(Request::Backlinks {
                ticket: self.back_ticket,
                rowid: self.rowid.clone(),
                first: BACKLINKS_SHOWN,
            });
        } else {
            self.backlinks = Load::Failed("no document".into());
        }
    }

    /// Its backlinks came: what was picked stays picked, if it still is.
    pub(crate) fn on_backlinks(&mut self, ticket: u64, result: Result<Backlinks, Failure>) {
        if self.back_ticket != ticket {
            return;
        }
        self.backlinks.settle(result);
        let n = self.targets().len();
        self.link = match self.link {
            Some(i) if i < n => Some(i),
            _ if n > 0 => Some(0),
            _ => None,
        };
    }

    /// The links of the document, once read.
    pub(crate) fn links(&self) -> &[Link] {
        self.doc
            .loaded()
            .and_then(|v| v.as_ref())
            .map_or(&[], |v| v.links.as_slice())
    }

    /// Everything Enter can follow, in the order shown: its links, then
    /// the documents that name it, then its annotations.
    pub(crate) fn targets(&self) -> Vec<&Link> {
        let mut all: Vec<&Link> = self.links().iter().collect();
        if let Some(b) = self.backlinks.loaded() {
            all.extend(b.named_by.iter().flat_map(|n| &n.first));
            all.extend(&b.annotations.first);
        }
        all
    }

    /// Whether a link is picked.
    pub(crate) fn link_picked(&self) -> bool {
        self.link.is_some_and(|i| i < self.targets().len())
    }

    /// Whether it is the one the list has selected (not one reached by
    /// following a link).
    pub(crate) fn on_list_document(&self) -> bool {
        self.path.is_empty()
    }

    fn pick_link(&mut self, action: Action) {
        let n = self.targets().len();
        if n == 0 {
            return;
        }
        self.link = Some(match (action, self.link) {
            (Action::NextLink, Some(i)) => (i + 1) % n,
            (Action::PrevLink, Some(i)) => (i + n - 1) % n,
            (Action::PrevLink, None) => n - 1,
            _ => 0,
        });
    }

    /// Enter: the linked document, the way back remembered; a link to a
    /// document that is not there says so.
    fn follow_link(&mut self, cx: &mut Cx<'_>) -> Effect {
        let Some(link) = self
            .link
            .and_then(|i| self.targets().get(i).copied())
            .cloned()
        else {
            return Effect::Done;
        };
        let key = crate::text::cell(&link.key);
        let Some(target) = link.rowid else {
            return Effect::Say(match link.kind {
                LinkKind::Author => format!("no profile has subject_uuid {key}"),
                LinkKind::Parent => format!("the parent {key} is not in documents"),
                LinkKind::ParentMessage => format!("the parent message {key} is not in messages"),
                LinkKind::NamedBy | LinkKind::Annotation => format!("{key} is no longer there"),
            });
        };
        if link.kind == LinkKind::ParentMessage {
            return Effect::OpenMessage {
                key: link.key.clone(),
                row: target,
            };
        }
        let from = Visited {
            rowid: self.rowid.clone(),
            scroll: self.scroll,
            link: self.link,
        };
        let mut path = std::mem::take(&mut self.path);
        path.push(from);
        *self = DetailState::open(target, 0, None, path, cx);
        Effect::Done
    }

    /// Backspace/Esc: the document a link was followed from, else the list.
    fn go_back(&mut self, cx: &mut Cx<'_>) -> Effect {
        let mut path = std::mem::take(&mut self.path);
        match path.pop() {
            Some(v) => {
                *self = DetailState::open(v.rowid, v.scroll, v.link, path, cx);
                Effect::Done
            }
            None => Effect::CloseDetail,
        }
    }
}
