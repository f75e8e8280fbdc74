//! The 归雁 forms as typed (text, choices) and their conversion to model
//! records. A conversion reports **where** each problem is (text that is
//! not a date or a number, a missing field, then whatever the model's
//! rules refuse — `yanzhen_model::returning` and the records' own
//! validation — placed by the error's field). A form with a problem
//! converts to nothing, so nothing is written.

use yanzhen_model::entities::{
    Appointment, AppointmentKind, ContactKind, ContactLog, ExchangeKind, InvestmentLead, LeadStage,
    TalentExchange,
};
use yanzhen_model::returning::{DUPLICATE_CERTIFICATE_KEY, ReturningError, check_appointment};
use yanzhen_model::store::DistrictData;
use yanzhen_model::validate::{Validate, ValidationError};
use yanzhen_model::{Date, Id};

use crate::i18n::{Lang, model_text};
use crate::modules::returning::messages::ReturningMsg;
use crate::ui::form_errors::{FormWords, req_date};

/// A problem's words: a model message key or a 归雁 message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrText {
    Model(&'static str),
    Own(ReturningMsg),
}

impl ErrText {
    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            ErrText::Model(k) => model_text(k, lang).unwrap_or(k),
            ErrText::Own(m) => m.text(lang),
        }
    }

    /// The words of a model message key (ours included).
    pub fn key(k: &'static str) -> ErrText {
        if k == DUPLICATE_CERTIFICATE_KEY {
            ErrText::Own(ReturningMsg::CertificateDuplicate)
        } else {
            ErrText::Model(k)
        }
    }
}

const REQUIRED: ErrText = ErrText::Model("validation.required");
const DATE_INVALID: ErrText = ErrText::Model("validation.date.invalid");

impl crate::i18n::Text for ErrText {
    fn text(self, lang: Lang) -> &'static str {
        ErrText::text(self, lang)
    }
}

/// Problems of a form, by the model's field names.
pub type Errors = crate::ui::form_errors::FieldMap<ErrText>;

impl FormWords for ErrText {
    const REQUIRED: Self = REQUIRED;
    const DATE_INVALID: Self = DATE_INVALID;
    fn refusal(e: &ValidationError) -> Self {
        ErrText::key(e.message_key())
    }
}

impl Errors {
    /// A 归雁 rule's refusal, at its field (or at `fallback`).
    pub fn from_returning(e: &ReturningError, fallback: &str) -> Self {
        Errors::one(e.field().unwrap_or(fallback), ErrText::key(e.message_key()))
    }
}

/// A new appointment as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppointmentForm {
    pub kind: AppointmentKind,
    pub name: String,
    pub origin: String,
    pub phone: String,
    pub certificate_no: String,
    pub appointed: String,
    pub term_end: String,
}

impl Default for AppointmentForm {
    fn default() -> Self {
        AppointmentForm {
            kind: AppointmentKind::DevelopmentAdvisor,
            name: String::new(),
            origin: String::new(),
            phone: String::new(),
            certificate_no: String::new(),
            appointed: String::new(),
            term_end: String::new(),
        }
    }
}

impl AppointmentForm {
    /// The appointment `id`, checked against the `others` already made
    /// (certificate numbers are unique).
    pub fn to_appointment<'a>(
        &self,
        id: Id,
        others: impl IntoIterator<Item = &'a Appointment>,
    ) -> Result<Appointment, Errors> {
        let mut errors = Errors::default();
        if self.name.trim().is_empty() {
            errors.add("name", REQUIRED);
        }
        if self.certificate_no.trim().is_empty() {
            errors.add("certificate_no", REQUIRED);
        }
        let appointed = req_date(&self.appointed, "appointed", &mut errors);
        let term_end = req_date(&self.term_end, "term_end", &mut errors);
        let (Some(appointed), Some(term_end)) = (appointed, term_end) else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let a = Appointment {
            id,
            kind: self.kind,
            name: self.name.trim().to_owned(),
            origin: self.origin.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            appointed,
            certificate_no: self.certificate_no.trim().to_owned(),
            active: true,
            term_end: Some(term_end),
        };
        check_appointment(&a, others).map_err(|e| Errors::from_returning(&e, "name"))?;
        Ok(a)
    }
}

/// A contact logged today with `appointment` (one tap: the kind).
pub fn contact(id: Id, appointment: &Id, kind: ContactKind, today: Date, note: &str) -> ContactLog {
    ContactLog {
        id,
        appointment_id: appointment.clone(),
        date: today,
        kind,
        note: note.trim().to_owned(),
    }
}

