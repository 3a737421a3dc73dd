//! Money amounts (注册资本, 营业收入) as Chinese registries and exports write them, read into yuan.
//!
//! Understood: digits with thousands separators (3,000,000), full-width digits (５０００万), the
//! multipliers 十/百/千/万/亿 in any combination (千万 = 10⁷, 百万 = 10⁶) and English
//! thousand/million/billion (k, m, mn, bn); currencies 元/人民币/RMB/CNY/¥, 美元/美金/USD/US$/$,
//! 港元/港币/HKD/HK$, 欧元/EUR/€, 日元/JPY; approximations (约5亿, 5000余万, 100亿以上, about);
//! ranges (1000-5000万, 1亿至5亿: the **lower** bound is taken and [`Money::lower_bound`] set).
//!
//! Assumptions, stated because registries differ:
//! - A bare number without unit or currency is **yuan** (registry extracts and most exports give
//!   元). Some exports put the unit in the column header instead, e.g. `注册资本(万元)`; pass the
//!   header to [`parse_money_with_unit_hint`], which applies the header's multiplier and currency
//!   when the value has none.
//! - Foreign currencies are converted to yuan at the rates of `[priority.currency]` in
//!   `catalog/scoring.toml` (approximate, editable).
//! - `""`, `-`, `不详`, `未知`, `无`, `n/a` … mean "not given": `Ok(None)`, not an error.
//! - Chinese numerals (壹佰万, 一千万) are **not** read: they are rare in exports and ambiguous
//!   with names; they give a [`MoneyError`], which the caller turns into a flag.

use crate::catalog::Currencies;
use serde::Serialize;

/// The currency an amount was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Cny,
    Usd,
    Hkd,
    Eur,
    Jpy,
    /// New Taiwan dollar (新臺幣).
    Twd,
    Gbp,
    Aud,
    Cad,
    Sgd,
    /// Macau pataca (澳门元).
    Mop,
}

impl Currency {
    /// ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Usd => "USD",
            Currency::Hkd => "HKD",
            Currency::Eur => "EUR",
            Currency::Jpy => "JPY",
            Currency::Twd => "TWD",
            Currency::Gbp => "GBP",
            Currency::Aud => "AUD",
            Currency::Cad => "CAD",
            Currency::Sgd => "SGD",
            Currency::Mop => "MOP",
        }
    }

    /// Chinese name (美元 …).
    pub fn name_zh(self) -> &'static str {
        match self {
            Currency::Cny => "元",
            Currency::Usd => "美元",
            Currency::Hkd => "港元",
            Currency::Eur => "欧元",
            Currency::Jpy => "日元",
            Currency::Twd => "新台币",
            Currency::Gbp => "英镑",
            Currency::Aud => "澳元",
            Currency::Cad => "加元",
            Currency::Sgd => "新加坡元",
            Currency::Mop => "澳门元",
        }
    }

    /// Yuan per unit at the configured rates.
    pub fn rate(self, rates: &Currencies) -> f64 {
        match self {
            Currency::Cny => 1.0,
            Currency::Usd => rates.usd,
            Currency::Hkd => rates.hkd,
            Currency::Eur => rates.eur,
            Currency::Jpy => rates.jpy,
            Currency::Twd => rates.twd,
            Currency::Gbp => rates.gbp,
            Currency::Aud => rates.aud,
            Currency::Cad => rates.cad,
            Currency::Sgd => rates.sgd,
            Currency::Mop => rates.mop,
        }
    }
}

/// An amount read from text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Money {
    /// The amount in yuan (CNY), converted at the configured rate.
    pub yuan: f64,
    /// The amount in the currency it was written in.
    pub amount: f64,
    pub currency: Currency,
    /// Written as an approximation (约, 余, 以上, about …).
    pub approximate: bool,
    /// Written as a range; the lower bound was taken.
    pub lower_bound: bool,
}

impl Money {
    /// Chinese wording for reasons: 约120亿元, 5000万元 (…美元) .
    pub fn describe_zh(&self) -> String {
        let mut s = String::new();
        if self.approximate {
            s.push('约');
        }
        s.push_str(&format_yuan_zh(self.yuan));
        if self.lower_bound {
            s.push_str("（按区间下限）");
        }
        if self.currency != Currency::Cny {
            let zh = format_yuan_zh(self.amount);
            s.push_str(&format!(
                "（原币{}{}）",
                zh.trim_end_matches('元'),
                self.currency.name_zh()
            ));
        }
        s
    }

