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
    /// XLSX, XLS (also WPS `.et`), XLSB or ODS, read with calamine.
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
            "xlsx" | "xlsm" | "xlsb" | "xls" | "et" | "ods" => Some(InputFormat::Sheet),
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
        if let Some(utf16) = utf16_without_bom(prefix) {
            return utf16;
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

    /// The length of the byte-order mark `prefix` starts with, if it is this encoding's. A
    /// forced `--input-encoding utf16le` on a file without a BOM keeps its first character.
    pub(super) fn bom_len(self, prefix: &[u8]) -> usize {
        let bom: &[u8] = match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => b"\xEF\xBB\xBF",
            TextEncoding::Utf16Le => b"\xFF\xFE",
            TextEncoding::Utf16Be => b"\xFE\xFF",
            TextEncoding::Gb18030 => return 0,
        };
        if prefix.starts_with(bom) { bom.len() } else { 0 }
    }
}

/// Field delimiters recognised in delimited text, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// Excel's `sep=X` first line (written by Excel for lists in locales where `;` separates), as
/// the delimiter it names.
pub fn sep_hint(first_line: &[u8]) -> Option<u8> {
    let line = first_line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(first_line);
    let line = line.trim_ascii_end();
    let rest = line.strip_prefix(b"sep=").or_else(|| line.strip_prefix(b"SEP="))?;
    match rest {
        [d] if !d.is_ascii_alphanumeric() && *d != b'"' => Some(*d),
        _ => None,
    }
}

/// Sniffs the delimiter from the first lines of decoded text: for each candidate, the number of
/// lines (outside quotes) sharing its most common non-zero count; the candidate most lines agree
/// on wins (title rows above the header and commas inside values do not sway it).
pub fn sniff_delimiter(text: &[u8]) -> u8 {
    const LINES: usize = 20;
    let mut counts: Vec<[usize; 4]> = Vec::new();
    let mut current = [0usize; 4];
    let mut quoted = false;
    let mut any = false;
    for &b in text {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                if any {
                    counts.push(current);
                }
                current = [0; 4];
                any = false;
                if counts.len() >= LINES {
                    break;
                }
                continue;
            }
            _ if !quoted => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    current[i] += 1;
                }
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            any = true;
        }
    }
    if any && counts.len() < LINES {
        counts.push(current);
    }
    let mut best = (0usize, 0usize, b',');
    for (i, &d) in DELIMITERS.iter().enumerate() {
        let mut tally: Vec<(usize, usize)> = Vec::new();
        for line in &counts {
            let n = line[i];
            if n == 0 {
                continue;
            }
            match tally.iter_mut().find(|(c, _)| *c == n) {
                Some((_, lines)) => *lines += 1,
                None => tally.push((n, 1)),
            }
        }
        // (lines agreeing, fields per line) of the most common count.
        let score = tally.iter().map(|&(n, lines)| (lines, n)).max().unwrap_or((0, 0));
        if score > (best.0, best.1) {
            best = (score.0, score.1, d);
        }
    }
    best.2
}

/// The name of a delimiter in the summary.
pub fn delimiter_name(d: u8) -> String {
    match d {
        b',' => ",".into(),
        b'\t' => "tab".into(),
        b' ' => "space".into(),
        d => (d as char).to_string(),
    }
}

/// Parses `--delimiter`: one ASCII character, or `tab`, `comma`, `semicolon`, `pipe` (`\t` too).
pub fn parse_delimiter(s: &str) -> Option<u8> {
    match s.to_ascii_lowercase().as_str() {
        "tab" | "\\t" | "\t" => Some(b'\t'),
        "comma" => Some(b','),
        "semicolon" => Some(b';'),
        "pipe" => Some(b'|'),
        "space" => Some(b' '),
        _ => match s.as_bytes() {
            [d] if d.is_ascii() && !d.is_ascii_alphanumeric() && *d != b'"' && *d != b'\n' && *d != b'\r' => Some(*d),
            _ => None,
        },
    }
}