/// An amount typed in 万元 (e.g. `12.5`, `-3`, `1,030`) in yuan. Empty text
/// is 0 only when `allow_empty`; text that is not a number is refused.
/// The sign is kept: the model refuses negative funds.
pub fn parse_wan(s: &str) -> Result<i64, ErrText> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    let t = t.trim_end_matches("万元").trim_end_matches('万');
    if t.is_empty() {
        return Err(REQUIRED);
    }
    let (neg, body) = match t.strip_prefix(['-', '－']) {
        Some(b) => (true, b),
        None => (false, t),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    if int.is_empty() && frac.is_empty()
        || !digits(int)
        || !digits(frac)
        || frac.len() > 4
        || int.len() > 9
    {
        return Err(ErrText::Own(ReturningMsg::NotAnAmount));
    }
    let int: i64 = if int.is_empty() {
        0
    } else {
        int.parse().unwrap_or(0)
    };
    let frac: i64 = format!("{frac:0<4}").parse().unwrap_or(0);
    let yuan = int * 10_000 + frac;
    Ok(if neg { -yuan } else { yuan })
}

/// Yuan as 万元 text: `1030`, `12.5`.
pub fn wan_text(yuan: i64) -> String {
    let sign = if yuan < 0 { "-" } else { "" };
    let y = yuan.abs();
    let (w, rest) = (y / 10_000, y % 10_000);
    if rest == 0 {
        format!("{sign}{w}")
    } else {
        let f = format!("{rest:04}");
        format!("{sign}{w}.{}", f.trim_end_matches('0'))
    }
}

/// A new investment lead as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeadForm {
    /// The appointee (advisor / honorary secretary) who brought it.
    pub advisor: Option<Id>,
    pub title: String,
    pub lead_date: String,
}

impl LeadForm {
    /// The new lead `id` (stage: lead, valid, no funds yet).
    pub fn to_lead(&self, id: Id) -> Result<InvestmentLead, Errors> {
        let mut errors = Errors::default();
        if self.advisor.is_none() {
            errors.add("advisor_id", REQUIRED);
        }
        if self.title.trim().is_empty() {
            errors.add("title", REQUIRED);
        }
        let date = req_date(&self.lead_date, "lead_date", &mut errors);
        let (Some(advisor_id), Some(lead_date), true) =
            (self.advisor.clone(), date, errors.is_empty())
        else {
            return Err(errors);
        };
        let l = InvestmentLead {
            id,
            advisor_id,
            title: self.title.trim().to_owned(),
            valid: true,
            stage: LeadStage::Lead,
            lead_date,
            visit_date: None,
            project_date: None,
            funds_yuan: 0,
        };
        l.validate()
            .map_err(|e| Errors::from_validation(&e, "title"))?;
        Ok(l)
    }
}

/// A new rural-talent register entry as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeForm {
    pub kind: ExchangeKind,
    pub name: String,
    pub from_org: String,
    pub to_org: String,
    /// The village served (tech commissioners, demonstration households).
    pub unit: Option<Id>,
    /// A teacher's school pair.
    pub pair: Option<Id>,
    pub start: String,
}

impl Default for ExchangeForm {
    fn default() -> Self {
        ExchangeForm {
            kind: ExchangeKind::SchoolPair,
            name: String::new(),
            from_org: String::new(),
            to_org: String::new(),
            unit: None,
            pair: None,
            start: String::new(),
        }
    }
}

impl ExchangeForm {
    /// Whether the form asks for a school pair (teachers).
    pub fn needs_pair(kind: ExchangeKind) -> bool {
        kind == ExchangeKind::Teacher
    }

    /// Whether the form asks for the village served.
    pub fn needs_unit(kind: ExchangeKind) -> bool {
        matches!(
            kind,
            ExchangeKind::TechCommissioner | ExchangeKind::DemoHousehold
        )
    }

