//! The app's routes as one enum: every link and every route definition is
//! made from [`Route`], so there are no hand-built URL strings anywhere else.
//! [`Route::ALL`] are the screens every tablet has; [`Route::RESTRICTED`]
//! ones (the admin screen) are linked only for a role that may use them.

use crate::access::role::Role;
use crate::i18n::Msg;

/// A top-level screen of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    Home,
    Roster,
    Lead,
    Flock,
    Returning,
    Young,
    Dashboard,
    Sync,
    Settings,
    /// District administration (codes, devices): district admins only.
    Admin,
    /// The city dashboard (市级总览): city roles only.
    City,
}

impl Route {
    /// Every route, in navigation order.
    pub const ALL: [Route; 9] = [
        Route::Home,
        Route::Roster,
        Route::Lead,
        Route::Flock,
        Route::Returning,
        Route::Young,
        Route::Dashboard,
        Route::Sync,
        Route::Settings,
    ];

    /// Screens shown only to some roles (after [`Route::ALL`] in the
    /// navigation).
    pub const RESTRICTED: [Route; 2] = [Route::City, Route::Admin];

    /// Whether a tablet of `role` is offered this route in the navigation
    /// (every one of [`Route::ALL`]; a restricted one only to its roles).
    pub fn offered_to(self, role: Option<Role>) -> bool {
        match self {
            Route::Admin => role.is_some_and(Role::sees_admin),
            Route::City => role.is_some_and(Role::is_city),
            _ => true,
        }
    }

    /// The path segment after the leading `/` (empty for home).
    pub const fn segment(self) -> &'static str {
        match self {
            Route::Home => "",
            Route::Roster => "roster",
            Route::Lead => "lead",
            Route::Flock => "flock",
            Route::Returning => "returning",
            Route::Young => "young",
            Route::Dashboard => "dashboard",
            Route::Sync => "sync-status",
            Route::Settings => "settings",
            Route::Admin => "admin",
            Route::City => "city",
        }
    }

    /// The absolute path, for links.
    pub const fn path(self) -> &'static str {
        match self {
            Route::Home => "/",
            Route::Roster => "/roster",
            Route::Lead => "/lead",
            Route::Flock => "/flock",
            Route::Returning => "/returning",
            Route::Young => "/young",
            Route::Dashboard => "/dashboard",
            Route::Sync => "/sync-status",
            Route::Settings => "/settings",
            Route::Admin => "/admin",
            Route::City => "/city",
        }
    }

    /// The route an absolute path belongs to (a trailing slash is accepted).
    pub fn from_path(path: &str) -> Option<Route> {
        let trimmed = path.trim_end_matches('/');
        let trimmed = if trimmed.is_empty() { "/" } else { trimmed };
        Route::ALL
            .into_iter()
            .chain(Route::RESTRICTED)
            .find(|r| r.path() == trimmed)
    }

    /// The route's name in the navigation and the page heading.
    pub const fn title(self) -> Msg {
        match self {
            Route::Home => Msg::NavHome,
            Route::Roster => Msg::NavRoster,
            Route::Lead => Msg::NavLead,
            Route::Flock => Msg::NavFlock,
            Route::Returning => Msg::NavReturning,
            Route::Young => Msg::NavYoung,
            Route::Dashboard => Msg::NavDashboard,
            Route::Sync => Msg::NavSync,
            Route::Settings => Msg::NavSettings,
            Route::Admin => Msg::NavAdmin,
            Route::City => Msg::NavCity,
        }
    }

    /// A one-character mark shown in the navigation rail.
    pub const fn icon(self) -> &'static str {
        match self {
            Route::Home => "⌂",
            Route::Roster => "册",
            Route::Lead => "头",
            Route::Flock => "群",
            Route::Returning => "归",
            Route::Young => "雏",
            Route::Dashboard => "图",
            Route::Sync => "⇅",
            Route::Settings => "⚙",
            Route::Admin => "钥",
            Route::City => "市",
        }
    }
}

