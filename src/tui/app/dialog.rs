//! The plan dialog: open a plan, confirm it, cancel it.

use super::*;

impl App {
    pub(super) fn open_plan(&mut self, kind: PlanKind) {
        if let Err(why) = &self.writable {
            self.message = format!("{} is unavailable: {why}", kind.label());
            return;
        }
        if kind == PlanKind::FoldLegacy {
            let refusal = match self.inspection.loaded().map(|i| i.state) {
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
        self.dialog = Some(Dialog {
            kind,
            phase: Phase::Loading,
            scroll: 0,
        });
        self.send(Request::Plan(kind));
    }

    pub(super) fn update_dialog(&mut self, action: Action) {
        let Some(d) = self.dialog.as_mut() else {
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
                self.outbox.push(Outgoing::Apply {
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
                self.dialog = None;
                self.message = "not applied: nothing was written".into();
            }
            (
                Phase::Loading | Phase::Failed(_) | Phase::Done(_),
                Action::Cancel | Action::Confirm,
            ) => self.dialog = None,
            _ => {}
        }
    }
}
