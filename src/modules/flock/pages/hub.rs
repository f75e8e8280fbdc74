//! The 群雁 (flock) module: training, certificates and mentoring: the hub that links to the module's screens.

use crate::components::module_hub::ModuleHub;
use crate::i18n::Msg;
use crate::routes::Route;
use leptos::prelude::*;

#[component]
pub fn FlockPage() -> impl IntoView {
    view! { <ModuleHub module=Route::Flock intro=Msg::FlockIntro/> }
}