/// A person's file (一人一档) in a unit document, or the form for a new
/// person: `/roster/{unit document}/{person id}` and `/roster/{unit}/new`.
/// Below [`Route::Roster`]; its URLs are made here and nowhere else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonRoute {
    File { unit: String, person: String },
    New { unit: String },
}

impl PersonRoute {
    /// The route parameter naming the unit document.
    pub const UNIT_PARAM: &'static str = "unit";
    /// The route parameter naming the person (or [`Self::NEW_SEGMENT`]).
    pub const PERSON_PARAM: &'static str = "person";
    /// The last segment of the new-person form.
    pub const NEW_SEGMENT: &'static str = "new";

    /// The route from its two parameters.
    pub fn from_params(unit: &str, person: &str) -> PersonRoute {
        if person == Self::NEW_SEGMENT {
            PersonRoute::New { unit: unit.into() }
        } else {
            PersonRoute::File {
                unit: unit.into(),
                person: person.into(),
            }
        }
    }

    /// The absolute path, for links.
    pub fn path(&self) -> String {
        let (unit, last) = match self {
            PersonRoute::File { unit, person } => (unit, person.as_str()),
            PersonRoute::New { unit } => (unit, Self::NEW_SEGMENT),
        };
        format!("{}/{unit}/{last}", Route::Roster.path())
    }
}

/// A screen inside a module: `/{module}/{screen}` (the module's page is the
/// hub that links to its screens). Made here and nowhere else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Screen {
    /// 花名册 Excel import and export.
    RosterExcel,
    /// 资格联审.
    LeadReview,
    /// 书记备案.
    LeadFiling,
    /// 年度考核 and the "bottom two years" adjustments.
    LeadAssessment,
    /// 任期承诺 and 述职评议.
    LeadCommitments,
    /// 集体经济 rewards and community-worker pay.
    LeadEconomy,
    /// 全覆盖培训: sessions and attendance.
    FlockTraining,
    /// 持证上岗: social-worker certificates and exam lectures.
    FlockCertificates,
    /// 名师工作室, mentoring and shadowing.
    FlockStudios,
    /// 荣誉书记 / 发展顾问 appointments.
    ReturningAppointments,
    /// Monthly contact duty.
    ReturningContacts,
    /// Investment leads and the funnel.
    ReturningInvestment,
    /// Rural talent registers.
    ReturningTalent,
    /// 村级后备干部.
    YoungReserve,
    /// 社区工作者储备库.
    YoungPool,
    /// 回家工程.
    YoungHomecoming,
    /// Career posts.
    YoungCareer,
    /// 区县管理: the city's districts (city admins only; not a hub tile).
    AdminDistricts,
}

impl Screen {
    /// Every screen, grouped by module in navigation order.
    pub const ALL: [Screen; 18] = [
        Screen::AdminDistricts,
        Screen::RosterExcel,
        Screen::LeadReview,
        Screen::LeadFiling,
        Screen::LeadAssessment,
        Screen::LeadCommitments,
        Screen::LeadEconomy,
        Screen::FlockTraining,
        Screen::FlockCertificates,
        Screen::FlockStudios,
        Screen::ReturningAppointments,
        Screen::ReturningContacts,
        Screen::ReturningInvestment,
        Screen::ReturningTalent,
        Screen::YoungReserve,
        Screen::YoungPool,
        Screen::YoungHomecoming,
        Screen::YoungCareer,
    ];

    /// The module the screen belongs to.
    pub const fn module(self) -> Route {
        match self {
            Screen::RosterExcel => Route::Roster,
            Screen::LeadReview
            | Screen::LeadFiling
            | Screen::LeadAssessment
            | Screen::LeadCommitments
            | Screen::LeadEconomy => Route::Lead,
            Screen::FlockTraining | Screen::FlockCertificates | Screen::FlockStudios => {
                Route::Flock
            }
            Screen::ReturningAppointments
            | Screen::ReturningContacts
            | Screen::ReturningInvestment
            | Screen::ReturningTalent => Route::Returning,
            Screen::YoungReserve
            | Screen::YoungPool
            | Screen::YoungHomecoming
            | Screen::YoungCareer => Route::Young,
            Screen::AdminDistricts => Route::Admin,
        }
    }

