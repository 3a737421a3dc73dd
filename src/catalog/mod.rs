//! The investment guidance catalogue (招商指导目录): loading `catalog/` (or the copy compiled into
//! the binary), the [`Catalog`] type and its validation (`leadmatch catalog check`).

mod check;
pub mod gbt;
pub mod lexicon;
mod model;
pub mod region;
mod scoring;

pub use gbt::{DeclaredIndustry, GbtTable};
pub use lexicon::LexiconTable;
pub use model::{Company, GlobalTerms, Industry, NegativeGroup, RoleCues, Sector, Theme};
pub use region::{Origin, Region};
pub use scoring::{
    Calibration, CapitalScale, Currencies, LexicalStack, MatcherWeights, NameMatching, PriorityConfig, PriorityWeights,
    RevenueYardsticks, RoleWeights, Scoring, SignalTerms, TierThresholds, VerdictThresholds,
};

use crate::error::{CatalogProblem, Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded_catalog.rs"));

/// Bumped when the index layout or the matcher's use of it changes, so old indexes are rebuilt.
pub const ENGINE_VERSION: &str = "leadmatch-index-3";

/// One catalogue file: its path relative to the catalogue root and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// The raw catalogue files, from a directory or from the binary.
#[derive(Debug, Clone)]
pub struct CatalogSource {
    /// Where the files came from: a directory path, or `built-in`.
    pub origin: String,
    pub files: Vec<SourceFile>,
}

impl CatalogSource {
    /// The catalogue compiled into the binary.
    pub fn embedded() -> Self {
        CatalogSource {
            origin: "built-in".to_string(),
            files: EMBEDDED_CATALOG
                .iter()
                .map(|(p, t)| SourceFile {
                    path: (*p).to_string(),
                    text: (*t).to_string(),
                })
                .collect(),
        }
    }

    /// Reads every `.toml` and `.csv` file under `dir`.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        fn walk(dir: &Path, root: &Path, out: &mut Vec<SourceFile>) -> Result<()> {
            let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
            for entry in entries {
                let entry = entry.map_err(|e| Error::io(dir, e))?;
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, root, out)?;
                } else if matches!(path.extension().and_then(|e| e.to_str()), Some("toml" | "csv")) {
                    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
                    let rel = path
                        .strip_prefix(root)
                        .unwrap_or(&path)
                        .to_string_lossy()
                        .replace('\\', "/");
                    let text = String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
                        path: path.display().to_string(),
                        offset: e.utf8_error().valid_up_to(),
                    })?;
                    out.push(SourceFile { path: rel, text });
                }
            }
            Ok(())
        }
        let mut files = Vec::new();
        walk(dir, dir, &mut files)?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(CatalogSource {
            origin: dir.display().to_string(),
            files,
        })
    }

    /// `--catalog DIR` if given, else `./catalog` when present, else the built-in copy.
    pub fn locate(dir: Option<&Path>) -> Result<Self> {
        match dir {
            Some(d) => Self::from_dir(d),
            None => {
                let default = PathBuf::from("catalog");
                if default.join("sectors.toml").is_file() {
                    Self::from_dir(&default)
                } else {
                    Ok(Self::embedded())
                }
            }
        }
    }

    /// A hash of every file's path and contents plus the engine version: the index is stale
    /// when this differs from the fingerprint stored with it.
    pub fn fingerprint(&self) -> String {
        let mut h = blake3::Hasher::new();
        h.update(ENGINE_VERSION.as_bytes());
        for f in &self.files {
            h.update(f.path.as_bytes());
            h.update(&[0]);
            h.update(f.text.as_bytes());
            h.update(&[0]);
        }
        h.finalize().to_hex()[..32].to_string()
    }

    fn file(&self, path: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// The loaded, validated catalogue.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub themes: Vec<Theme>,
    pub sectors: Vec<Sector>,
    pub industries: Vec<Industry>,
    /// For each industry, the catalogue file it was read from.
    pub industry_files: Vec<String>,
    pub companies: Vec<Company>,
    pub terms: GlobalTerms,
    pub scoring: Scoring,
    pub gbt: GbtTable,
    /// The plan's city and its districts (`region.toml`, optional): local or elsewhere.
    pub region: Region,
    /// The lexical layer's word weights (`lexicon.csv`, optional).
    pub lexicon: Option<LexiconTable>,
    pub fingerprint: String,
    pub origin: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectorsFile {
    #[serde(default)]
    theme: Vec<Theme>,
    #[serde(default)]
    sector: Vec<Sector>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndustriesFile {
    #[serde(default)]
    industry: Vec<Industry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompaniesFile {
    #[serde(default)]
    company: Vec<Company>,
}

/// 1-based line of a byte offset.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn parse_toml<T: serde::de::DeserializeOwned>(file: &SourceFile) -> Result<T> {
    toml::from_str(&file.text).map_err(|e| Error::CatalogSyntax {
        file: file.path.clone(),
        line: e.span().map(|s| line_at(&file.text, s.start)).unwrap_or(1),
        message: e.message().to_string(),
    })
}

fn required<'a>(source: &'a CatalogSource, path: &str) -> Result<&'a SourceFile> {
    source.file(path).ok_or_else(|| {
        Error::CatalogInvalid(vec![CatalogProblem {
            file: path.to_string(),
            line: 0,
            message: format!("missing file {path} in catalogue {}", source.origin),
        }])
    })
}

