//! The access rule on one district and on a city of two: every role ×
//! document, isolation between districts, directories replaced, bound
//! peers, the demo directory.

use super::*;

fn doc(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

fn unit(id: &str, kind: UnitKind, parent: Option<&str>, d: Option<u8>) -> UnitEntry {
    UnitEntry {
        id: id.into(),
        name: format!("name {id}"),
        kind,
        parent: parent.map(Into::into),
        doc: d.map(doc),
    }
}

/// District (doc 0) → townships t1, t2 → villages v1, v2 (in t1), v3 (in t2).
fn dir() -> Directory {
    Directory::new(
        Some(doc(0)),
        [
            unit("d", UnitKind::District, None, None),
            unit("t1", UnitKind::Township, Some("d"), None),
            unit("t2", UnitKind::Street, Some("d"), None),
            unit("v1", UnitKind::Village, Some("t1"), Some(1)),
            unit("v2", UnitKind::Community, Some("t1"), Some(2)),
            unit("v3", UnitKind::Village, Some("t2"), Some(3)),
        ],
    )
}

#[test]
fn role_to_access() {
    let d = dir();
    let rw = Access::ReadWrite;
    let r = Access::Read;
    let no = Access::None;
    // (role, unit) → access to [district, v1, v2, v3, unknown]
    let cases: [(Role, Option<&str>, [Access; 5]); 5] = [
        (Role::Village, Some("v1"), [r, rw, no, no, no]),
        (Role::Township, Some("t1"), [r, rw, rw, no, no]),
        (Role::Township, Some("t2"), [r, no, no, rw, no]),
        (Role::Admin, None, [rw, rw, rw, rw, rw]),
        (Role::Viewer, None, [r, r, r, r, r]),
    ];
    for (role, unit, expected) in cases {
        for (i, n) in [0u8, 1, 2, 3, 9].into_iter().enumerate() {
            assert_eq!(
                access(&d, role, unit, &doc(n)),
                expected[i],
                "{role} {unit:?} doc {n}"
            );
        }
    }
    // A village office without a unit gets only the district document.
    assert_eq!(access(&d, Role::Village, None, &doc(1)), no);
    assert_eq!(
        d.documents_for(Role::Township, Some("t1")),
        vec![(doc(0), r), (doc(1), rw), (doc(2), rw)]
    );
}

#[test]
fn roles_parse_and_fit_units() {
    for role in Role::ALL {
        assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
    }
    assert_eq!("Community".parse::<Role>().unwrap(), Role::Village);
    assert_eq!("street".parse::<Role>().unwrap(), Role::Township);
    assert_eq!("district-admin".parse::<Role>().unwrap(), Role::Admin);
    assert!("mayor".parse::<Role>().is_err());
    assert_eq!("city-viewer".parse::<Role>().unwrap(), Role::CityViewer);
    assert!(!Role::CityAdmin.has_district() && Role::Viewer.has_district());
    assert!(!Role::CityAdmin.fits_unit(UnitKind::Village));
    assert!(Role::Village.fits_unit(UnitKind::Community));
    assert!(!Role::Village.fits_unit(UnitKind::Township));
    assert!(Role::Township.fits_unit(UnitKind::Street));
    assert!(!Role::Admin.fits_unit(UnitKind::District));
}

#[test]
fn units_are_found_by_id_or_exact_name() {
    let d = dir();
    assert_eq!(d.find_unit("v2").unwrap().id, "v2");
    assert_eq!(d.find_unit("name v3").unwrap().id, "v3");
    assert!(d.find_unit("name").is_none());
    assert_eq!(d.unit_of(&doc(2)).unwrap().id, "v2");
}

fn grant(role: Role, unit: Option<&str>, district: Option<&str>) -> Grant {
    Grant {
        device_id: "dev".into(),
        role,
        unit: unit.map(Into::into),
        district: district.map(Into::into),
    }
}

/// Two districts: `a` ([`dir`]: documents 0–3) and `b` (district
/// document 10, a village v1 — the same unit id as in `a` — with
/// document 11).
fn city() -> City {
    City::new([
        CityDistrict {
            id: "a".into(),
            name: "甲区".into(),
            directory: dir(),
        },
        CityDistrict {
            id: "b".into(),
            name: "乙区".into(),
            directory: Directory::new(
                Some(doc(10)),
                [
                    unit("db", UnitKind::District, None, None),
                    unit("t1", UnitKind::Township, Some("db"), None),
                    unit("v1", UnitKind::Village, Some("t1"), Some(11)),
                ],
            ),
        },
    ])
}

#[test]
fn a_district_role_sees_nothing_of_another_district() {
    let c = city();
    let rw = Access::ReadWrite;
    let r = Access::Read;
    let no = Access::None;
    // (grant) → access to [a's district, a's v1, b's district, b's v1, no district's 9]
    let cases: [(Grant, [Access; 5]); 9] = [
        (grant(Role::Admin, None, Some("a")), [rw, rw, no, no, rw]),
        (grant(Role::Admin, None, Some("b")), [no, no, rw, rw, rw]),
        (grant(Role::Viewer, None, Some("a")), [r, r, no, no, no]),
        // Same unit id in both districts: only its own district's.
        (
            grant(Role::Village, Some("v1"), Some("a")),
            [r, rw, no, no, no],
        ),
        (
            grant(Role::Village, Some("v1"), Some("b")),
            [no, no, r, rw, no],
        ),
        (
            grant(Role::Township, Some("t1"), Some("b")),
            [no, no, r, rw, no],
        ),
        // A district role with no or an unknown district: nothing.
        (grant(Role::Admin, None, None), [no, no, no, no, no]),
        (grant(Role::Admin, None, Some("zz")), [no, no, no, no, no]),
        // City roles read every district's documents, write none.
        (grant(Role::CityViewer, None, None), [r, r, r, r, no]),
    ];
    for (g, expected) in cases {
        for (i, n) in [0u8, 1, 10, 11, 9].into_iter().enumerate() {
            assert_eq!(c.access(&g, &doc(n)), expected[i], "{g:?} doc {n}");
        }
    }
    assert_eq!(c.access(&grant(Role::CityAdmin, None, None), &doc(11)), r);
    let listed: Vec<_> = c
        .documents_for(&grant(Role::Viewer, None, Some("b")))
        .into_iter()
        .map(|(d, a, district)| (d, a, district.id.clone()))
        .collect();
    assert_eq!(
        listed,
        vec![(doc(10), r, "b".into()), (doc(11), r, "b".into())]
    );
    assert_eq!(
        c.documents_for(&grant(Role::CityViewer, None, None)).len(),
        6
    );
    assert!(c.is_district_document(&doc(10)) && !c.is_district_document(&doc(11)));
    assert!(c.is_unit_document(&doc(11)) && !c.is_unit_document(&doc(9)));
    assert!(c.only_district().is_none());
    // Registration order, not id order ("b" after "a" here; a city
    // registered the other way round lists the other way round).
    let ids: Vec<&str> = c.in_order().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    let reversed = City::new(c.in_order().cloned().collect::<Vec<_>>().into_iter().rev());
    let ids: Vec<&str> = reversed.in_order().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["b", "a"]);
}

