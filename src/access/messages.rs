//! Translations of the server's access-control message keys (`access.*`,
//! `server.error`, from `POST /api/enrol`, `GET /api/me`, `/api/admin/*`
//! and `/sync`) and of the sync-file keys (`sync_file.*`,
//! `yanzhen_sync::file::ALL_MESSAGE_KEYS`): the server or the file reader
//! says *what* went wrong with a stable key, the app says it in the
//! person's language.

use crate::i18n::Lang;

/// Every access key the server sends (checked against the server's own
/// error types in the tests).
pub const ACCESS_KEYS: &[&str] = &[
    "access.token.missing",
    "access.token.unknown",
    "access.token.revoked",
    "access.token.expired",
    "access.token.too_many_connections",
    "access.code.invalid",
    "access.code.used",
    "access.code.expired",
    "access.device_name.invalid",
    "access.enrol.rate_limited",
    "access.forbidden",
    "access.role.invalid",
    "access.code.request_invalid",
    "access.device.unknown",
    "server.error",
];

/// The `(zh-CN, English)` texts of a key.
const fn texts(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key.as_bytes() {
        b"sync_file.no_keys" => (
            "先连接一次服务器：同步文件用服务器发给本区平板的密钥加密，本机还没有收到密钥，暂时不能导出或导入。",
            "Connect to the server once first: sync files are sealed with a key the server gives this district's tablets, and this tablet has not received it yet, so it cannot export or import for now.",
        ),
        b"sync_file.locked" => (
            "本机已锁定，请先输入密码解锁，再导出或导入同步文件。",
            "This tablet is locked: unlock it with the PIN before exporting or importing a sync file.",
        ),
        b"sync_file.no_random" => (
            "这个浏览器无法生成安全的随机数，不能导出同步文件。",
            "This browser cannot make secure random numbers, so it cannot export a sync file.",
        ),
        b"access.token.missing" => (
            "本机尚未注册，不能同步。",
            "This tablet is not enrolled, so it cannot sync.",
        ),
        b"access.token.unknown" => (
            "服务器不认识本机，请重新注册。",
            "The server does not know this tablet: enrol it again.",
        ),
        b"access.token.revoked" => (
            "管理员已停用本机，本机不再同步。",
            "The administrator has revoked this tablet; it no longer syncs.",
        ),
        b"access.token.expired" => (
            "本机太久没有与服务器同步，注册已过期。本机的记录都还在，重新注册后继续同步。",
            "This tablet has not synced for too long and its enrolment has expired. Its records are all still here; enrol it again to go on syncing.",
        ),
        b"access.token.too_many_connections" => (
            "本机同时打开的同步连接太多，请关闭其他窗口后再试。",
            "This tablet has too many sync connections open: close its other windows and try again.",
        ),
        b"access.code.invalid" => (
            "注册码不正确，请核对后重新输入。",
            "That enrolment code is not right: check it and type it again.",
        ),
        b"access.code.used" => (
            "这个注册码已经用过了。每个注册码只能用一次，请向管理员要一个新的。",
            "That code has been used already. Each code works once: ask the administrator for a new one.",
        ),
        b"access.code.expired" => (
            "这个注册码已过期，请向管理员要一个新的。",
            "That code has expired: ask the administrator for a new one.",
        ),
        b"access.device_name.invalid" => (
            "请给本机起一个名字（不超过 100 个字）。",
            "Give this tablet a name (at most 100 characters).",
        ),
        b"access.enrol.rate_limited" => (
            "输错的次数太多，请稍等几分钟再试。",
            "Too many wrong tries: wait a few minutes, then try again.",
        ),
        b"access.forbidden" => (
            "本机没有这项权限。",
            "This tablet is not allowed to do that.",
        ),
        b"access.role.invalid" => ("身份不正确。", "That role is not valid."),
        b"access.code.request_invalid" => (
            "无法为所选的身份和单位生成注册码，请检查单位。",
            "No code can be issued for that role and unit: check the unit.",
        ),
        b"access.device.unknown" => ("没有这台设备。", "There is no such tablet."),
        b"server.error" => (
            "服务器暂时出了问题，请稍后再试。",
            "The server has a problem right now: try again later.",
        ),
        b"sync_file.not_a_sync_file" => (
            "这不是雁阵同步文件。请选择以 .yanzhen 结尾的文件。",
            "This is not a Yanzhen sync file. Choose a file ending in .yanzhen.",
        ),
        b"sync_file.too_new" => (
            "这个同步文件来自更新版本的雁阵，请先更新本机的应用。",
            "This sync file comes from a newer Yanzhen: update the app on this tablet first.",
        ),
        b"sync_file.damaged" => (
            "同步文件已损坏（可能没有传完整），没有导入任何内容。请重新导出一次。",
            "The sync file is damaged (perhaps cut short in transit); nothing was imported. Export it again.",
        ),
        b"sync_file.bad_content" => (
            "同步文件的内容无效，没有导入任何内容。",
            "The sync file's content is not valid; nothing was imported.",
        ),
        b"sync_file.rejected" => (
            "同步文件中的修改与本机数据不一致，没有导入任何内容。",
            "The file's changes do not fit the data on this tablet; nothing was imported.",
        ),
        b"sync_file.origin_too_long" => (
            "单位名称太长，无法写入同步文件。",
            "The office name is too long for a sync file.",
        ),
        b"sync_file.unprotected" => (
            "这是旧版本未加密的同步文件，不能导入。请在对方平板上用当前版本重新导出。",
            "This is an older, unprotected sync file and cannot be imported: export it again with this version.",
        ),
        b"sync_file.other_district" => (
            "这个同步文件来自其他区县，不能在本机导入。",
            "This sync file belongs to another district and cannot be imported here.",
        ),
        b"sync_file.tampered" => (
            "同步文件已被改动或损坏，没有导入任何内容。请重新导出一次。",
            "The sync file was altered or damaged; nothing was imported. Export it again.",
        ),
        b"district.exists" => (
            "这个区县编号已经有了，请换一个编号。",
            "A district with this id exists already: choose another id.",
        ),
        b"district.invalid" => (
            "区县编号或名称不符合要求：编号用 1 至 32 个小写字母、数字、下划线或连字符，名称不能为空。",
            "The district id or name is not valid: the id is 1 to 32 lowercase letters, digits, underscores or hyphens, and the name may not be empty.",
        ),
        b"district.unknown" => (
            "服务器上没有这个区县（可能已被删除），请刷新列表。",
            "The server has no such district (perhaps it was removed): reload the list.",
        ),
        _ => return None,
    })
}

