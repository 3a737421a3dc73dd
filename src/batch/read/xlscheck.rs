//! Checks of an XLS workbook (BIFF in an OLE2/CFB container) before calamine opens it: calamine
//! follows the container's sector chains and the workbook's records as the file says, so a
//! damaged file can make it loop or allocate without bound (a 5.7 KB file took 22 GB). Here the
//! same walk is done first, within bounds:
//!
//! - the container: sector size, the DIFAT and FAT sectors, the directory, the mini stream and the
//!   `Workbook`/`Book` stream are followed exactly as calamine's `cfb.rs` does, and every chain
//!   must stay within the file's sectors without visiting a sector twice ([`CFB_WITHIN_FILE`]);
//!   the stream is at most [`MAX_XLS_STREAM_BYTES`];
//! - the records, as calamine's `xls.rs` reads them: CONTINUE records after one record
//!   ([`MAX_XLS_CONTINUES`]), the sheets' records read over all listed sheets
//!   ([`MAX_XLS_SHEET_BYTES`]), declared dimensions, cells and the box around them summed over
//!   all sheets ([`MAX_XLS_CELLS`]; calamine builds every sheet whole when it opens the file).
//!
//! Formula text is not read by leadmatch (only the values Excel stored with each formula), and
//! calamine's formula decoder can grow a formula's text far beyond its record (a space token
//! adds 255 characters one insertion at a time). So the token list of every formula record is
//! emptied in the checked bytes before calamine sees them; the formula's stored value stays.

use crate::error::{Error, Result};
use crate::limits::{CFB_WITHIN_FILE, MAX_XLS_CELLS, MAX_XLS_CONTINUES, MAX_XLS_SHEET_BYTES, MAX_XLS_STREAM_BYTES};
use std::collections::HashMap;

/// The OLE2/CFB signature.
pub const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// Streams shorter than this live in the mini stream (64-byte mini sectors).
const MINI_CUTOFF: u64 = 4096;
const MINI_SECTOR: usize = 64;

/// What the check found wrong.
enum Problem {
    /// A limit of [`crate::limits`] exceeded: what, and the limit's name and value.
    Limit(String, String),
    /// The container does not hold together: what.
    Container(String),
}

type Checked<T> = std::result::Result<T, Problem>;

fn container<T>(what: impl Into<String>) -> Checked<T> {
    Err(Problem::Container(what.into()))
}

/// Checks the XLS workbook in `bytes` (an OLE2/CFB file) and empties its formulas' token lists
/// in place. `path` names it in messages.
pub fn check(path: &str, bytes: &mut [u8]) -> Result<()> {
    let hint = "这不像正常导出的表格 this does not look like an exported list: re-save it in Excel/WPS, or export CSV";
    match check_inner(bytes) {
        Ok(()) => Ok(()),
        Err(Problem::Limit(what, limit)) => Err(Error::Limit {
            path: path.to_string(),
            at: String::new(),
            what,
            limit,
            hint: hint.to_string(),
        }),
        Err(Problem::Container(what)) => Err(Error::Limit {
            path: path.to_string(),
            at: ", OLE2/CFB container".to_string(),
            what,
            limit: format!("{CFB_WITHIN_FILE}: chains stay within the file's sectors, no sector twice"),
            hint: hint.to_string(),
        }),
    }
}

fn check_inner(bytes: &mut [u8]) -> Checked<()> {
    let cfb = Container::read(bytes)?;
    let Some(stream) = cfb.workbook_stream(bytes)? else {
        // No Workbook/Book stream: calamine says so itself.
        return Ok(());
    };
    let mut data = stream.gather(bytes);
    let patches = scan(&data)?.formula_lists;
    if patches.is_empty() {
        return Ok(());
    }
    for &at in &patches {
        for (k, byte) in data.iter_mut().enumerate().skip(at).take(2) {
            let Some(file_at) = stream.file_offset(k) else {
                return container("a formula lies beyond the Workbook stream");
            };
            *byte = 0;
            bytes[file_at] = 0;
        }
    }
    // Emptying one formula must not change how another sheet's records are read.
    if !scan(&data)?.formula_lists.is_empty() {
        return container("sheets' records overlap one another");
    }
    Ok(())
}

