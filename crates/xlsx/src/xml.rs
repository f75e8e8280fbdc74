//! A small XML tokenizer for the SpreadsheetML parts: start and end tags,
//! attributes, text with the predefined and numeric character references,
//! CDATA. Declarations, processing instructions and comments are skipped;
//! a DTD (and with it any entity definition or expansion) is refused, and
//! nesting deeper than [`MAX_DEPTH`] is an error.

use std::borrow::Cow;

/// Deepest element nesting accepted (SpreadsheetML needs about ten).
pub(crate) const MAX_DEPTH: usize = 128;

/// Why a part is not well-formed enough to read.
pub(crate) type XmlResult<T> = Result<T, &'static str>;

/// One token of a part.
#[derive(Debug)]
pub(crate) enum Event<'a> {
    Start(Tag<'a>),
    /// The local name of a closing tag.
    End(&'a str),
    Text(Cow<'a, str>),
}

/// A start (or empty-element) tag.
#[derive(Debug)]
pub(crate) struct Tag<'a> {
    /// The local name (any namespace prefix dropped).
    pub name: &'a str,
    attrs: &'a str,
    /// `<x/>`: no content and no end tag follow.
    pub empty: bool,
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

impl<'a> Tag<'a> {
    /// The attributes as (qualified name, unescaped value).
    fn attrs(&self) -> impl Iterator<Item = XmlResult<(&'a str, Cow<'a, str>)>> {
        let mut rest = self.attrs;
        std::iter::from_fn(move || {
            rest = rest.trim_start();
            if rest.is_empty() {
                return None;
            }
            let parse = |rest: &mut &'a str| {
                let eq = rest.find('=').ok_or("attribute without a value")?;
                let name = rest[..eq].trim();
                let after = rest[eq + 1..].trim_start();
                let quote = after.chars().next().ok_or("attribute without a value")?;
                if quote != '"' && quote != '\'' {
                    return Err("unquoted attribute value");
                }
                let body = &after[1..];
                let end = body.find(quote).ok_or("unterminated attribute value")?;
                *rest = &body[end + 1..];
                Ok((name, unescape(&body[..end])?))
            };
            let r = parse(&mut rest);
            if r.is_err() {
                rest = "";
            }
            Some(r)
        })
    }

    /// The value of the attribute named exactly `name`.
    pub fn attr(&self, name: &str) -> XmlResult<Option<Cow<'a, str>>> {
        for a in self.attrs() {
            let (n, v) = a?;
            if n == name {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }

    /// The value of the first namespaced attribute whose local name is
    /// `name` (`r:id`, whatever the prefix).
    pub fn prefixed_attr(&self, name: &str) -> XmlResult<Option<Cow<'a, str>>> {
        for a in self.attrs() {
            let (n, v) = a?;
            if n.contains(':') && local(n) == name {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }
}

/// The tokens of one part, in order.
pub(crate) struct Tokens<'a> {
    s: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Tokens<'a> {
    pub fn new(s: &'a str) -> Self {
        let s = s.strip_prefix('\u{feff}').unwrap_or(s);
        Tokens {
            s,
            pos: 0,
            depth: 0,
        }
    }

    fn skip_past(&mut self, from: usize, end: &str) -> XmlResult<&'a str> {
        let rest = &self.s[from..];
        let i = rest.find(end).ok_or("unterminated markup")?;
        self.pos = from + i + end.len();
        Ok(&rest[..i])
    }

    /// The next token, `None` at the end of the part.
    pub fn next(&mut self) -> XmlResult<Option<Event<'a>>> {
        loop {
            let rest = &self.s[self.pos..];
            if rest.is_empty() {
                return if self.depth == 0 {
                    Ok(None)
                } else {
                    Err("unexpected end of the part")
                };
            }
            let Some(r) = rest.strip_prefix('<') else {
                let end = rest.find('<').unwrap_or(rest.len());
                self.pos += end;
                return Ok(Some(Event::Text(unescape(&rest[..end])?)));
            };
            let at = self.pos;
            if r.starts_with('?') {
                self.skip_past(at, "?>")?;
            } else if r.starts_with("!--") {
                self.skip_past(at + 4, "-->")?;
            } else if r.starts_with("![CDATA[") {
                let body = self.skip_past(at + 9, "]]>")?;
                return Ok(Some(Event::Text(Cow::Borrowed(body))));
            } else if r.starts_with('!') {
                return Err("DTDs and entity declarations are not accepted");
            } else if r.starts_with('/') {
                let body = self.skip_past(at + 2, ">")?;
                self.depth = self.depth.checked_sub(1).ok_or("unbalanced end tag")?;
                return Ok(Some(Event::End(local(body.trim()))));
            } else {
                // A start tag ends at the first `>` outside quotes.
                let mut quote = None;
                let end = r
                    .char_indices()
                    .find(|&(_, c)| match quote {
                        Some(q) if c == q => {
                            quote = None;
                            false
                        }
                        Some(_) => false,
                        None if c == '"' || c == '\'' => {
                            quote = Some(c);
                            false
                        }
                        None => c == '>',
                    })
                    .map(|(i, _)| i)
                    .ok_or("unterminated tag")?;
                self.pos = at + 1 + end + 1;
                let body = &r[..end];
                let (body, empty) = match body.strip_suffix('/') {
                    Some(b) => (b, true),
                    None => (body, false),
                };
                let name_end = body
                    .find(|c: char| c.is_ascii_whitespace())
                    .unwrap_or(body.len());
                let name = &body[..name_end];
                if name.is_empty() {
                    return Err("a tag without a name");
                }
                if !empty {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err("elements nested too deeply");
                    }
                }
                return Ok(Some(Event::Start(Tag {
                    name: local(name),
                    attrs: &body[name_end..],
                    empty,
                })));
            }
        }
    }

    /// The next token, an error at the end of the part.
    pub fn next_in(&mut self) -> XmlResult<Event<'a>> {
        self.next()?.ok_or("unexpected end of the part")
    }

    /// The text content of the element just opened (nested elements' text
    /// included), up to its end tag.
    pub fn text(&mut self) -> XmlResult<String> {
        let mut out = String::new();
        let mut depth = 0usize;
        loop {
            match self.next_in()? {
                Event::Start(t) if !t.empty => depth += 1,
                Event::Start(_) => {}
                Event::End(_) if depth == 0 => return Ok(out),
                Event::End(_) => depth -= 1,
                Event::Text(t) => out.push_str(&t),
            }
        }
    }
}