/// The text of an access or sync-file key in `lang`, if the key is known.
pub fn access_text(key: &str, lang: Lang) -> Option<&'static str> {
    texts(key).map(|(zh, en)| match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    })
}

/// The text of a key, or the generic server message for an unknown key.
pub fn access_text_or_generic(key: &str, lang: Lang) -> &'static str {
    access_text(key, lang).unwrap_or_else(|| access_text("server.error", lang).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(key: &str) {
        let zh = access_text(key, Lang::ZhCn).unwrap_or_else(|| panic!("{key} has no translation"));
        let en = access_text(key, Lang::En).unwrap();
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{key}: {zh}"
        );
        assert!(en.is_ascii() && !en.is_empty(), "{key}: {en}");
    }

    #[test]
    fn every_sync_file_key_is_translated() {
        for key in yanzhen_sync::file::ALL_MESSAGE_KEYS {
            check(key);
        }
        for key in crate::sync::transfer::APP_MESSAGE_KEYS {
            check(key);
        }
    }

    #[test]
    fn every_access_key_is_translated() {
        for key in ACCESS_KEYS
            .iter()
            .chain(crate::access::districts::DISTRICT_KEYS)
        {
            check(key);
        }
    }

    /// The server's own error types name only keys of [`ACCESS_KEYS`].
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_servers_keys_are_all_listed() {
        use yanzhen_server::auth::{EnrolError, TokenError};
        let mut keys = vec![
            yanzhen_server::sync::REVOKED,
            yanzhen_server::sync::TOO_MANY_CONNECTIONS,
        ];
        for t in [
            TokenError::Missing,
            TokenError::Unknown,
            TokenError::Revoked,
            TokenError::Expired,
        ] {
            keys.push(t.key());
        }
        for e in [
            EnrolError::Invalid,
            EnrolError::Used,
            EnrolError::Expired,
            EnrolError::BadName,
            EnrolError::RateLimited { retry_after_s: 1 },
        ] {
            keys.push(e.key());
        }
        for key in keys {
            assert!(ACCESS_KEYS.contains(&key), "{key} is not in ACCESS_KEYS");
        }
        // The API's literal keys (crates/server/src/api.rs).
        let api = include_str!("../../crates/server/src/api.rs");
        for key in api
            .split('"')
            .filter(|s| s.starts_with("access.") && !s.ends_with('.') && !s.contains('|'))
        {
            assert!(
                ACCESS_KEYS.contains(&key),
                "{key} (api.rs) is not in ACCESS_KEYS"
            );
        }
    }

    #[test]
    fn unknown_keys_fall_back_to_the_server_message() {
        assert_eq!(access_text("access.nope", Lang::En), None);
        assert_eq!(
            access_text_or_generic("access.nope", Lang::En),
            access_text("server.error", Lang::En).unwrap()
        );
    }
}
