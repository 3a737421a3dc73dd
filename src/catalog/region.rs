//! The plan's city and its parts (`catalog/region.toml`): the city, its districts, counties and
//! county-level cities, the functional zones the plan names, and the places that are elsewhere.
//! [`Region::origin_of`] says whether a location text is local (a 培育 cultivation lead) or
//! elsewhere (a 招引 attraction lead).

use crate::error::CatalogProblem;
use crate::text::{fold_char, normalizer};
use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

/// Where a company is, against the plan's city.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// In the city: a 培育 cultivation lead.
    Local,
    /// Elsewhere: a 招引 attraction lead.
    Elsewhere,
    /// No place recognised.
    #[default]
    Unknown,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Local => "local",
            Origin::Elsewhere => "elsewhere",
            Origin::Unknown => "unknown",
        }
    }

    /// Chinese label with the kind of lead: 本地（培育） / 外地（招引） / 未知.
    pub fn label_zh(self) -> &'static str {
        match self {
            Origin::Local => "本地（培育）",
            Origin::Elsewhere => "外地（招引）",
            Origin::Unknown => "未知",
        }
    }

    /// Parses `local`, `elsewhere`, `unknown` (or 本地, 外地, 未知).
    pub fn parse(s: &str) -> Option<Origin> {
        match s.trim().to_ascii_lowercase().as_str() {
            "local" | "本地" => Some(Origin::Local),
            "elsewhere" | "外地" => Some(Origin::Elsewhere),
            "unknown" | "未知" => Some(Origin::Unknown),
            _ => None,
        }
    }
}

/// A named place with the other ways it is written.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub clause: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Elsewhere {
    #[serde(default)]
    pub places: Vec<String>,
}

/// `region.toml` as written.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RegionFile {
    #[serde(default)]
    pub city: Place,
    #[serde(default)]
    pub district: Vec<Place>,
    #[serde(default)]
    pub zone: Vec<Place>,
    #[serde(default)]
    pub elsewhere: Elsewhere,
}

/// The region, with its names compiled for searching location texts.
#[derive(Debug, Clone, Default)]
pub struct Region {
    pub file: RegionFile,
    /// Every name in matching form, leftmost-longest; pattern `i` is local when `i < n_local`.
    names: Option<AhoCorasick>,
    n_local: usize,
}

/// A place name in matching form: simplified script, half width, lower case.
fn key(s: &str) -> String {
    let simplified = normalizer().to_simplified(s);
    // A text without a byte that may fold (most Chinese names) is its own fold: copied whole
    // instead of character by character.
    if !simplified.bytes().any(may_fold) {
        return simplified.into_owned();
    }
    // Folding never lengthens a character: one allocation.
    let mut out = String::with_capacity(simplified.len());
    for c in simplified.chars() {
        out.push(fold_char(c));
    }
    out
}

/// Whether a character whose UTF-8 holds byte `b` may be changed by `fold_char`: ASCII upper
/// case, and characters whose UTF-8 starts with E2 (dashes), E3 (the ideographic space) or EF
/// (full width). Every other character folds to itself (a test checks every code point).
fn may_fold(b: u8) -> bool {
    b.is_ascii_uppercase() || matches!(b, 0xE2 | 0xE3 | 0xEF)
}

/// `text` without any number of leading `prefix`es (as `str::trim_start_matches`, without
/// building a substring searcher per call).
fn trim_prefixes<'a>(mut text: &'a str, prefix: &str) -> &'a str {
    if prefix.is_empty() {
        return text;
    }
    while let Some(rest) = text.strip_prefix(prefix) {
        text = rest;
    }
    text
}

impl Region {
    pub fn new(file: RegionFile) -> Region {
        let local: Vec<String> = file
            .local_names()
            .into_iter()
            .map(key)
            .filter(|k| !k.trim().is_empty())
            .collect();
        let elsewhere = file
            .elsewhere
            .places
            .iter()
            .map(|p| key(p))
            .filter(|k| !k.trim().is_empty());
        let n_local = local.len();
        let patterns: Vec<String> = local.into_iter().chain(elsewhere).collect();
        let names = (!patterns.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&patterns)
                    .ok()
            })
            .flatten();
        Region { file, names, n_local }
    }

    /// Whether the catalogue has a region (`region.toml`).
    pub fn is_known(&self) -> bool {
        self.names.is_some()
    }

    /// The origin a location text says: the first place named decides (上海市温州路 is
    /// elsewhere, 浙江省温州市鹿城区 local); no place named is unknown.
    pub fn origin_of(&self, location: &str) -> Origin {
        let Some(ac) = &self.names else {
            return Origin::Unknown;
        };
        match ac.find(key(location).as_str()) {
            Some(m) if m.pattern().as_usize() < self.n_local => Origin::Local,
            Some(_) => Origin::Elsewhere,
            None => Origin::Unknown,
        }
    }

    /// The origin a company name says by the place it starts with (温州某某有限公司, 上海某某有限公司)
    /// or names in brackets (某某（温州）有限公司); unknown otherwise.
    pub fn origin_of_name(&self, name: &str) -> Origin {
        let k = key(name);
        let k = trim_prefixes(trim_prefixes(&k, "浙江省"), "浙江");
        let Some(ac) = &self.names else {
            return Origin::Unknown;
        };
        if let Some(m) = ac.find(k)
            && (m.start() == 0 || k[..m.start()].ends_with(['(', '（']))
        {
            return if m.pattern().as_usize() < self.n_local {
                Origin::Local
            } else {
                Origin::Elsewhere
            };
        }
        Origin::Unknown
    }
}

