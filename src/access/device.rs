//! What the server says about this device (`POST /api/enrol`, `GET
//! /api/me`), what is kept of it, which documents the tablet syncs, and the
//! server's refusals in plain words.
//!
//! The token is kept (in [`Enrolment`]) and sent, never shown: [`Enrolment`]'s
//! `Debug` leaves it out so it cannot end up in a log line. The same holds
//! for the district's keys (`keys` in both answers: the server's signing
//! key and the transfer key that seals `.yanzhen` files), kept in the
//! enrolment and so only ever sealed under the data key
//! ([`crate::lock::secrets`]).
//!
//! Long file: the enrolled device, its documents and the role rules the UI
//! applies, with their tests beside them.

use serde::{Deserialize, Serialize};
use yanzhen_model::sorting;
use yanzhen_sync::DocumentId;
use yanzhen_sync::attest::DistrictKeys;

use super::role::Role;
use crate::i18n::Msg;

/// One document the device may use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocGrant {
    /// The document (base58check).
    pub document_id: String,
    /// `read` or `write`.
    pub access: String,
    /// The unit owning it (none for the district document).
    #[serde(default)]
    pub unit_id: Option<String>,
    /// The unit's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The district the document belongs to (a city deployment names it).
    #[serde(default)]
    pub district_id: Option<String>,
}

impl DocGrant {
    /// Whether this device may only read the document.
    pub fn read_only(&self) -> bool {
        self.access != "write"
    }
}

/// The device as the server knows it (no token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInfo {
    pub device_id: String,
    #[serde(default)]
    pub name: String,
    /// The server's role name (see [`Role::parse`]).
    pub role: String,
    #[serde(default)]
    pub unit_id: Option<String>,
    #[serde(default)]
    pub district_document_id: Option<String>,
    /// The device's district (`None` for the city roles and for servers
    /// from before the city).
    #[serde(default)]
    pub district_id: Option<String>,
    /// Every district the device may read (its own, or all of them for a
    /// city role), in the server's order. Entries that do not read as a
    /// district are left out; an older answer has none.
    #[serde(default, deserialize_with = "lenient_list")]
    pub districts: Vec<DistrictInfo>,
    #[serde(default)]
    pub documents: Vec<DocGrant>,
}

/// One district a device may read (`/api/me`'s `districts`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistrictInfo {
    pub district_id: String,
    #[serde(default)]
    pub name: String,
    /// The district's document (base58check).
    pub district_document_id: String,
}

/// A list whose unreadable entries are skipped, and `null` as no list: one
/// odd district in the server's answer must not lose the enrolment.
fn lenient_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let raw: Option<Vec<serde_json::Value>> = Option::deserialize(d)?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}

impl DeviceInfo {
    /// The role, if the server named a known one.
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }

    /// The unit's name as far as the documents tell (a village's own
    /// document carries it); `None` for roles without a unit of their own.
    pub fn unit_name(&self) -> Option<&str> {
        let unit = self.unit_id.as_deref()?;
        self.documents
            .iter()
            .find(|d| d.unit_id.as_deref() == Some(unit))
            .and_then(|d| d.name.as_deref())
    }
}

/// One document to sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedDoc {
    pub id: DocumentId,
    /// This device may only read it: local edits stay on the tablet.
    pub read_only: bool,
    /// The unit's name, if any.
    pub name: Option<String>,
    /// The district document.
    pub district: bool,
}

impl DeviceInfo {
    /// Every district document the device reads: its own
    /// (`districtDocumentId`) and those of `districts` (invalid ids
    /// skipped), without repeats.
    pub fn district_documents(&self) -> Vec<DocumentId> {
        let mut out: Vec<DocumentId> = Vec::new();
        let ids = self
            .district_document_id
            .iter()
            .chain(self.districts.iter().map(|d| &d.district_document_id));
        for id in ids.filter_map(|d| d.parse::<DocumentId>().ok()) {
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}

/// The documents to sync, from the enrolment's list (invalid ids skipped);
/// every district document ([`DeviceInfo::district_documents`]) is marked
/// as one.
pub fn sync_plan(info: &DeviceInfo) -> Vec<PlannedDoc> {
    let districts = info.district_documents();
    info.documents
        .iter()
        .filter_map(|g| {
            let id = g.document_id.parse::<DocumentId>().ok()?;
            Some(PlannedDoc {
                id,
                read_only: g.read_only(),
                name: g.name.clone(),
                district: districts.contains(&id),
            })
        })
        .collect()
}

/// What the tablet keeps after enrolling: the token (sent, never shown),
/// the device info and the district's keys.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Enrolment {
    pub token: String,
    pub device: DeviceInfo,
    /// The district's keys (for sealed `.yanzhen` files): as secret as the
    /// token, never shown. `None` on a tablet enrolled before files were
    /// sealed that has not reached the server since ([`Enrolment::refreshed`]
    /// adds them from `GET /api/me`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<DistrictKeys>,
    /// The device's own relay key (64 hex, [`yanzhen_sync::relay::DeviceKey`]):
    /// vouches in its files for its own edits the server has not seen, so
    /// another tablet can carry them. As secret as the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrolment")
            .field("token", &"…")
            .field("device", &self.device)
            .field("keys", &self.keys.as_ref().map(|_| "…"))
            .field("device_key", &self.device_key.as_ref().map(|_| "…"))
            .finish()
    }
}

