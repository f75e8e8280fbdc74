//! The root component: loads the tablet's settings, provides the language
//! and settings contexts, and lays out the navigation and the routed screen.

use crate::components::nav_bar::NavBar;
use crate::components::notice::Notice;
use crate::components::update_notice::UpdateNotice;
use crate::i18n::{I18n, Msg};
use crate::pages::{
    admin::AdminPage, dashboard::DashboardPage, flock::FlockPage, home::HomePage, lead::LeadPage,
    not_found::NotFoundPage, person::PersonPage, returning::ReturningPage, roster::RosterPage,
    settings::SettingsPage, sync_status::SyncStatusPage, young::YoungPage,
};
use crate::routes::PersonRoute;
use crate::routes::Route as R;
use crate::settings::{self, Loaded, Settings};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, StaticSegment};

/// The tablet's saved settings and the last problem with storing them.
#[derive(Clone, Copy)]
pub struct AppSettings {
    /// What is saved now.
    pub saved: RwSignal<Settings>,
    /// A storage problem to show until the next successful save.
    pub problem: RwSignal<Option<Msg>>,
}

impl AppSettings {
    /// Saves `new` and, on success, makes it current; on failure, what was
    /// saved before stays current and the problem is shown.
    pub fn save(self, new: Settings) -> Result<(), Msg> {
        match settings::save(&new) {
            Ok(()) => {
                self.saved.set(new);
                self.problem.set(None);
                Ok(())
            }
            Err(_) => {
                self.problem.set(Some(Msg::ErrStorage));
                Err(Msg::ErrStorage)
            }
        }
    }
}

/// The settings context of the running app.
pub fn use_settings() -> AppSettings {
    expect_context::<AppSettings>()
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let (initial, problem) = match settings::load() {
        Loaded::Fresh(s) | Loaded::Saved(s) => (s, None),
        Loaded::Unreadable(s) => (s, Some(Msg::ErrSettingsUnreadable)),
    };
    let i18n = I18n {
        lang: RwSignal::new(initial.lang),
    };
    let app_settings = AppSettings {
        saved: RwSignal::new(initial),
        problem: RwSignal::new(problem),
    };
    provide_context(i18n);
    provide_context(app_settings);
    // The tablet's documents and their sync (IndexedDB + server).
    crate::sync::repo::provide_sync(app_settings.saved);

    // Keep <html lang> and the window title in the current language.
    Effect::new(move |_| {
        let lang = i18n.lang.get();
        let doc = document();
        if let Some(root) = doc.document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
        doc.set_title(Msg::AppName.text(lang));
    });

    view! {
        <Router>
            <div class="shell">
                <NavBar/>
                <main class="content" id="main">
                    <UpdateNotice/>

                    {move || app_settings.problem.get().map(|msg| view! { <Notice msg=msg/> })}
                    <Routes fallback=NotFoundPage>
                        <Route path=StaticSegment(R::Home.segment()) view=HomePage/>
                        <Route path=StaticSegment(R::Roster.segment()) view=RosterPage/>
                        <Route
                            path=(
                                StaticSegment(R::Roster.segment()),
                                ParamSegment(PersonRoute::UNIT_PARAM),
                                ParamSegment(PersonRoute::PERSON_PARAM),
                            )
                            view=PersonPage
                        />
                        <Route path=StaticSegment(R::Lead.segment()) view=LeadPage/>
                        <Route path=StaticSegment(R::Flock.segment()) view=FlockPage/>
                        <Route path=StaticSegment(R::Returning.segment()) view=ReturningPage/>
                        <Route path=StaticSegment(R::Young.segment()) view=YoungPage/>
                        <Route path=StaticSegment(R::Dashboard.segment()) view=DashboardPage/>
                        <Route path=StaticSegment(R::Sync.segment()) view=SyncStatusPage/>
                        <Route path=StaticSegment(R::Settings.segment()) view=SettingsPage/>
                        <Route path=StaticSegment(R::Admin.segment()) view=AdminPage/>
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