    /// English wording for reasons: ≈ ¥12.0bn.
    pub fn describe_en(&self) -> String {
        let mut s = String::new();
        if self.approximate {
            s.push_str("≈ ");
        }
        s.push_str(&format_yuan_en(self.yuan));
        if self.lower_bound {
            s.push_str(" (lower bound of a range)");
        }
        if self.currency != Currency::Cny {
            let en = format_yuan_en(self.amount);
            s.push_str(&format!(
                " (from {} {})",
                self.currency.code(),
                en.trim_start_matches('¥')
            ));
        }
        s
    }
}

fn trim_num(v: f64) -> String {
    let mut s = format!("{v:.2}");
    let kept = s.trim_end_matches('0').trim_end_matches('.').len();
    s.truncate(kept);
    s
}

/// 120亿元, 5000万元, 3500元.
pub fn format_yuan_zh(yuan: f64) -> String {
    let (mut s, unit) = if yuan >= 1e8 {
        (trim_num(yuan / 1e8), "亿元")
    } else if yuan >= 1e4 {
        (trim_num(yuan / 1e4), "万元")
    } else {
        (trim_num(yuan), "元")
    };
    s.push_str(unit);
    s
}

/// ¥12.0bn, ¥50.0m, ¥3500.
pub fn format_yuan_en(yuan: f64) -> String {
    if yuan >= 1e9 {
        format!("¥{:.1}bn", yuan / 1e9)
    } else if yuan >= 1e6 {
        format!("¥{:.1}m", yuan / 1e6)
    } else {
        format!("¥{yuan:.0}")
    }
}

/// An amount that could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("无法识别的金额 cannot read the amount {text:?}: {reason}")]
pub struct MoneyError {
    pub text: String,
    pub reason: String,
}

/// Reads an amount. `Ok(None)` when the text says "not given" (empty, `-`, `不详` …).
pub fn parse_money(text: &str, rates: &Currencies) -> Result<Option<Money>, MoneyError> {
    parse(text, None, rates)
}

/// Like [`parse_money`], with the column header as a unit hint: when the value has no
/// multiplier, a header with 亿 multiplies by 10⁸, one with 万 (`注册资本(万元)`) by 10⁴, one
/// with 千元 by 10³; when the value has no currency, a currency named in the header applies
/// (`注册资本(万美元)`).
pub fn parse_money_with_unit_hint(
    text: &str,
    header_hint: Option<&str>,
    rates: &Currencies,
) -> Result<Option<Money>, MoneyError> {
    let hint = header_hint.map(|h| {
        let h = h.to_lowercase();
        let mult = if h.contains('亿') || h.contains('億') {
            1e8
        } else if h.contains('万') || h.contains('萬') {
            1e4
        } else if h.contains("千元") {
            1e3
        } else {
            1.0
        };
        let cur = [
            (&["美元", "美金", "usd"][..], Currency::Usd),
            (&["港元", "港币", "港幣", "hkd"][..], Currency::Hkd),
            (&["欧元", "歐元", "eur"][..], Currency::Eur),
            (&["日元", "jpy"][..], Currency::Jpy),
            (
                &["新臺幣", "新台币", "新台幣", "台币", "臺幣", "twd", "ntd"][..],
                Currency::Twd,
            ),
            (&["英镑", "英鎊", "gbp"][..], Currency::Gbp),
            (
                &["澳门元", "澳門元", "澳门币", "澳門幣", "葡币", "mop"][..],
                Currency::Mop,
            ),
            (&["澳元", "澳币", "澳幣", "aud"][..], Currency::Aud),
            (&["加元", "加币", "加幣", "加拿大元", "cad"][..], Currency::Cad),
            (&["新加坡元", "新元", "sgd"][..], Currency::Sgd),
        ]
        .into_iter()
        .find(|(words, _)| words.iter().any(|w| h.contains(w)))
        .map(|(_, c)| c);
        (mult, cur)
    });
    parse(text, hint, rates)
}