/// Text with the five predefined entities and numeric character
/// references replaced; any other entity is an error (nothing is expanded).
pub(crate) fn unescape(s: &str) -> XmlResult<Cow<'_, str>> {
    if !s.contains('&') {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let semi = after
            .find(';')
            .ok_or("an unterminated character reference")?;
        let name = &after[..semi];
        let c = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(h) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                    u32::from_str_radix(h, 16).ok()
                } else if let Some(d) = name.strip_prefix('#') {
                    d.parse().ok()
                } else {
                    return Err("an undefined entity");
                };
                code.and_then(char::from_u32)
                    .ok_or("an invalid character reference")?
            }
        };
        out.push(c);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// Excel's `_xHHHH_` escapes (characters XML cannot carry) decoded.
pub(crate) fn unescape_x(s: String) -> String {
    if !s.contains("_x") {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let code = rest
            .get(i + 2..i + 7)
            .filter(|h| h.ends_with('_') && h[..4].bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(&h[..4], 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &rest[i + 7..];
            }
            None => {
                out.push_str("_x");
                rest = &rest[i + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `s` escaped for XML text or a double-quoted attribute; characters XML
/// 1.0 forbids (and `\r`, which a reader would turn into `\n`) become
/// Excel's `_xHHHH_`, and an underscore that would read as such an escape
/// is itself escaped (`_x005F_`), so every string reads back as written.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    for (i, c) in s.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '_' if looks_like_x_escape(&s[i..]) => out.push_str("_x005F_"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push_str(&format!("_x{:04X}_", c as u32));
            }
            c => out.push(c),
        }
    }
}

fn looks_like_x_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_a_small_part() {
        let mut t = Tokens::new(
            "<?xml version=\"1.0\"?><!-- c --><a x:id='1&amp;2' b=\"&#x41;\"><b/>t&lt;<![CDATA[<c>]]></a>",
        );
        let Some(Event::Start(a)) = t.next().unwrap() else {
            panic!()
        };
        assert_eq!(a.name, "a");
        assert_eq!(a.prefixed_attr("id").unwrap().as_deref(), Some("1&2"));
        assert_eq!(a.attr("b").unwrap().as_deref(), Some("A"));
        assert_eq!(t.text().unwrap(), "t<<c>");
        assert!(t.next().unwrap().is_none());
    }

    #[test]
    fn dtds_entities_and_depth_are_refused() {
        let dtd = "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>";
        assert!(Tokens::new(dtd).next().is_err());
        let mut t = Tokens::new("<a>&x;</a>");
        t.next().unwrap();
        assert!(t.next().is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        let mut t = Tokens::new(&deep);
        assert!(
            (0..=MAX_DEPTH)
                .try_for_each(|_| t.next().map(drop))
                .is_err()
        );
        assert!(Tokens::new("<a>").text().is_err());
        assert!(unescape("&#xD800;").is_err());
    }

    #[test]
    fn x_escapes_round_trip() {
        for s in ["a\u{1}b\rc", "_x0041_", "_x", "tab\there", "\u{FFFF}"] {
            let mut e = String::new();
            escape_into(&mut e, s);
            assert!(!e.contains('\r') && !e.contains('\u{1}'));
            assert_eq!(unescape_x(unescape(&e).unwrap().into_owned()), s);
        }
        assert_eq!(unescape_x("_x000D_x_x00".into()), "\rx_x00");
    }
}
