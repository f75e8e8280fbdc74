//! The city admin's district calls, the app's side, pure: the district
//! form (id and name, checked before anything is sent), the bodies of
//! `POST /api/districts` and `POST /api/districts/{id}/codes`, and their
//! answers and `GET /api/districts`'s, parsed leniently where one odd entry
//! must not hide the others and strictly where a code is at stake.

use serde::Deserialize;

use super::device::{IssuedCode, parse_issued};
use crate::i18n::Msg;

/// Longest district id the server takes (characters of `a-z 0-9 _ -`).
pub const DISTRICT_ID_MAX: usize = 32;
/// Longest district name offered (characters).
pub const DISTRICT_NAME_MAX: usize = 40;

/// The keys of the district calls' refusals (translated in
/// [`super::messages`]).
pub const DISTRICT_KEYS: &[&str] = &["district.exists", "district.invalid", "district.unknown"];

/// One district of the city (`GET /api/districts`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistrictEntry {
    pub district_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub district_document_id: String,
    /// Enrolled devices of the district.
    #[serde(default)]
    pub devices: u64,
    #[serde(default)]
    pub created_at: i64,
}

/// Parses `GET /api/districts` in the server's order (creation order);
/// entries that do not read as a district are left out.
pub fn parse_districts(json: &str) -> Result<Vec<DistrictEntry>, String> {
    #[derive(Deserialize)]
    struct L {
        districts: Vec<serde_json::Value>,
    }
    let l: L = serde_json::from_str(json).map_err(|e| format!("districts: {e}"))?;
    Ok(l.districts
        .into_iter()
        .filter_map(|v| serde_json::from_value::<DistrictEntry>(v).ok())
        .filter(|d| valid_id(&d.district_id))
        .collect())
}

/// A district just created and its first district-admin code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedDistrict {
    pub district: DistrictEntry,
    pub code: IssuedCode,
}

/// Parses `POST /api/districts`'s answer: the district and its code (no
/// code, or no district: an error, never a half-shown success).
pub fn parse_created(json: &str) -> Result<CreatedDistrict, String> {
    #[derive(Deserialize)]
    struct A {
        district: DistrictEntry,
    }
    let a: A = serde_json::from_str(json).map_err(|e| format!("district: {e}"))?;
    Ok(CreatedDistrict {
        district: a.district,
        code: parse_code(json)?,
    })
}

/// Parses `POST /api/districts/{id}/codes`'s answer (a code must be there).
pub fn parse_code(json: &str) -> Result<IssuedCode, String> {
    let c = parse_issued(json)?;
    if c.code.trim().is_empty() {
        return Err("code: empty".to_owned());
    }
    Ok(c)
}

/// Whether `id` is a district id the server takes.
pub fn valid_id(id: &str) -> bool {
    (1..=DISTRICT_ID_MAX).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// The new-district form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DistrictForm {
    pub id: String,
    pub name: String,
}

/// What is wrong with a new-district form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DistrictErrors {
    pub id: Option<Msg>,
    pub name: Option<Msg>,
}

impl DistrictErrors {
    /// The problems by field (`districtId`, `name`), for the form's fields.
    pub fn fields(&self) -> Vec<(String, Msg)> {
        [("districtId", self.id), ("name", self.name)]
            .into_iter()
            .filter_map(|(f, e)| Some((f.to_owned(), e?)))
            .collect()
    }
}

impl DistrictForm {
    /// The id (trimmed, capitals lowered: tablets capitalise) and the
    /// trimmed name, or every field's problem.
    pub fn validate(&self) -> Result<(String, String), DistrictErrors> {
        let id = self.id.trim().to_ascii_lowercase();
        let name = self.name.trim();
        let errors = DistrictErrors {
            id: (!valid_id(&id)).then_some(Msg::DistrictErrId),
            name: (name.is_empty()
                || name.chars().count() > DISTRICT_NAME_MAX
                || name.chars().any(char::is_control))
            .then_some(Msg::DistrictErrName),
        };
        if errors.id.is_some() || errors.name.is_some() {
            return Err(errors);
        }
        Ok((id, name.to_owned()))
    }
}

/// The body of `POST /api/districts`.
pub fn district_body(id: &str, name: &str, expires_hours: u32) -> String {
    serde_json::json!({ "districtId": id, "name": name, "expiresHours": expires_hours }).to_string()
}

