//! 社区工作者储备库 (the community-worker reserve pool): how many are in the
//! pool, waiting, recruited (60 in the demo) and withdrawn; the candidates,
//! filtered by status; a tapped candidate shows their record, the
//! recruitment form when they are waiting (community and date, not before
//! registration) and the record's conflicts and history; a new candidate can
//! be added. The pool lives in the district document: only a tablet that
//! may write it (the district organisation department's) is offered the
//! forms; others see why.

use leptos::prelude::*;

use crate::data::clock::today;
use yanzhen_model::Id;
use yanzhen_model::entities::{PoolCandidate, PoolStatus, UnitKind};
use yanzhen_model::young::{pool_summary, recruit};

use crate::data::docs::{district_doc, use_district};
use crate::data::ids::new_id;
use crate::data::save::{SaveState, settle};
use crate::i18n::t;
use crate::modules::young::components::field::YoungField;
use crate::modules::young::components::figure::YoungFigure;
use crate::modules::young::components::locked::YoungLocked;
use crate::modules::young::components::rows::YoungRows;
use crate::modules::young::data::{district_note, save_young, unit_name};
use crate::modules::young::form::{PoolForm, YErrors, parse_opt_date};
use crate::modules::young::labels::{NAMES, pool_status};
use crate::modules::young::messages::{SAVE_WORDS, YoungMsg};
use crate::routes::Screen;
use crate::sync::repo::use_sync;
use crate::trail::record_trail::RecordTrail;
use crate::ui::detail_head::DetailHead;
use crate::ui::field_error::FieldError;
use crate::ui::id_pick_field::IdPickField;
use crate::ui::pick_row::PickRow;
use crate::ui::save_actions::SaveActions;
use crate::ui::save_note::SaveNote;
use crate::ui::screen_header::ScreenHeader;

