//! The certified-share card: certified community workers over all
//! community workers of the units on this tablet (in tenths of a percent,
//! so one more certificate shows), and the exam-preparation lectures.

use leptos::prelude::*;

use crate::i18n::t;
use crate::modules::flock::components::figure::FlockFigure;
use crate::modules::flock::components::percent::FlockPercent;
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
                <FlockPercent id="flock-share" percent=Signal::derive(move || share.get().percent) label=FlockMsg::ShareTitle
                    part=FlockMsg::ShareCertified part_count=Signal::derive(move || share.get().certified)
                    whole=FlockMsg::ShareWorkers whole_count=Signal::derive(move || share.get().workers)
                    attr:data-certified=move || share.get().certified.to_string()
                    attr:data-workers=move || share.get().workers.to_string()
                    attr:data-pct=move || share.get().percent/>
                <FlockFigure id="flock-units-counted" label=FlockMsg::UnitsCounted value=units_counted/>
                <FlockFigure id="flock-lectures-count" label=FlockMsg::LecturesTitle value=Signal::derive(move || lectures.with(Vec::len))/>
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