    /// The entry `id`, checked against the register in `district`.
    pub fn to_exchange(&self, id: Id, district: &DistrictData) -> Result<TalentExchange, Errors> {
        let mut errors = Errors::default();
        if self.name.trim().is_empty() {
            errors.add("name", REQUIRED);
        }
        if Self::needs_pair(self.kind) && self.pair.is_none() {
            errors.add("pair_id", REQUIRED);
        }
        if Self::needs_unit(self.kind) && self.unit.is_none() {
            errors.add("unit_id", REQUIRED);
        }
        let start = req_date(&self.start, "start", &mut errors);
        let (Some(start), true) = (start, errors.is_empty()) else {
            return Err(errors);
        };
        let x = TalentExchange {
            id,
            kind: self.kind,
            name: self.name.trim().to_owned(),
            from_org: self.from_org.trim().to_owned(),
            to_org: self.to_org.trim().to_owned(),
            unit_id: if Self::needs_unit(self.kind) {
                self.unit.clone()
            } else {
                None
            },
            pair_id: if Self::needs_pair(self.kind) {
                self.pair.clone()
            } else {
                None
            },
            start,
        };
        yanzhen_model::returning::check_exchange(&x, district)
            .map_err(|e| Errors::from_validation(&e, "name"))?;
        Ok(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> Id {
        Id::from_random_bytes([n; 16])
    }

    fn form() -> AppointmentForm {
        AppointmentForm {
            name: "测试顾问".into(),
            certificate_no: "PIN-9".into(),
            appointed: "2026-01-05".into(),
            term_end: "2029-01-04".into(),
            ..AppointmentForm::default()
        }
    }

    #[test]
    fn appointment_form_places_each_problem() {
        let ok = form().to_appointment(id(1), []).unwrap();
        assert_eq!(ok.term_end, Date::new(2029, 1, 4));
        let e = AppointmentForm {
            certificate_no: " ".into(),
            ..form()
        }
        .to_appointment(id(1), [])
        .unwrap_err();
        assert_eq!(e.get("certificate_no"), Some(REQUIRED));
        let e = form().to_appointment(id(2), [&ok]).unwrap_err();
        assert_eq!(
            e.get("certificate_no"),
            Some(ErrText::Own(ReturningMsg::CertificateDuplicate))
        );
        let e = AppointmentForm {
            term_end: "2025-12-31".into(),
            ..form()
        }
        .to_appointment(id(1), [])
        .unwrap_err();
        assert_eq!(
            e.get("term_end"),
            Some(ErrText::Model("validation.date.range"))
        );
        let e = AppointmentForm {
            appointed: "2026-13-01".into(),
            name: String::new(),
            ..form()
        }
        .to_appointment(id(1), [])
        .unwrap_err();
        assert_eq!(e.get("appointed"), Some(DATE_INVALID));
        assert_eq!(e.get("name"), Some(REQUIRED));
        let e = AppointmentForm {
            phone: "123".into(),
            ..form()
        }
        .to_appointment(id(1), [])
        .unwrap_err();
        assert_eq!(
            e.get("phone"),
            Some(ErrText::Model("validation.mobile.format"))
        );
    }

    #[test]
    fn amounts_in_wan() {
        assert_eq!(parse_wan("1030"), Ok(10_300_000));
        assert_eq!(parse_wan(" 12.5 "), Ok(125_000));
        assert_eq!(parse_wan("1,030万元"), Ok(10_300_000));
        assert_eq!(parse_wan("-3"), Ok(-30_000));
        assert_eq!(parse_wan(".5"), Ok(5_000));
        assert_eq!(parse_wan(""), Err(REQUIRED));
        for bad in ["abc", "1.2.3", "1.23456", "-", "."] {
            assert_eq!(
                parse_wan(bad),
                Err(ErrText::Own(ReturningMsg::NotAnAmount)),
                "{bad}"
            );
        }
        assert_eq!(wan_text(10_300_000), "1030");
        assert_eq!(wan_text(125_000), "12.5");
        assert_eq!(wan_text(0), "0");
    }

    #[test]
    fn lead_and_exchange_forms() {
        let e = LeadForm::default().to_lead(id(1)).unwrap_err();
        for f in ["advisor_id", "title", "lead_date"] {
            assert_eq!(e.get(f), Some(REQUIRED), "{f}");
        }
        let l = LeadForm {
            advisor: Some(id(2)),
            title: " 冷链仓储 ".into(),
            lead_date: "2026-11-01".into(),
        }
        .to_lead(id(1))
        .unwrap();
        assert_eq!(
            (l.title.as_str(), l.stage, l.valid),
            ("冷链仓储", LeadStage::Lead, true)
        );

        let d = DistrictData::new("测试区");
        let e = ExchangeForm {
            kind: ExchangeKind::Teacher,
            name: "测试教师".into(),
            start: "2026-09-01".into(),
            ..ExchangeForm::default()
        }
        .to_exchange(id(3), &d)
        .unwrap_err();
        assert_eq!(e.get("pair_id"), Some(REQUIRED));
        let e = ExchangeForm {
            name: "结对".into(),
            start: "2026-09-01".into(),
            ..ExchangeForm::default()
        }
        .to_exchange(id(3), &d)
        .unwrap_err();
        assert_eq!(e.get("from_org"), Some(REQUIRED));
        let x = ExchangeForm {
            name: "结对".into(),
            from_org: "城区小学".into(),
            to_org: "镇中心学校".into(),
            start: "2026-09-01".into(),
            unit: Some(id(9)),
            ..ExchangeForm::default()
        }
        .to_exchange(id(3), &d)
        .unwrap();
        assert_eq!(x.unit_id, None, "a school pair serves no single village");
    }
}
