//! Company names (企业名称) normalised for comparison: deduplication and recognising the companies
//! the plan names.
//!
//! A Chinese registered name is 行政区划 + 字号 + 行业 + 组织形式 (温州 + 华信 + 科技 + 有限公司), and the
//! place may also stand in brackets after the 字号 (华信科技（温州）有限公司). [`parse_company_name`]
//! splits a name into:
//! - `places`: the leading place names and bracketed place names, canonical (温州市 → 温州);
//! - `body`: the rest, with legal forms removed (有限公司, 股份有限公司, Co., Ltd. …);
//! - `core`: the body without trailing industry words (科技, 网络, 鞋业 …): the distinctive 字号.
//!
//! Decisions:
//! - 集团 and 控股 stay in `body` (紫光集团 and 紫光股份 are different companies) but are industry
//!   words for `core`.
//! - Branches (分公司) stay in `body`: a branch is its own registration.
//! - 中国 counts as a place only in brackets (阿里巴巴（中国）), never as a prefix (中国电子).
//! - English words are joined without spaces after legal forms are dropped (`Huya Inc.` → `huya`).

use crate::text::{is_cjk, normalizer};
use rustc_hash::FxHashMap;

/// A company name split for comparison (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompanyName {
    /// Canonical place names, in order of appearance (温州, 瓯海).
    pub places: Vec<String>,
    /// The name without places and legal forms (华信科技).
    pub body: String,
    /// The distinctive 字号 (华信); the body when nothing is left after removing industry words.
    pub core: String,
}

impl CompanyName {
    /// The exact-match key: places then body (温州华信科技).
    pub fn key(&self) -> String {
        let mut k = self.places.concat();
        k.push_str(&self.body);
        k
    }
}

/// The normalised form of a company name: simplified, half-width, lower-case, brackets and
/// punctuation removed, places canonical and first, legal forms removed.
/// 騰訊科技（深圳）有限公司 and 腾讯科技(深圳)有限公司 both give `深圳腾讯科技`.
pub fn normalize_company_name(name: &str) -> String {
    parse_company_name(name).key()
}

/// Places recognised without a suffix (provinces, large cities, Wenzhou's districts, counties and
/// functional areas). With a suffix (省/市/区/县) any name of 2–4 characters in brackets counts.
const PLACES: &[&str] = &[
    // Wenzhou and its districts, county-level cities, counties and functional areas.
    "温州",
    "鹿城",
    "龙湾",
    "瓯海",
    "洞头",
    "乐清",
    "瑞安",
    "永嘉",
    "平阳",
    "苍南",
    "文成",
    "泰顺",
    "龙港",
    "瓯江口",
    "浙南",
    "经开",
    "温州经开",
    // Provinces and province-level cities.
    "浙江",
    "江苏",
    "上海",
    "北京",
    "天津",
    "重庆",
    "广东",
    "福建",
    "江西",
    "安徽",
    "山东",
    "河南",
    "河北",
    "湖北",
    "湖南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "山西",
    "甘肃",
    "青海",
    "辽宁",
    "吉林",
    "黑龙江",
    "海南",
    "台湾",
    "香港",
    "澳门",
    "广西",
    "内蒙古",
    "宁夏",
    "新疆",
    "西藏",
    // Large cities.
    "杭州",
    "宁波",
    "嘉兴",
    "湖州",
    "绍兴",
    "金华",
    "衢州",
    "舟山",
    "台州",
    "丽水",
    "义乌",
    "深圳",
    "广州",
    "南京",
    "苏州",
    "无锡",
    "武汉",
    "成都",
    "西安",
    "厦门",
    "福州",
    "青岛",
    "济南",
    "合肥",
    "长沙",
    "郑州",
    "大连",
    "沈阳",
    "珠海",
    "东莞",
    "佛山",
];

/// Places that count only inside brackets.
const BRACKET_ONLY_PLACES: &[&str] = &["中国", "中国香港", "亚洲", "国际"];

