//! What a feature's own update asks of the app. A feature changes only its
//! own state; what reaches beyond it (closing its overlay, a message, a
//! read, a filter on another view) it returns as an `Effect`, and
//! `App::apply` carries it out.

use super::App;
use crate::store::read::filters::ValueFilter;
use crate::store::read::tasks::TaskAnchor;
use crate::tui::tab::Tab;
use crate::tui::worker::Job;

#[derive(Debug)]
pub(crate) enum Effect {
    /// Nothing beyond the feature's own state.
    Done,
    /// The overlay the feature is closes.
    Close,
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
    /// Long work starts (an export).
    Start(Box<Job>),
}

impl App {
    /// Carries out what a feature's update asked for.
    pub(super) fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Done => {}
            Effect::Close => self.overlay = None,
            Effect::Say(text) => self.say(text),
            Effect::Quit => self.quit = true,
            Effect::Columns(chosen) => {
                self.overlay = None;
                if chosen != self.docs.query.columns {
                    self.docs.query.columns = chosen;
                    self.rewindow();
                }
            }
            Effect::Filter(from, filter) => {
                self.overlay = None;
                self.filter_by_value(from, filter);
            }
            Effect::Tasks(anchor) => self.request_tasks(anchor),
            Effect::Start(job) => {
                self.message.clear();
                self.requests.outbox.push(*job);
            }
        }
    }
}
