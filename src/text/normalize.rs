//! Normalisation into the *analysis form* that catalogue terms and profiles are matched in.
//!
//! The analysis form is:
//! - simplified Chinese (traditional and Taiwan/Hong Kong vocabulary are converted with OpenCC's
//!   `tw2sp` rules: 電子競技 → 电子竞技, 軟體 → 软件), half-width, lower-case;
//! - Chinese characters kept as they are (segmentation does not decide what a term is: any
//!   catalogue term is found wherever it occurs, so 区块链 is found in 区块链技术服务);
//! - each Latin/digit word stemmed (Snowball English) and surrounded by single spaces, so English
//!   terms match on whole words: " cross border e commerc "; mixed tokens (5G, IoT, O2O, B2B, 3D)
//!   stay whole ("5g", "iot");
//! - punctuation and other separators folded into `|`, so no term matches across a clause break;
//!   the list marks 、 and / fold into `/`, which also stops a match but does not end a clause
//!   (negation and trade cues reach across `/`: "（不含职业中介、劳务派遣）").

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;
use std::sync::OnceLock;

/// True for CJK unified ideographs (the ranges Chinese company text uses).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2A6DF}')
}

/// Whether code point `cp` is set in a bitmap over U+4E00..U+9FFF (the traditional-character table).
#[inline]
fn marked(bits: &[u64], cp: u32) -> bool {
    let i = (cp as usize).wrapping_sub(0x4E00);
    i < 0xA000 - 0x4E00 && bits[i / 64] & (1 << (i % 64)) != 0
}

/// Folds one character: full-width → half-width, ASCII lower-case, ideographic space → space.
#[inline]
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        // Typographic hyphens and dashes inside words ("cross‑border e‑commerce") are hyphens.
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => '-',
        c => c,
    };
    c.to_ascii_lowercase()
}

/// The shared normaliser. Build once ([`normalizer`]); heavy parts (OpenCC tables, the stemmer)
/// are loaded lazily the first time they are needed.
pub struct Normalizer {
    stemmer: Stemmer,
    /// Characters that OpenCC's t2s changes, with their simplified form (character level).
    trad_chars: OnceLock<HashMap<char, char>>,
    /// The same set as a bitmap over U+4E00..U+9FFF, for the per-profile "is any of it
    /// traditional?" test.
    trad_bits: OnceLock<Vec<u64>>,
}

/// Snowball's stem of `word`, remembered per thread: English profiles repeat their words, and the
/// stemmer cost ~8% of a list with a fifth of English profiles where a look-up costs almost
/// nothing. The same stems as calling the stemmer; at most 32,768 words are kept (then forgotten).
fn stem_cached<'a>(stemmer: &Stemmer, word: &'a str) -> std::borrow::Cow<'a, str> {
    use std::borrow::Cow;
    let mut stem = None;
    with_stem(stemmer, word, |s| {
        stem = Some(if std::ptr::eq(s, word) {
            Cow::Borrowed(word)
        } else {
            Cow::Owned(s.to_string())
        })
    });
    stem.unwrap_or(Cow::Borrowed(word))
}

/// Calls `f` with Snowball's stem of `word` (`word` itself when the stem is the word), from the
/// per-thread memory of [`stem_cached`]: a known word's stem is lent, not copied.
fn with_stem(stemmer: &Stemmer, word: &str, f: impl FnOnce(&str)) {
    use std::borrow::Cow;
    type Stems = rustc_hash::FxHashMap<Box<str>, Option<Box<str>>>;
    thread_local! {
        static STEMS: std::cell::RefCell<Stems> = std::cell::RefCell::default();
    }
    STEMS.with(|cell| {
        let Ok(mut stems) = cell.try_borrow_mut() else {
            return f(&stemmer.stem(word));
        };
        if let Some(known) = stems.get(word) {
            return match known {
                None => f(word),
                Some(stem) => f(stem),
            };
        }
        let stem = stemmer.stem(word);
        if stems.len() >= 1 << 15 {
            stems.clear();
        }
        let kept = match &stem {
            Cow::Borrowed(_) => None,
            Cow::Owned(s) => Some(s.as_str().into()),
        };
        stems.insert(word.into(), kept);
        f(&stem)
    })
}

