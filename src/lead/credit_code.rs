//! The unified social credit code (统一社会信用代码, GB 32100-2015): normalisation and validation.
//!
//! A code has 18 characters from `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O, Z, S, V):
//! registration authority (1), entity type (1), administrative division (6), the organisation code
//! (组织机构代码, GB 11714, 9 characters: 8 body + its own check character) and a check character.
//! Both check characters are verified. A bad code is flagged (`credit_code_invalid`) by the caller,
//! never a reason to drop a row; only valid codes are used for deduplication.

/// The 31 characters of GB 32100-2015, in value order.
pub const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// The outcome of checking a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditCodeCheck {
    Valid,
    /// Why the code is not valid, in plain words.
    Invalid(String),
}

impl CreditCodeCheck {
    pub fn is_valid(&self) -> bool {
        matches!(self, CreditCodeCheck::Valid)
    }
}

/// Trims, folds full-width to half-width, upper-cases, and drops inner spaces and hyphens
/// (`9133 0300 …`, `91330300-…`).
pub fn normalize_credit_code(code: &str) -> String {
    code.trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{3000}')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Per ASCII byte: its value in [`CHARSET`], or `NOT_IN_CHARSET`.
const VALUE_OF: [u8; 128] = {
    let mut t = [NOT_IN_CHARSET; 128];
    let b = CHARSET.as_bytes();
    let mut i = 0;
    while i < b.len() {
        t[b[i] as usize] = i as u8;
        i += 1;
    }
    t
};
const NOT_IN_CHARSET: u8 = u8::MAX;

fn value(c: char) -> Option<u32> {
    match VALUE_OF.get(c as usize) {
        Some(&v) if v != NOT_IN_CHARSET => Some(v as u32),
        _ => None,
    }
}

/// The character of a value below 31.
fn charset_char(v: u32) -> Option<char> {
    CHARSET.as_bytes().get(v as usize).map(|&b| b as char)
}

/// The GB 32100-2015 check character for the first 17 characters (`None` when they are not 17
/// characters of the charset).
pub fn credit_check_char(first17: &str) -> Option<char> {
    check_char_of(first17.chars())
}

/// [`credit_check_char`] of characters (`None` unless 17, all of the charset).
fn check_char_of(chars: impl Iterator<Item = char>) -> Option<char> {
    let (mut sum, mut n) = (0u32, 0usize);
    for c in chars {
        let v = value(c)?;
        sum += v * WEIGHTS.get(n).copied().unwrap_or(0);
        n += 1;
    }
    if n != 17 {
        return None;
    }
    charset_char((31 - sum % 31) % 31)
}

/// The GB 11714 check character of an 8-character organisation-code body (digits and upper-case
/// letters, A = 10 … Z = 35): `11 - Σ(vᵢ·wᵢ) mod 11`, with 10 → `X` and 11 → `0`.
pub fn org_check_char(body8: &str) -> Option<char> {
    org_check_char_of(body8.chars())
}

/// [`org_check_char`] of characters (`None` unless 8, all digits or letters).
fn org_check_char_of(chars: impl Iterator<Item = char>) -> Option<char> {
    let (mut sum, mut n) = (0u32, 0usize);
    for c in chars {
        let v = c.to_digit(36)?;
        sum += v * ORG_WEIGHTS.get(n).copied().unwrap_or(0);
        n += 1;
    }
    if n != 8 {
        return None;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from_digit(c, 10).expect("0..=9"),
    })
}

/// The normalised code ([`normalize_credit_code`]) when it is valid, without allocating: the
/// check of every row, where [`check_credit_code`] spelled out why a code is not valid.
pub fn valid_credit_code(code: &str) -> Option<ValidCreditCode> {
    let mut buf = [0u8; 18];
    let mut n = 0;
    for c in code.chars() {
        // `normalize_credit_code`'s folding; its trim only drops what the filter drops.
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        };
        if c.is_whitespace() || c == '-' || c == '\u{3000}' {
            continue;
        }
        let c = c.to_ascii_uppercase();
        value(c)?;
        *buf.get_mut(n)? = c as u8;
        n += 1;
    }
    if n != 18 {
        return None;
    }
    let chars = buf.iter().map(|&b| b as char);
    if check_char_of(chars.clone().take(17))? != buf[17] as char
        || org_check_char_of(chars.skip(8).take(8))? != buf[16] as char
    {
        return None;
    }
    Some(ValidCreditCode(buf))
}

/// A valid code, normalised: 18 characters of [`CHARSET`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidCreditCode([u8; 18]);