/// The unit a column header gives bare numbers: the bracketed note of `注册资本(万元)`,
/// `营业收入（亿元）`, `注册资本【万美元】` or `注册资本(单位:万元)` when it names a multiplier or a
/// currency (`万元`, `亿元`, `万美元`).
pub fn header_unit(header: &str) -> Option<String> {
    let open = header.find(['(', '（', '[', '【'])?;
    let inner = &header[open..];
    let inner = &inner[inner.chars().next()?.len_utf8()..];
    let close = inner.find([')', '）', ']', '】']).unwrap_or(inner.len());
    let mut unit = inner[..close].trim();
    for prefix in ["单位", "單位", "unit"] {
        if let Some(rest) = unit.strip_prefix(prefix) {
            unit = rest.trim_start_matches([':', '：', ' ']).trim();
        }
    }
    if unit.is_empty() || unit.chars().count() > 8 {
        return None;
    }
    let chars: Vec<char> = unit.chars().map(fold).collect();
    let toks = tokenize(&chars).ok()?;
    let names_unit = !toks.is_empty()
        && toks
            .iter()
            .all(|t| matches!(t, Tok::Mult(_) | Tok::Cur(..) | Tok::Filler))
        && toks.iter().any(|t| matches!(t, Tok::Mult(_) | Tok::Cur(..)));
    names_unit.then(|| unit.to_string())
}

