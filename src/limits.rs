//! Named limits on what an input may make leadmatch read, hold or do. Exceeding one is an error
//! that names the limit (exit 1 for `rank`); README "Limits and safety" mirrors this list.
//!
//! Memory stays bounded whatever a file declares: text inputs are read one record at a time and
//! a record is capped; a workbook is checked (declared dimensions, shared-string counts, cell
//! references, cell count, unzipped size, DTDs; for XLS the OLE2/CFB container's chains, the
//! Workbook stream and its records) before calamine opens it, and XLSX sheets are then streamed
//! row by row.

/// One CSV/TSV record or JSONL line (a file without line ends, `/dev/zero`, an unclosed quote).
pub const MAX_RECORD_BYTES: u64 = 64 << 20;

/// A workbook (XLSX, XLS, ODS) is read into memory whole: its file size.
pub const MAX_WORKBOOK_BYTES: u64 = 256 << 20;

/// All parts of a ZIP workbook together, uncompressed (also bounds the time spent unzipping).
pub const MAX_UNZIPPED_BYTES: u64 = 1 << 30;

/// The shared-string table of an XLSX, uncompressed (calamine holds it whole).
pub const MAX_SHARED_STRINGS_BYTES: u64 = 256 << 20;

/// Uncompressed/compressed size of one part, above [`ZIP_RATIO_FLOOR`]: real sheets compress
/// 5–20×, a zip bomb of whitespace 1000×.
pub const MAX_ZIP_RATIO: u64 = 200;

/// Parts smaller than this uncompressed are not held to [`MAX_ZIP_RATIO`].
pub const ZIP_RATIO_FLOOR: u64 = 16 << 20;

/// Cells present in one sheet (`<c>` elements), and entries of the shared-string table
/// (declared `count`/`uniqueCount` and actual).
pub const MAX_SHEET_CELLS: u64 = 20_000_000;

/// Rows × columns of a sheet's declared dimension (`<dimension ref>`) or used range (the box
/// around its cells): a cell at A1 and one at XFD1048576 make 2^34 cells.
pub const MAX_SHEET_AREA: u64 = 200_000_000;

/// Excel's own grid: rows 1..=1,048,576 and columns A..=XFD; a cell reference beyond (or not a
/// reference, like `ZZZZZZZZ99999999999`) is refused.
pub const MAX_SHEET_ROWS: u64 = 1_048_576;
/// See [`MAX_SHEET_ROWS`].
pub const MAX_SHEET_COLUMNS: u64 = 16_384;

/// One XML element or text node of a workbook part (a single cell of 2 GB).
pub const MAX_XML_NODE_BYTES: u64 = 64 << 20;

/// An XLS workbook's OLE2/CFB container must hold together within its own file: the DIFAT lists
/// at most as many FAT sectors as the file has, and every chain calamine follows (DIFAT,
/// directory, mini stream, mini FAT, the Workbook stream) stays within the file's sectors without
/// visiting a sector twice (a loop would be followed for ever).
pub const CFB_WITHIN_FILE: &str = "CFB_WITHIN_FILE";

/// The Workbook (or Book) stream of an XLS, as its directory entry declares it (calamine holds
/// it whole).
pub const MAX_XLS_STREAM_BYTES: u64 = 64 << 20;

/// A whole XLS file: calamine copies the container and the Workbook stream while opening it, so
/// an XLS near [`MAX_WORKBOOK_BYTES`] would take over 1 GB. The stream itself is at most
/// [`MAX_XLS_STREAM_BYTES`]; the rest of a real XLS is small (the format stops at 65,536 rows).
pub const MAX_XLS_FILE_BYTES: u64 = 128 << 20;

/// Cells of an XLS over all its sheets (calamine builds every sheet whole when it opens the
/// file): cell records (a formula counts twice, for its value and its text), the box around each
/// sheet's cells, and each sheet's declared dimension. 65,536 rows × 64 columns.
pub const MAX_XLS_CELLS: u64 = 4 << 20;

/// CONTINUE records after one XLS record, and after the shared-string records together.
pub const MAX_XLS_CONTINUES: usize = 8192;

/// Bytes of sheet records calamine reads in an XLS, summed over the sheets the workbook lists (a
/// sheet listed twice is read twice).
pub const MAX_XLS_SHEET_BYTES: u64 = 256 << 20;

/// Rows looked at to find the header row below title rows.
pub const HEADER_SCAN_ROWS: usize = 20;