/// The parts of the container calamine reads, checked.
struct Container {
    sector: usize,
    /// Sectors calamine will read: ids `0..=max_id` (its own bound, the file length / sector size).
    max_id: u32,
    fats: Vec<u32>,
    dirs: Vec<Dir>,
    /// The mini stream (pieces in the file) and the mini FAT, when the header declares one.
    mini: Option<(Stream, Vec<u32>)>,
}

struct Dir {
    name: String,
    start: u32,
    len: u64,
}

/// A stream as pieces of the file, in order: (offset in the stream, offset in the file, length).
#[derive(Default)]
struct Stream {
    pieces: Vec<(usize, usize, usize)>,
    len: usize,
}

impl Stream {
    fn push(&mut self, at: usize, len: usize) {
        match self.pieces.last_mut() {
            Some((_, last_at, last_len)) if *last_at + *last_len == at => *last_len += len,
            _ => self.pieces.push((self.len, at, len)),
        }
        self.len += len;
    }

    fn gather(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len);
        for &(_, at, len) in &self.pieces {
            out.extend_from_slice(&bytes[at..at + len]);
        }
        out
    }

    /// The file offset of byte `k` of the stream.
    fn file_offset(&self, k: usize) -> Option<usize> {
        let i = self
            .pieces
            .partition_point(|&(start, _, _)| start <= k)
            .checked_sub(1)?;
        let (start, at, len) = self.pieces[i];
        (k - start < len).then_some(at + k - start)
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2).map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8).map_or(0, |s| {
        u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]])
    })
}

impl Container {
    fn read(bytes: &[u8]) -> Checked<Container> {
        if bytes.len() < 512 || !bytes.starts_with(CFB_MAGIC) {
            return container("shorter than its 512-byte header");
        }
        let sector = match u16_at(bytes, 30) {
            9 => 512,
            12 => 4096,
            s => return container(format!("sector shift {s} (9 or 12 expected)")),
        };
        if bytes.len() < sector {
            return container("shorter than its header sector");
        }
        let max_id = u32::try_from(bytes.len() / sector).unwrap_or(u32::MAX);
        let mut cfb = Container {
            sector,
            max_id,
            fats: Vec::new(),
            dirs: Vec::new(),
            mini: None,
        };
        let sectors_in_file = (bytes.len() / sector) as u64;

        // DIFAT: 109 entries in the header, then a chain of DIFAT sectors whose last entry
        // points to the next one.
        let mut difat: Vec<u32> = bytes[76..512]
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let mut seen = vec![false; max_id as usize + 1];
        let mut id = u32_at(bytes, 68);
        while id < RESERVED_SECTORS {
            let s = cfb.sector_bytes(bytes, id, &mut seen, "DIFAT")?;
            if s.len() % 4 != 0 {
                return container(format!("DIFAT sector {id} is cut short"));
            }
            difat.extend(s.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
            id = difat.pop().unwrap_or(ENDOFCHAIN);
        }
        // FAT: the sectors the DIFAT lists.
        let fat_ids: Vec<u32> = difat.into_iter().filter(|&id| id < DIFSECT).collect();
        if fat_ids.len() as u64 > sectors_in_file {
            return container(format!(
                "the DIFAT lists {} FAT sectors, the file has {sectors_in_file} sectors",
                fat_ids.len()
            ));
        }
        let mut fats = Vec::new();
        let mut fat_seen = vec![false; max_id as usize + 1];
        for id in fat_ids {
            let s = cfb.sector_bytes(bytes, id, &mut fat_seen, "FAT")?;
            if s.len() % 4 != 0 {
                return container(format!("FAT sector {id} is cut short"));
            }
            fats.extend(s.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
        }
        cfb.fats = fats;

        // The directory: its whole chain, 128 bytes an entry.
        let dir = cfb.chain(bytes, u32_at(bytes, 48), u64::MAX, "directory")?;
        let dir_bytes = dir.gather(bytes);
        cfb.dirs = dir_bytes
            .chunks_exact(128)
            .map(|e| {
                let mut name = encoding_rs::UTF_16LE.decode(&e[..64]).0.into_owned();
                if let Some(nul) = name.find('\0') {
                    name.truncate(nul);
                }
                let len = if sector == 512 {
                    u64::from(u32_at(e, 120))
                } else {
                    u64_at(e, 120)
                };
                Dir {
                    name,
                    start: u32_at(e, 116),
                    len,
                }
            })
            .collect();
        if cfb.dirs.is_empty() {
            return container("empty directory");
        }

        // The mini stream (the root entry's stream) and the mini FAT.
        let mini_fat_len = u64::from(u32_at(bytes, 64));
        if mini_fat_len > 0 {
            let root = &cfb.dirs[0];
            let ministream = cfb.chain(bytes, root.start, root.len, "mini stream")?;
            let minifat = cfb.chain(bytes, u32_at(bytes, 60), mini_fat_len * sector as u64, "mini FAT")?;
            let minifat = minifat.gather(bytes);
            let minifat = minifat
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            cfb.mini = Some((ministream, minifat));
        }
        Ok(cfb)
    }

    /// Sector `id` (cut short at the end of the file), marked seen; a sector out of the file or
    /// seen before is refused.
    fn sector_bytes<'a>(&self, bytes: &'a [u8], id: u32, seen: &mut [bool], what: &str) -> Checked<&'a [u8]> {
        let start = (id as usize + 1).saturating_mul(self.sector);
        if id > self.max_id || start >= bytes.len() {
            return container(format!("{what} sector {id} lies beyond the end of the file"));
        }
        if std::mem::replace(&mut seen[id as usize], true) {
            return container(format!("{what} visits sector {id} twice"));
        }
        Ok(&bytes[start..(start + self.sector).min(bytes.len())])
    }

