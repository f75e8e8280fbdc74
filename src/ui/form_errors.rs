//! One "problems by field" map for every form of the app: what a form
//! refused, placed at the model's field name (dotted when nested), the
//! first problem per field. Each module has its own words for a problem
//! (`data::person_form::ErrText`, `rank::form::RankErr`, …, all [`Text`]); the
//! map, its lookups and the field-error component
//! (`components::field_error::FieldError`) are shared.

use crate::i18n::Text;

/// Problems of a form, by the model's field name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMap<E>(pub Vec<(String, E)>);

impl<E> Default for FieldMap<E> {
    fn default() -> Self {
        FieldMap(Vec::new())
    }
}

impl<E: Text> FieldMap<E> {
    /// One problem at `field`.
    pub fn one(field: &str, e: E) -> Self {
        let mut out = FieldMap::default();
        out.add(field, e);
        out
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds a problem at `field` (kept only if it is that field's first).
    pub fn add(&mut self, field: &str, e: E) {
        if !self.0.iter().any(|(f, _)| f == field) {
            self.0.push((field.to_owned(), e));
        }
    }

    /// The problem to show next to `field`: its own, or else one of its
    /// nested fields' (`resume` shows `resume.to`).
    pub fn get(&self, field: &str) -> Option<E> {
        let nested = |f: &str| f.starts_with(field) && f[field.len()..].starts_with('.');
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .or_else(|| self.0.iter().find(|(f, _)| nested(f)))
            .map(|(_, e)| *e)
    }

    /// `make()` when there is no problem, else the problems.
    pub fn into_result<T>(self, make: impl FnOnce() -> T) -> Result<T, Self> {
        if self.is_empty() {
            Ok(make())
        } else {
            Err(self)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FieldMap;
    use crate::i18n::Msg;

    #[test]
    fn the_first_problem_per_field_is_kept_and_nested_fields_show_at_their_parent() {
        let mut m = FieldMap::default();
        assert!(m.is_empty());
        m.add("resume.to", Msg::AppName);
        m.add("name", Msg::NavSettings);
        m.add("name", Msg::AppName);
        assert_eq!(m.get("name"), Some(Msg::NavSettings), "the first stays");
        assert_eq!(
            m.get("resume"),
            Some(Msg::AppName),
            "nested shows at parent"
        );
        assert_eq!(m.get("resume.to"), Some(Msg::AppName));
        assert_eq!(m.get("res"), None, "a prefix is not a parent");
        assert_eq!(m.get("phone"), None);
        assert_eq!(FieldMap::one("x", Msg::AppName).0.len(), 1);
        assert_eq!(m.clone().into_result(|| 1), Err(m));
        assert_eq!(FieldMap::<Msg>::default().into_result(|| 1), Ok(1));
    }
}