/// `value` with the header's unit appended when the value is a bare number (`5000` under
/// `注册资本(万元)` → `5000万元`); a value with a unit or currency of its own is left as it is.
pub fn with_header_unit<'a>(value: &'a str, unit: Option<&str>) -> std::borrow::Cow<'a, str> {
    let Some(unit) = unit else {
        return std::borrow::Cow::Borrowed(value);
    };
    let v = value.trim();
    let bare = !v.is_empty()
        && v.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        && v.chars()
            .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c) || matches!(c, '.' | ',' | ' ' | '．' | '，'));
    if bare {
        std::borrow::Cow::Owned(format!("{v}{unit}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Num(f64),
    Mult(f64),
    /// A currency; `weak` for 元/圆, which also appears in 美元 etc. and yields to a named one.
    Cur(Currency, bool),
    Approx,
    Range,
    Filler,
}

const EMPTY: &[&str] = &[
    "",
    "不详",
    "未知",
    "无",
    "暂无",
    "未公开",
    "保密",
    "不公开",
    "n/a",
    "na",
    "null",
    "none",
    "nan",
    "unknown",
    "nil",
];

/// Chinese words, longest first within each starting character (matched greedily).
const CJK_WORDS: &[(&str, Tok)] = &[
    ("人民币", Tok::Cur(Currency::Cny, false)),
    ("人民幣", Tok::Cur(Currency::Cny, false)),
    ("美元", Tok::Cur(Currency::Usd, false)),
    ("美金", Tok::Cur(Currency::Usd, false)),
    ("美圆", Tok::Cur(Currency::Usd, false)),
    ("港元", Tok::Cur(Currency::Hkd, false)),
    ("港币", Tok::Cur(Currency::Hkd, false)),
    ("港幣", Tok::Cur(Currency::Hkd, false)),
    ("欧元", Tok::Cur(Currency::Eur, false)),
    ("歐元", Tok::Cur(Currency::Eur, false)),
    ("日元", Tok::Cur(Currency::Jpy, false)),
    ("新加坡元", Tok::Cur(Currency::Sgd, false)),
    ("新臺幣", Tok::Cur(Currency::Twd, false)),
    ("新台币", Tok::Cur(Currency::Twd, false)),
    ("新台幣", Tok::Cur(Currency::Twd, false)),
    ("新元", Tok::Cur(Currency::Sgd, false)),
    ("台币", Tok::Cur(Currency::Twd, false)),
    ("臺幣", Tok::Cur(Currency::Twd, false)),
    ("台幣", Tok::Cur(Currency::Twd, false)),
    ("英镑", Tok::Cur(Currency::Gbp, false)),
    ("英鎊", Tok::Cur(Currency::Gbp, false)),
    ("澳门元", Tok::Cur(Currency::Mop, false)),
    ("澳門元", Tok::Cur(Currency::Mop, false)),
    ("澳门币", Tok::Cur(Currency::Mop, false)),
    ("澳門幣", Tok::Cur(Currency::Mop, false)),
    ("澳元", Tok::Cur(Currency::Aud, false)),
    ("澳币", Tok::Cur(Currency::Aud, false)),
    ("澳幣", Tok::Cur(Currency::Aud, false)),
    ("葡币", Tok::Cur(Currency::Mop, false)),
    ("加拿大元", Tok::Cur(Currency::Cad, false)),
    ("加元", Tok::Cur(Currency::Cad, false)),
    ("加币", Tok::Cur(Currency::Cad, false)),
    ("加幣", Tok::Cur(Currency::Cad, false)),
    ("日圆", Tok::Cur(Currency::Jpy, false)),
    ("日圓", Tok::Cur(Currency::Jpy, false)),
    ("大约", Tok::Approx),
    ("大約", Tok::Approx),
    ("超过", Tok::Approx),
    ("超過", Tok::Approx),
    ("以上", Tok::Approx),
    ("左右", Tok::Approx),
    ("上下", Tok::Approx),
    ("不到", Tok::Approx),
    ("元", Tok::Cur(Currency::Cny, true)),
    ("圆", Tok::Cur(Currency::Cny, true)),
    ("圓", Tok::Cur(Currency::Cny, true)),
    ("块", Tok::Cur(Currency::Cny, true)),
    ("十", Tok::Mult(1e1)),
    ("百", Tok::Mult(1e2)),
    ("千", Tok::Mult(1e3)),
    ("万", Tok::Mult(1e4)),
    ("萬", Tok::Mult(1e4)),
    ("亿", Tok::Mult(1e8)),
    ("億", Tok::Mult(1e8)),
    ("约", Tok::Approx),
    ("約", Tok::Approx),
    ("近", Tok::Approx),
    ("超", Tok::Approx),
    ("逾", Tok::Approx),
    ("余", Tok::Approx),
    ("餘", Tok::Approx),
    ("多", Tok::Approx),
    ("至", Tok::Range),
    ("到", Tok::Range),
    ("整", Tok::Filler),
];

fn english_word(w: &str) -> Option<Tok> {
    Some(match w {
        "usd" | "us" | "dollar" | "dollars" => Tok::Cur(Currency::Usd, false),
        "rmb" | "cny" | "yuan" | "renminbi" => Tok::Cur(Currency::Cny, false),
        "hkd" | "hk" => Tok::Cur(Currency::Hkd, false),
        "eur" | "euro" | "euros" => Tok::Cur(Currency::Eur, false),
        "jpy" | "yen" => Tok::Cur(Currency::Jpy, false),
        "twd" | "ntd" | "nt" => Tok::Cur(Currency::Twd, false),
        "gbp" | "pound" | "pounds" | "sterling" => Tok::Cur(Currency::Gbp, false),
        "aud" | "au" => Tok::Cur(Currency::Aud, false),
        "cad" => Tok::Cur(Currency::Cad, false),
        "sgd" | "sg" => Tok::Cur(Currency::Sgd, false),
        "mop" => Tok::Cur(Currency::Mop, false),
        "thousand" | "thousands" | "k" => Tok::Mult(1e3),
        "million" | "millions" | "mn" | "m" | "mio" => Tok::Mult(1e6),
        "billion" | "billions" | "bn" | "b" => Tok::Mult(1e9),
        "about" | "approx" | "approximately" | "around" | "over" | "circa" | "ca" | "nearly" | "more" | "than"
        | "above" => Tok::Approx,
        "to" => Tok::Range,
        _ => return None,
    })
}

/// Full-width → half-width, ideographic space → space, ASCII lower-case.
fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{FFE5}' => '¥',
        c => c,
    };
    c.to_ascii_lowercase()
}

