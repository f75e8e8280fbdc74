//! The 头雁 (lead geese) module: choosing and supervising unit leaders: the hub that links to the module's screens.

use crate::i18n::Msg;
use crate::routes::Route;
use crate::ui::module_hub::ModuleHub;
use leptos::prelude::*;

#[component]
pub fn LeadPage() -> impl IntoView {
    view! { <ModuleHub module=Route::Lead intro=Msg::LeadIntro/> }
}
