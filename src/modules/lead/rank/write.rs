//! Model writes on synced documents (the repo hands out plain `Automerge`
//! documents): [`put_all`] writes several records of one document in a row
//! (e.g. a score and the ranks it moved) through the model's validated
//! `put`, and leaves the document exactly as it was if any of them is
//! refused (via [`crate::data::edit::edit_doc`]).

use automerge::Automerge;
use yanzhen_model::store::{DistrictData, Record};
use yanzhen_model::{ChangeMeta, ModelError};

use crate::data::edit::edit_doc;

/// Writes `records` (validated, one change each) or none of them.
pub fn put_all<R: Record>(
    am: &mut Automerge,
    records: &[R],
    meta: &ChangeMeta,
) -> Result<(), ModelError> {
    edit_doc::<R::Scope, _>(am, |d| {
        for r in records {
            d.put(r, meta)?;
        }
        Ok(())
    })
}

/// The district document's data.
pub fn district_data(am: &Automerge) -> Result<DistrictData, ModelError> {
    Ok(yanzhen_model::whole::read(am)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::ChangeMeta;
    use yanzhen_model::entities::{Assessment, Grade, PersonRef};
    use yanzhen_model::rank::enter_score;
    use yanzhen_model::{DistrictDocument, Id, rank};

    fn meta() -> ChangeMeta {
        ChangeMeta::new("tab", "区委组织部", "office", 1_700_000_000_000)
    }

    fn a(n: u8, score: f64) -> Assessment {
        Assessment {
            id: Id::from_random_bytes([n; 16]),
            person: PersonRef {
                unit: Id::from_random_bytes([n + 50; 16]),
                person: Id::from_random_bytes([n + 100; 16]),
            },
            year: 2024,
            group: "g".into(),
            score,
            rank: 1,
            grade: Grade::Competent,
            votes_for: 1,
            votes_total: 2,
            adjustment: None,
        }
    }

    #[test]
    fn a_score_and_the_ranks_it_moves_are_written_or_nothing_is() {
        let d = DistrictDocument::new_district("测试区", &[1; 16], &meta()).unwrap();
        let mut am = d.into_automerge();
        for (n, s) in [(1, 90.0), (2, 80.0)] {
            let data = district_data(&am).unwrap();
            let list = enter_score(&data, &a(n, s));
            put_all(&mut am, &list, &meta()).unwrap();
        }
        let data = district_data(&am).unwrap();
        let list = enter_score(&data, &a(3, 95.0));
        assert_eq!(list.len(), 3);
        // A bad record after good ones: the good ones are rolled back too.
        let heads = am.get_heads();
        let mut bad = list.clone();
        bad.push(Assessment {
            score: 120.0,
            ..a(4, 0.0)
        });
        let e = put_all(&mut am, &bad, &meta()).unwrap_err();
        assert_eq!(e.field(), Some("score"));
        assert_eq!(am.get_heads(), heads);
        assert_eq!(district_data(&am).unwrap().assessments.len(), 2);
        put_all(&mut am, &list, &meta()).unwrap();
        let data = district_data(&am).unwrap();
        let ranks: Vec<u32> = [3u8, 1, 2]
            .iter()
            .map(|n| data.assessments[&Id::from_random_bytes([*n; 16])].rank)
            .collect();
        assert_eq!(ranks, vec![1, 2, 3]);
        assert!(rank::adjustments(&data).pending.is_empty());
    }
}
