//! The district's unit directory as the access screens need it: unit names
//! for "this tablet belongs to …" and the units an administrator can issue
//! a code for. Read from the district document (hydrated by the model).

use automerge::Automerge;
use yanzhen_model::entities::UnitKind;
use yanzhen_model::sorting;
use yanzhen_model::store::DistrictData;

use super::role::Role;

/// One unit of the directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitChoice {
    /// The unit's id (what the server calls `unitId`).
    pub id: String,
    pub name: String,
    pub kind: UnitKind,
    /// The parent's name (township of a village), for telling units apart.
    pub parent: Option<String>,
}

/// Every unit of the district document, by parent then name (empty when it
/// cannot be read).
pub fn units(district: &Automerge) -> Vec<UnitChoice> {
    let Ok(data) = yanzhen_model::whole::read::<DistrictData>(district) else {
        return Vec::new();
    };
    let mut out: Vec<UnitChoice> = data
        .units
        .values()
        .map(|u| UnitChoice {
            id: u.id.to_string(),
            name: u.name.clone(),
            kind: u.kind,
            parent: u
                .parent
                .as_ref()
                .and_then(|p| data.units.get(p))
                .map(|p| p.name.clone()),
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        (&a.parent, &a.name).cmp(&(&b.parent, &b.name))
    });
    out
}

/// The units a code for `role` may name.
pub fn choices_for(all: &[UnitChoice], role: Role) -> Vec<UnitChoice> {
    all.iter()
        .filter(|u| role.unit_kinds().contains(&u.kind))
        .cloned()
        .collect()
}

/// The name of unit `id`, if the directory has it.
pub fn unit_name(all: &[UnitChoice], id: &str) -> Option<String> {
    all.iter().find(|u| u.id == id).map(|u| u.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_directory_offers_units_per_role() {
        let demo = yanzhen_model::demo::generate(42);
        let mut am = Automerge::new();
        let mut tx = am.transaction();
        autosurgeon::reconcile(&mut tx, &demo.district).unwrap();
        tx.commit();
        let all = units(&am);
        assert!(!all.is_empty());
        let villages = choices_for(&all, Role::Village);
        assert!(!villages.is_empty());
        assert!(
            villages
                .iter()
                .all(|u| matches!(u.kind, UnitKind::Village | UnitKind::Community))
        );
        assert!(villages.iter().all(|u| u.parent.is_some()));
        let townships = choices_for(&all, Role::Township);
        assert!(!townships.is_empty());
        assert!(choices_for(&all, Role::Admin).is_empty());
        let v = &villages[0];
        assert_eq!(unit_name(&all, &v.id).as_deref(), Some(v.name.as_str()));
        assert!(units(&Automerge::new()).is_empty());
    }
}
