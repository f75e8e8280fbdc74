//! The 归雁 (returning geese) module: honorary secretaries, advisors, contact duty, investment, rural talent: the hub that links to the module's screens.

use crate::i18n::Msg;
use crate::routes::Route;
use crate::ui::module_hub::ModuleHub;
use leptos::prelude::*;

#[component]
pub fn ReturningPage() -> impl IntoView {
    view! { <ModuleHub module=Route::Returning intro=Msg::ReturningIntro/> }
}
