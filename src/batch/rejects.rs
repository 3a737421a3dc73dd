//! The rejects file (`--rejects PATH`): one CSV row per input row that could not be ranked, in
//! input order, with its row number, the reason (Chinese and English) and its original content.
//! Written like `-o`: to a temporary file beside the target, renamed into place by
//! [`RejectsFile::finish`], so a failed or killed run leaves the previous file as it was.

use super::InputFields;
use super::files::AtomicFile;
use super::write::{OutputEncoding, csv_writer, neutralise};
use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a row was not ranked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejectReason {
    /// Every cell is empty.
    EmptyRow,
    /// Neither a name nor a scope.
    NoNameOrScope,
    /// A JSONL line that is not valid JSON.
    InvalidJson(String),
    /// A JSONL line that is valid JSON but not an object.
    NotAnObject,
    /// Scoring failed unexpectedly.
    Internal,
}

impl RejectReason {
    /// The reason without details, for counting.
    pub fn label(&self) -> &'static str {
        match self {
            RejectReason::EmptyRow => "空行 empty row",
            RejectReason::NoNameOrScope => "缺少企业名称和经营范围 no name or scope",
            RejectReason::InvalidJson(_) => "JSON 格式错误 invalid JSON",
            RejectReason::NotAnObject => "不是 JSON 对象 not a JSON object",
            RejectReason::Internal => "评分出错 internal error",
        }
    }
}

impl std::fmt::Display for RejectReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RejectReason::EmptyRow => f.write_str("空行 empty row"),
            RejectReason::NoNameOrScope => {
                f.write_str("缺少企业名称和经营范围 neither a company name nor a business scope")
            }
            RejectReason::InvalidJson(e) => write!(f, "JSON 格式错误 invalid JSON: {e}"),
            RejectReason::NotAnObject => f.write_str("不是 JSON 对象 not a JSON object"),
            RejectReason::Internal => f.write_str("评分出错 internal error while scoring this row"),
        }
    }
}

/// Writes rejected rows as CSV: 行号 row, 原因 reason, then the original columns (or, for
/// JSONL input, the original line).
pub struct RejectsFile {
    path: PathBuf,
    out: csv::Writer<Box<dyn Write + Send>>,
    width: usize,
    file: AtomicFile,
}

impl RejectsFile {
    /// Creates the temporary file and writes its header.
    pub fn create(path: &Path, input_headers: Option<&[String]>, encoding: OutputEncoding) -> Result<RejectsFile> {
        let file = AtomicFile::create(path)?;
        let out = csv_writer(Box::new(file.handle()?), encoding).map_err(|e| Error::io(path, e))?;
        let mut header = vec!["行号 row".to_string(), "原因 reason".to_string()];
        match input_headers {
            Some(h) => header.extend(h.iter().map(|c| neutralise(c).into_owned())),
            None => header.push("原始内容 content".to_string()),
        }
        let width = header.len() - 2;
        let mut r = RejectsFile {
            path: path.to_path_buf(),
            out,
            width,
            file,
        };
        r.write_record(&header)?;
        Ok(r)
    }

    fn write_record(&mut self, rec: &[String]) -> Result<()> {
        self.out
            .write_record(rec.iter().map(|c| c.as_bytes()))
            .map_err(|e| match e.into_kind() {
                csv::ErrorKind::Io(io) => Error::io(&self.path, io),
                other => Error::Input(format!("无法写入 cannot write {}: {other:?}", self.path.display())),
            })
    }

    /// Appends one rejected row.
    pub fn write(&mut self, row: u64, reason: &RejectReason, input: &InputFields) -> Result<()> {
        let mut rec = vec![row.to_string(), reason.to_string()];
        match input {
            InputFields::Cells(cells) => {
                rec.extend(cells.iter().map(|c| neutralise(c).into_owned()));
            }
            InputFields::Line(l) => rec.push(neutralise(l).into_owned()),
            InputFields::Json(obj) => {
                rec.push(serde_json::to_string(&serde_json::Map::from_iter(obj.0.iter().cloned())).unwrap_or_default())
            }
            InputFields::None => {}
        }
        if rec.len() < self.width + 2 {
            rec.resize(self.width + 2, String::new());
        }
        self.write_record(&rec)
    }

    /// Flushes the rows and moves the file into place.
    pub fn finish(mut self) -> Result<()> {
        self.out.flush().map_err(|e| Error::io(&self.path, e))?;
        drop(self.out);
        self.file.commit()
    }
}
