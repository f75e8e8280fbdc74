//! Search and filters of the roster: a query matches a person's name by its
//! characters, its pinyin initials ("wxl" finds 王晓龙), its full pinyin
//! ("wangxiaolong") or any mix of them ("王xl", "wangxl"); pinyin comes from
//! `crate::data::pinyin` (plain readings of the `pinyin` crate). The list is
//! filtered by current post and status and sorted by post, then by pinyin.

use yanzhen_model::Id;
use yanzhen_model::entities::{Person, PersonCategory, PersonStatus, Post, PostTitle};
use yanzhen_model::sorting;
use yanzhen_model::store::UnitData;

use crate::data::pinyin::{full_pinyin, matches};

/// What the roster list shows: a query, a current post and a status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RosterFilter {
    pub query: String,
    /// Only people holding this post now.
    pub post: Option<PostTitle>,
    /// Only people with this status (`None`: everyone).
    pub status: Option<PersonStatus>,
}

/// One row of the roster list.
#[derive(Clone, Debug, PartialEq)]
pub struct RosterRow {
    pub id: Id,
    pub name: String,
    pub person: Person,
    /// The posts held now (no end date), most senior first.
    pub posts: Vec<Post>,
}

impl RosterRow {
    /// The category of the person (两委成员 / 社区工作者 / other).
    pub fn category(&self) -> PersonCategory {
        self.person.category
    }
}

/// The rank of a post for sorting (secretary first).
fn post_rank(t: PostTitle) -> usize {
    PostTitle::ALL
        .iter()
        .position(|x| *x == t)
        .unwrap_or(usize::MAX)
}

/// The current posts of person `id`, most senior first.
pub fn current_posts(data: &UnitData, id: &Id) -> Vec<Post> {
    let mut posts: Vec<Post> = data
        .posts
        .values()
        .filter(|p| p.person_id == *id && p.end.is_none())
        .cloned()
        .collect();
    sorting::sort_by_key(&mut posts, |p| (post_rank(p.title), p.start));
    posts
}

/// Every post of person `id` (held now or before), newest first.
pub fn all_posts(data: &UnitData, id: &Id) -> Vec<Post> {
    let mut posts: Vec<Post> = data
        .posts
        .values()
        .filter(|p| p.person_id == *id)
        .cloned()
        .collect();
    sorting::sort_by(&mut posts, |a, b| {
        b.start.cmp(&a.start).then(a.id.cmp(&b.id))
    });
    posts
}

/// The people of a unit that pass `filter`: most senior current post first,
/// then by pinyin.
pub fn roster_rows(data: &UnitData, filter: &RosterFilter) -> Vec<RosterRow> {
    let mut rows: Vec<(usize, String, RosterRow)> = data
        .people
        .values()
        .filter(|p| filter.status.is_none_or(|s| p.status == s))
        .filter(|p| matches(&p.name, &filter.query))
        .filter_map(|p| {
            let posts = current_posts(data, &p.id);
            if let Some(t) = filter.post
                && !posts.iter().any(|x| x.title == t)
            {
                return None;
            }
            let rank = posts.first().map_or(usize::MAX, |x| post_rank(x.title));
            Some((
                rank,
                full_pinyin(&p.name),
                RosterRow {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    person: p.clone(),
                    posts,
                },
            ))
        })
        .collect();
    sorting::sort_by(&mut rows, |a, b| {
        (a.0, &a.1, &a.2.id).cmp(&(b.0, &b.1, &b.2.id))
    });
    rows.into_iter().map(|(_, _, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::Date;
    use yanzhen_model::entities::{HowObtained, PoliticalStatus, Sex};

    fn person(n: u8, name: &str, status: PersonStatus) -> Person {
        Person {
            ethnicity: "汉族".into(),
            political_status: PoliticalStatus::PartyMember,
            status,
            ..Person::new(
                Id::from_random_bytes([n; 16]),
                name.into(),
                Sex::Male,
                Date::new(1980, 1, 1).unwrap(),
                Id::from_random_bytes([9; 16]),
                PersonCategory::TwoCommitteeMember,
            )
        }
    }

    fn post(n: u8, person: &Person, title: PostTitle, ended: bool) -> Post {
        Post {
            id: Id::from_random_bytes([100 + n; 16]),
            person_id: person.id.clone(),
            title,
            start: Date::new(2021, 1, 1).unwrap(),
            end: ended.then(|| Date::new(2023, 1, 1).unwrap()),
            how_obtained: HowObtained::Election,
            concurrent_director: false,
        }
    }

    fn unit() -> UnitData {
        let mut d = UnitData::new(Id::from_random_bytes([9; 16]));
        let a = person(1, "张伟", PersonStatus::Active);
        let b = person(2, "王晓龙", PersonStatus::Active);
        let c = person(3, "阿明", PersonStatus::Left);
        let posts = [
            post(1, &a, PostTitle::CommitteeMember, false),
            post(2, &b, PostTitle::Secretary, false),
            post(3, &c, PostTitle::Director, true),
        ];
        for p in [a, b, c] {
            d.people.insert(p.id.clone(), p);
        }
        for p in posts {
            d.posts.insert(p.id.clone(), p);
        }
        d
    }

    fn names(rows: &[RosterRow]) -> Vec<&str> {
        rows.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn rows_sort_by_post_then_pinyin_and_filter() {
        let d = unit();
        let all = roster_rows(&d, &RosterFilter::default());
        assert_eq!(names(&all), ["王晓龙", "张伟", "阿明"]);
        let active = RosterFilter {
            status: Some(PersonStatus::Active),
            ..Default::default()
        };
        assert_eq!(names(&roster_rows(&d, &active)), ["王晓龙", "张伟"]);
        let secretaries = RosterFilter {
            post: Some(PostTitle::Secretary),
            ..Default::default()
        };
        assert_eq!(names(&roster_rows(&d, &secretaries)), ["王晓龙"]);
        // A post that ended does not count.
        let directors = RosterFilter {
            post: Some(PostTitle::Director),
            ..Default::default()
        };
        assert!(roster_rows(&d, &directors).is_empty());
        let q = RosterFilter {
            query: "zw".into(),
            ..Default::default()
        };
        assert_eq!(names(&roster_rows(&d, &q)), ["张伟"]);
        assert_eq!(all_posts(&d, &all[2].id).len(), 1);
        assert!(current_posts(&d, &all[2].id).is_empty());
    }
}
