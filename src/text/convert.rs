//! Traditional → simplified conversion (繁简转换) with Taiwan/Hong Kong vocabulary: OpenCC's
//! `tw2sp` rules applied by two Aho–Corasick automata instead of per-position dictionary lookups.
//!
//! `tw2sp` is a chain of two steps, each a forward maximum match over a group of dictionaries
//! (the longest key starting at the current position wins; on equal keys the first dictionary
//! of the group; a character no key starts with is copied):
//! 1. Taiwan phrases and variants back to the common traditional form (`TWPhrasesRev`,
//!    `TWVariantsRevPhrases`, `TWVariantsRev`: 軟體 → 軟件, 資訊 → 信息);
//! 2. traditional → simplified phrases and characters (`TSPhrases`, `TSCharacters`).
//!
//! A leftmost-longest Aho–Corasick search finds exactly the keys forward maximum matching picks;
//! each step is one automaton over its group's phrase keys plus a code-point table for its
//! single-character keys (4,100 of the 5,000), built once on first use in about a millisecond. The dictionaries are OpenCC's own (Apache-2.0), as
//! shipped by the `ferrous-opencc` crate, in `src/text/opencc/`; a unit test checks that the
//! output equals `ferrous-opencc`'s `tw2sp` on every ideograph and on phrase-dense text.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// Step 1 of `tw2sp`, in group order.
const TW_TO_TRADITIONAL: &[&str] = &[
    include_str!("opencc/TWPhrasesRev.txt"),
    include_str!("opencc/TWVariantsRevPhrases.txt"),
    include_str!("opencc/TWVariantsRev.txt"),
];
/// Step 2 of `tw2sp`, in group order.
const TRADITIONAL_TO_SIMPLIFIED: &[&str] = &[
    include_str!("opencc/TSPhrases.txt"),
    include_str!("opencc/TSCharacters.txt"),
];

/// One conversion step: an automaton over the phrase keys (two or more characters) and a table
/// for the single-character keys, with each key's replacement.
///
/// Forward maximum matching over the union of both is the same as: find the leftmost-longest
/// phrase; every character before it that is a key is replaced by the table (no phrase starts
/// there, so the character is the longest key at its position); the phrase is replaced; go on
/// after it. Splitting them keeps the automaton small: ~900 phrases instead of ~5,000 keys build
/// in well under a millisecond, where the full DFA took ~10 ms of every start-up.
struct Step {
    phrases: AhoCorasick,
    /// Replacement of each phrase, by pattern number.
    values: Vec<&'static str>,
    /// Replacement of each single-character key of the Basic Multilingual Plane, by code point:
    /// `0` none, else the index + 1 into `char_values`.
    bmp: Box<[u16]>,
    /// Single-character keys outside the Basic Multilingual Plane.
    astral: FxHashMap<char, &'static str>,
    char_values: Vec<&'static str>,
}

impl Step {
    /// Builds a step over a group of OpenCC dictionary texts ([`merged`]).
    fn build(group: &[&'static str]) -> Option<Step> {
        let mut phrase_keys = Vec::new();
        let mut values = Vec::new();
        let mut bmp = vec![0u16; 0x1_0000].into_boxed_slice();
        let mut astral = FxHashMap::default();
        let mut char_values = Vec::new();
        for (key, value) in merged(group) {
            let mut chars = key.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if (c as u32) < 0x1_0000 => {
                    char_values.push(value);
                    bmp[c as usize] = u16::try_from(char_values.len()).ok()?;
                }
                (Some(c), None) => {
                    astral.insert(c, value);
                }
                _ => {
                    phrase_keys.push(key);
                    values.push(value);
                }
            }
        }
        let phrases = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&phrase_keys)
            .ok()?;
        Some(Step {
            phrases,
            values,
            bmp,
            astral,
            char_values,
        })
    }

    /// Appends `text` with every key replaced to `out`.
    fn apply(&self, text: &str, out: &mut String) {
        let mut copied = 0;
        for m in self.phrases.find_iter(text) {
            self.apply_chars(&text[copied..m.start()], out);
            out.push_str(self.values[m.pattern().as_usize()]);
            copied = m.end();
        }
        self.apply_chars(&text[copied..], out);
    }

    /// Appends `text` with every single-character key replaced (runs without one copied whole).
    fn apply_chars(&self, text: &str, out: &mut String) {
        let mut copied = 0;
        for (i, c) in text.char_indices() {
            if c.is_ascii() {
                continue;
            }
            let value = match self.bmp.get(c as usize) {
                Some(&0) => continue,
                Some(&k) => self.char_values[usize::from(k) - 1],
                None => match self.astral.get(&c) {
                    Some(v) => v,
                    None => continue,
                },
            };
            out.push_str(&text[copied..i]);
            out.push_str(value);
            copied = i + c.len_utf8();
        }
        out.push_str(&text[copied..]);
    }
}

