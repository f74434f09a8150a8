//! The plan dialog: open a plan, confirm it, cancel it.

use super::*;
use crate::store::inspect::State;

impl App {
    pub(super) fn open_plan(&mut self, kind: PlanKind) {
        if let Err(why) = &self.store.writable {
            self.message = format!("{} is unavailable: {why}", kind.label());
            return;
        }
        if kind == PlanKind::FoldLegacy {
            let refusal = match self.store.inspection.loaded().map(|i| i.state) {
                Some(State::LegacyPresent) => None,
                Some(State::Current) => Some("there are no legacy objects to fold".to_string()),
                Some(s) => Some(format!("the store is {}; run init (i) first", s.label())),
                None => Some("the store is not open".to_string()),
            };
            if let Some(why) = refusal {
                self.message = format!("fold-legacy: {why}");
                return;
            }
        }
        self.overlay = Some(Overlay::Plan(Dialog {
            kind,
            phase: Phase::Loading,
            scroll: 0,
        }));
        self.send(Request::Plan(kind));
    }

    pub(super) fn update_dialog(&mut self, action: Action) {
        let Some(Overlay::Plan(d)) = &mut self.overlay else {
            return;
        };
        match (&d.phase, action) {
            (Phase::Running { cancel, .. }, Action::Cancel | Action::Quit) => {
                cancel.cancel();
                self.message = "cancelling: rolling back".into();
            }
            (Phase::Running { .. }, _) => {}
            (Phase::Confirm(_), Action::Confirm) => {
                let Phase::Confirm(plan) = std::mem::replace(&mut d.phase, Phase::Loading) else {
                    return;
                };
                let cancel = Canceller::new();
                self.requests.outbox.push(Job::Apply {
                    plan: plan.clone(),
                    cancel: cancel.clone(),
                });
                d.phase = Phase::Running {
                    plan,
                    progress: None,
                    cancel,
                };
            }
            (_, Action::Down) => d.scroll = d.scroll.saturating_add(1),
            (_, Action::Up) => d.scroll = d.scroll.saturating_sub(1),
            (Phase::Confirm(_), Action::Cancel) => {
                self.overlay = None;
                self.message = "not applied: nothing was written".into();
            }
            (
                Phase::Loading | Phase::Failed(_) | Phase::Done(_),
                Action::Cancel | Action::Confirm,
            ) => self.overlay = None,
            _ => {}
        }
    }

    pub(super) fn on_plan_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Plan(r) => {
                if let Some(d) = self.dialog_mut() {
                    d.phase = match r {
                        Ok(plan) if plan.is_empty() => Phase::Done(Ok("nothing to do".into())),
                        Ok(plan) => Phase::Confirm(Box::new(plan)),
                        Err(e) => Phase::Failed(e),
                    };
                }
            }
            Reply::Progress(p) => {
                if let Some(Dialog {
                    phase: Phase::Running { progress, .. },
                    ..
                }) = self.dialog_mut()
                {
                    *progress = Some(p);
                }
            }
            Reply::Applied(r) => {
                self.message = match &r {
                    Ok(s) => s.clone(),
                    Err(e) => e.clone(),
                };
                if let Some(d) = self.dialog_mut() {
                    d.phase = Phase::Done(r);
                }
                self.refresh();
            }
            _ => {}
        }
    }
}
