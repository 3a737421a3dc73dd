//! GB/T 4754-2017 国民经济行业分类: the code table shipped in `catalog/gbt4754-2017.csv`, and
//! reading the industry a profile gives ("I6513", "6513 应用软件开发", "软件和信息技术服务业").

use std::collections::HashMap;

/// One row of the standard.
#[derive(Debug, Clone)]
pub struct GbtEntry {
    pub code: String,
    pub level: String,
    pub name: String,
}

/// The code table with lookups by code and by (normalised) name.
#[derive(Debug, Clone, Default)]
pub struct GbtTable {
    entries: Vec<GbtEntry>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

/// The industry a profile declares, resolved against the standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredIndustry {
    /// The most specific code found (class, group, division or section letter).
    pub code: String,
    pub level: String,
    pub name: String,
}

fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '，' => ',',
            '、' => ',',
            c => c,
        })
        .collect()
}

impl GbtTable {
    /// Parses the CSV (`code,level,name,parent`). Returns the 1-based line of the first bad row.
    pub fn parse(csv_text: &str) -> Result<Self, (usize, String)> {
        let mut table = GbtTable::default();
        for (i, line) in csv_text.lines().enumerate() {
            if i == 0 || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split(',').collect();
            if cols.len() < 3 {
                return Err((i + 1, format!("expected code,level,name,parent, got {line:?}")));
            }
            let entry = GbtEntry {
                code: cols[0].trim().to_string(),
                level: cols[1].trim().to_string(),
                name: cols[2].trim().to_string(),
            };
            let idx = table.entries.len();
            table.by_code.insert(entry.code.clone(), idx);
            table.by_name.entry(name_key(&entry.name)).or_insert(idx);
            table.entries.push(entry);
        }
        Ok(table)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The position of a code's entry (`entry_at` gives it back): `None` for an unknown code.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The entry at a position of [`GbtTable::position`].
    pub fn entry_at(&self, i: usize) -> Option<&GbtEntry> {
        self.entries.get(i)
    }

    /// Looks up an exact code (`"6513"`, `"65"`, `"I"`).
    pub fn get(&self, code: &str) -> Option<&GbtEntry> {
        self.by_code.get(code).map(|&i| &self.entries[i])
    }

    /// True when `code` is a 4-digit class of the standard (9290 is accepted as an alias of
    /// 9291/9299, see `../shared/reference/README.md`).
    pub fn is_class(&self, code: &str) -> bool {
        code == "9290" || self.get(code).is_some_and(|e| e.level == "class")
    }

    /// Reads what a profile gives as its industry: a code with or without the section letter,
    /// a code followed by its name, or a name alone.
    pub fn resolve(&self, text: &str) -> Option<DeclaredIndustry> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        // A leading code: optional section letter then 2-4 digits.
        let mut chars = t.chars().peekable();
        let mut letter = None;
        if let Some(&c) = chars.peek()
            && c.is_ascii_alphabetic()
        {
            letter = Some(c.to_ascii_uppercase());
            chars.next();
        }
        let digits: String = chars.clone().take_while(|c| c.is_ascii_digit()).collect();
        if (2..=4).contains(&digits.len()) {
            let code = if digits == "9290" {
                "9299".to_string()
            } else {
                digits.clone()
            };
            if let Some(e) = self.get(&code) {
                return Some(self.declared(e));
            }
        }
        if digits.is_empty()
            && let Some(l) = letter
            && t.len() == 1
            && let Some(e) = self.get(&l.to_string())
        {
            return Some(self.declared(e));
        }
        // A name, possibly after a code we could not resolve.
        let name_part: String = t
            .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c.is_whitespace())
            .to_string();
        let key = name_key(&name_part);
        if key.is_empty() {
            return None;
        }
        self.by_name.get(&key).map(|&i| self.declared(&self.entries[i]))
    }

    fn declared(&self, e: &GbtEntry) -> DeclaredIndustry {
        DeclaredIndustry {
            code: e.code.clone(),
            level: e.level.clone(),
            name: e.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "code,level,name,parent\nI,section,信息传输、软件和信息技术服务业,\n65,division,软件和信息技术服务业,I\n651,group,软件开发,65\n6513,class,应用软件开发,651\n7517,class,三维（3D)打印技术推广服务,751\n";

    #[test]
    fn resolves_codes_with_and_without_section_letter() {
        let t = GbtTable::parse(SAMPLE).unwrap();
        assert_eq!(t.resolve("I6513").unwrap().code, "6513");
        assert_eq!(t.resolve("6513").unwrap().code, "6513");
        assert_eq!(t.resolve("i6513 应用软件开发").unwrap().code, "6513");
        assert_eq!(t.resolve("65").unwrap().level, "division");
    }

    #[test]
    fn resolves_names_with_normalised_parentheses() {
        let t = GbtTable::parse(SAMPLE).unwrap();
        assert_eq!(t.resolve("软件和信息技术服务业").unwrap().code, "65");
        assert_eq!(t.resolve("三维(3D)打印技术推广服务").unwrap().code, "7517");
        assert!(t.resolve("制鞋业").is_none());
        assert!(t.resolve("").is_none());
    }

    #[test]
    fn rejects_short_rows() {
        assert_eq!(GbtTable::parse("code,level,name\n65\n").unwrap_err().0, 2);
    }
}