/// The body of `POST /api/districts/{id}/codes`.
pub fn district_code_body(expires_hours: u32) -> String {
    serde_json::json!({ "expiresHours": expires_hours }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_district_list_keeps_the_servers_order_and_skips_odd_entries() {
        let l = parse_districts(
            r#"{"districts":[
            {"districtId":"yancheng","name":"雁城区（演示）","districtDocumentId":"abc","devices":3,"createdAt":1},
            {"districtId":"BAD ID","name":"x","districtDocumentId":"d","devices":0,"createdAt":2},
            {"name":"无编号"},
            "hexi",
            {"districtId":"hexi","name":"河西区","devices":-1},
            {"districtId":"lingnan","name":"岭南区","extra":true}]}"#,
        )
        .unwrap();
        let ids: Vec<&str> = l.iter().map(|d| d.district_id.as_str()).collect();
        assert_eq!(
            ids,
            ["yancheng", "lingnan"],
            "negative counts and bad ids skipped"
        );
        assert_eq!(l[0].devices, 3);
        assert_eq!(l[1].created_at, 0);
        assert!(parse_districts(r#"{"districts":{}}"#).is_err());
        assert!(parse_districts("<html>").is_err());
        assert!(parse_districts(r#"{"error":"access.forbidden"}"#).is_err());
        assert_eq!(parse_districts(r#"{"districts":[]}"#).unwrap(), vec![]);
    }

    #[test]
    fn a_created_district_comes_with_its_code_or_not_at_all() {
        let ok = parse_created(
            r#"{"district":{"districtId":"hexi","name":"河西区","districtDocumentId":"x","devices":0,"createdAt":5},
            "code":"ABCD-EFGH-JKMN","role":"admin","expiresAt":99}"#,
        )
        .unwrap();
        assert_eq!(ok.district.name, "河西区");
        assert_eq!(
            (ok.code.code.as_str(), ok.code.expires_at),
            ("ABCD-EFGH-JKMN", 99)
        );
        assert!(
            parse_created(r#"{"district":{"districtId":"hexi"}}"#).is_err(),
            "no code"
        );
        assert!(
            parse_created(
                r#"{"district":{"districtId":"hexi"},"code":"","role":"admin","expiresAt":1}"#
            )
            .is_err(),
            "an empty code"
        );
        assert!(parse_created(r#"{"code":"A","role":"admin","expiresAt":1}"#).is_err());
        let c = parse_code(r#"{"code":"WXYZ","role":"admin","expiresAt":7}"#).unwrap();
        assert_eq!(c.role, "admin");
        assert!(parse_code(r#"{"code":"WXYZ","role":"admin","expiresAt":"soon"}"#).is_err());
    }

    #[test]
    fn the_form_names_every_problem_before_anything_is_sent() {
        let ok = DistrictForm {
            id: " HeXi ".into(),
            name: " 河西区 ".into(),
        };
        assert_eq!(
            ok.validate().unwrap(),
            ("hexi".to_owned(), "河西区".to_owned())
        );
        for (id, name, id_bad, name_bad) in [
            ("", "河西区", true, false),
            ("he xi", "河西区", true, false),
            ("河西", "河西区", true, false),
            (&"a".repeat(33) as &str, "河西区", true, false),
            ("hexi", "  ", false, true),
            ("hexi", "河西\n区", false, true),
            (&*"a".repeat(32), &"名".repeat(41) as &str, false, true),
            ("a/b", "", true, true),
        ] {
            let e = DistrictForm {
                id: id.into(),
                name: name.into(),
            }
            .validate()
            .unwrap_err();
            assert_eq!(e.id.is_some(), id_bad, "{id:?}");
            assert_eq!(e.name.is_some(), name_bad, "{name:?}");
        }
        assert!(valid_id("a_b-9") && !valid_id("a.b"));
        let both = DistrictForm::default().validate().unwrap_err();
        assert_eq!(
            both.fields(),
            [
                ("districtId".to_owned(), Msg::DistrictErrId),
                ("name".to_owned(), Msg::DistrictErrName)
            ]
        );
        let body = district_body("hexi", "河西区", 72);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["districtId"], "hexi");
        assert_eq!(v["name"], "河西区");
        assert_eq!(v["expiresHours"], 72);
        assert_eq!(district_code_body(24), r#"{"expiresHours":24}"#);
    }
}
