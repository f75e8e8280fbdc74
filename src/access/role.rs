//! Device roles (as the server names them) and what each one is offered in
//! the UI. The server decides what a device may really do; this only keeps
//! the UI from offering what would be refused.

use crate::i18n::Msg;
use yanzhen_model::entities::UnitKind;

/// A device's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A village or community office: its unit's document.
    Village,
    /// A township or street office: the documents of its villages.
    Township,
    /// The district organisation department's administrator: everything.
    Admin,
    /// Reads everything of its district, writes nothing.
    Viewer,
    /// The city organisation department's administrator (市委组织部): reads
    /// every district, writes no record, manages the districts.
    CityAdmin,
    /// Reads every district of the city, writes nothing.
    CityViewer,
}

impl Role {
    /// Roles an administrator can issue codes for, in the order offered.
    pub const ISSUABLE: [Role; 4] = [Role::Village, Role::Township, Role::Viewer, Role::Admin];

    /// The server's name (`village`, `township`, `admin`, `viewer`,
    /// `city_admin`, `city_viewer`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Village => "village",
            Role::Township => "township",
            Role::Admin => "admin",
            Role::Viewer => "viewer",
            Role::CityAdmin => "city_admin",
            Role::CityViewer => "city_viewer",
        }
    }

    /// Parses the server's name (and its aliases).
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "village" | "community" => Role::Village,
            "township" | "street" => Role::Township,
            "admin" | "district-admin" | "district_admin" => Role::Admin,
            "viewer" => Role::Viewer,
            "city_admin" | "city-admin" => Role::CityAdmin,
            "city_viewer" | "city-viewer" => Role::CityViewer,
            _ => return None,
        })
    }

    /// The role in plain words.
    pub const fn msg(self) -> Msg {
        match self {
            Role::Village => Msg::RoleVillage,
            Role::Township => Msg::RoleTownship,
            Role::Admin => Msg::RoleAdmin,
            Role::Viewer => Msg::RoleViewer,
            Role::CityAdmin => Msg::RoleCityAdmin,
            Role::CityViewer => Msg::RoleCityViewer,
        }
    }

    /// Whether the device sees the admin screen (codes, devices).
    pub const fn sees_admin(self) -> bool {
        matches!(self, Role::Admin)
    }

    /// Whether the device works at the city level: it sees the city
    /// dashboard (every district side by side).
    pub const fn is_city(self) -> bool {
        matches!(self, Role::CityAdmin | Role::CityViewer)
    }

    /// Whether the device manages the city's districts (create one, issue
    /// its district-admin codes).
    pub const fn manages_districts(self) -> bool {
        matches!(self, Role::CityAdmin)
    }

    /// Whether the device is offered record editing at all (the server
    /// decides per document; read-only roles never get the forms).
    pub const fn writes_records(self) -> bool {
        matches!(self, Role::Village | Role::Township | Role::Admin)
    }

    /// Whether a code for this role names a unit.
    pub const fn needs_unit(self) -> bool {
        matches!(self, Role::Village | Role::Township)
    }

    /// The kinds of unit a code for this role may be tied to.
    pub fn unit_kinds(self) -> &'static [UnitKind] {
        match self {
            Role::Village => &[UnitKind::Village, UnitKind::Community],
            Role::Township => &[UnitKind::Township, UnitKind::Street],
            Role::Admin | Role::Viewer | Role::CityAdmin | Role::CityViewer => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_aliases_parse() {
        for r in Role::ISSUABLE {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("Community"), Some(Role::Village));
        assert_eq!(Role::parse("street"), Some(Role::Township));
        assert_eq!(Role::parse("root"), None);
        for r in [Role::CityAdmin, Role::CityViewer] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert!(
                !Role::ISSUABLE.contains(&r),
                "a district admin never issues {r:?}"
            );
        }
        assert_eq!(Role::parse(" CITY_VIEWER "), Some(Role::CityViewer));
        assert_eq!(Role::parse("city"), None);
        assert_eq!(Role::parse(""), None);
    }

    #[test]
    fn city_roles_read_every_district_and_edit_nothing() {
        for r in [Role::CityAdmin, Role::CityViewer] {
            assert!(
                r.is_city() && !r.writes_records() && !r.sees_admin(),
                "{r:?}"
            );
            assert!(!r.needs_unit() && r.unit_kinds().is_empty());
        }
        assert!(Role::CityAdmin.manages_districts());
        for r in [
            Role::Village,
            Role::Township,
            Role::Admin,
            Role::Viewer,
            Role::CityViewer,
        ] {
            assert!(!r.manages_districts(), "{r:?}");
        }
        for r in Role::ISSUABLE {
            assert!(!r.is_city());
            assert_eq!(r.writes_records(), r != Role::Viewer);
        }
    }

    #[test]
    fn only_the_district_admin_sees_the_admin_screen() {
        assert!(Role::Admin.sees_admin());
        for r in [
            Role::Village,
            Role::Township,
            Role::Viewer,
            Role::CityAdmin,
            Role::CityViewer,
        ] {
            assert!(!r.sees_admin(), "{r:?}");
        }
    }

    #[test]
    fn codes_name_a_unit_of_the_right_level() {
        assert!(Role::Village.needs_unit() && Role::Township.needs_unit());
        assert!(!Role::Admin.needs_unit() && !Role::Viewer.needs_unit());
        assert!(Role::Village.unit_kinds().contains(&UnitKind::Community));
        assert!(Role::Township.unit_kinds().contains(&UnitKind::Street));
        assert!(Role::Admin.unit_kinds().is_empty());
    }
}