#[test]
fn a_directory_replaces_its_own_districts_only() {
    let mut c = city();
    // b's village moves to document 12; a is untouched.
    let moved = Directory::new(
        Some(doc(10)),
        [unit("v1", UnitKind::Village, Some("t1"), Some(12))],
    );
    assert!(c.set_directory(moved));
    assert_eq!(c.district_of(&doc(12)).unwrap().id, "b");
    assert!(c.district_of(&doc(11)).is_none());
    assert_eq!(c.district_of(&doc(1)).unwrap().id, "a");
    // A district document of no district changes nothing.
    assert!(!c.set_directory(Directory::new(Some(doc(20)), [])));
    // A directory claiming another district's document does not take it.
    assert!(c.set_directory(Directory::new(
        Some(doc(10)),
        [unit("x", UnitKind::Village, Some("t1"), Some(1))],
    )));
    assert_eq!(c.district_of(&doc(1)).unwrap().id, "a");
    assert_eq!(
        c.access(&grant(Role::Village, Some("x"), Some("b")), &doc(1)),
        Access::None
    );
}

#[test]
fn the_policy_follows_bound_peers() {
    let p = ServerPolicy::new(city());
    let peer = PeerId::new("tablet");
    let meta = PeerMetadata::default();
    assert_eq!(p.access(&peer, &meta, &doc(1)), Access::None);
    p.bind(peer.clone(), grant(Role::Village, Some("v1"), Some("a")));
    assert_eq!(p.access(&peer, &meta, &doc(1)), Access::ReadWrite);
    assert_eq!(p.access(&peer, &meta, &doc(0)), Access::Read);
    assert_eq!(p.access(&peer, &meta, &doc(11)), Access::None);
    p.unbind(&peer);
    assert_eq!(p.access(&peer, &meta, &doc(0)), Access::None);
}

#[test]
fn the_demo_directory_is_read_from_the_district_document() {
    let demo = yanzhen_model::demo::generate(crate::demo::DEFAULT_SEED);
    let (district, _) = yanzhen_model::demo::build_documents(&demo).unwrap();
    let id = crate::demo::district_document_id(crate::demo::DEFAULT_SEED);
    let d = Directory::from_district(id, district.automerge()).unwrap();
    assert_eq!(d.by_doc.len(), demo.units.len());
    assert!(d.units.len() > demo.units.len(), "townships are listed too");
}
