//! JSONL input: one JSON object per line. Lines are read one at a time; the keys of the first
//! object are the headers; values become cell text.

use super::RecordTooLong;
use crate::limits::MAX_RECORD_BYTES;
use std::io::BufRead;

/// The next non-blank line without its line break; `line` counts the lines read. A line longer
/// than [`MAX_RECORD_BYTES`] fails with [`RecordTooLong`] (never buffered whole).
pub(super) fn next_line(reader: &mut Box<dyn BufRead + Send>, line: &mut u64) -> std::io::Result<Option<Vec<u8>>> {
    loop {
        *line += 1;
        let mut buf = Vec::new();
        loop {
            let chunk = reader.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            buf.extend_from_slice(&chunk[..take]);
            reader.consume(take);
            if buf.len() as u64 > MAX_RECORD_BYTES {
                return Err(std::io::Error::other(RecordTooLong { line: *line }));
            }
            if done {
                break;
            }
        }
        if buf.is_empty() {
            return Ok(None);
        }
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        if buf.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
            continue;
        }
        return Ok(Some(buf));
    }
}

/// The keys of a JSON object line, in file order.
pub(super) fn json_keys(line: &[u8]) -> Option<Vec<String>> {
    let text = String::from_utf8_lossy(line);
    serde_json::from_str::<JsonObject>(&text)
        .ok()
        .map(|o| o.0.into_iter().map(|(k, _)| k).collect())
}

/// A JSON object with its keys in file order.
#[derive(Debug, Clone, Default)]
pub struct JsonObject(pub Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for JsonObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = JsonObject;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<JsonObject, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(12));
                while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                    out.push((k, v));
                }
                Ok(JsonObject(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// The text of a JSON value as a cell: strings as they are, lists joined with `;`, null empty.
pub fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a
            .iter()
            .map(json_text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(";"),
        other => other.to_string(),
    }
}