fn tokenize(chars: &[char]) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut i = 0;
    let seen_num = |toks: &[Tok]| toks.iter().any(|t| matches!(t, Tok::Num(_)));
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let mut num = String::new();
            while i < chars.len() {
                let d = chars[i];
                if d.is_ascii_digit() || d == '.' {
                    num.push(d);
                } else if d == ','
                    && num.ends_with(|p: char| p.is_ascii_digit())
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                {
                    // thousands separator
                } else {
                    break;
                }
                i += 1;
            }
            let v: f64 = num.parse().map_err(|_| format!("bad number {num:?}"))?;
            toks.push(Tok::Num(v));
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // US$, HK$, NT$, A$, C$, S$, MOP$.
            let dollar = chars.get(i) == Some(&'$');
            let prefixed = match word.as_str() {
                "a" if dollar => Some(Tok::Cur(Currency::Aud, false)),
                "c" | "ca" if dollar => Some(Tok::Cur(Currency::Cad, false)),
                "s" if dollar => Some(Tok::Cur(Currency::Sgd, false)),
                _ => None,
            };
            if dollar && (prefixed.is_some() || matches!(word.as_str(), "us" | "hk" | "nt" | "au" | "sg" | "mop")) {
                i += 1;
            }
            let tok = match prefixed {
                Some(t) => t,
                None => english_word(&word).ok_or_else(|| format!("unknown word {word:?}"))?,
            };
            toks.push(tok);
        } else {
            let single = match c {
                '$' => Some(Tok::Cur(Currency::Usd, false)),
                '¥' => Some(Tok::Cur(Currency::Cny, false)),
                '€' => Some(Tok::Cur(Currency::Eur, false)),
                '£' => Some(Tok::Cur(Currency::Gbp, false)),
                '≈' | '+' | '>' | '≥' => Some(Tok::Approx),
                '-' | '~' | '—' | '–' | '〜' => Some(if seen_num(&toks) {
                    Tok::Range
                } else if c == '~' || c == '〜' {
                    Tok::Approx
                } else {
                    return Err("a negative amount".to_string());
                }),
                '(' | ')' | '[' | ']' | '【' | '】' | ':' | '.' | '/' => Some(Tok::Filler),
                _ => None,
            };
            if let Some(t) = single {
                toks.push(t);
                i += 1;
                continue;
            }
            let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
            let Some((word, tok)) = CJK_WORDS.iter().find(|(w, _)| rest.starts_with(w)) else {
                return Err(format!("unexpected {c:?}"));
            };
            toks.push(*tok);
            i += word.chars().count();
        }
    }
    Ok(toks)
}

