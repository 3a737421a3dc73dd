//! Fuzzes the text normaliser and cell hygiene on any UTF-8 text.
#![no_main]

use leadmatch::batch::read::{clean_cell, is_placeholder};
use leadmatch::text::normalizer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let n = normalizer();
    let _ = n.analyze(text);
    let _ = n.to_simplified(text);
    let _ = n.term_key(text);
    let cleaned = clean_cell(text);
    let _ = is_placeholder(&cleaned);
    let _ = leadmatch::lead::header_unit(text);
});
