//! The root component: loads the tablet's settings, provides the language
//! and settings contexts, then opens the gate of the lock ([`crate::lock`],
//! [`crate::lock::start_screen`]): a wiped tablet shows why; a tablet with
//! a lock shows only the unlock screen (no sync, no document loading, no
//! token in memory) until the PIN is right; a tablet whose lock is gone
//! while sealed data remains says it must be enrolled again; an enrolled
//! tablet from before the lock sets its PIN once. Only then the
//! [`Shell`] provides the sync context and lays out the navigation and the
//! routed screen, and locks itself again after the chosen idle time.

use crate::i18n::{I18n, Msg};
use crate::lazy_view;
use crate::lock::Start;
use crate::lock::components::enrol_again::LockEnrolAgain;
use crate::lock::components::set_pin::LockSetPin;
use crate::lock::components::unlock::LockUnlock;
use crate::lock::components::wiped::LockWiped;
use crate::modules::admin::pages::admin::AdminPage;
use crate::modules::admin::pages::districts::DistrictsPage;
use crate::modules::dashboard::pages::city::CityPage;
use crate::modules::dashboard::pages::dashboard::DashboardPage;
use crate::modules::dashboard::pages::excel::RosterExcelPage;
use crate::modules::dashboard::pages::print_filing::PrintFilingPage;
use crate::modules::dashboard::pages::print_person::PrintPersonPage;
use crate::modules::flock::pages::certificates::FlockCertificatesPage;
use crate::modules::flock::pages::hub::FlockPage;
use crate::modules::flock::pages::studios::FlockStudiosPage;
use crate::modules::flock::pages::training::FlockTrainingPage;
use crate::modules::lead::pages::assessment::LeadAssessmentPage;
use crate::modules::lead::pages::commitments::LeadCommitmentsPage;
use crate::modules::lead::pages::economy::LeadEconomyPage;
use crate::modules::lead::pages::filing::LeadFilingPage;
use crate::modules::lead::pages::hub::LeadPage;
use crate::modules::lead::pages::review::LeadReviewPage;
use crate::modules::returning::pages::appointments::ReturningAppointmentsPage;
use crate::modules::returning::pages::contacts::ReturningContactsPage;
use crate::modules::returning::pages::hub::ReturningPage;
use crate::modules::returning::pages::investment::ReturningInvestmentPage;
use crate::modules::returning::pages::talent::ReturningTalentPage;
use crate::modules::roster::pages::person::PersonPage;
use crate::modules::roster::pages::roster::RosterPage;
use crate::modules::young::pages::career::YoungCareerPage;
use crate::modules::young::pages::homecoming::YoungHomecomingPage;
use crate::modules::young::pages::hub::YoungPage;
use crate::modules::young::pages::pool::YoungPoolPage;
use crate::modules::young::pages::reserve::YoungReservePage;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::settings::SettingsPage;
use crate::pages::sync_status::SyncStatusPage;
use crate::routes::Route as R;
use crate::routes::{PersonRoute, PrintRoute, Screen as S};
use crate::settings::{self, Loaded, Settings};
use crate::ui::nav_bar::NavBar;
use crate::ui::notice::Notice;
use crate::ui::storage_alert::StorageAlert;
use crate::ui::update_notice::UpdateNotice;
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

/// Whether this tablet has a lock (set at enrolment; the nav bar's "锁定"
/// and the auto-lock follow it without a reload).
#[derive(Clone, Copy)]
pub struct LockContext {
    pub has_lock: RwSignal<bool>,
}

/// The lock context of the running app.
pub fn use_lock() -> LockContext {
    expect_context::<LockContext>()
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
    provide_context(LockContext {
        has_lock: RwSignal::new(crate::lock::store::lock_record().is_some()),
    });

    // Keep <html lang> and the window title in the current language.
    Effect::new(move |_| {
        let lang = i18n.lang.get();
        let doc = document();
        if let Some(root) = doc.document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
        doc.set_title(Msg::AppName.text(lang));
    });

    // What the tablet holds decides the first screen (the durable copy of
    // a lock record local storage lost is put back on the way).
    let gate = RwSignal::new(Gate::Checking);
    let has_lock = use_lock().has_lock;
    leptos::task::spawn_local(async move {
        let start = crate::lock::start_screen(crate::lock::store::found().await);
        if start == Start::Locked {
            crate::lock::actions::load_backoff().await;
        }
        has_lock.set(crate::lock::store::lock_record().is_some());
        gate.set(Gate::Start(start));
    });
    let open = Callback::new(move |()| gate.set(Gate::Open));
    move || match gate.get() {
        Gate::Checking => view! { <div class="lock-screen" id="starting"></div> }.into_any(),
        Gate::Start(Start::Wiped) => view! { <LockWiped/> }.into_any(),
        Gate::Start(Start::Locked) => view! { <LockUnlock on_unlocked=open/> }.into_any(),
        Gate::Start(Start::EnrolAgain) => view! { <LockEnrolAgain/> }.into_any(),
        Gate::Start(Start::SetPin) => view! { <LockSetPin on_done=open/> }.into_any(),
        Gate::Start(Start::Fresh) | Gate::Open => view! { <Shell/> }.into_any(),
    }
}

