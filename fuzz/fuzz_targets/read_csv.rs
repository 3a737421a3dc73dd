//! Fuzzes the CSV reader: any bytes, read as CSV.
#![no_main]

#[path = "common.rs"]
mod common;

use leadmatch::batch::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::drain("fuzz.csv", data, Some(InputFormat::Csv));
});