/// [`super::convert::to_simplified`] of `text`, remembered per thread for the last few texts: a
/// row converts its company name up to three times (the name parser, the matcher's analysis,
/// the place the name starts with), and a conversion costs far more than a comparison.
fn converted(text: &str) -> String {
    /// How many (text, simplified) pairs a thread keeps: a row's name and scope, and some slack.
    const KEPT: usize = 4;
    thread_local! {
        /// Most recently converted first.
        static RECENT: std::cell::RefCell<Vec<(String, String)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    RECENT.with(|cell| {
        let Ok(mut recent) = cell.try_borrow_mut() else {
            let mut out = String::with_capacity(text.len());
            super::convert::to_simplified(text, &mut out);
            return out;
        };
        if let Some(k) = recent.iter().position(|(t, _)| t == text) {
            recent[..=k].rotate_right(1);
            return recent[0].1.clone();
        }
        // The oldest pair's buffers are reused for the new one.
        let (mut t, mut out) = if recent.len() >= KEPT {
            recent.pop().unwrap_or_default()
        } else {
            Default::default()
        };
        t.clear();
        t.push_str(text);
        out.clear();
        super::convert::to_simplified(text, &mut out);
        let result = out.clone();
        recent.insert(0, (t, out));
        result
    })
}

/// The process-wide normaliser.
pub fn normalizer() -> &'static Normalizer {
    static N: OnceLock<Normalizer> = OnceLock::new();
    N.get_or_init(|| Normalizer {
        stemmer: Stemmer::create(Algorithm::English),
        trad_chars: OnceLock::new(),
        trad_bits: OnceLock::new(),
    })
}

impl Normalizer {
    /// Character-level traditional → simplified map, derived once from OpenCC's own tables.
    pub fn trad_chars(&self) -> &HashMap<char, char> {
        self.trad_chars.get_or_init(|| {
            let Ok(t2s) = OpenCC::from_config(BuiltinConfig::T2s) else {
                return HashMap::new();
            };
            let chars: Vec<char> = ('\u{4E00}'..='\u{9FFF}').collect();
            // One character per line so no phrase rule spans two characters.
            let joined: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
            let converted = t2s.convert(&joined);
            let mut map = HashMap::new();
            for (orig, conv) in chars.iter().zip(converted.split('\n')) {
                let mut it = conv.chars();
                if let (Some(s), None) = (it.next(), it.next())
                    && s != *orig
                {
                    map.insert(*orig, s);
                }
            }
            map
        })
    }

