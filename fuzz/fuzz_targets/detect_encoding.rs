//! Fuzzes format, encoding and delimiter detection and the streaming decoder: any bytes, with
//! nothing forced (the path `rank -` takes for stdin).
#![no_main]

#[path = "common.rs"]
mod common;

use leadmatch::batch::read::{sniff_delimiter, sep_hint};
use leadmatch::batch::{InputFormat, TextEncoding};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = TextEncoding::detect(data, true);
    let _ = TextEncoding::detect(data, false);
    let _ = InputFormat::sniff(data);
    let _ = sniff_delimiter(data);
    let _ = sep_hint(data);
    common::drain("stdin", data, None);
});
