//! The demo's unit directory: the district, its 4 towns with 15 villages
//! each and 5 streets with 9 communities each (names from two syllable
//! lists), every village/community with its own document id.

use std::collections::BTreeMap;

use super::{COMMUNITIES_PER_STREET, Ctx, DemoRng, STREETS, TOWNS, VILLAGES_PER_TOWN};
use crate::entities::*;
use crate::ids::{DocId, Id};
use crate::store::{DistrictData, UnitData};

const PLACE_A: &[&str] = &[
    "清", "柳", "桃", "荷", "松", "梅", "石", "青", "金", "杨", "白", "新", "东", "西", "丰", "和",
];
const PLACE_B: &[&str] = &[
    "河", "湾", "岭", "塘", "桥", "林", "坪", "港", "园", "岗", "堤", "洲", "湖", "庄", "台", "源",
];

/// Where the units are, by directory index (see [`Ctx::unit`]).
pub(super) struct Directory {
    /// The towns' and streets' ids, towns first.
    pub town_ids: Vec<Id>,
    /// The villages' directory indices.
    pub villages: Vec<usize>,
    /// The communities' directory indices.
    pub communities: Vec<usize>,
}

/// The district and its units, each village/community with empty data.
pub(super) fn build(mut rng: DemoRng) -> (Ctx, Directory) {
    let mut district = DistrictData::new("雁城区（演示）");
    let district_id = rng.id();
    district.units.insert(
        district_id.clone(),
        Unit {
            id: district_id.clone(),
            name: district.name.clone(),
            kind: UnitKind::District,
            parent: None,
            doc_id: None,
        },
    );
    let mut ctx = Ctx {
        rng,
        district,
        units: BTreeMap::new(),
        order: Vec::new(),
    };
    let mut villages = Vec::new();
    let mut communities = Vec::new();
    let mut town_ids = Vec::new();
    for (names, kind, child_kind, per, suffix) in [
        (
            TOWNS,
            UnitKind::Township,
            UnitKind::Village,
            VILLAGES_PER_TOWN,
            "村",
        ),
        (
            STREETS,
            UnitKind::Street,
            UnitKind::Community,
            COMMUNITIES_PER_STREET,
            "社区",
        ),
    ] {
        for n in names.iter() {
            let tid = ctx.rng.id();
            town_ids.push(tid.clone());
            ctx.district.units.insert(
                tid.clone(),
                Unit {
                    id: tid.clone(),
                    name: n.to_string(),
                    kind,
                    parent: Some(district_id.clone()),
                    doc_id: None,
                },
            );
            for k in 0..per {
                let uid = ctx.rng.id();
                let doc = DocId(ctx.rng.bytes16());
                let uname = format!(
                    "{}{}{}",
                    PLACE_A[(k + town_ids.len() * 3) % PLACE_A.len()],
                    PLACE_B[(k * 7 + town_ids.len()) % PLACE_B.len()],
                    suffix
                );
                ctx.district.units.insert(
                    uid.clone(),
                    Unit {
                        id: uid.clone(),
                        name: uname,
                        kind: child_kind,
                        parent: Some(tid.clone()),
                        doc_id: Some(doc),
                    },
                );
                ctx.units.insert(uid.clone(), UnitData::new(uid.clone()));
                if child_kind == UnitKind::Village {
                    villages.push(ctx.order.len());
                } else {
                    communities.push(ctx.order.len());
                }
                ctx.order.push(uid);
            }
        }
    }
    (
        ctx,
        Directory {
            town_ids,
            villages,
            communities,
        },
    )
}