/// UTF-16 without a byte-order mark: zero bytes (the high byte of ASCII characters such as tabs,
/// commas and line breaks) almost all at odd offsets (little-endian) or at even offsets
/// (big-endian), and text that decodes without errors. GBK text has no zero bytes, and UTF-8 text
/// with stray NULs has them at both parities or rarely.
fn utf16_without_bom(prefix: &[u8]) -> Option<TextEncoding> {
    let whole = &prefix[..prefix.len() & !1];
    if whole.len() < 4 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in whole.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let (zeros, others, enc, encoding) = if odd > even {
        (odd, even, TextEncoding::Utf16Le, UTF_16LE)
    } else {
        (even, odd, TextEncoding::Utf16Be, UTF_16BE)
    };
    // Zero bytes almost all on one side; CJK characters such as U+4E00 put a few on the other,
    // so a line break on the expected side (0A 00 for LE) lowers the bar.
    let newline: [u8; 2] = if enc == TextEncoding::Utf16Le {
        [b'\n', 0]
    } else {
        [0, b'\n']
    };
    let has_newline = whole.chunks_exact(2).any(|p| p == newline);
    if zeros < 2 || (zeros < others * 10 && !(has_newline && zeros > others * 2)) {
        return None;
    }
    // Valid UTF-8 (ASCII with NULs) needs many zeros to count as UTF-16.
    if std::str::from_utf8(whole).is_ok() && zeros * 10 < whole.len() / 2 {
        return None;
    }
    let (_, had_errors) = encoding.decode_without_bom_handling(whole);
    // A cut prefix may end inside a surrogate pair: one error at most is allowed.
    if had_errors {
        let (text, _) = encoding.decode_without_bom_handling(&whole[..whole.len().saturating_sub(4)]);
        if text.contains('\u{FFFD}') {
            return None;
        }
    }
    Some(enc)
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
            let (res, read, written, _) =
                self.decoder
                    .decode_to_utf8(&self.input[self.in_start..self.in_end], &mut self.output, self.eof);
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            // The call with `last` set that consumed everything finished the decoder (a
            // character cut at the end became U+FFFD): it must not be called again.
            if self.eof && res == encoding_rs::CoderResult::InputEmpty {
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
        // UTF-16 without a BOM, both byte orders; NULs in UTF-8 text do not make it UTF-16.
        let text = "企业名称\t经营范围\r\n温州万一科技有限公司\t软件开发\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(TextEncoding::detect(&le, true), TextEncoding::Utf16Le);
        assert_eq!(TextEncoding::detect(&be, true), TextEncoding::Utf16Be);
        assert_eq!(TextEncoding::detect(&le[..le.len() - 1], false), TextEncoding::Utf16Le);
        let nuls = "企业名称,经营范围\r\n温州某某\0\0,软件\0开发\r\n\0\0\0,\0\0\0,\0\r\n";
        assert_eq!(TextEncoding::detect(nuls.as_bytes(), true), TextEncoding::Utf8);
    }

    #[test]
    fn decoding_reader_ends_a_cut_character_with_a_replacement() {
        for (bytes, enc) in [
            (&b"\x81"[..], GB18030),
            (&b"\xce\xc2\xd6\xdd\xb9"[..], GB18030),
            (&b"a\x00b"[..], UTF_16LE),
        ] {
            let mut r = DecodingReader::new(Cursor::new(bytes.to_vec()), enc.new_decoder_without_bom_handling());
            let mut out = String::new();
            r.read_to_string(&mut out).unwrap();
            assert!(out.ends_with('\u{FFFD}'), "{out:?}");
            // Reading again after the end stays at the end.
            assert_eq!(r.read(&mut [0u8; 8]).unwrap(), 0);
        }
    }

    #[test]
    fn delimiters_are_sniffed_and_sep_lines_read() {
        assert_eq!(
            sniff_delimiter("企业名称;经营范围;注册资本\r\n甲;软件;1000,5万元\r\n乙;贸易;500万\r\n".as_bytes()),
            b';'
        );
        assert_eq!(sniff_delimiter(b"a|b|c\n1|2|3\n"), b'|');
        assert_eq!(sniff_delimiter(b"a\tb\n1,5\t2\n"), b'\t');
        assert_eq!(sniff_delimiter(b"title only\na,b,c\n1,\"x;y;z\",3\n"), b',');
        assert_eq!(sniff_delimiter(b""), b',');
        assert_eq!(sep_hint(b"sep=;\r"), Some(b';'));
        assert_eq!(sep_hint(b"\xEF\xBB\xBFsep=|"), Some(b'|'));
        assert_eq!(sep_hint(b"sep=ab"), None);
        assert_eq!(parse_delimiter("tab"), Some(b'\t'));
        assert_eq!(parse_delimiter(";"), Some(b';'));
        assert_eq!(parse_delimiter("x"), None);
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
