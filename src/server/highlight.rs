//! Where the evidence words stand in a scope as the user typed it, for the page to mark.
//!
//! Evidence comes in the catalogue's form: simplified Chinese, half-width, lower case, English
//! as catalogue words. The scope may be traditional, full-width, upper case, or English with other
//! word endings. So the scope is folded character by character — traditional → simplified
//! (OpenCC's character table), full → half width, lower case — keeping one folded character per
//! original character, Chinese evidence is searched in that, and English evidence is matched word
//! by word on stems (remanufactured ~ remanufacturing). Positions are UTF-16 code units, as the
//! page's JavaScript counts them.

use crate::text::{fold_char, normalizer};

/// `[start, end)` in UTF-16 code units of the original scope, sorted, not overlapping. Longer
/// evidence wins where two overlap.
pub fn marks(scope: &str, evidence: &[String]) -> Vec<[usize; 2]> {
    let trad = normalizer().trad_chars();
    // Folded characters and where each original character starts (UTF-16), plus the end.
    let mut folded: Vec<char> = Vec::with_capacity(scope.len());
    let mut at: Vec<usize> = Vec::with_capacity(scope.len() + 1);
    let mut pos = 0usize;
    for c in scope.chars() {
        let s = *trad.get(&c).unwrap_or(&c);
        folded.push(fold_char(s));
        at.push(pos);
        pos += c.len_utf16();
    }
    at.push(pos);

    // English words of the folded scope with their character ranges and stems.
    let mut words: Vec<(usize, usize, String)> = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        if folded[i].is_ascii_alphanumeric() {
            let start = i;
            while i < folded.len() && folded[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let w: String = folded[start..i].iter().collect();
            words.push((start, i, normalizer().stem(&w).into_owned()));
        } else {
            i += 1;
        }
    }

    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut sorted: Vec<&String> = evidence.iter().filter(|e| !e.trim().is_empty()).collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.chars().count()));
    sorted.dedup();
    for e in sorted {
        let needle: Vec<char> = e.chars().map(|c| fold_char(*trad.get(&c).unwrap_or(&c))).collect();
        let mut spans: Vec<(usize, usize)> = Vec::new();
        if needle.iter().all(|c| c.is_ascii()) {
            let stems: Vec<String> = needle
                .split(|c| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| normalizer().stem(&w.iter().collect::<String>()).into_owned())
                .collect();
            if stems.is_empty() {
                continue;
            }
            for k in 0..words.len().saturating_sub(stems.len() - 1) {
                if words[k..k + stems.len()].iter().zip(&stems).all(|(w, s)| w.2 == *s) {
                    spans.push((words[k].0, words[k + stems.len() - 1].1));
                }
            }
        } else {
            let n = needle.len();
            let mut k = 0;
            while n > 0 && k + n <= folded.len() {
                if folded[k..k + n] == needle[..] {
                    spans.push((k, k + n));
                    k += n;
                } else {
                    k += 1;
                }
            }
        }
        for (s, t) in spans {
            if !found.iter().any(|&(a, b)| s < b && t > a) {
                found.push((s, t));
            }
        }
    }
    found.sort_unstable();
    found.into_iter().map(|(s, t)| [at[s], at[t]]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(scope: &str, ev: &[&str]) -> Vec<String> {
        let ev: Vec<String> = ev.iter().map(|s| s.to_string()).collect();
        let units: Vec<u16> = scope.encode_utf16().collect();
        marks(scope, &ev)
            .into_iter()
            .map(|[s, e]| String::from_utf16_lossy(&units[s..e]))
            .collect()
    }

    #[test]
    fn simplified_evidence_is_found_in_a_traditional_scope() {
        assert_eq!(
            marked("經營電子競技俱樂部，承辦電競賽事", &["电子竞技", "电竞"]),
            vec!["電子競技", "電競"]
        );
    }

    #[test]
    fn english_evidence_matches_whatever_the_case_and_word_ending() {
        assert_eq!(
            marked(
                "Remanufactured engines and Cross-border E-commerce",
                &["remanufacturing", "cross-border e-commerce"]
            ),
            vec!["Remanufactured", "Cross-border E-commerce"]
        );
    }

    #[test]
    fn positions_count_utf16_units_and_longer_evidence_wins() {
        let scope = "😀跨境电商平台；电商";
        let ev = vec!["跨境电商".to_string(), "电商".to_string()];
        assert_eq!(marks(scope, &ev), vec![[2, 6], [9, 11]]);
        assert_eq!(marked("ＡＩ算法", &["ai"]), vec!["ＡＩ"]);
    }
}
