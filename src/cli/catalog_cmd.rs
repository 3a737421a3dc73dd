//! `leadmatch catalog list | show ID | check`: the catalogue for people.

use super::{Failure, Format, output, usage};
use crate::{Catalog, CatalogSource, EngineOptions};

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// 列出 List themes, sectors and their industries
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 详情 Show one sector (id or number) or industry (id)
    Show {
        /// Sector id or number (e.g. pan-entertainment, 6) or industry id (e.g. esports)
        id: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 校验 Validate the catalogue: ids, keyword lists, GB/T 4754 codes, scoring
    Check,
}

pub fn run(opts: &EngineOptions, action: Action) -> Result<(), Failure> {
    let source = CatalogSource::locate(opts.catalog_dir.as_deref())?;
    match action {
        Action::Check => {
            let problems = Catalog::check_source(&source)?;
            if problems.is_empty() {
                let c = Catalog::load(&source)?;
                let terms: usize = c
                    .industries
                    .iter()
                    .map(|i| i.strong.len() + i.support.len() + i.generic.len())
                    .sum();
                println!(
                    "目录校验通过 catalogue OK ({}): {} themes, {} sectors, {} industries, {} terms, {} named companies, {} counter-evidence groups, {} GB/T 4754 codes",
                    c.origin,
                    c.themes.len(),
                    c.sectors.len(),
                    c.industries.len(),
                    terms,
                    c.companies.len(),
                    c.terms.negative.len(),
                    c.gbt.len()
                );
                Ok(())
            } else {
                for p in &problems {
                    eprintln!("{p}");
                }
                Err(Failure {
                    code: 1,
                    error: anyhow::anyhow!(
                        "目录校验失败 catalogue check failed: {} problem(s) in {}",
                        problems.len(),
                        source.origin
                    ),
                })
            }
        }
        Action::List { format } => {
            let c = Catalog::load(&source)?;
            if format == Format::Json {
                let sectors: Vec<serde_json::Value> = c
                    .sectors
                    .iter()
                    .map(|s| {
                        let inds: Vec<serde_json::Value> = c
                            .industries
                            .iter()
                            .filter(|i| i.sector == s.id)
                            .map(|i| serde_json::json!({"id": i.id, "name": i.name, "name_en": i.name_en}))
                            .collect();
                        serde_json::json!({"no": s.no, "id": s.id, "name": s.name, "name_en": s.name_en, "theme": s.theme, "lead_unit": s.lead_unit, "industries": inds})
                    })
                    .collect();
                output::print_json(&serde_json::json!({"themes": c.themes, "sectors": sectors}))?;
                return Ok(());
            }
            for t in &c.themes {
                println!("{} {} ({}) — {}", t.clause, t.name, t.name_en, t.goal);
                for s in c.sectors.iter().filter(|s| s.theme == t.no) {
                    println!(
                        "  {:>2}. {} {} ({})  牵头 {}",
                        s.no, s.id, s.name, s.name_en, s.lead_unit
                    );
                    for i in c.industries.iter().filter(|i| i.sector == s.id) {
                        println!("        - {:<28} {} ({})", i.id, i.name, i.name_en);
                    }
                }
            }
            Ok(())
        }
        Action::Show { id, format } => {
            let c = Catalog::load(&source)?;
            let sector = c
                .sector(&id)
                .or_else(|| id.parse::<u32>().ok().and_then(|n| c.sector_by_no(n)));
            if let Some(s) = sector {
                if format == Format::Json {
                    let inds: Vec<_> = c.industries.iter().filter(|i| i.sector == s.id).collect();
                    output::print_json(&serde_json::json!({"sector": s, "industries": inds}))?;
                    return Ok(());
                }
                println!("[{}] {} {} ({})", s.no, s.id, s.name, s.name_en);
                println!("条款 clause: 温政办〔2019〕50号 {}", s.clause);
                if !s.summary.is_empty() {
                    println!("{}", s.summary);
                }
                println!("牵头单位 lead unit: {}", s.lead_unit);
                println!("责任单位 responsible: {}", s.responsible_units.join("、"));
                if !s.annex_lead_units.is_empty() {
                    println!("附件牵头 annex lead units: {}", s.annex_lead_units.join("、"));
                }
                println!("载体 carriers: {}", s.carriers.join("、"));
                for t in &s.targets {
                    println!("目标 target: {t}");
                }
                println!("产业 industries:");
                for i in c.industries.iter().filter(|i| i.sector == s.id) {
                    println!("  - {:<28} {} ({})", i.id, i.name, i.name_en);
                }
                return Ok(());
            }
            let Some(i) = c.industry(&id) else {
                return Err(usage(format!(
                    "目录中没有 {id:?} no sector or industry with that id; see `leadmatch catalog list`"
                )));
            };
            if format == Format::Json {
                output::print_json(i)?;
                return Ok(());
            }
            let s = c.sector(&i.sector);
            println!("{} {} ({})", i.id, i.name, i.name_en);
            if let Some(s) = s {
                println!("产业类别 sector: [{}] {} {}", s.no, s.id, s.name);
            }
            println!("条款 clause: 温政办〔2019〕50号 {}", i.clause);
            if !i.summary.is_empty() {
                println!("{}", i.summary);
            }
            println!("牵头单位 lead unit: {}", c.lead_unit(i));
            println!("责任单位 responsible: {}", c.responsible_units(i).join("、"));
            println!("载体 carriers: {}", c.carriers(i).join("、"));
            println!("核心词 strong: {}", i.strong.join("、"));
            println!("辅助词 support: {}", i.support.join("、"));
            println!("泛化词 generic: {}", i.generic.join("、"));
            let codes = |list: &[String]| -> String {
                list.iter()
                    .map(|code| format!("{code} {}", c.gbt.get(code).map(|e| e.name.as_str()).unwrap_or("?")))
                    .collect::<Vec<_>>()
                    .join("、")
            };
            println!("国标行业 GB/T 4754 core: {}", codes(&i.gbt));
            println!("国标行业 GB/T 4754 related: {}", codes(&i.gbt_related));
            for t in &i.targets {
                println!("目标 target: {t}");
            }
            Ok(())
        }
    }
}
