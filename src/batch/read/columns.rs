//! Column headers: the profile fields a column can feed ([`Field`]), the header aliases
//! recognised for each (interface.md, "Profile fields"), `--columns` overrides, and the
//! [`ColumnMap`] of a tabular file.

use crate::error::{Error, Result};
use std::collections::HashMap;

/// A profile field a column can feed (interface.md, "Profile fields").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Id,
    Name,
    Scope,
    Industry,
    CreditCode,
    RegisteredCapital,
    Revenue,
    Location,
    Founded,
    Tags,
    /// 登记状态 registration status (存续, 注销 …).
    Status,
}

impl Field {
    pub const ALL: [Field; 11] = [
        Field::Id,
        Field::Name,
        Field::Scope,
        Field::Industry,
        Field::CreditCode,
        Field::RegisteredCapital,
        Field::Revenue,
        Field::Location,
        Field::Founded,
        Field::Tags,
        Field::Status,
    ];

    /// The JSON key (interface.md).
    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Scope => "scope",
            Field::Industry => "industry",
            Field::CreditCode => "credit_code",
            Field::RegisteredCapital => "registered_capital",
            Field::Revenue => "revenue",
            Field::Location => "location",
            Field::Founded => "founded",
            Field::Tags => "tags",
            Field::Status => "status",
        }
    }

    /// The column headers recognised for this field, preferred first (interface.md).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["id", "编号", "序号"],
            Field::Name => &["name", "company", "company_name", "企业名称", "公司名称", "名称"],
            Field::Scope => &[
                "scope",
                "business_scope",
                "description",
                "profile",
                "text",
                "经营范围",
                "主营业务",
                "业务范围",
                "公司简介",
                "简介",
            ],
            Field::Industry => &["industry", "industry_code", "所属行业", "国标行业", "行业"],
            Field::CreditCode => &["credit_code", "uscc", "统一社会信用代码", "信用代码"],
            Field::RegisteredCapital => &["registered_capital", "注册资本"],
            Field::Revenue => &["revenue", "营业收入", "营收"],
            Field::Location => &[
                "location",
                "address",
                "所在地",
                "注册地址",
                "地址",
                "省份",
                "城市",
                "所属地区",
                "所属省份",
                "所属城市",
                "所属区县",
                "区县",
                "所在地区",
                "注册地",
                "企业地址",
                "通信地址",
            ],
            Field::Founded => &["founded", "成立日期"],
            Field::Tags => &["tags", "标签"],
            Field::Status => &[
                "status",
                "registration_status",
                "登记状态",
                "经营状态",
                "企业状态",
                "登记状况",
                "营业状态",
            ],
        }
    }

    /// Parses a field name as `--columns` accepts it: the JSON key or one of its aliases.
    pub fn parse(s: &str) -> Option<Field> {
        let n = normalize_header(s);
        Field::ALL
            .into_iter()
            .find(|f| normalize_header(f.key()) == n || f.aliases().iter().any(|a| normalize_header(a) == n))
    }
}

/// The comparison form of a header: lower case, without spaces, `_`, `-`, `*`, `:`, a BOM or a
/// bracketed note (`注册资本（万元）` → `注册资本`), full-width ASCII folded.
pub fn normalize_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut depth = 0u32;
    for c in h.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '\u{FEFF}' | '_' | '-' | '*' | ':' | '：' | '"' => {}
            c if c.is_whitespace() => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Parses `--columns name=公司,scope=简介` (a field may be given more than once).
pub fn parse_column_overrides(spec: &str) -> std::result::Result<Vec<(Field, String)>, String> {
    let mut out = Vec::new();
    for part in spec.split([',', '，']).filter(|p| !p.trim().is_empty()) {
        let Some((field, header)) = part.split_once('=') else {
            return Err(format!(
                "--columns 格式应为 FIELD=HEADER expected FIELD=HEADER, got {part:?} (e.g. --columns name=公司,scope=简介)"
            ));
        };
        let Some(f) = Field::parse(field) else {
            let keys: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
            return Err(format!(
                "--columns: 未知字段 unknown field {field:?}; fields are {}",
                keys.join(", ")
            ));
        };
        let header = header.trim();
        if header.is_empty() {
            return Err(format!("--columns: empty header for {}", f.key()));
        }
        out.push((f, header.to_string()));
    }
    Ok(out)
}