impl Enrolment {
    /// The relay key and device id to vouch with, if the server gave one.
    pub fn voucher(&self) -> Option<(yanzhen_sync::relay::DeviceKey, &str)> {
        let key = yanzhen_sync::relay::DeviceKey::from_hex(self.device_key.as_deref()?)?;
        Some((key, self.device.device_id.as_str()))
    }

    /// This enrolment updated with `GET /api/me`'s answer, or `None` when
    /// the answer changes nothing. Keys the answer does not carry (an older
    /// server) are kept; new ones replace the old.
    pub fn refreshed(&self, me: MeAnswer) -> Option<Enrolment> {
        let keys = me.keys.or_else(|| self.keys.clone());
        let device_key = me.device_key.or_else(|| self.device_key.clone());
        (me.device != self.device || keys != self.keys || device_key != self.device_key).then(
            || Enrolment {
                token: self.token.clone(),
                device: me.device,
                keys,
                device_key,
            },
        )
    }
}

/// `POST /api/enrol`'s answer: the device info plus its token and keys.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EnrolAnswer {
    token: String,
    #[serde(default)]
    keys: Option<DistrictKeys>,
    #[serde(default)]
    device_key: Option<String>,
    #[serde(flatten)]
    device: DeviceInfo,
}

/// `GET /api/me`'s answer: the device info and the district's keys.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeAnswer {
    #[serde(default)]
    pub keys: Option<DistrictKeys>,
    #[serde(default)]
    pub device_key: Option<String>,
    #[serde(flatten)]
    pub device: DeviceInfo,
}

impl std::fmt::Debug for MeAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeAnswer")
            .field("device", &self.device)
            .field("keys", &self.keys.as_ref().map(|_| "…"))
            .finish()
    }
}

/// Parses `GET /api/me`'s answer.
pub fn parse_me(json: &str) -> Result<MeAnswer, String> {
    serde_json::from_str(json).map_err(|e| format!("me: {e}"))
}

/// Parses `POST /api/enrol`'s successful answer.
pub fn parse_enrolment(json: &str) -> Result<Enrolment, String> {
    let a: EnrolAnswer = serde_json::from_str(json).map_err(|e| format!("enrol: {e}"))?;
    if a.token.is_empty() {
        return Err("enrol: no token".to_owned());
    }
    Ok(Enrolment {
        token: a.token,
        device: a.device,
        keys: a.keys,
        device_key: a.device_key,
    })
}

/// The body of `POST /api/enrol` for a normalised code.
pub fn enrol_body(code: &str, device_name: &str) -> String {
    serde_json::json!({ "code": code, "deviceName": device_name.trim() }).to_string()
}

/// The message key of an error answer (`{"error": "access.…"}`), if any.
pub fn error_key(json: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct E {
        error: String,
    }
    serde_json::from_str::<E>(json).ok().map(|e| e.error)
}

/// Why the server refuses this device's token: sync stops until the person
/// acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The administrator revoked this tablet.
    Revoked,
    /// The server does not know the token (e.g. a different server).
    Unknown,
    /// No token was sent.
    Missing,
    /// The tablet did not contact the server for too long (the server's
    /// token idle limit): it enrols again and keeps its records.
    Expired,
}

impl Refusal {
    /// The refusal named by a message key (`access.token.*`).
    pub fn from_key(key: &str) -> Option<Refusal> {
        match key {
            "access.token.revoked" => Some(Refusal::Revoked),
            "access.token.unknown" => Some(Refusal::Unknown),
            "access.token.missing" => Some(Refusal::Missing),
            "access.token.expired" => Some(Refusal::Expired),
            _ => None,
        }
    }

