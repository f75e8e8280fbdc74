//! Names by their pinyin: initials (王晓龙 → `wxl`), full plain pinyin
//! (`wangxiaolong`) and the name search every list shares, where a query
//! matches by characters, initials, full pinyin or any mix ("王xl",
//! "wangxl"). Pinyin comes from the `pinyin` crate (plain readings, no
//! hand-written table).

use pinyin::ToPinyin;

/// One character of a name with its plain pinyin (lowercase), if it has one.
fn syllables(name: &str) -> Vec<(char, Option<&'static str>)> {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| (c, c.to_pinyin().map(|p| p.plain())))
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
    fn initials_and_full_pinyin_come_from_the_pinyin_crate() {
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
}