    /// A chain of sectors from `id` through the FAT, at most `len` bytes, as calamine follows it.
    fn chain(&self, bytes: &[u8], mut id: u32, len: u64, what: &str) -> Checked<Stream> {
        let mut out = Stream::default();
        let mut seen = vec![false; self.max_id as usize + 1];
        while id != ENDOFCHAIN {
            let s = self.sector_bytes(bytes, id, &mut seen, what)?;
            let start = (id as usize + 1) * self.sector;
            let take = (s.len() as u64).min(len - out.len as u64) as usize;
            out.push(start, take);
            if out.len as u64 >= len {
                break;
            }
            id = match self.fats.get(id as usize) {
                Some(&next) => next,
                None => return container(format!("{what}: sector {id} has no FAT entry")),
            };
        }
        Ok(out)
    }

    /// The `Workbook` stream (else `Book`), as calamine picks and reads it; `None` without one.
    fn workbook_stream(&self, bytes: &[u8]) -> Checked<Option<Stream>> {
        let find = |name: &str| {
            self.dirs
                .iter()
                .find(|d| d.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
        };
        let Some(dir) = find("Workbook").or_else(|| find("Book")) else {
            return Ok(None);
        };
        if dir.len > MAX_XLS_STREAM_BYTES {
            return Err(Problem::Limit(
                format!("the Workbook stream declares {} bytes", dir.len),
                format!("MAX_XLS_STREAM_BYTES = {} MiB", MAX_XLS_STREAM_BYTES >> 20),
            ));
        }
        if dir.len >= MINI_CUTOFF {
            return self.chain(bytes, dir.start, dir.len, "Workbook stream").map(Some);
        }
        // A short stream lives in the mini stream: 64-byte mini sectors through the mini FAT.
        let Some((ministream, minifat)) = &self.mini else {
            return container("a short Workbook stream but no mini stream");
        };
        let mut out = Stream::default();
        let mut seen = vec![false; minifat.len()];
        let mut id = dir.start;
        while id != ENDOFCHAIN {
            let at = id as usize * MINI_SECTOR;
            if id as usize >= seen.len() || at + MINI_SECTOR > ministream.len {
                return container(format!("mini sector {id} lies beyond the mini stream"));
            }
            if std::mem::replace(&mut seen[id as usize], true) {
                return container(format!("Workbook stream visits mini sector {id} twice"));
            }
            let take = MINI_SECTOR.min((dir.len - out.len as u64) as usize);
            // A mini sector may straddle two sectors of the mini stream.
            for k in 0..take {
                let Some(file_at) = ministream.file_offset(at + k) else {
                    return container(format!("mini sector {id} lies beyond the mini stream"));
                };
                out.push(file_at, 1);
            }
            if out.len as u64 >= dir.len {
                break;
            }
            id = minifat[id as usize];
        }
        Ok(Some(out))
    }
}

/// One BIFF record as calamine's `RecordIter` yields it: type, offset of its data in the stream,
/// data length, and the CONTINUE records after it.
struct Rec {
    typ: u16,
    at: usize,
    len: usize,
    continues: usize,
    /// Offset of the next record.
    next: usize,
}

/// The record at `at`, or `None` at the end of the stream or where calamine would stop with an
/// error (a record cut short).
fn record(s: &[u8], at: usize) -> Option<Rec> {
    if s.len().saturating_sub(at) < 4 {
        return None;
    }
    let typ = u16_at(s, at);
    let len = u16_at(s, at + 2) as usize;
    if s.len() - at < len + 4 {
        return None;
    }
    let mut next = at + 4 + len;
    let mut continues = 0;
    while s.len() - next > 4 && u16_at(s, next) == 0x003C {
        let l = u16_at(s, next + 2) as usize;
        if s.len() - next < l + 4 {
            return None;
        }
        next += 4 + l;
        continues += 1;
    }
    Some(Rec {
        typ,
        at: at + 4,
        len,
        continues,
        next,
    })
}

/// What the records say.
struct Scan {
    /// Stream offsets of the token-list lengths (`cce`) of formula records that are not empty.
    formula_lists: Vec<usize>,
}

fn continues_limit(rec: &Rec) -> Checked<()> {
    if rec.continues > MAX_XLS_CONTINUES {
        return Err(Problem::Limit(
            format!(
                "record 0x{:04X} is followed by {} CONTINUE records",
                rec.typ, rec.continues
            ),
            format!("MAX_XLS_CONTINUES = {MAX_XLS_CONTINUES}"),
        ));
    }
    Ok(())
}

fn cells_limit(what: String) -> Problem {
    Problem::Limit(what, format!("MAX_XLS_CELLS = {MAX_XLS_CELLS}"))
}

/// Reads the workbook's records as calamine does (the global part, then each listed sheet from its
/// offset) and checks them against the limits.
fn scan(s: &[u8]) -> Checked<Scan> {
    // The global part, up to its EOF: the sheets listed (offset → times listed).
    let mut sheets: HashMap<usize, u64> = HashMap::new();
    let mut at = 0;
    // calamine takes the CONTINUE records of an SST one at a time off the front of a list
    // (quadratic): they are bounded together.
    let mut sst_continues = 0;
    while let Some(rec) = record(s, at) {
        continues_limit(&rec)?;
        if rec.typ == 0x00FC {
            sst_continues += rec.continues;
            if sst_continues > MAX_XLS_CONTINUES {
                return Err(Problem::Limit(
                    format!("the shared-string records are followed by {sst_continues} CONTINUE records"),
                    format!("MAX_XLS_CONTINUES = {MAX_XLS_CONTINUES}"),
                ));
            }
        }
        match rec.typ {
            0x0085 if rec.len >= 4 => *sheets.entry(u32_at(s, rec.at) as usize).or_default() += 1,
            0x000A => break,
            _ => {}
        }
        at = rec.next;
    }
    let mut out = Scan {
        formula_lists: Vec::new(),
    };
    let (mut cells, mut area, mut read) = (0u64, 0u64, 0u64);
    let mut positions: Vec<usize> = sheets.keys().copied().collect();
    positions.sort_unstable();
    for pos in positions {
        let times = sheets[&pos];
        let sheet = scan_sheet(s, pos, &mut out)?;
        read = read.saturating_add(sheet.bytes.saturating_mul(times));
        if read > MAX_XLS_SHEET_BYTES {
            return Err(Problem::Limit(
                format!("the sheets' records add up to more than {read} bytes (a sheet listed twice is read twice)"),
                format!("MAX_XLS_SHEET_BYTES = {} MiB", MAX_XLS_SHEET_BYTES >> 20),
            ));
        }
        cells = cells.saturating_add(sheet.cells.saturating_mul(times));
        if cells > MAX_XLS_CELLS {
            return Err(cells_limit(format!("the sheets hold more than {cells} cells")));
        }
        area = area.saturating_add(sheet.area().saturating_mul(times));
        if area > MAX_XLS_CELLS {
            return Err(cells_limit(format!("the sheets' cells span {area} rows × columns")));
        }
        if sheet.declared > MAX_XLS_CELLS {
            return Err(cells_limit(format!(
                "a sheet declares {} rows × columns (Dimensions record)",
                sheet.declared
            )));
        }
    }
    Ok(out)
}

/// One sheet's records.
#[derive(Default)]
struct Sheet {
    bytes: u64,
    cells: u64,
    /// Largest declared dimension (rows × columns, as calamine computes them).
    declared: u64,
    /// The box around the cells and formulas: (min row, max row, min column, max column).
    bounds: Option<(u32, u32, u32, u32)>,
}

impl Sheet {
    fn add(&mut self, row: u32, col: u32, n: u32) {
        let last = col.saturating_add(n.saturating_sub(1));
        self.cells += u64::from(n);
        self.bounds = Some(match self.bounds {
            None => (row, row, col, last),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(last)),
        });
    }