    /// The refusal to act on, given whether it came over an authenticated
    /// secure channel (`https`/`wss` or this device itself, see
    /// [`crate::settings::check_server_url`]): a revocation — which erases
    /// the tablet — from anywhere else counts only as an unknown token
    /// (sync stops and the person is told; nothing is erased).
    pub fn trusted(self, secure: bool) -> Refusal {
        match self {
            Refusal::Revoked if !secure => Refusal::Unknown,
            r => r,
        }
    }

    /// The refusal in plain words, with what to do.
    pub const fn msg(self) -> Msg {
        match self {
            Refusal::Revoked => Msg::AccessRevokedExplain,
            Refusal::Unknown => Msg::AccessUnknownExplain,
            Refusal::Missing => Msg::AccessMissingExplain,
            Refusal::Expired => Msg::AccessExpiredExplain,
        }
    }
}

/// Longest device name the server keeps (characters).
pub const DEVICE_NAME_MAX: usize = 100;

/// The enrolment form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnrolForm {
    pub code: String,
    pub device_name: String,
}

/// What is wrong with an enrolment form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnrolErrors {
    pub code: Option<Msg>,
    pub device_name: Option<Msg>,
}

impl EnrolForm {
    /// The normalised code and trimmed name, or every field's problem.
    pub fn validate(&self) -> Result<(String, String), EnrolErrors> {
        let code = super::code::normalise_code(&self.code);
        let name = self.device_name.trim();
        let errors = EnrolErrors {
            code: code.is_none().then_some(Msg::EnrolErrCodeShape),
            device_name: (name.is_empty() || name.chars().count() > DEVICE_NAME_MAX)
                .then_some(Msg::EnrolErrDeviceName),
        };
        match code {
            Some(c) if errors.device_name.is_none() => Ok((c, name.to_owned())),
            _ => Err(errors),
        }
    }
}

/// One device on the admin screen (`GET /api/admin/devices`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceEntry {
    pub device_id: String,
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub unit_id: Option<String>,
    pub created_at: i64,
    #[serde(default)]
    pub last_seen_at: Option<i64>,
    #[serde(default)]
    pub revoked_at: Option<i64>,
}

/// Parses `GET /api/admin/devices`, newest first.
pub fn parse_devices(json: &str) -> Result<Vec<DeviceEntry>, String> {
    #[derive(Deserialize)]
    struct L {
        devices: Vec<DeviceEntry>,
    }
    let mut l: L = serde_json::from_str(json).map_err(|e| format!("devices: {e}"))?;
    sorting::sort_by_key(&mut l.devices, |d| std::cmp::Reverse(d.created_at));
    Ok(l.devices)
}

/// A code just issued (`POST /api/admin/codes`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedCode {
    pub code: String,
    pub role: String,
    #[serde(default)]
    pub unit_id: Option<String>,
    pub expires_at: i64,
}

/// Parses `POST /api/admin/codes`'s answer.
pub fn parse_issued(json: &str) -> Result<IssuedCode, String> {
    serde_json::from_str(json).map_err(|e| format!("code: {e}"))
}

/// Validity choices (hours) offered for a new code.
pub const EXPIRY_CHOICES: [u32; 3] = [24, 72, 168];

/// The body of `POST /api/admin/codes`.
pub fn code_body(role: Role, unit_id: Option<&str>, expires_hours: u32) -> String {
    serde_json::json!({
        "role": role.as_str(),
        "unitId": if role.needs_unit() { unit_id } else { None },
        "expiresHours": expires_hours,
    })
    .to_string()
}

/// `YYYY-MM-DD HH:MM` of a time (ms since the epoch) in the tablet's time
/// zone (UTC outside the browser).
pub fn local_datetime(ms: i64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date(),
            d.get_hours(),
            d.get_minutes()
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        utc_datetime(ms)
    }
}

