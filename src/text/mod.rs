//! All text handling, behind one boundary: normalisation (full/half width, traditional →
//! simplified, case, punctuation), English stemming, Chinese word segmentation (jieba) and the
//! tantivy tokenizer built on them. Catalogue terms and company profiles go through the same
//! functions, so a term written once matches every spelling the normaliser folds together.

mod convert;
mod normalize;
mod segment;
pub mod variants;

pub use convert::to_simplified;
pub use normalize::{Normalizer, fold_char, is_cjk, normalizer};
pub use segment::{JIEBA_TOKENIZER, JiebaTokenizer, TokenVecStream, jieba};
