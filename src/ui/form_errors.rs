//! One "problems by field" map for every form of the app: what a form
//! refused, placed at the model's field name (dotted when nested), the
//! first problem per field. Each module has its own words for a problem
//! (`data::person_form::ErrText`, `rank::form::RankErr`, …, all [`Text`]); the
//! map, its lookups and the field-error component
//! (`components::field_error::FieldError`) are shared, and so is what every
//! form checks of its text ([`FormWords`]: required values, dates, the
//! model's refusal at its field).

use yanzhen_model::Date;
use yanzhen_model::validate::{IdNumberInfo, ValidationError, parse_id_number};

use crate::i18n::{Lang, Text, model_text};

/// A problem's words: a message of the module's table, or a model message
/// key (in its words, or the key itself for one without).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem<M> {
    App(M),
    Model(&'static str),
}

impl<M: Text> Text for Problem<M> {
    fn text(self, lang: Lang) -> &'static str {
        match self {
            Problem::App(m) => m.text(lang),
            Problem::Model(k) => model_text(k, lang).unwrap_or(k),
        }
    }
}

/// A module's words for what every form refuses: a missing value, a text
/// that is no date, and a model rule's refusal.
pub trait FormWords: Text {
    /// A required value is missing.
    const REQUIRED: Self;
    /// A text is not a date.
    const DATE_INVALID: Self;
    /// The words of the model's refusal `e`.
    fn refusal(e: &ValidationError) -> Self;
}

impl<E: FormWords> FieldMap<E> {
    /// A model validation error, placed at its field (or at `fallback`).
    pub fn from_validation(e: &ValidationError, fallback: &str) -> Self {
        FieldMap::one(e.field().unwrap_or(fallback), E::refusal(e))
    }
}

/// `s` as a date: empty is none, a text that is no date is a problem at
/// `field`.
pub fn opt_date<E: FormWords>(s: &str, field: &str, errors: &mut FieldMap<E>) -> Option<Date> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let d = Date::parse(s);
    if d.is_none() {
        errors.add(field, E::DATE_INVALID);
    }
    d
}

/// `s` as a date that must be given: as [`opt_date`], and empty is a
/// problem at `field` too.
pub fn req_date<E: FormWords>(s: &str, field: &str, errors: &mut FieldMap<E>) -> Option<Date> {
    if s.trim().is_empty() {
        errors.add(field, E::REQUIRED);
        return None;
    }
    opt_date(s, field, errors)
}

/// A resident ID number as typed, trimmed and in capitals, with what it
/// says (birth date, sex) when it is a valid one; a wrong one is a problem
/// at `id_number`. Empty is no number and no problem.
pub fn typed_id_number<E: FormWords>(
    s: &str,
    errors: &mut FieldMap<E>,
) -> (String, Option<IdNumberInfo>) {
    let id_number = s.trim().to_uppercase();
    if id_number.is_empty() {
        return (id_number, None);
    }
    match parse_id_number(&id_number, "id_number") {
        Ok(info) => (id_number, Some(info)),
        Err(e) => {
            errors.add("id_number", E::refusal(&e));
            (id_number, None)
        }
    }
}

/// A problem at `field` when `s` is empty.
pub fn required<E: FormWords>(s: &str, field: &str, errors: &mut FieldMap<E>) {
    if s.trim().is_empty() {
        errors.add(field, E::REQUIRED);
    }
}

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
    use super::*;
    use crate::i18n::Msg;

    impl FormWords for Msg {
        const REQUIRED: Msg = Msg::AppName;
        const DATE_INVALID: Msg = Msg::NavSettings;
        fn refusal(_: &ValidationError) -> Msg {
            Msg::Save
        }
    }

    #[test]
    fn a_problem_is_worded_by_its_table_or_the_model_keys() {
        let lang = crate::i18n::Lang::ZhCn;
        assert_eq!(Problem::App(Msg::Save).text(lang), Msg::Save.text(lang));
        let required = Problem::<Msg>::Model("validation.required");
        assert_eq!(
            Some(required.text(lang)),
            model_text("validation.required", lang)
        );
        assert_eq!(
            Problem::<Msg>::Model("no.such.key").text(lang),
            "no.such.key"
        );
    }

    #[test]
    fn dates_and_required_values_are_checked_at_their_field() {
        let mut m = FieldMap::<Msg>::default();
        assert_eq!(opt_date(" ", "a", &mut m), None);
        assert!(m.is_empty(), "an empty optional date is no problem");
        assert_eq!(
            opt_date(" 2024-02-29 ", "a", &mut m),
            Date::new(2024, 2, 29)
        );
        assert_eq!(opt_date("2024-02-30", "b", &mut m), None);
        assert_eq!(m.get("b"), Some(Msg::NavSettings));
        assert_eq!(req_date("", "c", &mut m), None);
        assert_eq!(m.get("c"), Some(Msg::AppName));
        assert_eq!(req_date("2024-13-01", "d", &mut m), None);
        assert_eq!(m.get("d"), Some(Msg::NavSettings));
        let (typed, info) = typed_id_number(" ", &mut m);
        assert_eq!((typed.as_str(), info), ("", None));
        let (typed, info) = typed_id_number("12345", &mut m);
        assert_eq!((typed.as_str(), info), ("12345", None));
        assert_eq!(m.get("id_number"), Some(Msg::Save));
        required("  ", "e", &mut m);
        required("x", "f", &mut m);
        assert_eq!(m.get("e"), Some(Msg::AppName));
        assert_eq!(m.get("f"), None);
        let v = ValidationError::Mobile { field: "phone" };
        assert_eq!(
            FieldMap::<Msg>::from_validation(&v, "name").get("phone"),
            Some(Msg::Save)
        );
    }

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
