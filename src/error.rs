//! The library's error type. Every message names the input at fault (file, line, row, field)
//! and, where it helps, what to do about it.

use std::path::PathBuf;

/// Errors raised by the leadmatch library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("无法访问文件 cannot access {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A catalogue file is not valid TOML or does not fit the catalogue schema.
    #[error("目录文件格式错误 catalogue file {file}, line {line}: {message}")]
    CatalogSyntax { file: String, line: usize, message: String },

    /// The catalogue parsed but failed validation (one entry per problem).
    #[error("目录校验失败 catalogue check failed with {} problem(s):\n{}", .0.len(), .0.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    CatalogInvalid(Vec<CatalogProblem>),

    /// The tantivy index could not be built, opened or queried.
    #[error("索引错误 index error ({context}): {source}")]
    Index {
        context: String,
        #[source]
        source: tantivy::TantivyError,
    },

    /// Input text is not valid UTF-8.
    #[error(
        "输入不是有效的 UTF-8 input {path} is not valid UTF-8 at byte offset {offset}; convert it to UTF-8 (or use `rank`, which detects GBK)"
    )]
    InvalidUtf8 { path: String, offset: usize },

    /// A profile had neither a name nor a business scope.
    #[error("缺少企业名称和经营范围 profile has neither a name nor a scope: give --name or --scope")]
    EmptyProfile,

    /// Bad input data (a file, a row, a field).
    #[error("{0}")]
    Input(String),

    /// A list to rank has neither a name nor a scope column.
    #[error(
        "找不到企业名称或经营范围列 {path}: no column for the company name or the business scope.\n  表头 headers found: {}\n  企业名称 name is read from: {name_aliases}\n  经营范围 scope is read from: {scope_aliases}\n  Rename a column, or map it with --columns name=HEADER,scope=HEADER",
        if .found.is_empty() { "(none)".to_string() } else { .found.join(" | ") }
    )]
    NoUsableColumn {
        path: String,
        found: Vec<String>,
        name_aliases: String,
        scope_aliases: String,
    },

    /// `--columns` named a header the file does not have.
    #[error(
        "找不到列 {path}: --columns {field}={header}: no such header. Headers found: {}",
        .found.join(" | ")
    )]
    UnknownColumn {
        path: String,
        field: String,
        header: String,
        found: Vec<String>,
    },

    /// An input exceeds one of the limits in [`crate::limits`] (the message names it).
    #[error("超出限制 limit exceeded: {path}{at}: {what} ({limit}); {hint}")]
    Limit {
        path: String,
        /// Where in the input: `, line 12`, `, sheet1.xml`, or empty.
        at: String,
        what: String,
        /// The limit's name and value, e.g. `MAX_RECORD_BYTES = 64 MiB`.
        limit: String,
        hint: String,
    },

    /// A spreadsheet could not be read or written.
    #[error("电子表格错误 spreadsheet {path}: {message}")]
    Spreadsheet { path: String, message: String },

    /// The work was stopped through its cancellation flag ([`crate::batch::RankOptions::cancel`]).
    #[error("已取消 cancelled: the ranking was stopped before it finished")]
    Cancelled,
}

/// One validation problem in the catalogue, located by file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogProblem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for CatalogProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// `Result` with the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn index(context: impl Into<String>, source: tantivy::TantivyError) -> Self {
        Error::Index {
            context: context.into(),
            source,
        }
    }
}
