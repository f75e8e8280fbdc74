//! 书记备案 (`/lead/filing`): every village/community party secretary's
//! filing at district level, read from the unit documents on this tablet
//! and the district document: counts, the secretaries not filed yet with a
//! one-tap "file" (district's tablet only), every unit's status with a link
//! to the A4 filing form, and the chosen filing's history and conflicts.

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::Filing;
use yanzhen_model::review;

use crate::data::docs::unsaved;
use crate::data::ids::new_id;
use crate::data::write::{Written, change_meta, write_doc};
use crate::i18n::t;
use crate::modules::lead::components::filing_table::FilingTable;
use crate::modules::lead::components::filing_todo::FilingTodo;
use crate::modules::lead::messages::review::ReviewMsg;
use crate::modules::lead::review::units::review_reads;
use crate::modules::lead::review::{labels, rows, write};
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::empty_note::EmptyNote;
use crate::ui::screen_header::ScreenHeader;

/// What the last "file" tap did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Saving,
    Saved,
    Refused(ReviewMsg),
    Failed,
}

#[component]
pub fn LeadFilingPage() -> impl IntoView {
    let sync = use_sync();
    let (district_id, district, units, district_writable) = review_reads(sync);
    let views = Memo::new(move |_| {
        district.with(|d| {
            let Some(d) = d else { return Vec::new() };
            units.with(|u| rows::filing_views(d, u.iter().map(|(_, x)| x.as_ref())))
        })
    });
    let views_sig: Signal<Vec<rows::FilingView>> = views.into();
    let selected = RwSignal::new(None::<Id>);
    let outcome = RwSignal::new(None::<Outcome>);
    Effect::new(move |_| {
        if outcome.get() == Some(Outcome::Saving)
            && let Some(d) = district_id.get()
            && !unsaved(sync, &d)
        {
            outcome.set(Some(Outcome::Saved));
        }
    });
    let on_file = Callback::new(move |unit: Id| {
        let Some(doc) = district_id.get_untracked() else {
            outcome.set(Some(Outcome::Failed));
            return;
        };
        let Some(view) = views.with_untracked(|v| v.iter().find(|v| v.row.unit == unit).cloned())
        else {
            return;
        };
        let filing = match review::file_secretary(&view.row, new_id(), today()) {
            Ok(f) => f,
            Err(e) => {
                outcome.set(Some(Outcome::Refused(labels::filing_refusal(&e))));
                return;
            }
        };
        let meta = change_meta();
        match write_doc(sync, doc, |am| {
            write::edit_district(am, |d| d.put(&filing, &meta))
        }) {
            Written::Saved(_) => {
                outcome.set(Some(Outcome::Saving));
                selected.set(Some(unit));
            }
            Written::Refused(_) => outcome.set(Some(Outcome::Refused(ReviewMsg::RefusedInvalid))),
            Written::Failed(_) => outcome.set(Some(Outcome::Failed)),
        }
    });
    let counts = move || views.with(|v| (v.len(), rows::filing_counts(v)));
    let trail_doc = Signal::derive(move || district_id.get());
    let trail_id = Signal::derive(move || {
        let unit = selected.get()?;
        views.with(|v| {
            v.iter()
                .find(|v| v.row.unit == unit)
                .and_then(|v| v.row.filing.as_ref().map(|f| f.id.clone()))
        })
    });
    let trail_name = move || {
        let unit = selected.get()?;
        views.with(|v| {
            v.iter()
                .find(|v| v.row.unit == unit)
                .map(|v| v.unit_name.clone())
        })
    };
    view! {
        <ScreenHeader screen=Screen::LeadFiling/>
        <p class="page-intro">{t(ReviewMsg::FilingIntro)}</p>
        <Show
            when=move || district.with(Option::is_some)
            fallback=|| view! { <EmptyNote id="filing-state" msg=ReviewMsg::Loading/> }
        >
            <Show
                when=move || !views.with(Vec::is_empty)
                fallback=|| view! { <EmptyNote id="filing-no-units" msg=ReviewMsg::FilingNoUnits/> }
            >
                {move || {
                    let (n, (filed, not_filed, changed)) = counts();
                    view! {
                        <dl class="filing-summary" id="filing-summary" data-units=n.to_string()
                            data-filed=filed.to_string() data-todo=(not_filed + changed).to_string()>
                            <div><dt>{t(ReviewMsg::FilingSummaryUnits)}</dt><dd>{n}</dd></div>
                            <div><dt>{t(ReviewMsg::FilingSummaryFiled)}</dt><dd>{filed}</dd></div>
                            <div><dt>{t(ReviewMsg::FilingNotFiled)}</dt><dd>{not_filed}</dd></div>
                            <div><dt>{t(ReviewMsg::FilingChanged)}</dt><dd>{changed}</dd></div>
                        </dl>
                    }
                }}
                {move || outcome.get().map(|o| match o {
                    Outcome::Saving => view! { <p class="saving" id="filing-message" data-state="saving" role="status">{t(crate::i18n::Msg::PersonSaving)}</p> }.into_any(),
                    Outcome::Saved => view! { <p class="saved" id="filing-message" data-state="saved" role="status">{t(ReviewMsg::FilingDone)}</p> }.into_any(),
                    Outcome::Refused(m) => view! { <p class="notice notice-error" id="filing-message" data-state="refused" role="alert">{t(m)}</p> }.into_any(),
                    Outcome::Failed => view! { <p class="notice notice-error" id="filing-message" data-state="failed" role="alert">{t(crate::i18n::Msg::PersonWriteFailed)}</p> }.into_any(),
                })}
                <FilingTodo views=views_sig writable=district_writable on_file=on_file/>
                <FilingTable views=views_sig selected=selected/>
                <Show when=move || trail_id.with(Option::is_some)>
                    <section class="card filing-record" id="filing-record">
                        <h2>{t(ReviewMsg::FilingRecordTitle)} " " <small>{trail_name}</small></h2>
                        <RecordTrail<Filing> doc=trail_doc id=trail_id names=labels::FIELD_NAMES/>
                    </section>
                </Show>
            </Show>
        </Show>
    }
}
