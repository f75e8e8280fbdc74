//! The 雏雁 (young geese) module: reserve cadres, reserve pool, home-coming, career posts: the hub that links to the module's screens.

use crate::components::module_hub::ModuleHub;
use crate::i18n::Msg;
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn YoungPage() -> impl IntoView {
    view! { <ModuleHub module=Route::Young intro=Msg::YoungIntro/> }
}
