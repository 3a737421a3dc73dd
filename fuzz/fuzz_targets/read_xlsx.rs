//! Fuzzes the XLSX reader: any bytes, read as XLSX.
#![no_main]

#[path = "common.rs"]
mod common;

use leadmatch::batch::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::drain("fuzz.xlsx", data, Some(InputFormat::Sheet));
});
