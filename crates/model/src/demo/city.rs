//! A demo city (`--demo-city`): several synthetic districts side by side.
//! The first is the demo district itself ([`super::generate`] with
//! [`super::generate`]'s reference seed: the figures DOMAIN.md lists); the
//! others are generated from other seeds, renamed, and thinned in a few
//! kinds of records (certificates, talent exchanges, investment leads) by
//! a district-specific share, so that each district's figures differ and a
//! city view that mixed them up would show it. Thinning only removes
//! records nothing else refers to.

use super::{Demo, generate};
use crate::entities::UnitKind;

/// One district of the demo city.
#[derive(Debug, Clone)]
pub struct DemoDistrict {
    /// The district's id in the city (`districts.id`).
    pub id: &'static str,
    /// Its name.
    pub name: &'static str,
    /// The seed its records come from.
    pub seed: u64,
    /// Its records.
    pub demo: Demo,
}

/// The demo city's districts: id, name, seed, and the thinning step (every
/// n-th record of the thinned kinds removed; 0: none).
pub const CITY: [(&str, &str, u64, usize); 4] = [
    ("yancheng", "雁城区（演示）", 42, 0),
    ("hexi", "河西区（演示）", 1042, 3),
    ("hudong", "湖东县（演示）", 2042, 4),
    ("lingnan", "岭南市（演示）", 3042, 5),
];

/// The demo city, [`CITY`]'s districts in order. The same call gives the
/// same records.
pub fn generate_city() -> Vec<DemoDistrict> {
    CITY.iter()
        .map(|&(id, name, seed, step)| {
            let mut demo = generate(seed);
            if step > 0 {
                rename(&mut demo, name);
                thin(&mut demo, step);
            }
            DemoDistrict {
                id,
                name,
                seed,
                demo,
            }
        })
        .collect()
}

/// Gives the district (its document and its district unit) `name`.
fn rename(demo: &mut Demo, name: &str) {
    demo.district.name = name.to_owned();
    for u in demo.district.units.values_mut() {
        if u.kind == UnitKind::District {
            u.name = name.to_owned();
        }
    }
}

/// Removes every `step`-th talent exchange of the district, and every
/// `step`-th certificate and investment lead counted across its units.
fn thin(demo: &mut Demo, step: usize) {
    let mut n = 0usize;
    let mut every = |len: usize| -> Vec<usize> {
        (0..len)
            .filter(|_| {
                n += 1;
                n.is_multiple_of(step)
            })
            .collect()
    };
    fn remove<K: Ord + Clone, V>(map: &mut std::collections::BTreeMap<K, V>, at: &[usize]) {
        let gone: Vec<K> = map
            .keys()
            .enumerate()
            .filter(|(i, _)| at.contains(i))
            .map(|(_, k)| k.clone())
            .collect();
        for k in gone {
            map.remove(&k);
        }
    }
    let at = every(demo.district.exchanges.len());
    remove(&mut demo.district.exchanges, &at);
    for u in &mut demo.units {
        let at = every(u.certificates.len());
        remove(&mut u.certificates, &at);
        let at = every(u.leads.len());
        remove(&mut u.leads, &at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{Filter, compute};

    #[test]
    fn the_first_district_is_the_demo_district_and_the_others_differ() {
        let city = generate_city();
        assert_eq!(city.len(), 4);
        let reference = generate(42);
        let first = &city[0];
        assert_eq!(first.id, "yancheng");
        assert_eq!(first.demo.district, reference.district);
        assert_eq!(first.demo.units, reference.units);
        let filter = Filter::year(2024);
        let figures: Vec<_> = city
            .iter()
            .map(|d| compute(&d.demo.district, &d.demo.units, &filter))
            .collect();
        assert!(figures[0].mismatches_with_published().is_empty());
        for (i, f) in figures.iter().enumerate().skip(1) {
            assert_ne!(f, &figures[0], "district {i}");
            assert_eq!(city[i].demo.district.name, city[i].name);
            for (j, g) in figures.iter().enumerate().skip(i + 1) {
                assert_ne!(f, g, "districts {i} and {j}");
            }
        }
        // Every district becomes documents, each with its own ids.
        let mut ids = std::collections::BTreeSet::new();
        for d in &city {
            let (_, units) = super::super::build_documents(&d.demo).expect(d.id);
            for (id, _) in units {
                assert!(ids.insert(id), "{}: a unit document id twice", d.id);
            }
        }
    }
}