/// Chinese legal forms (组织形式), longest first; removed wherever they occur.
const LEGAL_FORMS_ZH: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "股份合作公司",
    "有限公司",
    "有限合伙",
    "普通合伙",
    "合伙企业",
    "个人独资企业",
    "独资企业",
];

/// English legal-form words, dropped from the end of a name.
const LEGAL_FORMS_EN: &[&str] = &[
    "co",
    "company",
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "llc",
    "llp",
    "lp",
    "gmbh",
    "ag",
    "plc",
    "pte",
    "bv",
    "nv",
    "sa",
    "srl",
    "kk",
    "pty",
];

/// Industry words (行业表述) removed from the end of the body to find the 字号.
const INDUSTRY_ZH: &[&str] = &[
    "电子商务",
    "信息技术",
    "网络技术",
    "网络科技",
    "供应链管理",
    "计算机系统",
    "进出口",
    "新能源",
    "互联网",
    "供应链",
    "科技",
    "网络",
    "信息",
    "技术",
    "贸易",
    "实业",
    "电子",
    "商务",
    "发展",
    "投资",
    "控股",
    "集团",
    "管理",
    "咨询",
    "服务",
    "文化",
    "传媒",
    "物流",
    "软件",
    "数字",
    "智能",
    "鞋业",
    "服饰",
    "服装",
    "电器",
    "机械",
    "国际",
    "工贸",
    "商贸",
    "建设",
    "工程",
    "环保",
    "生物",
    "医药",
    "教育",
    "金融",
    "餐饮",
    "食品",
    "汽车",
    "电气",
    "光电",
    "通信",
    "数据",
    "游戏",
    "娱乐",
    "直播",
    "影视",
    "广告",
    "设计",
    "制造",
    "工业",
    "制品",
    "包装",
    "印刷",
    "在线",
    "企业",
    "公司",
    "股份",
];

/// English industry words removed from the end for the core.
const INDUSTRY_EN: &[&str] = &[
    "group",
    "holding",
    "holdings",
    "technology",
    "technologies",
    "tech",
    "network",
    "networks",
    "international",
    "intl",
    "trading",
    "industrial",
    "industries",
    "information",
    "digital",
    "logistics",
    "smart",
    "services",
    "service",
    "software",
    "media",
    "entertainment",
    "live",
    "online",
    "global",
];

/// Whether a character whose UTF-8 holds byte `b` may be changed by [`fold`]: ASCII upper case
/// and brackets, and characters whose UTF-8 starts with E3 (ideographic space and brackets) or
/// EF (full width). Every other character folds to itself (a test checks every code point).
fn may_fold(b: u8) -> bool {
    b.is_ascii_uppercase() || matches!(b, b'[' | b']' | b'{' | b'}' | 0xE3 | 0xEF)
}

fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '【' | '〔' | '〖' => '(',
        '】' | '〕' | '〗' => ')',
        c => c,
    };
    match c {
        '[' | '{' => '(',
        ']' | '}' => ')',
        c => c.to_ascii_lowercase(),
    }
}

/// The canonical place of a bracketed or leading fragment (温州市 → 温州), if it is one.
fn as_place(s: &str, in_brackets: bool) -> Option<String> {
    if PLACES.contains(&s) || (in_brackets && BRACKET_ONLY_PLACES.contains(&s)) {
        return Some(s.to_string());
    }
    for suffix in ["自治区", "新区", "省", "市", "区", "县"] {
        if let Some(stem) = s.strip_suffix(suffix) {
            if PLACES.contains(&stem) {
                return Some(stem.to_string());
            }
            let n = stem.chars().count();
            if in_brackets && (2..=4).contains(&n) && stem.chars().all(is_cjk) {
                return Some(stem.to_string());
            }
        }
    }
    None
}