impl RegionFile {
    /// The city, its districts and zones, with their aliases.
    pub fn local_names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for p in std::iter::once(&self.city).chain(&self.district).chain(&self.zone) {
            out.push(p.name.as_str());
            out.extend(p.aliases.iter().map(String::as_str));
        }
        out.into_iter().filter(|s| !s.is_empty()).collect()
    }
}

/// Problems in `region.toml`: a missing city name, empty or repeated names, a name both local and
/// elsewhere. `line_of` finds the line of a quoted name.
pub fn check(file: &RegionFile, line_of: &dyn Fn(&str) -> usize) -> Vec<CatalogProblem> {
    const F: &str = "region.toml";
    let mut problems = Vec::new();
    let mut push = |line: usize, message: String| {
        problems.push(CatalogProblem {
            file: F.to_string(),
            line,
            message,
        })
    };
    if file.city.name.trim().is_empty() {
        push(1, "[city] needs a name (the plan's city, e.g. 温州)".to_string());
    }
    if file.district.is_empty() {
        push(1, "no [[district]]: list the city's districts and counties".to_string());
    }
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for name in file
        .local_names()
        .into_iter()
        .chain(file.elsewhere.places.iter().map(String::as_str))
    {
        let k = key(name);
        if k.trim().is_empty() {
            push(line_of(name), "empty place name".to_string());
        } else if let Some(first) = seen.insert(k, name) {
            push(line_of(name), format!("place {name:?} repeats {first:?}"));
        }
    }
    for p in file.district.iter().chain(&file.zone) {
        if p.name.trim().is_empty() {
            push(line_of(""), "a [[district]] or [[zone]] without a name".to_string());
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region() -> Region {
        let file: RegionFile = toml::from_str(include_str!("../../catalog/region.toml")).expect("region.toml");
        Region::new(file)
    }

    #[test]
    fn only_characters_with_a_marked_byte_fold() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            if fold_char(c) != c {
                let mut b = [0; 4];
                assert!(c.encode_utf8(&mut b).bytes().any(may_fold), "{c:?}");
            }
        }
    }

    #[test]
    fn a_key_is_the_fold_of_the_simplified_text() {
        for s in [
            "温州星河电竞有限公司",
            "Wenzhou ABC",
            "温州－星河　电竞",
            "ＡＢＣ温州",
            "a\u{2013}b",
            "溫州",
        ] {
            let slow: String = normalizer().to_simplified(s).chars().map(fold_char).collect();
            assert_eq!(key(s), slow, "{s}");
        }
    }

    #[test]
    fn trim_prefixes_is_trim_start_matches() {
        for text in [
            "",
            "浙江",
            "浙江省浙江省温州",
            "浙江浙江省温州",
            "温州浙江",
            "浙",
            "浙江浙江",
        ] {
            for prefix in ["浙江省", "浙江", ""] {
                assert_eq!(
                    trim_prefixes(text, prefix),
                    text.trim_start_matches(prefix),
                    "{text} {prefix}"
                );
            }
        }
    }

    #[test]
    fn the_first_place_named_decides() {
        let r = region();
        assert_eq!(r.origin_of("浙江省温州市鹿城区五马街1号"), Origin::Local);
        assert_eq!(r.origin_of("瑞安市"), Origin::Local);
        assert_eq!(r.origin_of("浙江省溫州市甌海區"), Origin::Local);
        assert_eq!(r.origin_of("浙南产业集聚区滨海园区"), Origin::Local);
        assert_eq!(r.origin_of("上海市静安区温州路8号"), Origin::Elsewhere);
        assert_eq!(r.origin_of("浙江省杭州市"), Origin::Elsewhere);
        assert_eq!(r.origin_of("Shenzhen, Guangdong"), Origin::Elsewhere);
        assert_eq!(r.origin_of("人民路88号"), Origin::Unknown);
        assert_eq!(r.origin_of(""), Origin::Unknown);
    }

    #[test]
    fn company_names_say_where_they_were_registered() {
        let r = region();
        assert_eq!(r.origin_of_name("温州星河电竞有限公司"), Origin::Local);
        assert_eq!(r.origin_of_name("浙江乐清某某电气有限公司"), Origin::Local);
        assert_eq!(r.origin_of_name("某某科技（温州）有限公司"), Origin::Local);
        assert_eq!(r.origin_of_name("上海某某温州科技有限公司"), Origin::Elsewhere);
        assert_eq!(r.origin_of_name("某某科技有限公司"), Origin::Unknown);
    }

    #[test]
    fn the_shipped_region_is_sound() {
        let r = region();
        assert!(check(&r.file, &|_| 0).is_empty(), "{:?}", check(&r.file, &|_| 0));
        assert!(r.file.local_names().contains(&"龙港"));
    }
}
