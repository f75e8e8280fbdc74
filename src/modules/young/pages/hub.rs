//! The 雏雁 (young geese) module: reserve cadres, reserve pool, home-coming, career posts: the hub that links to the module's screens.

use crate::i18n::Msg;
use crate::routes::Route;
use crate::ui::module_hub::ModuleHub;
use leptos::prelude::*;

#[component]
pub fn YoungPage() -> impl IntoView {
    view! { <ModuleHub module=Route::Young intro=Msg::YoungIntro/> }
}