/// What the app shows first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gate {
    /// Reading what the tablet holds.
    Checking,
    /// The first screen ([`crate::lock::start_screen`]).
    Start(Start),
    /// Unlocked (or the PIN just set).
    Open,
}

/// Locks the tablet after the chosen time without a touch, key or pointer
/// event (only a tablet that has a lock).
fn auto_lock(sync: crate::sync::repo::SyncContext) {
    let has_lock = use_lock().has_lock;
    let last = StoredValue::new(js_sys::Date::now());
    let touch = move || last.set_value(js_sys::Date::now());
    for ev in ["pointerdown", "keydown", "touchstart", "wheel"] {
        let handle = window_event_listener_untyped(ev, move |_| touch());
        on_cleanup(move || handle.remove());
    }
    let locking = StoredValue::new(false);
    if let Ok(h) = set_interval_with_handle(
        move || {
            let limit = f64::from(crate::lock::store::lock_after_minutes()) * 60_000.0;
            if has_lock.get_untracked()
                && !locking.get_value()
                && crate::lock::should_lock(last.get_value(), js_sys::Date::now(), limit)
            {
                locking.set_value(true);
                leptos::task::spawn_local(crate::lock::actions::lock_now(move || {
                    sync.saves_pending()
                }));
            }
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || h.clear());
    }
}

// The routes whose screens the split build downloads when first opened,
// by chunk (issue 16; `ui::lazy_screen`). The shell keeps the home screen,
// the person file, settings and sync status; the roster list (with its
// search and pinyin table) is a chunk of its own, as a tablet opens it once
// per session at most and the first paint should not wait for it.
lazy_view!(roster, roster_list, RosterPage);
lazy_view!(lead, lead_hub, LeadPage);
lazy_view!(lead, lead_review, LeadReviewPage);
lazy_view!(lead, lead_filing, LeadFilingPage);
lazy_view!(lead, lead_assessment, LeadAssessmentPage);
lazy_view!(lead, lead_commitments, LeadCommitmentsPage);
lazy_view!(lead, lead_economy, LeadEconomyPage);
lazy_view!(flock, flock_hub, FlockPage);
lazy_view!(flock, flock_training, FlockTrainingPage);
lazy_view!(flock, flock_certificates, FlockCertificatesPage);
lazy_view!(flock, flock_studios, FlockStudiosPage);
lazy_view!(returning, returning_hub, ReturningPage);
lazy_view!(returning, returning_appointments, ReturningAppointmentsPage);
lazy_view!(returning, returning_contacts, ReturningContactsPage);
lazy_view!(returning, returning_investment, ReturningInvestmentPage);
lazy_view!(returning, returning_talent, ReturningTalentPage);
lazy_view!(young, young_hub, YoungPage);
lazy_view!(young, young_reserve, YoungReservePage);
lazy_view!(young, young_pool, YoungPoolPage);
lazy_view!(young, young_homecoming, YoungHomecomingPage);
lazy_view!(young, young_career, YoungCareerPage);
lazy_view!(dashboard, dashboard, DashboardPage);
lazy_view!(dashboard, city_dashboard, CityPage);
lazy_view!(excel, roster_excel, RosterExcelPage);
lazy_view!(print, print_person, PrintPersonPage);
lazy_view!(print, print_filing, PrintFilingPage);
lazy_view!(admin, admin, AdminPage);
lazy_view!(admin, admin_districts, DistrictsPage);

