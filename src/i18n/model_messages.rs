//! Translations of the model's validation and error message keys
//! (`yanzhen_model::validate::ALL_MESSAGE_KEYS`): the model says *what* is
//! wrong with a stable key, the app says it in the person's language.

use super::Lang;

/// The `(zh-CN, English)` texts of a model message key.
const fn texts(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key.as_bytes() {
        b"validation.required" => ("此项必须填写。", "This field is required."),
        b"validation.text.too_long" => ("内容过长，请精简。", "This text is too long."),
        b"validation.id.invalid" => ("记录编号无效。", "The record id is invalid."),
        b"validation.id_number.length" => (
            "身份证号应为 18 位。",
            "A resident ID number has 18 characters.",
        ),
        b"validation.id_number.format" => (
            "身份证号前 17 位应为数字，最后一位为数字或 X。",
            "The first 17 characters of an ID number are digits; the last is a digit or X.",
        ),
        b"validation.id_number.check_digit" => (
            "身份证号校验位不正确，请核对后重新输入。",
            "The ID number's check digit is wrong: please check the number.",
        ),
        b"validation.id_number.birth_date" => (
            "身份证号中的出生日期无效。",
            "The birth date inside the ID number is not a valid date.",
        ),
        b"validation.id_number.birth_mismatch" => (
            "出生年月与身份证号不一致。",
            "The date of birth does not match the ID number.",
        ),
        b"validation.id_number.sex_mismatch" => (
            "性别与身份证号不一致。",
            "The sex does not match the ID number.",
        ),
        b"validation.mobile.format" => (
            "手机号码应为以 1 开头的 11 位数字。",
            "A mobile number has 11 digits and starts with 1.",
        ),
        b"validation.date.invalid" => ("日期无效。", "This is not a valid date."),
        b"validation.date.range" => (
            "结束日期不能早于开始日期。",
            "The end date cannot be before the start date.",
        ),
        b"validation.amount.negative" => ("金额不能为负数。", "An amount cannot be negative."),
        b"validation.number.out_of_range" => (
            "数值超出允许范围。",
            "The number is out of the allowed range.",
        ),
        b"validation.reference.unknown" => (
            "引用的记录不存在。",
            "The referenced record does not exist.",
        ),
        b"validation.review.duplicate_department" => (
            "该部门已经签署过意见。",
            "This department has already signed off.",
        ),
        b"validation.review.reason_required" => {
            ("不通过时必须填写理由。", "A failed review needs a reason.")
        }
        b"validation.stage.inconsistent" => (
            "所填阶段与已有信息不一致。",
            "The stage does not agree with the information recorded.",
        ),
        b"model.not_found" => (
            "找不到该记录，可能已被删除。",
            "The record was not found; it may have been removed.",
        ),
        b"model.schema.too_new" => (
            "这份数据来自更新版本的雁阵，请先更新本应用。",
            "This data comes from a newer version of Yanzhen: please update the app first.",
        ),
        b"model.schema.unsupported" => ("数据格式不受支持。", "This data format is not supported."),
        b"model.document.corrupt" => (
            "数据已损坏，无法读取。已保存的其他数据不受影响。",
            "The data is damaged and cannot be read. Other saved data is not affected.",
        ),
        b"model.conflict.no_such_field" => (
            "该字段没有待处理的冲突。",
            "This field has no conflict to resolve.",
        ),
        _ => return None,
    })
}

/// The text of a model message key in `lang`, if the key is known.
pub fn model_text(key: &str, lang: Lang) -> Option<&'static str> {
    texts(key).map(|(zh, en)| match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use yanzhen_model::validate::ALL_MESSAGE_KEYS;

    #[test]
    fn every_model_message_key_is_translated() {
        for key in ALL_MESSAGE_KEYS {
            let zh =
                model_text(key, Lang::ZhCn).unwrap_or_else(|| panic!("{key} has no translation"));
            let en = model_text(key, Lang::En).unwrap();
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{key}: {zh}"
            );
            assert!(en.is_ascii() && !en.is_empty(), "{key}: {en}");
        }
    }

    #[test]
    fn unknown_keys_have_no_text() {
        assert_eq!(model_text("validation.no_such_key", Lang::ZhCn), None);
    }

    #[test]
    fn a_wrong_check_digit_reads_as_a_person_would_expect() {
        let err = yanzhen_model::validate::parse_id_number("990101199003070010", "id_number")
            .unwrap_err();
        let zh = model_text(err.message_key(), Lang::ZhCn).unwrap();
        assert!(zh.contains("校验位"), "{zh}");
    }
}