/// `YYYY-MM-DD HH:MM` in UTC.
pub fn utc_datetime(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        tod / 3600,
        tod / 60 % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DISTRICT: [u8; 16] = [1; 16];
    const UNIT: [u8; 16] = [2; 16];

    fn info() -> DeviceInfo {
        let d = DocumentId::from_bytes(DISTRICT).to_string();
        let u = DocumentId::from_bytes(UNIT).to_string();
        let json = format!(
            r#"{{"token":"yz_secret","deviceId":"dev-1","name":"东风村平板","role":"village",
            "unitId":"u-7","districtDocumentId":"{d}","documents":[
            {{"documentId":"{d}","access":"read","unitId":null,"name":null}},
            {{"documentId":"{u}","access":"write","unitId":"u-7","name":"东风村"}},
            {{"documentId":"not-an-id","access":"write","unitId":"u-8","name":"x"}}]}}"#
        );
        parse_enrolment(&json).unwrap().device
    }

    #[test]
    fn enrolment_answers_parse_and_the_token_is_kept_apart() {
        let d = DocumentId::from_bytes(DISTRICT).to_string();
        let json = format!(
            r#"{{"token":"yz_secret","deviceId":"dev-1","role":"admin","unitId":null,
            "districtDocumentId":"{d}","documents":[]}}"#
        );
        let e = parse_enrolment(&json).unwrap();
        assert_eq!(e.token, "yz_secret");
        assert_eq!(e.device.role(), Some(Role::Admin));
        assert!(!format!("{e:?}").contains("yz_secret"), "never in Debug");
        let back: Enrolment = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
        assert!(parse_enrolment(r#"{"error":"access.code.invalid"}"#).is_err());
    }

    const KEYS: &str = r#"{"serverKey":"1111111111111111111111111111111111111111111111111111111111111111",
        "transferKey":{"id":"0102030405060708","key":"abababababababababababababababababababababababababababababababab"}}"#;

    #[test]
    fn the_district_keys_are_kept_with_the_token_and_never_shown() {
        let json = format!(
            r#"{{"token":"yz_secret","deviceId":"dev-1","role":"village","unitId":"u-7",
            "districtDocumentId":null,"documents":[],"keys":{KEYS}}}"#
        );
        let e = parse_enrolment(&json).unwrap();
        let keys = e.keys.clone().expect("the keys");
        assert_eq!(keys.transfer_key.id, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(keys.transfer_key.key, [0xab; 32]);
        assert_eq!(keys.server_key.0, [0x11; 32]);
        let shown = format!("{e:?}");
        assert!(
            !shown.contains("abab") && !shown.contains("yz_secret"),
            "{shown}"
        );
        // Kept (sealed) as JSON with the rest, and read back.
        let back: Enrolment = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
        // An enrolment kept by the version before has none.
        let old: Enrolment = serde_json::from_str(
            r#"{"token":"t","device":{"deviceId":"d","role":"village","documents":[]}}"#,
        )
        .unwrap();
        assert_eq!(old.keys, None);
    }

    #[test]
    fn an_enrolment_without_keys_gets_them_from_me_and_keeps_them() {
        let old: Enrolment = serde_json::from_str(
            r#"{"token":"t","device":{"deviceId":"d","role":"village","documents":[]}}"#,
        )
        .unwrap();
        let me = parse_me(&format!(
            r#"{{"deviceId":"d","role":"village","documents":[],"keys":{KEYS}}}"#
        ))
        .unwrap();
        assert!(!format!("{me:?}").contains("abab"));
        let new = old.refreshed(me.clone()).expect("the keys are new");
        assert_eq!(new.token, "t");
        assert_eq!(new.keys, me.keys);
        assert_eq!(new.refreshed(me), None, "the same answer changes nothing");
        // An answer without keys (an older server) keeps them.
        let bare = parse_me(r#"{"deviceId":"d","role":"village","documents":[]}"#).unwrap();
        assert_eq!(new.refreshed(bare.clone()), None);
        let renamed = MeAnswer {
            device: DeviceInfo {
                name: "新名字".into(),
                ..bare.device
            },
            keys: None,
            device_key: None,
        };
        let updated = new.refreshed(renamed).unwrap();
        assert_eq!(updated.device.name, "新名字");
        assert_eq!(updated.keys, new.keys);
    }

    #[test]
    fn the_relay_key_comes_with_enrolment_or_me_and_is_never_shown() {
        let key = "ab".repeat(32);
        let e = parse_enrolment(&format!(
            r#"{{"token":"t","deviceId":"d","role":"village","documents":[],"deviceKey":"{key}"}}"#
        ))
        .unwrap();
        assert!(!format!("{e:?}").contains("abab"));
        let (k, id) = e.voucher().expect("a voucher");
        assert_eq!((k.0, id), ([0xab; 32], "d"));
        // A tablet enrolled before gets it from /api/me and keeps it.
        let old: Enrolment = serde_json::from_str(
            r#"{"token":"t","device":{"deviceId":"d","role":"village","documents":[]}}"#,
        )
        .unwrap();
        assert!(old.voucher().is_none());
        let me = parse_me(&format!(
            r#"{{"deviceId":"d","role":"village","documents":[],"deviceKey":"{key}"}}"#
        ))
        .unwrap();
        let new = old.refreshed(me).expect("the key is new");
        assert_eq!(new.device_key.as_deref(), Some(key.as_str()));
        let bare = parse_me(r#"{"deviceId":"d","role":"village","documents":[]}"#).unwrap();
        assert_eq!(new.refreshed(bare), None, "kept when an answer has none");
        // Not hex: no voucher.
        let mut bad = new;
        bad.device_key = Some("zz".into());
        assert!(bad.voucher().is_none());
    }

    #[test]
    fn the_document_list_comes_from_the_enrolment() {
        let plan = sync_plan(&info());
        assert_eq!(plan.len(), 2, "the invalid id is skipped");
        assert_eq!(plan[0].id, DocumentId::from_bytes(DISTRICT));
        assert!(plan[0].read_only && plan[0].district);
        assert_eq!(plan[1].id, DocumentId::from_bytes(UNIT));
        assert!(!plan[1].read_only && !plan[1].district);
        assert_eq!(plan[1].name.as_deref(), Some("东风村"));
        assert_eq!(info().unit_name(), Some("东风村"));
    }

    const OTHER_DISTRICT: [u8; 16] = [3; 16];
    const OTHER_UNIT: [u8; 16] = [4; 16];

    /// `/api/me` of a city viewer: two districts (plus a hostile entry with
    /// a bad document id and one missing its fields), their documents.
    fn city_viewer() -> DeviceInfo {
        let id = |b| DocumentId::from_bytes(b).to_string();
        let (d1, u1, d2, u2) = (id(DISTRICT), id(UNIT), id(OTHER_DISTRICT), id(OTHER_UNIT));
        let json = format!(
            r#"{{"deviceId":"c1","name":"市委组织部","role":"city_viewer","unitId":null,
            "districtId":null,"districtDocumentId":null,"districts":[
            {{"districtId":"yancheng","name":"雁城区（演示）","districtDocumentId":"{d1}"}},
            {{"districtId":"bad","name":"坏","districtDocumentId":"not-an-id"}},
            {{"name":"缺字段"}},
            {{"districtId":"hexi","name":"河西区","districtDocumentId":"{d2}","extra":1}}],
            "documents":[
            {{"documentId":"{d1}","access":"read","unitId":null,"name":null,"districtId":"yancheng"}},
            {{"documentId":"{u1}","access":"read","unitId":"u-1","name":"东风村","districtId":"yancheng"}},
            {{"documentId":"{d2}","access":"read","unitId":null,"name":null,"districtId":"hexi"}},
            {{"documentId":"{u2}","access":"read","unitId":"u-2","name":"西湖社区","districtId":"hexi"}}]}}"#
        );
        parse_me(&json).unwrap().device
    }

    #[test]
    fn a_city_device_reads_every_district_document_as_one() {
        let info = city_viewer();
        assert_eq!(info.role(), Some(Role::CityViewer));
        assert_eq!(info.district_id, None);
        // The entry missing its fields is skipped; the bad id stays listed
        // but is no document.
        assert_eq!(info.districts.len(), 3);
        assert_eq!(info.districts[0].name, "雁城区（演示）");
        assert_eq!(
            info.district_documents(),
            vec![
                DocumentId::from_bytes(DISTRICT),
                DocumentId::from_bytes(OTHER_DISTRICT)
            ]
        );
        let plan = sync_plan(&info);
        assert_eq!(plan.len(), 4);
        let districts: Vec<bool> = plan.iter().map(|p| p.district).collect();
        assert_eq!(districts, [true, false, true, false]);
        assert!(
            plan.iter().all(|p| p.read_only),
            "a city role writes nothing"
        );
        // Kept (sealed) as JSON and read back the same.
        let back: DeviceInfo =
            serde_json::from_str(&serde_json::to_string(&info).unwrap()).unwrap();
        assert_eq!(back, info);
    }

    #[test]
    fn enrolments_kept_before_the_city_still_parse_and_odd_answers_are_not_fatal() {
        let old: Enrolment = serde_json::from_str(
            r#"{"token":"t","device":{"deviceId":"d","role":"admin","districtDocumentId":null,
            "documents":[{"documentId":"x","access":"write"}]}}"#,
        )
        .unwrap();
        assert_eq!(old.device.district_id, None);
        assert!(old.device.districts.is_empty());
        assert_eq!(old.device.documents[0].district_id, None);
        // The legacy district document alone is still the district.
        assert!(sync_plan(&info())[0].district);
        assert_eq!(
            info().district_documents(),
            vec![DocumentId::from_bytes(DISTRICT)]
        );
        // `districts: null`, a string instead of a list entry, an unknown role.
        let me =
            parse_me(r#"{"deviceId":"d","role":"mayor","districts":null,"documents":[]}"#).unwrap();
        assert!(me.device.districts.is_empty());
        assert_eq!(me.device.role(), None, "an unknown role is offered nothing");
        let me = parse_me(r#"{"deviceId":"d","role":"viewer","districts":["x",3,{}]}"#).unwrap();
        assert!(me.device.districts.is_empty());
        // Not a list at all, or no device id: refused as a whole.
        assert!(parse_me(r#"{"deviceId":"d","role":"viewer","districts":"x"}"#).is_err());
        assert!(parse_me(r#"{"role":"city_viewer","districts":[]}"#).is_err());
    }

    #[test]
    fn error_answers_name_their_key_and_token_refusals_stop_sync() {
        assert_eq!(
            error_key(r#"{"error":"access.code.used"}"#).as_deref(),
            Some("access.code.used")
        );
        assert_eq!(error_key("<html>"), None);
        assert_eq!(
            Refusal::from_key("access.token.revoked"),
            Some(Refusal::Revoked)
        );
        assert_eq!(
            Refusal::from_key("access.token.expired"),
            Some(Refusal::Expired)
        );
        assert_eq!(
            Refusal::Expired.msg(),
            crate::i18n::Msg::AccessExpiredExplain
        );
        assert_eq!(Refusal::from_key("access.code.used"), None);
        // A revocation erases the tablet: only over a secure channel.
        assert_eq!(Refusal::Revoked.trusted(true), Refusal::Revoked);
        assert_eq!(Refusal::Revoked.trusted(false), Refusal::Unknown);
        assert_eq!(Refusal::Expired.trusted(false), Refusal::Expired);
    }

    #[test]
    fn the_enrol_form_accepts_tablet_typing_and_names_every_problem() {
        let ok = EnrolForm {
            code: " abcde fghjk".into(),
            device_name: " 东风村平板 ".into(),
        };
        assert_eq!(
            ok.validate().unwrap(),
            ("ABCDEFGHJK".to_owned(), "东风村平板".to_owned())
        );
        let bad = EnrolForm {
            code: "abc".into(),
            device_name: "  ".into(),
        };
        let e = bad.validate().unwrap_err();
        assert_eq!(e.code, Some(Msg::EnrolErrCodeShape));
        assert_eq!(e.device_name, Some(Msg::EnrolErrDeviceName));
        let body = enrol_body("ABCDEFGHJK", " a ");
        assert!(body.contains("\"deviceName\":\"a\""), "{body}");
    }

    #[test]
    fn admin_answers_parse() {
        let l = parse_devices(
            r#"{"devices":[{"deviceId":"a","name":"A","role":"admin","unitId":null,"createdAt":1,"lastSeenAt":null,"revokedAt":null},
            {"deviceId":"b","name":"B","role":"village","unitId":"u","createdAt":5,"lastSeenAt":6,"revokedAt":7}]}"#,
        )
        .unwrap();
        assert_eq!(l[0].device_id, "b", "newest first");
        assert_eq!(l[0].revoked_at, Some(7));
        let c =
            parse_issued(r#"{"code":"ABCDE-FGHJK","role":"village","unitId":"u","expiresAt":10}"#)
                .unwrap();
        assert_eq!(c.code, "ABCDE-FGHJK");
        assert!(code_body(Role::Admin, Some("u"), 72).contains("\"unitId\":null"));
        assert!(code_body(Role::Village, Some("u"), 24).contains("\"unitId\":\"u\""));
    }

    #[test]
    fn times_are_shown_as_dates() {
        assert_eq!(utc_datetime(0), "1970-01-01 00:00");
        assert_eq!(utc_datetime(1_700_000_000_000), "2023-11-14 22:13");
    }
}