/// The unlocked app: the sync context, navigation and routes.
#[component]
fn Shell() -> impl IntoView {
    let app_settings = use_settings();
    // The tablet's documents and their sync (IndexedDB + server).
    let sync = crate::sync::repo::provide_sync(app_settings.saved);
    auto_lock(sync);
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
                        <Route path=StaticSegment(R::Roster.segment()) view=roster_list/>
                        <Route
                            path=(
                                StaticSegment(R::Roster.segment()),
                                ParamSegment(PersonRoute::UNIT_PARAM),
                                ParamSegment(PersonRoute::PERSON_PARAM),
                            )
                            view=PersonPage
                        />
                        <Route path=StaticSegment(R::Lead.segment()) view=lead_hub/>
                        <Route path=StaticSegment(R::Flock.segment()) view=flock_hub/>
                        <Route path=StaticSegment(R::Returning.segment()) view=returning_hub/>
                        <Route path=StaticSegment(R::Young.segment()) view=young_hub/>
                        <Route path=StaticSegment(R::Dashboard.segment()) view=dashboard/>
                        <Route path=StaticSegment(R::Sync.segment()) view=SyncStatusPage/>
                        <Route path=StaticSegment(R::Settings.segment()) view=SettingsPage/>
                        <Route path=StaticSegment(R::Admin.segment()) view=admin/>
                        <Route path=StaticSegment(R::City.segment()) view=city_dashboard/>
                        <Route
                            path=(StaticSegment(S::AdminDistricts.module().segment()), StaticSegment(S::AdminDistricts.segment()))
                            view=admin_districts
                        />
                        <Route
                            path=(StaticSegment(S::RosterExcel.module().segment()), StaticSegment(S::RosterExcel.segment()))
                            view=roster_excel
                        />
                        <Route
                            path=(StaticSegment(S::LeadReview.module().segment()), StaticSegment(S::LeadReview.segment()))
                            view=lead_review
                        />
                        <Route
                            path=(StaticSegment(S::LeadFiling.module().segment()), StaticSegment(S::LeadFiling.segment()))
                            view=lead_filing
                        />
                        <Route
                            path=(StaticSegment(S::LeadAssessment.module().segment()), StaticSegment(S::LeadAssessment.segment()))
                            view=lead_assessment
                        />
                        <Route
                            path=(StaticSegment(S::LeadCommitments.module().segment()), StaticSegment(S::LeadCommitments.segment()))
                            view=lead_commitments
                        />
                        <Route
                            path=(StaticSegment(S::LeadEconomy.module().segment()), StaticSegment(S::LeadEconomy.segment()))
                            view=lead_economy
                        />
                        <Route
                            path=(StaticSegment(S::FlockTraining.module().segment()), StaticSegment(S::FlockTraining.segment()))
                            view=flock_training
                        />
                        <Route
                            path=(StaticSegment(S::FlockCertificates.module().segment()), StaticSegment(S::FlockCertificates.segment()))
                            view=flock_certificates
                        />
                        <Route
                            path=(StaticSegment(S::FlockStudios.module().segment()), StaticSegment(S::FlockStudios.segment()))
                            view=flock_studios
                        />
                        <Route
                            path=(StaticSegment(S::ReturningAppointments.module().segment()), StaticSegment(S::ReturningAppointments.segment()))
                            view=returning_appointments
                        />
                        <Route
                            path=(StaticSegment(S::ReturningContacts.module().segment()), StaticSegment(S::ReturningContacts.segment()))
                            view=returning_contacts
                        />
                        <Route
                            path=(StaticSegment(S::ReturningInvestment.module().segment()), StaticSegment(S::ReturningInvestment.segment()))
                            view=returning_investment
                        />
                        <Route
                            path=(StaticSegment(S::ReturningTalent.module().segment()), StaticSegment(S::ReturningTalent.segment()))
                            view=returning_talent
                        />
                        <Route
                            path=(StaticSegment(S::YoungReserve.module().segment()), StaticSegment(S::YoungReserve.segment()))
                            view=young_reserve
                        />
                        <Route
                            path=(StaticSegment(S::YoungPool.module().segment()), StaticSegment(S::YoungPool.segment()))
                            view=young_pool
                        />
                        <Route
                            path=(StaticSegment(S::YoungHomecoming.module().segment()), StaticSegment(S::YoungHomecoming.segment()))
                            view=young_homecoming
                        />
                        <Route
                            path=(StaticSegment(S::YoungCareer.module().segment()), StaticSegment(S::YoungCareer.segment()))
                            view=young_career
                        />
                        <Route
                            path=(
                                StaticSegment(PrintRoute::PREFIX),
                                StaticSegment(PrintRoute::PERSON_SEGMENT),
                                ParamSegment(PersonRoute::UNIT_PARAM),
                                ParamSegment(PersonRoute::PERSON_PARAM),
                            )
                            view=print_person
                        />
                        <Route
                            path=(
                                StaticSegment(PrintRoute::PREFIX),
                                StaticSegment(PrintRoute::FILING_SEGMENT),
                                ParamSegment(PersonRoute::UNIT_PARAM),
                                ParamSegment(PersonRoute::PERSON_PARAM),
                            )
                            view=print_filing
                        />
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