#[component]
pub fn YoungPoolPage() -> impl IntoView {
    let sync = use_sync();
    let doc = district_doc(sync);
    let district = use_district(sync);
    let can_write = Signal::derive(move || doc.get().is_some_and(|d| sync.may_write(&d)));
    let summary = Memo::new(move |_| {
        district.with(|d| {
            d.as_ref()
                .map(|d| pool_summary(d.pool.values()))
                .unwrap_or_default()
        })
    });
    let filter = RwSignal::new(None::<PoolStatus>);
    let rows = Memo::new(move |_| {
        let f = filter.get();
        let mut v: Vec<PoolCandidate> = district.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.pool
                        .values()
                        .filter(|c| f.is_none_or(|s| c.status == s))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
        });
        yanzhen_model::sorting::sort_by(&mut v, |a, b| {
            (a.status, b.registered, &a.name).cmp(&(b.status, a.registered, &b.name))
        });
        v
    });
    let communities = Memo::new(move |_| {
        district.with(|d| {
            d.as_ref()
                .map(|d| {
                    let mut v: Vec<(Id, String)> = d
                        .unit_documents()
                        .filter(|u| u.kind == UnitKind::Community)
                        .map(|u| (u.id.clone(), u.name.clone()))
                        .collect();
                    yanzhen_model::sorting::sort_by(&mut v, |a, b| a.1.cmp(&b.1));
                    v
                })
                .unwrap_or_default()
        })
    });
    let picked = RwSignal::new(None::<Id>);
    let cand = Memo::new(move |_| {
        let id = picked.get()?;
        district.with(|d| d.as_ref().and_then(|d| d.pool.get(&id).cloned()))
    });

    let r_unit = RwSignal::new(None::<Id>);
    let r_date = RwSignal::new(today().to_string());
    let r_errors = RwSignal::new(YErrors::default());
    let r_state = RwSignal::new(SaveState::Idle);
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let registered = RwSignal::new(today().to_string());
    let a_errors = RwSignal::new(YErrors::default());
    let a_state = RwSignal::new(SaveState::Idle);
    Effect::new(move |_| {
        picked.track();
        r_unit.set(None);
        r_date.set(today().to_string());
        r_errors.set(YErrors::default());
        r_state.set(SaveState::Idle);
    });
    settle(sync, move || doc.get(), vec![r_state, a_state]);

    let on_recruit = move |_| {
        let Some(c) = cand.get_untracked() else {
            return;
        };
        let next = parse_opt_date(&r_date.get_untracked(), "recruited_date").and_then(|d| {
            recruit(&c, r_unit.get_untracked(), d)
                .map_err(|e| YErrors::from_validation(&e, "recruited_date"))
        });
        save_young(
            sync,
            doc.get_untracked(),
            next,
            r_errors,
            r_state,
            "recruited_date",
        );
    };
    let on_add = move |()| {
        let form = PoolForm {
            name: name.get_untracked(),
            id_number: id_number.get_untracked(),
            registered: registered.get_untracked(),
        };
        let made = form.to_candidate(new_id());
        if let Some(c) = save_young(sync, doc.get_untracked(), made, a_errors, a_state, "name") {
            name.set(String::new());
            id_number.set(String::new());
            picked.set(Some(c.id));
        }
    };

    let filter_button = move |s: Option<PoolStatus>, label: YoungMsg, key: &'static str| {
        view! {
            <button
                type="button"
                class="button pool-filter"
                class:primary=move || filter.get() == s
                data-filter=key
                on:click=move |_| filter.set(s)
            >
                {t(label)}
            </button>
        }
    };
    let list = view! {
        <YoungRows id="pool-list" note_id="pool-state" note=district_note(district, rows, YoungMsg::PoolNone) rows=rows
            heads=[YoungMsg::ColName, YoungMsg::ColRegistered, YoungMsg::ColStatus, YoungMsg::ColUnit]
            key=|c: &PoolCandidate| (c.id.clone(), c.status)
            row=move |c: PoolCandidate| {
                let unit = c.recruited_unit.as_ref().map(|u| district.with_untracked(|d| unit_name(d.as_ref(), u)));
                view! {
                    <PickRow button=true class="young-row pool-row" id=c.id.clone() picked=picked attr:data-status=format!("{:?}", c.status)>
                        <span class="young-name">{c.name.clone()}</span>
                        <span>{c.registered.to_string()}</span>
                        <span class=format!("young-status status-{:?}", c.status)>{t(pool_status(c.status))}</span>
                        <span>{unit}" "{c.recruited_date.map(|d| d.to_string())}</span>
                    </PickRow>
                }
            }
        />
    };
    let detail = move || {
        cand.get().map(|c| {
            let waiting = c.status == PoolStatus::Waiting;
            let unit = c.recruited_unit.as_ref().map(|u| district.with_untracked(|d| unit_name(d.as_ref(), u)));
            view! {
                <section class="card young-detail" id="pool-detail" data-id=c.id.as_str().to_owned()>
                    <DetailHead close_id="pool-close" close=YoungMsg::Close on_close=move |()| picked.set(None)>
                        <h2 id="pool-detail-name">{c.name.clone()}</h2>
                    </DetailHead>
                    <dl class="facts">
                        <dt>{t(YoungMsg::ColRegistered)}</dt><dd id="pool-detail-registered">{c.registered.to_string()}</dd>
                        <dt>{t(YoungMsg::ColStatus)}</dt><dd id="pool-detail-status">{t(pool_status(c.status))}</dd>
                        <dt>{t(YoungMsg::ColUnit)}</dt><dd>{unit}</dd>
                        <dt>{t(YoungMsg::ColDate)}</dt><dd>{c.recruited_date.map(|d| d.to_string())}</dd>
                    </dl>
                    {waiting.then(|| view! {
                        <Show
                            when=move || can_write.get()
                            fallback=|| view! { <YoungLocked id="pool-locked-detail" reason=YoungMsg::LockedDistrict/> }
                        >
                            <div class="form young-recruit-form">
                                <h3>{t(YoungMsg::RecruitTitle)}</h3>
                                <div class="field-grid">
                                    <IdPickField id="recruit-unit" label=YoungMsg::RecruitUnit none=YoungMsg::PickUnit options=communities value=r_unit errors=r_errors field="recruited_unit"/>
                                    <YoungField id="recruit-date" label=YoungMsg::RecruitDate field="recruited_date" value=r_date errors=r_errors date=true/>
                                </div>
                                <FieldError id="recruit-status" field="status" errors=r_errors/>
                                <div class="form-actions">
                                    <button type="button" class="button primary" id="recruit-save" on:click=on_recruit>
                                        {t(YoungMsg::SaveRecruit)}
                                    </button>
                                </div>
                            </div>
                        </Show>
                    })}
                    <p class="young-state"><SaveNote id="recruit-save-state" state=r_state words=SAVE_WORDS/></p>
                </section>
            }
        })
    };

    view! {
        <ScreenHeader screen=Screen::YoungPool/>
        <section class="card young-summary">
            <div class="young-figures">
                <YoungFigure id="pool-total" label=YoungMsg::PoolTotal value=Signal::derive(move || summary.get().total)/>
                <YoungFigure id="pool-waiting" label=YoungMsg::PoolWaiting value=Signal::derive(move || summary.get().waiting)/>
                <YoungFigure id="pool-recruited" label=YoungMsg::PoolRecruited value=Signal::derive(move || summary.get().recruited) main=true/>
                <YoungFigure id="pool-withdrawn" label=YoungMsg::PoolWithdrawn value=Signal::derive(move || summary.get().withdrawn)/>
            </div>
            <Show when=move || doc.get().is_some() && !can_write.get()>
                <YoungLocked id="pool-locked" reason=YoungMsg::LockedDistrict/>
            </Show>
        </section>
        <div class="young-split">
            <section class="card young-list">
                <h2>{t(YoungMsg::PoolListTitle)}</h2>
                <div class="young-filters" role="group" aria-label=move || t(YoungMsg::PoolFilter)()>
                        {filter_button(None, YoungMsg::StatusAll, "all")}
                        {filter_button(Some(PoolStatus::Waiting), YoungMsg::PoolWaiting, "waiting")}
                        {filter_button(Some(PoolStatus::Recruited), YoungMsg::PoolRecruited, "recruited")}
                        {filter_button(Some(PoolStatus::Withdrawn), YoungMsg::PoolWithdrawn, "withdrawn")}
                </div>
                {list}
            </section>
            <div class="young-side">
                {detail}
                <RecordTrail<PoolCandidate> doc=doc id=Signal::derive(move || cand.with(|c| c.as_ref().map(|c| c.id.clone()))) names=NAMES/>
                <Show when=move || can_write.get()>
                    <section class="card young-add" id="pool-add">
                        <h2>{t(YoungMsg::AddPoolTitle)}</h2>
                        <div class="form">
                            <div class="field-grid">
                                <YoungField id="pool-name" label=YoungMsg::FieldName field="name" value=name errors=a_errors/>
                                <YoungField id="pool-registered" label=YoungMsg::FieldRegistered field="registered" value=registered errors=a_errors date=true/>
                                <div class="field-wide">
                                    <YoungField id="pool-id_number" label=YoungMsg::FieldIdNumber field="id_number" value=id_number errors=a_errors/>
                                </div>
                            </div>
                            <SaveActions button_id="pool-save" label=YoungMsg::SavePool on_click=on_add state_id="pool-save-state" state=a_state words=SAVE_WORDS/>
                        </div>
                    </section>
                </Show>
            </div>
        </div>
    }
}
