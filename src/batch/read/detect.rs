//! Format and encoding detection: what kind of file an input is (CSV, TSV, JSONL, a
//! spreadsheet) and which character encoding its text is in (UTF-8 with or without BOM, UTF-16,
//! GBK/GB18030), and the streaming decoder that turns non-UTF-8 text into UTF-8.

use encoding_rs::{Decoder, Encoding, GB18030, UTF_16BE, UTF_16LE};
use std::io::Read;
use std::path::Path;

/// The layout of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    Csv,
    Tsv,
    Jsonl,
    /// XLSX, XLS or ODS, read with calamine (first sheet).
    Sheet,
}

impl InputFormat {
    /// The format implied by a file extension, if any.
    pub fn from_extension(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(InputFormat::Csv),
            "tsv" | "tab" => Some(InputFormat::Tsv),
            "jsonl" | "ndjson" | "json" => Some(InputFormat::Jsonl),
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Some(InputFormat::Sheet),
            _ => None,
        }
    }

    /// Guesses the format from the first bytes of the file.
    pub fn sniff(prefix: &[u8]) -> InputFormat {
        // ZIP (xlsx, ods) and OLE2 (xls) containers.
        if prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return InputFormat::Sheet;
        }
        let text = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
        if text
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{')
        {
            return InputFormat::Jsonl;
        }
        let first_line = text.split(|&b| b == b'\n').next().unwrap_or(text);
        let tabs = first_line.iter().filter(|&&b| b == b'\t').count();
        let commas = first_line.iter().filter(|&&b| b == b',').count();
        if tabs > commas {
            InputFormat::Tsv
        } else {
            InputFormat::Csv
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Csv => "CSV",
            InputFormat::Tsv => "TSV",
            InputFormat::Jsonl => "JSONL",
            InputFormat::Sheet => "XLSX",
        }
    }
}

/// The character encoding of a text input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 starting with a byte-order mark (as Excel saves "CSV UTF-8").
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// GB18030, a superset of GBK and GB2312 (as Excel on Chinese Windows saves CSV).
    Gb18030,
}

impl TextEncoding {
    /// Detects the encoding from the first bytes: a BOM decides; otherwise text that is (almost
    /// entirely) valid UTF-8 is UTF-8, and anything else is read as GB18030. `at_eof` says
    /// whether `prefix` is the whole input (so a multi-byte character cut at its end is an
    /// error rather than an artefact of the cut).
    pub fn detect(prefix: &[u8], at_eof: bool) -> TextEncoding {
        if prefix.starts_with(b"\xEF\xBB\xBF") {
            return TextEncoding::Utf8Bom;
        }
        if prefix.starts_with(b"\xFF\xFE") {
            return TextEncoding::Utf16Le;
        }
        if prefix.starts_with(b"\xFE\xFF") {
            return TextEncoding::Utf16Be;
        }
        let mut valid_multibyte = 0usize;
        let mut invalid = 0usize;
        let mut chunks = prefix.utf8_chunks().peekable();
        while let Some(chunk) = chunks.next() {
            valid_multibyte += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
            let bad = chunk.invalid().len();
            // An incomplete character at the very end of a cut prefix is not an error.
            let cut_tail = chunks.peek().is_none() && !at_eof && bad > 0 && bad < 4;
            if !cut_tail {
                invalid += bad;
            }
        }
        // A few stray bytes in a UTF-8 file are damage, not a different encoding: GBK text read
        // as UTF-8 is invalid almost everywhere.
        if invalid == 0 || (valid_multibyte > 0 && invalid * 20 <= valid_multibyte) {
            TextEncoding::Utf8
        } else {
            TextEncoding::Gb18030
        }
    }