    fn area(&self) -> u64 {
        self.bounds.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1).saturating_mul(u64::from(c1 - c0 + 1))
        })
    }
}

/// calamine's `parse_dimensions`, and the capacity it reserves for it.
fn declared_area(d: &[u8]) -> u64 {
    let (rf, rl, mut cf, cl) = match d.len() {
        10 => (
            u32::from(u16_at(d, 0)),
            u32::from(u16_at(d, 2)),
            u32::from(u16_at(d, 4)),
            u32::from(u16_at(d, 6)),
        ),
        14 | 16 => (
            u32_at(d, 0),
            u32_at(d, 4),
            u32::from(u16_at(d, 8)),
            u32::from(u16_at(d, 10)),
        ),
        _ => return 0,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (start, end) = if 1 <= rl && 1 <= cl {
        ((rf, cf), (rl - 1, cl - 1))
    } else {
        ((rf, cf), (rf, cf))
    };
    // As calamine computes it in a release build (wrapping; a debug build panics instead).
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1);
    let cols = end.1.wrapping_sub(start.1).wrapping_add(1);
    u64::from(rows) * u64::from(cols)
}

/// One sheet from its offset to its EOF, skipping nested substreams (charts) as calamine does.
fn scan_sheet(s: &[u8], pos: usize, out: &mut Scan) -> Checked<Sheet> {
    let mut sheet = Sheet::default();
    let mut at = pos;
    let (mut seen_bof, mut depth) = (false, 0usize);
    let mut formula_pos = (0u32, 0u32);
    while let Some(rec) = record(s, at) {
        continues_limit(&rec)?;
        sheet.bytes += (rec.next - at) as u64;
        at = rec.next;
        let d = &s[rec.at..rec.at + rec.len];
        if depth > 0 {
            match rec.typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let cell = |d: &[u8]| (u32::from(u16_at(d, 0)), u32::from(u16_at(d, 2)));
        match rec.typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x0200 => sheet.declared = sheet.declared.max(declared_area(d)),
            // Number, Label, RString, BoolErr, Rk, LabelSst.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD if d.len() >= 4 => {
                let (r, c) = cell(d);
                sheet.add(r, c, 1);
            }
            // String: the value of the formula before it.
            0x0207 => sheet.add(formula_pos.0, formula_pos.1, 1),
            0x00BD if d.len() >= 6 => {
                let (r, c) = cell(d);
                sheet.add(r, c, ((d.len() - 6) / 6).max(1) as u32);
            }
            0x0006 if d.len() >= 20 => {
                formula_pos = cell(d);
                // A value and a formula text.
                sheet.add(formula_pos.0, formula_pos.1, 2);
                if d.len() >= 22 && u16_at(d, 20) != 0 {
                    out.formula_lists.push(rec.at + 20);
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dimension_calamine_would_wrap_counts_as_unbounded() {
        // BIFF8 Dimensions: first row 10, last row + 1 = 5 (start after end: calamine wraps).
        let mut d = Vec::new();
        d.extend_from_slice(&10u32.to_le_bytes());
        d.extend_from_slice(&5u32.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&3u16.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        assert!(declared_area(&d) > MAX_XLS_CELLS);
        // 100 rows × 3 columns.
        d[0..4].copy_from_slice(&0u32.to_le_bytes());
        d[4..8].copy_from_slice(&100u32.to_le_bytes());
        assert_eq!(declared_area(&d), 300);
    }

    #[test]
    fn garbage_after_the_signature_is_refused_not_followed() {
        let mut b = CFB_MAGIC.to_vec();
        b.resize(600, 0xFF);
        assert!(check("x.xls", &mut b).is_err());
        let mut short = CFB_MAGIC.to_vec();
        assert!(check("x.xls", &mut short).is_err());
    }
}