    /// The path segment after the module's.
    pub const fn segment(self) -> &'static str {
        match self {
            Screen::RosterExcel => "excel",
            Screen::LeadReview => "review",
            Screen::LeadFiling => "filing",
            Screen::LeadAssessment => "assessment",
            Screen::LeadCommitments => "commitments",
            Screen::LeadEconomy => "economy",
            Screen::FlockTraining => "training",
            Screen::FlockCertificates => "certificates",
            Screen::FlockStudios => "studios",
            Screen::ReturningAppointments => "appointments",
            Screen::ReturningContacts => "contacts",
            Screen::ReturningInvestment => "investment",
            Screen::ReturningTalent => "talent",
            Screen::YoungReserve => "reserve",
            Screen::YoungPool => "pool",
            Screen::YoungHomecoming => "homecoming",
            Screen::YoungCareer => "career",
            Screen::AdminDistricts => "districts",
        }
    }

    /// The absolute path, for links.
    pub fn path(self) -> String {
        format!("{}/{}", self.module().path(), self.segment())
    }

    /// The screens of `module`, in order.
    pub fn of(module: Route) -> impl Iterator<Item = Screen> {
        Screen::ALL
            .into_iter()
            .filter(move |s| s.module() == module)
    }

    /// The screen an absolute path belongs to (a trailing slash is accepted).
    pub fn from_path(path: &str) -> Option<Screen> {
        let trimmed = path.trim_end_matches('/');
        Screen::ALL.into_iter().find(|s| s.path() == trimmed)
    }

    /// The screen's name in the module's tabs and its heading.
    pub const fn title(self) -> Msg {
        match self {
            Screen::RosterExcel => Msg::ScreenRosterExcel,
            Screen::LeadReview => Msg::ScreenLeadReview,
            Screen::LeadFiling => Msg::ScreenLeadFiling,
            Screen::LeadAssessment => Msg::ScreenLeadAssessment,
            Screen::LeadCommitments => Msg::ScreenLeadCommitments,
            Screen::LeadEconomy => Msg::ScreenLeadEconomy,
            Screen::FlockTraining => Msg::ScreenFlockTraining,
            Screen::FlockCertificates => Msg::ScreenFlockCertificates,
            Screen::FlockStudios => Msg::ScreenFlockStudios,
            Screen::ReturningAppointments => Msg::ScreenReturningAppointments,
            Screen::ReturningContacts => Msg::ScreenReturningContacts,
            Screen::ReturningInvestment => Msg::ScreenReturningInvestment,
            Screen::ReturningTalent => Msg::ScreenReturningTalent,
            Screen::YoungReserve => Msg::ScreenYoungReserve,
            Screen::YoungPool => Msg::ScreenYoungPool,
            Screen::YoungHomecoming => Msg::ScreenYoungHomecoming,
            Screen::YoungCareer => Msg::ScreenYoungCareer,
            Screen::AdminDistricts => Msg::ScreenAdminDistricts,
        }
    }
}

/// A4 print layouts: `/print/{kind}/{unit document}/{person id}`, opened from
/// the person file and the filing screen. Made here and nowhere else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrintRoute {
    /// The person file (一人一档).
    Person { unit: String, person: String },
    /// The secretary's filing form (备案表).
    Filing { unit: String, person: String },
}

impl PrintRoute {
    /// The first segment of every print path.
    pub const PREFIX: &'static str = "print";
    /// The kind segment of the person file.
    pub const PERSON_SEGMENT: &'static str = "person";
    /// The kind segment of the filing form.
    pub const FILING_SEGMENT: &'static str = "filing";

