//! The 群雁 (flock) module: training, certificates and mentoring: the hub that links to the module's screens.

use crate::i18n::Msg;
use crate::routes::Route;
use crate::ui::module_hub::ModuleHub;
use leptos::prelude::*;

#[component]
pub fn FlockPage() -> impl IntoView {
    view! { <ModuleHub module=Route::Flock intro=Msg::FlockIntro/> }
}