/// The keys of a group of OpenCC dictionary texts (`key<TAB>value[ value…]` lines, `#` comments)
/// with their conversions, in first-seen order. As OpenCC's compiler reads them: a line needs
/// exactly one tab, a non-empty key and non-empty values; a later line replaces an earlier one of
/// the same key; the first value is the conversion. Across the group the first dictionary holding
/// a key wins.
fn merged(group: &[&'static str]) -> Vec<(&'static str, &'static str)> {
    let mut merged: FxHashMap<&'static str, &'static str> = FxHashMap::default();
    let mut order: Vec<&'static str> = Vec::new();
    for dict in group {
        let mut this: FxHashMap<&'static str, &'static str> = FxHashMap::default();
        let mut this_order = Vec::new();
        for line in dict.lines() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let mut parts = line.split('\t');
            let (Some(key), Some(values), None) = (parts.next(), parts.next(), parts.next()) else {
                continue;
            };
            if key.is_empty() || values.split(' ').any(str::is_empty) {
                continue;
            }
            let first = values.split(' ').next().unwrap_or(values);
            if this.insert(key, first).is_none() {
                this_order.push(key);
            }
        }
        for key in this_order {
            if !merged.contains_key(key) {
                merged.insert(key, this[key]);
                order.push(key);
            }
        }
    }
    order.into_iter().map(|k| (k, merged[k])).collect()
}

/// The characters of U+4E00..U+9FFF that OpenCC's `t2s` changes into one other character when
/// converted alone: the single-character keys of the traditional → simplified dictionaries
/// whose conversion is one other character. Read from the compiled-in tables in well under a
/// millisecond, where converting every ideograph with `ferrous-opencc` took a visible share of
/// every start-up; a unit test of the normaliser checks both give the same set.
pub fn changed_chars() -> impl Iterator<Item = char> {
    merged(TRADITIONAL_TO_SIMPLIFIED)
        .into_iter()
        .filter_map(|(key, value)| {
            let mut k = key.chars();
            let mut v = value.chars();
            match (k.next(), k.next(), v.next(), v.next()) {
                (Some(c), None, Some(s), None) if ('\u{4E00}'..='\u{9FFF}').contains(&c) && s != c => Some(c),
                _ => None,
            }
        })
}

struct Converter {
    steps: [Step; 2],
}

fn converter() -> Option<&'static Converter> {
    static C: OnceLock<Option<Converter>> = OnceLock::new();
    C.get_or_init(|| {
        Some(Converter {
            steps: [Step::build(TW_TO_TRADITIONAL)?, Step::build(TRADITIONAL_TO_SIMPLIFIED)?],
        })
    })
    .as_ref()
}

/// Appends `input` converted to simplified Chinese (OpenCC `tw2sp`: 電子競技 → 电子竞技,
/// 軟體 → 软件, 區塊鏈 → 区块链) to `out`. Text without traditional characters comes out unchanged.
pub fn to_simplified(input: &str, out: &mut String) {
    let Some(c) = converter() else {
        // The tables are compiled in; the automata cannot fail to build (a test checks it).
        out.push_str(input);
        return;
    };
    let mut traditional = String::with_capacity(input.len());
    c.steps[0].apply(input, &mut traditional);
    out.reserve(traditional.len());
    c.steps[1].apply(&traditional, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrous_opencc::OpenCC;
    use ferrous_opencc::config::BuiltinConfig;

    fn convert(s: &str) -> String {
        let mut out = String::new();
        to_simplified(s, &mut out);
        out
    }

    #[test]
    fn the_automata_build() {
        assert!(converter().is_some());
    }

    #[test]
    fn taiwan_vocabulary_and_characters_are_converted() {
        assert_eq!(convert("電子競技"), "电子竞技");
        assert_eq!(convert("軟體開發"), "软件开发");
        assert_eq!(convert("區塊鏈技術服務"), "区块链技术服务");
        assert_eq!(convert("温州 Ｅ-sports 5G；"), "温州 Ｅ-sports 5G；");
        assert_eq!(convert(""), "");
    }

    #[test]
    fn output_is_appended() {
        let mut out = String::from("前缀:");
        to_simplified("資訊", &mut out);
        assert_eq!(out, "前缀:信息");
    }

    /// The same output as OpenCC's `tw2sp` (ferrous-opencc) on every ideograph, on every
    /// dictionary key and value, and on long random strings of them, where keys overlap.
    #[test]
    fn equals_opencc_tw2sp() {
        let cc = OpenCC::from_config(BuiltinConfig::Tw2sp).expect("tw2sp");
        let mut pieces: Vec<String> = ('\u{3400}'..='\u{9FFF}').map(String::from).collect();
        for dict in TW_TO_TRADITIONAL.iter().chain(TRADITIONAL_TO_SIMPLIFIED) {
            for line in dict.lines().filter(|l| !l.starts_with('#')) {
                pieces.extend(line.split(['\t', ' ']).filter(|s| !s.is_empty()).map(String::from));
            }
        }
        pieces.extend(["a", " ", "；", "Ｇ", "\n", "𠀀"].map(String::from));
        for chunk in pieces.chunks(64) {
            let joined: String = chunk.concat();
            assert_eq!(convert(&joined), cc.convert(&joined), "{joined}");
        }
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..3_000 {
            let mut text = String::new();
            for _ in 0..24 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(&pieces[(seed % pieces.len() as u64) as usize]);
            }
            assert_eq!(convert(&text), cc.convert(&text), "{text}");
        }
    }
}