fn parse(text: &str, hint: Option<(f64, Option<Currency>)>, rates: &Currencies) -> Result<Option<Money>, MoneyError> {
    let err = |reason: String| MoneyError {
        text: text.to_string(),
        reason,
    };
    let chars: Vec<char> = text.trim().chars().map(fold).collect();
    let folded: String = chars.iter().collect();
    if EMPTY.contains(&folded.trim())
        || folded
            .chars()
            .all(|c| matches!(c, '-' | '—' | '–' | '/' | '*' | ' ' | '.'))
    {
        return Ok(None);
    }
    let toks = tokenize(&chars).map_err(err)?;

    // Split into the lower and upper amounts of a range (or one amount).
    let nums: Vec<usize> = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Tok::Num(_)))
        .map(|(i, _)| i)
        .collect();
    let range_at = toks.iter().position(|t| *t == Tok::Range);
    match (nums.as_slice(), range_at) {
        ([], _) => return Err(err("no number".to_string())),
        ([_], None) => {}
        ([a, b], Some(r)) if *a < r && r < *b => {}
        ([_], Some(_)) => return Err(err("an incomplete range".to_string())),
        _ => return Err(err("more than one amount".to_string())),
    }
    if toks[..nums[0]].iter().any(|t| matches!(t, Tok::Mult(_))) {
        return Err(err("a multiplier before the number".to_string()));
    }
    let mult_of = |from: usize, to: usize| -> Option<f64> {
        let ms: Vec<f64> = toks[from..to]
            .iter()
            .filter_map(|t| match t {
                Tok::Mult(m) => Some(*m),
                _ => None,
            })
            .collect();
        (!ms.is_empty()).then(|| ms.iter().product())
    };
    let Tok::Num(value) = toks[nums[0]] else {
        unreachable!("nums holds number positions")
    };
    let (mult, lower_bound) = match (nums.get(1), range_at) {
        (Some(&upper), Some(r)) => (mult_of(nums[0] + 1, r).or_else(|| mult_of(upper + 1, toks.len())), true),
        _ => (mult_of(nums[0] + 1, toks.len()), false),
    };

    let mut strong: Option<Currency> = None;
    let mut weak = false;
    for t in &toks {
        match *t {
            Tok::Cur(c, false) => match strong {
                Some(s) if s != c => {
                    return Err(err(format!("two currencies ({} and {})", s.code(), c.code())));
                }
                _ => strong = Some(c),
            },
            Tok::Cur(_, true) => weak = true,
            _ => {}
        }
    }
    let (mult, currency) = match hint {
        Some((hm, hc)) => (
            mult.unwrap_or(hm),
            strong.or(if weak { None } else { hc }).unwrap_or(Currency::Cny),
        ),
        None => (mult.unwrap_or(1.0), strong.unwrap_or(Currency::Cny)),
    };
    let amount = value * mult;
    let yuan = amount * currency.rate(rates);
    if !yuan.is_finite() || yuan < 0.0 {
        return Err(err("not a finite amount".to_string()));
    }
    Ok(Some(Money {
        yuan,
        amount,
        currency,
        approximate: toks.contains(&Tok::Approx),
        lower_bound,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates() -> Currencies {
        Currencies::default()
    }

    fn yuan(text: &str) -> f64 {
        parse_money(text, &rates())
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("{text:?} read as not given"))
            .yuan
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * b.abs().max(1.0)
    }

    #[test]
    fn real_world_spellings_are_read_in_yuan() {
        let r = rates();
        let table: &[(&str, f64)] = &[
            ("5000万元", 5e7),
            ("5000万", 5e7),
            ("5000 万元", 5e7),
            ("1.2亿人民币", 1.2e8),
            ("1.2亿元人民币", 1.2e8),
            ("人民币5000万元", 5e7),
            ("5000万人民币元", 5e7),
            ("59690.5万美元", 59690.5e4 * r.usd),
            ("USD 2 million", 2e6 * r.usd),
            ("US$2m", 2e6 * r.usd),
            ("$3.5 million", 3.5e6 * r.usd),
            ("1.5 billion USD", 1.5e9 * r.usd),
            ("3,000,000", 3e6),
            ("3000000", 3e6),
            ("3000000元", 3e6),
            ("3000000.00", 3e6),
            ("￥5,000万", 5e7),
            ("¥5,000万", 5e7),
            ("RMB 50 million", 5e7),
            ("CNY 1.2 billion", 1.2e9),
            ("100万港元", 1e6 * r.hkd),
            ("HK$100m", 1e8 * r.hkd),
            ("200万港币", 2e6 * r.hkd),
            ("50万欧元", 5e5 * r.eur),
            ("EUR 5 million", 5e6 * r.eur),
            ("1亿日元", 1e8 * r.jpy),
            ("约5亿", 5e8),
            ("5000余万元", 5e7),
            ("100亿以上", 1e10),
            ("1000-5000万", 1e7),
            ("1000万-5000万元", 1e7),
            ("1亿至5亿元", 1e8),
            ("5千万", 5e7),
            ("3百万", 3e6),
            ("１２００万元", 1.2e7),
            ("５０００万人民币", 5e7),
            ("0", 0.0),
            ("500k", 5e5),
        ];
        for (text, want) in table {
            let got = yuan(text);
            assert!(close(got, *want), "{text:?}: got {got}, want {want}");
        }
    }

    #[test]
    fn not_given_is_none_not_an_error() {
        for text in ["", "  ", "-", "--", "—", "/", "不详", "未知", "无", "N/A", "null"] {
            assert_eq!(parse_money(text, &rates()), Ok(None), "{text:?}");
        }
    }

    #[test]
    fn garbage_and_chinese_numerals_are_errors() {
        for text in [
            "壹佰万",
            "一千万",
            "abc",
            "五千万元",
            "5000万美元港元",
            "万5000",
            "1.2.3万",
            "-5000",
            "1000-",
            "100 200",
            "5000₩",
            "注册资本:5000万元",
        ] {
            let e = parse_money(text, &rates());
            assert!(e.is_err(), "{text:?} gave {e:?}");
        }
        let e = parse_money("壹佰万", &rates()).unwrap_err();
        assert!(e.to_string().contains("壹佰万"), "{e}");
    }

    #[test]
    fn approximations_and_ranges_are_marked() {
        let m = parse_money("约5亿", &rates()).unwrap().unwrap();
        assert!(m.approximate && !m.lower_bound);
        let m = parse_money("1000-5000万", &rates()).unwrap().unwrap();
        assert!(m.lower_bound && !m.approximate);
        assert!(m.describe_zh().contains("区间下限"), "{}", m.describe_zh());
    }

    #[test]
    fn foreign_amounts_keep_their_currency() {
        let m = parse_money("59690.5万美元", &rates()).unwrap().unwrap();
        assert_eq!(m.currency, Currency::Usd);
        assert!(close(m.amount, 596_905_000.0));
        assert!(m.describe_en().contains("USD"), "{}", m.describe_en());
        assert!(m.describe_zh().contains("美元"), "{}", m.describe_zh());
    }

    #[test]
    fn header_hint_supplies_unit_and_currency() {
        let r = rates();
        let get = |t: &str, h: &str| parse_money_with_unit_hint(t, Some(h), &r).unwrap().unwrap().yuan;
        assert!(close(get("5000", "注册资本(万元)"), 5e7));
        assert!(close(get("5000", "注册资本（万元）"), 5e7));
        assert!(close(get("1.5", "营业收入(亿元)"), 1.5e8));
        assert!(close(get("200", "注册资本(万美元)"), 2e6 * r.usd));
        // The value's own unit wins over the header's.
        assert!(close(get("1.2亿", "注册资本(万元)"), 1.2e8));
        assert!(close(get("5000", "注册资本"), 5000.0));
    }

    #[test]
    fn amounts_are_described_in_both_languages() {
        assert_eq!(format_yuan_zh(1.2e10), "120亿元");
        assert_eq!(format_yuan_zh(5e7), "5000万元");
        assert_eq!(format_yuan_en(1.2e10), "¥12.0bn");
        assert_eq!(format_yuan_en(5e7), "¥50.0m");
    }

    #[test]
    fn more_currencies_are_read() {
        let r = rates();
        for (text, yuan) in [
            ("1000万新臺幣", 1e7 * r.twd),
            ("NT$ 2000万", 2e7 * r.twd),
            ("TWD 50m", 5e7 * r.twd),
            ("500万英镑", 5e6 * r.gbp),
            ("GBP 5 million", 5e6 * r.gbp),
            ("£2m", 2e6 * r.gbp),
            ("300万澳元", 3e6 * r.aud),
            ("A$ 3m", 3e6 * r.aud),
            ("200万加元", 2e6 * r.cad),
            ("CAD 4m", 4e6 * r.cad),
            ("800万新加坡元", 8e6 * r.sgd),
            ("S$1m", 1e6 * r.sgd),
            ("1000万澳门元", 1e7 * r.mop),
            ("MOP 10m", 1e7 * r.mop),
        ] {
            let m = parse_money(text, &r).unwrap().unwrap_or_else(|| panic!("{text}"));
            assert!((m.yuan - yuan).abs() < 1e-3 * yuan, "{text}: {} vs {yuan}", m.yuan);
        }
    }

    #[test]
    fn header_units_scale_bare_numbers_only() {
        assert_eq!(header_unit("注册资本(万元)").as_deref(), Some("万元"));
        assert_eq!(header_unit("营业收入（亿元）").as_deref(), Some("亿元"));
        assert_eq!(header_unit("注册资本【万美元】").as_deref(), Some("万美元"));
        assert_eq!(header_unit("注册资本(单位：万元)").as_deref(), Some("万元"));
        assert_eq!(header_unit("注册资本"), None);
        assert_eq!(header_unit("注册资本(实缴)"), None);
        let unit = header_unit("注册资本(万元)");
        assert_eq!(with_header_unit("5000", unit.as_deref()), "5000万元");
        assert_eq!(with_header_unit(" 1,200.5 ", unit.as_deref()), "1,200.5万元");
        assert_eq!(with_header_unit("300万元", unit.as_deref()), "300万元");
        assert_eq!(with_header_unit("-", unit.as_deref()), "-");
        assert_eq!(with_header_unit("5000", None), "5000");
        let r = rates();
        let m = parse_money(&with_header_unit("5000", unit.as_deref()), &r)
            .unwrap()
            .unwrap();
        assert_eq!(m.yuan, 5e7);
    }
}