    /// Converts traditional Chinese (with Taiwan/Hong Kong vocabulary) to simplified when the text
    /// contains any traditional character; returns the text unchanged otherwise.
    pub fn to_simplified<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        let bits = self.trad_bits();
        let is_trad = |c: char| marked(bits, c as u32);
        if !text.chars().any(is_trad) {
            return std::borrow::Cow::Borrowed(text);
        }
        std::borrow::Cow::Owned(converted(text))
    }

    /// Stems one lower-case ASCII word; words with digits (5g, o2o, b2b) stay whole, and a few
    /// words whose Snowball stem would merge them with an unrelated word keep their own form
    /// (animal/animation → "anim", hospitality/hospital → "hospit", recycled inputs vs recycling).
    pub fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        match Self::stem_fixed(word) {
            Some(fixed) => std::borrow::Cow::Borrowed(fixed),
            None => stem_cached(&self.stemmer, word),
        }
    }

    /// Appends [`Normalizer::stem`] of `word` to `out` without an intermediate `String`.
    fn push_stem(&self, word: &str, out: &mut String) {
        match Self::stem_fixed(word) {
            Some(fixed) => out.push_str(fixed),
            None => with_stem(&self.stemmer, word, |s| out.push_str(s)),
        }
    }

    /// The stem of a word that is not Snowball's: the word itself (digits, two letters or less) or
    /// its kept form; `None` for every other word.
    fn stem_fixed(word: &str) -> Option<&str> {
        const KEEP: &[(&str, &str)] = &[
            ("animal", "animal"),
            ("animals", "animal"),
            ("hospitality", "hospitality"),
            ("recycled", "recycled"),
            ("organic", "organic"),
            ("organics", "organic"),
            ("generic", "generic"),
            // Stems that would fall on an everyday word: "wellness" on "well" (as well as),
            // "merchandising" on "merchandise", "ups" on "up" (up to).
            ("wellness", "wellness"),
            ("merchandising", "merchandising"),
            ("ups", "ups"),
            // "used" as an adjective (used cars, used drink bottles) is not the verb "uses", a
            // cue of the uses role; "used in" / "used by" keep their own form.
            ("used", "used"),
            // "exhibits at a fair" is a trade-fair visitor; "exhibitions" is an organiser's trade.
            ("exhibition", "exhibition"),
            ("exhibitions", "exhibition"),
        ];
        if word.bytes().any(|b| b.is_ascii_digit()) || word.len() <= 2 {
            return Some(word);
        }
        KEEP.iter().find(|(w, _)| *w == word).map(|(_, k)| *k)
    }

    /// Bitmap over U+4E00..U+9FFF of the characters OpenCC's t2s changes: the keys of
    /// [`Normalizer::trad_chars`], read from the conversion tables without building that map.
    fn trad_bits(&self) -> &[u64] {
        self.trad_bits.get_or_init(|| {
            let mut bits = vec![0u64; (0xA000 - 0x4E00) / 64 + 1];
            for c in super::convert::changed_chars() {
                if let Some(i) = (c as usize).checked_sub(0x4E00).filter(|i| *i < 0xA000 - 0x4E00) {
                    bits[i / 64] |= 1 << (i % 64);
                }
            }
            bits
        })
    }

    /// The analysis form of `text` (see the module docs). Used for profiles and catalogue terms.
    pub fn analyze(&self, text: &str) -> String {
        let text = &*unbracket_appositions(text);
        // One pass that also looks for traditional characters; only a text that has some is
        // converted (OpenCC) and analysed again.
        let out = match self.analyze_form(text, Some(self.trad_bits())) {
            Some(out) => out,
            None => self.analyze_form(&self.to_simplified(text), None).unwrap_or_default(),
        };
        // Regional words (数位, 行销, 软体 …) meet their mainland form on both sides.
        super::variants::apply(out)
    }

    /// The analysis form of `text` taken as simplified Chinese; `None` when `trad` is given and the
    /// text holds a character it marks (the caller converts the text first).
    fn analyze_form(&self, text: &str, trad: Option<&[u64]>) -> Option<String> {
        let is_trad = |cp: u32| trad.is_some_and(|bits| marked(bits, cp));
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len() + 16);
        let mut word = String::new();
        // What the output ends with: 0 = start/separator '|', 1 = space (after a word), 2 = CJK/other.
        let mut last = 0u8;
        let flush = |word: &mut String, out: &mut String, last: &mut u8| {
            if word.is_empty() {
                return;
            }
            if *last != 1 {
                out.push(' ');
            }
            self.push_stem(word, out);
            out.push(' ');
            *last = 1;
            word.clear();
        };
        let mut i = 0;
        while i < bytes.len() {
            // Fast path, most of any Chinese text: a run of ideographs of U+4E00..U+9FFF (three
            // bytes each, lead E4 B8.. to E9) with no Latin word pending is copied as it is.
            if word.is_empty() {
                let mut j = i;
                while j + 3 <= bytes.len() {
                    let b = bytes[j];
                    if !((0xE5..=0xE9).contains(&b) || b == 0xE4 && bytes[j + 1] >= 0xB8) {
                        break;
                    }
                    let cp =
                        ((b as u32 & 0x0F) << 12) | ((bytes[j + 1] as u32 & 0x3F) << 6) | (bytes[j + 2] as u32 & 0x3F);
                    if is_trad(cp) {
                        return None;
                    }
                    j += 3;
                }
                if j > i {
                    out.push_str(&text[i..j]);
                    last = 2;
                    i = j;
                    continue;
                }
            }
            let mut rest = text[i..].chars();
            let Some(raw) = rest.next() else { break };
            i += raw.len_utf8();
            if is_trad(raw as u32) {
                return None;
            }
            if is_zero_width(raw) {
                // Zero-width joiners and marks inside a word (区块\u{200C}链) are not there.
                continue;
            }
            let c = fold_char(raw);
            let next = || rest.clone().next().map(fold_char);
            if c.is_ascii_alphanumeric() {
                word.push(c);
                continue;
            }
            // A hyphen or apostrophe inside a Latin word joins (e-commerce → "e commerc").
            if (c == '-' || c == '\'' || c == '.')
                && !word.is_empty()
                && next().is_some_and(|n| n.is_ascii_alphanumeric())
            {
                if c == '-' {
                    flush(&mut word, &mut out, &mut last);
                }
                // "'s" and "u.s." style joins: drop the mark, keep the word going.
                continue;
            }
            flush(&mut word, &mut out, &mut last);
            if is_cjk(c) {
                out.push(c);
                last = 2;
            } else if c.is_whitespace() {
                // Whitespace between Latin words is already a space; between CJK it is dropped
                // (registrations often wrap lines inside words).
                if last == 2 && next().is_some_and(|n| !is_cjk(n)) {
                    out.push('|');
                    last = 0;
                }
            } else if c.is_alphabetic() || c.is_numeric() {
                // Other scripts (accented Latin, kana …): keep as is.
                out.push(c);
                last = 2;
            } else if c == '、' || c == '/' {
                if last != 0 {
                    out.push('/');
                    last = 0;
                }
            } else if last != 0 {
                out.push('|');
                last = 0;
            } else if out.ends_with('/') {
                // A clause break after a list mark: the break wins.
                out.pop();
                out.push('|');
            }
        }
        flush(&mut word, &mut out, &mut last);
        Some(out)
    }

    /// The analysis form of a catalogue term: like [`Normalizer::analyze`], without separators at
    /// the ends. Empty when the term has no letters or ideographs.
    pub fn term_key(&self, term: &str) -> String {
        let a = self.analyze(term);
        a.trim_matches(|c| c == '|' || c == '/').to_string()
    }
}

