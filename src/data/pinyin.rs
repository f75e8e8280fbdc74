//! Names by their pinyin: initials (王晓龙 → `wxl`), full plain pinyin
//! (`wangxiaolong`) and the name search every list shares, where a query
//! matches by characters, initials, full pinyin or any mix ("王xl",
//! "wangxl"). Pinyin comes from [`table`], generated from the `pinyin`
//! crate (plain readings, no hand-written table).

mod table;

/// One character of a name with its plain pinyin (lowercase), if it has one.
fn syllables(name: &str) -> Vec<(char, Option<&'static str>)> {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| (c, table::syllable(c)))
        .collect()
}

/// The pinyin initials of a name: 王晓龙 → `wxl`; other letters and digits
/// are kept, lowercased.
pub fn initials(name: &str) -> String {
    syllables(name)
        .into_iter()
        .filter_map(|(c, p)| match p {
            Some(p) => p.chars().next(),
            None => c.is_alphanumeric().then(|| c.to_ascii_lowercase()),
        })
        .collect()
}

/// The full plain pinyin of a name: 王晓龙 → `wangxiaolong`.
pub fn full_pinyin(name: &str) -> String {
    syllables(name)
        .into_iter()
        .map(|(c, p)| p.map_or_else(|| c.to_lowercase().to_string(), str::to_owned))
        .collect()
}

/// The query as compared: lowercase, without spaces.
fn normalise(query: &str) -> Vec<char> {
    query
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `q` matches the name's characters from `at` on, each character
/// consumed by itself, its full pinyin or its initial; the query may end in
/// the middle of a syllable.
fn matches_from(name: &[(char, Option<&'static str>)], at: usize, q: &[char]) -> bool {
    if q.is_empty() {
        return true;
    }
    let Some(&(c, p)) = name.get(at) else {
        return false;
    };
    let lower: Vec<char> = c.to_lowercase().collect();
    if q.starts_with(&lower) && matches_from(name, at + 1, &q[lower.len()..]) {
        return true;
    }
    let Some(p) = p else {
        return false;
    };
    let p: Vec<char> = p.chars().collect();
    // The whole syllable, then the rest.
    if q.starts_with(&p) && matches_from(name, at + 1, &q[p.len()..]) {
        return true;
    }
    // The query ends inside this syllable.
    if p.starts_with(q) {
        return true;
    }
    // Only the initial.
    q[0] == p[0] && matches_from(name, at + 1, &q[1..])
}

/// Whether `query` finds `name` (empty queries find everyone).
pub fn matches(name: &str, query: &str) -> bool {
    let q = normalise(query);
    if q.is_empty() {
        return true;
    }
    let chars = syllables(name);
    (0..chars.len()).any(|start| matches_from(&chars, start, &q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_and_full_pinyin_come_from_the_pinyin_table() {
        assert_eq!(initials("王晓龙"), "wxl");
        assert_eq!(full_pinyin("王晓龙"), "wangxiaolong");
        assert_eq!(initials("李 Anna"), "lanna");
    }

    #[test]
    fn search_by_name_characters() {
        assert!(matches("王晓龙", "王"));
        assert!(matches("王晓龙", "晓龙"));
        assert!(matches("王晓龙", " 王晓 "));
        assert!(!matches("王晓龙", "李"));
        assert!(matches("王晓龙", ""));
    }

    #[test]
    fn search_by_pinyin_initials() {
        assert!(matches("王晓龙", "wxl"));
        assert!(matches("王晓龙", "WXL"));
        assert!(matches("王晓龙", "xl"));
        assert!(matches("王晓龙", "w"));
        assert!(!matches("王晓龙", "wlx"));
        assert!(!matches("李晓龙", "wxl"));
    }

    #[test]
    fn search_by_full_and_mixed_pinyin() {
        assert!(matches("王晓龙", "wangxiaolong"));
        assert!(matches("王晓龙", "wang xiao"));
        assert!(matches("王晓龙", "xiaol"));
        assert!(matches("王晓龙", "wangxl"));
        assert!(matches("王晓龙", "wxlong"));
        assert!(matches("王晓龙", "王xl"));
        assert!(matches("王晓龙", "王xiaolong"));
        assert!(!matches("王晓龙", "王xm"));
        assert!(!matches("王晓龙", "wangxiaolongg"));
    }

    #[test]
    fn compound_and_rare_surnames() {
        assert_eq!(full_pinyin("欧阳娜娜"), "ouyangnana");
        assert_eq!(initials("欧阳娜娜"), "oynn");
        assert!(matches("欧阳娜娜", "ouyang"));
        assert!(matches("欧阳娜娜", "oyn"));
        assert_eq!(full_pinyin("诸葛亮"), "zhugeliang");
        assert!(matches("诸葛亮", "zgl"));
        assert!(matches("诸葛亮", "zhugel"));
        assert!(matches("司马光", "simaguang"));
        assert!(matches("上官婉儿", "sgwe"));
        // One reading per character, the table's first (not the surname's):
        // 尉迟 is yùchí and the surname 单 is shàn, 曾 zēng, 区 ōu, 仇 qiú,
        // but the search knows them as weichi, dan, ceng, qu, chou.
        assert_eq!(full_pinyin("尉迟恭"), "weichigong");
        assert!(matches("尉迟恭", "wcg"));
        assert_eq!(full_pinyin("单雄信"), "danxiongxin");
        assert!(matches("单雄信", "dxx"));
        assert_eq!(full_pinyin("曾国藩"), "cengguofan");
        assert_eq!(full_pinyin("区"), "qu");
        assert_eq!(full_pinyin("仇"), "chou");
        // ü stays ü (吕 is lü), as the pinyin crate spells it.
        assert_eq!(full_pinyin("吕布"), "lübu");
        assert!(matches("吕布", "lb"));
    }

    #[test]
    fn rare_characters_of_names() {
        // Outside GB2312 but in GBK: common in given names.
        assert_eq!(full_pinyin("张喆"), "zhangzhe");
        assert_eq!(full_pinyin("李玥"), "liyue");
        assert_eq!(full_pinyin("王堃"), "wangkun");
        // Extension A (刘䶮, a name the ID-card system had to add).
        assert_eq!(full_pinyin("刘䶮"), "liuyan");
        assert!(matches("刘䶮", "ly"));
        // Extension B and later have no reading: found by the character.
        assert_eq!(full_pinyin("王𠀀"), "wang𠀀");
        assert_eq!(initials("王𠀀"), "w𠀀");
        assert!(matches("王𠀀", "𠀀"));
        assert!(matches("王𠀀", "w𠀀"));
    }
}