/// Recognises headers (or JSON keys) as profile fields: the interface.md aliases, with
/// `--columns` overrides replacing the aliases of the fields they name.
#[derive(Debug, Clone)]
pub struct HeaderMatcher {
    /// Normalised header → (field, preference; lower is preferred).
    map: HashMap<String, (Field, usize)>,
}

impl HeaderMatcher {
    pub fn new(overrides: &[(Field, String)]) -> HeaderMatcher {
        let mut map = HashMap::new();
        for (i, (f, h)) in overrides.iter().enumerate() {
            map.insert(normalize_header(h), (*f, i));
        }
        for f in Field::ALL {
            if overrides.iter().any(|(o, _)| *o == f) {
                continue;
            }
            for (i, a) in f.aliases().iter().enumerate() {
                map.entry(normalize_header(a)).or_insert((f, i));
            }
        }
        HeaderMatcher { map }
    }

    /// The field a header feeds, with its preference.
    pub fn field_of(&self, header: &str) -> Option<(Field, usize)> {
        if let Some(v) = self.map.get(header) {
            return Some(*v);
        }
        self.map.get(&normalize_header(header)).copied()
    }
}

/// Which columns feed which profile field.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    /// Per field (indexed like [`Field::ALL`]): column indices, preferred first.
    columns: [Vec<usize>; Field::ALL.len()],
}

impl ColumnMap {
    /// Maps the headers of a tabular file; fails when neither a name nor a scope column is found
    /// or an override names a header that is not there.
    pub fn new(source: &str, headers: &[String], overrides: &[(Field, String)]) -> Result<ColumnMap> {
        for (f, h) in overrides {
            let n = normalize_header(h);
            if !headers.iter().any(|x| normalize_header(x) == n) {
                return Err(Error::UnknownColumn {
                    path: source.to_string(),
                    field: f.key().to_string(),
                    header: h.clone(),
                    found: headers.to_vec(),
                });
            }
        }
        let matcher = HeaderMatcher::new(overrides);
        let mut ranked: [Vec<(usize, usize)>; Field::ALL.len()] = Default::default();
        for (col, h) in headers.iter().enumerate() {
            if let Some((f, pref)) = matcher.field_of(h) {
                ranked[f as usize].push((pref, col));
            }
        }
        let mut map = ColumnMap::default();
        for (slot, mut cols) in map.columns.iter_mut().zip(ranked) {
            cols.sort();
            *slot = cols.into_iter().map(|(_, c)| c).collect();
        }
        if !map.is_usable() {
            return Err(no_usable_column(source, headers));
        }
        Ok(map)
    }

    /// The columns feeding a field, preferred first.
    pub fn columns(&self, f: Field) -> &[usize] {
        &self.columns[f as usize]
    }

    /// A name or a scope column exists.
    pub fn is_usable(&self) -> bool {
        !self.columns(Field::Name).is_empty() || !self.columns(Field::Scope).is_empty()
    }
}

/// The index of the header row among the first rows of a table: the row whose cells match the
/// most known headers (aliases and `--columns` overrides), among rows with a name or a scope
/// column; the first such row on a tie. `None` when no row qualifies.
pub fn find_header_row(rows: &[Vec<String>], overrides: &[(Field, String)]) -> Option<usize> {
    let matcher = HeaderMatcher::new(overrides);
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in rows.iter().enumerate() {
        let mut known = 0usize;
        let mut usable = false;
        for cell in row {
            let cell = super::clean::clean_cell(cell);
            if let Some((f, _)) = matcher.field_of(cell.trim()) {
                known += 1;
                usable |= matches!(f, Field::Name | Field::Scope);
            }
        }
        if usable && best.is_none_or(|(_, k)| known > k) {
            best = Some((i, known));
        }
    }
    best.map(|(i, _)| i)
}

