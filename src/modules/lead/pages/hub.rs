//! The 头雁 (lead geese) module: choosing and supervising unit leaders: the hub that links to the module's screens.

use crate::components::module_hub::ModuleHub;
use crate::i18n::Msg;
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn LeadPage() -> impl IntoView {
    view! { <ModuleHub module=Route::Lead intro=Msg::LeadIntro/> }
}