impl Catalog {
    /// Parses and validates a catalogue source. Any syntax error or validation problem is an
    /// error naming the file and line.
    pub fn load(source: &CatalogSource) -> Result<Catalog> {
        let catalog = Self::parse(source)?;
        let problems = check::check(&catalog, source);
        if problems.is_empty() {
            Ok(catalog)
        } else {
            Err(Error::CatalogInvalid(problems))
        }
    }

    /// The built-in catalogue. It is validated by the test suite, so this cannot fail in a
    /// released binary; an error here is a build defect.
    pub fn builtin() -> Result<Catalog> {
        Self::load(&CatalogSource::embedded())
    }

    fn parse(source: &CatalogSource) -> Result<Catalog> {
        let sectors: SectorsFile = parse_toml(required(source, "sectors.toml")?)?;
        let terms: GlobalTerms = parse_toml(required(source, "terms.toml")?)?;
        let scoring: Scoring = parse_toml(required(source, "scoring.toml")?)?;
        let companies: CompaniesFile = match source.file("companies.toml") {
            Some(f) => parse_toml(f)?,
            None => CompaniesFile { company: vec![] },
        };
        let region: region::RegionFile = match source.file("region.toml") {
            Some(f) => parse_toml(f)?,
            None => region::RegionFile::default(),
        };
        let lexicon = match source.file("lexicon.csv") {
            Some(f) => Some(LexiconTable::parse(&f.path, &f.text)?),
            None => None,
        };
        let gbt_file = required(source, "gbt4754-2017.csv")?;
        let gbt = GbtTable::parse(&gbt_file.text).map_err(|(line, message)| Error::CatalogSyntax {
            file: gbt_file.path.clone(),
            line,
            message,
        })?;
        let mut industries = Vec::new();
        let mut industry_files = Vec::new();
        for f in source
            .files
            .iter()
            .filter(|f| f.path.starts_with("industries/") && f.path.ends_with(".toml"))
        {
            let parsed: IndustriesFile = parse_toml(f)?;
            for ind in parsed.industry {
                industries.push(ind);
                industry_files.push(f.path.clone());
            }
        }
        Ok(Catalog {
            themes: sectors.theme,
            sectors: sectors.sector,
            industries,
            industry_files,
            companies: companies.company,
            terms,
            scoring,
            gbt,
            region: Region::new(region),
            lexicon,
            fingerprint: source.fingerprint(),
            origin: source.origin.clone(),
        })
    }

    /// Validates a source and returns every problem found (empty when the catalogue is sound).
    pub fn check_source(source: &CatalogSource) -> Result<Vec<CatalogProblem>> {
        let catalog = Self::parse(source)?;
        Ok(check::check(&catalog, source))
    }

    pub fn sector(&self, id: &str) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.id == id)
    }

    pub fn sector_by_no(&self, no: u32) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.no == no)
    }

    pub fn industry(&self, id: &str) -> Option<&Industry> {
        self.industries.iter().find(|i| i.id == id)
    }

    pub fn theme(&self, no: u32) -> Option<&Theme> {
        self.themes.iter().find(|t| t.no == no)
    }

    /// The lead unit for an industry: its own when the plan's annex names one, else its sector's.
    pub fn lead_unit<'a>(&'a self, industry: &'a Industry) -> &'a str {
        if let Some(l) = &industry.lead_unit {
            return l;
        }
        self.sector(&industry.sector)
            .map(|s| s.lead_unit.as_str())
            .unwrap_or("")
    }

    /// The responsible units for an industry (its own, else its sector's).
    pub fn responsible_units<'a>(&'a self, industry: &'a Industry) -> &'a [String] {
        if let Some(r) = &industry.responsible_units {
            return r;
        }
        self.sector(&industry.sector)
            .map(|s| s.responsible_units.as_slice())
            .unwrap_or(&[])
    }

    /// The carriers (载体) for an industry: the parks and platforms the plan clause names for it
    /// (`carriers` in its industry entry), or none. An industry never inherits its sector's list:
    /// the health parks of sector 9 are no place for a bike-sharing firm.
    pub fn carriers<'a>(&'a self, industry: &'a Industry) -> &'a [String] {
        &industry.carriers
    }
}