    /// `utf8`, `utf-8`, `gbk`, `gb2312`, `gb18030`, `utf-16le`, `utf-16be` (for `--input-encoding`).
    pub fn parse(s: &str) -> Option<TextEncoding> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "utf8" => Some(TextEncoding::Utf8),
            "utf8bom" | "utf8sig" => Some(TextEncoding::Utf8Bom),
            "gbk" | "gb2312" | "gb18030" | "cp936" => Some(TextEncoding::Gb18030),
            "utf16le" | "utf16" => Some(TextEncoding::Utf16Le),
            "utf16be" => Some(TextEncoding::Utf16Be),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Gb18030 => "GBK/GB18030",
        }
    }

    /// Whether bytes are passed through as UTF-8 (and checked per field) rather than decoded.
    pub fn is_utf8(self) -> bool {
        matches!(self, TextEncoding::Utf8 | TextEncoding::Utf8Bom)
    }

    pub(super) fn decoder(self) -> Option<Decoder> {
        let enc: &'static Encoding = match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => return None,
            TextEncoding::Utf16Le => UTF_16LE,
            TextEncoding::Utf16Be => UTF_16BE,
            TextEncoding::Gb18030 => GB18030,
        };
        Some(enc.new_decoder_without_bom_handling())
    }

    pub(super) fn bom_len(self) -> usize {
        match self {
            TextEncoding::Utf8Bom => 3,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
            _ => 0,
        }
    }
}

/// Decodes a non-UTF-8 stream to UTF-8 bytes as it is read. Invalid sequences become U+FFFD.
pub(super) struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    done: bool,
}

impl<R: Read> DecodingReader<R> {
    pub(super) fn new(inner: R, decoder: Decoder) -> Self {
        DecodingReader {
            inner,
            decoder,
            input: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            output: vec![0; 3 * 64 * 1024 + 16],
            out_start: 0,
            out_end: 0,
            eof: false,
            done: false,
        }
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out_start == self.out_end {
            if self.done {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let (_, read, written, _) =
                self.decoder
                    .decode_to_utf8(&self.input[self.in_start..self.in_end], &mut self.output, self.eof);
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && self.in_start == self.in_end && written == 0 {
                self.done = true;
            }
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn encoding_detection() {
        let zh = "企业名称,经营范围\n温州瓯云大数据科技有限公司,大数据服务\n";
        assert_eq!(TextEncoding::detect(zh.as_bytes(), true), TextEncoding::Utf8);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(zh.as_bytes());
        assert_eq!(TextEncoding::detect(&bom, true), TextEncoding::Utf8Bom);
        let (gbk, _, _) = encoding_rs::GBK.encode(zh);
        assert_eq!(TextEncoding::detect(&gbk, true), TextEncoding::Gb18030);
        // A prefix cut inside a multi-byte character is still UTF-8 …
        let cut = &zh.as_bytes()[..zh.len() - 2 - "服务\n".len()];
        assert_eq!(TextEncoding::detect(cut, false), TextEncoding::Utf8);
        // … and one stray byte in a long UTF-8 text does not make it GBK.
        let mut damaged = zh.repeat(5).into_bytes();
        damaged.insert(20, 0xFF);
        assert_eq!(TextEncoding::detect(&damaged, true), TextEncoding::Utf8);
        assert_eq!(TextEncoding::detect(b"name,scope\n", true), TextEncoding::Utf8);
    }

    #[test]
    fn decoding_reader_streams_gbk_across_buffer_boundaries() {
        let text = "温州鞋业,皮鞋制造；".repeat(20_000);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let mut r = DecodingReader::new(Cursor::new(gbk.into_owned()), GB18030.new_decoder());
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
    }

    #[test]
    fn format_sniffing() {
        assert_eq!(InputFormat::sniff(b"PK\x03\x04..."), InputFormat::Sheet);
        assert_eq!(InputFormat::sniff(b"  {\"name\":1}"), InputFormat::Jsonl);
        assert_eq!(InputFormat::sniff(b"a\tb\tc\n1,2\t3"), InputFormat::Tsv);
        assert_eq!(InputFormat::sniff(b"a,b\n"), InputFormat::Csv);
    }
}