/// Strips leading places (with optional 省/市/区/县) from a CJK run.
fn strip_leading_places(mut s: &str, places: &mut Vec<String>) -> String {
    'outer: while let Some(first) = s.chars().next() {
        for p in PLACES_BY_FIRST.get(&first).into_iter().flatten() {
            if let Some(rest) = s.strip_prefix(p) {
                let mut rest = rest;
                for suffix in ["自治区", "新区", "省", "市", "区", "县"] {
                    if let Some(r) = rest.strip_prefix(suffix) {
                        rest = r;
                        break;
                    }
                }
                // Keep the name when nothing but the place would be left (温州市 alone).
                if rest.is_empty() {
                    break 'outer;
                }
                if !places.iter().any(|x| x == p) {
                    places.push((*p).to_string());
                }
                s = rest;
                continue 'outer;
            }
        }
        break;
    }
    s.to_string()
}

/// Places by their first character, longest first (a name is compared with a handful, not all).
/// Fx hashing: two look-ups per name, where SipHash cost more than the rest of the look-up.
static PLACES_BY_FIRST: std::sync::LazyLock<FxHashMap<char, Vec<&'static str>>> = std::sync::LazyLock::new(|| {
    let mut v = PLACES.to_vec();
    v.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
    let mut m: FxHashMap<char, Vec<&'static str>> = FxHashMap::default();
    for p in v {
        if let Some(c) = p.chars().next() {
            m.entry(c).or_default().push(p);
        }
    }
    m
});

/// Chinese industry words by their last character, in list order.
static INDUSTRY_ZH_BY_LAST: std::sync::LazyLock<FxHashMap<char, Vec<&'static str>>> = std::sync::LazyLock::new(|| {
    let mut m: FxHashMap<char, Vec<&'static str>> = FxHashMap::default();
    for w in INDUSTRY_ZH {
        if let Some(c) = w.chars().next_back() {
            m.entry(c).or_default().push(w);
        }
    }
    m
});

/// Substring searchers for the legal forms, built once (a `str::contains` builds its searcher on
/// every call, which cost more than the rest of parsing a name).
struct LegalFormFinders {
    /// 公司, 合伙, 企业: one of them is in every form.
    gate: Vec<memchr::memmem::Finder<'static>>,
    /// One per entry of [`LEGAL_FORMS_ZH`].
    forms: Vec<memchr::memmem::Finder<'static>>,
}

static LEGAL_FORM_FINDERS: std::sync::LazyLock<LegalFormFinders> = std::sync::LazyLock::new(|| LegalFormFinders {
    gate: ["公司", "合伙", "企业"]
        .iter()
        .map(|g| memchr::memmem::Finder::new(g.as_bytes()))
        .collect(),
    forms: LEGAL_FORMS_ZH
        .iter()
        .map(|f| memchr::memmem::Finder::new(f.as_bytes()))
        .collect(),
});

/// One piece of a name: a run of CJK (and other non-Latin) characters or one Latin/digit word.
#[derive(Debug)]
enum Piece {
    Cjk(String),
    Word(String),
}

