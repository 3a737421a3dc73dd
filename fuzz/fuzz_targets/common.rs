//! Shared by the reader targets: opens bytes as a source and drains it, as `rank` would.

use leadmatch::batch::read::{ReadOptions, RawRecord, clean_cell};
use leadmatch::batch::{InputFormat, Source};

/// Opens `data` (named `name`, forced to `format` when given) and reads every record; errors
/// are fine, panics and unbounded memory are the bugs looked for.
pub fn drain(name: &str, data: &[u8], format: Option<InputFormat>) {
    let opts = ReadOptions {
        format,
        ..ReadOptions::default()
    };
    let Ok(mut source) = Source::from_bytes(name, data.to_vec(), &opts) else {
        return;
    };
    let _ = source.format_label();
    while let Ok(Some(record)) = source.next_record() {
        if let RawRecord::Cells(cells) = &record {
            for c in cells {
                let _ = clean_cell(c);
            }
        }
        let _ = record.byte_len();
    }
}