impl ValidCreditCode {
    pub fn as_str(&self) -> &str {
        // Only charset (ASCII) bytes are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Validates a code (normalised first with [`normalize_credit_code`]).
pub fn check_credit_code(code: &str) -> CreditCodeCheck {
    if valid_credit_code(code).is_some() {
        return CreditCodeCheck::Valid;
    }
    check_spelled_out(code)
}

/// [`check_credit_code`] step by step, saying what is wrong.
fn check_spelled_out(code: &str) -> CreditCodeCheck {
    let code = normalize_credit_code(code);
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return CreditCodeCheck::Invalid(format!("应为18位 must have 18 characters, has {}", chars.len()));
    }
    if let Some((i, c)) = chars.iter().enumerate().find(|(_, c)| value(**c).is_none()) {
        return CreditCodeCheck::Invalid(format!(
            "第{}位字符 {c:?} 不允许 character {} ({c:?}) is not allowed (no I, O, Z, S, V)",
            i + 1,
            i + 1
        ));
    }
    let first17: String = chars[..17].iter().collect();
    let want = credit_check_char(&first17).expect("17 charset characters");
    if chars[17] != want {
        return CreditCodeCheck::Invalid(format!(
            "校验码错误 check character is {:?}, expected {want:?}",
            chars[17]
        ));
    }
    let body: String = chars[8..16].iter().collect();
    let org = org_check_char(&body).expect("8 charset characters");
    if chars[16] != org {
        return CreditCodeCheck::Invalid(format!(
            "组织机构代码校验码错误 organisation-code check character is {:?}, expected {org:?}",
            chars[16]
        ));
    }
    CreditCodeCheck::Valid
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a valid code from the first 16 characters (2 + 6 + the 8-character org body).
    fn make(first16: &str) -> String {
        let body = &first16[8..16];
        let org = org_check_char(body).unwrap();
        let first17 = format!("{first16}{org}");
        let check = credit_check_char(&first17).unwrap();
        format!("{first17}{check}")
    }

    #[test]
    fn real_codes_are_valid() {
        // 腾讯科技（深圳）有限公司 and 华为技术有限公司, as published in the national registry.
        for code in ["9144030071526726XG", "914403001922038216"] {
            assert_eq!(check_credit_code(code), CreditCodeCheck::Valid, "{code}");
        }
    }

    #[test]
    fn computed_codes_are_valid_in_any_spelling() {
        for first16 in [
            "9133030014542342",
            "9133030279329163",
            "91330100MA27XL0B",
            "12330300002345AB",
            "5233030050456789",
            "Y1330302MA2H8K9L",
        ] {
            let code = make(first16);
            assert!(check_credit_code(&code).is_valid(), "{code}");
            let lower = code.to_lowercase();
            assert!(check_credit_code(&lower).is_valid(), "{lower}");
            let spaced = format!(" {} {} ", &code[..8], &code[8..]);
            assert!(check_credit_code(&spaced).is_valid(), "{spaced:?}");
            let full: String = code
                .chars()
                .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
                .collect();
            assert!(check_credit_code(&full).is_valid(), "{full}");
        }
    }

    #[test]
    fn bad_codes_are_invalid_with_a_reason() {
        let good = make("9133030014542342");
        let mut wrong_check = good.clone();
        let last = wrong_check.pop().unwrap();
        let other = CHARSET.chars().find(|c| *c != last).unwrap();
        wrong_check.push(other);
        // Change an org-code character and recompute only the final check: org digit now wrong.
        let mut bad_org: Vec<char> = good.chars().collect();
        bad_org[16] = if bad_org[16] == '1' { '2' } else { '1' };
        let first17: String = bad_org[..17].iter().collect();
        bad_org[17] = credit_check_char(&first17).unwrap();
        let bad_org: String = bad_org.into_iter().collect();
        let cases = [
            ("", "18"),
            ("91330300145423", "18"),
            (&format!("{good}0")[..], "18"),
            (&good.replacen('9', "I", 1)[..], "not allowed"),
            (&good.replacen('9', "O", 1)[..], "not allowed"),
            (&good.replacen('9', "Z", 1)[..], "not allowed"),
            (&good.replacen('9', "S", 1)[..], "not allowed"),
            (&good.replacen('9', "V", 1)[..], "not allowed"),
            (&wrong_check[..], "check character"),
            (&bad_org[..], "organisation-code"),
            ("9144030071526726XH", "check character"),
        ];
        for (code, why) in cases {
            match check_credit_code(code) {
                CreditCodeCheck::Invalid(reason) => {
                    assert!(reason.contains(why), "{code}: {reason}")
                }
                CreditCodeCheck::Valid => panic!("{code} should be invalid"),
            }
        }
    }

    /// The allocation-free check agrees with the step-by-step one on valid codes and on every
    /// one-character change of them (any charset character, a lower-case, full-width, space,
    /// hyphen, excluded letter or ideograph, deleted or doubled).
    #[test]
    fn fast_check_agrees_with_the_spelled_out_one() {
        let bases = [
            make("91330300MA2HTX8E"),
            make("9133030014540217"),
            make("1210000040000000"),
        ];
        let mut seen = 0;
        for base in &bases {
            let chars: Vec<char> = base.chars().collect();
            let mut variants = vec![base.clone(), format!(" {base} "), base.to_lowercase()];
            for i in 0..chars.len() {
                let extra = ['a', 'z', 'I', 'O', 'S', 'Ａ', '１', ' ', '-', '\u{3000}', '温'];
                for c in CHARSET.chars().chain(extra) {
                    let mut v = chars.clone();
                    v[i] = c;
                    variants.push(v.iter().collect());
                    v.insert(i, c);
                    variants.push(v.iter().collect());
                }
                let mut v = chars.clone();
                v.remove(i);
                variants.push(v.iter().collect());
            }
            for v in &variants {
                let slow = check_spelled_out(v);
                let fast = valid_credit_code(v);
                assert_eq!(fast.is_some(), slow.is_valid(), "{v:?}");
                if let Some(f) = fast {
                    assert_eq!(f.as_str(), normalize_credit_code(v), "{v:?}");
                    seen += 1;
                }
            }
        }
        assert!(seen > 3, "some variants are valid");
    }

    #[test]
    fn org_check_digit_maps_ten_and_eleven() {
        // Σ ≡ 1 (mod 11) → 10 → X; Σ ≡ 0 → 11 → 0.
        assert_eq!(org_check_char("71526726"), Some('X'));
        assert_eq!(org_check_char("00000000"), Some('0'));
        assert_eq!(org_check_char("19220382"), Some('1'));
    }
}