/// Splits a name into its parts (see the module docs).
pub fn parse_company_name(name: &str) -> CompanyName {
    let simplified = normalizer().to_simplified(name);
    // A name without a byte that may fold (most Chinese names) is its own fold: copied whole
    // instead of character by character.
    let folded = if simplified.bytes().any(may_fold) {
        let mut folded = String::with_capacity(simplified.len());
        folded.extend(simplified.chars().map(fold));
        folded
    } else {
        simplified.into_owned()
    };

    // Brackets: place names are taken out; other contents stay (brackets dropped).
    let mut places = Vec::new();
    let mut bracket_places = Vec::new();
    let mut text = String::with_capacity(folded.len());
    let mut rest = folded.as_str();
    while let Some(open) = rest.find(['(', '（']) {
        text.push_str(&rest[..open]);
        let after = &rest[open + rest[open..].chars().next().map_or(1, char::len_utf8)..];
        match after.find([')', '）']) {
            Some(close) => {
                let inner = after[..close].trim();
                match as_place(inner, true) {
                    Some(p) => bracket_places.push(p),
                    None => {
                        text.push(' ');
                        text.push_str(inner);
                        text.push(' ');
                    }
                }
                let close_len = after[close..].chars().next().map_or(1, char::len_utf8);
                rest = &after[close + close_len..];
            }
            None => {
                rest = after;
            }
        }
    }
    text.push_str(rest);
    let text = if text.contains(['）', ')']) {
        text.replace(['）', ')'], " ")
    } else {
        text
    };

    // Pieces: CJK runs and Latin/digit words; punctuation and spaces separate.
    let mut pieces: Vec<Piece> = Vec::new();
    let mut cur = String::with_capacity(text.len());
    let mut cur_is_word = false;
    let flush = |cur: &mut String, is_word: bool, pieces: &mut Vec<Piece>| {
        if !cur.is_empty() {
            let s = cur.clone();
            cur.clear();
            pieces.push(if is_word { Piece::Word(s) } else { Piece::Cjk(s) });
        }
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if !cur_is_word {
                flush(&mut cur, false, &mut pieces);
                cur_is_word = true;
            }
            cur.push(c);
        } else if ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric() {
            // (Common ideographs are all alphanumeric: tested first, they skip the Unicode
            // table look-up.)
            if cur_is_word {
                flush(&mut cur, true, &mut pieces);
                cur_is_word = false;
            }
            cur.push(c);
        } else if c == '&' && cur_is_word {
            // "AT&T": keep joined.
            cur.push(c);
        } else {
            flush(&mut cur, cur_is_word, &mut pieces);
        }
    }
    flush(&mut cur, cur_is_word, &mut pieces);

    // Legal forms: Chinese anywhere, English at the end.
    for p in pieces.iter_mut() {
        if let Piece::Cjk(s) = p {
            // Every form holds 公司, 合伙 or 企业: most pieces need no search at all.
            let finders = &*LEGAL_FORM_FINDERS;
            if !finders.gate.iter().any(|f| f.find(s.as_bytes()).is_some()) {
                continue;
            }
            for (form, finder) in LEGAL_FORMS_ZH.iter().zip(&finders.forms) {
                if finder.find(s.as_bytes()).is_some() {
                    *s = s.replace(form, "");
                }
            }
            if s.ends_with("公司") && !s.ends_with("分公司") && !s.ends_with("总公司") && s.chars().count() > 2
            {
                s.truncate(s.len() - "公司".len());
            }
        }
    }
    pieces.retain(|p| !matches!(p, Piece::Cjk(s) if s.is_empty()));
    while pieces.len() > 1 && matches!(pieces.last(), Some(Piece::Word(w)) if LEGAL_FORMS_EN.contains(&w.as_str())) {
        pieces.pop();
    }

    // Leading places.
    if let Some(Piece::Cjk(first)) = pieces.first_mut() {
        *first = strip_leading_places(first, &mut places);
    }
    for p in bracket_places {
        if !places.contains(&p) {
            places.push(p);
        }
    }

    let body: String = pieces
        .iter()
        .map(|p| match p {
            Piece::Cjk(s) | Piece::Word(s) => s.as_str(),
        })
        .collect();

    // Core: drop trailing industry words (English words, then Chinese suffixes).
    let mut core_pieces: Vec<String> = pieces
        .into_iter()
        .map(|p| match p {
            Piece::Cjk(s) | Piece::Word(s) => s,
        })
        .collect();
    loop {
        let many = core_pieces.len() > 1;
        let Some(last) = core_pieces.last_mut() else {
            break;
        };
        if many && INDUSTRY_EN.contains(&last.as_str()) {
            core_pieces.pop();
        } else if let Some(w) = last
            .chars()
            .next_back()
            .and_then(|c| INDUSTRY_ZH_BY_LAST.get(&c))
            .and_then(|ws| ws.iter().find(|w| last.ends_with(*w) && last.len() > w.len()))
        {
            last.truncate(last.len() - w.len());
        } else if many && INDUSTRY_ZH.contains(&last.as_str()) {
            core_pieces.pop();
        } else {
            break;
        }
    }
    let mut core: String = core_pieces.concat();
    if core.is_empty() {
        core = body.clone();
    }
    CompanyName { places, body, core }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_characters_with_a_marked_byte_fold() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            if fold(c) != c {
                let mut b = [0; 4];
                assert!(c.encode_utf8(&mut b).bytes().any(may_fold), "{c:?}");
            }
        }
    }

    #[test]
    fn common_ideographs_are_alphanumeric() {
        // parse_company_name tests this range before `char::is_alphanumeric`.
        assert!(('\u{4E00}'..='\u{9FFF}').all(char::is_alphanumeric));
    }

    #[test]
    fn spellings_of_one_name_normalise_alike() {
        let groups: &[&[&str]] = &[
            &[
                "騰訊科技（深圳）有限公司",
                "腾讯科技(深圳)有限公司",
                "腾讯科技（深圳）有限公司",
                "腾讯科技【深圳】有限公司",
                " 腾讯科技 ( 深圳 ) 有限公司 ",
                "深圳腾讯科技有限公司",
                "深圳市腾讯科技有限公司",
            ],
            &[
                "温州华信科技有限公司",
                "温州市华信科技有限公司",
                "华信科技（温州）有限公司",
                "华信科技(温州市)有限责任公司",
                "温州华信科技股份有限公司",
            ],
            &["HUYA Inc.", "Huya Inc", "ＨＵＹＡ  ＩＮＣ", "huya, inc."],
            &[
                "Alibaba Group Holding Limited",
                "ALIBABA GROUP HOLDING LTD.",
                "Alibaba Group Holding Co., Ltd.",
            ],
        ];
        for group in groups {
            let want = normalize_company_name(group[0]);
            for name in group.iter() {
                assert_eq!(normalize_company_name(name), want, "{name}");
            }
        }
    }

    #[test]
    fn different_companies_normalise_apart() {
        let pairs = [
            ("温州华信科技有限公司", "温州华鑫科技有限公司"),
            ("温州瓯海宏达鞋业有限公司", "温州鹿城宏达鞋业有限公司"),
            ("紫光集团有限公司", "紫光股份有限公司"),
            ("温州宏达鞋业有限公司", "温州宏达电器有限公司"),
            ("中国电子信息产业集团有限公司", "电子信息产业集团有限公司"),
        ];
        for (a, b) in pairs {
            assert_ne!(normalize_company_name(a), normalize_company_name(b), "{a} / {b}");
        }
    }

    #[test]
    fn names_split_into_places_body_and_core() {
        let n = parse_company_name("温州市瓯海区宏达鞋业有限公司");
        assert_eq!(n.places, ["温州", "瓯海"]);
        assert_eq!(n.body, "宏达鞋业");
        assert_eq!(n.core, "宏达");
        let n = parse_company_name("騰訊科技（深圳）有限公司");
        assert_eq!(n.places, ["深圳"]);
        assert_eq!(n.body, "腾讯科技");
        assert_eq!(n.core, "腾讯");
        let n = parse_company_name("阿里巴巴（中国）网络技术有限公司");
        assert_eq!(n.places, ["中国"]);
        assert_eq!(n.core, "阿里巴巴");
        let n = parse_company_name("浙江菜鸟供应链管理有限公司");
        assert_eq!(
            (n.places.as_slice(), n.core.as_str()),
            (&["浙江".to_string()][..], "菜鸟")
        );
        let n = parse_company_name("中国电子信息产业集团有限公司");
        assert!(n.places.is_empty());
        assert!(n.core.starts_with("中国电子"), "{n:?}");
        let n = parse_company_name("Alibaba Group Holding Limited");
        assert_eq!((n.body.as_str(), n.core.as_str()), ("alibabagroupholding", "alibaba"));
        let n = parse_company_name("温州科技有限公司");
        assert_eq!(
            (n.key().as_str(), n.core.as_str()),
            ("温州科技", "科技"),
            "nothing but a place and an industry word: the core is the body"
        );
        assert_eq!(
            parse_company_name("腾讯科技（深圳）有限公司温州分公司").body,
            "腾讯科技温州分公司"
        );
    }
}
