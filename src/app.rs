//! The root component: loads the tablet's settings, provides the language
//! and settings contexts, and lays out the navigation and the routed screen.

use crate::components::nav_bar::NavBar;
use crate::components::notice::Notice;
use crate::components::storage_alert::StorageAlert;
use crate::components::update_notice::UpdateNotice;
use crate::i18n::{I18n, Msg};
use crate::pages::{
    admin::AdminPage, dashboard::DashboardPage, flock::FlockPage, home::HomePage, lead::LeadPage,
    not_found::NotFoundPage, person::PersonPage, print_filing::PrintFilingPage,
    print_person::PrintPersonPage, returning::ReturningPage, roster::RosterPage,
    settings::SettingsPage, sync_status::SyncStatusPage, young::YoungPage,
};
use crate::pages::{
    flock_certificates::FlockCertificatesPage, flock_studios::FlockStudiosPage,
    flock_training::FlockTrainingPage, lead_assessment::LeadAssessmentPage,
    lead_commitments::LeadCommitmentsPage, lead_economy::LeadEconomyPage,
    lead_filing::LeadFilingPage, lead_review::LeadReviewPage,
    returning_appointments::ReturningAppointmentsPage, returning_contacts::ReturningContactsPage,
    returning_investment::ReturningInvestmentPage, returning_talent::ReturningTalentPage,
    roster_excel::RosterExcelPage, young_career::YoungCareerPage,
    young_homecoming::YoungHomecomingPage, young_pool::YoungPoolPage,
    young_reserve::YoungReservePage,
};
use crate::routes::Route as R;
use crate::routes::{PersonRoute, PrintRoute, Screen as S};
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
                    <StorageAlert/>

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
                        <Route
                            path=(StaticSegment(S::RosterExcel.module().segment()), StaticSegment(S::RosterExcel.segment()))
                            view=RosterExcelPage
                        />
                        <Route
                            path=(StaticSegment(S::LeadReview.module().segment()), StaticSegment(S::LeadReview.segment()))
                            view=LeadReviewPage
                        />
                        <Route
                            path=(StaticSegment(S::LeadFiling.module().segment()), StaticSegment(S::LeadFiling.segment()))
                            view=LeadFilingPage
                        />
                        <Route
                            path=(StaticSegment(S::LeadAssessment.module().segment()), StaticSegment(S::LeadAssessment.segment()))
                            view=LeadAssessmentPage
                        />
                        <Route
                            path=(StaticSegment(S::LeadCommitments.module().segment()), StaticSegment(S::LeadCommitments.segment()))
                            view=LeadCommitmentsPage
                        />
                        <Route
                            path=(StaticSegment(S::LeadEconomy.module().segment()), StaticSegment(S::LeadEconomy.segment()))
                            view=LeadEconomyPage
                        />
                        <Route
                            path=(StaticSegment(S::FlockTraining.module().segment()), StaticSegment(S::FlockTraining.segment()))
                            view=FlockTrainingPage
                        />
                        <Route
                            path=(StaticSegment(S::FlockCertificates.module().segment()), StaticSegment(S::FlockCertificates.segment()))
                            view=FlockCertificatesPage
                        />
                        <Route
                            path=(StaticSegment(S::FlockStudios.module().segment()), StaticSegment(S::FlockStudios.segment()))
                            view=FlockStudiosPage
                        />
                        <Route
                            path=(StaticSegment(S::ReturningAppointments.module().segment()), StaticSegment(S::ReturningAppointments.segment()))
                            view=ReturningAppointmentsPage
                        />
                        <Route
                            path=(StaticSegment(S::ReturningContacts.module().segment()), StaticSegment(S::ReturningContacts.segment()))
                            view=ReturningContactsPage
                        />
                        <Route
                            path=(StaticSegment(S::ReturningInvestment.module().segment()), StaticSegment(S::ReturningInvestment.segment()))
                            view=ReturningInvestmentPage
                        />
                        <Route
                            path=(StaticSegment(S::ReturningTalent.module().segment()), StaticSegment(S::ReturningTalent.segment()))
                            view=ReturningTalentPage
                        />
                        <Route
                            path=(StaticSegment(S::YoungReserve.module().segment()), StaticSegment(S::YoungReserve.segment()))
                            view=YoungReservePage
                        />
                        <Route
                            path=(StaticSegment(S::YoungPool.module().segment()), StaticSegment(S::YoungPool.segment()))
                            view=YoungPoolPage
                        />
                        <Route
                            path=(StaticSegment(S::YoungHomecoming.module().segment()), StaticSegment(S::YoungHomecoming.segment()))
                            view=YoungHomecomingPage
                        />
                        <Route
                            path=(StaticSegment(S::YoungCareer.module().segment()), StaticSegment(S::YoungCareer.segment()))
                            view=YoungCareerPage
                        />
                        <Route
                            path=(
                                StaticSegment(PrintRoute::PREFIX),
                                StaticSegment(PrintRoute::PERSON_SEGMENT),
                                ParamSegment(PersonRoute::UNIT_PARAM),
                                ParamSegment(PersonRoute::PERSON_PARAM),
                            )
                            view=PrintPersonPage
                        />
                        <Route
                            path=(
                                StaticSegment(PrintRoute::PREFIX),
                                StaticSegment(PrintRoute::FILING_SEGMENT),
                                ParamSegment(PersonRoute::UNIT_PARAM),
                                ParamSegment(PersonRoute::PERSON_PARAM),
                            )
                            view=PrintFilingPage
                        />
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
