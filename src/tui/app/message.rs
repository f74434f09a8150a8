//! A `message` parent followed from a document (DESIGN §9): the Tables tab
//! browses `messages` from that row; Back comes back to the document, as
//! Back does along any link.

use super::{App, Cx};
use crate::store::read::documents::RowKey;
use crate::store::read::tables::RowAnchor;
use crate::tui::keys::Action;
use crate::tui::mode::Mode;
use crate::tui::tab::Tab;

impl App {
    /// Enter on a message parent: `messages` browsed from its row.
    pub(super) fn open_message(&mut self, key: &str, row: &RowKey) {
        let table = self
            .store
            .inspection
            .loaded()
            .and_then(|i| i.objects.iter().find(|o| o.name == "messages"))
            .map(|o| (o.name.clone(), o.keyed));
        let (Some((table, true)), RowKey::Rowid(rowid)) = (table, row) else {
            return self.say(format!(
                "the parent is message {}, a row of messages (Tables lists it)",
                crate::text::cell(key)
            ));
        };
        let anchor = RowAnchor::After(rowid.saturating_sub(1));
        self.go(Tab::Tables);
        let mut cx = Cx::new(self.page(), self.size.0, &mut self.requests);
        self.tables.browse(&table, true, anchor, &mut cx);
        self.tables.from_document = true;
    }

    /// Back in a browse a document's link opened: that document again.
    /// True when `action` was taken care of here.
    pub(super) fn back_to_document(&mut self, action: Action) -> bool {
        if self.tables.browse.is_none() {
            self.tables.from_document = false;
        }
        if !(self.tables.from_document && action == Action::Back && self.mode() == Mode::Browse) {
            return false;
        }
        self.tables.browse = None;
        self.tables.from_document = false;
        self.go(Tab::Documents);
        true
    }
}