    /// The absolute path, for links.
    pub fn path(&self) -> String {
        let (kind, unit, person) = match self {
            PrintRoute::Person { unit, person } => (Self::PERSON_SEGMENT, unit, person),
            PrintRoute::Filing { unit, person } => (Self::FILING_SEGMENT, unit, person),
        };
        format!("/{}/{kind}/{unit}/{person}", Self::PREFIX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_segments_agree_and_round_trip() {
        for r in Route::ALL.into_iter().chain(Route::RESTRICTED) {
            assert_eq!(r.path(), format!("/{}", r.segment()));
            assert_eq!(Route::from_path(r.path()), Some(r));
            assert_eq!(Route::from_path(&format!("{}/", r.path())), Some(r));
        }
    }

    #[test]
    fn paths_are_unique() {
        let mut paths: Vec<_> = Route::ALL
            .iter()
            .chain(&Route::RESTRICTED)
            .map(|r| r.path())
            .collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), Route::ALL.len() + Route::RESTRICTED.len());
    }

    /// `/sync` is the server's WebSocket endpoint: a page there could not be
    /// reloaded or opened from a link.
    #[test]
    fn no_route_takes_a_server_path() {
        for r in Route::ALL.into_iter().chain(Route::RESTRICTED) {
            let p = r.path();
            assert!(
                p != "/sync" && p != "/healthz" && !p.starts_with("/api"),
                "{p}"
            );
        }
    }

    #[test]
    fn person_routes_round_trip() {
        let file = PersonRoute::from_params("2Dx", "abc");
        assert_eq!(file.path(), "/roster/2Dx/abc");
        let new = PersonRoute::from_params("2Dx", PersonRoute::NEW_SEGMENT);
        assert_eq!(new, PersonRoute::New { unit: "2Dx".into() });
        assert_eq!(new.path(), "/roster/2Dx/new");
    }

    #[test]
    fn screens_belong_to_modules_and_round_trip() {
        let mut paths: Vec<String> = Screen::ALL.iter().map(|s| s.path()).collect();
        for s in Screen::ALL {
            assert_eq!(Screen::from_path(&s.path()), Some(s));
            assert_eq!(Screen::from_path(&format!("{}/", s.path())), Some(s));
            assert!(Screen::of(s.module()).any(|x| x == s));
            assert_eq!(Route::from_path(&s.path()), None);
        }
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), Screen::ALL.len());
        assert_eq!(Screen::of(Route::Lead).count(), 5);
        assert_eq!(Screen::of(Route::Settings).count(), 0);
    }

    #[test]
    fn print_routes() {
        let p = PrintRoute::Person {
            unit: "2Dx".into(),
            person: "abc".into(),
        };
        assert_eq!(p.path(), "/print/person/2Dx/abc");
        let f = PrintRoute::Filing {
            unit: "2Dx".into(),
            person: "abc".into(),
        };
        assert_eq!(f.path(), "/print/filing/2Dx/abc");
    }

    #[test]
    fn restricted_routes_are_offered_to_their_roles_only() {
        for r in Route::ALL {
            assert!(r.offered_to(None) && r.offered_to(Some(Role::CityViewer)));
        }
        assert!(Route::City.offered_to(Some(Role::CityViewer)));
        assert!(Route::City.offered_to(Some(Role::CityAdmin)));
        assert!(!Route::City.offered_to(Some(Role::Admin)));
        assert!(!Route::City.offered_to(None));
        assert!(Route::Admin.offered_to(Some(Role::Admin)));
        assert!(!Route::Admin.offered_to(Some(Role::CityAdmin)));
        assert_eq!(Screen::AdminDistricts.path(), "/admin/districts");
    }

    #[test]
    fn unknown_paths_have_no_route() {
        assert_eq!(Route::from_path("/nope"), None);
        assert_eq!(Route::from_path("/roster/extra"), None);
    }
}
