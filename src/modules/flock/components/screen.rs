//! The frame of a 群雁 screen: its header with the intro, then its content
//! once the district document is read (until then, "loading").

use leptos::prelude::*;
use yanzhen_model::store::DistrictData;

use crate::i18n::use_i18n;
use crate::modules::flock::messages::FlockMsg;
use crate::routes::Screen;
use crate::ui::empty_note::EmptyNote;
use crate::ui::screen_header::ScreenHeader;

#[component]
pub fn FlockScreen(
    screen: Screen,
    /// The words under the title.
    intro: FlockMsg,
    district: Memo<Option<DistrictData>>,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ScreenHeader screen=screen intro=Signal::derive(move || intro.text(i18n.lang.get()).to_owned())/>
        <Show
            when=move || district.with(Option::is_some)
            fallback=|| view! { <EmptyNote id="flock-state" msg=FlockMsg::Loading/> }
        >
            {children()}
        </Show>
    }
}
