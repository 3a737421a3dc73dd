//! Cell text hygiene, applied to every cell value as it is read, before fields are mapped and
//! matched: NUL bytes removed, inline HTML tags stripped and HTML entities decoded (web exports
//! carry `电子&nbsp;竞技`, `&#30005;…`, `电子<span>竞技</span>`), and the placeholders exports
//! write for "no value" (`-`, `--`, `—`, `/`, `暂无`, `无`, `N/A`, `null`) recognised as empty.

use std::borrow::Cow;

/// Values that mean "no value" in exports; a field holding only one of these is empty.
pub const PLACEHOLDERS: [&str; 14] = [
    "-", "--", "---", "—", "——", "–", "/", "\\", "暂无", "无", "n/a", "na", "null", "none",
];

/// Whether a value is a placeholder for "no value" (case-insensitive, surrounding spaces
/// ignored; full-width `－` and `／` count; so does `'-`, the formula-safe form a ranked CSV
/// writes, when a ranked file is ranked again).
pub fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    let t = t.strip_prefix('\'').unwrap_or(t).trim();
    if t.is_empty() || t.len() > 8 {
        return false;
    }
    let folded: String = t
        .chars()
        .map(|c| match c {
            '－' => '-',
            '／' => '/',
            'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c.to_ascii_lowercase(),
        })
        .collect();
    PLACEHOLDERS.contains(&folded.as_str())
}

/// A cell value cleaned for reading: NUL bytes removed, inline tags stripped (block tags such as
/// `<p>` and `<br>` become a space), entities decoded. Borrowed unchanged when there is nothing
/// to do (the usual case, found with one scan).
pub fn clean_cell(s: &str) -> Cow<'_, str> {
    if memchr::memchr3(b'\0', b'<', b'&', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    let no_nul: Cow<str> = if s.contains('\0') {
        Cow::Owned(s.replace('\0', ""))
    } else {
        Cow::Borrowed(s)
    };
    let stripped = strip_tags(&no_nul);
    let decoded = decode_entities(&stripped);
    match decoded {
        Cow::Borrowed(d) if d.len() == s.len() => Cow::Borrowed(s),
        d => Cow::Owned(d.into_owned()),
    }
}

/// Cleans a cell in place; returns whether it changed.
pub fn clean_in_place(s: &mut String) -> bool {
    match clean_cell(s) {
        Cow::Borrowed(_) => false,
        Cow::Owned(o) => {
            *s = o;
            true
        }
    }
}

/// HTML tag names treated as a break between words.
const BLOCK_TAGS: [&str; 12] = [
    "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2",
];

/// Formatting tags web exports leave in text (highlighting, emphasis, links); they are removed.
/// Other tags (`<script>`) are kept as text, so what they say stays visible (and escaped).
const INLINE_TAGS: [&str; 22] = [
    "span", "b", "i", "u", "em", "strong", "font", "a", "mark", "small", "big", "sup", "sub", "s", "strike", "del",
    "ins", "tbody", "thead", "h3", "h4", "hr",
];

/// Removes formatting tags — `<name …>`, `</name>`, `<name/>` for the names in [`BLOCK_TAGS`]
/// and [`INLINE_TAGS`]; any other `<` (`a<b`, `<5万`, `<script>`) is kept.
fn strip_tags(s: &str) -> Cow<'_, str> {
    if !s.contains('<') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut changed = false;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name_start = after.strip_prefix('/').unwrap_or(after);
        let name: String = name_start
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let after_name = &name_start[name.len()..];
        let is_tag = (BLOCK_TAGS.contains(&name.as_str()) || INLINE_TAGS.contains(&name.as_str()))
            && after_name.starts_with(['>', ' ', '/', '\t']);
        let end = after.find('>').filter(|&e| e <= 512 && !after[..e].contains('<'));
        match (is_tag, end) {
            (true, Some(e)) => {
                if BLOCK_TAGS.contains(&name.as_str()) && !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
                rest = &after[e + 1..];
                changed = true;
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    if changed {
        Cow::Owned(out.trim_end().to_string())
    } else {
        Cow::Borrowed(s)
    }
}

/// Decodes named (HTML5), decimal and hexadecimal character references; anything that is not a
/// known reference (`A&B`, `&foo;`) is kept as written. `&nbsp;` becomes a plain space.
fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut changed = false;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let decoded = after
            .find(';')
            .filter(|&e| e > 0 && e <= 32)
            .and_then(|e| entity(&after[..e]).map(|text| (text, e)));
        match decoded {
            Some((text, e)) => {
                out.push_str(&text);
                rest = &after[e + 1..];
                changed = true;
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    if changed { Cow::Owned(out) } else { Cow::Borrowed(s) }
}

/// The text of one reference (without `&` and `;`).
fn entity(name: &str) -> Option<Cow<'static, str>> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        let c = char::from_u32(code).filter(|&c| c != '\0')?;
        return Some(Cow::Owned(c.to_string()));
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    match quick_xml::escape::resolve_html5_entity(name)? {
        "\u{A0}" => Some(Cow::Borrowed(" ")),
        t => Some(Cow::Borrowed(t)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_tags_and_nuls_are_cleaned() {
        assert_eq!(clean_cell("电子&nbsp;竞技"), "电子 竞技");
        assert_eq!(clean_cell("&#30005;&#23376;&#x7ade;&#25216;"), "电子竞技");
        assert_eq!(clean_cell(r#"电子<span class="hl">竞技</span>赛事"#), "电子竞技赛事");
        assert_eq!(clean_cell("<p>电子竞技赛事运营</p><br/>"), "电子竞技赛事运营");
        assert_eq!(clean_cell("温州某某\0\0科技"), "温州某某科技");
        assert_eq!(clean_cell("A&amp;B &lt;b&gt;"), "A&B <b>");
    }

    #[test]
    fn text_that_only_looks_like_markup_is_kept() {
        assert!(matches!(clean_cell("研发、生产、销售"), Cow::Borrowed(_)));
        assert_eq!(clean_cell("A&B公司"), "A&B公司");
        assert_eq!(clean_cell("注册资本<5万"), "注册资本<5万");
        assert_eq!(clean_cell("a<b>c"), "ac");
        assert_eq!(clean_cell("<script>x</script>公司"), "<script>x</script>公司");
        assert_eq!(clean_cell("<spanner>"), "<spanner>");
        assert_eq!(clean_cell("&foo; & &#xZZ;"), "&foo; & &#xZZ;");
        assert_eq!(clean_cell("&#0;"), "&#0;");
    }

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "-", "--", "—", "/", "暂无", "无", "N/A", "null", " NULL ", "－", "n/a", "'-",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for v in ["", "无锡", "5000", "-5", "暂无数据公司", "N"] {
            assert!(!is_placeholder(v), "{v}");
        }
    }
}
