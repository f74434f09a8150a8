//! The plan dialog: open a plan, confirm it, cancel it.

use super::{App, Dialog, Effect, Overlay, Phase};
use crate::store::cancel::Canceller;
use crate::store::inspection::inspect::State;
use crate::store::plan::PlanKind;
use crate::tui::keys::Action;
use crate::tui::worker::{Job, Reply, Request};

impl App {
    /// Whether a plan of `kind` may have something to do here: its key is
    /// hinted only then (pressed anyway, it says why not).
    pub(crate) fn plan_may_run(&self, kind: PlanKind) -> bool {
        let state = self.store.inspection.loaded().map(|i| i.state);
        self.store.writable.is_ok()
            && match kind {
                PlanKind::Init => {
                    self.store.missing
                        || matches!(
                            state,
                            Some(State::NoStore | State::NeedsInit | State::NeedsMigration)
                        )
                }
                PlanKind::FoldLegacy { .. } => state == Some(State::LegacyPresent),
            }
    }

    pub(super) fn open_plan(&mut self, kind: PlanKind) {
        if let Err(why) = &self.store.writable {
            return self.say(format!("{} is unavailable: {why}", kind.label()));
        }
        let state = self.store.inspection.loaded().map(|i| i.state);
        if kind == PlanKind::Init && state == Some(State::Current) {
            return self.say("init: nothing to do, the store is current");
        }
        if matches!(kind, PlanKind::FoldLegacy { .. }) {
            let refusal = match state {
                Some(State::LegacyPresent) => None,
                Some(State::Current) => Some("there are no legacy objects to fold".to_string()),
                Some(s) => Some(format!("the store is {}; run init (i) first", s.label())),
                None => Some("the store is not open".to_string()),
            };
            if let Some(why) = refusal {
                return self.say(format!("fold-legacy: {why}"));
            }
        }
        self.overlay = Some(Overlay::Plan(Dialog {
            kind,
            phase: Phase::Loading,
            scroll: 0,
        }));
        self.send(Request::Plan(kind));
    }

    /// The store changed while a plan waits for a yes or no: the plan on
    /// screen may no longer be the one that would run, so it is computed
    /// again (never confirmed as it was).
    pub(super) fn replan(&mut self) {
        let Some(d) = self.dialog_mut() else {
            return;
        };
        if !matches!(d.phase, Phase::Confirm(_)) {
            return;
        }
        d.phase = Phase::Loading;
        let kind = d.kind;
        self.send(Request::Plan(kind));
        self.say("the store changed: the plan was computed again");
    }

    /// Keys come here through the dialog's contexts (`App::contexts`): y
    /// only while a plan waits, cancel only while it runs; once its work
    /// has ended, closing keys close it and the screen's keys close it and
    /// act.
    pub(super) fn update_dialog(&mut self, action: Action) {
        if let Some(Overlay::Plan(d)) = &mut self.overlay {
            let effect = d.update(action);
            self.apply(effect);
        }
    }

    pub(super) fn on_plan_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Plan(r) => {
                if let Some(d) = self.dialog_mut() {
                    d.phase = match r {
                        Ok(plan) if plan.is_empty() => {
                            let kind = d.kind.label();
                            self.overlay = None;
                            return self.say(format!("{kind}: nothing to do"));
                        }
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
                self.say(match &r {
                    Ok(s) => s.clone(),
                    Err(e) => e.clone(),
                });
                if let Some(d) = self.dialog_mut() {
                    d.phase = Phase::Done(r);
                }
                // A statement's result was read before the plan wrote.
                if let Some(q) = self.query.result.as_mut() {
                    q.stale = true;
                }
                self.refresh();
            }
            _ => {}
        }
    }
}

impl Dialog {
    /// y runs a plan waiting for it, Esc closes it or cancels a running
    /// one; a blocked plan lists the rows that block it on Enter; once its
    /// work has ended, the keys of the screen under it close it and act.
    pub(crate) fn update(&mut self, action: Action) -> Effect {
        match (&self.phase, action) {
            (Phase::Running { cancel, .. }, Action::Cancel | Action::Quit) => {
                cancel.cancel();
                Effect::Say("cancelling: rolling back".into())
            }
            (Phase::Running { .. }, _) => Effect::Done,
            (Phase::Confirm(plan), Action::Confirm) if plan.blockers.is_empty() => self.run(),
            (Phase::Confirm(p), Action::Cancel) if p.blockers.is_empty() => {
                Effect::Closed("not applied: nothing was written".into())
            }
            (_, Action::Cancel) => Effect::Close,
            (Phase::Confirm(p), _) if p.blockers.is_empty() => Effect::Done,
            (Phase::Confirm(p), Action::Open) if !p.blocked_rows.is_empty() => {
                Effect::ListRows(p.blocked_rows.clone())
            }
            (_, action) => Effect::Pass(action),
        }
    }

    /// The plan shown starts running: the one confirmed, nothing else.
    fn run(&mut self) -> Effect {
        let Phase::Confirm(plan) = std::mem::replace(&mut self.phase, Phase::Loading) else {
            return Effect::Done;
        };
        let cancel = Canceller::new();
        let job = Job::Apply {
            plan: plan.clone(),
            cancel: cancel.clone(),
        };
        self.phase = Phase::Running {
            plan,
            progress: None,
            cancel,
        };
        Effect::Start(Box::new(job))
    }
}
