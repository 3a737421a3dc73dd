//! JSONL input: one JSON object per line. Lines are read one at a time; the keys of the first
//! object are the headers; values become cell text.

use std::io::BufRead;

/// The next non-blank line without its line break.
pub(super) fn next_line(reader: &mut Box<dyn BufRead + Send>) -> std::io::Result<Option<Vec<u8>>> {
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            line.pop();
        }
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        return Ok(Some(line));
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

