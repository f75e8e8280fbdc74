//! The certified-share card: certified community workers over all
//! community workers of the units on this tablet (in tenths of a percent,
//! so one more certificate shows), and the exam-preparation lectures.

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::flock::messages::FlockMsg;
use crate::modules::flock::rows::{LectureRow, ShareView};

#[component]
pub fn FlockShare(
    share: Signal<ShareView>,
    units_counted: Signal<usize>,
    lectures: Signal<Vec<LectureRow>>,
) -> impl IntoView {
    view! {
        <section class="card" id="flock-share-card">
            <h2>{t(FlockMsg::ShareTitle)}</h2>
            <div class="flock-figure-row">
                <div class="flock-figure" id="flock-share"
                    data-certified=move || share.get().certified.to_string()
                    data-workers=move || share.get().workers.to_string()
                    data-pct=move || share.get().percent>
                    <strong>{move || format!("{}%", share.get().percent)}</strong>
                    <span>{t(FlockMsg::ShareTitle)}</span>
                    <small>
                        {t(FlockMsg::ShareCertified)} " " {move || share.get().certified}
                        " / " {t(FlockMsg::ShareWorkers)} " " {move || share.get().workers}
                    </small>
                </div>
                <div class="flock-figure">
                    <strong id="flock-units-counted">{move || units_counted.get()}</strong>
                    <span>{t(FlockMsg::UnitsCounted)}</span>
                </div>
                <div class="flock-figure">
                    <strong id="flock-lectures-count">{move || lectures.with(Vec::len)}</strong>
                    <span>{t(FlockMsg::LecturesTitle)}</span>
                </div>
            </div>
            <h3>{t(FlockMsg::LecturesTitle)}</h3>
            <ol class="flock-lectures" id="flock-lectures">
                {move || lectures.get().into_iter().map(|l| view! {
                    <li class="flock-lecture-row" data-session=l.id.as_str().to_owned()>
                        <span class="flock-date">{l.date.to_string()}</span>
                        <span>{l.title}</span>
                        <small>{l.hours} " " {t(FlockMsg::SessionHours)}</small>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
