//! Chinese word segmentation (jieba, search mode) and the tantivy tokenizer built on it.
//!
//! The tokenizer folds each character exactly like the normaliser (width, case, traditional →
//! simplified at character level) while keeping the original byte offsets, so snippets highlight
//! the stored text. Chinese runs are cut by jieba in search mode (区块链技术服务 → 区块, 区块链,
//! 技术, 服务 …); Latin words are lower-cased and stemmed; 5G, IoT, O2O stay whole.

use super::normalize::{fold_char, is_cjk, normalizer};
use jieba_rs::Jieba;
use std::sync::{Arc, OnceLock};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name under which the tokenizer is registered in the index.
pub const JIEBA_TOKENIZER: &str = "leadmatch_jieba";

/// The base segmenter with jieba's default dictionary (loaded once, on first use).
pub fn jieba() -> &'static Jieba {
    static J: OnceLock<Jieba> = OnceLock::new();
    J.get_or_init(Jieba::new)
}

/// tantivy tokenizer: normalisation + jieba search-mode segmentation + English stemming.
///
/// Loading jieba's dictionary takes ~150 ms, so the segmenter is built on first use: `score` and
/// `rank` never tokenize with it and never pay for it.
#[derive(Clone)]
pub struct JiebaTokenizer {
    words: Arc<Vec<String>>,
    jieba: Arc<OnceLock<Jieba>>,
}

impl JiebaTokenizer {
    /// A tokenizer whose dictionary also knows `words` (catalogue terms), so they come out whole.
    pub fn with_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let words = words
            .into_iter()
            .filter(|w| w.chars().count() >= 2 && w.chars().all(is_cjk))
            .map(str::to_string)
            .collect();
        JiebaTokenizer {
            words: Arc::new(words),
            jieba: Arc::new(OnceLock::new()),
        }
    }

    fn segmenter(&self) -> &Jieba {
        self.jieba.get_or_init(|| {
            let mut j = jieba().clone();
            for w in self.words.iter() {
                // A high frequency makes jieba prefer the catalogue term over a split.
                j.add_word(w, Some(50_000), None);
            }
            j
        })
    }

    /// Tokens of `text` as (term, original byte start, original byte end).
    pub fn tokens(&self, text: &str) -> Vec<(String, usize, usize)> {
        let trad = normalizer().trad_chars();
        // Folded characters with the byte range each came from.
        let folded: Vec<(char, usize, usize)> = text
            .char_indices()
            .map(|(i, c)| {
                let f = fold_char(c);
                (*trad.get(&f).unwrap_or(&f), i, i + c.len_utf8())
            })
            .collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < folded.len() {
            let c = folded[i].0;
            if is_cjk(c) {
                let start = i;
                while i < folded.len() && is_cjk(folded[i].0) {
                    i += 1;
                }
                let run: String = folded[start..i].iter().map(|x| x.0).collect();
                for t in self.segmenter().cut_for_search(&run, true) {
                    let (s, e) = (start + t.start, start + t.end);
                    if e > s && e <= folded.len() {
                        out.push((t.word.to_string(), folded[s].1, folded[e - 1].2));
                    }
                }
            } else if c.is_ascii_alphanumeric() {
                let start = i;
                while i < folded.len() && folded[i].0.is_ascii_alphanumeric() {
                    i += 1;
                }
                let word: String = folded[start..i].iter().map(|x| x.0).collect();
                let stemmed = normalizer().stem(&word).into_owned();
                out.push((stemmed, folded[start].1, folded[i - 1].2));
            } else {
                i += 1;
            }
        }
        // Search mode emits sub-words before the word that holds them; tantivy's snippets need
        // tokens ordered by offset.
        out.sort_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)));
        out
    }
}

/// A token stream over tokens computed up front (both leadmatch tokenizers produce them so).
pub struct TokenVecStream {
    tokens: Vec<Token>,
    index: usize,
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = TokenVecStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TokenVecStream {
        let tokens = self
            .tokens(text)
            .into_iter()
            .enumerate()
            .map(|(position, (text, offset_from, offset_to))| Token {
                offset_from,
                offset_to,
                position,
                text,
                position_length: 1,
            })
            .collect();
        TokenVecStream::new(tokens)
    }
}

impl TokenVecStream {
    pub fn new(tokens: Vec<Token>) -> TokenVecStream {
        TokenVecStream { tokens, index: 0 }
    }
}

impl TokenStream for TokenVecStream {
    fn advance(&mut self) -> bool {
        self.index += 1;
        self.index <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &JiebaTokenizer, s: &str) -> Vec<String> {
        t.tokens(s).into_iter().map(|x| x.0).collect()
    }

    #[test]
    fn search_mode_finds_words_inside_compounds() {
        let t = JiebaTokenizer::with_words(["区块链"]);
        let w = words(&t, "区块链技术服务");
        assert!(w.contains(&"区块链".to_string()), "{w:?}");
        assert!(w.contains(&"技术".to_string()), "{w:?}");
    }

    #[test]
    fn traditional_full_width_and_english_fold() {
        let t = JiebaTokenizer::with_words(["电子竞技"]);
        let w = words(&t, "電子競技 ＩｏＴ Gaming");
        assert!(w.contains(&"电子竞技".to_string()), "{w:?}");
        assert!(w.contains(&"iot".to_string()), "{w:?}");
        assert!(w.contains(&"game".to_string()), "{w:?}");
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let t = JiebaTokenizer::with_words(["电竞"]);
        let text = "浙南電競小镇";
        for (_, s, e) in t.tokens(text) {
            assert!(text.is_char_boundary(s) && text.is_char_boundary(e) && s < e);
        }
        let toks = t.tokens(text);
        let hit = toks.iter().find(|x| x.0 == "电竞").expect("电竞 token");
        assert_eq!(&text[hit.1..hit.2], "電競");
    }

    #[test]
    fn mixed_tokens_stay_whole() {
        let t = JiebaTokenizer::with_words([]);
        let w = words(&t, "5G基站与O2O");
        assert!(w.contains(&"5g".to_string()) && w.contains(&"o2o".to_string()), "{w:?}");
    }
}
