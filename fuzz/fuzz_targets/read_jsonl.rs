//! Fuzzes the JSONL reader: any bytes, read as JSONL.
#![no_main]

#[path = "common.rs"]
mod common;

use leadmatch::batch::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::drain("fuzz.jsonl", data, Some(InputFormat::Jsonl));
});
