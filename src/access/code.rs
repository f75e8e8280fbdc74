//! Enrolment codes as typed on a tablet: `abcde fghjk`, `ABCDE-FGHJK` and
//! `Abcde-fghjk` are the same code. The server's rules (10 characters of
//! [`CODE_ALPHABET`], case, spaces and dashes ignored) are repeated here so
//! a mistyped code is caught before it costs a rate-limited attempt.

/// The characters of enrolment codes (no `0`/`O`, `1`/`I`).
pub const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Characters in a code.
pub const CODE_LEN: usize = 10;

/// The canonical form of a typed code (upper case, no spaces or dashes), or
/// `None` unless that is [`CODE_LEN`] characters of [`CODE_ALPHABET`].
pub fn normalise_code(typed: &str) -> Option<String> {
    let s: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '—' && *c != '－')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (s.len() == CODE_LEN && s.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(s)
}

/// A code grouped for reading aloud: `ABCDE-FGHJK` (input returned as is
/// when it is not a code).
pub fn group_code(code: &str) -> String {
    match normalise_code(code) {
        Some(c) => format!("{}-{}", &c[..CODE_LEN / 2], &c[CODE_LEN / 2..]),
        None => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_are_normalised() {
        for typed in [
            "ABCDE-FGHJK",
            "abcde-fghjk",
            " abcde fghjk ",
            "ab cd ef gh jk",
            "Abcde—fghjk",
            "ABCDEFGHJK",
        ] {
            assert_eq!(
                normalise_code(typed).as_deref(),
                Some("ABCDEFGHJK"),
                "{typed}"
            );
        }
    }

    #[test]
    fn non_codes_are_refused() {
        for typed in [
            "",
            "ABCDE",
            "ABCDE-FGHJKL",
            "ABCDE-FGHJ0",
            "ABCDE-FGHJ1",
            "ABCDE-FGHJI",
            "ABCDE_FGHJK",
            "东风村东风村东风村东",
        ] {
            assert_eq!(normalise_code(typed), None, "{typed}");
        }
    }

    #[test]
    fn codes_are_grouped_for_reading_aloud() {
        assert_eq!(group_code("abcdefghjk"), "ABCDE-FGHJK");
        assert_eq!(group_code("nope"), "nope");
    }
}
