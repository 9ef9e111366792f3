//! A cloud service's own settings being edited on its page (a connection's VLAN, a router's
//! prefix filters), through one server function. Kept by the page, not its panels, so the
//! refresh every few seconds keeps what the buyer is typing and the last refusal.

use crate::error::AppError;
use crate::server_fns::services::change_cloud;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[derive(Clone, Copy)]
pub struct CloudEdits {
    /// Text typed per field and not saved yet: `vlan`, or an attachment's service id.
    drafts: RwSignal<BTreeMap<String, String>>,
    /// The field refused last, and why.
    refused: RwSignal<Option<(String, String)>>,
    /// (service, what, connection, field): `what` is `vlan` or `filter`.
    save: Action<(String, String, String, String), Result<(), AppError>>,
}

impl CloudEdits {
    pub fn new(refresh: RwSignal<u64>) -> CloudEdits {
        let drafts = RwSignal::new(BTreeMap::<String, String>::new());
        let refused = RwSignal::new(None);
        let save = Action::new_local(move |(service, what, connection, field): &(String, String, String, String)| {
            let value = drafts.with_untracked(|drafts| drafts.get(field).cloned().unwrap_or_default());
            let asked = change_cloud(service.clone(), what.clone(), connection.clone(), value);
            let field = field.clone();
            async move {
                let saved = asked.await;
                match &saved {
                    Ok(()) => {
                        drafts.update(|drafts| _ = drafts.remove(&field));
                        refused.set(None);
                    }
                    Err(error) => refused.set(Some((field, error.to_string()))),
                }
                refresh.update(|n| *n += 1);
                saved
            }
        });
        CloudEdits { drafts, refused, save }
    }

    /// What `field` shows: what was typed, or `saved`.
    pub fn text(self, field: String, saved: String) -> Signal<String> {
        Signal::derive(move || self.drafts.with(|drafts| drafts.get(&field).cloned().unwrap_or_else(|| saved.clone())))
    }

    pub fn type_in(self, field: &str, text: String) {
        self.drafts.update(|drafts| _ = drafts.insert(field.to_owned(), text));
    }

    /// Sends what `field` holds (what was typed, or `saved` when nothing was).
    pub fn submit(self, service: String, what: &str, connection: String, field: String, saved: String) {
        if !self.drafts.with_untracked(|drafts| drafts.contains_key(&field)) {
            self.type_in(&field, saved);
        }
        self.save.dispatch((service, what.to_owned(), connection, field));
    }

    pub fn refusal(self, field: String) -> impl Fn() -> Option<String> {
        move || self.refused.with(|refused| refused.as_ref().filter(|(on, _)| *on == field).map(|(_, why)| why.clone()))
    }

    pub fn pending(self) -> Memo<bool> {
        self.save.pending()
    }
}