/// The error for a file without a name or scope column.
pub fn no_usable_column(source: &str, headers: &[String]) -> Error {
    Error::NoUsableColumn {
        path: source.to_string(),
        found: headers.to_vec(),
        name_aliases: Field::Name.aliases().join(", "),
        scope_aliases: Field::Scope.aliases().join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_case_space_and_width_insensitively() {
        let m = HeaderMatcher::new(&[]);
        assert_eq!(m.field_of(" Company Name ").map(|x| x.0), Some(Field::Name));
        assert_eq!(m.field_of("企业名称").map(|x| x.0), Some(Field::Name));
        assert_eq!(m.field_of("ＳＣＯＰＥ").map(|x| x.0), Some(Field::Scope));
        assert_eq!(
            m.field_of("注册资本（万元）").map(|x| x.0),
            Some(Field::RegisteredCapital)
        );
        assert_eq!(m.field_of("经营范围*").map(|x| x.0), Some(Field::Scope));
        assert_eq!(m.field_of("法定代表人"), None);
    }

    #[test]
    fn preferred_alias_wins_and_scope_columns_are_all_kept() {
        let headers: Vec<String> = ["简介", "名称", "企业名称", "经营范围"].map(String::from).to_vec();
        let map = ColumnMap::new("t.csv", &headers, &[]).unwrap();
        assert_eq!(map.columns(Field::Name), &[2, 1]);
        assert_eq!(map.columns(Field::Scope), &[3, 0]);
    }

    #[test]
    fn overrides_replace_aliases_and_unknown_headers_fail() {
        let headers: Vec<String> = ["公司", "名称", "简介"].map(String::from).to_vec();
        let ov = parse_column_overrides("name=公司, scope=简介").unwrap();
        let map = ColumnMap::new("t.csv", &headers, &ov).unwrap();
        assert_eq!(map.columns(Field::Name), &[0]);
        let bad = parse_column_overrides("name=企业").unwrap();
        let err = ColumnMap::new("t.csv", &headers, &bad).unwrap_err();
        assert!(err.to_string().contains("公司"), "{err}");
        assert!(parse_column_overrides("nom=公司").is_err());
        assert!(parse_column_overrides("name").is_err());
    }

    #[test]
    fn no_usable_column_lists_headers_and_aliases() {
        let headers: Vec<String> = ["法定代表人", "电话"].map(String::from).to_vec();
        let err = ColumnMap::new("t.csv", &headers, &[]).unwrap_err().to_string();
        assert!(err.contains("法定代表人") && err.contains("电话"), "{err}");
        assert!(err.contains("企业名称") && err.contains("经营范围"), "{err}");
    }

    #[test]
    fn header_row_is_found_below_title_rows() {
        let rows: Vec<Vec<String>> = vec![
            vec!["企业查询结果导出（导出时间：2024-05-01）".into(), "".into()],
            vec!["数据来源：某平台".into()],
            vec![
                "企业名称".into(),
                "登记状态".into(),
                "注册资本".into(),
                "经营范围".into(),
            ],
            vec![
                "温州某某科技有限公司".into(),
                "存续".into(),
                "1000万".into(),
                "软件开发".into(),
            ],
        ];
        assert_eq!(find_header_row(&rows, &[]), Some(2));
        // A row naming only non-profile columns does not qualify.
        let none: Vec<Vec<String>> = vec![vec!["法定代表人".into(), "电话".into()]];
        assert_eq!(find_header_row(&none, &[]), None);
        // --columns overrides count as known headers.
        let custom: Vec<Vec<String>> = vec![vec!["标题".into()], vec!["公司".into(), "简述".into()]];
        let ov = parse_column_overrides("name=公司").unwrap();
        assert_eq!(find_header_row(&custom, &ov), Some(1));
    }
}