/// `text` with the parentheses of short proper names inside Latin text read as spaces: "at the
/// China (Wenzhou) International Expo" and "Acme (HK) Ltd" are one clause, as an apposition is, where
/// every other parenthesis breaks the clause ("software (excluding games)" keeps its break). A
/// proper name here is one to three capitalised Latin words ("Wenzhou", "HK", "Hong Kong", "U.K.")
/// right after a Latin word or digit.
fn unbracket_appositions(text: &str) -> std::borrow::Cow<'_, str> {
    let is_open = |c: char| c == '(' || c == '（';
    // On every profile: two memchr-backed searches, not a decode of every character.
    let has_open = |t: &str| {
        // One memchr pass for '(' and the lead byte of '（' (EF BC 88), where `contains('（')`
        // would stop at every 0x88 continuation byte of Chinese text.
        let b = t.as_bytes();
        memchr::memchr2_iter(b'(', 0xEF, b).any(|i| b[i] == b'(' || b[i..].starts_with("（".as_bytes()))
    };
    // " & " between Latin words is "and" ("Pump & Valve Expo"), not a clause break.
    // The commas of a Latin list ("co-working spaces, incubators and a software park") are list
    // marks like 、, not clause breaks: a role cue before the list reaches all of its items.
    let joined = match latin_ampersands(text) {
        std::borrow::Cow::Borrowed(t) => latin_list_commas(t),
        std::borrow::Cow::Owned(t) => match latin_list_commas(&t) {
            std::borrow::Cow::Owned(listed) => std::borrow::Cow::Owned(listed),
            std::borrow::Cow::Borrowed(_) => std::borrow::Cow::Owned(t),
        },
    };
    if !has_open(&joined) {
        return joined;
    }
    let text = &*joined;
    let proper = |w: &str| {
        w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && w.chars().all(|c| c.is_ascii_alphabetic() || c == '.')
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some(k) = text[search..].find(is_open).map(|k| k + search) {
        let open_len = text[k..].chars().next().map_or(1, char::len_utf8);
        search = k + open_len;
        let after_latin = text[..k]
            .trim_end_matches(' ')
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let rest = &text[k + open_len..];
        let Some((close, close_char)) = rest.char_indices().take(40).find(|&(_, c)| c == ')' || c == '）') else {
            continue;
        };
        let words: Vec<&str> = rest[..close].split(' ').collect();
        // "(Not Listed)", "(Excluding Food)": a negation keeps its parentheses, so it stays
        // inside them.
        const NEGATING: &[&str] = &[
            "no",
            "not",
            "non",
            "without",
            "never",
            "nor",
            "excluding",
            "except",
            "none",
        ];
        let negating = words
            .first()
            .is_some_and(|w| NEGATING.iter().any(|n| w.eq_ignore_ascii_case(n)));
        if !after_latin || negating || !(1..=3).contains(&words.len()) || !words.iter().all(|w| proper(w)) {
            continue;
        }
        out.push_str(&text[copied..k]);
        out.push(' ');
        out.push_str(&rest[..close]);
        out.push(' ');
        copied = k + open_len + close + close_char.len_utf8();
        search = copied;
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Whether `text` holds `needle`, looked for from its byte `needle[at]` with `memchr`: for the
/// short needles of the Latin-text passes (" & ", ", "), whose chosen byte is rare in Chinese
/// text, a fraction of the cost of `str::contains`, which sets up a substring searcher per call.
fn contains_from(text: &str, needle: &[u8], at: usize) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(needle[at], bytes).any(|i| i >= at && bytes[i - at..].starts_with(needle))
}

/// `text` with " & " between Latin words written " and ".
fn latin_ampersands(text: &str) -> std::borrow::Cow<'_, str> {
    if !contains_from(text, b" & ", 1) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut copied = 0;
    for k in memchr::memmem::find_iter(text.as_bytes(), b" & ") {
        let before = text[..k].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric());
        let after = text[k + 3..].chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if before && after {
            out.push_str(&text[copied..k]);
            out.push_str(" and ");
            copied = k + 3;
        }
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Words that open a clause of their own after a comma ("…, where it keeps 50 cleaners").
const CLAUSE_STARTERS: &[&str] = &[
    "which",
    "where",
    "who",
    "whose",
    "whom",
    "while",
    "but",
    "so",
    "because",
    "although",
    "though",
    "it",
    "we",
    "they",
    "he",
    "she",
    "its",
    "their",
    "our",
    "the",
    "this",
    "these",
    "when",
    "after",
    "before",
    "since",
    "founded",
    "established",
    "based",
    "headquartered",
    "incorporated",
    "plus",
    "also",
    "then",
    "yet",
];

/// Words that, right after "and" / "or", open a clause rather than end a list ("…, and it also
/// runs a shop").
const AFTER_AND_CLAUSE: &[&str] = &[
    "also", "then", "it", "we", "they", "he", "she", "its", "their", "which", "so", "now", "later", "has", "have",
    "is", "was", "are", "were", "provides", "offers", "operates", "runs", "sells", "makes", "the",
];

/// `text` with the commas of short Latin lists written as list marks: "A, B and C" and "A, B, or
/// C", where every item after the first comma is at most four words and the last holds "and" /
/// "or" within its first five words. Any other comma stays a clause break.
fn latin_list_commas(text: &str) -> std::borrow::Cow<'_, str> {
    if !contains_from(text, b", ", 0) {
        return std::borrow::Cow::Borrowed(text);
    }
    let is_end = |c: char| matches!(c, ',' | ';' | ':' | '!' | '?' | '(' | ')' | '.') || !c.is_ascii();
    let is_list_comma = |k: usize| {
        if !text[..k].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
        let mut pos = k + 2;
        loop {
            let rest = &text[pos..];
            let seg_len = rest.find(is_end).unwrap_or(rest.len());
            let seg = &rest[..seg_len];
            // The segment's words, read once without collecting them.
            let mut words = seg.split_whitespace();
            let Some(first) = words.next() else { return false };
            let one_of = |list: &[&str], w: &str| list.iter().any(|x| x.eq_ignore_ascii_case(w));
            if one_of(CLAUSE_STARTERS, first) {
                return false;
            }
            let and_or = |w: &str| one_of(&["and", "or"], w);
            // The index of the first "and" / "or", and the number of words up to it (all of them
            // when there is none).
            let mut seen = 1usize;
            let mut idx = and_or(first).then_some(0);
            while idx.is_none() {
                let Some(w) = words.next() else { break };
                if and_or(w) {
                    idx = Some(seen);
                }
                seen += 1;
            }
            if let Some(idx) = idx {
                let after = words.next();
                return idx <= 4
                    && after.is_some_and(|a| !one_of(AFTER_AND_CLAUSE, a))
                    && (idx > 0 || idx + 1 + usize::from(after.is_some()) + words.count() <= 5);
            }
            // An item without "and": the list goes on only after another comma.
            if seen > 4 || !rest[seg_len..].starts_with(", ") {
                return false;
            }
            pos += seg_len + 2;
        }
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut copied = 0;
    // memchr's substring search: `match_indices` runs the general two-way search.
    for k in memchr::memmem::find_iter(text.as_bytes(), b", ") {
        if is_list_comma(k) {
            out.push_str(&text[copied..k]);
            out.push_str(" / ");
            copied = k + 2;
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM) that copy-paste leaves inside words.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

#[cfg(test)]
impl Normalizer {
    /// The straightforward char-by-char analysis the fast one must equal.
    fn analyze_reference(&self, text: &str) -> String {
        let text = &*unbracket_appositions(text);
        let simplified = self.to_simplified(text);
        let mut out = String::with_capacity(simplified.len() + 16);
        let mut word = String::new();
        // What the output ends with: 0 = start/separator '|', 1 = space (after a word), 2 = CJK/other.
        let mut last = 0u8;
        let flush = |word: &mut String, out: &mut String, last: &mut u8| {
            if word.is_empty() {
                return;
            }
            if *last != 1 {
                out.push(' ');
            }
            out.push_str(&self.stem(word));
            out.push(' ');
            *last = 1;
            word.clear();
        };
        let mut chars = simplified
            .chars()
            .filter(|&c| !is_zero_width(c))
            .map(fold_char)
            .peekable();
        while let Some(c) = chars.next() {
            if c.is_ascii_alphanumeric() {
                word.push(c);
                continue;
            }
            // A hyphen or apostrophe inside a Latin word joins (e-commerce → "e commerc").
            if (c == '-' || c == '\'' || c == '.')
                && !word.is_empty()
                && chars.peek().is_some_and(|n| n.is_ascii_alphanumeric())
            {
                if c == '-' {
                    flush(&mut word, &mut out, &mut last);
                }
                // "'s" and "u.s." style joins: drop the mark, keep the word going.
                continue;
            }
            flush(&mut word, &mut out, &mut last);
            if is_cjk(c) {
                out.push(c);
                last = 2;
            } else if c.is_whitespace() {
                // Whitespace between Latin words is already a space; between CJK it is dropped
                // (registrations often wrap lines inside words).
                if last == 2 && chars.peek().is_some_and(|n| !is_cjk(*n)) {
                    out.push('|');
                    last = 0;
                }
            } else if c.is_alphabetic() || c.is_numeric() {
                // Other scripts (accented Latin, kana …): keep as is.
                out.push(c);
                last = 2;
            } else if c == '、' || c == '/' {
                if last != 0 {
                    out.push('/');
                    last = 0;
                }
            } else if last != 0 {
                out.push('|');
                last = 0;
            } else if out.ends_with('/') {
                // A clause break after a list mark: the break wins.
                out.pop();
                out.push('|');
            }
        }
        flush(&mut word, &mut out, &mut last);
        super::variants::apply(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> String {
        normalizer().analyze(s)
    }

    #[test]
    fn the_traditional_bitmap_marks_what_opencc_changes() {
        let n = normalizer();
        let bits = n.trad_bits();
        let keys = n.trad_chars();
        for c in '\u{4E00}'..='\u{9FFF}' {
            assert_eq!(marked(bits, c as u32), keys.contains_key(&c), "{c}");
        }
    }

    #[test]
    fn a_repeated_text_converts_alike() {
        let n = normalizer();
        let texts = [
            "騰訊科技（深圳）有限公司",
            "軟體開發；資訊服務",
            "騰訊科技",
            "電子競技",
            "區塊鏈",
            "軟體開發；資訊服務",
        ];
        for _ in 0..3 {
            for t in texts {
                let mut expected = String::new();
                super::super::convert::to_simplified(t, &mut expected);
                assert_eq!(n.to_simplified(t), expected, "{t}");
            }
        }
    }

    #[test]
    fn short_needles_are_found_as_str_contains_finds_them() {
        for t in [
            "",
            "&",
            " & ",
            "a & b",
            "a &b",
            "&  ",
            ",",
            ", ",
            "a,b, c",
            "中文，文字",
            "a (b)",
            "（b）",
            "中（",
        ] {
            assert_eq!(contains_from(t, b" & ", 1), t.contains(" & "), "{t:?}");
            assert_eq!(contains_from(t, b", ", 0), t.contains(", "), "{t:?}");
        }
    }

    #[test]
    fn simplified_chinese_is_kept() {
        assert_eq!(a("区块链技术服务"), "区块链技术服务");
    }

    #[test]
    fn traditional_is_converted_with_regional_vocabulary() {
        assert_eq!(a("電子競技"), "电子竞技");
        assert_eq!(a("區塊鏈"), "区块链");
        assert_eq!(a("軟體開發"), "软件开发");
    }

    #[test]
    fn full_width_folds_to_half_width() {
        assert_eq!(a("ＩｏＴ平台"), " iot 平台");
        assert_eq!(a("５Ｇ"), " 5g ");
    }

    #[test]
    fn english_is_lowercased_and_stemmed_on_word_boundaries() {
        assert_eq!(a("Cross-Border E-Commerce"), " cross border e commerc ");
        assert_eq!(a("gaming studios"), " game studio ");
    }

    #[test]
    fn stems_that_would_merge_unrelated_words_are_kept_apart() {
        assert_ne!(a("animal feed"), a("animation studio").replace("studio", "feed"));
        assert_ne!(a("hospitality"), a("hospital"));
        assert_eq!(a("hospitals"), a("hospital"));
        assert_ne!(a("recycled"), a("recycling"));
        assert_ne!(a("exhibits"), a("exhibitions"));
        assert_ne!(a("used bottles"), a("uses bottles"));
        assert_eq!(a("exhibition"), a("exhibitions"));
    }

    #[test]
    fn mixed_tokens_stay_whole() {
        assert_eq!(a("O2O、B2B和AR/VR"), " o2o / b2b 和 ar / vr ");
        assert_eq!(a("3D打印"), " 3d 打印");
    }

    #[test]
    fn punctuation_separates_clauses() {
        assert_eq!(a("物联；网络"), "物联|网络");
        assert_eq!(a("动漫、游戏；直播"), "动漫/游戏|直播");
        assert_eq!(a("销售。"), "销售|");
    }

    #[test]
    fn fast_analysis_equals_the_reference_on_mixed_text() {
        // Every kind of character the fast path treats apart, strung together at random.
        let palette: Vec<&str> = vec![
            "区", "块", "链", "技", "术", "電", "競", "軟", "體", "一", "龥", "㐀", "䶿", "丂", "\u{4DC0}", "a", "B",
            "z", "5", "Ｇ", "ｉ", "-", "'", ".", " ", "\u{3000}", "\n", "、", "/", "；", "（", "）", "é", "カ", "𠀀",
            "!", "e-", "commerce", "ing ", "，", "|", "—", "0",
        ];
        let n = normalizer();
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            let len = (seed % 12) as usize;
            let mut text = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(palette[(seed % palette.len() as u64) as usize]);
            }
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            assert_eq!(n.analyze(&text), n.analyze_reference(&text), "{text:?}");
        }
    }

    #[test]
    fn a_parenthesised_proper_name_in_english_is_no_clause_break() {
        let n = normalizer();
        assert_eq!(
            n.analyze("exhibits at the China (Wenzhou) International Expo"),
            n.analyze("exhibits at the China Wenzhou International Expo")
        );
        assert_eq!(n.analyze("Acme (HK) Ltd"), n.analyze("Acme HK Ltd"));
        assert_eq!(n.analyze("Pump & Valve Expo"), n.analyze("Pump and Valve Expo"));
        assert!(n.analyze("机械 & 设备").contains('|'), "only between Latin words");
        // A short Latin list is one clause; a comma before a clause of its own still breaks.
        assert!(
            !n.analyze("contracts with co-working spaces, incubators and a software park")
                .contains('|')
        );
        assert!(!n.analyze("sells shoes, bags, belts, or hats").contains('|'));
        assert!(n.analyze("makes shoes, and it also runs a cafe").contains('|'));
        assert!(
            n.analyze("makes shoes, which are sold in malls and shops")
                .contains('|')
        );
        assert!(
            n.analyze("makes shoes for many years and decades, mostly leather ones")
                .contains('|')
        );
        assert!(
            n.analyze("makes shoes, 鞋类 and bags").contains('|'),
            "Latin items only"
        );
        // Anything else in parentheses still breaks the clause, and Chinese is untouched.
        assert!(n.analyze("software (excluding games) and services").contains('|'));
        assert!(!n.analyze("software (Games) and services").contains('|'));
        assert!(n.analyze("Acme (Not Listed) runs esports tournaments").contains('|'));
        assert!(n.analyze("E-commerce (Excluding Food) and logistics").contains('|'));
        assert!(n.analyze("软件开发（不含游戏）").contains('|'));
        assert!(n.analyze("（Wenzhou）展会").contains('|'), "no Latin word before it");
    }

    #[test]
    fn term_keys_trim_separators() {
        assert_eq!(normalizer().term_key("（区块链）"), "区块链");
        assert_eq!(normalizer().term_key("e-sports"), " e sport ");
        assert_eq!(normalizer().term_key("——"), "");
    }
}
